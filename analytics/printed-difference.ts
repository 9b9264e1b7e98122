/**
 * The difference between two printed percentages, as a reader with a calculator gets it.
 *
 * Every rate is printed to one decimal place (`value.toFixed(1)`: app/lib/format.ts formatPct,
 * analytics/packs/format.ts pct). A gap, a "pts better/worse" or a change between periods
 * printed beside its two figures must equal the difference of those printed figures: 41.6 %
 * against 45.1 % is a gap of −3.5 pts, even when the unrounded rates (41.63 %, 45.15 %) differ
 * by 3.52 and the gap of the unrounded rates would print as −3.5 — or, at 41.56 % against
 * 45.14 %, as −3.6 beside figures that differ by 3.5 (the fault a governor found).
 *
 * Units: percentage points. Pure and DB-free: pages' components and the packs both use it.
 * Tests that a figure meets a target stay on the unrounded rates (analytics/thresholds.ts).
 */

/** Decimal places every percentage is printed with. */
export const PRINTED_DECIMALS = 1;

/** The value a reader sees: `value` rounded as toFixed(digits) prints it. */
export function asPrinted(value: number, digits = PRINTED_DECIMALS): number {
  return Number(value.toFixed(digits));
}

/**
 * `a − b` of the printed figures, in points, exact to `digits` places (no floating-point
 * remainder); null when either figure is missing (null, undefined or NaN).
 * printedDifference(41.56, 45.14) = −3.5 (41.6 − 45.1), not −3.58.
 */
export function printedDifference(a: number | null | undefined, b: number | null | undefined, digits = PRINTED_DECIMALS): number | null {
  if (a === null || a === undefined || b === null || b === undefined || Number.isNaN(a) || Number.isNaN(b)) return null;
  const scale = 10 ** digits;
  return Math.round(asPrinted(a, digits) * scale - asPrinted(b, digits) * scale) / scale;
}
