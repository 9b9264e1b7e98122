/**
 * Printed instead of figures a governor may not see (analytics/governor-view.ts): the pupils a
 * filter chooses are too few, or their figures would let a small group be worked out. Says so,
 * rather than "no marks", which would be untrue.
 */
import { Link } from "@remix-run/react";
import { withheldBecause } from "~/lib/withheld";

export function WithheldNotice(props: { reason: string; what?: string }): JSX.Element {
  return (
    <div className="notice notice--warning" data-testid="withheld-notice">
      <p>
        {/* Why figures are withheld is said once, at the foot of the page (root.tsx). */}
        {props.what ?? "The figures for these pupils"} are withheld for governors{withheldBecause(props.reason) ? `: ${withheldBecause(props.reason)}` : ""}. Choose a
        broader filter.{" "}
        <Link to="/definitions#withheld-figures-governors">Which figures are withheld, and why</Link>.
      </p>
    </div>
  );
}

/**
 * Printed instead of a chart whose every slice (week, month) is withheld for governors: the
 * reason in `words` (analytics/withheld-rule.ts slicesWithheldWords), with the link every
 * withheld figure's words carry. Shared by the Overview's weekly chart and Trends.
 */
export function SlicesWithheldNotice(props: { words: string; testId: string }): JSX.Element {
  return (
    <p className="notice" data-testid={props.testId}>
      {props.words} <Link to="/definitions#withheld-figures-governors">Which figures are withheld, and why</Link>.
    </p>
  );
}
