/**
 * Groups: each pupil group (SEND, FSM, EAL, LAC, sex, ethnicity) beside everyone else in the
 * view, with the gaps in percentage points — the comparison the policies ask governors and
 * the attendance lead to watch. Each group's bars and name open the pupils behind it.
 */
import { plural } from "../../analytics/plural.ts";
import { countsOf } from "~/lib/csv";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import type { ComparedDimension, GroupComparison } from "../../analytics/groups.ts";
import type { Measures } from "../../analytics/measures.ts";
import { ChartFigure } from "~/components/ChartFigure";
import { GroupBars } from "~/components/GroupBars";
import { PeriodPicker } from "~/components/PeriodPicker";
import { PointsGap, SmallGroupTag } from "~/components/PointsGap";
import { RouteError } from "~/components/RouteError";
import {
  COMPARED_DIMENSIONS,
  benchmarkGroupOf,
  compareGroups,
  everySchoolGroup,
  recordedValues,
  unitBreakdownWithheld,
  applyWithheld, attendedOnly,
  WITHHELD_TEXT,
  governorSpan,
  nationalFiguresFor,
  NOTHING_WITHHELD,
  paNotGivenIn,
  persistentAbsenceSpan,
  summarise,
  withheldIn,
  gapsBetween,
  type NationalFigures,
  type Withheld,
} from "~/lib/analytics.server";
import { can } from "~/lib/permissions";
import { isLeaversGroup } from "../../analytics/leavers.ts";
import { NationalComparison } from "~/components/NationalComparison";
import { withDb } from "~/lib/db.server";
import { chartsGroup, leaversSentence, describeFilterValue, describePupilFilters, drillDownHref, filterValueTitle, groupAttribute, type ViewFilters } from "~/lib/filters";
import { formatCount, formatPct } from "~/lib/format";
import { filterOptions, resolveView } from "~/lib/view.server";
import { requireRole } from "~/lib/auth.server";
import { IfMayDrill, PupilsLink, useMayDrill } from "~/components/PupilsLink";
import { WithheldNotice } from "~/components/WithheldNotice";
import { WithheldText } from "~/components/WithheldMark";
import { ABSENCE_KEYS, withheldMarks, withheldWords, withoutAbsence } from "~/lib/withheld";

export const meta: MetaFunction = () => [{ title: "Groups — Rollcall" }];

const SECTION_TITLES: Record<ComparedDimension, string> = {
  sen: "Special educational needs (SEND)",
  fsm: "Free school meals (FSM)",
  eal: "English as an additional language (EAL)",
  lac: "Looked-after children (LAC)",
  sex: "Boys and girls",
  ethnicity: "Ethnicity",
};

const CHART_SUBJECTS: Record<ComparedDimension, string> = {
  sen: "SEN provision",
  fsm: "FSM eligibility",
  eal: "first language",
  lac: "looked-after status",
  sex: "sex",
  ethnicity: "ethnicity",
};

