/**
 * Overview: the headline measures for the chosen period and pupils, against the school's
 * target and the same period last year; the week-by-week trend; what changed recently.
 */
import { plural } from "../../analytics/plural.ts";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { REGIME_2024_FROM } from "../../analytics/codes.ts";
import type { Measures } from "../../analytics/measures.ts";
import { ChartFigure } from "~/components/ChartFigure";
import { CHART_COLOURS, PctLineChart } from "~/components/Charts";
import { MeasureTile } from "~/components/MeasureTile";
import { NoMarks } from "~/components/NoMarks";
import { PeriodPicker } from "~/components/PeriodPicker";
import { RouteError } from "~/components/RouteError";
import { NationalComparison, type NationalFigure } from "~/components/NationalComparison";
import {
  applyAbsentWithheld,
  applyWithheld,
  attendedOnly,
  governorBreakdownRows,
  caseworkCounts,
  governorSlices,
  governorSliceFigures,
  governorSpanIsShort,
  governorWithheldBy,
  leaversCountedApart,
  NOTHING_WITHHELD,
  sliceDates,
  nationalFiguresFor,
  PA_MIN_SCHOOL_DAYS,
  paNotComparedReason,
  paNotGivenWhy,
  persistentAbsenceMeasured,
  persistentAbsenceSpan,
  pupilsAbsent,
  schoolDaysOf,
  schoolSetup,
  summarise,
  summariseBy,
  withoutFigures,
} from "~/lib/analytics.server";
import { SlicesWithheldNotice, WithheldNotice } from "~/components/WithheldNotice";
import { WithheldText } from "~/components/WithheldMark";
import { FirstImport } from "~/components/FirstImport";
import { CaseworkCounts } from "~/components/CaseworkCounts";
import { can } from "~/lib/permissions";
import { compareRates, verdictWords, type Direction } from "~/lib/compare";
import { withDb } from "~/lib/db.server";
import { filtersToSearch, type ViewFilters } from "~/lib/filters";
import { changePopulationWords, lastYearGroupWords } from "../../analytics/population-words.ts";
import { lastYearWords } from "~/lib/last-year-words";
import { PUPIL_FILTER_KEYS } from "../../analytics/characteristic-words.ts";
import { formatCount, formatCountOf, formatDate, formatPct, periodInSentence } from "~/lib/format";
import { describeGroup } from "~/lib/grain";
import { recentHalfTerms, recentMonths, recentWeeks, weekInProgress, type RecentChange } from "~/lib/recent.server";
import { weekInProgressWords } from "~/lib/week-in-progress";
import { filterOptions, resolveView } from "~/lib/view.server";
import { requireRole } from "~/lib/auth.server";
import { formatThreshold } from "../../analytics/thresholds.ts";
import { periodPopulationWords } from "../../analytics/population-words.ts";
import { slicesWithheldWords } from "../../analytics/withheld-rule.ts";
import { WITHHELD_COLUMN } from "~/lib/withheld";

export const meta: MetaFunction = () => [{ title: "Overview — Rollcall" }];

