/**
 * The demo school (built for 23 November 2026) and the governors' plans of its 2024/25 spans,
 * for the tests that read them as a governor would (test/governor-over-protection.test.ts,
 * test/governor-attack14-periods.test.ts): the database built once per file, the year's half
 * terms, a span's plan, and which cells no reader is given or every reader knows.
 */
import { afterAll, beforeAll } from "vitest";
import { withConnection } from "../../analytics/db.ts";
import { buildDemo } from "../../analytics/demo/index.ts";
import { DFE_PRINTED_DIMENSIONS, governorLattice, type LatticePlan } from "../../analytics/governor-lattice.ts";
import { halfTermsOf, type HalfTerm } from "../../analytics/governor-periods.ts";
import { LEAVERS_PREFIX } from "../../analytics/leavers.ts";
import { removeDb, tempDbPath } from "./db.ts";

export const TODAY = "2026-11-23";
/** The small-group minimum the plans use (the demo's setting). */
export const MIN = 5;
export const FIGURES = ["pupils", "possible_sessions", "attended_sessions", "pa_pupils", "sa_pupils"] as const;
export type Figure = (typeof FIGURES)[number];

/**
 * Builds the demo in a file named after `name` before the file's tests (within `timeoutMs`)
 * and removes it after. `halves()`: 2024/25's half terms; `halvesOf(year)`: another academic
 * year's half terms that ended before TODAY; `planOf(span)`: the whole school's
 * governor plan of a span (analytics/governor-lattice.ts), ISO dates inclusive.
 */
export function demo2024Plans(
  name: string,
  timeoutMs: number,
): { halves(): HalfTerm[]; halvesOf(academicYear: string): Promise<HalfTerm[]>; planOf(span: { from: string; to: string }): Promise<LatticePlan> } {
  let db = "";
  let halves: HalfTerm[] = [];
  beforeAll(async () => {
    db = tempDbPath(name);
    await buildDemo(db, { today: TODAY });
    halves = await withConnection(db, async (c) => (await halfTermsOf(c)).filter((h) => h.academicYear === "2024/25"));
  }, timeoutMs);
  afterAll(async () => {
    await removeDb(db);
  });
  return {
    halves: () => halves,
    halvesOf: (academicYear) => withConnection(db, async (c) => (await halfTermsOf(c)).filter((h) => h.academicYear === academicYear && h.to < TODAY)),
    planOf: (span) => withConnection(db, async (c) => (await governorLattice(c, span, null, MIN)).get("")!),
  };
}

/**
 * The leavers' cells (their year group, class or value of a characteristic, not the rest beside
 * it): pupils and sessions known to every reader (governor-lattice.ts isLeaversPublic).
 */
export const isLeavers = (key: string): boolean => {
  const [unit, group] = key.split("|");
  return unit.includes(LEAVERS_PREFIX) || (!group.startsWith("rest:") && group.includes(LEAVERS_PREFIX));
};

/**
 * Never printed (analytics/governor-lattice.ts isUnprinted, isUnpublished): the pupils outside
 * the DfE's population, a year group's part in a population (a stronger reader: the DfE's
 * part of a printed group is printed), a DfE-basis group the report does not compare or its
 * rest, and PA and SA of a group within a year group or class.
 */
export const neverPrinted = (key: string, f: Figure): boolean =>
  key.startsWith("outside|") ||
  key.includes("&population:") ||
  (key.startsWith("dfe|") && key !== "dfe|all" && !DFE_PRINTED_DIMENSIONS.some((d) => key.startsWith(`dfe|${d}:`))) ||
  ((f === "pa_pupils" || f === "sa_pupils") && !key.startsWith("school|") && !key.startsWith("dfe|") && !key.endsWith("|all"));
