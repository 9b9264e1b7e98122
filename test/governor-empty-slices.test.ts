/**
 * Issue 13, cases 8–9 (the empty-vs-small leftover of session 19): inside a governor's
 * breakdown — Trends and Codes by week, month or half term, Patterns' days, Trends' year on
 * year — a slice in which the chosen pupil group had no pupils was left out (the loaders kept
 * slices with possible sessions only), while a slice of the same period with a few pupils read
 * "withheld": whether the group had anyone in that half term showed. A slice with no pupils now
 * reads as a small one does wherever the small one's would be withheld (the half term's slices
 * withheld for that group: analytics/governor-view.ts governorSlices), with the same words.
 *
 * Register (autumn 2024, half terms from 2 September and 7 October, 20 school days each,
 * today 4 November, both ended): 3A A0–A9 and 3B B0–B9 (White British) all term; X0–X5
 * (Bangladeshi, ABAN) join 3A on 7 October, so the group has no pupils in Autumn 1 and six in
 * Autumn 2; Y0–Y5 (Pakistani, APKN) in 3B all term, Y0 and Y1 off ill on 10 September (two
 * pupils absent that day: the group's Autumn 1 slices are withheld, as for a small group).
 * Every other mark is present, so Autumn 2's slices of both groups are given (6 pupils, none
 * absent) and identical.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { WITHHELD_TEXT } from "../analytics/suppression.ts";
import { loader as trendsLoader } from "../app/routes/trends.tsx";
import { loader as codesLoader } from "../app/routes/codes.tsx";
import { loader as patternsLoader } from "../app/routes/patterns.tsx";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { daysOfHalf, marksOf, restoreTodayAfterAll, seedCalendar, type Half } from "./helpers/break-register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { loaderData } from "./helpers/loader.ts";
import { seedRegister, type TestPupil } from "./helpers/register.ts";

restoreTodayAfterAll();

const A1: Half = { key: "autumn-1-2024", term: "autumn-2024", year: "2024/25", monday: "2024-09-02" };
const A2: Half = { key: "autumn-2-2024", term: "autumn-2024", year: "2024/25", monday: "2024-10-07" };
const TERM = "period=term&term=autumn-2024";
const EMPTY = "ethnicity=ABAN";
const SMALL = "ethnicity=APKN";

describe("a governor's breakdown reads a slice with no pupils of the group as a small slice", () => {
  const db = tempDbPath("governor-empty-slices");
  let governor: TestAccount;
  beforeAll(async () => {
    const pupils: TestPupil[] = [];
    for (const cls of ["A", "B"]) for (let i = 0; i < 10; i++) pupils.push({ upn: `${cls}${i}`, ethnicity: "WBRI", spells: [{ from: "2024-09-01", reg_group: `3${cls}` }] });
    const joiners = Array.from({ length: 6 }, (_, i) => `X${i}`);
    for (const upn of joiners) pupils.push({ upn, ethnicity: "ABAN", admission_date: "2024-10-07", spells: [{ from: "2024-10-07", reg_group: "3A" }] });
    for (let i = 0; i < 6; i++) pupils.push({ upn: `Y${i}`, ethnicity: "APKN", spells: [{ from: "2024-09-01", reg_group: "3B" }] });
    const allTerm = pupils.filter((p) => !p.upn.startsWith("X")).map((p) => p.upn);
    const absent = { Y0: { "2024-09-10": "I" }, Y1: { "2024-09-10": "I" } };
    await withConnection(db, async (c) => {
      await seedCalendar(c, [A1, A2]);
      await seedRegister(c, { pupils, marks: [...marksOf(allTerm, [...daysOfHalf(A1), ...daysOfHalf(A2)], absent), ...marksOf(joiners, daysOfHalf(A2))] });
    });
    governor = (await createTestAccounts(db)).governor;
  });
  afterAll(() => removeDb(db));

  const read = <T,>(loader: Parameters<typeof loaderData>[0], url: string) => {
    process.env.ROLLCALL_TODAY = "2024-11-04";
    return loaderData<T>(loader, db, governor.cookie, url);
  };

  type Row = { group: string; withheld: string | null } & Record<string, unknown>;
  type Trends = { spanWithheld: string | null; slicesWithheldWords: string | null; groups: Row[]; historic: Array<{ year: string; week_number: number; week: string; withheld: string | null }> };
  type Codes = { spanWithheld: string | null; categoriesOverTime: Row[] };
  type Patterns = { slicesWithheld: string | null; withheldDays: number; days: Array<{ date: string }>; weekdays: unknown[]; sessions: unknown[] };
  const figuresOf = (row: Row) => Object.entries(row).filter(([key]) => key !== "group" && key !== "withheld").map(([, value]) => value);

  for (const by of ["week", "month"] as const) {
    it(`Trends and Codes by ${by}: Autumn 1 with none of the group reads as Autumn 1 with two of six absent on a day: withheld; Autumn 2 alike`, async () => {
      const [empty, small] = [await read<Trends>(trendsLoader, `/trends?${TERM}&${EMPTY}&by=${by}`), await read<Trends>(trendsLoader, `/trends?${TERM}&${SMALL}&by=${by}`)];
      // Hand-counted: weeks from 2 September (four in Autumn 1, four from 7 October); months
      // September (Autumn 1 only), October and November (Autumn 2's last week).
      const slices = by === "week" ? ["2024-09-02", "2024-09-09", "2024-09-16", "2024-09-23", "2024-10-07", "2024-10-14", "2024-10-21", "2024-10-28"] : ["2024-09", "2024-10", "2024-11"];
      const inAutumn1 = by === "week" ? 4 : 1;
      expect(small.groups.map((row) => [row.group, row.withheld])).toEqual(slices.map((slice, i) => [slice, i < inAutumn1 ? WITHHELD_TEXT : null]));
      // Before the fix the empty group's list began at 7 October (1 October): Autumn 1 left out.
      expect(empty.groups).toEqual(small.groups);
      for (const row of empty.groups.slice(0, inAutumn1)) expect(figuresOf(row).every((value) => value === null)).toBe(true);
      // Year on year: the same school weeks, numbered alike (the empty group's began at week 1 = 7 October).
      expect(empty.historic).toEqual(small.historic);
      expect(empty.historic.map((week) => [week.week_number, week.withheld])).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => [n, n <= 4 ? WITHHELD_TEXT : null]));
      const [emptyCodes, smallCodes] = [await read<Codes>(codesLoader, `/codes?${TERM}&${EMPTY}&by=${by}`), await read<Codes>(codesLoader, `/codes?${TERM}&${SMALL}&by=${by}`)];
      expect(smallCodes.categoriesOverTime.map((row) => [row.group, row.withheld])).toEqual(slices.map((slice, i) => [slice, i < inAutumn1 ? WITHHELD_TEXT : null]));
      expect(emptyCodes.categoriesOverTime).toEqual(smallCodes.categoriesOverTime);
    }, 120_000);
  }

  it("Trends and Codes by half term: Autumn 1 with none of the group reads withheld, as its own page does, not left out", async () => {
    // Autumn 1's own page for the group: withheld (a group with no pupils reads as a small one).
    const own = await read<Trends>(trendsLoader, `/trends?period=half-term&half=autumn-1-2024&${EMPTY}`);
    expect(own.spanWithheld).toBe(WITHHELD_TEXT);
    const trends = await read<Trends>(trendsLoader, `/trends?${TERM}&${EMPTY}&by=half_term`);
    expect(trends.groups.map((row) => [row.group, row.withheld])).toEqual([["autumn-1-2024", WITHHELD_TEXT], ["autumn-2-2024", null]]);
    expect(figuresOf(trends.groups[0]).every((value) => value === null)).toBe(true);
    // Autumn 2: six pupils present at all 40 sessions each.
    expect([trends.groups[1].pupils, trends.groups[1].possible_sessions, trends.groups[1].attendance_pct]).toEqual([6, 240, 100]);
    const codes = await read<Codes>(codesLoader, `/codes?${TERM}&${EMPTY}&by=half_term`);
    expect(codes.categoriesOverTime.map((row) => [row.group, row.withheld])).toEqual([["autumn-1-2024", WITHHELD_TEXT], ["autumn-2-2024", null]]);
    expect(figuresOf(codes.categoriesOverTime[0]).every((value) => value === null)).toBe(true);
  }, 120_000);

  it("Codes for a group with marks and no absence does not say it has no register marks", async () => {
    // The Bangladeshi pupils were present at every session of Autumn 2: a governor's codes
    // (absence only) listed none, and the page read "There are no register marks … for these pupils".
    type CodesPage = Codes & { noMarks: boolean; codes: unknown[]; absenceSessions: number };
    const codes = await read<CodesPage>(codesLoader, `/codes?${TERM}&${EMPTY}`);
    expect([codes.codes.length, codes.absenceSessions, codes.noMarks]).toEqual([0, 0, false]);
  }, 120_000);

  it("Patterns: Autumn 1's 20 days are left blank and counted for the empty group as for the small one", async () => {
    const [empty, small] = [await read<Patterns>(patternsLoader, `/patterns?${TERM}&${EMPTY}`), await read<Patterns>(patternsLoader, `/patterns?${TERM}&${SMALL}`)];
    expect(small.withheldDays).toBe(20);
    // Before the fix: 0 days left blank for the empty group ("20 days are left blank" for the small one).
    expect(empty.withheldDays).toBe(small.withheldDays);
    expect(empty.days).toEqual(small.days);
    expect(empty.days).toHaveLength(20);
    expect([empty.slicesWithheld, empty.weekdays, empty.sessions]).toEqual([small.slicesWithheld, small.weekdays, small.sessions]);
  }, 120_000);
});
