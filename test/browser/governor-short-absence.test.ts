/**
 * Issue 13, cases 8–9, on screen: over a half term of 15 school days a governor's Year groups &
 * classes and Groups withhold a group's absence where the span's one plan does (beside a
 * withheld count of pupils absent at least once, or to protect one: analytics/governor-
 * lattice.ts absenceWithheld), the pupils and possible sessions kept. Register:
 * test/helpers/break-register.ts seedShortFsmRegister (Year 3 only; the FSM pupils' one absence
 * is A0's 1 session; 11 other pupils off a day each). Today 1 October 2024: Autumn 1 has ended.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../../analytics/db.ts";
import { seedShortFsmRegister } from "../helpers/break-register.ts";
import { startSignedInApp, type AppSession } from "../helpers/app-session.ts";
import { saveScreenshot } from "../helpers/browser.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-governor-short-absence-"));
const db = path.join(dir, "school.duckdb");
let app: AppSession;

beforeAll(async () => {
  await withConnection(db, seedShortFsmRegister);
  app = await startSignedInApp(db, "governor", { ROLLCALL_TODAY: "2024-10-01" });
});

afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const HALF = "period=half-term&half=autumn-1-2024";

/** A page's text, its cells marked withheld for the absence, and the loader data the browser got. */
async function open<T>(route: string, query: string, screenshot: string): Promise<{ text: string; absenceCells: string[]; data: T }> {
  const page = await app.context.newPage();
  try {
    await page.goto(`${app.url}/${route}?${query}`, { waitUntil: "networkidle" });
    await page.locator("h1").waitFor();
    const absenceCells = await page.getByTestId("withheld-absence").allInnerTexts();
    const data = (await page.evaluate((id) => (window as unknown as { __remixContext: { state: { loaderData: Record<string, unknown> } } }).__remixContext.state.loaderData[id], `routes/${route}`)) as T;
    await saveScreenshot(page, screenshot);
    return { text: await page.locator("main").innerText(), absenceCells, data };
  } finally {
    await page.close();
  }
}

type Row = { group: string; pupils: number; possible_sessions: number; authorised_sessions: number; unauthorised_sessions: number; attendance_pct: number | null };

describe("a governor's pages over a short half term: the absence beside a withheld count of pupils absent", () => {
  it("Year groups & classes filtered to FSM: Year 3's FSM pupils' absence withheld, their 5 pupils and 150 possible sessions given", async () => {
    const { text, absenceCells, data } = await open<{ yearGroups: Row[] }>("classes", `${HALF}&fsm=Y`, "governor-short-absence-classes-fsm");
    const year3 = data.yearGroups.find((r) => r.group === "3")!;
    // Before: "1 session" of authorised absence here was the school's FSM pupils' one pupil absent.
    expect([year3.pupils, year3.possible_sessions, year3.authorised_sessions, year3.unauthorised_sessions, year3.attendance_pct]).toEqual([5, 150, 0, 0, null]);
    expect(absenceCells.length).toBeGreaterThan(0);
    for (const cell of absenceCells) expect(cell).toContain("ithheld");
    expect(text).not.toMatch(/\b99\.3%/);
  });

  it("Groups: the FSM pupils' attendance and absence withheld, and the rest of the school's beside them", async () => {
    const { absenceCells, data } = await open<{ sections: Array<{ dimension: string; groups: Array<{ group: string; measures: Row; complement: Row }> }> }>("groups", HALF, "governor-short-absence-groups");
    const fsm = data.sections.find((s) => s.dimension === "fsm")!.groups.find((g) => g.group === "Y")!;
    expect([fsm.measures.authorised_sessions, fsm.measures.attendance_pct]).toEqual([0, null]);
    // The whole school's 23 missed sessions less the rest's 22 would give the FSM pupils' 1.
    expect([fsm.complement.authorised_sessions, fsm.complement.attendance_pct]).toEqual([0, null]);
    expect(absenceCells.length).toBeGreaterThan(0);
  });
});
