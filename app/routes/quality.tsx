/**
 * Register checks: the register's integrity for the period — sessions with no mark for a
 * pupil on roll (register gaps), N codes left unresolved beyond the school's limit, and
 * every N code still awaiting a reason, and the pupils at the penalty-notice threshold. The
 * daily list the attendance lead chases.
 */
import { pupilListName } from "../../analytics/pupil-name.ts";
import { plural } from "../../analytics/plural.ts";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { ListPager, SortHeader, SortNotice } from "~/components/ListPager";
import { PeriodPicker } from "~/components/PeriodPicker";
import { RouteError } from "~/components/RouteError";
import { calendarCoverage, nCodePage, penaltyNoticeCandidates, registerGaps, type NCodePage } from "~/lib/analytics.server";
import { pagingWords, readPaging, unsortableNote } from "../../analytics/list-paging.ts";
// Client-safe (the component's headings use it): not through analytics.server, which the browser bundle empties.
import { N_CODE_SORT_COLUMNS } from "../../analytics/n-code-columns.ts";
import { withDb } from "~/lib/db.server";
import { filtersToSearch } from "~/lib/filters";
import { formatCount, formatDate, periodInSentence } from "~/lib/format";
import { filterOptions, resolveView } from "~/lib/view.server";
import { auditListView } from "~/lib/audit.server";
import { requireRole } from "~/lib/auth.server";

export const meta: MetaFunction = () => [{ title: "Register checks — Rollcall" }];

/** Gaps are listed one by one up to this many; beyond it a missing import would swamp the page. */
const GAP_ROWS_SHOWN = 300;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, "view_pupils", { context });
  return withDb(async (connection) => {
    const view = await resolveView(connection, request, { reads: ["overdue.sort", "overdue.dir", "overdue.page", "pending.sort", "pending.dir", "pending.page"] });
    const options = await filterOptions(connection, view);
    const { period } = view;
    await auditListView(request, context, `Register checks, ${period.from} to ${period.to}`);
    // Only sessions whose register has closed can be missing (analytics/register-due.ts).
    const gaps = await registerGaps(connection, period, view.due);
    // Without a calendar there are no school days to find gaps on: say so, never "0 gaps".
    const coverage = await calendarCoverage(connection, period);
    const limit = view.settings.n_code_limit_school_days;
    // N codes are aged as of today (their age grows until resolved); the period picks which
    // sessions are listed. Each list is sorted and paged in SQL (its own page and sort in the
    // URL: `overdue.page`, `pending.sort` …), its count the whole list's.
    const search = new URL(request.url).searchParams;
    const nCodes = (minAge: number, prefix: string) =>
      nCodePage(connection, { asOf: view.today, minAge, period, paging: readPaging(search, N_CODE_SORT_COLUMNS, "date", prefix) });
    const sortNotice = ["overdue.", "pending."].map((prefix) => unsortableNote(search.get(`${prefix}sort`), N_CODE_SORT_COLUMNS)).find(Boolean) ?? null;
    const overdue = await nCodes(limit, "overdue.");
    const pending = await nCodes(-1, "pending.");
    // The penalty-notice window ends at the end of the period (or today, if that is earlier).
    const penaltyAsOf = period.to < view.today ? period.to : view.today;
    const penalty = await penaltyNoticeCandidates(connection, {
      asOf: penaltyAsOf,
      sessions: view.settings.penalty_sessions,
      windowWeeks: view.settings.penalty_window_school_weeks,
    });

    const gapDays = new Map<string, { date: string; session: string; sessions: number; classes: Set<string> }>();
    for (const gap of gaps) {
      const key = `${gap.date} ${gap.session}`;
      const day = gapDays.get(key) ?? { date: gap.date, session: gap.session, sessions: 0, classes: new Set<string>() };
      day.sessions += 1;
      if (gap.reg_group) day.classes.add(gap.reg_group);
      gapDays.set(key, day);
    }
    return {
      sortNotice,
      coverage,
      filters: view.filters,
      period: { label: period.label, from: period.from, to: period.to },
      // Each list's paging the address could not follow (a page past its last, a bad direction), named by list.
      notice:
        [
          view.notice,
          ...([["overdue.", overdue, `N codes older than ${limit} school days`], ["pending.", pending, "All N codes awaiting a reason"]] as const).map(([prefix, list, name]) => {
            const words = pagingWords(search, list, prefix);
            return words ? `${name}: ${words.charAt(0).toLowerCase()}${words.slice(1)}` : null;
          }),
        ]
          .filter(Boolean)
          .join(" ") || null,
      options,
      today: view.today,
      limit,
      gaps: {
        sessions: gaps.length,
        pupils: new Set(gaps.map((gap) => gap.upn)).size,
        bySession: [...gapDays.values()].map((day) => ({ date: day.date, session: day.session, sessions: day.sessions, classes: [...day.classes].sort() })),
        rows: gaps.slice(0, GAP_ROWS_SHOWN),
      },
      overdue,
      pending,
      penalty: {
        asOf: penaltyAsOf,
        sessions: view.settings.penalty_sessions,
        weeks: view.settings.penalty_window_school_weeks,
        pupils: penalty,
      },
    };
  });
}

