/**
 * The Trust page's national row: the published figures shown beside every school's year to date,
 * never judged (the page gives no verdict of its own), and why they may not be read as one where
 * they may not — the Benchmarks page's one rule (benchmarks/comparison.ts noVerdictWords). Trial
 * 53: each school's 2026/27 to 7 Dec sat beside "National (primary, 2025/26 year to date to 10 Jul
 * 2026)" with nothing said, where Benchmarks says "not the same period, so no verdict". Pure.
 */
import { noVerdictWords, type PublishedSpan } from "./benchmarks/comparison.ts";

/**
 * The caveat for the national row, or null when the figures cover the schools' period (and
 * phase): `period`, the Trust page's academic year to `to` (ISO; `complete` once the year's last
 * day has passed), as each school's figures are counted; `figures`, the national absence and
 * persistent absence shown (null where none is published). Each figure's reason once, in the
 * order given (the two of one release say the same once). Sentence case, ends with a full stop.
 */
export function trustNationalCaveat(period: { academicYear: string; to: string; complete: boolean }, figures: ReadonlyArray<({ phase: string } & PublishedSpan) | null>): string | null {
  const span = { academicYear: period.academicYear, kind: "year-to-date" as const, to: period.to, complete: period.complete };
  const reasons = [...new Set(figures.flatMap((figure) => (figure ? [noVerdictWords(figure, span)] : [])).filter((words): words is string => words !== null))];
  if (reasons.length === 0) return null;
  const sentence = reasons.join("; ");
  return `${sentence[0].toUpperCase()}${sentence.slice(1)}.`;
}
