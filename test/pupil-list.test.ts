/**
 * The Pupils list paged and sorted in SQL (analytics/pupil-list.ts), on a register worked by
 * hand: two school weeks, 6–10 and 13–17 January 2025, 10 sessions a week.
 *
 *   UPN  pupil        absent wk1  absent wk2  attendance        trend (wk2 − wk1)
 *   P5   Ames, Cal        5           5       10/20 = 50 %  SA        0
 *   Z1   Adams, Zoe       0           4       16/20 = 80 %  PA      −40
 *   B9   Brown, Amy       2           2       80 %          PA        0
 *   B1   Brown, Amy       4           0       80 %          PA      +40
 *   P4   Clark, Ben       1           1       18/20 = 90 %  PA (exactly 10 %)  0
 *   P6   Zed, Dan         0           0       100 %                  0
 *   P7   Young, Eve       no marks            —                      —
 *
 * By attendance, lowest first: Ames (50); the three at 80 % by surname, forename, then UPN
 * (Adams Zoe, Brown Amy B1, Brown Amy B9); Clark (90); Zed (100); Young last (no figure).
 * Pages of 2: [P5, Z1], [B1, B9], [P4, P6], [P7].
 *
 * The same register's casework lists as of 17 January 2025 (year to date = these two
 * weeks), worst first, ties by surname, forename, UPN:
 *   persistent_absence (absence ≥ 10 %): Ames 50, Adams 20, Brown B1 20, Brown B9 20, Clark 10
 *   attendance_below_85 (< 85 %):        Ames 50, Adams 80, Brown B1 80, Brown B9 80
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { buildPolicy, DEFAULT_POLICY_NUMBERS } from "../analytics/casework/policy.ts";
import { caseworkCounts, caseworkLists } from "../analytics/casework/lists.ts";
import type { CaseworkSort } from "../analytics/casework/list-columns.ts";
import { readPaging } from "../analytics/list-paging.ts";
import { pupilMeasures } from "../analytics/measures.ts";
import { PUPIL_SORT_COLUMNS, type PupilSort } from "../analytics/pupil-list-columns.ts";
import { pupilList, type PupilListOptions } from "../analytics/pupil-list.ts";
import { seedRegister, type TestMark } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("pupil-list");
const WEEK1 = ["2025-01-06", "2025-01-07", "2025-01-08", "2025-01-09", "2025-01-10"];
const WEEK2 = ["2025-01-13", "2025-01-14", "2025-01-15", "2025-01-16", "2025-01-17"];
const PERIOD = { from: "2025-01-06", to: "2025-01-17" };
// The same two weeks' marks again in December, outside the Pupils list's period: a casework
// rule judges a pupil on a rate only from 40 possible sessions this year (analytics/
// judged-span.ts), and with them each pupil has 40, at the same rates (the casework lists
// read 2 weeks, 20 sessions, before the rule).
const DEC1 = ["2024-12-02", "2024-12-03", "2024-12-04", "2024-12-05", "2024-12-06"];
const DEC2 = ["2024-12-09", "2024-12-10", "2024-12-11", "2024-12-12", "2024-12-13"];
const TREND: PupilListOptions["trend"] = { recent: { from: "2025-01-13", to: "2025-01-17" }, earlier: { from: "2025-01-06", to: "2025-01-10" } };

/** A week of marks with the first `absent` sessions illness (I), the rest present. */
function week(upn: string, days: string[], absent: number): TestMark[] {
  return days.flatMap((date, i) => [
    [upn, date, "AM", 2 * i < absent ? "I" : "/"],
    [upn, date, "PM", 2 * i + 1 < absent ? "I" : "\\"],
  ] as TestMark[]);
}

const PUPILS: Array<[upn: string, surname: string, forename: string, wk1: number, wk2: number]> = [
  ["P5", "Ames", "Cal", 5, 5],
  ["Z1", "Adams", "Zoe", 0, 4],
  ["B9", "Brown", "Amy", 2, 2],
  ["B1", "Brown", "Amy", 4, 0],
  ["P4", "Clark", "Ben", 1, 1],
  ["P6", "Zed", "Dan", 0, 0],
];

beforeAll(async () => {
  await withConnection(db, (c) =>
    seedRegister(c, {
      pupils: [...PUPILS.map(([upn, surname, forename]) => ({ upn, surname, forename })), { upn: "P7", surname: "Young", forename: "Eve" }],
      marks: PUPILS.flatMap(([upn, , , wk1, wk2]) => [...week(upn, DEC1, wk1), ...week(upn, DEC2, wk2), ...week(upn, WEEK1, wk1), ...week(upn, WEEK2, wk2)]),
    }),
  );
});
afterAll(() => removeDb(db));

const list = (options: Partial<PupilListOptions> = {}, pageSize: number | null = 2) =>
  withConnection(db, (c) => pupilList(c, PERIOD, { trend: TREND, pageSize, ...options }));
const upns = (rows: Array<{ upn: string }>) => rows.map((r) => r.upn);

