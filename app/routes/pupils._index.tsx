/**
 * Pupils: every pupil in the view (period, filters and any drill-down from a chart), with
 * their measures, PA/SA flags and a trend, in a table the attendance lead can sort, filter
 * and export. Each row opens the pupil's own page.
 *
 * A drill-down arrives as the view's pupil filters (drillDownHref puts pupil groups there)
 * or as `drill=by:value`: a pupil dimension becomes one more filter, a session dimension
 * (a weekday, a week, a month …) a slice of the marks counted.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { addDays, format, parseISO } from "date-fns";
import type { MeasureQuery, PupilDimension, SessionDimension } from "../../analytics/measures.ts";
import { ALL_CODES, describeCode } from "../../analytics/codes.ts";
import { PeriodPicker } from "~/components/PeriodPicker";
import { PupilTable, type PupilRow } from "~/components/PupilTable";
import { RouteError } from "~/components/RouteError";
import { PUPIL_DIMENSIONS, SESSION_DIMENSIONS, pupilMeasures } from "~/lib/analytics.server";
import { withDb } from "~/lib/db.server";
import { FILTER_LABELS, describeFilterValue, describePupilFilters, filtersToSearch, type PupilFilterKey } from "~/lib/filters";
import { formatDate } from "~/lib/format";
import { formatTermKey } from "../../analytics/period-names.ts";
import { filterOptions, resolveView } from "~/lib/view.server";
import { requireRole } from "~/lib/auth.server";

export const meta: MetaFunction = () => [{ title: "Pupils — Rollcall" }];

type Drill =
  | { kind: "pupil"; by: PupilDimension; value: string }
  | { kind: "session"; by: SessionDimension; value: string }
  | { kind: "code"; by: "code"; value: string };

/** Reads `drill=by:value`; anything unknown or odd-looking is ignored (a stale link still opens the list). */
function readDrill(search: URLSearchParams): Drill | null {
  const raw = search.get("drill") ?? "";
  const colon = raw.indexOf(":");
  if (colon <= 0) return null;
  const by = raw.slice(0, colon);
  const value = raw.slice(colon + 1).trim();
  // Codes include "/", "\\" and "#": they are checked against the catalogue instead.
  if (by === "code") return ALL_CODES.includes(value) ? { kind: "code", by, value } : null;
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._/&()'-]{0,39}$/.test(value)) return null;
  if ((PUPIL_DIMENSIONS as readonly string[]).includes(by)) return { kind: "pupil", by: by as PupilDimension, value };
  if ((SESSION_DIMENSIONS as readonly string[]).includes(by)) return { kind: "session", by: by as SessionDimension, value };
  return null;
}

/** A session-level slice in words: "Fridays", "week beginning 5 Oct 2026", "October 2026". */
function describeSlice(by: SessionDimension, value: string): string {
  switch (by) {
    case "weekday":
      return `${value}s`;
    case "session":
      return value === "AM" ? "morning sessions" : value === "PM" ? "afternoon sessions" : value;
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value, "EEEE d MMM yyyy") : value;
    case "week":
      return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `week beginning ${formatDate(value)}` : value;
    case "month":
      return /^\d{4}-\d{2}$/.test(value) ? formatDate(`${value}-01`, "MMMM yyyy") : value;
    case "half_term":
    case "term":
      return formatTermKey(value);
    case "academic_year":
      return `academic year ${value}`;
  }
}

