/**
 * The message a page shows instead of figures when the period has no marks for the chosen
 * pupils: says which period, and what to do next. Never a zero, a NaN or an empty chart.
 */
import { periodWords } from "~/lib/format";

export function NoMarks(props: { period: { name: string; label: string; from: string; to: string }; storeIsEmpty?: boolean; extra?: string }): JSX.Element {
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
          : " for these pupils. Choose another period or fewer filters."}
        {props.extra ? ` ${props.extra}` : ""}
      </p>
    </div>
  );
}