/** Printed for last year's pupils absent at least once over half terms of 20 school days or more (no such count given there). */
const LAST_YEAR_NOT_SHORT = "not given: the same half terms last year have 20 school days or more";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, "view_aggregates", { context });
  // Governors: one filter at a time on a page of figures by period (analytics/governor-lattice.ts).
  const governorPage = can(user.role, "view_pupils") ? {} : { governorPage: "periods" as const };
  return withDb(async (c) => {
    const view = await resolveView(c, request, governorPage);
    const options = await filterOptions(c, view);
    // An empty school (rollcall init) is walked through its first import instead.
    const setup = await schoolSetup(c);
    // Governors: a count of 1 … min − 1 pupils, a filtered view of fewer than min pupils, or
    // one that would let a small group be worked out, is withheld — over the period and in
    // each week (analytics/governor-view.ts), as in their pack.
    const governor = !can(user.role, "view_pupils");
    const min = view.settings.small_group_min;
    const withheldOver = async (query: typeof view.query) => (governor ? (await governorWithheldBy(c, query, null, min)).get("") ?? NOTHING_WITHHELD : NOTHING_WITHHELD);
    const currentWithheld = await withheldOver(view.query);
    // Governors: no figures for a last year the calendar lacks (View.lastYearFigures).
    const lastYearWithheld = view.lastYearFigures ? await withheldOver(view.lastYearQuery) : NOTHING_WITHHELD;
    // Governors: AEA folded into sessions attended, never given on its own (attendedOnly).
    const shown = <M extends Measures>(measures: M) => (governor ? attendedOnly(measures) : measures);
    const current = shown(applyWithheld(await summarise(c, view.query), currentWithheld));
    const lastYear = view.lastYearFigures ? shown(applyWithheld(await summarise(c, view.lastYearQuery), lastYearWithheld)) : withoutFigures(current);
    // Governors: each week as the period's slices are decided, once per half term for every
    // breakdown (analytics/governor-view.ts governorSlices), so no week is the period less the others.
    const slices = await governorSlices(c, view.query, governor ? min : null);
    const weekWithheld = (week: string) => slices.withheld(sliceDates("week", week).from, sliceDates("week", week).to);
    // Persistent and severe absence only over a span long enough to mean anything (a one-day
    // "this week" would count a day off as severe absence): below it, the pupils absent at
    // least once (analytics/pa-span.ts, issue 13 case 13).
    // Governors: counted for the whole school, so a span is short for every filter alike
    // (analytics/governor-view.ts governorSpanIsShort).
    const schoolDays = (await schoolDaysOf(c, governor ? { from: view.query.from, to: view.query.to } : view.query)).length;
    // Governors: the count is withheld as the span's one plan decides (a small count, or one
    // that would let a small one be worked out from a year group's or the school's).
    const absentCount = async (query: typeof view.query, withheld: typeof currentWithheld) => {
      if (withheld.row) return { absent: null, pupils: null, withheld: withheld.row };
      const counts = await pupilsAbsent(c, query);
      return { absent: withheld.absent ? null : counts.absent, pupils: counts.pupils, withheld: withheld.absent ?? null };
    };
    // Governors: last year's count only where last year's half terms are a short span too. The
    // count is given only over a span its plan makes short (analytics/governor-lattice.ts
    // TableOptions.absentGiven: the absence in sessions beside a withheld count withheld there,
    // on every page); over a longer one the sessions of Year groups & classes would bound it.
    const lastYearCount = async () => {
      if (!view.lastYearFigures) return { absent: null, pupils: null, withheld: null };
      if (governor && !(await governorSpanIsShort(c, view.lastYearQuery))) return { absent: null, pupils: null, withheld: LAST_YEAR_NOT_SHORT };
      return absentCount(view.lastYearQuery, lastYearWithheld);
    };
    const shortSpan = persistentAbsenceMeasured(schoolDays)
      ? null
      : { schoolDays, minDays: PA_MIN_SCHOOL_DAYS, current: await absentCount(view.query, currentWithheld), lastYear: await lastYearCount() };
    // Not sent for a short span: a PA or SA figure over a week is not a measure to show. Beside
    // a withheld count of pupils absent, the absence in sessions is withheld already: the
    // span's plan says where (Withheld.absence, applied by applyWithheld).
    if (shortSpan) {
      for (const measures of [current, lastYear]) {
        measures.pa_pupils = measures.sa_pupils = 0;
        measures.pa_pct = measures.sa_pct = null;
      }
    }
    // Last year's span is measured by the same rule: PA and SA over fewer than 20 school days
    // then (November 2025: 19) are not given, so not compared (analytics/pa-span.ts
    // paNotComparedReason), as the packs and the CLI say.
    const lastYearPa = !shortSpan && view.lastYearFigures ? await persistentAbsenceSpan(c, { from: view.lastYearQuery.from, to: view.lastYearQuery.to }, `the same period last year (${formatDate(view.lastYearQuery.from)} to ${formatDate(view.lastYearQuery.to)})`) : null;
    const lastYearPaNotGiven = lastYearPa ? paNotComparedReason(lastYearPa) : null;
    if (lastYearPaNotGiven) {
      lastYear.pa_pupils = lastYear.sa_pupils = 0;
      lastYear.pa_pct = lastYear.sa_pct = null;
    }
    // Governors: a week with none of these pupils reads as withheld where one with a few would
    // (governorBreakdownRows), not left out: a class with no one read no weeks (session 21).
    const ownWeeks = (await summariseBy(c, view.query, "week")).filter((week) => week.possible_sessions > 0);
    const weeks = governor ? await governorBreakdownRows(c, view.query, "week", ownWeeks, (week) => weekWithheld(week) !== null) : ownWeeks;
    // The chart's last week while its registers are still being taken: said so, beside it.
    const open = await weekInProgress(c, view.today, view.due);
    const filter = view.query.filter ?? {};
    // Governors: the last two half terms that have ended, never a week or a month (their
    // periods are whole half terms: analytics/governor-periods.ts).
    const changes = governor
      ? { weeks: null, months: null, halfTerms: await recentHalfTerms(c, view.today, filter, min) }
      : { weeks: await recentWeeks(c, view.today, filter, null, view.due), months: await recentMonths(c, view.today, filter, null), halfTerms: null };
    // The casework lists are "as of" a day: today, for the pupils the filters choose.
    // Casework is the staff's work on named pupils: governors get no counts of it.
    const casework = can(user.role, "view_pupils") ? await caseworkCounts(c, { asOf: view.today, policy: view.settings.policy, filter }) : null;
    // National figures describe whole schools: shown only when no pupil filter narrows the view.
    // Governors: the DfE-basis figures withheld as on Benchmarks (one plan for both pages).
    const national = Object.values(filter).some(Boolean)
      ? null
      : await nationalFiguresFor(c, view.period, undefined, {}, governor ? { withholdSmallCounts: { min } } : {});
    return {
      setup,
      schoolName: view.settings.school_name,
      national,
      filters: view.filters,
      options,
      period: view.period,
      notice: view.notice, registerNotice: view.registerNotice, governorRule: view.governorRule, governorPeriods: view.governorPeriods,
      target: view.settings.target_attendance_pct,
      current,
      currentWithheld,
      // Governors: the small-group minimum the withheld notice names (null for staff).
      smallGroupMin: governor ? min : null,
      // Governors' counts of a group's pupils over several half terms leave its leavers out.
      leaversApart: governor ? await leaversCountedApart(c, view.query) : null,
      lastYear,
      lastYearWithheld,
      // The absence in sessions, withheld with a withheld count of pupils absent (short spans).
      absenceWithheld: shortSpan ? (currentWithheld.absence ?? null) : null,
      lastYearAbsenceWithheld: shortSpan ? (lastYearWithheld.row ?? lastYearWithheld.absence ?? null) : lastYearWithheld.row,
      shortSpan,
      // Why last year's PA and SA are not compared (a span too short for them), the reason and the sentence.
      lastYearPaNotGiven: lastYearPaNotGiven && lastYearPa ? { reason: lastYearPaNotGiven, why: paNotGivenWhy([lastYearPa]) } : null,
      lastYearFigures: view.lastYearFigures,
      lastYearWhy: view.lastYearWhy,
      lastYearPeriod: { from: view.lastYearQuery.from, to: view.lastYearQuery.to },
      lastYearMorningOnly: view.lastYearMorningOnly,
      morningOnlyDay: view.morningOnlyDay,
      // The codes changed on 19 August 2024: a comparison across that date should say so.
      crossesCodeChange: view.lastYearQuery.from < REGIME_2024_FROM && view.query.to >= REGIME_2024_FROM,
      // Why every week is withheld, in the words the packs use (analytics/withheld-rule.ts).
      weeksWithheldWords: governor ? slicesWithheldWords(min, `Attendance week by week over ${periodInSentence(view.period.label)}`, "weeks") : null,
      weeks: weeks
        // The weeks add up to the period: beside a withheld absence over the period, each
        // week's absence is withheld too (else their sum gives the period's back).
        .map((week) => {
          const text = weekWithheld(week.group);
          return {
            week: week.group,
            withheld: text ?? (shortSpan ? currentWithheld.absence : null) ?? null,
            // Governors: a week's absence by kind is not given, only its total (governorSliceFigures).
            measures: governorSliceFigures(governor ? min : null, "week", applyAbsentWithheld(applyWithheld(week, text ? { row: text, pa: text, sa: text } : NOTHING_WITHHELD), shortSpan ? currentWithheld : NOTHING_WITHHELD)),
          };
        })
        .map(({ week: group, withheld, measures: week }) => ({
          week: group,
          withheld,
          attendance_pct: week.attendance_pct,
          absence_pct: week.absence_pct,
          possible_sessions: week.possible_sessions,
          // The counts behind the rates, for the CSV's numerators (app/lib/csv.ts).
          present_sessions: week.present_sessions,
          aea_sessions: week.aea_sessions,
          authorised_sessions: week.authorised_sessions,
          unauthorised_sessions: week.unauthorised_sessions,
        })),
      weekInProgress: open && weeks.at(-1)?.group === open.monday ? open : null,
      changes,
      casework,
      today: view.today,
    };
  });
}

