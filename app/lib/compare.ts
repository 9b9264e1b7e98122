/**
 * Comparing one rate with another (a target, last year, last week) in points and in words.
 * Colour is never the only signal: every comparison carries "better"/"worse" text.
 */
import { formatPoints } from "./format";
import { printedDifference } from "../../analytics/printed-difference.ts";

/** Whether a higher value is good (attendance) or bad (absence, PA). */
export type Direction = "higher-is-better" | "lower-is-better";

export interface Comparison {
  /**
   * current − reference in percentage points, of the figures as printed (one decimal:
   * analytics/printed-difference.ts), so it is what a reader's subtraction gives; null when
   * either is missing.
   */
  gap: number | null;
  /** current − reference unrounded, for a target's test only (met at ≥, analytics/thresholds.ts). */
  exact: number | null;
  /** "+0.4 pts", "−1.2 pts", "—". */
  points: string;
  verdict: "better" | "worse" | "same" | "none";
  /** CSS class from app.css: better / worse / same. */
  className: string;
}

/** Gaps that round to 0.0 points are "the same": a difference nobody could act on. */
export function compareRates(current: number | null, reference: number | null, direction: Direction): Comparison {
  const gap = printedDifference(current, reference);
  if (current === null || reference === null || gap === null) return { gap: null, exact: null, points: formatPoints(null), verdict: "none", className: "same" };
  const verdict = gap === 0 ? "same" : (gap > 0) === (direction === "higher-is-better") ? "better" : "worse";
  return { gap, exact: current - reference, points: formatPoints(gap), verdict, className: verdict };
}

/**
 * "above target" / "below target" / "on target" for a rate against a target, on the
 * unrounded gap (analytics/thresholds.ts): a target is met at ≥, never "within 0.1".
 */
export function targetWords(comparison: Comparison): string {
  if (comparison.verdict === "none" || comparison.exact === null) return "no figure to compare";
  return comparison.exact > 0 ? "above target" : comparison.exact === 0 ? "on target" : "below target";
}

/** "better than" / "worse than" / "the same as" a reference, for sentences. */
export function verdictWords(comparison: Comparison): string {
  switch (comparison.verdict) {
    case "better":
      return "better than";
    case "worse":
      return "worse than";
    case "same":
      return "the same as";
    default:
      return "no figure to compare with";
  }
}
