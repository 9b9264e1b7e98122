/**
 * The gap between the school and a published figure, and the plain-data view of a figure a
 * page needs. Pure and DB-free: components may import it.
 */
import { citeSource, describePeriod, describeSource, formatGapWords, formatIsoDate } from "./labels.ts";
import { printedDifference } from "../printed-difference.ts";
import type { BenchmarkPeriod } from "./store.ts";

export type Direction = "better" | "worse" | "same";

export interface Comparison {
  schoolValue: number | null;
  benchmarkValue: number | null;
  /** School minus benchmark, in percentage points; null without both figures. */
  gapPoints: number | null;
  direction: Direction | null;
  /** "0.4 pts better", "same", "no published figure" or "no school figure". */
  words: string;
  /**
   * When the verdict is given across days that differ (a release within NEAR_DAYS of the
   * school's last day), what they are, in words; `words` ends with it in brackets. A badge
   * shows `words` without it (verdictBadgeWords) and prints it beside the badge.
   */
  periodsNote?: string;
}

/** A verdict's words for a badge: `words` without its periods note (printed beside it). */
export function verdictBadgeWords(comparison: Comparison): string {
  return comparison.periodsNote ? comparison.words.slice(0, comparison.words.length - comparison.periodsNote.length - 3) : comparison.words;
}

/**
 * The school's period a figure is compared over: its academic year ("2026/27"), the kind of
 * published period it answers to (year-to-date for the year so far or the whole year, a term
 * for a term), its last day (ISO) and whether it is complete (the year's or the term's last
 * school day has passed — a complete year is the full year).
 */
export interface SchoolSpan {
  academicYear: string;
  kind: BenchmarkPeriod;
  to: string;
  complete: boolean;
}

/** The period of a published figure, as stored (analytics/benchmarks/store.ts). */
export interface PublishedSpan {
  academicYear: string;
  period: BenchmarkPeriod;
  periodEnd: string | null;
}

/**
 * A year-to-date release "at or near" the school's period end: the DfE publishes its
 * daily-data release fortnightly, so the newest one ends up to two weeks from any day.
 */
export const NEAR_DAYS = 14;

const daysBetween = (a: string, b: string) => Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000;

/** The school's period in words: "2026/27 to 23 Oct 2026", "2025/26 full year", "2026/27 autumn term (to 23 Oct 2026)". */
export function describeSchoolSpan(span: SchoolSpan): string {
  if (span.kind === "year-to-date" || span.kind === "full-year") return span.complete ? `${span.academicYear} full year` : `${span.academicYear} to ${formatIsoDate(span.to)}`;
  return `${describePeriod(span.academicYear, span.kind, null)}${span.complete ? "" : ` (to ${formatIsoDate(span.to)})`}`;
}

/**
 * Like for like in time (issue 13, case 2, and items 1–3's "like for like"): a published figure
 * may be called better or worse than the school's only when it covers the same period — the
 * same academic year and the same span: the full year against the school's full year, a
 * year-to-date release ending within NEAR_DAYS of the school's last day against the school's
 * year to date (or its whole year), or a whole term against the same whole term. Anything
 * else (last year's full year against this autumn, a release months older than the school's
 * period, a term still running) is shown for reference with its period, never a verdict:
 * absence in autumn is usually lower than over a year, so such a badge flatters or damns
 * the school for the season, not its attendance. `reason` says why in words, or null.
 */
export function likeForLike(school: SchoolSpan, published: PublishedSpan): { like: boolean; reason: string | null; periods: string | null } {
  const theirs = describePeriod(published.academicYear, published.period, published.periodEnd);
  // A term still running (a governor's Autumn 2026 is its first half term): said as what it is,
  // part of a term against a whole term (trial 16a).
  const partOfTerm = school.kind !== "year-to-date" && school.kind !== "full-year" && published.period === school.kind && !school.complete;
  const unlike = (why: string) => {
    const periods = `the published figure is for ${theirs}, the school's for ${describeSchoolSpan(school)}${why ? ` (${why})` : ""}`;
    return { like: false, reason: `for reference only: ${periods} — not the same period, so no verdict`, periods };
  };
  const like = { like: true, reason: null, periods: null };
  const partWords = "part of the term against the whole term";
  if (published.academicYear !== school.academicYear) return unlike(partOfTerm ? partWords : "");
  const near = published.period === "year-to-date" && published.periodEnd !== null && daysBetween(published.periodEnd, school.to) <= NEAR_DAYS;
  if (school.kind === "year-to-date" || school.kind === "full-year") {
    if (school.complete && published.period === "full-year") return like;
    if (near) return like;
    return unlike(published.period === "year-to-date" ? `its data end more than ${NEAR_DAYS} days from the school's` : "");
  }
  if (published.period === school.kind && school.complete) return like;
  return unlike(partOfTerm ? partWords : "");
}

