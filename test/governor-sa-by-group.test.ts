/**
 * Issue 13, trial19 (the demo school as of 23 November 2026): governors got no SEND figure at
 * all. A pupil severely absent misses at least half their sessions, so a group's published
 * sessions cap its severely absent count: the demo's 8 pupils with an EHC plan missed 50 of
 * their 592 sessions in Autumn 1 2026, room for one, and "withheld" (1 to 4) beside that cap
 * is the one pupil. Planned as printed, the count took the group's sessions, so its whole
 * row, and SEN support's beside it, in every period. Severe absence is now not given for a
 * characteristic's group (analytics/governor-lattice.ts isUnpublished, BY_GROUP_TEXT): the
 * group's row is shown, its severe absence "not given for a pupil group". Its own file: one
 * database per file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { BY_GROUP_TEXT, governorLattice, type LatticePlan } from "../analytics/governor-lattice.ts";
import { reportPeriodSuppression } from "../analytics/benchmarks/report-suppression.ts";
import { governorSpanPlan } from "../analytics/packs/sections.ts";
import { groupKey, type SuppressionPlan } from "../analytics/suppression.ts";
import { daysOfHalf, marksOf, restoreTodayAfterAll, seedCalendar, yearThreeClasses, type Half } from "./helpers/break-register.ts";
import { pinnedByAbsentSessions } from "./helpers/absent-sessions-reader.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { seedRegister } from "./helpers/register.ts";

restoreTodayAfterAll();

const MIN = 5;

/**
 * Register (Autumn 1 2024 only, 20 school days from Monday 2 September, 40 sessions each):
 * Year 3 — 3A: A0–A7, 3B: B0–B7, on roll throughout. A0–A5 have an EHC plan (6 pupils), the
 * rest no SEN (10). Off ill (I, a whole day: 2 sessions):
 * - A0 10 days (20 of 40, 50 %: severely and persistently absent); A1–A5 never;
 * - A6, A7 5 days each (10 of 40, 25 %: persistently absent);
 * - B0–B4 2 days each (4 of 40, 10 %: persistently absent); B5–B7 1 day each.
 * By hand: EHC plan 6 pupils, 240 possible sessions, 220 attended (20 missed), 1 persistently
 * and 1 severely absent. A severely absent pupil misses at least 20 sessions here, so the
 * group's 20 missed sessions leave room for one: "1 to 4" beside them is 1.
 * No SEN 10 pupils, 400 possible, 354 attended (46 missed), 7 persistently absent, none severely.
 * School 16 pupils, 640 possible, 574 attended (66 missed: room for 3 severely absent),
 * 8 persistently absent, 1 severely.
 */
describe("a pupil group's severe absence beside its sessions, for a governor", () => {
  const db = tempDbPath("governor-sa-by-group");
  const A1: Half = { key: "autumn-1-2024", term: "autumn-2024", year: "2024/25", monday: "2024-09-02" };
  let plan: LatticePlan;
  let report: SuppressionPlan;
  let pack: SuppressionPlan;
  beforeAll(async () => {
    const pupils = yearThreeClasses().map((p) => (/^A[0-5]$/.test(p.upn) ? { ...p, spells: p.spells!.map((s) => ({ ...s, sen: "E" })) } : p));
    const days = daysOfHalf(A1);
    const off = (n: number) => Object.fromEntries(days.slice(0, n).map((d) => [d, "I"]));
    const absent: Record<string, Record<string, string>> = { A0: off(10), A6: off(5), A7: off(5) };
    for (let i = 0; i < 5; i++) absent[`B${i}`] = off(2);
    for (let i = 5; i < 8; i++) absent[`B${i}`] = off(1);
    await withConnection(db, async (c) => {
      await seedCalendar(c, [A1]);
      await seedRegister(c, { pupils, marks: marksOf(pupils.map((p) => p.upn), days, absent) });
      plan = (await governorLattice(c, { from: days[0], to: days.at(-1)! }, null, MIN)).get("")!;
      report = await reportPeriodSuppression(c, { from: days[0], to: days.at(-1)! }, { groups: true, min: MIN });
      pack = await governorSpanPlan(c, { from: days[0], to: days.at(-1)! }, MIN);
    });
  });
  afterAll(() => removeDb(db));

  const cell = (key: string) => plan.cells.find((c) => c.key === key)!;

  it("counts the register as worked out by hand", () => {
    const figures = (key: string) => {
      const c = cell(key);
      return [c.pupils, c.possible_sessions, c.attended_sessions, c.pa_pupils, c.sa_pupils];
    };
    expect(figures("school|sen:E")).toEqual([6, 240, 220, 1, 1]);
    expect(figures("school|sen:N")).toEqual([10, 400, 354, 7, 0]);
    expect(figures("school|all")).toEqual([16, 640, 574, 8, 1]);
  });

  it("shows the EHC-plan group's row, its severe absence not given (it was withheld whole: trial19)", () => {
    const ehc = plan.withheld({ sen: "E" });
    expect(ehc.row).toBeNull();
    expect(ehc.sa).toBe(BY_GROUP_TEXT);
    // Its one persistently absent pupil is a small count, withheld as ever.
    expect(ehc.pa).not.toBeNull();
    // And the rest of the school beside it (the pupils without SEN), its severe absence likewise.
    const rest = plan.restWithheld({}, "sen", "E");
    expect(rest.row).toBeNull();
    expect(rest.sa).toBe(BY_GROUP_TEXT);
  });

  it("keeps the school's own figures public, severe absence withheld as a small count", () => {
    const school = plan.withheld({});
    expect(school.row).toBeNull();
    expect(school.pa).toBeNull();
    expect(school.sa).not.toBeNull();
    expect(school.sa).not.toBe(BY_GROUP_TEXT);
  });

  it("leaves no small count a reader works out from the sessions beside it", () => {
    expect(pinnedByAbsentSessions(plan.cells, plan.sums, plan.suppression, MIN)).toEqual([]);
  });

  it("the head's report's and the FGB pack's plans say the group's severe absence is not given in the pages' words, not 'withheld'", () => {
    // One source of the words (analytics/governor-lattice.ts printedText): the report's plan
    // read "withheld" for it, the word of a small count, where the Overview said "not given
    // for a pupil group". The school's own severe absence (1 pupil) stays "withheld".
    for (const [name, read] of [["report", report], ["pack", pack]] as const) {
      for (const key of [groupKey.group("sen", "E"), groupKey.group("sen", "N")]) {
        expect([name, key, read.hidden(key, "sa_pupils"), read.text(key, "sa_pupils")]).toEqual([name, key, true, BY_GROUP_TEXT]);
      }
      expect([name, read.text(groupKey.school, "sa_pupils")]).toEqual([name, "withheld"]);
    }
  });
});
