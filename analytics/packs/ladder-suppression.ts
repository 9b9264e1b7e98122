/**
 * The FGB pack's ladder table for governors: primary and complementary suppression over the
 * sums a reader can form with the pack's other figures (issue 13, case 8). The bands below
 * 90 % attendance add up to the pupils the pack prints as persistently absent (attendance
 * under 90 % is absence over 10 %; a pupil at exactly 90.0 % is persistently absent and in no
 * band below 90, but such a pupil is rare, so the sum is treated as exact, which can only
 * withhold more), and the band below 50 % is the severely absent pupils when the lowest
 * threshold is 50 %. Without this, PA 27 with bands of 15 and 10 gave away the "fewer than 5"
 * below 50 %: 27 − 15 − 10 = 2.
 */
import { protect, WITHHELD_TEXT, isSmallCount, type DisclosureCell, type SumRule } from "../suppression.ts";
import type { Cell } from "./model.ts";
import { num } from "./format.ts";

/** Cost of withholding the pack's headline counts instead of a band: never chosen first. */
const HEADLINE_COST = 1_000;

/**
 * The ladder's sums, with the published persistently (`pa`) and severely (`sa`) absent counts.
 * `thresholds` are the ladder's, highest first; band i runs from thresholds[i + 1] to under
 * thresholds[i], the last band is below the last threshold.
 */
export function ladderSums(thresholds: number[]): SumRule[] {
  const band = (i: number) => `band:${i}`;
  const belowPa = thresholds.map((t, i) => ({ t, i })).filter(({ t }) => t <= 90).map(({ i }) => band(i));
  const sums: SumRule[] = belowPa.length ? [{ total: "pa", parts: belowPa }] : [];
  if (thresholds.length && thresholds[thresholds.length - 1] === 50) sums.push({ total: "sa", parts: [band(thresholds.length - 1)] });
  return sums;
}

/**
 * The ladder table's pupil cells: a count, or withheld (WITHHELD_TEXT) when it is 1 … min − 1
 * or when printing it would let such a count be worked out from `pa` and `sa`. `min` null
 * (staff) prints every count. Returns one cell per band, in the bands' order.
 */
export function ladderCountCells(
  bands: number[],
  thresholds: number[],
  headline: { pa: number; sa: number },
  min: number | null,
  /** The headline counts the span's plan withholds (packSuppression): they stay unknown. */
  headlineWithheld: { pa: boolean; sa: boolean } = { pa: false, sa: false },
): Cell[] {
  if (min === null) return bands.map((n) => num(n));
  const small = (value: number) => (isSmallCount(value, min) ? { lo: 1, hi: min - 1 } : undefined);
  const cells: DisclosureCell[] = [
    ...bands.map((value, i) => ({ id: `band:${i}`, value, primary: small(value) })),
    { id: "pa", value: headline.pa, primary: small(headline.pa), cost: HEADLINE_COST, unpublished: (headlineWithheld.pa && !small(headline.pa)) || undefined },
    { id: "sa", value: headline.sa, primary: small(headline.sa), cost: HEADLINE_COST, unpublished: (headlineWithheld.sa && !small(headline.sa)) || undefined },
  ];
  const hidden = protect(cells, ladderSums(thresholds));
  return bands.map((value, i) => {
    const why = hidden.get(`band:${i}`);
    // One word whatever withheld it (analytics/suppression.ts WITHHELD_TEXT).
    if (why) return { kind: "suppressed", text: WITHHELD_TEXT };
    return num(value);
  });
}