/** Pupils absent at least once as a percentage of the pupils (null when withheld or none). */
const pct = (counts: { absent: number | null; pupils: number | null }) => (counts.absent === null || !counts.pupils ? null : (100 * counts.absent) / counts.pupils);

const weekLabel = (iso: string) => describeGroup("week", iso, true);

export default function Overview() {
  const data = useLoaderData<typeof loader>();
  const { current, lastYear, target, period, currentWithheld, lastYearWithheld } = data;
  // A day whose afternoon has no marks yet is compared by its morning (View.lastYearMorningOnly).
  const lastYearSpan = lastYearWords(data.lastYearPeriod, Boolean(data.lastYearMorningOnly));
  const sameLastYear = "same period last year";
  return (
    <>
      <h1>Attendance overview</h1>
      <PeriodPicker filters={data.filters} options={data.options} period={period} />
      {data.setup.nextStep !== null ? (
        <FirstImport setup={data.setup} schoolName={data.schoolName} />
      ) : currentWithheld.row ? (
        <WithheldNotice reason={currentWithheld.row} filters={data.filters} min={data.smallGroupMin} />
      ) : current.possible_sessions === 0 ? (
        <NoMarks period={period} storeIsEmpty={data.options.academicYears.length === 0} filters={data.filters} />
      ) : (
        <>
          <div className="tiles">
            <MeasureTile
              id="attendance"
              label="Attendance"
              value={current.attendance_pct}
              direction="higher-is-better"
              withheld={data.absenceWithheld}
              detail={`${formatCount(current.present_sessions + current.aea_sessions)} of ${formatCount(current.possible_sessions)} possible sessions attended`}
              comparisons={[
                { against: "the target", reference: target, isTarget: true },
                { against: sameLastYear, reference: lastYear.attendance_pct, withheld: data.lastYearAbsenceWithheld },
              ]}
            />
            <MeasureTile
              id="authorised"
              label="Authorised absence"
              value={current.authorised_pct}
              direction="lower-is-better"
              withheld={data.absenceWithheld}
              detail={formatCountOf(current.authorised_sessions, "session")}
              comparisons={[{ against: sameLastYear, reference: lastYear.authorised_pct, withheld: data.lastYearAbsenceWithheld }]}
            />
            <MeasureTile
              id="unauthorised"
              label="Unauthorised absence"
              value={current.unauthorised_pct}
              direction="lower-is-better"
              withheld={data.absenceWithheld}
              detail={formatCountOf(current.unauthorised_sessions, "session")}
              comparisons={[{ against: sameLastYear, reference: lastYear.unauthorised_pct, withheld: data.lastYearAbsenceWithheld }]}
            />
            {data.shortSpan ? (
              <MeasureTile
                id="absent"
                label="Pupils absent at least once"
                value={pct(data.shortSpan.current)}
                direction="lower-is-better"
                withheld={data.shortSpan.current.withheld}
                detail={`${formatCount(data.shortSpan.current.absent)} of ${formatCount(data.shortSpan.current.pupils)} ${plural(data.shortSpan.current.pupils, "pupil")} missed a session or more`}
                comparisons={[{ against: sameLastYear, reference: pct(data.shortSpan.lastYear), withheld: data.shortSpan.lastYear.withheld }]}
              />
            ) : (
              <>
                <MeasureTile
                  id="pa"
                  label="Persistent absence"
                  value={current.pa_pct}
                  direction="lower-is-better"
                  withheld={currentWithheld.pa}
                  detail={`${formatCount(current.pa_pupils)} of the ${periodPopulationWords(current.pupils, data.leaversApart)} missed 10% or more`}
                  comparisons={[{ against: sameLastYear, reference: lastYear.pa_pct, withheld: data.lastYearPaNotGiven?.reason ?? lastYearWithheld.pa }]}
                />
                <MeasureTile
                  id="sa"
                  label="Severe absence"
                  value={current.sa_pct}
                  direction="lower-is-better"
                  withheld={currentWithheld.sa}
                  detail={`${formatCount(current.sa_pupils)} of the ${periodPopulationWords(current.pupils, data.leaversApart)} missed 50% or more`}
                  comparisons={[{ against: sameLastYear, reference: lastYear.sa_pct, withheld: data.lastYearPaNotGiven?.reason ?? lastYearWithheld.sa }]}
                />
              </>
            )}
          </div>
          {data.shortSpan ? (
            <p className="hint" data-testid="pa-short-span">
              Persistent and severe absence are given over at least 20 school days (the DfE publishes them by term and year): this period has {formatCountOf(data.shortSpan.schoolDays, "school day")}{" "}
              with marks, fewer than the {data.shortSpan.minDays} they need, so the pupils absent at least once are shown instead. Choose this
              term or the year to date for them.
            </p>
          ) : null}
          <p className="hint">
            Last year means the {lastYearSpan}
            {/* A withheld row has its figures removed (0 sessions): that is not "no marks". */}
            {!data.lastYearFigures
              ? `: ${data.lastYearWhy}`
              : lastYear.possible_sessions === 0 && !lastYearWithheld.row
                ? ": no marks were recorded then"
                : ""}
            .
            {data.morningOnlyDay ? (
              <span data-testid="morning-only-day">
                {" "}
                This year&apos;s figures include {formatDate(data.morningOnlyDay, "EEE d MMM")} by its morning only (its afternoon has no marks yet); last year&apos;s read that day whole.
              </span>
            ) : null}{" "}
            The target applies to whole-school attendance.
            {data.lastYearPaNotGiven ? <span data-testid="last-year-pa-not-given"> {data.lastYearPaNotGiven.why}</span> : null}
            {lastYearGroupWords({ year_group: data.filters.year_group ?? null, reg_group: data.filters.reg_group ?? null }) ? (
              <span data-testid="last-year-group"> {lastYearGroupWords({ year_group: data.filters.year_group ?? null, reg_group: data.filters.reg_group ?? null })}</span>
            ) : null}
            {data.crossesCodeChange
              ? " The attendance codes changed on 19 August 2024; last year's figures use the codes in force at the time."
              : ""}
          </p>

          {data.weeksWithheldWords && data.weeks.length > 0 && data.weeks.every((week) => week.withheld) ? (
            // Every week withheld (governors): a chart of empty points and a CSV of "withheld" said nothing.
            <SlicesWithheldNotice words={data.weeksWithheldWords} testId="weeks-withheld" />
          ) : (
          <ChartFigure
            title={`Attendance week by week, ${periodInSentence(period.label)}`}
            description={`Each point is one school week (weeks are labelled by their Monday). The dashed line is the school's target of ${formatThreshold(target, 1)}.${data.weekInProgress ? weekInProgressWords(data.weekInProgress) : ""}`}
            rows={data.weeks}
            columns={[
              { key: "week", label: "Week beginning", format: "date" },
              { key: "attendance_pct", label: "Attendance", format: "pct" },
              { key: "absence_pct", label: "Absence", format: "pct" },
              { key: "possible_sessions", label: "Possible sessions", format: "count" },
              WITHHELD_COLUMN,
            ]}
            filename="weekly-attendance"
          >
            <PctLineChart
              rows={data.weeks}
              xKey="week"
              series={[{ key: "attendance_pct", label: "Attendance", colour: CHART_COLOURS.attendance }]}
              target={target}
              xTickFormatter={(iso) => (iso === data.weekInProgress?.monday ? `${weekLabel(iso)} (so far)` : weekLabel(iso))}
            />
          </ChartFigure>
          )}
        </>
      )}

      <h2>What changed</h2>
      {data.changes.halfTerms ? (
        <>
          <div className="grid-2">
            <ChangeTable
              title="The last half term against the one before"
              change={data.changes.halfTerms}
              empty="There are not yet two half terms that have ended with marks to compare."
              testId="change-half-terms"
              filter={data.filters}
            />
          </div>
          <p className="hint">
            This compares the last two half terms that have ended, whatever period is chosen above, for the pupils the filters choose in each (said under the table). Governors see
            whole half terms, not single weeks or months.
          </p>
        </>
      ) : (
        <>
          <div className="grid-2">
            <ChangeTable
              title="Since last week"
              change={data.changes.weeks!}
              empty="There are not yet two complete school weeks with marks to compare."
              testId="change-weeks"
              filter={data.filters}
            />
            <ChangeTable
              title="This month against last month"
              change={data.changes.months!}
              empty="There are no marks for this month or for last month to compare."
              testId="change-months"
              filter={data.filters}
            />
          </div>
          <p className="hint">
            These compare recent weeks and months whatever period is chosen above, for the pupils the filters choose in each (said under each table). Inside a week or a month the
            figures are absence and the pupils absent at least once; persistent absence is given only over 20 school days or more (above).
          </p>
        </>
      )}

      {data.casework ? (
      <section aria-labelledby="casework-heading" data-testid="overview-casework">
        <h2 id="casework-heading">Casework lists today</h2>
        <CaseworkCounts
          lists={data.casework}
          caption={`Pupils on each of the policy's lists on ${formatDate(data.today)}`}
          hrefFor={(rule) => {
            const search = filtersToSearch(data.filters);
            search.delete("period");
            search.set("asOf", data.today);
            search.set("rule", rule);
            return `/casework?${search.toString()}`;
          }}
        />
      </section>
      ) : null}

      <section className="panel" aria-labelledby="benchmarks-heading" data-testid="overview-national">
        <h2 id="benchmarks-heading">Compared with schools nationally</h2>
        {data.national === null ? (
          <p className="hint">National figures describe whole schools: clear the pupil filters to compare with them.</p>
        ) : data.national.note ? (
          <p className="hint">{data.national.note}.</p>
        ) : (
          <>
            <p className="hint" data-testid="population-note">
              Published figures cover {data.national.school.population}, so the school is compared on the same basis (
              {formatCount(data.national.school.pupils)} pupils). The figures above are for {data.national.school.whole_roll}.
            </p>
            <ul>
              <li>
                Absence (whole roll {data.absenceWithheld ? <WithheldText reason={data.absenceWithheld} /> : formatPct(data.current.absence_pct)}):{" "}
                <NationalComparison value={data.national.school.absence_pct} benchmark={data.national.overall_absence_pct} span={data.national.span} withheld={data.national.school.withheld.absence} />
              </li>
              {data.shortSpan ? null : (
                <li>
                  Persistent absence (whole roll {data.currentWithheld.pa ? <WithheldText reason={data.currentWithheld.pa} /> : formatPct(data.current.pa_pct)}):{" "}
                  <NationalComparison value={data.national.school.pa_pct} benchmark={data.national.persistent_absence_pct} span={data.national.span} withheld={data.national.school.withheld.pa} />
                </li>
              )}
            </ul>
            <NationalSources figures={[data.national.overall_absence_pct, data.national.persistent_absence_pct]} />
          </>
        )}
        <p>
          National, regional and local figures for primary schools by term and group, with the source and date of each:{" "}
          <Link to={`/benchmarks?${filtersToSearch(data.filters).toString()}`}>national benchmarks</Link>.
        </p>
      </section>
    </>
  );
}

