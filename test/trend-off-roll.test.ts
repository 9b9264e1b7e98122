/**
 * A pupil who left or joined has a trend judged on the sessions they were on roll for, and one
 * on roll for none of a window's sessions reads why (not "Too few marks to judge: 0 of 40
 * sessions marked", as if their marks were missing). Hand-built register, school days Mon 1 Sep
 * – Fri 17 Oct 2025 (35), real SQL on DuckDB. The windows at 17 Oct: 22 Sep – 17 Oct (20 days,
 * 40 sessions) against 1–19 Sep (15 days, 30 sessions); every pupil present on each day marked:
 *
 *   G  left Fri 19 Sep, marked to then: recent 0 of 0 on roll (40 school sessions), earlier
 *      30 of 30 → no trend: "Left 19 Sep 2025: not on roll for the last four school weeks".
 *   J  joined Mon 22 Sep, marked from then: earlier 0 on roll → "Joined 22 Sep 2025: not on
 *      roll for the four school weeks before".
 *   M  left Thu 2 Oct, marked to then (9 days, 18 sessions on roll), ill Thu 2 Oct: 16 of 18
 *      (88.9 %) against 30 of 30 → −11.1 points, judged and falling (against the school's 40
 *      sessions, 18 marked was under half: no trend before on-roll sessions were counted).
 *   P  joined Mon 15 Sep (5 days, 10 sessions on roll in the earlier window), marked 15–16 Sep
 *      and every recent day: 4 of 10 → too few marks, said of the sessions on roll.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import type { MeasureQuery } from "../analytics/measures.ts";
import { pupilList, TREND_SCHOOL_WEEKS, type PupilListOptions, type PupilListRow } from "../analytics/pupil-list.ts";
import { trendJudged } from "../analytics/pupil-list-columns.ts";
import { schoolWeekWindows, type SchoolWeekWindows } from "../analytics/register-windows.ts";
import { pupilListCsv } from "../app/lib/pupil-csv.ts";
import { Trend } from "../app/components/PupilTable.tsx";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("trend-off-roll");
const PERIOD: MeasureQuery = { from: "2025-09-01", to: "2025-10-17" };
let windows: SchoolWeekWindows;

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [{ from: "2025-09-01", to: "2025-10-17", half: "autumn-1-2025", term: "autumn-2025" }]);
    await seedRegister(c, {
      pupils: [
        { upn: "G", admission_date: "2025-09-01", leaving_date: "2025-09-19" },
        { upn: "J", admission_date: "2025-09-22" },
        { upn: "M", admission_date: "2025-09-01", leaving_date: "2025-10-02" },
        { upn: "P", admission_date: "2025-09-15" },
      ],
      marks: [
        ...registerOf("G", days.filter((d) => d <= "2025-09-19")),
        ...registerOf("J", days.filter((d) => d >= "2025-09-22")),
        ...registerOf("M", days.filter((d) => d <= "2025-10-02"), { "2025-10-02": ["I", "I"] }),
        ...registerOf("P", days.filter((d) => d === "2025-09-15" || d === "2025-09-16" || d >= "2025-09-22")),
      ],
    });
    windows = await schoolWeekWindows(c, "2025-10-17", TREND_SCHOOL_WEEKS);
  });
  expect(windows).toEqual({ recent: { from: "2025-09-22", to: "2025-10-17" }, earlier: { from: "2025-09-01", to: "2025-09-19" } });
});
afterAll(() => removeDb(db));

const list = (options: Partial<PupilListOptions> = {}) => withConnection(db, (c) => pupilList(c, PERIOD, { trend: windows, pageSize: null, ...options }));
const byUpn = async () => Object.fromEntries((await list()).rows.map((r) => [r.upn, r])) as Record<string, PupilListRow>;
const cell = (row: PupilListRow) => renderToStaticMarkup(createElement(Trend, { points: row.trend_pts, marked: row.trend_marked, roll: row })).replace(/<[^>]+>/g, "");

describe("a trend counts only the sessions a pupil was on roll for", () => {
  it("the sessions on roll beside the school's in each window", async () => {
    const rows = await byUpn();
    expect(rows.G.trend_marked).toEqual({ recent: 0, recent_school: 40, recent_on_roll: 0, earlier: 30, earlier_school: 30, earlier_on_roll: 30 });
    expect(rows.J.trend_marked).toEqual({ recent: 40, recent_school: 40, recent_on_roll: 40, earlier: 0, earlier_school: 30, earlier_on_roll: 0 });
    expect(rows.M.trend_marked).toEqual({ recent: 18, recent_school: 40, recent_on_roll: 18, earlier: 30, earlier_school: 30, earlier_on_roll: 30 });
    expect(rows.P.trend_marked).toEqual({ recent: 40, recent_school: 40, recent_on_roll: 40, earlier: 4, earlier_school: 30, earlier_on_roll: 10 });
    expect(["G", "J", "M", "P"].map((upn) => trendJudged(rows[upn].trend_marked))).toEqual([false, false, true, false]);
  });

  it("a leaver with enough of their own sessions marked has a trend: M −11.1 points, and 'falling only' picks M alone", async () => {
    const rows = await byUpn();
    expect(rows.M.trend_pts).toBeCloseTo(100 * (16 / 18) - 100, 10);
    expect([rows.G.trend_pts, rows.J.trend_pts, rows.P.trend_pts]).toEqual([null, null, null]);
    expect((await list({ fallingOnly: true })).rows.map((r) => r.upn)).toEqual(["M"]);
  });

  it("the list's cell says the pupil left or joined, not that marks are missing", async () => {
    const rows = await byUpn();
    expect(cell(rows.G)).toBe("Left 19 Sep 2025: not on roll for the last four school weeks");
    expect(cell(rows.J)).toBe("Joined 22 Sep 2025: not on roll for the four school weeks before");
    expect(cell(rows.P)).toBe("Too few marks to judge");
    expect(cell(rows.M)).toBe("▼ Down 11.1 pts");
  });

  it("the CSV's 'Trend judged' column says the same", async () => {
    const csv = pupilListCsv((await list()).rows).trim().split(/\r?\n/);
    const judged = (upn: string) => (csv.find((l) => l.startsWith(`${upn},`)) ?? "").replace(/^.*,(yes|no),\d+,/, "");
    expect(judged("G")).toBe("no: left 19 Sep 2025: not on roll for the last four school weeks");
    expect(judged("J")).toBe("no: joined 22 Sep 2025: not on roll for the four school weeks before");
    expect(judged("M")).toBe("yes");
    expect(judged("P")).toBe('"no: too few marked sessions to judge: 40 of 40 sessions on roll marked in the last four school weeks, 4 of 10 in the four before (a trend needs half of each)"');
  });
});
