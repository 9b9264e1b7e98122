/**
 * The finest groups of a span of several half terms (analytics/measures.ts summariseAtoms
 * under half-term membership: a governor's plan of a term or the year to date) give the whole
 * roll's groups and the DfE population's from one read, each as a read of that population
 * alone gives them: sessions in each half term's group, pupils in their last half term's
 * group, and a pupil with no marks in the span's last half term in the leavers' group
 * (analytics/leavers.ts). By hand on two half terms of one week each, with a mover (P1, 1A
 * then 1B), a leaver (P2, left after the first half term), a child taught out of year (R2,
 * Reception's age in Year 1: outside the DfE's population) and a Reception child (R1).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { byPopulation } from "../analytics/governor-lattice.ts";
import { leaversGroup } from "../analytics/leavers.ts";
import { governorQuery, summariseAtoms, type AtomCounts } from "../analytics/measures.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedMoverLeaverRegister } from "./helpers/mover-leaver-register.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("atoms-population-span");
const SPAN = governorQuery({ from: "2025-09-01", to: "2025-09-12" });
const LEFT = leaversGroup("autumn-2-2025");
beforeAll(() => withConnection(db, seedMoverLeaverRegister));
afterAll(() => removeDb(db));

/** [year, class, pupils, possible, authorised, absent pupils, PA pupils] of each group. */
const rows = (atoms: AtomCounts[]) => atoms.map((a) => [a.year_group, a.reg_group, a.pupils, a.possible_sessions, a.authorised_sessions, a.absent_pupils, a.pa_pupils]);

describe("a span's finest groups over two half terms, the whole roll's and the DfE's, from one read", () => {
  it("by hand: the mover's sessions in each half term's class, the leaver in the leavers' group, R2 in the whole roll only", async () => {
    await withConnection(db, async (c) => {
      // Whole roll. 1A: Autumn 1 P1 10 (2 absent), P2 10 (1 absent), R2 10; Autumn 2 R2 10 —
      // 40 possible, 3 authorised; its one pupil at the end is R2 (present throughout). 1B: P1's
      // Autumn 2 (10), P1 counted there over the span (2 of 20 missed: absent, and 10 %: PA).
      // The leavers: P2 (no marks in Autumn 2; 1 of 10 missed: PA). RA: R1, 2 of 20 missed.
      expect(rows(await summariseAtoms(c, SPAN))).toEqual([
        [LEFT, LEFT, 1, 0, 0, 1, 1],
        ["1", "1A", 1, 40, 3, 0, 0],
        ["1", "1B", 1, 10, 0, 1, 1],
        ["R", "RA", 1, 20, 2, 1, 1],
      ]);
      // Aged 5–15 on 31 August 2025 (born 1 September 2009 to 31 August 2020): P1 and P2. 1A
      // keeps their Autumn 1 sessions (20, 3 missed) but no pupil of theirs ends there.
      expect(rows(await summariseAtoms(c, { ...SPAN, population: "dfe" }))).toEqual([
        [LEFT, LEFT, 1, 0, 0, 1, 1],
        ["1", "1A", 0, 20, 3, 0, 0],
        ["1", "1B", 1, 10, 0, 1, 1],
      ]);
      expect(rows(await summariseAtoms(c, { ...SPAN, population: "whole-roll" }))).toEqual(rows(await summariseAtoms(c, SPAN)));
      // The plan's populations: outside the DfE's, 1A's R2 (20 sessions) and RA's R1.
      const split = byPopulation(await summariseAtoms(c, SPAN), await summariseAtoms(c, { ...SPAN, population: "dfe" }));
      expect(split.filter((a) => a.population === "outside").map((a) => rows([a])[0])).toEqual([
        ["1", "1A", 1, 20, 0, 0, 0],
        ["R", "RA", 1, 20, 2, 1, 1],
      ]);
    });
  });

  it("by half term: each half term's groups, the pupils in that half term's own group", async () => {
    await withConnection(db, async (c) => {
      const byHalf = (atoms: AtomCounts[]) => atoms.map((a) => [a.period, ...rows([a])[0]]);
      expect(byHalf(await summariseAtoms(c, { ...SPAN, population: "dfe" }, "half_term"))).toEqual([
        // Autumn 1: P1 still in 1A at its end (2 of 10 missed), P2 (1 of 10): both absent, PA.
        ["autumn-1-2025", "1", "1A", 2, 20, 3, 2, 2],
        ["autumn-2-2025", "1", "1B", 1, 10, 0, 0, 0],
      ]);
    });
  });
});

const db2 = tempDbPath("atoms-population-span-2");
beforeAll(async () => {
  await withConnection(db2, async (c) => {
    const days = await seedSchoolDays(c, [
      { from: "2025-09-01", to: "2025-09-05", half: "autumn-1-2025", term: "autumn-2025" },
      { from: "2025-09-08", to: "2025-09-12", half: "autumn-2-2025", term: "autumn-2025" },
    ]);
    await seedRegister(c, {
      pupils: [
        { upn: "D1", dob: "2019-05-01", leaving_date: "2025-09-05", spells: [{ from: "2024-09-01", year_group: "1", reg_group: "1A" }] },
        { upn: "R1", dob: "2021-01-01", spells: [{ from: "2024-09-01", year_group: "R", reg_group: "RA" }] },
      ],
      marks: [...registerOf("D1", days.filter((d) => d <= "2025-09-05"), { "2025-09-01": ["I", "I"] }), ...registerOf("R1", days)],
    });
  });
});
afterAll(() => removeDb(db2));

describe("the DfE population's last half term is its own", () => {
  it("by hand: its only pupil left after Autumn 1, which is then its span's last half term (no leaver)", async () => {
    await withConnection(db2, async (c) => {
      // The whole roll's last half term is Autumn 2 (R1): D1, with no marks in it, is a leaver.
      expect(rows(await summariseAtoms(c, SPAN))).toEqual([
        [LEFT, LEFT, 1, 0, 0, 1, 1],
        ["1", "1A", 0, 10, 2, 0, 0],
        ["R", "RA", 1, 20, 0, 0, 0],
      ]);
      // The DfE's population alone (D1) has marks in Autumn 1 only: D1 ends in 1A (2 of 10 missed).
      expect(rows(await summariseAtoms(c, { ...SPAN, population: "dfe" }))).toEqual([["1", "1A", 1, 10, 2, 1, 1]]);
    });
  });
});
