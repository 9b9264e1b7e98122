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
import { summarise, summariseBy, type MeasureQuery } from "../measures.ts";
import { SUPPRESSED_FIGURES, countsOf, groupKey, minus, planSuppression, type GroupCounts, type GroupSum, type SuppressionPlan } from "../suppression.ts";

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
 * The suppression plan for one period of the report: `from`/`to` inclusive ISO dates; with
 * `groups`, the pupil groups compared over this period are planned too. `min` is the
 * school's small-group minimum (settings.small_group_min). Keys: "school" (the whole roll),
 * REPORT_KEYS.dfe (the DfE's population), and groupKey.group(dimension, value) for each group
 * (on the DfE's population). Every figure
 * is read from the measures (summarise, summariseBy), as the report's own.
 */
export async function reportPeriodSuppression(
  connection: Connection,
  period: { from: string; to: string },
  options: { groups: boolean; min: number },
): Promise<SuppressionPlan> {
  const query: MeasureQuery = { from: period.from, to: period.to, population: "dfe" };
  const school = countsOf(REPORT_KEYS.dfe, await summarise(connection, query));
  const whole = countsOf(groupKey.school, await summarise(connection, { from: period.from, to: period.to }));
  const groups: GroupCounts[] = [whole, school];
  const sums: GroupSum[] = [];
  // A remainder with no pupils (a junior school has no Reception; a group of every pupil has
  // no rest) is no figure at all: the sum is then an equality, and the empty remainder is
  // left out (a planner offered it would withhold a 0 that "at most 0 pupils" gives back).
  const split = (total: GroupCounts, part: GroupCounts, restKey: string) => {
    const rest = minus(restKey, total, part);
    if (rest.pupils === 0) {
      sums.push({ total: total.key, parts: [part.key] });
    } else {
      groups.push(rest);
      sums.push({ total: total.key, parts: [part.key, rest.key] });
    }
  };
  split(whole, school, REPORT_KEYS.outsidePopulation);
  if (options.groups) {
    for (const by of REPORT_DIMENSIONS) {
      const rows = await summariseBy(connection, query, by);
      const values = rows.map((row) => countsOf(groupKey.group(by, row.group), row));
      for (const value of values) {
        groups.push(value);
        split(school, value, `rest:${value.key}`);
      }
      // The values add up to the school only when every pupil has one (no unrecorded value):
      // a sum that does not hold would mislead the planner, so it is given only when it does.
      const adds = SUPPRESSED_FIGURES.every((field) => values.reduce((total, value) => total + value[field], 0) === school[field]);
      if (adds && values.length > 1) sums.push({ total: REPORT_KEYS.dfe, parts: values.map((value) => value.key) });
    }
  }
  return planSuppression(groups, sums, options.min);
}