/** A group as the page shows it: figures a governor may not see are taken out on the server. */
type ShownComparison = GroupComparison & { withheld: Withheld; restWithheld: Withheld };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, "view_aggregates", { context });
  const governor = !can(user.role, "view_pupils");
  return withDb(async (connection) => {
    const view = await resolveView(connection, request, governor ? { governorPage: "groups" } : {});
    const options = await filterOptions(connection, view);
    const whole = await summarise(connection, view.query);
    // Governors (no pupil-level access): one plan for every view of the period — each year
    // group and class by each characteristic, and the rest beside each group — so a figure
    // withheld here is withheld under every filter, and none can be had by subtracting one
    // view from others (analytics/governor-lattice.ts, issue 13 cases 8–9).
    const plan = governor ? await governorSpan(connection, view.query, view.settings.small_group_min) : null;
    const filter = view.query.filter ?? {};
    // Persistent and severe absence over fewer than 20 school days: not given (analytics/pa-span.ts).
    const paSpan = await persistentAbsenceSpan(connection, view.query, view.period.label);
    const wholeWithheld = paNotGivenIn(governor ? withheldIn(plan, filter) : NOTHING_WITHHELD, paSpan.given);
    const sections: Array<{ dimension: ComparedDimension; groups: ShownComparison[] }> = [];
    // Governors under a filter: every group the school has, none-here rows withheld like small ones (everySchoolGroup).
    const filtered = Object.values(filter).some((value) => value !== undefined && value !== null && value !== "");
    for (const dimension of COMPARED_DIMENSIONS) {
      const compared = await compareGroups(connection, view.query, dimension, { smallGroupMin: view.settings.small_group_min, whole });
      // Governors: every value the school has recorded has its row, "withheld" where no pupil has
      // it this period, as where 1–4 do (everySchoolGroup's `recorded`; trial21b).
      const groups = governor
        ? await everySchoolGroup(connection, view.query, dimension, compared, whole, await recordedValues(connection, dimension))
        : compared.map((row) => ({ ...row, none: false }));
      const allWithheld = governor && filtered && unitBreakdownWithheld(groups, view.settings.small_group_min);
      sections.push({
        dimension,
        groups: groups.map(({ none, ...row }) => {
          if (!governor) {
            const notGiven = paNotGivenIn(NOTHING_WITHHELD, paSpan.given);
            if (paSpan.given) return { ...row, withheld: NOTHING_WITHHELD, restWithheld: NOTHING_WITHHELD };
            const measures = applyWithheld(row.measures, notGiven);
            const complement = applyWithheld(row.complement, notGiven);
            return { ...row, measures, complement, gaps: gapsBetween(measures, complement), withheld: notGiven, restWithheld: notGiven };
          }
          // A group with no pupils here reads as a small one does: "withheld", never 0 or no row;
          // and so does every group of a characteristic that has a small or empty group here.
          const own = none || (allWithheld && !isLeaversGroup(row.group)) ? { row: WITHHELD_TEXT, pa: WITHHELD_TEXT, sa: WITHHELD_TEXT, absence: WITHHELD_TEXT, absent: WITHHELD_TEXT } : paNotGivenIn(withheldIn(plan, { ...filter, [dimension]: row.group }), paSpan.given);
          const restOf = plan ? plan.restWithheld(filter, dimension, row.group) : NOTHING_WITHHELD;
          // A withheld group withholds its rest too (together they are the view's whole). A rest
          // the plan withholds is shown when the group's and the whole's same figures are: it is
          // their difference, which any reader has already (the plan's ranges know it too).
          const withheld = own;
          const keep = (rest: string | null, group: string | null, whole: string | null) => (rest && (group || whole) ? rest : null);
          const restWithheld = paNotGivenIn(own.row
            ? own
            : wholeWithheld.row
              ? restOf
              : {
                  row: keep(restOf.row, own.row, wholeWithheld.row),
                  pa: keep(restOf.pa, own.pa, wholeWithheld.pa),
                  sa: keep(restOf.sa, own.sa, wholeWithheld.sa),
                  absence: keep(restOf.absence ?? null, own.absence ?? null, wholeWithheld.absence ?? null),
                }, paSpan.given);
          // Governors: AEA folded into sessions attended, never given on its own (attendedOnly).
          const measures = attendedOnly(applyWithheld(row.measures, withheld));
          const complement = attendedOnly(applyWithheld(row.complement, restWithheld));
          // A withheld group or comparison is not marked "small": whether it is small or withheld to
          // protect a small group is not said (analytics/suppression.ts WITHHELD_TEXT).
          const small = row.small && !withheld.row;
          const complement_small = row.complement_small && !restWithheld.row;
          return { ...row, small, complement_small, measures, complement, gaps: gapsBetween(measures, complement), withheld, restWithheld };
        }),
      });
    }
    const wholeShown = { measures: governor ? attendedOnly(applyWithheld(whole, wholeWithheld)) : applyWithheld(whole, wholeWithheld), withheld: wholeWithheld };
    // The national figure for each group the DfE publishes (FSM, SEN, EAL, sex), keyed "fsm:Y".
    const national: Record<string, NationalFigures> = {};
    for (const { dimension, groups } of sections) {
      for (const row of groups) {
        if (row.withheld.row) continue;
        const group = benchmarkGroupOf(dimension, row.group);
        // The group's own figure on the DfE's population (aged 5–15), within the view's filters.
        if (group) {
          national[`${dimension}:${row.group}`] = await nationalFiguresFor(
            connection,
            view.period,
            group,
            { ...view.query.filter, [dimension]: row.group },
            governor ? { withholdSmallCounts: { min: view.settings.small_group_min } } : {},
          );
        }
      }
    }
    return {
      national,
      filters: view.filters,
      period: { label: view.period.label, from: view.period.from, to: view.period.to },
      notice: view.notice,
      registerNotice: view.registerNotice,
      governorRule: view.governorRule, governorPeriods: view.governorPeriods,
      options,
      smallGroupMin: view.settings.small_group_min,
      whole: wholeShown.measures,
      wholeWithheld: wholeShown.withheld,
      suppressed: governor,
      /** How a figure withheld only to protect a small group reads (analytics/suppression.ts). */
      sections,
      paNotGiven: paSpan.why,
    };
  });
}

