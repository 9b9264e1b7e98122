/**
 * Interventions: did they work? Every intervention recorded in the period with the pupil's
 * attendance in the 4 school weeks before and the 4 after, and per type across the school
 * how many, the mean change and the share improved — withheld below the school's
 * small-group minimum, too few to judge. Staff only: pupils are named.
 *
 * The list of interventions is paged on the server (analytics/interventions/effect.ts,
 * `effectsPage`; 50 a page): the by-type figures are computed over every intervention of the
 * period, the page sends one page of rows, sorted by a column and optionally of one type
 * (`?type=`), with the whole list's count. Page, sort and type live in the URL beside the
 * period filters, and the pager and column headings are plain links that keep them.
 */
import { pupilListName } from "../../analytics/pupil-name.ts";
import { auditListView } from "~/lib/audit.server";
import { requireRole } from "~/lib/auth.server";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { ListPager, SortHeader, SortNotice } from "~/components/ListPager";
import { PeriodPicker } from "~/components/PeriodPicker";
import { RouteError } from "~/components/RouteError";
import { earlierActionWords, effectByType, effectsPage, effectWindowWords, interventionEffects, isInterventionType, interventionLabels, INTERVENTION_TYPES } from "~/lib/analytics.server";
import { unreadWords } from "~/lib/filters";
import { AFTER_EARLIER_NOTE, DEFAULT_EFFECT_SORT, EFFECT_WINDOWS_NOTE, EFFECT_SORT_COLUMNS, type EffectSort } from "../../analytics/interventions/effect-columns.ts";
import { pageSpan, pagingSearch, pagingWords, readPaging } from "../../analytics/list-paging.ts";
import { withDb } from "~/lib/db.server";
import { formatCount, formatDate, formatPct, formatPoints, periodInSentence } from "~/lib/format";
import { filterOptions, resolveView } from "~/lib/view.server";

export const meta: MetaFunction = () => [{ title: "Interventions — Rollcall" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, "view_pupils", { context });
  return withDb(async (connection) => {
    const view = await resolveView(connection, request, { reads: ["type", "sort", "dir", "page"] });
    const options = await filterOptions(connection, view);
    const { period } = view;
    const to = period.to < view.today ? period.to : view.today;
    await auditListView(request, context, `Interventions, ${period.from} to ${to}`);
    // The pupils the page's filters choose (by their characteristics on each intervention's date):
    // the by-type figures and the list alike.
    const effects = await interventionEffects(connection, { from: period.from, to, asOf: view.today, filter: view.query.filter });
    const min = view.settings.small_group_min;
    const search = new URL(request.url).searchParams;
    const rawType = search.get("type") ?? "";
    const type = isInterventionType(rawType) ? rawType : null;
    // A type the list does not have is named (with the types it has), not silently dropped.
    const typeNotice = rawType.trim() && !type ? `Not understood in the address: ${unreadWords([{ name: "type", value: rawType.trim(), expected: `one of ${INTERVENTION_TYPES.join(", ")}` }])}. Showing every type.` : null;
    const paging = readPaging(search, EFFECT_SORT_COLUMNS, DEFAULT_EFFECT_SORT);
    const shown = effectsPage(effects, { paging, type });
    return {
      filters: view.filters,
      period: { label: period.label, from: period.from, to: period.to },
      notice: [view.notice, typeNotice, pagingWords(search, shown)].filter(Boolean).join(" ") || null,
      options,
      today: view.today,
      min,
      byType: effectByType(effects, min),
      type: type ? { id: type, label: interventionLabels(view.settings.policy)[type] } : null,
      paging: { page: shown.page, pages: shown.pages, pageSize: shown.pageSize, total: shown.total, sort: paging.sort, dir: paging.dir },
      sortNotice: paging.notice ?? null,
      effects: shown.rows.map((e) => ({
        id: e.id,
        upn: e.upn,
        name: pupilListName(e),
        reg_group: e.reg_group,
        label: e.label,
        date: e.date,
        recorded_by: e.recorded_by,
        before_pct: e.before_pct,
        after_pct: e.after_pct,
        change_points: e.change_points,
        pending: e.pending,
        // What the windows hold, in words (analytics/interventions/effect.ts): the dates, and an earlier action in the before window.
        windows: effectWindowWords(e, formatDate),
        earlier: e.earlier ? earlierActionWords(e.earlier, formatDate, e.before_to) : null,
      })),
    };
  });
}

/** The windows' dates in words ("13 Jul 2026 – 11 Sep 2026 against 21 Sep 2026 – 16 Oct 2026"), for the cells' titles. */
/** An anchor for the list, so a page, sort or type link lands on the list, not the page's top. */
const LIST_ANCHOR = "#each-intervention";