/** The four school weeks to the end of the period and the four before: the trend windows. */
function trendWindows(to: string): { recent: { from: string; to: string }; earlier: { from: string; to: string } } {
  const end = parseISO(to);
  const iso = (date: Date) => format(date, "yyyy-MM-dd");
  return {
    recent: { from: iso(addDays(end, -27)), to },
    earlier: { from: iso(addDays(end, -55)), to: iso(addDays(end, -28)) },
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "view_pupils");
  return withDb(async (connection) => {
    const view = await resolveView(connection, request);
    const options = await filterOptions(connection);
    const drill = readDrill(new URL(request.url).searchParams);
    const query: MeasureQuery = { ...view.query, filter: { ...view.query.filter } };
    if (drill?.kind === "pupil") query.filter = { ...query.filter, [drill.by]: drill.value };
    if (drill?.kind === "session") query.slice = { by: drill.by, value: drill.value };
    if (drill?.kind === "code") query.withCode = drill.value;

    const pupils = await pupilMeasures(connection, query);
    // The trend looks at each pupil's whole register (no slice): is their attendance falling lately?
    const windows = trendWindows(view.period.to);
    const recent = new Map((await pupilMeasures(connection, { ...windows.recent, filter: query.filter })).map((p) => [p.upn, p.attendance_pct]));
    const earlier = new Map((await pupilMeasures(connection, { ...windows.earlier, filter: query.filter })).map((p) => [p.upn, p.attendance_pct]));

    const rows: PupilRow[] = pupils.map((p) => {
      const now = recent.get(p.upn) ?? null;
      const before = earlier.get(p.upn) ?? null;
      return {
        upn: p.upn,
        name: `${p.surname}, ${p.forename}`,
        year_group: p.year_group,
        reg_group: p.reg_group,
        sen: p.sen,
        fsm: p.fsm,
        eal: p.eal,
        lac: p.lac,
        possible_sessions: p.possible_sessions,
        present_sessions: p.present_sessions,
        aea_sessions: p.aea_sessions,
        authorised_sessions: p.authorised_sessions,
        unauthorised_sessions: p.unauthorised_sessions,
        attendance_pct: p.attendance_pct,
        authorised_pct: p.authorised_pct,
        unauthorised_pct: p.unauthorised_pct,
        absence_spells: p.absence_spells,
        late_sessions: p.late_sessions,
        is_pa: p.is_pa,
        is_sa: p.is_sa,
        trend_pts: now === null || before === null ? null : now - before,
      };
    });
    return {
      filters: view.filters,
      period: { label: view.period.label, from: view.period.from, to: view.period.to },
      notice: view.notice,
      options,
      thresholds: view.settings.attendance_thresholds,
      drill: drill
        ? {
            kind: drill.kind,
            words:
              drill.kind === "pupil"
                ? `${FILTER_LABELS[drill.by as PupilFilterKey]}: ${describeFilterValue(drill.by as PupilFilterKey, drill.value)}`
                : drill.kind === "code"
                  ? `with code ${drill.value} (${describeCode(drill.value)?.meaning ?? "unknown"})`
                  : describeSlice(drill.by, drill.value),
          }
        : null,
      trendWindows: windows,
      rows,
    };
  });
}

export default function Pupils() {
  const { filters, period, options, thresholds, drill, rows, trendWindows: windows } = useLoaderData<typeof loader>();
  const filtered = describePupilFilters(filters);
  // "Pupils: Eligible for FSM · 2026/27 to date", "All pupils · Fridays · 2026/27 to date".
  const who = [filtered, drill?.kind === "pupil" || drill?.kind === "code" ? drill.words : null].filter(Boolean).join(", ");
  const scope = [who ? `Pupils: ${who}` : "All pupils", drill?.kind === "session" ? drill.words : null, period.label].filter(Boolean).join(" · ");
  const noMarks = rows.length > 0 && rows.every((row) => row.possible_sessions === 0);
  return (
    <>
      <h1>Pupils</h1>
      <p className="lede" data-testid="pupils-scope">
        {scope}
      </p>
      <PeriodPicker filters={filters} options={options} />
      {noMarks ? (
        <div className="notice notice--warning" data-testid="no-marks">
          <p>No counted register marks in this period: the pupils on roll are listed without figures.</p>
        </div>
      ) : null}
      {rows.length === 0 ? (
        <div className="notice notice--warning" data-testid="no-pupils">
          <p>No pupils were on roll in this period with these characteristics. Choose another period or clear a filter.</p>
        </div>
      ) : (
        <PupilTable
          rows={rows}
          thresholds={thresholds}
          pupilSearch={filtersToSearch(filters).toString()}
          filename={`pupils-${period.from}-to-${period.to}`}
          trendNote={`Trend: attendance from ${formatDate(windows.recent.from)} to ${formatDate(windows.recent.to)} against the four weeks before (${formatDate(windows.earlier.from)} to ${formatDate(windows.earlier.to)}); “steady” means within 1 point.`}
        />
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The pupils could not be listed" />;
}
