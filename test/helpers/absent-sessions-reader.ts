/**
 * A reader of a governor's plan who works out a group's absent sessions (possible − attended)
 * by subtraction across sums, as a figure of its own, and bounds its persistently (PA) and
 * severely (SA) absent pupils by them: written out here apart from the planner's rules
 * (analytics/suppression.ts absentSessions, absenceRules), for the tests that try to recover a
 * withheld count (issue 13, cases 8–9).
 */
import { inferBounds, isSmallCount, SUPPRESSED_FIGURES, type AtMostRule, type Bounds, type GroupCounts, type GroupSum, type LinearRule, type SumRule, type SuppressionPlan } from "../../analytics/suppression.ts";

const ABSENT = "absent";

/**
 * The small figures withheld by the primary rule (a small group's pupils, a count of 1 …
 * min − 1 PA or SA pupils, in a small group or not) that this reader pins to one value, as "key|figure". The reader
 * knows every figure the plan publishes; what the planner assumes a reader may know of a
 * withheld small figure (a small group's pupils 1 … min − 1 and its counts 0 … min − 1, a small
 * count 1 … min − 1, when withheld by the primary rule); that every count is at least 0; the
 * sums (`sums`, for every figure and for the absent sessions); possible = attended + absent
 * in each group; PA ≤ pupils, SA ≤ PA; and for a group with AbsenceBounds: least × count ≤
 * absent, and absent ≤ (most − other) × count + other × pupils + uncounted where most > other
 * (a PA pupil misses at least the least and at most the most; any other pupil at most other).
 */
export function pinnedByAbsentSessions(groups: readonly GroupCounts[], sums: readonly GroupSum[], plan: SuppressionPlan, min: number): string[] {
  const known = new Map<string, number>();
  const withheld = new Map<string, Bounds>();
  const small = new Set<string>();
  const unknown = { lo: 0, hi: Number.POSITIVE_INFINITY };
  for (const g of groups) {
    for (const f of SUPPRESSED_FIGURES) {
      const id = `${g.key}|${f}`;
      if (!plan.hidden(g.key, f)) {
        known.set(id, g[f]);
        continue;
      }
      const primary = plan.reason?.(g.key, f) === "primary";
      const smallRow = g.pupils > 0 && g.pupils < min;
      const count = f === "pa_pupils" || f === "sa_pupils";
      let bounds: Bounds = unknown;
      if (primary && smallRow && f === "pupils") bounds = { lo: 1, hi: min - 1 };
      else if (primary && smallRow && count) bounds = { lo: 0, hi: min - 1 };
      else if (primary && count && isSmallCount(g[f], min)) bounds = { lo: 1, hi: min - 1 };
      if (primary && ((smallRow && f === "pupils") || (count && isSmallCount(g[f], min)))) small.add(id);
      withheld.set(id, bounds);
    }
    withheld.set(`${g.key}|${ABSENT}`, unknown);
  }
  const sumRules: SumRule[] = [];
  for (const s of sums) for (const f of [...SUPPRESSED_FIGURES, ABSENT]) sumRules.push({ total: `${s.total}|${f}`, parts: s.parts.map((p) => `${p}|${f}`) });
  const atMost: AtMostRule[] = [];
  const linear: LinearRule[] = [];
  for (const g of groups) {
    const id = (f: string) => `${g.key}|${f}`;
    sumRules.push({ total: id("possible_sessions"), parts: [id("attended_sessions"), id(ABSENT)] });
    atMost.push({ a: id("sa_pupils"), b: id("pa_pupils") }, { a: id("pa_pupils"), b: id("pupils") });
    const a = g.absence;
    if (!a) continue;
    for (const [count, least, most, other] of [
      ["pa_pupils", a.pa_least, a.pa_most, a.pa_other_most],
      ["sa_pupils", a.sa_least, a.sa_most, a.sa_other_most],
    ] as const) {
      if (least > 0 && Number.isFinite(least)) linear.push({ left: [{ id: id(count), times: least }], right: [{ id: id(ABSENT), times: 1 }] });
      if (most > other) {
        const right = [{ id: id(count), times: most - other }, ...(other > 0 ? [{ id: id("pupils"), times: other }] : [])];
        linear.push({ left: [{ id: id(ABSENT), times: 1 }], right, constant: a.uncounted_absent });
      }
    }
  }
  const ranges = inferBounds(known, withheld, sumRules, atMost, linear);
  return [...small].filter((id) => ranges.get(id)!.lo === ranges.get(id)!.hi);
}
