/**
 * The finest groups of a span read at its end (analytics/measures.ts summariseAtoms, one half
 * term of a governor's plan) give the whole roll's groups and the DfE population's from one
 * read: each group split by whether its pupils are of compulsory school age, the whole roll
 * the sum of both parts. By hand on a class with a child taught out of year (R2, Reception's
 * age in Year 1: outside the DfE's population, inside the whole roll's Year 1).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { byPopulation } from "../analytics/governor-lattice.ts";
import { governorQuery, summariseAtoms, type AtomCounts } from "../analytics/measures.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("atoms-population");
const SPAN = governorQuery({ from: "2025-09-01", to: "2025-09-05" });
beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [{ from: SPAN.from, to: SPAN.to, half: "autumn-1-2025", term: "autumn-2025" }]);
    const pupil = (upn: string, dob: string, year: string, cls: string) => ({ upn, dob, spells: [{ from: "2024-09-01", year_group: year, reg_group: cls }] });
    await seedRegister(c, {
      pupils: [pupil("P1", "2019-05-01", "1", "1A"), pupil("P2", "2019-06-01", "1", "1A"), pupil("R2", "2020-12-01", "1", "1A"), pupil("R1", "2021-01-01", "R", "RA")],
      marks: [...registerOf("P1", days), ...registerOf("P2", days, { "2025-09-01": ["I", "I"] }), ...registerOf("R2", days), ...registerOf("R1", days)],
    });
  });
});
afterAll(() => removeDb(db));

/** [year, class, pupils, possible, authorised, absent pupils] of each group. */
const rows = (atoms: AtomCounts[]) => atoms.map((a) => [a.year_group, a.reg_group, a.pupils, a.possible_sessions, a.authorised_sessions, a.absent_pupils]);

describe("a half term's finest groups on the whole roll and on the DfE's population, from one read", () => {
  it("by hand: R2 in the whole roll's Year 1, not in the DfE's", async () => {
    await withConnection(db, async (c) => {
      // Aged 5–15 on 31 August 2025: born 1 September 2009 to 31 August 2020 (P1, P2).
      expect(rows(await summariseAtoms(c, SPAN))).toEqual([
        ["1", "1A", 3, 30, 2, 1],
        ["R", "RA", 1, 10, 0, 0],
      ]);
      expect(rows(await summariseAtoms(c, { ...SPAN, population: "dfe" }))).toEqual([["1", "1A", 2, 20, 2, 1]]);
      expect(rows(await summariseAtoms(c, { ...SPAN, population: "whole-roll" }))).toEqual(rows(await summariseAtoms(c, SPAN)));
      // The plan's populations: the rest of Year 1 is R2 alone.
      const split = byPopulation(await summariseAtoms(c, SPAN), await summariseAtoms(c, { ...SPAN, population: "dfe" }));
      expect(split.map((a) => [a.population, ...rows([a])[0]])).toEqual([
        ["dfe", "1", "1A", 2, 20, 2, 1],
        ["outside", "1", "1A", 1, 10, 0, 0],
        ["outside", "R", "RA", 1, 10, 0, 0],
      ]);
    });
  });

  it("by week: each week's groups split the same way", async () => {
    await withConnection(db, async (c) => {
      expect(rows(await summariseAtoms(c, SPAN, "week"))).toEqual([
        ["1", "1A", 3, 30, 2, 1],
        ["R", "RA", 1, 10, 0, 0],
      ]);
      expect((await summariseAtoms(c, { ...SPAN, population: "dfe" }, "week")).map((a) => [a.period, a.pupils])).toEqual([["2025-09-01", 2]]);
    });
  });
});
