/**
 * The message a page shows instead of figures when the period has no marks for the chosen
 * pupils: says which period, and what to do next. Never a zero, a NaN or an empty chart.
 * `filters`: the view's; with no pupil filter set, fewer filters is no advice (trial 50).
 */
import { hasPupilFilters, type ViewFilters } from "~/lib/filters";
import { periodWords } from "~/lib/format";

export function NoMarks(props: { period: { name: string; label: string; from: string; to: string }; storeIsEmpty?: boolean; extra?: string; filters: ViewFilters }): JSX.Element {
  const { period } = props;
  // A custom range's label already is its dates: said once (periodWords).
  const words = periodWords(period);
  const when = words.dates ? `${words.label} (${words.dates})` : words.label;
  return (
    <div className="notice notice--warning" data-testid="no-marks">
      <p>
        There are no register marks for {when}
        {props.storeIsEmpty
          ? ": nothing has been imported yet. Import the register, or run npx rollcall demo."
          : hasPupilFilters(props.filters)
            ? " for these pupils. Choose another period or fewer filters."
            : ". Choose another period."}
        {props.extra ? ` ${props.extra}` : ""}
      </p>
    </div>
  );
}
