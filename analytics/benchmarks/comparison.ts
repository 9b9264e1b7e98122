/**
 * The gap between the school and a published figure, and the plain-data view of a figure a
 * page needs. Pure and DB-free: components may import it.
 */
import { citeSource, describeSource, formatGapWords } from "./labels.ts";
import { printedDifference } from "../printed-difference.ts";

export type Direction = "better" | "worse" | "same";

export interface Comparison {
  schoolValue: number | null;
  benchmarkValue: number | null;
  /** School minus benchmark, in percentage points; null without both figures. */
  gapPoints: number | null;
  direction: Direction | null;
  /** "0.4 pts better", "same", "no published figure" or "no school figure". */
  words: string;
}

/**
 * The gap between the school and a benchmark and which side is better. For absence
 * measures lower is better; for attendance (a target) higher is. A gap that rounds to 0.0
 * points is "same": the figures cannot tell the difference at the precision printed.
 */
export function compareWithNational(
  schoolValue: number | null,
  benchmark: { value: number; phase?: string } | null,
  higherIsBetter = false,
): Comparison {
  const benchmarkValue = benchmark?.value ?? null;
  if (benchmarkValue === null) return { schoolValue, benchmarkValue, gapPoints: null, direction: null, words: "no published figure" };
  if (schoolValue === null) return { schoolValue, benchmarkValue, gapPoints: null, direction: null, words: "no school figure" };
  // The printed figures' difference (analytics/printed-difference.ts): both print to one decimal.
  const gapPoints = printedDifference(schoolValue, benchmarkValue) as number;
  // A primary school against all state-funded schools (secondary and special included) is
  // not like for like (issue 13, case 3): the gap is given, but never called better or worse.
  if (benchmark?.phase === "all-state-funded") {
    return { schoolValue, benchmarkValue, gapPoints, direction: null, words: ALL_SCHOOLS_CAVEAT };
  }
  const direction: Direction = gapPoints === 0 ? "same" : gapPoints < 0 !== higherIsBetter ? "better" : "worse";
  return { schoolValue, benchmarkValue, gapPoints, direction, words: formatGapWords(gapPoints, direction) };
}

/** Said wherever a primary school is shown beside a figure for all state-funded schools. */
export const ALL_SCHOOLS_CAVEAT = "for reference only: all state-funded schools, secondary and special included — not like for like";

/** What a page needs to show a published figure: plain numbers and strings only. */
export interface NationalFigure {
  value: number;
  /** "primary" or "all-state-funded" (then shown with ALL_SCHOOLS_CAVEAT, never a badge). */
  phase: string;
  /** The source in words: publication, period covered, date published, address. */
  citation: string;
  /** "National (primary, 2024/25 full year)". */
  label: string;
  /** "Pupil absence in schools in England (school census), 2024/25 autumn term". */
  source: string;
  sourceUrl: string;
  periodEnd: string | null;
  notes: string[];
}

export function toNationalFigure(benchmark: {
  value: number;
  phase: string;
  academicYear: string;
  period: import("./store.ts").BenchmarkPeriod;
  label: string;
  publication: string;
  release: string;
  sourceKind: "census" | "daily";
  sourceUrl: string;
  periodEnd: string | null;
  notes: string[];
}): NationalFigure {
  return {
    value: benchmark.value,
    phase: benchmark.phase,
    citation: citeSource(benchmark),
    label: benchmark.label,
    source: describeSource(benchmark),
    sourceUrl: benchmark.sourceUrl,
    periodEnd: benchmark.periodEnd,
    notes: benchmark.notes,
  };
}