describe("the Pupils list, paged and sorted in SQL", () => {
  it("page 2 by attendance, lowest first, holds the tied pupils broken by surname, forename, then UPN", async () => {
    const page = await list({ paging: { sort: "attendance_pct", dir: "asc", page: 2 } });
    expect(upns(page.rows)).toEqual(["B1", "B9"]);
    expect(page.rows.map((r) => r.attendance_pct)).toEqual([80, 80]);
    expect(page).toMatchObject({ total: 7, page: 2, pages: 4, pageSize: 2, pa: 5, sort: "attendance_pct", dir: "asc" });
    expect(upns((await list({ paging: { sort: "attendance_pct", dir: "asc", page: 1 } })).rows)).toEqual(["P5", "Z1"]);
    expect(upns((await list({ paging: { sort: "attendance_pct", dir: "asc", page: 3 } })).rows)).toEqual(["P4", "P6"]);
    // The pupil without a figure comes last.
    expect(upns((await list({ paging: { sort: "attendance_pct", dir: "asc", page: 4 } })).rows)).toEqual(["P7"]);
  });

  it("highest first keeps the tie-break ascending and the pupil without a figure last", async () => {
    const all = await list({ paging: { sort: "attendance_pct", dir: "desc" } }, null);
    expect(upns(all.rows)).toEqual(["P6", "P4", "Z1", "B1", "B9", "P5", "P7"]);
    expect(upns((await list({ paging: { sort: "attendance_pct", dir: "desc", page: 2 } })).rows)).toEqual(["Z1", "B1"]);
  });

  it("a page past the end shows the last page", async () => {
    const page = await list({ paging: { sort: "attendance_pct", dir: "asc", page: 99 } });
    expect(page.page).toBe(4);
    expect(upns(page.rows)).toEqual(["P7"]);
  });

  it("by default lists by surname, forename, UPN, with the same figures as pupilMeasures", async () => {
    const all = await list({}, null);
    expect(upns(all.rows)).toEqual(["Z1", "P5", "B1", "B9", "P4", "P7", "P6"]);
    const measures = await withConnection(db, (c) => pupilMeasures(c, PERIOD));
    expect(all.rows.map(({ trend_pts, trend_marked, unmarked_days, ...rest }) => rest)).toEqual(measures);
  });

  it("works out the trend from the two windows and sorts by it", async () => {
    const all = await list({ paging: { sort: "trend_pts", dir: "desc" } }, null);
    expect(upns(all.rows)).toEqual(["B1", "P5", "B9", "P4", "P6", "Z1", "P7"]);
    expect(all.rows.map((r) => r.trend_pts)).toEqual([40, 0, 0, 0, 0, -40, null]);
    const falling = await list({ fallingOnly: true }, null);
    expect(upns(falling.rows)).toEqual(["Z1"]);
    expect(falling).toMatchObject({ total: 1, pa: 1 });
  });

  it("filters by attendance band and by name or UPN before paging, counting the whole filtered list", async () => {
    const under90 = await list({ attendance: { kind: "under", pct: 90 }, paging: { sort: "attendance_pct", dir: "asc", page: 2 } });
    // 90.0 % exactly (Clark) is not under 90 %.
    expect(under90).toMatchObject({ total: 4, pages: 2, pa: 4 });
    expect(upns(under90.rows)).toEqual(["B1", "B9"]);
    expect((await list({ attendance: { kind: "pa" } }, null)).total).toBe(5);
    expect(upns((await list({ attendance: { kind: "sa" } }, null)).rows)).toEqual(["P5"]);
    expect(upns((await list({ search: "amy BROWN" }, null)).rows)).toEqual(["B1", "B9"]);
    expect(upns((await list({ search: "Brown, Amy b9" }, null)).rows)).toEqual(["B9"]);
    const none = await list({ search: "nobody" });
    expect(none).toMatchObject({ rows: [], total: 0, pa: 0, page: 1, pages: 1 });
  });

  it("refuses a sort column outside the allow-list, and the URL reader falls back to the name order", async () => {
    const hostile = "attendance_pct; DROP TABLE pupils" as PupilSort;
    await expect(list({ paging: { sort: hostile } })).rejects.toThrow(/unknown sort column/);
    await expect(list({ paging: { sort: "constructor" as PupilSort } })).rejects.toThrow(/unknown sort column/);
    const search = new URLSearchParams({ sort: hostile, dir: "asc", page: "2" });
    expect(readPaging(search, PUPIL_SORT_COLUMNS, "name")).toMatchObject({ sort: "name", dir: "asc", page: 2 });
    expect(readPaging(new URLSearchParams("sort=toString&dir=sideways&page=-3"), PUPIL_SORT_COLUMNS, "name")).toEqual({
      sort: "name",
      dir: "asc",
      page: 1,
      notice: 'Sorted in the list\'s usual order: "toString" is not a column this list sorts by.',
    });
    expect(readPaging(new URLSearchParams("sort=attendance_pct"), PUPIL_SORT_COLUMNS, "name")).toEqual({ sort: "attendance_pct", dir: "desc", page: 1 });
    // The pupils are all still there.
    expect((await list({}, null)).total).toBe(7);
  });
});

