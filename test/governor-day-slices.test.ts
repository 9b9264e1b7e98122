/**
 * A governor's days, weeks and months of a unit (issue 13, a fresh-clone trial): Patterns
 * filtered to one class of some 30 pupils listed "Tuesday 15 September: 1 session of
 * authorised absence", and Codes its weeks by reason. The class had at least the minimum of
 * pupils every day, so its slices were shown; but a day's absent sessions are 1 or 2 a pupil
 * absent, so "1 session" is one pupil, whom a parent who knows who was off can name. Now a
 * governor is never given a slice's absence by kind or reason (splitGivenBy,
 * governorSliceFigures: total absence and attendance only), and a unit whose pupils absent on
 * a day (any absence) number 1 to minimum − 1 has every slice of that half term withheld
 * (analytics/governor-lattice.ts governorSlicePlans, from fewestPupilsOnADay's fewestAbsent),
 * and with it the units from which it could be worked out; staff see everything. Registers by
 * hand: one week, Year 3 of classes 3A and 3B, six pupils each; and a school of twelve with
 * five pupils off every day, one of them unauthorised on one day.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { fewestPupilsOnADay, governorQuery, summariseBy } from "../analytics/measures.ts";
import { governorBreakdownWithheld, governorSliceFigures, governorSlices, splitGivenBy, reasonsGivenFor } from "../analytics/governor-view.ts";
import { WITHHELD_TEXT } from "../analytics/suppression.ts";
import { buildFgbPack } from "../analytics/packs/fgb.ts";
import { packWorkbook } from "../analytics/packs/xlsx.ts";
import { excelJS } from "../analytics/exceljs.ts";
import { withheldRuleSentence } from "../analytics/withheld-rule.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("governor-day-slices");
const busy = tempDbPath("governor-day-slices-busy");
const SPAN = { from: "2025-01-06", to: "2025-01-10" };
const A = ["A1", "A2", "A3", "A4", "A5", "A6"];
const B = ["B1", "B2", "B3", "B4", "B5", "B6"];

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [{ from: SPAN.from, to: SPAN.to, half: "spring-1-2025", term: "spring-2025" }]);
    const pupil = (upn: string, cls: string) => ({ upn, spells: [{ from: "2024-09-01", year_group: "3", reg_group: cls }] });
    await seedRegister(c, {
      pupils: [...A.map((u) => pupil(u, "3A")), ...B.map((u) => pupil(u, "3B"))],
      marks: [
        // 3A: A1 off ill on Tuesday morning only — 1 session, 1 pupil, one day.
        ...registerOf("A1", days, { "2025-01-07": ["I", "/"] }),
        ...A.slice(1).flatMap((u) => registerOf(u, days)),
        // 3B: five pupils off on Thursday, each with one authorised and one unauthorised session.
        ...B.slice(0, 5).flatMap((u) => registerOf(u, days, { "2025-01-09": ["I", "O"] })),
        ...registerOf("B6", days),
      ],
    });
  });
  await withConnection(busy, async (c) => {
    const days = await seedSchoolDays(c, [{ from: SPAN.from, to: SPAN.to, half: "spring-1-2025", term: "spring-2025" }]);
    const pupils = Array.from({ length: 12 }, (_, i) => `P${i + 1}`);
    await seedRegister(c, {
      pupils: pupils.map((upn) => ({ upn, spells: [{ from: "2024-09-01", year_group: "3", reg_group: "3A" }] })),
      marks: [
        // P1–P5 off ill all week (I I each day), except P1's Tuesday: unauthorised (O O), the
        // one pupil with unauthorised absence that day; P6–P12 present throughout.
        ...pupils.slice(0, 5).flatMap((u) => registerOf(u, days, Object.fromEntries(days.map((d) => [d, u === "P1" && d === "2025-01-07" ? ["O", "O"] : ["I", "I"]])))),
        ...pupils.slice(5).flatMap((u) => registerOf(u, days)),
      ],
    });
  });
});
afterAll(() => {
  removeDb(db);
  removeDb(busy);
});

describe("a governor's slices of a class with one pupil absent on one day", () => {
  it("counts the fewest pupils absent on a day, by kind (by hand)", async () => {
    await withConnection(db, async (c) => {
      const rows = await fewestPupilsOnADay(c, governorQuery(SPAN), [[], ["reg_group"]]);
      const byKey = Object.fromEntries(rows.map((r) => [r.values.join("") || "school", { fewest: r.fewest, fewestAbsent: r.fewestAbsent }]));
      expect(byKey).toEqual({
        // School: Tuesday 1 absent (A1); Thursday 5 absent, 5 authorised, 5 unauthorised.
        school: { fewest: 12, fewestAbsent: 1 },
        "3A": { fewest: 6, fewestAbsent: 1 },
        "3B": { fewest: 6, fewestAbsent: 5 },
      });
    });
  });

  it("withholds every day of 3A's half term from a governor, and what 3A could be worked out from", async () => {
    await withConnection(db, async (c) => {
      const slices = (filter: Record<string, string>) => governorSlices(c, governorQuery({ ...SPAN, filter }), 5);
      // 3A: Tuesday's "1 session" was one pupil; every day, week and weekday of the half term goes.
      expect((await slices({ reg_group: "3A" })).withheld("2025-01-07", "2025-01-07")).toBe(WITHHELD_TEXT);
      expect((await slices({ reg_group: "3A" })).withheld("2025-01-09", "2025-01-09")).toBe(WITHHELD_TEXT);
      // The school (3A + 3B) has 1 pupil absent on Tuesday too; 3B would be the school less 3A.
      expect((await slices({})).withheld(SPAN.from, SPAN.to)).toBe(WITHHELD_TEXT);
      expect((await slices({ reg_group: "3B" })).withheld(SPAN.from, SPAN.to)).toBe(WITHHELD_TEXT);
      // Staff: nothing withheld.
      expect((await governorSlices(c, { ...SPAN, filter: { reg_group: "3A" } }, null)).withheld(SPAN.from, SPAN.to)).toBeNull();
    });
  });

  it("gives absence by kind or reason day, week or month by month to staff only; by half term to governors too", async () => {
    expect(splitGivenBy(null, "week")).toBe(true);
    for (const by of ["date", "week", "month", "weekday", "session"] as const) expect(splitGivenBy(5, by)).toBe(false);
    for (const by of ["half_term", "term", "academic_year"] as const) expect(splitGivenBy(5, by)).toBe(true);
    // 3B's Thursday: 5 authorised and 5 unauthorised sessions; a governor gets the 10 in all.
    await withConnection(db, async (c) => {
      const thursday = (await summariseBy(c, governorQuery({ ...SPAN, filter: { reg_group: "3B" } }), "date")).find((d) => d.group === "2025-01-09")!;
      expect(governorSliceFigures(5, "date", thursday)).toMatchObject({ absence_sessions: 10, authorised_sessions: null, unauthorised_sessions: null, authorised_pct: null, unauthorised_pct: null, possible_sessions: 12 });
      expect(governorSliceFigures(null, "date", thursday)).toMatchObject({ absence_sessions: 10, authorised_sessions: 5, unauthorised_sessions: 5 });
    });
    // Over the period: the whole school's reasons, never a class's (staff: every one).
    expect(reasonsGivenFor(5, {})).toBe(true);
    expect(reasonsGivenFor(5, { reg_group: "3A" })).toBe(false);
    expect(reasonsGivenFor(null, { reg_group: "3A" })).toBe(true);
  });
});

describe("the governors' pack where the school's days are withheld", () => {
  it("says the weekdays are withheld, and why, not that there were no school days", async () => {
    const pack = await withConnection(db, (c) => buildFgbPack(c, { term: "spring-2025", today: "2025-01-13" }));
    const tables = pack.sections.flatMap((s) => s.blocks).flatMap((b) => (b.kind === "table" ? [b.table] : []));
    const weekdays = tables.find((t) => t.caption === "Days of the week")!;
    expect(weekdays.rows).toEqual([]);
    expect(weekdays.empty).toMatch(/^Attendance by day of the week is withheld for governors: in a half term of this period a day had 1 to 4 pupils absent, and its weekdays would let/);
    // No empty chart above it ("No figures to chart for this period").
    const blocks = pack.sections.flatMap((s) => s.blocks);
    const charts = blocks.flatMap((b) => (b.kind === "chart" ? [b.chart.title] : []));
    expect(charts).not.toContain("Attendance by day of the week");
    // Nor an empty weekly chart (trial19: "No figures to chart for this period" above eight
    // withheld weeks): every week of the year to date is withheld, so the reason is said in its
    // place, and in place of the table of "withheld" weeks too (trial20: the sentence replaces it).
    expect(tables.find((t) => t.caption.startsWith("Week by week"))).toBeUndefined();
    expect(charts.filter((title) => title.startsWith("Weekly attendance"))).toEqual([]);
    const notice = blocks.find((b) => b.kind === "paragraphs" && b.heading?.startsWith("Weekly attendance"));
    expect(notice).toMatchObject({ kind: "paragraphs", items: [expect.stringMatching(/^Attendance week by week is withheld for governors: in a half term of this period a day had 1 to 4 pupils absent, and its weeks would let that day's figures be worked out/)] });
  });

  // A fresh-clone trial: the workbook's "Weekly attendance to date" tab was every week
  // "withheld" under a note on percentages alone; the reason was only on the Trends tab.
  it("says on the workbook's weekly tab why its weeks are withheld, in the Trends tab's words", async () => {
    const pack = await withConnection(db, (c) => buildFgbPack(c, { term: "spring-2025", today: "2025-01-13" }));
    const workbook = new (await excelJS()).Workbook();
    await workbook.xlsx.load((await packWorkbook(pack)) as unknown as ArrayBuffer);
    const texts = (name: string) => {
      const lines: string[] = [];
      workbook.getWorksheet(name)!.eachRow((row) => lines.push((row.values as unknown[]).slice(1).map(String).join(" | ")));
      return lines;
    };
    const weekly = texts("Weekly attendance to date");
    // Every figure of the week (whole school, Year 3, 3A, 3B) reads "withheld".
    expect(weekly[2]).toBe("Mon Jan 06 2025 00:00:00 GMT+0000 (Coordinated Universal Time) | withheld | withheld | withheld | withheld");
    // The school's and Year 3's weeks withheld for 3A's Tuesday (the Trends tab's reason, in its
    // words after the figures they name), 3A's and 3B's for the year (the small-group rule, in
    // every page's footnote's words).
    const trendsWords = texts("Trends").find((line) => line.startsWith("Attendance week by week is withheld for governors: "))!;
    const because = trendsWords.slice("Attendance week by week".length);
    expect(because).toMatch(/^ is withheld for governors: in a half term of this period a day had 1 to 4 pupils absent, and its weeks would let/);
    // First under the table, then the note on percentages (fresh-clone trial 50).
    expect(weekly.at(-1)).toBe(
      `Attendance in a week that reads "withheld"${because} ${withheldRuleSentence(5)} Attendance % of possible sessions. Pupils are in the year group and class they were in at the end of the period.`,
    );
    expect(texts("Annual attendance to date").at(-1)).toBe(withheldRuleSentence(5));
  });
});

describe("a governor's weeks of a school with five or more pupils off every day", () => {
  it("counts the fewest pupils absent on a day, of any kind: 5, not Tuesday's one unauthorised (by hand)", async () => {
    await withConnection(busy, async (c) => {
      const [school] = await fewestPupilsOnADay(c, governorQuery(SPAN), [[]]);
      expect(school).toMatchObject({ fewest: 12, fewestAbsent: 5 });
    });
  });

  it("gives the school's week to a governor, its absence in all without the split", async () => {
    await withConnection(busy, async (c) => {
      const query = governorQuery({ ...SPAN, filter: {} });
      // Every day has 5 pupils absent: the school's days and week are shown (before, Tuesday's
      // one pupil with unauthorised absence withheld the whole half term).
      expect((await governorSlices(c, query, 5)).withheld(SPAN.from, SPAN.to)).toBeNull();
      expect((await governorBreakdownWithheld(c, query, "week", 5)).size).toBe(0);
      const [week] = await summariseBy(c, query, "week");
      // By hand: 12 pupils x 10 sessions = 120 possible; P1–P5 absent 10 sessions each = 50
      // (48 authorised, P1's Tuesday 2 unauthorised); 70 present, 58.3 %.
      expect(governorSliceFigures(5, "week", week)).toMatchObject({ possible_sessions: 120, present_sessions: 70, absence_sessions: 50, authorised_sessions: null, unauthorised_sessions: null, authorised_pct: null, unauthorised_pct: null });
      expect(governorSliceFigures(5, "week", week).attendance_pct).toBeCloseTo((100 * 70) / 120, 9);
      expect(governorSliceFigures(null, "week", week)).toMatchObject({ authorised_sessions: 48, unauthorised_sessions: 2 });
    });
  });

  it("the governors' pack gives the week and the weekdays their absence in all, never the split", async () => {
    const pack = await withConnection(busy, (c) => buildFgbPack(c, { term: "spring-2025", today: "2025-01-13" }));
    const tables = pack.sections.flatMap((s) => s.blocks).flatMap((b) => (b.kind === "table" ? [b.table] : []));
    const weekly = tables.find((t) => t.caption.startsWith("Week by week"))!;
    expect(weekly.columns.map((c) => c.label)).toEqual(["Week beginning", "Attendance", "Absence", "Against target"]);
    // The week of 6 January: 58.3 % attendance, 50 of 120 sessions absent (41.7 %).
    expect(weekly.rows).toHaveLength(1);
    expect(weekly.rows[0].slice(1, 3)).toEqual([expect.objectContaining({ value: (100 * 70) / 120 }), expect.objectContaining({ value: (100 * 50) / 120 })]);
    const weekdays = tables.find((t) => t.caption === "Days of the week")!;
    expect(weekdays.columns.map((c) => c.label)).toContain("Absence, year to date");
    expect(weekdays.columns.map((c) => c.label).join(" ")).not.toMatch(/uthorised/);
  });
});