/** One page of an N-code list, its headings sorting it and its pager paging it (URL parameters under `prefix`). */
function NCodeTable(props: { list: NCodePage; prefix: string; search: string; testId: string; caption: string; pupilSearch: string; limit: number }) {
  const { list, prefix, search } = props;
  const paging = { page: list.page, pages: list.pages, pageSize: list.pageSize, total: list.total, sort: list.sort, dir: list.dir };
  const anchor = `#${props.testId}`;
  return (
    <>
      <ListPager search={search} paging={paging} prefix={prefix} noun={props.caption} testId={`pager-${props.testId}`} anchor={anchor} />
      <table className="data" data-testid={props.testId} id={props.testId}>
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <SortHeader search={search} paging={paging} prefix={prefix} anchor={anchor} column="name" defaultDir={N_CODE_SORT_COLUMNS.name.defaultDir}>
              Pupil
            </SortHeader>
            <SortHeader search={search} paging={paging} prefix={prefix} anchor={anchor} column="date" defaultDir={N_CODE_SORT_COLUMNS.date.defaultDir}>
              Session
            </SortHeader>
            <SortHeader search={search} paging={paging} prefix={prefix} anchor={anchor} column="school_days_open" defaultDir={N_CODE_SORT_COLUMNS.school_days_open.defaultDir} numeric>
              School days open
            </SortHeader>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {list.rows.map((row) => (
            <tr key={`${row.upn}-${row.date}-${row.session}`}>
              <td>
                <Link to={`/pupils/${encodeURIComponent(row.upn)}?${props.pupilSearch}`}>
                  {pupilListName(row)}
                </Link>
              </td>
              <td>
                {formatDate(row.date, "EEE d MMM yyyy")} {row.session}
              </td>
              <td className="num">{formatCount(row.school_days_open)}</td>
              <td>
                {row.school_days_open > props.limit ? (
                  <span className="tag tag--red">Overdue</span>
                ) : (
                  <span className="tag tag--grey">Within limit</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export default function RegisterChecks() {
  const data = useLoaderData<typeof loader>();
  const { gaps, overdue, pending, limit, period, penalty, coverage } = data;
  const pupilSearch = filtersToSearch(data.filters).toString();
  const search = useLocation().search;
  const outside = (count: number) =>
    count > 0 ? (
      <p className="hint">
        {formatCount(count)} more from before this period: choose a longer period to list them.
      </p>
    ) : null;
  return (
    <>
      <h1>Register checks</h1>
      <p className="lede">
        Missing marks and unresolved N codes in the register. N codes are aged in school days as of {formatDate(data.today)}; the school's
        limit is {limit} school days (change it in <Link to="/settings">Settings</Link>).
      </p>
      <PeriodPicker filters={data.filters} options={data.options} />
      {coverage.covered ? null : (
        <div className="notice notice--warning" role="status" data-testid="no-calendar">
          <p>
            There is no school calendar for {coverage.missingYears.join(", ")}, so register gaps and school weeks (the penalty-notice
            window) cannot be checked for {coverage.missingYears.length === 1 ? "that year" : "those years"}.{" "}
            <Link to="/import?step=calendar">Import the school calendar</Link> first.
          </p>
        </div>
      )}

      <div className="tiles">
        <section className="tile" data-testid="gap-count">
          <p className="tile__label">Register gaps</p>
          <p className="tile__value">{coverage.covered ? formatCount(gaps.sessions) : "Cannot check"}</p>
          <p className="tile__detail">
            sessions with no mark, {formatCount(gaps.pupils)} {gaps.pupils === 1 ? "pupil" : "pupils"}
          </p>
        </section>
        <section className="tile" data-testid="overdue-count">
          <p className="tile__label">Overdue N codes</p>
          <p className="tile__value">{formatCount(overdue.total)}</p>
          <p className="tile__detail">open more than {limit} school days</p>
        </section>
        <section className="tile" data-testid="pending-count">
          <p className="tile__label">All N codes awaiting a reason</p>
          <p className="tile__value">{formatCount(pending.total)}</p>
          <p className="tile__detail">sessions in {periodInSentence(period.label)}</p>
        </section>
        <section className="tile" data-testid="penalty-count">
          <p className="tile__label">At the penalty-notice threshold</p>
          <p className="tile__value">{formatCount(penalty.pupils.length)}</p>
          <p className="tile__detail">
            {penalty.pupils.length === 1 ? "pupil" : "pupils"} with {penalty.sessions}+ unauthorised sessions in {penalty.weeks} school weeks
          </p>
        </section>
      </div>

      <h2>Penalty-notice threshold</h2>
      <p>
        Pupils with {penalty.sessions} or more sessions of unauthorised absence (G, N, O or U) in the {penalty.weeks} school weeks to{" "}
        {formatDate(penalty.asOf)}. Holiday weeks do not count and the window may span terms. Reaching the threshold means a penalty
        notice must be considered, not that one is issued.
      </p>
      {penalty.pupils.length === 0 ? (
        <p className="notice" data-testid="no-penalty">
          <span className="tag tag--green">None</span> No pupil is at the threshold.
        </p>
      ) : (
        <table className="data" data-testid="penalty-table">
          <caption className="visually-hidden">Pupils at the penalty-notice threshold</caption>
          <thead>
            <tr>
              <th scope="col">Pupil</th>
              <th scope="col" className="num">Unauthorised sessions</th>
              <th scope="col">Window</th>
            </tr>
          </thead>
          <tbody>
            {penalty.pupils.map((pupil) => (
              <tr key={pupil.upn}>
                <td>
                  <Link to={`/pupils/${encodeURIComponent(pupil.upn)}?${pupilSearch}`}>
                    {pupilListName(pupil)}
                  </Link>
                </td>
                <td className="num">{formatCount(pupil.unauthorised_sessions)}</td>
                <td>
                  {formatDate(pupil.window_from)} to {formatDate(pupil.window_to)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Register gaps</h2>
      {!coverage.covered && gaps.sessions === 0 ? (
        <p className="notice">No calendar for {coverage.missingYears.join(", ")}: gaps cannot be checked there.</p>
      ) : gaps.sessions === 0 ? (
        <p className="notice" data-testid="no-gaps">
          <span className="tag tag--green">Complete</span> Every pupil on roll has a mark for every session of every school day from{" "}
          {formatDate(period.from)} to {formatDate(period.to)}.
        </p>
      ) : (
        <>
          <p>
            A gap is a school day on which a pupil on roll has no mark. Gaps are never counted as present or absent: correct the register
            and re-import it.
          </p>
          <table className="data" data-testid="gaps-by-session">
            <caption>Gaps by session</caption>
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col" className="num">Pupils without a mark</th>
                <th scope="col">Classes</th>
              </tr>
            </thead>
            <tbody>
              {gaps.bySession.map((day) => (
                <tr key={`${day.date}-${day.session}`}>
                  <td>
                    {formatDate(day.date, "EEE d MMM yyyy")} {day.session}
                  </td>
                  <td className="num">{formatCount(day.sessions)}</td>
                  <td>{day.classes.join(", ") || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <details>
            <summary>
              List the pupils ({gaps.rows.length < gaps.sessions ? `first ${formatCount(gaps.rows.length)} of ` : ""}
              {formatCount(gaps.sessions)} {plural(gaps.sessions, "session")})
            </summary>
            <table className="data" data-testid="gap-rows">
              <caption className="visually-hidden">Register gaps, pupil by pupil</caption>
              <thead>
                <tr>
                  <th scope="col">Session</th>
                  <th scope="col">Pupil</th>
                  <th scope="col">Class</th>
                </tr>
              </thead>
              <tbody>
                {gaps.rows.map((gap) => (
                  <tr key={`${gap.upn}-${gap.date}-${gap.session}`}>
                    <td>
                      {formatDate(gap.date, "EEE d MMM yyyy")} {gap.session}
                    </td>
                    <td>
                      <Link to={`/pupils/${encodeURIComponent(gap.upn)}?${pupilSearch}`}>
                        {pupilListName(gap)}
                      </Link>
                    </td>
                    <td>{gap.reg_group || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}

      <SortNotice notice={data.sortNotice} />
      <h2>N codes older than {limit} school days</h2>
      {overdue.total === 0 ? (
        <p className="notice" data-testid="no-overdue">
          <span className="tag tag--green">None overdue</span> No N code in this period has been open longer than {limit} school days.
        </p>
      ) : (
        <>
          <p>
            These absences still have no reason after the school's limit. Contact the family, then replace the N with the right code.
          </p>
          <NCodeTable list={overdue} prefix="overdue." search={search} testId="overdue-n-codes" caption="Overdue N codes" pupilSearch={pupilSearch} limit={limit} />
        </>
      )}
      {outside(overdue.outside)}

      <h2>All N codes awaiting a reason</h2>
      {pending.total === 0 ? (
        <p className="notice" data-testid="no-pending">
          <span className="tag tag--green">None pending</span> No session in this period is waiting for a reason for absence.
        </p>
      ) : (
        <NCodeTable list={pending} prefix="pending." search={search} testId="pending-n-codes" caption="N codes awaiting a reason" pupilSearch={pupilSearch} limit={limit} />
      )}
      {outside(pending.outside)}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The register checks could not be shown" />;
}
