/**
 * One headline figure with its numerator and denominator and its comparisons (target, same
 * period last year), each in points and in words.
 */
import type { ReactNode } from "react";
import { compareRates, targetWords, verdictWords, type Direction } from "~/lib/compare";
import { formatPct } from "~/lib/format";
import { TargetGap } from "~/components/PointsGap";
import { formatThreshold } from "../../analytics/thresholds.ts";
import { WithheldText } from "~/components/WithheldMark";
import { notGivenWords, withheldBecause } from "~/lib/withheld";

export interface TileComparison {
  /** "the same period last year", "the target" … */
  against: string;
  reference: number | null;
  /** Set for a target: words become above/below target. */
  isTarget?: boolean;
  /** Governors: the reference is withheld (the reason); it says so and nothing is compared. */
  withheld?: string | null;
}

export function MeasureTile(props: {
  id: string;
  label: string;
  value: number | null;
  direction: Direction;
  detail: ReactNode;
  comparisons: TileComparison[];
  /** Governors: the figure is withheld (the reason): the card says so, never "—" or 0. */
  withheld?: string | null;
}): JSX.Element {
  const { id, label, value, direction, detail, comparisons, withheld } = props;
  // A figure never given (a pupil group's severe absence) says so, not "Withheld" (a small number).
  const notGiven = withheld ? notGivenWords(withheld) : null;
  return (
    <section className="tile" aria-labelledby={`${id}-label`} data-testid={`tile-${id}`}>
      <h2 className="tile__label" id={`${id}-label`}>
        {label}
      </h2>
      <p className={`tile__value${withheld ? " tile__value--withheld" : ""}`} data-testid={`${id}-pct`}>
        {notGiven ? "Not given" : withheld ? "Withheld" : formatPct(value)}
      </p>
      <p className="tile__detail">
        {notGiven ? (
          <span className="suppressed" data-testid="not-given">
            {notGiven[0].toUpperCase()}
            {notGiven.slice(1)}
          </span>
        ) : withheld ? (
          <span className="suppressed" data-testid="withheld">
            Withheld for governors{withheldBecause(withheld) ? `: ${withheldBecause(withheld)}` : ""}
          </span>
        ) : (
          detail
        )}
      </p>
      {comparisons.map((comparison) => {
        const result = compareRates(value, comparison.reference, direction);
        return (
          <p className="tile__detail tile__comparison" key={comparison.against}>
            {comparison.withheld ? (
              <>
                {comparison.against[0].toUpperCase()}
                {comparison.against.slice(1)}:{" "}
                {notGivenWords(comparison.withheld) ? <span className="suppressed">{notGivenWords(comparison.withheld)}</span> : <WithheldText reason={comparison.withheld} />} · not compared
              </>
            ) : withheld ? (
              <>
                {comparison.isTarget ? `Target ${formatPct(comparison.reference)}` : `${formatPct(comparison.reference)} ${comparison.against}`}: not compared
              </>
            ) : comparison.isTarget ? (
              <>
                Target {comparison.reference === null ? formatPct(null) : formatThreshold(comparison.reference, 1)}:{" "}
                {value === null || comparison.reference === null ? <span className="same">{targetWords(result)}</span> : <TargetGap value={value} target={comparison.reference} />}
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