export default function InterventionsPage() {
  const data = useLoaderData<typeof loader>();
  const { paging } = data;
  const location = useLocation();
  // A type chosen or cleared: its list from page 1, keeping the period filters and the sort.
  const typeHref = (type: string | null) => {
    const search = new URLSearchParams(pagingSearch(location.search, { page: 1 }, paging));
    if (type) search.set("type", type);
    else search.delete("type");
    return `?${search.toString()}${LIST_ANCHOR}`;
  };
  const { first, last } = pageSpan(paging);
  const header = (column: EffectSort, label: string, numeric = false) => (
    <SortHeader
      search={location.search}
      paging={paging}
      column={column}
      defaultDir={EFFECT_SORT_COLUMNS[column].defaultDir}
      numeric={numeric}
      anchor={LIST_ANCHOR}
    >
      {label}
    </SortHeader>
  );
  return (
    <>
      <h1>Interventions</h1>
      <p className="lede">
        What the school did about pupils' attendance, and whether it worked: attendance in the 4 school weeks before each intervention
        against the 4 school weeks after it.
      </p>
      {/* The picker shows the view's notice (data.notice), as on every page: said once. */}
      <PeriodPicker filters={data.filters} options={data.options} />

      <h2>By type, {periodInSentence(data.period.label)}</h2>
      {data.byType.length === 0 ? (
        <p data-testid="no-intervention-types">No intervention was recorded in this period.</p>
      ) : (
        <table className="data" data-testid="effect-by-type">
          <caption className="visually-hidden">Each type of intervention: how many, and the change in attendance after it</caption>
          <thead>
            <tr>
              <th scope="col">Intervention</th>
              <th scope="col" className="num">Recorded</th>
              <th scope="col" className="num">Measured (4 weeks passed)</th>
              <th scope="col" className="num">Mean change</th>
              <th scope="col" className="num">Improved</th>
              <th scope="col" className="num">After another action</th>
            </tr>
          </thead>
          <tbody>
            {data.byType.map((row) => (
              <tr key={row.type} data-type={row.type}>
                <th scope="row">
                  <Link to={typeHref(row.type)} preventScrollReset title={`List the ${row.label.toLowerCase()} interventions`}>
                    {row.label}
                  </Link>
                </th>
                <td className="num">{formatCount(row.recorded)}</td>
                <td className="num">{formatCount(row.measured)}</td>
                {row.too_few ? (
                  <td className="num" colSpan={3}>
                    <span className="hint">Too few to judge (fewer than {data.min} measured)</span>
                  </td>
                ) : (
                  <>
                    <td className="num">{formatPoints(row.mean_change_points)}</td>
                    <td className="num">
                      {formatPct(row.improved_pct, 0)} ({formatCount(row.improved)} of {formatCount(row.measured)})
                    </td>
                    <td className="num" data-testid="after-earlier">
                      {formatCount(row.after_earlier)} of {formatCount(row.measured)}
                    </td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="hint">
        {EFFECT_WINDOWS_NOTE} Change is after minus before, in percentage points; a pupil improved when
        it is above zero. Means and shares are withheld for types with fewer than {data.min} measured interventions (the school's
        small-group minimum, in Settings). {AFTER_EARLIER_NOTE} Each such intervention says which action, below.
      </p>

      <h2 id="each-intervention">Each intervention{data.type ? `: ${data.type.label}` : ""}</h2>
      <SortNotice notice={data.sortNotice} />
      <p data-testid="effects-total" data-total={paging.total} data-first={first} data-last={last}>
        {paging.total === 0
          ? data.type
            ? `No ${data.type.label.toLowerCase()} intervention was recorded in this period.`
            : "No intervention was recorded in this period."
          : `Showing ${formatCount(first)}–${formatCount(last)} of ${formatCount(paging.total)} ${paging.total === 1 ? "intervention" : "interventions"}${data.type ? ` of this type` : ""}, ${formatCount(paging.pageSize)} a page.`}
        {data.type ? (
          <>
            {" "}
            <Link to={typeHref(null)} preventScrollReset data-testid="effects-every-type">
              Show every type
            </Link>
          </>
        ) : null}
      </p>
      {paging.total === 0 ? null : (
        <>
          <ListPager search={location.search} paging={paging} noun="interventions" testId="effects-pager" anchor={LIST_ANCHOR} />
          {/* A card per intervention on a phone (app.css data--cards), each cell after its heading. */}
          <table className="data data--cards" data-testid="intervention-effects">
            <caption className="visually-hidden">Each intervention with attendance before and after, one page of the list</caption>
            <thead>
              <tr>
                {header("date", "Date")}
                {header("name", "Pupil")}
                {header("reg_group", "Class")}
                {header("type", "Intervention")}
                {header("recorded_by", "Recorded by")}
                {header("before_pct", "4 weeks before", true)}
                {header("after_pct", "4 weeks after", true)}
                {header("change_points", "Change", true)}
              </tr>
            </thead>
            <tbody>
              {data.effects.map((e) => (
                <tr key={e.id} data-id={e.id} data-upn={e.upn}>
                  <td data-label="Date">{formatDate(e.date)}</td>
                  <td data-label="Pupil">
                    <Link to={`/pupils/${encodeURIComponent(e.upn)}`}>{e.name}</Link>
                  </td>
                  <td data-label="Class">{e.reg_group}</td>
                  <td data-label="Intervention">{e.label}</td>
                  <td data-label="Recorded by">{e.recorded_by}</td>
                  <td className="num" title={e.windows} data-earlier={e.earlier ?? undefined} data-label="4 weeks before">
                    {formatPct(e.before_pct)}
                    {e.earlier ? <span className="hint"> ({e.earlier})</span> : null}
                  </td>
                  <td className="num" title={e.windows} data-label="4 weeks after">{e.after_pct === null && e.pending ? <span className="hint">{e.pending}</span> : formatPct(e.after_pct)}</td>
                  <td className="num" data-change={e.change_points ?? ""} data-label="Change">
                    {formatPoints(e.change_points)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ListPager search={location.search} paging={paging} noun="interventions" testId="effects-pager-end" anchor={LIST_ANCHOR} />
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Interventions could not be shown" />;
}
