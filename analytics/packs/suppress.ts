/**
 * Small-group suppression for governors' packs. A governor must not be able to recognise a
 * pupil, so:
 * - a group with fewer than `min` pupils shows no figures;
 * - complementary (secondary) suppression across tables that share a total is planned by
 *   analytics/suppression.ts, which the FGB pack's group tables read;
 * - a count of pupils (PA, SA, pupils in a band) between 1 and min − 1 is withheld, and the
 *   matching percentage since it would give the count away.
 * Every withheld figure reads "withheld" (analytics/suppression.ts WITHHELD_TEXT).
 * The SLT pack is for staff and passes `min = null`: nothing is withheld.
 */
import type { Cell } from "./model.ts";
import { num, rate } from "./format.ts";
import { WITHHELD_TEXT } from "../suppression.ts";

export type SuppressionMin = number | null;

/** A pupil count that might identify someone: 1 … min − 1 is withheld. */
export function pupilCountCell(value: number, min: SuppressionMin): Cell {
  if (min !== null && value > 0 && value < min) return { kind: "suppressed", text: WITHHELD_TEXT };
  return num(value);
}

/** The percentage that goes with a pupil count, withheld when the count is. */
export function pupilRateCell(countValue: number, value: number | null, min: SuppressionMin): Cell {
  if (min !== null && countValue > 0 && countValue < min) return { kind: "suppressed", text: WITHHELD_TEXT };
  return rate(value);
}

/** True when a pupil count would be shown as "fewer than min". */
export function isSmallCount(value: number, min: SuppressionMin): boolean {
  return min !== null && value > 0 && value < min;
}