function RateCells(props: { group: number | null; rest: number | null; gap: number | null; higherIs: "better" | "worse"; numerator: number; denominator: number; unit: string }) {
  return (
    <>
      <td className="num measure-start" title={`${formatCount(props.numerator)} of ${formatCount(props.denominator)} ${props.unit}`}>
        {formatPct(props.group)}
      </td>
      <td className="num">{formatPct(props.rest)}</td>
      <td className="num">
        <PointsGap value={props.gap} higherIs={props.higherIs} />
      </td>
    </>
  );
}

function ComparisonTable(props: {
  dimension: ComparedDimension;
  groups: ShownComparison[];
  filters: ViewFilters;
  smallGroupMin: number;
  restLabel: string;
  national: Record<string, NationalFigures>;
}) {
  const { dimension, groups, filters, smallGroupMin, national } = props;
  // A column only for dimensions the DfE publishes national figures for.
  const renderGroupBenchmark = Object.keys(national).some((key) => key.startsWith(`${dimension}:`))
    ? (dim: ComparedDimension, group: string, measures: Measures) => (
        <NationalComparison
          value={national[`${dim}:${group}`]?.school.absence_pct ?? null}
          valueLabel="Group, aged 5–15 (DfE basis)"
          benchmark={national[`${dim}:${group}`]?.overall_absence_pct ?? null}
          span={national[`${dim}:${group}`]?.span ?? null}
          withheld={national[`${dim}:${group}`]?.school.withheld.absence}
        />
      )
    : null;
  return (
    <div className="table-scroll">
    <table className="data group-comparison" data-testid={`groups-${dimension}`}>
      <caption className="visually-hidden">
        {SECTION_TITLES[dimension]}: each group beside {props.restLabel}
      </caption>
      <thead>
        <tr>
          <th scope="col" rowSpan={2}>Group</th>
          <th scope="col" rowSpan={2} className="num">Pupils</th>
          <th scope="colgroup" colSpan={3} className="group-comparison__measure">Attendance</th>
          <th scope="colgroup" colSpan={3} className="group-comparison__measure">Absence</th>
          <th scope="colgroup" colSpan={3} className="group-comparison__measure">Persistent absence (% of pupils)</th>
          {renderGroupBenchmark ? <th scope="col" rowSpan={2}>National benchmark</th> : null}
        </tr>
        <tr>
          {["attendance", "absence", "pa"].map((measure) => (
            <RateHeadings key={measure} restLabel={props.restLabel} />
          ))}
        </tr>
      </thead>
      <tbody>
        {groups.map((row) => {
          const label = describeFilterValue(dimension, row.group);
          return (
            <tr key={groupAttribute(row.group)} data-group={groupAttribute(row.group)}>
              <th scope="row">
                <PupilsLink to={drillDownHref(filters, { by: dimension, value: row.group })} data-testid={`drill-${dimension}-${groupAttribute(row.group)}`}>
                  <span title={filterValueTitle(dimension, row.group)}>{label}</span>
                  <IfMayDrill>
                  <span className="visually-hidden"> — show these pupils</span>
                </IfMayDrill>
                </PupilsLink>
                {filterValueTitle(dimension, row.group) ? <span className="hint"> ({row.group})</span> : null}
                {row.small ? (
                  <>
                    {" "}
                    <SmallGroupTag minimum={smallGroupMin} />
                  </>
                ) : null}
                {row.complement_small && !row.small ? (
                  <>
                    {" "}
                    <SmallGroupTag minimum={smallGroupMin} what="comparison group" />
                  </>
                ) : null}
              </th>
              {row.withheld.row ? (
                // The leavers' pupils are printed (every reader has them: Withheld.pupilsKnown), as
                // on Year groups & classes: "withheld" here left the groups one short of the total
                // printed beside them (a fresh-clone trial: 38 + 199 of 238).
                <>
                  {row.withheld.pupilsKnown ? (
                    <td className="num" data-testid="group-pupils">
                      {formatCount(row.measures.pupils)}
                    </td>
                  ) : null}
                  <td colSpan={(row.withheld.pupilsKnown ? 9 : 10) + (renderGroupBenchmark ? 1 : 0)} className="suppressed" data-testid="withheld">
                    {withheldWords(row.withheld.row)}
                  </td>
                </>
              ) : (
                <>
              <td className="num" data-testid="group-pupils">
                {formatCount(row.measures.pupils)}
                <span className="hint"> of {formatCount(row.measures.pupils + row.complement.pupils)}</span>
              </td>
              {row.withheld.absence || row.restWithheld.absence ? (
                // Beside a withheld count of pupils absent at least once (a short half term): the
                // absence in sessions and every rate made from it (analytics/governor-view.ts).
                <>
                  {(["attendance_pct", "absence_pct"] as const).map((key) => (
                    <Fragment key={key}>
                      <td className="num measure-start suppressed" data-testid="withheld-absence">{row.withheld.absence ? withheldWords(row.withheld.absence) : formatPct(row.measures[key])}</td>
                      <td className="num suppressed" data-testid="withheld-absence">{row.restWithheld.absence ? withheldWords(row.restWithheld.absence) : formatPct(row.complement[key])}</td>
                      <td className="num">—</td>
                    </Fragment>
                  ))}
                </>
              ) : (
                <>
              <RateCells
                group={row.measures.attendance_pct}
                rest={row.complement.attendance_pct}
                gap={row.gaps.attendance_pts}
                higherIs="better"
                numerator={row.measures.present_sessions + row.measures.aea_sessions}
                denominator={row.measures.possible_sessions}
                unit="possible sessions attended"
              />
              <RateCells
                group={row.measures.absence_pct}
                rest={row.complement.absence_pct}
                gap={row.gaps.absence_pts}
                higherIs="worse"
                numerator={row.measures.authorised_sessions + row.measures.unauthorised_sessions}
                denominator={row.measures.possible_sessions}
                unit="possible sessions missed"
              />
                </>
              )}
              {row.withheld.pa || row.restWithheld.pa ? (
                <>
                  <td className="num measure-start suppressed" data-testid="withheld">{row.withheld.pa ? withheldWords(row.withheld.pa) : formatPct(row.measures.pa_pct)}</td>
                  <td className="num suppressed" data-testid="withheld">{row.restWithheld.pa ? withheldWords(row.restWithheld.pa) : formatPct(row.complement.pa_pct)}</td>
                  <td className="num">—</td>
                </>
              ) : (
                <RateCells
                  group={row.measures.pa_pct}
                  rest={row.complement.pa_pct}
                  gap={row.gaps.pa_pts}
                  higherIs="worse"
                  numerator={row.measures.pa_pupils}
                  denominator={row.measures.pupils}
                  unit="pupils persistently absent"
                />
              )}
              {renderGroupBenchmark ? <td>{renderGroupBenchmark(dimension, row.group, row.measures)}</td> : null}
                </>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
    </div>
  );
}

function RateHeadings(props: { restLabel: string }) {
  return (
    <>
      <th scope="col" className="num measure-start">Group</th>
      <th scope="col" className="num">{props.restLabel}</th>
      <th scope="col" className="num">Gap</th>
    </>
  );
}

export default function Groups() {
  const mayDrill = useMayDrill();
  const { filters, options, whole, wholeWithheld, suppressed, sections, smallGroupMin, national, paNotGiven } = useLoaderData<typeof loader>();
  const filtered = describePupilFilters(filters);
  const overallLabel = filtered ? "All shown" : "School";
  const restLabel = "Everyone else";
  const leavers = leaversSentence(sections.flatMap((s) => s.groups.map((g) => g.group)));
  return (
    <>
      <h1>Groups</h1>
      <p className="lede">
        Each group of pupils beside everyone else {filtered ? `among the pupils shown (${filtered})` : "in the school"}, with the gap in
        percentage points. Pupils are counted in the group they were in at the end of the period.
        {leavers ? ` ${leavers}` : null}
      </p>
      <PeriodPicker filters={filters} options={options} />
      {wholeWithheld.row ? (
        <WithheldNotice reason={wholeWithheld.row} filters={filters} min={smallGroupMin} />
      ) : whole.possible_sessions === 0 ? (
        <div className="notice notice--warning" data-testid="no-marks">
          {filtered ? (
            <p>No register marks for pupils matching these filters in this period, so there are no groups to compare. Choose a broader filter or another period.</p>
          ) : (
            <p>No register marks for the school in this period, so there are no groups to compare. Choose another period or import the register.</p>
          )}
        </div>
      ) : (
        <>
          <p>
            <strong>{formatCount(whole.pupils)}</strong> pupils with at least one possible session: attendance{" "}
            <strong>{wholeWithheld.absence ? <WithheldText reason={wholeWithheld.absence} /> : formatPct(whole.attendance_pct)}</strong>, absence{" "}
            <strong>{wholeWithheld.absence ? <WithheldText reason={wholeWithheld.absence} /> : formatPct(whole.absence_pct)}</strong>, persistently absent{" "}
            <strong>{wholeWithheld.pa ? <WithheldText reason={wholeWithheld.pa} /> : formatPct(whole.pa_pct)}</strong>
            {wholeWithheld.pa ? null : <> ({formatCount(whole.pa_pupils)} {plural(whole.pa_pupils, "pupil")})</>}. Groups under {smallGroupMin} pupils are marked “small”: one pupil
            moves their figures a long way.
          </p>
          {paNotGiven ? (
            <p className="hint" data-testid="pa-not-given">
              {paNotGiven}
            </p>
          ) : null}
          {suppressed ? (
            <p className="hint" data-testid="suppression-note">
              For governors, the figures of groups of fewer than {smallGroupMin} pupils are withheld, and so are the figures that would let
              anyone work them out by subtraction: both read “withheld”, so neither can be told from the other.
            </p>
          ) : null}
          <nav aria-label="Groups on this page" className="on-this-page">
            <ul>
              {sections.map(({ dimension }) => (
                <li key={dimension}>
                  <a href={`#${dimension}`}>{SECTION_TITLES[dimension]}</a>
                </li>
              ))}
            </ul>
          </nav>
          {sections.map(({ dimension, groups }) => (
            <section key={dimension} id={dimension} aria-labelledby={`${dimension}-heading`}>
              <h2 id={`${dimension}-heading`}>{SECTION_TITLES[dimension]}</h2>
              <ChartFigure
                title={`Absence and persistent absence by ${CHART_SUBJECTS[dimension]}`}
                description={`${mayDrill ? "Select a group's bars, or its name in the table, to see its pupils. " : ""}The dashed line is the absence rate of all pupils shown.`}
                filename={`groups-${dimension}`}
                columns={[
                  { key: "label", label: "Group" },
                  // The code as recorded (DfE census code for ethnicity) beside its name.
                  { key: "code", label: "Code" },
                  { key: "pupils", label: "Pupils", format: "count" },
                  { key: "attendance_pct", label: "Attendance", format: "pct" },
                  { key: "rest_attendance_pct", label: "Everyone else: attendance", format: "pct" },
                  { key: "absence_pct", label: "Absence rate", format: "pct" },
                  { key: "rest_absence_pct", label: "Everyone else: absence", format: "pct" },
                  { key: "pa_pct", label: "Persistent absence rate", format: "pct" },
                  { key: "rest_pa_pct", label: "Everyone else: persistent absence", format: "pct" },
                ]}
                rows={groups.map((row) => ({
                  label: describeFilterValue(dimension, row.group),
                  code: filterValueTitle(dimension, row.group) ? row.group : "",
                  pupils: row.measures.pupils,
                  attendance_pct: row.measures.attendance_pct,
                  rest_attendance_pct: row.complement.attendance_pct,
                  absence_pct: row.measures.absence_pct,
                  rest_absence_pct: row.complement.absence_pct,
                  pa_pct: row.measures.pa_pct,
                  rest_pa_pct: row.complement.pa_pct,
                  // A withheld group keeps its row: every figure reads "withheld (…)", not blank
                  // (app/lib/withheld.ts); so do withheld counts of persistent absence.
                  withheld: row.withheld.row,
                  ...withheldMarks(["pa_pct", "pa_pupils", "sa_pupils"], row.withheld.pa),
                  ...withheldMarks(["rest_pa_pct", "rest_pa_pupils", "rest_sa_pupils"], row.restWithheld.pa),
                  ...withheldMarks([...ABSENCE_KEYS], row.withheld.absence),
                  ...withheldMarks(ABSENCE_KEYS.map((k) => `rest_${k}`), row.restWithheld.absence),
                  ...(row.withheld.row
                    ? {}
                    : {
                        ...withoutAbsence(countsOf("", { ...row.measures, pa_pupils: row.withheld.pa ? undefined : row.measures.pa_pupils, sa_pupils: row.withheld.sa ? undefined : row.measures.sa_pupils }), row.withheld.absence),
                        ...withoutAbsence(countsOf("rest_", { ...row.complement, pa_pupils: row.restWithheld.pa ? undefined : row.complement.pa_pupils, sa_pupils: row.restWithheld.sa ? undefined : row.complement.sa_pupils }), row.restWithheld.absence),
                      }),
                }))}
              >
                <GroupBars
                  bars={groups.filter((row) => chartsGroup(row.group)).map((row) => ({
                    label: describeFilterValue(dimension, row.group),
                    href: drillDownHref(filters, { by: dimension, value: row.group }),
                    absence_pct: row.measures.absence_pct,
                    pa_pct: row.measures.pa_pct,
                    withheld: row.withheld.row,
                    ...withheldMarks(["pa_pct"], row.withheld.pa),
                    ...withheldMarks(["absence_pct"], row.withheld.absence),
                  }))}
                  overallAbsencePct={whole.absence_pct}
                  overallLabel={overallLabel}
                  description={`Bar chart of absence and persistent absence rates by ${CHART_SUBJECTS[dimension]}`}
                />
              </ChartFigure>
              <ComparisonTable dimension={dimension} groups={groups} filters={filters} smallGroupMin={smallGroupMin} restLabel={restLabel} national={national} />
            </section>
          ))}
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The groups could not be shown" />;
}
