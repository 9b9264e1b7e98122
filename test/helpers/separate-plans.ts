/**
 * The governors' plans as they were before one plan per span (issue 13, cases 8–9): each
 * artefact planned on its own. Kept only for the controls of test/one-plan-per-span.test.ts,
 * which show what a reader could work out from their union.
 */
import type { Connection } from "../../analytics/db.ts";
import { summarise, summariseBy, type MeasureQuery } from "../../analytics/measures.ts";
import { SUPPRESSED_FIGURES, countsOf, governorSuppression, groupKey, minus, planSuppression, type GroupCounts, type GroupSum, type SuppressionPlan } from "../../analytics/suppression.ts";
import { REPORT_DIMENSIONS, REPORT_KEYS } from "../../analytics/benchmarks/report-suppression.ts";

/** The FGB pack's own plan for one span: year groups and classes, the focus groups beside the rest. */
export function separatePackPlan(connection: Connection, span: { from: string; to: string }, min: number): Promise<SuppressionPlan> {
  const dimensions = [
    { by: "sen" as const, values: ["E", "K"] },
    { by: "fsm" as const, values: ["Y"] },
    { by: "eal" as const, values: ["Y"] },
    { by: "lac" as const, values: ["Y"] },
  ];
  return governorSuppression(connection, span, { yearsAndClasses: true, dimensions }, min);
}

/** The head's report's own plan for one period (keys as REPORT_KEYS, groups on the DfE's population). */
export async function separateReportPlan(connection: Connection, period: { from: string; to: string }, min: number): Promise<SuppressionPlan> {
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
  if (true) {
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
  return planSuppression(groups, sums, min);
}
