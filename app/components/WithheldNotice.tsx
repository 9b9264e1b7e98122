/**
 * Printed instead of figures a governor may not see (analytics/governor-view.ts): the pupils a
 * filter chooses are too few, or their figures would let a small group be worked out. Says so,
 * rather than "no marks", which would be untrue.
 */
import { Link } from "@remix-run/react";
import { wholeSchoolWithheldAdvice, wholeSchoolWithheldBecause } from "../../analytics/withheld-rule.ts";
import { hasPupilFilters, type ViewFilters } from "~/lib/filters";
import { withheldBecause } from "~/lib/withheld";

/**
 * `what`: the figures withheld, after their owner ("figures", "absence in this period, by code
 * and over time,"); `filters`: the page's view, whose pupil filters decide the owner ("these
 * pupils'" or "the whole school's"); `min`: the school's small-group minimum (null for staff, who see every figure). With no pupil
 * filter there is no broader one to choose (trial 50, a 12-pupil school): the notice says the
 * whole school's figures are withheld, by which rule, and what the administrator can do.
 */
export function WithheldNotice(props: { reason: string; what?: string; filters: ViewFilters; min: number | null }): JSX.Element {
  const min = props.min;
  const whole = min !== null && !hasPupilFilters(props.filters);
  const what = props.what ?? "figures";
  const because = withheldBecause(props.reason) ?? (whole ? wholeSchoolWithheldBecause(min) : null);
  return (
    <div className="notice notice--warning" data-testid="withheld-notice">
      <p>
        {/* Why figures are withheld is said once, at the foot of the page (root.tsx). */}
        {whole ? `The whole school's ${what}` : what === "figures" ? "The figures for these pupils" : `These pupils' ${what}`} are withheld for governors
        {because ? `: ${because}` : ""}. {whole ? wholeSchoolWithheldAdvice(min) : "Choose a broader filter."}{" "}
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
