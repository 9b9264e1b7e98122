/**
 * A pupil's trend needs at least half of each window's school sessions marked
 * (analytics/pupil-list-columns.ts TREND_MIN_MARKED_SHARE). A fresh-clone trial: a pupil whose
 * marks stopped read "▼ Down 20.0 pts" from 10 sessions of the last four weeks' 40 and was
 * picked by "only pupils whose attendance is falling".
 * Hand-built register, school days Mon 1 Sep – Fri 17 Oct 2025 (35), real SQL on DuckDB. The
 * windows at 17 Oct: the four school weeks 22 Sep – 17 Oct (20 school days, 40 sessions; 8
 * Friday sessions; 20 mornings) against 1–19 Sep (15 days, 30 sessions; 6 Friday sessions; 15
 * mornings), every pupil present on every marked session but:
 *
 *   S  marks stop after Fri 26 Sep; ill Fri 26 Sep (2 sessions). Recent 8 of 10 (80 %)
 *      against 30 of 30: −20 points from 10 of 40 sessions → too few, not falling.
 *   H  marked 22 Sep – 3 Oct only (10 days, 20 of 40 sessions: half exactly); ill both
 *      Fridays 26 Sep and 3 Oct: 16 of 20 (80 %) against 100 %: −20 → judged, falling.
 *      Fridays: 0 of 4 (half of 8) against 6 of 6: −100. Mornings: 8 of 10 (half of 20): −20.
 *   L  as H but no PM mark on Fri 3 Oct: 19 of 40 → too few (15 of 19, 78.9 %, would be −21.1).
 *      Fridays: 3 of 8 → too few. Mornings: 10 of 20 → judged, 8 of 10: −20.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import type { MeasureQuery } from "../analytics/measures.ts";
import { pupilList, TREND_SCHOOL_WEEKS, type PupilListOptions } from "../analytics/pupil-list.ts";
import { trendJudged } from "../analytics/pupil-list-columns.ts";
import { schoolWeekWindows, type SchoolWeekWindows } from "../analytics/register-windows.ts";
import { pupilListCsv } from "../app/lib/pupil-csv.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("trend-too-few-marks");
const PERIOD: MeasureQuery = { from: "2025-09-01", to: "2025-10-17" };
let windows: SchoolWeekWindows;

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [{ from: "2025-09-01", to: "2025-10-17", half: "autumn-1-2025", term: "autumn-2025" }]);
    const ill: [string, string] = ["I", "I"];
    await seedRegister(c, {
      pupils: ["S", "H", "L"].map((upn) => ({ upn, admission_date: "2025-09-01" })),
      marks: [
        ...registerOf("S", days.filter((d) => d <= "2025-09-26"), { "2025-09-26": ill }),
        ...registerOf("H", days.filter((d) => d <= "2025-10-03"), { "2025-09-26": ill, "2025-10-03": ill }),
        ...registerOf("L", days.filter((d) => d <= "2025-10-03"), { "2025-09-26": ill, "2025-10-03": ["I", null] }),
      ],
    });
    windows = await schoolWeekWindows(c, "2025-10-17", TREND_SCHOOL_WEEKS);
  });
  expect(windows).toEqual({ recent: { from: "2025-09-22", to: "2025-10-17" }, earlier: { from: "2025-09-01", to: "2025-09-19" } });
});
afterAll(() => removeDb(db));

const list = (query: MeasureQuery, options: Partial<PupilListOptions> = {}) =>
  withConnection(db, (c) => pupilList(c, query, { trend: windows, pageSize: null, ...options }));
const byUpn = async (query: MeasureQuery, options: Partial<PupilListOptions> = {}) => Object.fromEntries((await list(query, options)).rows.map((r) => [r.upn, r]));

describe("a trend needs half of each window's school sessions marked", () => {
  it("whole days: S (10 of 40) and L (19 of 40) have none; H (20 of 40) has −20", async () => {
    const rows = await byUpn(PERIOD);
    expect(rows.S.trend_pts).toBeNull();
    expect(rows.S.trend_marked).toEqual({ recent: 10, recent_school: 40, recent_on_roll: 40, earlier: 30, earlier_school: 30, earlier_on_roll: 30 });
    expect(rows.L.trend_pts).toBeNull();
    expect(rows.L.trend_marked).toEqual({ recent: 19, recent_school: 40, recent_on_roll: 40, earlier: 30, earlier_school: 30, earlier_on_roll: 30 });
    expect(rows.H.trend_pts).toBeCloseTo(-20, 10);
    expect([rows.S, rows.H, rows.L].map((r) => trendJudged(r.trend_marked))).toEqual([false, true, false]);
  });

  it("'falling only' picks H alone", async () => {
    expect((await list(PERIOD, { fallingOnly: true })).rows.map((r) => r.upn)).toEqual(["H"]);
  });

  it("drilled to Fridays (8 sessions a window): H 4 of 8 judged (−100), L 3 of 8 and S 2 of 8 not", async () => {
    const slice = { by: "weekday" as const, value: "Friday" };
    const rows = await byUpn({ ...PERIOD, slice }, { trendSlice: slice });
    expect(rows.H.trend_pts).toBe(-100);
    expect(rows.H.trend_marked).toEqual({ recent: 4, recent_school: 8, recent_on_roll: 8, earlier: 6, earlier_school: 6, earlier_on_roll: 6 });
    expect(rows.L.trend_pts).toBeNull();
    expect(rows.S.trend_pts).toBeNull();
    expect((await list({ ...PERIOD, slice }, { trendSlice: slice, fallingOnly: true })).rows.map((r) => r.upn)).toEqual(["H"]);
  });

  it("drilled to mornings (20 a window): H and L 10 of 20 judged (−20), S 5 of 20 not", async () => {
    const slice = { by: "session" as const, value: "AM" };
    const rows = await byUpn({ ...PERIOD, slice }, { trendSlice: slice });
    expect(rows.H.trend_pts).toBeCloseTo(-20, 10);
    expect(rows.L.trend_pts).toBeCloseTo(-20, 10);
    expect(rows.L.trend_marked).toEqual({ recent: 10, recent_school: 20, recent_on_roll: 20, earlier: 15, earlier_school: 15, earlier_on_roll: 15 });
    expect(rows.S.trend_pts).toBeNull();
  });

  it("the CSV says why, from the same rows", async () => {
    const csv = pupilListCsv((await list(PERIOD)).rows).trim().split(/\r?\n/);
    expect(csv[0]).toMatch(/,Trend \(points\),Judged,Unmarked school days,Trend judged$/);
    const line = (upn: string) => csv.find((l) => l.startsWith(`${upn},`)) ?? "";
    expect(line("S")).toMatch(/,,yes,5,"no: too few marked sessions to judge: 10 of 40 sessions marked in the last four school weeks, 30 of 30 in the four before \(a trend needs half of each\)"$/);
    expect(line("H")).toMatch(/,-20\.0,yes,0,yes$/);
  });
});
