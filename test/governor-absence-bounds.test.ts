/**
 * Issue 13, cases 8–9: the coefficients that bound a group's persistently and severely absent
 * pupils by its absent sessions (analytics/suppression.ts AbsenceBounds), read from the
 * register by the finest groups (analytics/measures.ts summariseAtoms) and combined per cell
 * of the governors' table (analytics/governor-lattice.ts), against figures worked out by hand,
 * with a pupil who changes class and a leaver (whose sessions are counted where they were,
 * the pupils where they ended: analytics/leavers.ts). Its own file: one database per file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { governorLattice } from "../analytics/governor-lattice.ts";
import { leaversGroup } from "../analytics/leavers.ts";
import { governorQuery, summariseAtoms } from "../analytics/measures.ts";
import { daysOfHalf, marksOf, seedCalendar, type Half } from "./helpers/break-register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { seedRegister, type TestMark, type TestPupil } from "./helpers/register.ts";

/**
 * Autumn 2024, two half terms of 20 school days (40 sessions each). Year 3:
 * - A0 (3A throughout): off ill 4 days of Autumn 1: 8 of 80 sessions, 10 %: persistently absent;
 * - A1 (3A throughout) and B1 (3B throughout): never absent;
 * - B0: 3B in Autumn 1 (off ill 2 days: 4 sessions), 3A from Autumn 2: 4 of 80, 5 %;
 * - C0 (3B) leaves on 4 October, off ill the first 10 days of Autumn 1: 20 of 40, severely absent.
 */
