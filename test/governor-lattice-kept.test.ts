/**
 * The governors' plans are kept in the process by their table (analytics/governor-lattice.ts
 * planOnce: Table.id, one number per table of atoms' counts and shape), not by the atoms'
 * counts written out in the key: a table of other counts, or of the same pupils in other
 * populations, must never be given another table's kept plan. Three registers of the same
 * pupils over the same two weeks: A; B with one pupil present where A has them off ill three
 * days (other counts: one persistently absent pupil fewer); C with one pupil's date of birth
 * making them a Reception-age child, outside the DfE's population (every whole-roll count as
 * A's: only the table's population cells differ). Each is planned after the others' plans
 * are kept, whole span and week by week, and must be what it is planned afresh (every kept
 * plan forgotten), and differ from A's, so a plan shared between them would be seen.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection, withSharedReads } from "../analytics/db.ts";
import { forgetKeptPlans, governorLattice, type LatticePlan } from "../analytics/governor-lattice.ts";
import type { MeasureQuery } from "../analytics/measures.ts";
import { seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister, type TestMark, type TestPupil } from "./helpers/register.ts";
import { latticeSchool } from "./helpers/lattice-school.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const MIN = 5;
const SPAN: MeasureQuery = { from: "2026-01-05", to: "2026-01-16" };
const FIGURES = ["pupils", "possible_sessions", "attended_sessions", "pa_pupils", "sa_pupils", "absent_pupils"] as const;

/** The school of test/governor-lattice.test.ts (latticeSchool); `variant` changes one pupil (see the module's words). */
function register(variant: "A" | "B" | "C"): { pupils: TestPupil[]; marks: TestMark[] } {
  return latticeSchool({ p3f1AbsentDays: variant === "B" ? 0 : 3, p3f2Dob: variant === "C" ? "2021-01-01" : undefined });
}

const dbs = { A: tempDbPath("lattice-kept-a"), B: tempDbPath("lattice-kept-b"), C: tempDbPath("lattice-kept-c") };
/** A's register with its two weeks a half term of the calendar (its groups then derived from its year's rows). */
const calendar = tempDbPath("lattice-kept-calendar");

beforeAll(async () => {
  for (const variant of ["A", "B", "C"] as const) await withConnection(dbs[variant], (c) => seedRegister(c, register(variant)));
  await withConnection(calendar, async (c) => {
    await seedSchoolDays(c, [{ from: SPAN.from, to: SPAN.to, half: "spring-1-2026", term: "spring-2026" }]);
    await seedRegister(c, register("A"));
  });
});
afterAll(async () => {
  for (const db of [...Object.values(dbs), calendar]) await removeDb(db);
});

/** A plan written out: every cell's counts and every figure's decision and words. */
function written(plan: LatticePlan): string {
  const s = plan.suppression;
  return plan.cells
    .map((c) => `${JSON.stringify({ ...c, absence: undefined })} row=${s.rowHidden(c.key)} ` + FIGURES.map((f) => `${f}=${s.hidden(c.key, f) ? `H:${s.text(c.key, f)}` : "-"}`).join(" "))
    .join("\n");
}

/** Every plan of the register: the whole span's and each week's, written out, by period. */
async function plansOf(db: string): Promise<Map<string, string>> {
  return withConnection(db, async (c) => {
    const plans = new Map<string, string>();
    for (const [period, plan] of await governorLattice(c, SPAN, null, MIN)) plans.set(`span ${period}`, written(plan));
    for (const [period, plan] of await governorLattice(c, SPAN, "week", MIN)) plans.set(`week ${period}`, written(plan));
    return plans;
  });
}

describe("the governors' plans kept in the process", () => {
  it("are never another table's: other counts, or the same counts in other populations", async () => {
    forgetKeptPlans();
    const fresh = new Map<string, Map<string, string>>();
    for (const variant of ["A", "B", "C"] as const) {
      forgetKeptPlans();
      fresh.set(variant, await plansOf(dbs[variant]));
    }
    // The registers' plans differ (a plan shared between them would be seen) …
    expect(fresh.get("B")!.get("span ")).not.toBe(fresh.get("A")!.get("span "));
    expect(fresh.get("C")!.get("span ")).not.toBe(fresh.get("A")!.get("span "));
    expect([...fresh.get("B")!.keys()].filter((k) => k.startsWith("week ")).some((k) => fresh.get("B")!.get(k) !== fresh.get("A")!.get(k))).toBe(true);
    // … and each, planned with the others' plans kept (in both orders), is its own plan.
    forgetKeptPlans();
    for (const order of [["A", "B", "C"], ["C", "B", "A"], ["B", "A", "C"]] as const) {
      for (const variant of order) expect(await plansOf(dbs[variant]), `${variant} after ${order.join(", ")}`).toEqual(fresh.get(variant));
    }
  }, 60_000);

  it("are found by their groups, not worked out again, in a later piece of work on an unchanged register", async () => {
    // Each piece of work (a pack, a page without the result cache) reads the year afresh; its
    // rows the same, the span's groups, table and plan are the same objects as the last piece's.
    const planIn = () => withConnection(calendar, (c) => withSharedReads(c, async () => (await governorLattice(c, SPAN, null, MIN)).get("")!));
    const first = await planIn();
    expect(first.cells.length).toBeGreaterThan(10);
    const again = await planIn();
    expect(again).toBe(first);
    expect(again.cells).toBe(first.cells);
  }, 60_000);
});