/**
 * The gap between the school and a benchmark and which side is better — the one function
 * every page, report and pack uses for a verdict against a published or target figure. For
 * absence measures lower is better; for attendance (a target) higher is. A gap that rounds
 * to 0.0 points is "same": the figures cannot tell the difference at the precision printed.
 * No verdict (direction null, the gap and its caveat in words) against all state-funded
 * schools (case 3), or against a published figure for another period than `span` (likeForLike).
 * `span` is the school's period; null only for a figure with no period (the school's target).
 */
export function compareWithNational(
  schoolValue: number | null,
  benchmark: { value: number; phase?: string } | ({ value: number; phase?: string } & PublishedSpan) | null,
  higherIsBetter: boolean,
  span: SchoolSpan | null,
): Comparison {
  const benchmarkValue = benchmark?.value ?? null;
  if (benchmarkValue === null) return { schoolValue, benchmarkValue, gapPoints: null, direction: null, words: "no published figure" };
  if (schoolValue === null) return { schoolValue, benchmarkValue, gapPoints: null, direction: null, words: "no school figure" };
  // The printed figures' difference (analytics/printed-difference.ts): both print to one decimal.
  const gapPoints = printedDifference(schoolValue, benchmarkValue) as number;
  const noVerdict = noVerdictWords(benchmark!, span);
  if (noVerdict) return { schoolValue, benchmarkValue, gapPoints, direction: null, words: noVerdict };
  const direction: Direction = gapPoints === 0 ? "same" : gapPoints < 0 !== higherIsBetter ? "better" : "worse";
  // Compared across days that differ (the rule in likeForLike: a release within NEAR_DAYS of
  // the school's last day), the verdict says so, so that the one rule is visible wherever it
  // gives a verdict (trial 16a: "0.7 pts better" for the school to 20 Jul against national to
  // 10 Jul, beside "not the same period" for another year's figure).
  const near =
    benchmark && "period" in benchmark && benchmark.period === "year-to-date" && benchmark.periodEnd && span && benchmark.periodEnd !== span.to
      ? `published data to ${formatIsoDate(benchmark.periodEnd)}, the school's to ${formatIsoDate(span.to)}: within ${NEAR_DAYS} days, close enough to compare`
      : null;
  const words = formatGapWords(gapPoints, direction);
  return near ? { schoolValue, benchmarkValue, gapPoints, direction, words: `${words} (${near})`, periodsNote: near } : { schoolValue, benchmarkValue, gapPoints, direction, words };
}

/**
 * Why a published figure may not be called better or worse than the school's over `span`, in
 * the words every page gives ("for reference only: the published figure is for 2025/26 year to
 * date to 10 Jul 2026, the school's for 2026/27 to 7 Dec 2026 — not the same period, so no
 * verdict"), or null when it may: the one rule compareWithNational judges by, for a page that
 * shows a figure beside the school's without a verdict of its own (the Trust page's national
 * row, trial 53). A figure for all state-funded schools (secondary and special included) is
 * not like for like for a primary school (issue 13, case 3); one of another period than `span`
 * neither (likeForLike); every reason is said, both together (trial 16a: Autumn 1 against the
 * whole autumn term had said only "all state-funded schools"). A figure with no period (the
 * school's target) is judged on any span; `span` null with a period: the school's is not known.
 */
export function noVerdictWords(benchmark: { phase?: string } | ({ phase?: string } & PublishedSpan), span: SchoolSpan | null): string | null {
  const like =
    "period" in benchmark
      ? span
        ? likeForLike(span, benchmark)
        : { like: false, reason: "for reference only: the school's period is not known, so no verdict", periods: "the school's period is not known" }
      : { like: true, reason: null, periods: null };
  if (benchmark.phase === "all-state-funded") {
    return like.like ? ALL_SCHOOLS_CAVEAT : `for reference only: all state-funded schools, secondary and special included; ${like.periods} — not like for like`;
  }
  return like.like ? null : like.reason;
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
  academicYear: string;
  period: BenchmarkPeriod;
  notes: string[];
}

export function toNationalFigure(benchmark: {
  value: number;
  phase: string;
  academicYear: string;
  period: BenchmarkPeriod;
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
    academicYear: benchmark.academicYear,
    period: benchmark.period,
    notes: benchmark.notes,
  };
}
