/**
 * Year groups and classes: the same measures for each year group and each registration
 * group (class), for the weekly class review and the SLT pack. Each year group's or class's
 * bars and name open its pupils.
 */
import { plural } from "../../analytics/plural.ts";
import { withArticle } from "../../analytics/article.ts";
import { countsOf } from "~/lib/csv";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { GroupMeasures } from "../../analytics/measures.ts";
import { ChartFigure, type ChartColumn } from "~/components/ChartFigure";
import { GroupBars } from "~/components/GroupBars";
import { PeriodPicker } from "~/components/PeriodPicker";
import { SmallGroupTag, TargetGap } from "~/components/PointsGap";
import { RouteError } from "~/components/RouteError";
import { applyWithheld, attendedOnly, governorSpan, leaversInGroups, NOTHING_WITHHELD, paNotGivenIn, persistentAbsenceSpan, summarise, summariseBy, withheldIn, type LeaversInGroups, type Withheld } from "~/lib/analytics.server";
import { can } from "~/lib/permissions";
import { withDb } from "~/lib/db.server";
import { chartsGroup, leaversSentence, describeFilterValue, describePupilFilters, drillDownHref, groupAttribute, CHARACTERISTIC_FILTER_KEYS, type ViewFilters } from "~/lib/filters";
import { formatCount, formatCountOf, formatPct } from "~/lib/format";
import { filterOptions, resolveView } from "~/lib/view.server";
import { requireRole } from "~/lib/auth.server";
import { IfMayDrill, PupilsLink, useMayDrill } from "~/components/PupilsLink";
import { WithheldNotice } from "~/components/WithheldNotice";
import { WithheldText } from "~/components/WithheldMark";
import { ABSENCE_KEYS, withheldMarks, withoutAbsence } from "~/lib/withheld";
import { formatThreshold } from "../../analytics/thresholds.ts";

export const meta: MetaFunction = () => [{ title: "Year groups and classes — Rollcall" }];

type Breakdown = "year_group" | "reg_group";

/**
 * A year group or class as shown: figures a governor may not see are taken out on the server.
 * `small`: the group has fewer pupils than the school's minimum (decided on the server, as a
 * governor's withheld row sends no pupils to count).
 */
type ShownGroup = GroupMeasures & { withheld: Withheld; small: boolean; left: number };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, "view_aggregates", { context });
  const governor = !can(user.role, "view_pupils");
  return withDb(async (connection) => {
    const view = await resolveView(connection, request, governor ? { governorPage: "classes" } : {});
    const options = await filterOptions(connection, view);
    // Governors: one plan for every view of the period (analytics/governor-lattice.ts): each
    // year group and class, with or without a characteristic, so a figure withheld here is
    // withheld on every other page and filter too, and none can be had by subtraction.
    const plan = governor ? await governorSpan(connection, view.query, view.settings.small_group_min) : null;
    const filter = view.query.filter ?? {};
    // Persistent and severe absence over fewer than 20 school days: not given (analytics/pa-span.ts).
    const paSpan = await persistentAbsenceSpan(connection, view.query, view.period.label);
    const shown = (by: "year_group" | "reg_group", leavers: LeaversInGroups | null) => (row: GroupMeasures): ShownGroup => {
      const withheld = paNotGivenIn(governor ? withheldIn(plan, { ...filter, [by]: row.group }) : NOTHING_WITHHELD, paSpan.given);
      // A withheld row is not called small: for a governor, whether it is small or withheld to
      // protect a small group is not said (analytics/suppression.ts WITHHELD_TEXT).
      const small = !withheld.row && row.pupils < view.settings.small_group_min;
      // Governors: AEA folded into sessions attended, never given on its own (attendedOnly).
      const shown = applyWithheld(row, withheld);
      return { ...(governor ? attendedOnly(shown) : shown), withheld, small, left: leavers?.byGroup.get(row.group) ?? 0 };
    };
    // Staff count a pupil who left before the period's last half term in their last year group
    // and class; governors in a row of their own (analytics/leavers-count.ts): each staff row
    // says how many of its pupils those are, so a head and a governor comparing see why.
    const staffBreakdown = async (by: "year_group" | "reg_group") => {
      const rows = await summariseBy(connection, view.query, by);
      const leavers = governor ? null : await leaversInGroups(connection, view.query, by, rows);
      return { rows: rows.map(shown(by, leavers)), leavers };
    };
    const wholeWithheld = paNotGivenIn(governor ? withheldIn(plan, filter) : NOTHING_WITHHELD, paSpan.given);
    const wholeShown = applyWithheld(await summarise(connection, view.query), wholeWithheld);
    const whole = governor ? attendedOnly(wholeShown) : wholeShown;
    const years = await staffBreakdown("year_group");
    // Governors: the chosen pupils withheld, the page says so and lists nothing, so no row is
    // sent either: a year group with no one read no rows where one with a pupil read its
    // withheld row (and its class's name), so whether it had a pupil showed (trial, session 21).
    const noRows = governor && Boolean(wholeWithheld.row);
    const yearGroups = noRows ? [] : years.rows;
    // A governor is given no pupil group within a class (analytics/governor-lattice.ts): with a
    // characteristic chosen, no class is listed at all — not even which classes have such pupils.
    const classesNotGiven = governor && hasCharacteristic(view.filters);
    const classes = classesNotGiven || noRows ? [] : (await staffBreakdown("reg_group")).rows;
    const leavers = years.leavers ? { label: years.leavers.label, total: years.leavers.total } : null;
    return {
      filters: view.filters,
      period: { label: view.period.label, from: view.period.from, to: view.period.to },
      notice: view.notice,
      registerNotice: view.registerNotice,
      governorRule: view.governorRule, governorPeriods: view.governorPeriods,
      options,
      target: view.settings.target_attendance_pct,
      smallGroupMin: view.settings.small_group_min,
      whole,
      wholeWithheld,
      yearGroups,
      classes,
      classesNotGiven,
      leavers,
      paNotGiven: paSpan.why,
    };
  });
}