// Inside a week or a month the figures are absence and the pupils absent in it: "persistently
// absent" (10 % of a pupil's own sessions) is a measure over a term or a year (issue 13, case 13).
const CHANGE_ROWS: Array<{ key: "attendance_pct" | "absence_pct" | "pupils_absent"; label: string; direction: Direction }> = [
  { key: "attendance_pct", label: "Attendance", direction: "higher-is-better" },
  { key: "absence_pct", label: "Absence", direction: "lower-is-better" },
  { key: "pupils_absent", label: "Pupils absent at least once", direction: "lower-is-better" },
];

/** The pupil filters that choose by a characteristic (not a year group or class): their pupils differ across a September too. */
const CHARACTERISTIC_FILTERS = PUPIL_FILTER_KEYS.filter((key) => key !== "year_group" && key !== "reg_group");

function ChangeTable(props: { title: string; change: RecentChange; empty: string; testId: string; filter: ViewFilters }) {
  const { latest, previous } = props.change;
  if (!latest || !previous) {
    return (
      <section data-testid={props.testId}>
        <h3>{props.title}</h3>
        <p className="hint">{props.empty}</p>
      </section>
    );
  }
  const span = (figures: NonNullable<RecentChange["latest"]>) => `${formatDate(figures.from, "d MMM")} – ${formatDate(figures.to, "d MMM")}`;
  return (
    <section data-testid={props.testId}>
      <table className="data">
        <caption>{props.title}</caption>
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col" className="num">
              {previous.label}
              <span className="hint table-subhead">{span(previous)}</span>
            </th>
            <th scope="col" className="num">
              {latest.label}
              <span className="hint table-subhead">{span(latest)}</span>
            </th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {CHANGE_ROWS.filter((row) => !props.change.measures || props.change.measures.includes(row.key)).map((row) => {
            const isCount = row.key === "pupils_absent";
            // Governors: a withheld figure reads why, and nothing is compared with it. Beside a
            // withheld count of pupils absent the rates go too (they give its sessions back).
            const withheldText = (figures: NonNullable<RecentChange["latest"]>) => figures.withheld ?? figures.pupils_absent_withheld;
            if (withheldText(previous) || withheldText(latest)) {
              return (
                <tr key={row.key}>
                  <th scope="row">{row.label}</th>
                  {[previous, latest].map((figures, i) => (
                    <td key={i} className={withheldText(figures) ? "num suppressed" : "num"} data-testid={withheldText(figures) ? "withheld" : undefined}>
                      {withheldText(figures) ?? (isCount ? formatCount(figures[row.key]) : formatPct(figures[row.key]))}
                    </td>
                  ))}
                  <td>—</td>
                </tr>
              );
            }
            const before = previous[row.key];
            const after = latest[row.key];
            const show = (value: number | null) => (isCount ? formatCount(value) : formatPct(value));
            const ofPupils = (figures: NonNullable<RecentChange["latest"]>) => (isCount ? <span className="hint"> of {formatCount(figures.pupils)}</span> : null);
            let words: JSX.Element;
            if (isCount && previous.school_days !== latest.school_days) {
              // More days, more pupils absent at least once: a month so far against a whole
              // month says nothing about whether things got better.
              words = (
                <span className="same" data-testid="not-compared">
                  not compared: {formatCountOf(latest.school_days, "school day")} against {formatCount(previous.school_days)}
                </span>
              );
            } else if (isCount) {
              const difference = (after as number) - (before as number);
              const verdict = difference === 0 ? "same" : difference < 0 ? "better" : "worse";
              words = (
                <span className={verdict}>
                  {difference === 0 ? "no change" : `${difference > 0 ? "+" : "−"}${formatCountOf(Math.abs(difference), "pupil")}, ${verdict}`}
                </span>
              );
            } else {
              const comparison = compareRates(after, before, row.direction);
              words = (
                <span className={comparison.className}>
                  {comparison.points}, {verdictWords(comparison).replace(/ (than|as)$/, "")}
                </span>
              );
            }
            return (
              <tr key={row.key}>
                <th scope="row">{row.label}</th>
                <td className="num">
                  {show(before)}
                  {ofPupils(previous)}
                </td>
                <td className="num">
                  {show(after)}
                  {ofPupils(latest)}
                </td>
                <td>{words}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="hint" data-testid="change-population">
        {changePopulationWords(previous, latest, { year_group: props.filter.year_group ?? null, reg_group: props.filter.reg_group ?? null, characteristic: CHARACTERISTIC_FILTERS.some((key) => Boolean(props.filter[key])) }).words}
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The overview could not be shown" />;
}

/**
 * The release compared with, in words a governor understands (publication, period covered,
 * date published, address): one line, as both measures come from one release (the newest
 * covering the period — the same rule as Benchmarks, analytics/benchmarks/compare.ts).
 */
function NationalSources({ figures }: { figures: Array<NationalFigure | null> }) {
  const shown = figures.filter((figure): figure is NationalFigure => figure !== null);
  const citations = [...new Set(shown.map((figure) => figure.citation))];
  if (citations.length === 0) return null;
  return (
    <p className="hint" data-testid="national-source">
      {citations.length === 1 ? "Source" : "Sources"}: {citations.join("; ")}
    </p>
  );
}
