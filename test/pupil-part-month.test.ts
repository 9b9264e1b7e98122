/**
 * The pupil page's monthly chart: a month the figure covers only part of (the period ends on
 * its first school day, or the pupil joined or left in it) is shown as part of a month, with
 * how many of its school days it covers, not as a month's attendance.
 *
 * Register by hand: school days are every weekday from 2 September to 20 December 2024
 * (September 21, October 23, November 21, December 15). Pupil P is present every day to
 * 29 November and off ill (I) on Monday 2 December; Q joins on 16 September. The period is
 * 2 September – 2 December 2024 (91 days: by month), so December is 1 of its 15 school days,
 * at 0 % attendance; for Q, September is 11 of its 21. R is on roll all autumn but marked on
 * 6 of November's 21 school days (12 of 42 sessions): November is no whole month either.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { monthCoverage } from "../analytics/pupil.ts";
import { loader as pupilLoader } from "../app/routes/pupils.$upn.tsx";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { loaderData } from "./helpers/loader.ts";
import { seedPartMonthRegister } from "./helpers/part-month-register.ts";

const db = tempDbPath("pupil-part-month");
let slt: TestAccount;
const savedToday = process.env.ROLLCALL_TODAY;

beforeAll(async () => {
  await withConnection(db, seedPartMonthRegister);
  slt = (await createTestAccounts(db)).slt;
  // The afternoon of Mon 2 Dec, both registers closed: the day's marks are in and its gaps due
  // (at 00:00 none of the day's sessions is due, so S's 2 December would not be unmarked yet).
  process.env.ROLLCALL_TODAY = "2024-12-02T16:00";
});
afterAll(async () => {
  if (savedToday === undefined) delete process.env.ROLLCALL_TODAY;
  else process.env.ROLLCALL_TODAY = savedToday;
  await removeDb(db);
});

type Page = {
  grain: string;
  unmarkedDays: number;
  measures: { attendance_pct: number | null; possible_sessions: number };
  overTime: Array<{ group: string; attendance_pct: number | null; possible_sessions: number; part: { covered: number; schoolDays: number; marked?: { sessions: number; sessionsExpected: number; unmarkedDays: number }; words: string; note: string } | null }>;
};
const url = (upn: string) => `/pupils/${upn}?period=custom&from=2024-09-02&to=2024-12-02`;

describe("a part month on the pupil page's chart", () => {
  it("December, 1 of its 15 school days, is marked as part of a month; whole months are not", async () => {
    const page = await loaderData<Page>((args) => pupilLoader({ ...args, params: { upn: "P" } }), db, slt.cookie, url("P"));
    expect(page.grain).toBe("month");
    expect(page.overTime.map((m) => [m.group, m.attendance_pct, m.possible_sessions, m.part])).toEqual([
      ["2024-09", 100, 42, null],
      ["2024-10", 100, 46, null],
      ["2024-11", 100, 42, null],
      ["2024-12", 0, 2, { covered: 1, schoolDays: 15, words: "1 of its 15 school days", note: "covers 1 of its 15 school days, so its figure is of those days only" }],
    ]);
    expect(page.unmarkedDays).toBe(0);
  });

  it("a pupil who joined mid-month: September is the 11 of its 21 school days they were on roll", async () => {
    const page = await loaderData<Page>((args) => pupilLoader({ ...args, params: { upn: "Q" } }), db, slt.cookie, url("Q"));
    expect(page.overTime[0]).toEqual(expect.objectContaining({ group: "2024-09", possible_sessions: 22, part: { covered: 11, schoolDays: 21, words: "11 of its 21 school days", note: "covers 11 of its 21 school days, so its figure is of those days only" } }));
  });

  it("a month on roll throughout but marked on 6 of its 21 school days is no whole month: R's November, 12 of 42 sessions marked, 15 school days unmarked", async () => {
    const page = await loaderData<Page>((args) => pupilLoader({ ...args, params: { upn: "R" } }), db, slt.cookie, url("R"));
    expect(page.overTime.map((m) => [m.group, m.attendance_pct, m.possible_sessions, m.part])).toEqual([
      ["2024-09", 100, 42, null],
      ["2024-10", 100, 46, null],
      // A trial's pupil read "83.3 %, 12 possible, Whole month" over 15 unmarked school days.
      ["2024-11", 100, 12, { covered: 21, schoolDays: 21, marked: { sessions: 12, sessionsExpected: 42, unmarkedDays: 15 }, words: "12 of 42 sessions marked; 15 school days unmarked — see Register checks", note: "has 12 of 42 sessions marked (15 school days unmarked), so its figure is of those sessions only" }],
      ["2024-12", 100, 2, { covered: 1, schoolDays: 15, words: "1 of its 15 school days", note: "covers 1 of its 15 school days, so its figure is of those days only" }],
    ]);
    expect(page.unmarkedDays).toBe(15);
    const months = await withConnection(db, (c) => monthCoverage(c, { from: "2024-11-01", to: "2024-11-30" }, "R"));
    expect(months).toEqual([{ month: "2024-11", covered: 21, schoolDays: 21, partial: false, marked: { sessions: 12, sessionsExpected: 42, unmarkedDays: 15 } }]);
  });

  it("days after the register's last marked day (2 Dec: today before its registers are taken) are no pupil's gap", async () => {
    // P is marked every school day to 2 Dec, the last day anyone is marked; 3–6 Dec are in the span, unmarked for all.
    const months = await withConnection(db, (c) => monthCoverage(c, { from: "2024-12-01", to: "2024-12-06" }, "P"));
    expect(months).toEqual([{ month: "2024-12", covered: 5, schoolDays: 15, partial: true, marked: { sessions: 2, sessionsExpected: 2, unmarkedDays: 0 } }]);
  });

  it("a month on roll with no mark at all has its row: S, marked in September and October only, has November (0 of 42 sessions marked) and December (1 of its 15 school days, 0 of 2 marked), and 22 unmarked days beside 88 of 88", async () => {
    const page = await loaderData<Page>((args) => pupilLoader({ ...args, params: { upn: "S" } }), db, slt.cookie, url("S"));
    // A trial's pupil read "100.0 %, 72 of 72" with no November or December row at all.
    expect(page.measures).toEqual(expect.objectContaining({ attendance_pct: 100, possible_sessions: 88 }));
    expect(page.overTime.map((m) => [m.group, m.attendance_pct, m.possible_sessions, m.part])).toEqual([
      ["2024-09", 100, 42, null],
      ["2024-10", 100, 46, null],
      ["2024-11", null, 0, { covered: 21, schoolDays: 21, marked: { sessions: 0, sessionsExpected: 42, unmarkedDays: 21 }, words: "0 of 42 sessions marked; 21 school days unmarked — see Register checks", note: "has no marks (0 of 42 sessions; 21 school days unmarked), so no figure" }],
      ["2024-12", null, 0, { covered: 1, schoolDays: 15, marked: { sessions: 0, sessionsExpected: 2, unmarkedDays: 1 }, words: "1 of its 15 school days; 0 of 2 sessions marked; 1 school day unmarked — see Register checks", note: "covers 1 of its 15 school days and has no marks (0 of 2 sessions; 1 school day unmarked), so no figure" }],
    ]);
    expect(page.unmarkedDays).toBe(22);
  });

  it("by week too (a period under 84 days): every week on roll has its row, S's unmarked weeks and R's week of one marked day said; a whole week marked has no words", async () => {
    const weeks = "?period=custom&from=2024-10-21&to=2024-11-15";
    const s = await loaderData<Page>((args) => pupilLoader({ ...args, params: { upn: "S" } }), db, slt.cookie, `/pupils/S${weeks}`);
    expect(s.grain).toBe("week");
    expect(s.overTime.map((w) => [w.group, w.attendance_pct, w.possible_sessions, w.part?.words ?? null])).toEqual([
      ["2024-10-21", 100, 10, null],
      // 28 Oct – 1 Nov: marked 28–31 Oct, not Friday 1 November.
      ["2024-10-28", 100, 8, "8 of 10 sessions marked; 1 school day unmarked — see Register checks"],
      ["2024-11-04", null, 0, "0 of 10 sessions marked; 5 school days unmarked — see Register checks"],
      ["2024-11-11", null, 0, "0 of 10 sessions marked; 5 school days unmarked — see Register checks"],
    ]);
    expect(s.unmarkedDays).toBe(11);
    // Each week's note says its own case: some sessions marked (a figure of those only), or none (no figure).
    expect(s.overTime.map((w) => w.part?.note ?? null)).toEqual([
      null,
      "has 8 of 10 sessions marked (1 school day unmarked), so its figure is of those sessions only",
      "has no marks (0 of 10 sessions; 5 school days unmarked), so no figure",
      "has no marks (0 of 10 sessions; 5 school days unmarked), so no figure",
    ]);
    const r = await loaderData<Page>((args) => pupilLoader({ ...args, params: { upn: "R" } }), db, slt.cookie, `/pupils/R${weeks}`);
    expect(r.overTime.map((w) => [w.group, w.possible_sessions, w.part?.words ?? null])).toEqual([
      ["2024-10-21", 10, null],
      // R's November marks start on Monday 4th: Friday 1 November is unmarked for R too.
      ["2024-10-28", 8, "8 of 10 sessions marked; 1 school day unmarked — see Register checks"],
      ["2024-11-04", 10, null],
      ["2024-11-11", 2, "2 of 10 sessions marked; 4 school days unmarked — see Register checks"],
    ]);
  });

  it("monthCoverage counts each month's school days inside the span and in the whole month", async () => {
    const months = await withConnection(db, (c) => monthCoverage(c, { from: "2024-09-16", to: "2024-12-02" }));
    expect(months).toEqual([
      { month: "2024-09", covered: 11, schoolDays: 21, partial: true },
      { month: "2024-10", covered: 23, schoolDays: 23, partial: false },
      { month: "2024-11", covered: 21, schoolDays: 21, partial: false },
      { month: "2024-12", covered: 1, schoolDays: 15, partial: true },
    ]);
  });

  it("at 00:00 on Wed 4 Dec (marks to Mon 2 Dec) the month to date covers 2 and 3 Dec, not today: no register of today has closed", async () => {
    process.env.ROLLCALL_TODAY = "2024-12-04";
    try {
      const page = await loaderData<Page>((args) => pupilLoader({ ...args, params: { upn: "P" } }), db, slt.cookie, "/pupils/P?period=custom&from=2024-09-02&to=2024-12-04");
      expect(page.overTime.at(-1)).toEqual(expect.objectContaining({ group: "2024-12", part: expect.objectContaining({ covered: 2, schoolDays: 15, words: "2 of its 15 school days" }) }));
      // After 09:30 today's morning register has closed: today is part of the month to date.
      process.env.ROLLCALL_TODAY = "2024-12-04T09:30";
      const later = await loaderData<Page>((args) => pupilLoader({ ...args, params: { upn: "P" } }), db, slt.cookie, "/pupils/P?period=custom&from=2024-09-02&to=2024-12-04");
      expect(later.overTime.at(-1)?.part?.covered).toBe(3);
    } finally {
      process.env.ROLLCALL_TODAY = "2024-12-02T16:00";
    }
  });
});