describe("the casework lists, paged and sorted in SQL", () => {
  const policy = buildPolicy("ludlow", DEFAULT_POLICY_NUMBERS);
  const lists = (options: Partial<Parameters<typeof caseworkLists>[1]> = {}) =>
    withConnection(db, (c) => caseworkLists(c, { asOf: "2025-01-17", policy, rules: ["persistent_absence", "attendance_below_85"], pageSize: 2, ...options }));

  it("page 2, worst first, holds the tied pupils broken by surname, forename, then UPN; counts stay whole", async () => {
    const [attendance, pa] = await lists({ paging: { page: 2 } });
    expect(attendance.rule).toBe("attendance_below_85");
    expect(pa.rule).toBe("persistent_absence");
    expect(upns(pa.pupils)).toEqual(["B1", "B9"]);
    expect(pa.pupils.map((p) => p.value)).toEqual([20, 20]);
    expect(pa).toMatchObject({ count: 5, page: 2, pages: 3, pageSize: 2, sort: null });
    expect(upns(attendance.pupils)).toEqual(["B1", "B9"]);
    expect(attendance).toMatchObject({ count: 4, page: 2, pages: 2 });
    const [firstAttendance, firstPa] = await lists();
    expect(upns(firstPa.pupils)).toEqual(["P5", "Z1"]);
    expect(upns(firstAttendance.pupils)).toEqual(["P5", "Z1"]);
    // Each percentage carries the counts it is made of: Ames, 20 of 40 sessions absent this year.
    expect(firstPa.pupils[0].counts).toEqual({ possible_sessions: 40, present_sessions: 20, aea_sessions: 0, authorised_sessions: 20, unauthorised_sessions: 0 });
    // The Overview's counts are the whole lists'.
    const counts = await withConnection(db, (c) => caseworkCounts(c, { asOf: "2025-01-17", policy }));
    expect(counts.find((c) => c.rule === "persistent_absence")?.count).toBe(5);
    expect(counts.find((c) => c.rule === "attendance_below_85")?.count).toBe(4);
    // Each with what puts a pupil on it: the attendance lists are bands, each pupil on one, which
    // the titles alone read as nested (Ludlow's 96, 90 and 85%).
    expect(Object.fromEntries(counts.filter((c) => c.rule.startsWith("attendance_below")).map((c) => [c.rule, c.criterion]))).toEqual({
      attendance_below_96: "Year-to-date attendance below 96% and at least 90%.",
      attendance_below_90: "Year-to-date attendance below 90% and at least 85%.",
      attendance_below_85: "Year-to-date attendance below 85%.",
    });
    // The pupils on any list, each once (the lists' counts add up to entries: a pupil below 85%
    // is persistently absent too), as the whole lists give them.
    const whole = await withConnection(db, (c) => caseworkLists(c, { asOf: "2025-01-17", policy, pageSize: null }));
    const distinct = new Set(whole.flatMap((l) => l.pupils.map((p) => p.upn))).size;
    expect(counts.every((c) => c.pupilsListed === distinct)).toBe(true);
    expect(distinct).toBeGreaterThanOrEqual(5);
    expect(counts.reduce((n, c) => n + c.count, 0)).toBeGreaterThan(distinct);
    // The list's own description adds the span rule (its section on the Casework page, the CSV).
    expect(firstAttendance.description).toBe("Year-to-date attendance below 85%. Pupils are judged from 40 possible sessions this year (20 school days).");
  });

  it("sorts by a column from the allow-list, either way, and the whole list comes without a page size", async () => {
    const [, byValue] = await lists({ paging: { sort: "value", dir: "asc" } });
    expect(upns(byValue.pupils)).toEqual(["P4", "Z1"]);
    const [, byName] = await lists({ paging: { sort: "name", dir: "desc", page: 3 } });
    // Surname descending (Clark, Brown, Brown, Ames, Adams), the tie ascending by forename then UPN.
    expect(upns(byName.pupils)).toEqual(["Z1"]);
    const [, whole] = await lists({ pageSize: null });
    expect(upns(whole.pupils)).toEqual(["P5", "Z1", "B1", "B9", "P4"]);
    const [, pastTheEnd] = await lists({ paging: { page: 40 } });
    expect(pastTheEnd.page).toBe(3);
    expect(upns(pastTheEnd.pupils)).toEqual(["P4"]);
  });

  it("filters before counting, and refuses a sort column outside the allow-list", async () => {
    const [attendance, pa] = await lists({ filter: { year_group: "4" } });
    expect([attendance.count, pa.count]).toEqual([0, 0]);
    expect(pa.pupils).toEqual([]);
    expect((await lists({ filter: { upn: "B9" } }))[1].count).toBe(1);
    await expect(lists({ paging: { sort: "value; DROP TABLE pupils" as CaseworkSort } })).rejects.toThrow(/unknown sort column/);
    await expect(lists({ filter: { "1=1 OR upn": "x" } as never })).rejects.toThrow(/unknown filter/);
  });
});
