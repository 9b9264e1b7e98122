/**
 * Casework: the attendance lead's lists — one per rule of the school's policy
 * (analytics/casework/), each pupil with name, year group, class, the rule's figure and its
 * since-date, as of a date. Filters (as-of date, rule, year group, class, pupil groups) live
 * in the URL. Each list is counted whole; with every rule the page shows each list's first
 * rows (CASEWORK_PREVIEW_ROWS, worst first) and a link to that rule's list alone, which shows
 * a page (50) at a time. Its pager and column headings are plain links that open that rule's
 * list, sorted and paged on the server (analytics/casework/lists.ts), keeping the filters. The CSV
 * (routes/casework[.]csv.tsx) has every pupil of the lists; every name opens the pupil's page. Each
 * pupil's stage on the escalation ladder and next step with its due date come from
 * `ladderFor` (the pupil page's), under the ladder of the policy in Settings.
 */
import { pupilListName } from "../../analytics/pupil-name.ts";
import { plural } from "../../analytics/plural.ts";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { RouteError } from "~/components/RouteError";
import { CaseworkCounts } from "~/components/CaseworkCounts";
import { ListPager, SortHeader, SortNotice } from "~/components/ListPager";
import { filterOptions, registerStarts, RULES, type CaseworkLadder, type CaseworkList } from "~/lib/analytics.server";
import { filterOptions as pickerOptions } from "~/lib/view.server";
import { CASEWORK_SORT_COLUMNS, type CaseworkSort } from "../../analytics/casework/list-columns.ts";
import { firstOfEach, PAGE_SIZE } from "../../analytics/list-paging.ts";
import { auditListView } from "~/lib/audit.server";
import { requireRole } from "~/lib/auth.server";
import { caseworkCsvRefusal, caseworkNotice, loadCaseworkLists, readCaseworkRequest } from "~/lib/casework.server";
import { csvLinkRequest, csvRefusalNote, throwIfTyped } from "~/lib/address-filters.server";
import { withDb } from "~/lib/db.server";
import { FiltersFold } from "~/components/FiltersFold";
import { asOfNotUsedWords, describeFilterValue, describePupilFilters, FILTER_LABELS, FILTER_VALUE_LABELS, CHARACTERISTIC_FILTER_KEYS, filterValueTitle, type PupilFilterKey } from "~/lib/filters";
import { formatCount, formatDate, formatPct, formatPctBesideLines } from "~/lib/format";
import { shownLateWords, unknownDueBy } from "../../analytics/due-words.ts";

export const meta: MetaFunction = () => [{ title: "Casework — Rollcall" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, "view_pupils", { context });
  return withDb(async (connection) => {
    const read = readCaseworkRequest(request, await registerStarts(connection));
    // A typed spelling of a filter (year_group=Y5, reg_group=5a) is sent to its stored one.
    await throwIfTyped(connection, request);
    const options = await filterOptions(connection);
    // The picker offers the groups of pupils on roll on the date the lists are as of.
    const offered = await pickerOptions(connection, { period: { from: read.asOf, to: read.asOf }, filters: read.filters });
    const { lists, policyName, registerNotice } = await loadCaseworkLists(connection, read);
    // The CSV of this address would be refused: its link opens the refusal as a page, not a failed download.
    const csvRefusal = csvRefusalNote(await caseworkCsvRefusal(connection, csvLinkRequest(request), read));
    await auditListView(request, context, `Casework lists as of ${read.asOf}`);
    return {
      asOf: read.asOf,
      today: read.today,
      // An as-of date after today or before the register starts, said (filters.ts asOfNotUsedWords).
      asOfNotUsed: asOfNotUsedWords(read, "the lists"),
      rule: read.rule,
      filters: read.filters,
      options: { yearGroups: offered.yearGroups, regGroups: offered.regGroups, ethnicities: offered.ethnicities },
      rules: RULES.map((r) => ({ id: r.id, title: r.title })),
      policyName,
      registerNotice,
      csvRefusal,
      sortNotice: read.sortNotice,
      // What the address asked for that the page could not do (caseworkNotice).
      notice: caseworkNotice(read, lists, options),
      // What the page shows of each pupil (the session counts are the CSV's).
      lists: lists.map((list) => ({ ...list, pupils: list.pupils.map(({ counts: _counts, ...pupil }) => pupil) })),
    };
  });
}

