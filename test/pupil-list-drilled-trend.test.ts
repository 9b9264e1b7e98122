/**
 * Trial fault (Pupils page drilled to a weekday): the figures and flags counted the drilled
 * sessions alone ("missed 10% or more of these sessions (Fridays)"), but the Trend column
 * compared whole weeks, the "falling only" filter read that, and the attendance filter still
 * offered "Persistently absent (attendance 90% or below)". Now the trend compares the drilled
 * sessions only (Fridays in the last four weeks against Fridays in the four before), one day's
 * or one week's sessions have no trend, and the filter's words are the flags'.
 * Hand-built register, school days Mon 1 Sep – Fri 17 Oct 2025 (35), real SQL on DuckDB.
 * The trend's windows at 17 Oct: the four school weeks 22 Sep – 17 Oct (20 school days) against
 * the three before, 1–19 Sep (15: the calendar has no earlier week).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import type { MeasureQuery } from "../analytics/measures.ts";
import { pupilList, type PupilListOptions } from "../analytics/pupil-list.ts";
import { attendanceFilterOptions, describeAttendanceFilter } from "../app/lib/pupil-filters.ts";
import { schoolWeekWindows, type SchoolWeekWindows } from "../analytics/register-windows.ts";
import { TREND_SCHOOL_WEEKS } from "../analytics/pupil-list.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { absentDays, registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("pupil-list-drilled-trend");
const PERIOD: MeasureQuery = { from: "2025-09-01", to: "2025-10-17" };
let windows: SchoolWeekWindows;

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [{ from: "2025-09-01", to: "2025-10-17", half: "autumn-1-2025", term: "autumn-2025" }]);
    const friday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay() === 5;
    const monday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay() === 1;
    await seedRegister(c, {
      pupils: [{ upn: "F", admission_date: "2025-09-01" }, { upn: "M", admission_date: "2025-09-01" }],
      marks: [
        // F: ill on the mornings of the four Fridays of the recent window (26 Sep, 3, 10,
        // 17 Oct), else present.
        ...registerOf("F", days, Object.fromEntries(days.filter((d) => friday(d) && d >= "2025-09-22").map((d) => [d, ["I", "/"]]))),
        // M: ill on the three Mondays of the earlier window (1, 8, 15 Sep), else present.
        ...registerOf("M", days, absentDays(days.filter((d) => monday(d) && d <= "2025-09-19"))),
      ],
    });
    windows = await schoolWeekWindows(c, "2025-10-17", TREND_SCHOOL_WEEKS);
  });
  expect(windows).toEqual({ recent: { from: "2025-09-22", to: "2025-10-17" }, earlier: { from: "2025-09-01", to: "2025-09-19" } });
});
afterAll(() => removeDb(db));

const list = (query: MeasureQuery, options: Partial<PupilListOptions> = {}) =>
  withConnection(db, (c) => pupilList(c, query, { trend: windows, pageSize: null, ...options })).then((l) => Object.fromEntries(l.rows.map((r) => [r.upn, r])));

describe("the Trend column of a drilled list compares the drilled sessions", () => {
  it("undrilled: whole days (F 36 of 40 sessions, 90 %, against 100 %: −10 pts; M 100 % against 24 of 30, 80 %: +20)", async () => {
    const rows = await list(PERIOD);
    expect(rows.F.trend_pts).toBeCloseTo(-10, 10);
    expect(rows.M.trend_pts).toBeCloseTo(20, 10);
  });

  it("drilled to Fridays: F 4 of 8 Friday sessions against 6 of 6 (50 % against 100 %: −50 pts); M steady (100 % both)", async () => {
    const rows = await list({ ...PERIOD, slice: { by: "weekday", value: "Friday" } }, { trendSlice: { by: "weekday", value: "Friday" } });
    expect(rows.F.trend_pts).toBe(-50);
    expect(rows.M.trend_pts).toBe(0);
    // The figures and flags on Fridays: F missed 4 of 14 Friday sessions (10%+, not 50%+).
    expect(rows.F).toMatchObject({ possible_sessions: 14, is_pa: true, is_sa: false });
    expect(rows.M).toMatchObject({ possible_sessions: 14, is_pa: false });
  });

  it("drilled to Mondays: the 'persistently absent' filter and 'falling only' read Mondays", async () => {
    const slice = { by: "weekday" as const, value: "Monday" };
    // M missed 6 of 14 Monday sessions (10%+), though 6 of 70 (8.6 %) over the whole period.
    expect(Object.keys(await list({ ...PERIOD, slice }, { trendSlice: slice, attendance: { kind: "pa" } }))).toEqual(["M"]);
    // Over whole days neither is (M 6 of 70, F 4 of 70).
    expect(Object.keys(await list(PERIOD, { attendance: { kind: "pa" } }))).toEqual([]);
    // Falling on Mondays: nobody (M rose from 0 % to 100 %: +100; F steady).
    const rising = await list({ ...PERIOD, slice }, { trendSlice: slice });
    expect(rising.M.trend_pts).toBe(100);
    expect(Object.keys(await list({ ...PERIOD, slice }, { trendSlice: slice, fallingOnly: true }))).toEqual([]);
    // Whole days: F is falling (−10).
    expect(Object.keys(await list(PERIOD, { fallingOnly: true }))).toEqual(["F"]);
  });

  it("drilled to mornings: AM sessions only (F 16 of 20 mornings against 15 of 15: −20 pts)", async () => {
    const slice = { by: "session" as const, value: "AM" };
    expect((await list({ ...PERIOD, slice }, { trendSlice: slice })).F.trend_pts).toBe(-20);
  });

  it("one day's sessions: no trend", async () => {
    const rows = await list({ ...PERIOD, slice: { by: "date", value: "2025-10-17" } }, { trend: null });
    expect(rows.F.trend_pts).toBeNull();
    expect(rows.M.trend_pts).toBeNull();
  });
});

describe("the attendance filter's words on a drilled list are the flags'", () => {
  it("names these sessions, not persistent absence", () => {
    const labels = attendanceFilterOptions([96, 90], "Fridays").map((o) => o.label);
    expect(labels).toEqual([
      "Any attendance",
      "Missed 10% or more of these sessions (Fridays)",
      "Missed half or more of these sessions (Fridays)",
      "Attendance on these sessions (Fridays) under 96% (96% exactly not included)",
      "Attendance on these sessions (Fridays) under 90% (90% exactly not included)",
    ]);
    expect(describeAttendanceFilter("pa", [96, 90], "Fridays")).toBe("missed 10% or more of these sessions (Fridays)");
    expect(attendanceFilterOptions([96, 90])[1].label).toBe("Persistently absent (attendance 90% or below)");
  });
});
