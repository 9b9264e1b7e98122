/**
 * The school's figure against a published one, in words:
 * "National (primary, 2024/25 full year): 5.2% — 0.4 pts better", the source on hover and
 * as a footnote link; or "No published figure". Colour is never the only signal: the words
 * say better or worse.
 */
import { compareWithNational, verdictBadgeWords, type NationalFigure, type SchoolSpan } from "../../analytics/benchmarks/comparison.ts";
import { formatPct } from "~/lib/format";

export type { NationalFigure };

export interface NationalComparisonProps {
  /**
   * The school's figure on the DfE's population (aged 5–15 on 31 August), percent; null when
   * it has none. Printed first, labelled, so the reader sees which figure is compared.
   */
  value: number | null;
  /** Label of the school's figure, e.g. "School, pupils aged 5–15 (DfE basis)". */
  valueLabel?: string;
  benchmark: NationalFigure | null;
  /** The school's period (NationalFigures.span): better/worse only against a figure for the same period. */
  span: SchoolSpan | null;
  /** Attendance-like measures; absence rates (the default) are better lower. */
  higherIsBetter?: boolean;
  /** Footnote number of the source on this page; without it the footnote links to the source itself. */
  sourceRef?: number;
  /** A governor's view: the words printed in place of a withheld school figure; then nothing is compared. */
  withheld?: string | null;
}

/** The source in words (publication, period, date published, address): never a commit hash. */
export function sourceTitle(benchmark: NationalFigure): string {
  return benchmark.citation;
}

export const DFE_BASIS_LABEL = "School, pupils aged 5–15 (DfE basis)";

export function NationalComparison({ value, valueLabel = DFE_BASIS_LABEL, benchmark, span, higherIsBetter = false, sourceRef, withheld }: NationalComparisonProps) {
  if (withheld) {
    return (
      <span className="suppressed" data-testid="withheld">
        {valueLabel}: {withheld} · not compared
      </span>
    );
  }
  const school = (
    <span className="national-comparison__school" data-testid="school-dfe-basis">
      {valueLabel}: {formatPct(value)} ·{" "}
    </span>
  );
  if (!benchmark) {
    return (
      <span className="national-comparison national-comparison--none" data-testid="national-comparison">
        {school}National: no published figure
      </span>
    );
  }
  const comparison = compareWithNational(value, benchmark, higherIsBetter, span);
  // No badge against all state-funded schools (case 3) or a figure for another period
  // (likeForLike): the gap is stated with its caveat.
  const tag =
    comparison.direction === "better" ? "tag--green" : comparison.direction === "worse" ? "tag--red" : comparison.direction === "same" ? "tag--grey" : null;
  return (
    <span className="national-comparison" data-testid="national-comparison" title={sourceTitle(benchmark)}>
      {school}
      {benchmark.label}: {formatPct(benchmark.value)}
      <sup>
        <a
          href={sourceRef ? `#source-${sourceRef}` : benchmark.sourceUrl}
          aria-label={`Source: ${benchmark.source}`}
          {...(sourceRef ? {} : { target: "_blank", rel: "noreferrer" })}
        >
          [{sourceRef ?? "source"}]
        </a>
      </sup>{" "}
      —{" "}
      {tag ? (
        <>
          <span className={`tag ${tag}`}>{verdictBadgeWords(comparison)}</span>
          {comparison.periodsNote ? <span className="hint"> {comparison.periodsNote}</span> : null}
        </>
      ) : (
        <span className="national-comparison__caveat" data-testid="comparison-caveat">
          {comparison.gapPoints !== null ? `${comparison.gapPoints > 0 ? "+" : comparison.gapPoints < 0 ? "−" : "±"}${Math.abs(comparison.gapPoints).toFixed(1)} pts, ` : ""}
          {/* A full stop before the figure's own notes ("… so no verdict. No 2026/27 figure is published yet", which had run on). */}
          {sentenceEnd(comparison.words)}
        </span>
      )}
      {benchmark.notes.length > 0 ? <span className="national-comparison__notes"> {benchmark.notes.join(". ")}.</span> : null}
    </span>
  );
}

/** Words ended as a sentence: a full stop unless they already end in one (or in ? or !). */
function sentenceEnd(words: string): string {
  return /[.?!]$/.test(words) ? words : `${words}.`;
}
