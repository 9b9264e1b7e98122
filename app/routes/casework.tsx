/**
 * Casework: the attendance lead's lists — one per rule of the school's policy
 * (analytics/casework/), each pupil with name, year group, class, the rule's figure and its
 * since-date, as of a date. Filters (as-of date, rule, year group, class, pupil groups) live
 * in the URL; the CSV holds exactly the rows shown; every name opens the pupil's page. Each
 * pupil's stage on the escalation ladder and next step with its due date come from
 * `ladderFor` (the pupil page's), under the ladder of the policy in Settings.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { RouteError } from "~/components/RouteError";
import { CaseworkCounts } from "~/components/CaseworkCounts";
import { caseworkLists, currentDate, pupilMeasures, filterOptions, getSettings, isRuleId, ladderPolicyOf, RULES, type CaseworkLadder, type CaseworkList, type RuleId } from "~/lib/analytics.server";
import { countsOf, toCsv, type CsvColumn } from "~/lib/csv";
import { saveCsvDownload } from "~/lib/export-audit";
import { academicYearBounds, academicYearOf } from "../../analytics/period-names.ts";
import { requireRole } from "~/lib/auth.server";
import { withDb } from "~/lib/db.server";
import { describeFilterValue, FILTER_LABELS, FILTER_VALUE_LABELS, filterValueTitle, PUPIL_FILTER_KEYS, readFilters, pupilFilterOf, type PupilFilterKey } from "~/lib/filters";
import { formatDate } from "~/lib/format";

export const meta: MetaFunction = () => [{ title: "Casework — Rollcall" }];

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isIsoDate = (value: string) => ISO_DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "view_pupils");
  const search = new URL(request.url).searchParams;
  const today = currentDate();
  const rawAsOf = search.get("asOf")?.trim() ?? "";
  const asOf = isIsoDate(rawAsOf) ? rawAsOf : today;
  const rawRule = search.get("rule")?.trim() ?? "";
  const rule: RuleId | null = isRuleId(rawRule) ? rawRule : null;
  // The pupil filters read exactly as on every other page (unknown values are dropped).
  const filters = pupilFilterOf(readFilters(search));
  return withDb(async (connection) => {
    const settings = await getSettings(connection);
    const options = await filterOptions(connection);
    const lists = await caseworkLists(connection, { asOf, policy: settings.policy, filter: filters, rules: rule ? [rule] : undefined, ladder: ladderPolicyOf(settings) });
    // The percentage rules are year to date: each listed pupil's counts, for the CSV's exact
    // numerator and denominator beside the one-decimal rate (issue 13, case 14).
    const listed = new Set(lists.flatMap((list) => list.pupils.map((p) => p.upn)));
    const counts: Record<string, Record<string, number>> = {};
    if (lists.some((list) => list.unit === "percent" && list.pupils.length > 0)) {
      for (const m of await pupilMeasures(connection, { from: academicYearBounds(academicYearOf(asOf)).from, to: asOf })) {
        if (listed.has(m.upn)) counts[m.upn] = countsOf("", m);
      }
    }
    return {
      asOf,
      today,
      rule,
      filters,
      options: { yearGroups: options.yearGroups, regGroups: options.regGroups, ethnicities: options.ethnicities },
      rules: RULES.map((r) => ({ id: r.id, title: r.title })),
      policyName: settings.policy.preset_name,
      lists,
      counts,
    };
  });
}

/** A rule's figure as the list shows it; the CSV gives rates to one decimal with their counts (app/lib/csv.ts). */
function showValue(list: Pick<CaseworkList, "unit">, value: number): string {
  if (list.unit === "percent") return `${value.toFixed(1)}%`;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

const CSV_COLUMNS: CsvColumn[] = [
  { key: "rule", label: "Rule" },
  { key: "upn", label: "UPN" },
  { key: "surname", label: "Surname" },
  { key: "forename", label: "Forename" },
  { key: "year_group", label: "Year group" },
  { key: "reg_group", label: "Class" },
  // Rates (attendance or absence, year to date) to one decimal with their counts; other rules' figures (days, sessions, marks) as they are.
  { key: "attendance_pct", label: "Attendance", format: "pct" },
  { key: "absence_pct", label: "Absence", format: "pct" },
  { key: "value", label: "Value (days, sessions or marks)" },
  { key: "since", label: "Since" },
  { key: "stage", label: "Stage" },
  { key: "stage_date", label: "Stage recorded" },
  { key: "next", label: "Next step" },
  { key: "due_by", label: "Due by" },
  { key: "status", label: "Status" },
];

const NO_LADDER: CaseworkLadder = { stage: null, stage_date: null, next: null, due_by: null, status: null };

function downloadCsv(filename: string, lists: CaseworkList[], counts: Record<string, Record<string, number>>) {
  const records = lists.flatMap((list) =>
    list.pupils.map((p) => {
      const rate = list.unit === "percent" ? (list.valueLabel === "Attendance" ? "attendance_pct" : "absence_pct") : null;
      return {
        rule: list.rule,
        upn: p.upn,
        surname: p.surname,
        forename: p.forename,
        year_group: p.year_group,
        reg_group: p.reg_group,
        ...(rate ? { [rate]: p.value, ...(counts[p.upn] ?? {}) } : { value: p.value }),
        since: p.since,
        ...(p.ladder ?? NO_LADDER),
      };
    }),
  );
  saveCsvDownload(filename, toCsv(records, CSV_COLUMNS), records.length);
}

const GROUP_KEYS = PUPIL_FILTER_KEYS.filter((key) => key !== "year_group" && key !== "reg_group");

export default function Casework() {
  const data = useLoaderData<typeof loader>();
  const { lists, filters, options, asOf } = data;
  const total = lists.reduce((sum, list) => sum + list.count, 0);
  const choices = (key: PupilFilterKey): string[] =>
    key === "year_group" ? options.yearGroups : key === "reg_group" ? options.regGroups : key === "ethnicity" ? options.ethnicities : Object.keys(FILTER_VALUE_LABELS[key] ?? {});
  // The same words as every other picker: the DfE's names for ethnicity codes, the code on hover.
  const label = (key: PupilFilterKey, value: string) => (key === "reg_group" ? value : describeFilterValue(key, value));
  return (
    <>
      <h1>Casework</h1>
      <p className="lede" data-testid="casework-scope">
        Pupils on roll on {formatDate(asOf)} whom the {data.policyName} policy lists, year to date from 1 August.
      </p>
      <Form method="get" className="filters" data-testid="casework-filters">
        <label>
          As of <input type="date" name="asOf" defaultValue={asOf} max="2099-12-31" />
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
        {(["year_group", "reg_group", ...GROUP_KEYS] as PupilFilterKey[]).map((key) => (
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

      <CaseworkCounts lists={lists} caption={`Pupils on each list (${total} entries)`} hrefFor={(rule) => `#${rule}`} testId="casework-counts" />
      <p>
        <button type="button" className="button button--secondary" data-testid="casework-csv" onClick={() => downloadCsv(`casework-${asOf}`, lists, data.counts)}>
          Download these lists (CSV)
        </button>
      </p>

      {lists.map((list) => (
        <section key={list.rule} id={list.rule} data-testid={`list-${list.rule}`}>
          <h2>
            {list.title} <span className="count">({list.count})</span>
          </h2>
          <p className="hint">
            {list.description} <em>{list.source}.</em>
          </p>
          {list.count === 0 ? (
            <p data-testid="empty">No pupil is on this list.</p>
          ) : (
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Pupil</th>
                  <th scope="col">UPN</th>
                  <th scope="col">Year</th>
                  <th scope="col">Class</th>
                  <th scope="col" className="num">
                    {list.valueLabel}
                  </th>
                  {list.sinceLabel ? <th scope="col">{list.sinceLabel}</th> : null}
                  <th scope="col">Stage on the ladder</th>
                  <th scope="col">Next step</th>
                  <th scope="col">Due by</th>
                </tr>
              </thead>
              <tbody>
                {list.pupils.map((p) => (
                  <tr key={p.upn} data-upn={p.upn}>
                    <td>
                      <Link to={`/pupils/${encodeURIComponent(p.upn)}`}>
                        {p.forename} {p.surname}
                      </Link>
                    </td>
                    <td>{p.upn}</td>
                    <td>{p.year_group}</td>
                    <td>{p.reg_group}</td>
                    <td className="num" data-value={p.value}>
                      {showValue(list, p.value)}
                    </td>
                    {list.sinceLabel ? <td>{p.since ? formatDate(p.since) : "—"}</td> : null}
                    <LadderCells ladder={p.ladder ?? NO_LADDER} />
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </>
  );
}

/** The pupil's stage, next step and its due date; a late step says so in words, not colour alone. */
function LadderCells({ ladder }: { ladder: CaseworkLadder }) {
  return (
    <>
      <td data-col="stage" data-stage-date={ladder.stage_date ?? ""}>
        {ladder.stage ?? "—"}
        {ladder.stage_date ? <span className="hint"> ({formatDate(ladder.stage_date)})</span> : null}
      </td>
      <td data-col="next">{ladder.next ?? "—"}</td>
      <td data-col="due" data-status={ladder.status ?? ""} data-due-by={ladder.due_by ?? ""}>
        {ladder.due_by ? (ladder.status === "if no improvement" ? `${formatDate(ladder.due_by)}, if no improvement` : formatDate(ladder.due_by)) : "—"}
        {ladder.status === "late" || ladder.status === "due" ? (
          <>
            {" "}
            {ladder.status === "late" ? <span className="tag tag--red">Late</span> : <span className="tag tag--orange">Due</span>}
          </>
        ) : null}
      </td>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The casework lists could not be shown" />;
}
