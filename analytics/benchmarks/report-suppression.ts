/**
 * The head's benchmark report as a governor may read it (issue 9: "groups below the school's
 * small-group minimum are suppressed on every page a governor sees, as in the FGB pack";
 * issue 13, cases 8–9): the same primary and complementary suppression as the FGB pack and
 * the governors' Groups page (analytics/suppression.ts), planned over the figures the report
 * publishes, so that no withheld figure can be worked out from the published ones.
 *
 * What the report publishes, for each period (the year, each term begun), on the DfE's
 * population (pupils aged 5–15 on 31 August): the school's pupils, possible sessions, absence
 * sessions, persistently and severely absent pupils; the school's whole-roll figures beside
 * them (the target row; whole roll = DfE population + Reception and nursery, a difference a
 * reader can take); and, for the period the group comparison covers, each pupil group
 * (FSM, SEN, EAL, sex) — whose values add up to the school, and each of which is the school
 * less the rest of the school. Every one of those sums is given to the planner.
 */
import type { Connection } from "../db.ts";
import { NO_SUPPRESSION, type SuppressionPlan } from "../suppression.ts";
import { governorLattice } from "../governor-lattice.ts";

/**
 * Keys the report's plan answers for, beside groupKey.school ("school": the whole roll, as
 * on the Overview and in the FGB pack, so the one figure is withheld in every place or none
 * — a governor reads both pages — and the whole roll's figures are the last to be withheld).
 */
export const REPORT_KEYS = {
  /** The DfE's population (pupils aged 5–15 on 31 August): the figures compared with published ones. */
  dfe: "dfe",
  /** The pupils outside the DfE's population: never printed, but a reader can subtract to it. */
  outsidePopulation: "rest:population",
} as const;

/** The pupil characteristics the report compares (analytics/benchmarks/report.ts SCHOOL_GROUPS). */
export const REPORT_DIMENSIONS = ["fsm", "sen", "eal", "sex"] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];


/**
 * The suppression plan for one period of the report: `from`/`to` inclusive ISO dates. It is
 * THE plan of that span every governor's artefact reads (analytics/governor-lattice.ts: the
 * pages, the FGB pack, this report), read by the report's keys (LatticePlan.asGroupPlan
 * "dfe"): "school" (the whole roll), REPORT_KEYS.dfe (the DfE's population),
 * REPORT_KEYS.outsidePopulation, and groupKey.group(dimension, value) for each group on the
 * DfE's population. One plan per span, not one per artefact: the Groups page's whole-roll
 * "No SEN" figure beside a report's "SEN support" figure planned apart gave the EHC plan's
 * count away. `groups` is kept for callers: the span's plan always covers the groups. `min`
 * is the school's small-group minimum (settings.small_group_min). A span without marks
 * withholds nothing. Throws what the measures throw.
 */
export async function reportPeriodSuppression(
  connection: Connection,
  period: { from: string; to: string },
  options: { groups: boolean; min: number },
): Promise<SuppressionPlan> {
  const plan = (await governorLattice(connection, { from: period.from, to: period.to }, null, options.min)).get("");
  return plan ? plan.asGroupPlan("dfe") : { ...NO_SUPPRESSION, min: options.min };
}
