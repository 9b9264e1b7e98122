/**
 * The definition the fewest-pupils-on-a-day reads (analytics/measures.ts fewestPupilsOnADay,
 * fewestPupilsOnADays) are tested against, shared by their tests: the fewest pupils of each
 * group on any day, summed by hand from every finest group's every date (summariseAtoms by date).
 */
import type { AtomCounts, PupilDimension } from "../../analytics/measures.ts";

/** The sets of characteristics the tests ask for: the school, year group, class, both, SEN. */
export const SETS: PupilDimension[][] = [[], ["year_group"], ["reg_group"], ["year_group", "reg_group"], ["sen"]];

/** The group's key, "set:values" (the school's set is "school"). */
const keyOf = (set: readonly PupilDimension[], values: readonly (string | null)[]) => `${set.join("+") || "school"}:${values.join("+")}`;

/** Each set's groups as "set:values" → fewest, from the read's rows. */
export const keyed = (rows: Array<{ set: number; values: string[]; fewest: number }>) => Object.fromEntries(rows.map((r) => [keyOf(SETS[r.set], r.values), r.fewest]));

/** The definition: every finest group's every date, summed into each set's groups, the least non-zero day. */
export function fromAtoms(daily: AtomCounts[]): Record<string, number> {
  const days = new Map<string, Map<string, number>>();
  for (const atom of daily) {
    const day = days.get(atom.period) ?? new Map<string, number>();
    for (const set of SETS) {
      const key = keyOf(set, set.map((d) => atom[d] as string | null));
      day.set(key, (day.get(key) ?? 0) + atom.pupils);
    }
    days.set(atom.period, day);
  }
  const fewest: Record<string, number> = {};
  for (const day of days.values()) for (const [key, pupils] of day) if (pupils > 0) fewest[key] = Math.min(fewest[key] ?? pupils, pupils);
  return fewest;
}
