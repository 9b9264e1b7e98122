/**
 * The Casework page as of a past date knows the amendments made since (a fresh-clone trial:
 * /casework?asOf=2026-11-30, opened on 7 Dec, listed a 96 % letter as Late that the register
 * first showed on 7 Dec). A school of its own, today Mon 7 Dec 2026: the register to Fri 27 Nov,
 * then the weekly import made on 7 Dec, the week of 30 Nov – 4 Dec with pupil 1's 13–16 Oct
 * amended to O (8 sessions: below 96 % from Wed 14 Oct, 60/64 = 93.75 %;
 * analytics/interventions/register-showed.ts, test/ladder-register-showed-past.test.ts).
 * As of 30 Nov the letter is not yet due, dated from 7 Dec; as of 7 Dec it is due from then.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initSchool } from "../../analytics/cli/commands/init.ts";
import { importFiles } from "../../analytics/import/index.ts";
import { withConnection } from "../../analytics/db.ts";
import { BY, marksCsv, pupil, pupilsCsv, upn } from "../fixtures/import/helpers.ts";
import { startSignedInApp, type AppSession } from "../helpers/app-session.ts";
import { weekdays } from "../helpers/calendar.ts";
import { bothSessions, dateImportMade } from "../helpers/ladder.ts";

const TODAY = "2026-12-07";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-casework-not-yet-due-"));
const db = path.join(dir, "school.duckdb");
let app: AppSession;

const present = (u: string, days: string[]) => bothSessions(u, days, "/").map(([p, d, s, code]) => [p, d, s, s === "PM" ? "\\" : code]);

beforeAll(async () => {
  await initSchool(db, { school: "Brook Lane Primary", urn: "123456" });
  const file = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const calendar = file("calendar.csv", "kind,name,start_date,end_date\nhalf_term,autumn-1,2026-09-01,2026-10-23\nhalf_term,autumn-2,2026-11-02,2026-12-18\n");
  const upTo27 = [...weekdays("2026-09-01", "2026-10-23"), ...weekdays("2026-11-02", "2026-11-27")];
  const pupils = [upn(1), upn(2)];
  await importFiles(db, { calendar, pupils: file("pupils.csv", pupilsCsv([pupil(1), pupil(2)])), marks: file("marks.csv", marksCsv(pupils.flatMap((u) => present(u, upTo27)))) }, { by: BY, asOf: "2026-11-27" });
  const week = marksCsv([...pupils.flatMap((u) => present(u, weekdays("2026-11-30", "2026-12-04"))), ...bothSessions(upn(1), weekdays("2026-10-13", "2026-10-16"), "O")]);
  const [summary] = await importFiles(db, { marks: file("week.csv", week) }, { by: BY, asOf: TODAY });
  expect(summary.amended).toBe(8);
  await withConnection(db, (c) => dateImportMade(c, summary.importId!, TODAY));
  app = await startSignedInApp(db, "attendance_lead", { ROLLCALL_TODAY: TODAY });
});

afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Pupil 1's due cell on the list below 96 % as of `asOf`: its status and its words. */
async function dueCell(asOf: string): Promise<[string, string]> {
  const page = await app.context.newPage();
  await page.goto(`${app.url}/casework?rule=attendance_below_96&asOf=${asOf}`, { waitUntil: "networkidle" });
  const cell = page.locator(`#attendance_below_96 tr[data-upn="${upn(1)}"] td[data-col=due]`);
  const shown: [string, string] = [(await cell.getAttribute("data-status")) ?? "", ((await cell.textContent()) ?? "").replace(/\s+/g, " ").trim()];
  await page.close();
  return shown;
}

describe("the Casework page as of a past date", () => {
  it("lists a step the register first showed after that date as not yet due, with the day shown", async () => {
    expect(await dueCell("2026-11-30")).toEqual([
      "not yet due",
      "14 Dec 2026 Not yet due as of 30 Nov 2026 Due from 7 Dec 2026, when the register first showed it; the line was crossed on 14 Oct 2026.",
    ]);
    // Due from today, the day viewed: the badge names the date, the sentence says "today" (trial 50
    // item 5; not "that day", read as the due-by date before it: trial 50b).
    expect(await dueCell(TODAY)).toEqual([
      "due",
      "14 Dec 2026 Due as of 7 Dec 2026 Due from today, when the register first showed it; the line was crossed on 14 Oct 2026.",
    ]);
  });
});