/** A pupil characteristic (SEN, FSM, …) is among the filters, beside any year group or class. */
const hasCharacteristic = (filters: ViewFilters): boolean => CHARACTERISTIC_FILTER_KEYS.some((key) => Boolean(filters[key]));

const NOUNS: Record<Breakdown, { heading: string; column: string; one: string }> = {
  year_group: { heading: "Year groups", column: "Year group", one: "year group" },
  reg_group: { heading: "Classes", column: "Class", one: "class" },
};

function BreakdownTable(props: { by: Breakdown; groups: ShownGroup[]; filters: ViewFilters; target: number; smallGroupMin: number }) {
  const { by, groups, filters, target, smallGroupMin } = props;
  // With a pupil filter the rows are groups of those pupils (Year 3's EHC-plan pupils): it is
  // the group that is small, not the year group or class.
  const small = hasCharacteristic(filters) ? "group" : NOUNS[by].one;
  return (
    <div className="table-scroll">
    <table className="data group-comparison" data-testid={`breakdown-${by}`}>
      <caption className="visually-hidden">{NOUNS[by].heading}: attendance, absence and persistent absence</caption>
      <thead>
        <tr>
          <th scope="col">{NOUNS[by].column}</th>
          <th scope="col" className="num">Pupils</th>
          <th scope="col" className="num measure-start">Attendance</th>
          <th scope="col" className="num">Against target ({formatThreshold(target, 1)})</th>
          <th scope="col" className="num measure-start">Absence</th>
          <th scope="col" className="num">Authorised</th>
          <th scope="col" className="num">Unauthorised</th>
          <th scope="col" className="num measure-start">Persistent absence</th>
          <th scope="col" className="num">Severe absence</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((row) => (
          <tr key={groupAttribute(row.group)} data-group={groupAttribute(row.group)}>
            <th scope="row">
              <PupilsLink to={drillDownHref(filters, { by, value: row.group })} data-testid={`drill-${by}-${groupAttribute(row.group)}`}>
                {describeFilterValue(by, row.group)}
                <IfMayDrill>
                  <span className="visually-hidden"> — show these pupils</span>
                </IfMayDrill>
              </PupilsLink>
              {row.small ? (
                <>
                  {" "}
                  <SmallGroupTag minimum={smallGroupMin} what={small} />
                </>
              ) : null}
            </th>
            {row.withheld.row ? (
              // The leavers' pupils are printed (every reader has them: Withheld.pupilsKnown).
              <>
                {row.withheld.pupilsKnown ? <td className="num" data-testid="group-pupils">{formatCount(row.pupils)}</td> : null}
                <td colSpan={row.withheld.pupilsKnown ? 7 : 8} className="suppressed" data-testid="withheld">
                  {row.withheld.row}
                </td>
              </>
            ) : (
              <>
            <td className="num" data-testid="group-pupils" data-left={row.left || undefined}>
              {formatCount(row.pupils)}
              {/* Staff: how many of them governors count in the leavers' row instead (leavers-count.ts). */}
              {row.left > 0 ? <span className="hint"> ({formatCount(row.left)} left)</span> : null}
            </td>
            {row.withheld.absence ? (
              // Beside a withheld count of pupils absent at least once (a short half term): its
              // absence in sessions and every rate made from it (analytics/governor-view.ts).
              <td colSpan={5} className="measure-start suppressed" data-testid="withheld-absence">
                <WithheldText reason={row.withheld.absence} />
              </td>
            ) : (
              <>
            <td className="num measure-start" title={`${formatCount(row.present_sessions + row.aea_sessions)} of ${formatCount(row.possible_sessions)} possible sessions attended`}>
              {formatPct(row.attendance_pct)}
            </td>
            <td className="num">
              <TargetGap value={row.attendance_pct} target={target} />
            </td>
            <td className="num measure-start">{formatPct(row.absence_pct)}</td>
            <td className="num" title={formatCountOf(row.authorised_sessions, "session")}>{formatPct(row.authorised_pct)}</td>
            <td className="num" title={formatCountOf(row.unauthorised_sessions, "session")}>{formatPct(row.unauthorised_pct)}</td>
              </>
            )}
            <td className={`num measure-start${row.withheld.pa ? " suppressed" : ""}`} data-testid={row.withheld.pa ? "withheld" : undefined}>
              {row.withheld.pa ?? (
                <>
                  {formatPct(row.pa_pct)} <span className="hint">({formatCount(row.pa_pupils)})</span>
                </>
              )}
            </td>
            <td className={`num${row.withheld.sa ? " suppressed" : ""}`} data-testid={row.withheld.sa ? "withheld" : undefined}>
              {row.withheld.sa ?? (
                <>
                  {formatPct(row.sa_pct)} <span className="hint">({formatCount(row.sa_pupils)})</span>
                </>
              )}
            </td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}

/** The columns of a breakdown's chart table and its CSV download (`year-groups.csv`, `classes.csv`). */
export function breakdownColumns(by: Breakdown): ChartColumn[] {
  const nouns = NOUNS[by];
  return [
    { key: "label", label: nouns.column },
    { key: "pupils", label: "Pupils", format: "count" },
    { key: "attendance_pct", label: "Attendance", format: "pct" },
    { key: "absence_pct", label: "Absence rate", format: "pct" },
    { key: "authorised_pct", label: "Authorised absence", format: "pct" },
    { key: "unauthorised_pct", label: "Unauthorised absence", format: "pct" },
    { key: "pa_pct", label: "Persistent absence rate", format: "pct" },
    { key: "pa_pupils", label: "Persistently absent pupils", format: "count" },
    { key: "sa_pct", label: "Severe absence rate", format: "pct" },
  ];
}

/**
 * The rows of a breakdown's chart table and its CSV download, from the loader's rows: a
 * governor's withheld figures carry their marks (app/lib/withheld.ts), never a figure.
 */
export function breakdownRows(by: Breakdown, groups: ShownGroup[]) {
  return groups.map((row) => ({
    label: describeFilterValue(by, row.group),
    // A withheld group keeps its row: its figures read "withheld (…)" (app/lib/withheld.ts);
    // a row whose pupils every reader has (Withheld.pupilsKnown) gives them, each other
    // figure marked withheld.
    ...(row.withheld.row && row.withheld.pupilsKnown
      ? withheldMarks(["attendance_pct", "absence_pct", "authorised_pct", "unauthorised_pct", "pa_pct", "pa_pupils", "sa_pct"], row.withheld.row)
      : { withheld: row.withheld.row }),
    ...withheldMarks(["pa_pct", "pa_pupils"], row.withheld.pa),
    ...withheldMarks(["sa_pct", "sa_pupils"], row.withheld.sa),
    ...withheldMarks([...ABSENCE_KEYS], row.withheld.absence),
    ...(row.withheld.row ? {} : withoutAbsence(countsOf("", { ...row, pa_pupils: row.withheld.pa ? undefined : row.pa_pupils, sa_pupils: row.withheld.sa ? undefined : row.sa_pupils }), row.withheld.absence)),
    pupils: row.pupils,
    attendance_pct: row.attendance_pct,
    absence_pct: row.absence_pct,
    authorised_pct: row.authorised_pct,
    unauthorised_pct: row.unauthorised_pct,
    pa_pct: row.pa_pct,
    pa_pupils: row.withheld.pa ? null : row.pa_pupils,
    sa_pct: row.sa_pct,
  }));
}

function BreakdownSection(props: {
  by: Breakdown;
  groups: ShownGroup[];
  filters: ViewFilters;
  target: number;
  smallGroupMin: number;
  overallAbsencePct: number | null;
  overallLabel: string;
}) {
  const mayDrill = useMayDrill();
  const { by, groups, filters } = props;
  const nouns = NOUNS[by];
  return (
    <section id={by} aria-labelledby={`${by}-heading`}>
      <h2 id={`${by}-heading`}>{nouns.heading}</h2>
      <ChartFigure
        title={`Absence and persistent absence by ${nouns.one}`}
        description={`${mayDrill ? `Select ${withArticle(nouns.one)}'s bars, or its name in the table, to see its pupils. ` : ""}The dashed line is the absence rate of all pupils shown.`}
        filename={`${by === "year_group" ? "year-groups" : "classes"}`}
        columns={breakdownColumns(by)}
        rows={breakdownRows(by, groups)}
      >
        <GroupBars
          bars={groups.filter((row) => chartsGroup(row.group)).map((row) => ({
            label: describeFilterValue(by, row.group).replace(/^Class /, ""),
            href: drillDownHref(filters, { by, value: row.group }),
            absence_pct: row.absence_pct,
            pa_pct: row.pa_pct,
            withheld: row.withheld.row,
            ...withheldMarks(["pa_pct"], row.withheld.pa),
            ...withheldMarks(["absence_pct"], row.withheld.absence),
          }))}
          overallAbsencePct={props.overallAbsencePct}
          overallLabel={props.overallLabel}
          description={`Bar chart of absence and persistent absence rates by ${nouns.one}`}
        />
      </ChartFigure>
      <BreakdownTable by={by} groups={groups} filters={filters} target={props.target} smallGroupMin={props.smallGroupMin} />
    </section>
  );
}

export default function YearGroupsAndClasses() {
  const { filters, options, whole, wholeWithheld, yearGroups, classes, classesNotGiven, target, smallGroupMin, leavers: staffLeavers, paNotGiven } = useLoaderData<typeof loader>();
  const filtered = describePupilFilters(filters);
  const leavers = leaversSentence([...yearGroups, ...classes].map((row) => row.group));
  const common = { filters, target, smallGroupMin, overallAbsencePct: whole.absence_pct, overallLabel: filtered ? "All shown" : "School" };
  return (
    <>
      <h1>Year groups and classes</h1>
      <p className="lede">
        Attendance, absence and persistent absence for each year group and class{filtered ? ` (pupils: ${filtered})` : ""}. Pupils are
        counted in the year group and class they were in at the end of the period.
        {leavers ? ` ${leavers}` : null}
      </p>
      {staffLeavers ? (
        // Staff: why a governor's count of a year group or class is smaller (analytics/leavers-count.ts).
        <p className="hint" data-testid="staff-leavers" data-left={staffLeavers.total}>
          {formatCount(staffLeavers.total)} of these pupils left before the period&apos;s last half term: they are counted here in the year group
          and class they were last in (&ldquo;left&rdquo; beside a count). Governors&apos; pages and the FGB pack count them only in a row of their
          own, &ldquo;{staffLeavers.label}&rdquo; (which no pupil filter chooses), so there each year group and class reads fewer pupils by its
          leavers: {formatCount(staffLeavers.total)} fewer in all.
        </p>
      ) : null}
      <PeriodPicker filters={filters} options={options} />
      {wholeWithheld.row ? (
        <WithheldNotice reason={wholeWithheld.row} filters={filters} min={smallGroupMin} />
      ) : whole.possible_sessions === 0 ? (
        <div className="notice notice--warning" data-testid="no-marks">
          {filtered ? (
            <p>No register marks for pupils matching these filters in this period. Choose a broader filter or another period.</p>
          ) : (
            <p>No register marks for the school in this period. Choose another period or import the register.</p>
          )}
        </div>
      ) : (
        <>
          <p>
            All pupils shown: attendance{" "}
            {wholeWithheld.absence ? (
              <strong>
                <WithheldText reason={wholeWithheld.absence} />
              </strong>
            ) : (
              <>
                <strong>{formatPct(whole.attendance_pct)}</strong> (
                <TargetGap value={whole.attendance_pct} target={target} />)
              </>
            )}
            , persistently absent <strong>{wholeWithheld.pa ? <WithheldText reason={wholeWithheld.pa} /> : formatPct(whole.pa_pct)}</strong>
            {wholeWithheld.pa ? null : <> ({formatCount(whole.pa_pupils)} of {formatCount(whole.pupils)} {plural(whole.pupils, "pupil")})</>}.
          </p>
          {paNotGiven ? (
            <p className="hint" data-testid="pa-not-given">
              {paNotGiven}
            </p>
          ) : null}
          <BreakdownSection by="year_group" groups={yearGroups} {...common} />
          {classesNotGiven ? (
            <section id="reg_group" aria-labelledby="reg_group-heading" data-testid="classes-not-given">
              <h2 id="reg_group-heading">Classes</h2>
              <p className="hint">
                Pupil groups within a class ({filtered}) are not given to governors: a class is about 30 pupils, so such a group is
                nearly always too small to publish. Clear the pupil filter to see each class.
              </p>
            </section>
          ) : (
            <BreakdownSection by="reg_group" groups={classes} {...common} />
          )}
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The year groups and classes could not be shown" />;
}