describe("the absence bounds of the governors' finest groups and cells", () => {
  const db = tempDbPath("governor-absence-bounds");
  const A1: Half = { key: "autumn-1-2024", term: "autumn-2024", year: "2024/25", monday: "2024-09-02" };
  const A2: Half = { key: "autumn-2-2024", term: "autumn-2024", year: "2024/25", monday: "2024-10-07" };
  const TERM = { from: "2024-09-02", to: "2024-11-01" };
  beforeAll(async () => {
    const pupils: TestPupil[] = [
      { upn: "A0", spells: [{ from: "2024-09-01", reg_group: "3A" }] },
      { upn: "A1", spells: [{ from: "2024-09-01", reg_group: "3A" }] },
      { upn: "B0", spells: [{ from: "2024-09-01", to: "2024-10-06", reg_group: "3B" }, { from: "2024-10-07", reg_group: "3A" }] },
      { upn: "B1", spells: [{ from: "2024-09-01", reg_group: "3B" }] },
      { upn: "C0", leaving_date: "2024-10-04", spells: [{ from: "2024-09-01", reg_group: "3B" }] },
    ];
    const a1 = daysOfHalf(A1);
    const ill = (n: number) => Object.fromEntries(a1.slice(0, n).map((d) => [d, "I"]));
    const marks: TestMark[] = [];
    for (const p of pupils) marks.push(...marksOf([p.upn], [...a1, ...(p.leaving_date ? [] : daysOfHalf(A2))], { A0: ill(4), B0: ill(2), C0: ill(10) }));
    await withConnection(db, async (c) => {
      await seedCalendar(c, [A1, A2]);
      await seedRegister(c, { pupils, marks });
    });
  });
  afterAll(() => removeDb(db));

  it("over the term (half-term membership): each finest group's from its counted pupils' own sessions in it", async () => {
    const atoms = await withConnection(db, (c) => summariseAtoms(c, governorQuery(TERM)));
    const byClass = new Map(atoms.map((a) => [a.reg_group, a]));
    // 3A counts A0 (80 in 3A, 8 missed), A1 (80, none) and B0 (40 in 3A: Autumn 2; none missed
    // there). Least: a tenth of B0's 40 is 4, below A0's 8. 8 missed in 3A, all by its own.
    // Over their whole spans (AbsenceBounds.whole): 80 each; A0 8 missed (PA), A1 none, B0 4
    // (wherever they fell: Autumn 1's in 3B), so the least of a PA pupil is 8 and all missed 12.
    expect(byClass.get("3A")!.absence).toEqual({
      pa_least: 4, pa_most: 8, pa_other_most: 0, sa_least: 20, sa_most: 0, sa_other_most: 8, uncounted_absent: 0,
      whole: { pa_least: 8, pa_most: 8, pa_other_most: 4, sa_least: 40, sa_most: 0, sa_other_most: 8, counted_absent: 12 },
    });
    // 3B counts B1 only (80, none); its 24 missed sessions are B0's 4 and C0's 20, counted elsewhere.
    expect(byClass.get("3B")!.absence).toEqual({
      pa_least: 8, pa_most: 0, pa_other_most: 0, sa_least: 40, sa_most: 0, sa_other_most: 0, uncounted_absent: 24,
      whole: { pa_least: 8, pa_most: 0, pa_other_most: 0, sa_least: 40, sa_most: 0, sa_other_most: 0, counted_absent: 0 },
    });
    // The leavers' row: C0, no sessions in it (theirs are 3B's): a least of 0, no rule; over
    // C0's whole span 20 of 40 (PA and SA): a tenth of 40 is 4, a half 20.
    expect(byClass.get(leaversGroup("autumn-2-2024"))!.absence).toEqual({
      pa_least: 0, pa_most: 0, pa_other_most: 0, sa_least: 0, sa_most: 0, sa_other_most: 0, uncounted_absent: 0,
      whole: { pa_least: 4, pa_most: 20, pa_other_most: 0, sa_least: 20, sa_most: 20, sa_other_most: 0, counted_absent: 20 },
    });
  });

  it("over one half term (read at its end): every pupil's sessions in their one group", async () => {
    const atoms = await withConnection(db, (c) => summariseAtoms(c, governorQuery({ from: "2024-09-02", to: "2024-09-27" })));
    const byClass = new Map(atoms.map((a) => [a.reg_group, a]));
    // Over one half term a pupil's whole span is their group's: the same bounds.
    expect(byClass.get("3A")!.absence).toEqual({
      pa_least: 4, pa_most: 8, pa_other_most: 0, sa_least: 20, sa_most: 0, sa_other_most: 8, uncounted_absent: 0,
      whole: { pa_least: 4, pa_most: 8, pa_other_most: 0, sa_least: 20, sa_most: 0, sa_other_most: 8, counted_absent: 8 },
    });
    // B0 4 of 40 (PA), B1 none, C0 20 of 40 (PA and SA).
    expect(byClass.get("3B")!.absence).toEqual({
      pa_least: 4, pa_most: 20, pa_other_most: 0, sa_least: 20, sa_most: 20, sa_other_most: 4, uncounted_absent: 0,
      whole: { pa_least: 4, pa_most: 20, pa_other_most: 0, sa_least: 20, sa_most: 20, sa_other_most: 4, counted_absent: 24 },
    });
  });

  it("a cell combines its finest groups' (Year 3 = 3A and 3B; the school with the leavers), and each rule holds for its true figures", async () => {
    const plan = (await withConnection(db, (c) => governorLattice(c, TERM, null, 5, "full"))).get("")!;
    const cell = (key: string) => plan.cells.find((g) => g.key === key)!;
    const year = cell("year:3|all");
    // Year 3 is no closed cell (the leaver is counted outside it): its own finest groups' bounds.
    expect(year.absence).toMatchObject({ pa_least: 4, pa_most: 8, pa_other_most: 0, sa_least: 20, sa_most: 0, sa_other_most: 8, uncounted_absent: 24 });
    // The school holds every session of every pupil it counts: its bounds from their whole
    // spans (analytics/measures.ts wholeSpanAbsence), where its finest groups' gave a least of
    // 0 (the leavers' row has no sessions): A0's 8, C0's 4 (a tenth of 40); all 32 missed are
    // its counted pupils'.
    expect(cell("school|all").absence).toMatchObject({ pa_least: 4, pa_most: 20, pa_other_most: 4, sa_least: 20, sa_most: 20, sa_other_most: 8, uncounted_absent: 0 });
    for (const g of plan.cells) {
      const a = g.absence!;
      const absent = g.possible_sessions - g.attended_sessions;
      if (Number.isFinite(a.pa_least)) expect(a.pa_least * g.pa_pupils, g.key).toBeLessThanOrEqual(absent);
      if (Number.isFinite(a.sa_least)) expect(a.sa_least * g.sa_pupils, g.key).toBeLessThanOrEqual(absent);
      const most = (m: number, o: number, count: number) => Math.max(m, o) * count + o * (g.pupils - count) + a.uncounted_absent;
      expect(absent, g.key).toBeLessThanOrEqual(most(a.pa_most, a.pa_other_most, g.pa_pupils));
      expect(absent, g.key).toBeLessThanOrEqual(most(a.sa_most, a.sa_other_most, g.sa_pupils));
    }
  });
});
