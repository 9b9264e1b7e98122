/**
 * Pupils: the pupils in the view (period, filters and any drill-down from a chart), with
 * their measures, PA/SA flags and a trend, filtered by name or UPN, attendance band and
 * falling trend, sorted and paged on the server (app/lib/pupil-list.server.ts →
 * analytics/pupil-list.ts): the page sends one page of rows, not the whole school. The CSV
 * (routes/pupils[.]csv.tsx) has the whole filtered list. Each row opens the pupil's page.
 *
 * A drill-down arrives as the view's pupil filters (drillDownHref puts pupil groups there)
 * or as `drill=by:value`: a pupil dimension becomes one more filter, a session dimension
 * (a weekday, a week, a month …) a slice of the marks counted.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { PeriodPicker } from "~/components/PeriodPicker";
import { PupilTable, PupilsCsvLink } from "~/components/PupilTable";
import { RouteError } from "~/components/RouteError";
import { SortNotice } from "~/components/ListPager";
import { withDb } from "~/lib/db.server";
import { describePupilFilters, filtersToSearch } from "~/lib/filters";
import { formatDate } from "~/lib/format";
import { loadPupilList } from "~/lib/pupil-list.server";
import { csvLinkRequest, csvRefusalNote, filterRefusal, unreadRefusal } from "~/lib/address-filters.server";
import { filterOptions } from "~/lib/view.server";
import { auditListView } from "~/lib/audit.server";
import { requireRole } from "~/lib/auth.server";

export const meta: MetaFunction = () => [{ title: "Pupils — Rollcall" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, "view_pupils", { context });
  return withDb(async (connection) => {
    const { view, drill, flags, trendNote, q, attendance, fallingOnly, list, sortNotice, notice, unread } = await loadPupilList(connection, request);
    await auditListView(request, context, `Pupils list, ${view.period.from} to ${view.period.to}: ${list.rows.length} of ${list.total} pupils named`);
    const options = await filterOptions(connection, view);
    const drillParam = new URL(request.url).searchParams.get("drill");
    // The CSV of this address would be refused (a filter no pupil matches): its link opens the
    // refusal as a page instead of a failed download.
    const csvRefusal = csvRefusalNote(unreadRefusal(unread) ?? (await filterRefusal(connection, csvLinkRequest(request), { drill: true, period: true })));
    return {
      csvRefusal,
      filters: view.filters,
      period: { label: view.period.label, from: view.period.from, to: view.period.to },
      notice,
      registerNotice: view.registerNotice,
      options,
      thresholds: view.settings.attendance_thresholds,
      drill,
      flags,
      drillParam: drill ? drillParam : null,
      trendNote,
      q,
      attendance,
      fallingOnly,
      rows: list.rows,
      anyPossible: list.anyPossible,
      pa: list.pa,
      paging: { page: list.page, pages: list.pages, pageSize: list.pageSize, total: list.total, sort: list.sort, dir: list.dir },
      sortNotice,
    };
  });
}

export default function Pupils() {
  const data = useLoaderData<typeof loader>();
  const { filters, period, options, thresholds, drill, paging } = data;
  const location = useLocation();
  const filtered = describePupilFilters(filters);
  // "Pupils: Eligible for FSM · 2026/27 to date", "All pupils · Fridays · 2026/27 to date".
  const who = [filtered, drill?.kind === "pupil" || drill?.kind === "code" ? drill.words : null].filter(Boolean).join(", ");
  const scope = [who ? `Pupils: ${who}` : "All pupils", drill?.kind === "session" ? drill.words : null, period.label].filter(Boolean).join(" · ");
  const listFiltered = data.q !== "" || data.attendance !== "" || data.fallingOnly;
  const keep: Array<[string, string]> = [...filtersToSearch(filters).entries()];
  if (data.drillParam) keep.push(["drill", data.drillParam]);
  return (
    <>
      <h1>Pupils</h1>
      <p className="lede" data-testid="pupils-scope">
        {scope}
      </p>
      <PeriodPicker filters={filters} options={options} />
      {paging.total > 0 && !data.anyPossible ? (
        <div className="notice notice--warning" data-testid="no-marks">
          <p>No counted register marks in this period: the pupils on roll are listed without figures.</p>
        </div>
      ) : null}
      {paging.total === 0 && !listFiltered ? (
        <div className="notice notice--warning" data-testid="no-pupils">
          {/* A drill to days: the pupils on roll on them (the note at the top says why there are none). */}
          <p>
            {drill?.kind === "session"
              ? `No pupils to list for ${drill.words} in this period${filtered ? " with these characteristics" : ""}. Choose another period, day or week, or clear a filter.`
              : "No pupils were on roll in this period with these characteristics. Choose another period or clear a filter."}
          </p>
          {/* The file of no pupil is a true answer for filters the school has; a refused filter gets no link (the note at the top says why). */}
          {data.csvRefusal ? null : (
            <p>
              <PupilsCsvLink search={location.search} total={0} />
            </p>
          )}
        </div>
      ) : (
        <>
        <SortNotice notice={data.sortNotice} />
        <PupilTable
          rows={data.rows}
          paging={paging}
          pa={data.pa}
          thresholds={thresholds}
          search={location.search}
          pupilSearch={filtersToSearch(filters).toString()}
          keep={keep}
          q={data.q}
          attendance={data.attendance}
          fallingOnly={data.fallingOnly}
          flags={data.flags}
          trendNote={data.trendNote}
          csvRefusal={data.csvRefusal}
        />
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The pupils could not be listed" />;
}
