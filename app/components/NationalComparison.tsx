/**
 * The school's figure against a published one, in words:
 * "National (primary, 2024/25 full year): 5.2% — 0.4 pts better", the source on hover and
 * as a footnote link; or "No published figure". Colour is never the only signal: the words
 * say better or worse.
 */
import { compareWithNational, type NationalFigure } from "../../analytics/benchmarks/comparison.ts";
import { formatIsoDate } from "../../analytics/benchmarks/labels.ts";
import { formatPct } from "~/lib/format";

export type { NationalFigure };

export interface NationalComparisonProps {
  /** The school's figure, percent; null when it has none. */
  value: number | null;
  benchmark: NationalFigure | null;
  /** Attendance-like measures; absence rates (the default) are better lower. */
  higherIsBetter?: boolean;
  /** Footnote number of the source on this page; without it the footnote links to the source itself. */
  sourceRef?: number;
}

export function sourceTitle(benchmark: NationalFigure): string {
  const dataTo = benchmark.periodEnd ? `, data to ${formatIsoDate(benchmark.periodEnd)}` : "";
  return `${benchmark.source}${dataTo}. ${benchmark.sourceUrl}`;
}

export function NationalComparison({ value, benchmark, higherIsBetter = false, sourceRef }: NationalComparisonProps) {
  if (!benchmark) {
    return (
      <span className="national-comparison national-comparison--none" data-testid="national-comparison">
        National: no published figure
      </span>
    );
  }
  const comparison = compareWithNational(value, benchmark, higherIsBetter);
  const tag =
    comparison.direction === "better" ? "tag--green" : comparison.direction === "worse" ? "tag--red" : "tag--grey";
  return (
    <span className="national-comparison" data-testid="national-comparison" title={sourceTitle(benchmark)}>
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
      — <span className={`tag ${tag}`}>{comparison.words}</span>
      {benchmark.notes.length > 0 ? <span className="national-comparison__notes"> {benchmark.notes.join(". ")}.</span> : null}
    </span>
  );
}