/** A rule's figure as the list shows it; the CSV gives rates to one decimal with their counts (app/lib/csv.ts). */
function showValue(list: Pick<CaseworkList, "unit" | "lines">, value: number): string {
  // A pupil's attendance never reads as a line it is not on (95.97 %, not "96.0%", below 96 %), as on every page.
  if (list.unit === "percent") return list.lines === null ? formatPct(value) : formatPctBesideLines(value, list.lines);
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

const NO_LADDER: CaseworkLadder = { stage: null, stage_date: null, next: null, due_by: null, improvement_by: null, status: null, review_by: null };

/** The list's worst-first direction of its figure: lowest attendance, else the largest figure. */
const worstDir = (list: Pick<CaseworkList, "rule">) => (list.rule.startsWith("attendance_") ? "asc" : "desc");

export default function Casework() {
  const data = useLoaderData<typeof loader>();
  const { lists, filters, options, asOf } = data;
  const location = useLocation();
  const total = lists.reduce((sum, list) => sum + list.count, 0);
  // The CSV: the same date, rule and filters, every pupil (no page, no sort: worst first).
  // Each parameter once, as the page read it (firstOfEach): the file is the lists shown.
  const csvSearch = firstOfEach(location.search);
  for (const key of ["page", "sort", "dir"]) csvSearch.delete(key);
  // Every rule's list again: the same date and filters.
  const everySearch = new URLSearchParams(csvSearch);
  everySearch.delete("rule");
  const choices = (key: PupilFilterKey): string[] =>
    key === "year_group" ? options.yearGroups : key === "reg_group" ? options.regGroups : key === "ethnicity" ? options.ethnicities : Object.keys(FILTER_VALUE_LABELS[key] ?? {});
  // The same words as every other picker: the DfE's names for ethnicity codes, the code on hover.
  const label = (key: PupilFilterKey, value: string) => describeFilterValue(key, value);
  // On a phone the filters fold to one line of what is shown (FiltersFold), as the other
  // pages' do: unfolded they took the whole first screen (trial 49b).
  const ruleTitle = data.rule ? data.rules.find((r) => r.id === data.rule)?.title ?? data.rule : "every rule";
  const filteredBy = describePupilFilters(filters);
  return (
    <>
      <h1>Casework</h1>
      <p className="lede" data-testid="casework-scope">
        Pupils on roll on {formatDate(asOf)} whom {data.policyName} lists, year to date from 1 August.
      </p>
      {data.registerNotice ? (
        <p className="notice" role="status" data-testid="casework-register">
          {data.registerNotice}
        </p>
      ) : null}
      {data.notice ? (
        <p className="notice" role="status" data-testid="casework-notice">
          {data.notice}
        </p>
      ) : null}
      {data.asOfNotUsed ? (
        <p className="notice" role="status" data-testid="casework-future">
          {data.asOfNotUsed}
        </p>
      ) : null}
      <p className="hint" data-testid="casework-judged-on">
        Steps are marked due or late as of {formatDate(asOf)}
        {asOf === data.today ? ", today" : `, not today (${formatDate(data.today)}): change the date to see them as of another day`}.
      </p>
      {/* Keyed by the address: its fields are uncontrolled, so a link to another list (a pager, a heading) re-reads them. */}
      <FiltersFold
        summaryTestId="casework-filters-summary"
        summary={
          <>
            Showing <strong>{ruleTitle}</strong> as of <strong>{formatDate(asOf)}</strong> · {filteredBy ? <strong>{filteredBy}</strong> : "all pupils"}
          </>
        }
      >
      <Form method="get" className="filters" data-testid="casework-filters" key={location.search}>
        <label>
          As of <input type="date" name="asOf" defaultValue={asOf} max={data.today} />
        </label>{" "}
        <label>
          Rule{" "}
          <select name="rule" defaultValue={data.rule ?? ""}>
            <option value="">Every rule</option>
            {data.rules.map((r) => (
              <option key={r.id} value={r.id}>
                {r.title}
              </option>
            ))}
          </select>
        </label>{" "}
        {(["year_group", "reg_group", ...CHARACTERISTIC_FILTER_KEYS] as PupilFilterKey[]).map((key) => (
          <label key={key}>
            {FILTER_LABELS[key]}{" "}
            <select name={key} defaultValue={filters[key] ?? ""} data-testid={`filter-${key}`}>
              <option value="">All</option>
              {choices(key).map((value) => (
                <option key={value} value={value} title={filterValueTitle(key, value)}>
                  {label(key, value)}
                </option>
              ))}
            </select>{" "}
          </label>
        ))}
        <button type="submit" className="button button--secondary">
          Show
        </button>
      </Form>
      </FiltersFold>

      <CaseworkCounts lists={lists} caption="Pupils on each list" hrefFor={(rule) => `#${rule}`} testId="casework-counts" />
      <p>
        <a className="button button--secondary" href={`/casework.csv?${csvSearch.toString()}`} download={data.csvRefusal ? undefined : true} data-testid="casework-csv">
          Download these lists (CSV)
        </a>{" "}
        <span className="hint" data-testid="casework-csv-note">
          {data.csvRefusal ?? (
            <>
              CSV has all {formatCount(total)} {total === 1 ? "entry" : "entries"}
              {data.rule
                ? `; the page shows ${formatCount(lists[0]?.pageSize ?? 0)} at a time.`
                : ` on the ${lists.length} lists; the page shows the first ${formatCount(lists[0]?.pageSize ?? 0)} of each, and each list's own page all of it, ${formatCount(PAGE_SIZE)} at a time.`}
            </>
          )}
        </span>
      </p>

      {lists.map((list) => {
        // Paging and sorting links open this rule's list on its own, keeping the date and filters.
        const listSearch = firstOfEach(location.search);
        listSearch.set("rule", list.rule);
        // The whole list, from its first page, worst first.
        const wholeSearch = new URLSearchParams(listSearch);
        for (const key of ["page", "sort", "dir"]) wholeSearch.delete(key);
        const paging = { page: list.page, pages: list.pages, pageSize: list.pageSize, total: list.count, sort: list.sort ?? "", dir: list.dir };
        const header = (column: CaseworkSort, label: string, numeric = false) => (
          <SortHeader
            search={listSearch.toString()}
            paging={paging}
            column={column}
            defaultDir={column === "value" ? worstDir(list) : CASEWORK_SORT_COLUMNS[column].defaultDir}
            numeric={numeric}
          >
            {label}
          </SortHeader>
        );
        return (
          <section key={list.rule} id={list.rule} data-testid={`list-${list.rule}`}>
            <SortNotice notice={data.sortNotice} />
            <h2>
              {list.title} <span className="count">({list.count})</span>
            </h2>
            <p className="hint">
              {list.description} <em>{list.source}.</em>
            </p>
            {/* The list's own action's date where it is not a ladder step (rules.ts due): never a blank. */}
            {list.due ? (
              <p className="hint" data-testid={`due-${list.rule}`}>
                <strong>When:</strong> {list.due}
              </p>
            ) : null}
            {list.count === 0 ? (
              <p data-testid="empty">No pupil is on this list.</p>
            ) : (
              <>
                {data.rule ? (
                  <ListPager search={listSearch.toString()} paging={paging} noun={`${list.title} list`} testId={`pager-${list.rule}`} />
                ) : (
                  <p className="hint" data-testid={`shown-${list.rule}`} data-shown={list.pupils.length} data-total={list.count}>
                    {list.pupils.length < list.count
                      ? `The first ${formatCount(list.pupils.length)} of ${formatCount(list.count)}, worst first.`
                      : `All ${formatCount(list.count)}, worst first.`}
                  </p>
                )}
                {/* A card per pupil on a phone (app.css data--cards), each cell after its heading. */}
                <table className="data data--cards">
                  <thead>
                    <tr>
                      {header("name", "Pupil")}
                      {header("upn", "UPN")}
                      {header("year_group", "Year")}
                      {header("reg_group", "Class")}
                      {header("value", list.valueLabel, true)}
                      {list.sinceLabel ? header("since", list.sinceLabel) : null}
                      <th scope="col">Stage on the ladder</th>
                      <th scope="col">Next step</th>
                      <th scope="col">Due by</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.pupils.map((p) => (
                      <tr key={p.upn} data-upn={p.upn}>
                        <td>
                          {/* A plain link: up to 120 names a page, and a router Link costs far more to render. */}
                          <a href={`/pupils/${encodeURIComponent(p.upn)}`}>
                            {pupilListName(p)}
                          </a>
                        </td>
                        <td data-label="UPN">{p.upn}</td>
                        <td data-label="Year">{p.year_group}</td>
                        <td data-label="Class">{p.reg_group}</td>
                        <td className="num" data-value={p.value} data-label={list.valueLabel}>
                          {showValue(list, p.value)}
                        </td>
                        {list.sinceLabel ? <td data-label={list.sinceLabel}>{p.since ? formatDate(p.since) : "—"}</td> : null}
                        <LadderCells ladder={p.ladder ?? NO_LADDER} asOf={asOf} today={data.today} />
                      </tr>
                    ))}
                  </tbody>
                </table>
                {!data.rule && list.pupils.length < list.count ? (
                  <p>
                    <Link to={`?${wholeSearch.toString()}`} data-testid={`all-${list.rule}`}>
                      All {formatCount(list.count)} pupils on this list, {formatCount(PAGE_SIZE)} a page →
                    </Link>
                  </p>
                ) : null}
                {data.rule ? (
                  <p>
                    <Link to={`?${everySearch}`} data-testid="every-list">
                      ← Every list
                    </Link>
                  </p>
                ) : null}
              </>
            )}
          </section>
        );
      })}
    </>
  );
}

