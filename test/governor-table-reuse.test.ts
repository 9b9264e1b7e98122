/**
 * A governor's table (analytics/governor-lattice.ts tableOf) is a function of its atoms'
 * counts and its shape alone: a span's atoms read afresh (each request or pack reads them
 * again without the result cache) give the table already made, not another (issue 11: at
 * 4,500 pupils each took a tenth of a second, fifteen spans a governors' pack), and atoms
 * with other counts (a changed register) never do. By hand on a real register: two half
 * terms of one week each; P1 (1A, then 1B: 2 sessions missed), P2 (left after the first
 * half term: 1 missed), R2 (Year 1 at Reception's age) and R1 (Reception: 2 missed).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { byPopulation, cellKey, planLattice, publishedFigures, type LatticeAtom } from "../analytics/governor-lattice.ts";
import { governorQuery, summariseAtoms } from "../analytics/measures.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { seedMoverLeaverRegister } from "./helpers/mover-leaver-register.ts";

const db = tempDbPath("governor-table-reuse");
const SPAN = governorQuery({ from: "2025-09-01", to: "2025-09-12" });
beforeAll(() => withConnection(db, seedMoverLeaverRegister));
afterAll(() => removeDb(db));

/** The span's atoms, whole roll split by the DfE's population, as governorLattice reads them: a fresh array each read. */
const spanAtoms = () => withConnection(db, async (c) => byPopulation(await summariseAtoms(c, SPAN), await summariseAtoms(c, { ...SPAN, population: "dfe" })));
const OPTIONS = { shape: "full" as const, figures: publishedFigures(null) };

describe("a governor's table, made once for the same counts", () => {
  it("atoms read twice (two arrays) give the one table; the school's cell by hand", async () => {
    const first = await spanAtoms();
    const again = await spanAtoms();
    expect(again).not.toBe(first);
    const a = planLattice(first, 5, OPTIONS);
    const b = planLattice(again, 5, OPTIONS);
    expect(b.cells).toBe(a.cells);
    expect(b.sums).toBe(a.sums);
    // The school: 4 pupils (P2 among the leavers); 20 + 10 + 20 + 20 = 70 possible sessions, 5 missed.
    const school = a.cells.find((g) => g.key === cellKey("school", "all"))!;
    expect([school.pupils, school.possible_sessions, school.attended_sessions]).toEqual([4, 70, 65]);
  });

  it("atoms with another count (a changed register) give their own table, with that count", async () => {
    const first = await spanAtoms();
    const changed: LatticeAtom[] = (await spanAtoms()).map((atom) => (atom.reg_group === "RA" ? { ...atom, possible_sessions: atom.possible_sessions + 2, present_sessions: atom.present_sessions + 2 } : atom));
    const a = planLattice(first, 5, OPTIONS);
    const b = planLattice(changed, 5, OPTIONS);
    expect(b.cells).not.toBe(a.cells);
    expect(b.cells.find((g) => g.key === cellKey("school", "all"))!.possible_sessions).toBe(72);
  });
});
