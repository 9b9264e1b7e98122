/**
 * The keyboard (and screen reader) route to the drill-downs a click on a chart's bar opens:
 * one link per group to the pupils behind it.
 */
import { drillDownHref, type ViewFilters } from "~/lib/filters";
import { formatPct } from "~/lib/format";
import { PupilsLink, useMayDrill } from "~/components/PupilsLink";

export function DrillLinks(props: {
  filters: ViewFilters;
  rows: Array<{ group: string; attendance_pct: number | null; label?: string }>;
  by: string;
  label: string;
}) {
  // Governors may not follow them: no list of links that lead nowhere.
  if (!useMayDrill()) return null;
  return (
    <ul className="drill-links" aria-label={props.label}>
      {props.rows.map((row) => (
        <li key={row.group}>
          <PupilsLink to={drillDownHref(props.filters, { by: props.by, value: row.group })}>
            {row.label ?? row.group}: {formatPct(row.attendance_pct)}
          </PupilsLink>
        </li>
      ))}
    </ul>
  );
}