/** The pupil's stage, next step and its due date; a late step says so in words, not colour alone, with the date it is judged on. */
function LadderCells({ ladder, asOf, today }: { ladder: CaseworkLadder; asOf: string; today: string }) {
  return (
    <>
      <td data-col="stage" data-stage-date={ladder.stage_date ?? ""} data-label="Stage on the ladder">
        {ladder.stage ?? "—"}
        {ladder.stage_date ? <span className="hint"> ({formatDate(ladder.stage_date)})</span> : null}
      </td>
      <td data-col="next" data-label="Next step">{ladder.next ?? "—"}</td>
      <td data-col="due" data-label="Due by" data-status={ladder.status ?? ""} data-due-by={ladder.due_by ?? ""} data-improvement-by={ladder.improvement_by ?? ""} data-review-by={ladder.review_by ?? ""}>
        {ladder.due_by
          ? ladder.status === "if no improvement" && ladder.improvement_by
            ? `${formatDate(ladder.due_by)}, if no improvement by ${formatDate(ladder.improvement_by)}`
            : formatDate(ladder.due_by)
          : unknownDueBy(ladder)
            ? unknownDueBy(ladder)
            : ladder.review_by
              ? null
              : "—"}
        {ladder.status === "late" || ladder.status === "due" || ladder.status === "not yet due" ? (
          <>
            {" "}
            {/* The as-of date in the badge: late or due at that date, which need not be today. */}
            {ladder.status === "late" ? (
              <span className="tag tag--red">Late as of {formatDate(asOf)}</span>
            ) : ladder.status === "due" ? (
              <span className="tag tag--orange">Due as of {formatDate(asOf)}</span>
            ) : (
              // A past date's view: the register first showed the rule after it (an amendment made since).
              <span className="tag">Not yet due as of {formatDate(asOf)}</span>
            )}
          </>
        ) : null}
        {/* Dated from the day the register first showed the rule met (an amendment made later): why, in one sentence. */}
        {ladder.shown_late ? <span className="hint" data-testid="casework-shown-late"> {shownLateWords(ladder, formatDate, asOf === today ? today : undefined)}</span> : null}
        {/* After an improvement: when the ladder next judges the monitoring period (Appendix A 9). */}
        {ladder.review_by ? <span className="hint">{ladder.due_by ? "; " : ""}next review {formatDate(ladder.review_by)}</span> : null}
      </td>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The casework lists could not be shown" />;
}
