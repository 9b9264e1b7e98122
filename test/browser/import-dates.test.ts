/**
 * Trial 54 in the browser: a week's marks imported on top of the register say which dates they
 * cover (the Import page's preview and result, Import history, /imports/N), and the pack their
 * new marks of an ended month reach. A school of its own (rollcall init, then the real importer):
 * autumn 2 from Mon 2 Nov 2026, today Mon 7 Dec 2026, one pupil present on Mon 23 Nov; the week
 * imported is Mon 30 Nov – Fri 4 Dec (10 marks, 2 of them November's).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initSchool } from "../../analytics/cli/commands/init.ts";
import { importFiles } from "../../analytics/import/index.ts";
import { closeInstance } from "../../analytics/db.ts";
import { startSignedInApp, type AppSession } from "../helpers/app-session.ts";
import { BY, marksCsv, pupil, pupilsCsv, upn } from "../fixtures/import/helpers.ts";

const TODAY = "2026-12-07";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-import-dates-"));
const db = path.join(dir, "school.duckdb");
const write = (name: string, text: string) => {
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};
const present = (days: string[]) => days.flatMap((d) => [[upn(1), d, "AM", "/"], [upn(1), d, "PM", "\\"]]);
let app: AppSession;
let url = "";
let context: BrowserContext;

const todayBefore = process.env.ROLLCALL_TODAY;
beforeAll(async () => {
  process.env.ROLLCALL_TODAY = TODAY;
  await initSchool(db, { school: "Brook Lane Primary", urn: "123456" });
  const calendar = write("calendar.csv", "kind,name,start_date,end_date\nhalf_term,autumn-1,2026-09-01,2026-10-23\nhalf_term,autumn-2,2026-11-02,2026-12-18\n");
  await importFiles(db, { calendar, pupils: write("pupils.csv", pupilsCsv([pupil(1)])), marks: write("marks.csv", marksCsv(present(["2026-11-23"]))) }, { by: BY, asOf: TODAY });
  await closeInstance(db);
  app = await startSignedInApp(db, "attendance_lead", { ROLLCALL_TODAY: TODAY });
  ({ url, context } = app);
}, 120_000);

afterAll(async () => {
  if (todayBefore === undefined) delete process.env.ROLLCALL_TODAY;
  else process.env.ROLLCALL_TODAY = todayBefore;
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("a week's marks imported on top of the register", () => {
  it("say their dates in the preview, the result, Import history and /imports/N, and the November pack their 30 Nov marks reach", async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${url}/import`, { waitUntil: "networkidle" });
    const week = write("week.csv", marksCsv(present(["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"])));
    await page.setInputFiles("#file-marks", week);
    await page.getByRole("button", { name: "Check and preview" }).click();
    const preview = page.getByTestId("import-preview");
    await preview.waitFor();
    expect(await preview.getByTestId("marks-dates").textContent()).toBe("Marks 30 Nov 2026 to 4 Dec 2026");
    expect(await preview.textContent()).toContain(
      "If imported: 2 new marks dated in a period already ended, the earliest on Mon 30 Nov 2026: the figures of these packs may have changed since a copy was made — the SLT pack for November 2026.",
    );
    await page.getByTestId("confirm-import").click();
    const done = page.getByTestId("import-done");
    await done.waitFor();
    expect(await done.getByTestId("marks-dates").textContent()).toBe("Marks 30 Nov 2026 to 4 Dec 2026");
    expect(await page.getByTestId("import-amended").textContent()).toBe(
      "2 new marks dated in a period already ended, the earliest on Mon 30 Nov 2026: the figures of these packs may have changed since a copy was made — the SLT pack for November 2026.",
    );
    const record = await page.getByTestId("import-records").getByRole("link").getAttribute("href");
    expect(record).toMatch(/^\/imports\/\d+$/);

    await page.goto(`${url}/imports`, { waitUntil: "networkidle" });
    // Latest first: the week, then the first import's marks (23 Nov alone), then its pupils' and calendar's (no dates).
    expect(await page.getByTestId("import-dates").allTextContents()).toEqual(["30 Nov 2026 to 4 Dec 2026", "23 Nov 2026", "—", "—"]);

    await page.goto(`${url}${record}`, { waitUntil: "networkidle" });
    expect(await page.getByTestId("import-counts").textContent()).toBe("10 marks read, 30 Nov 2026 to 4 Dec 2026: 10 new, 0 amended, 0 unchanged");
    expect(await page.getByTestId("import-amended-reach").textContent()).toBe(
      "2 new marks dated in a period already ended, the earliest on Mon 30 Nov 2026: the figures of these packs may have changed since a copy was made — the SLT pack for November 2026.",
    );
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
