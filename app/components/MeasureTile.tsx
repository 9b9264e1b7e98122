/**
 * One headline figure with its numerator and denominator and its comparisons (target, same
 * period last year), each in points and in words.
 */
import type { ReactNode } from "react";
import { compareRates, targetWords, verdictWords, type Direction } from "~/lib/compare";
import { formatPct } from "~/lib/format";

export interface TileComparison {
  /** "the same period last year", "the target" … */
  against: string;
  reference: number | null;
  /** Set for a target: words become above/below target. */
  isTarget?: boolean;
}

export function MeasureTile(props: {
  id: string;
  label: string;
  value: number | null;
  direction: Direction;
  detail: ReactNode;
  comparisons: TileComparison[];
}): JSX.Element {
  const { id, label, value, direction, detail, comparisons } = props;
  return (
    <section className="tile" aria-labelledby={`${id}-label`} data-testid={`tile-${id}`}>
      <h2 className="tile__label" id={`${id}-label`}>
        {label}
      </h2>
      <p className="tile__value" data-testid={`${id}-pct`}>
        {formatPct(value)}
      </p>
      <p className="tile__detail">{detail}</p>
      {comparisons.map((comparison) => {
        const result = compareRates(value, comparison.reference, direction);
        return (
          <p className="tile__detail tile__comparison" key={comparison.against}>
            {comparison.isTarget ? (
              <>
                Target {formatPct(comparison.reference)}:{" "}
                <span className={result.gap === null ? "same" : result.gap >= 0 ? "better" : "worse"}>
                  {result.points} {targetWords(result)}
                </span>
              </>
            ) : comparison.reference === null ? (
              <>No figure for {comparison.against}</>
            ) : (
              <>
                {formatPct(comparison.reference)} {comparison.against}:{" "}
                <span className={result.className}>
                  {result.points}, {verdictWords(result).replace(/ (than|as)$/, "")}
                </span>
              </>
            )}
          </p>
        );
      })}
    </section>
  );
}
