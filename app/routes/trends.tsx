/**
 * Trends: attendance and absence over the chosen period by week, month, half term, term or
 * academic year; and the historic trend — every academic year side by side, aligned by
 * school week (week 1, 2, … of each year) — for the same pupils.
 */
import { withArticle } from "../../analytics/article.ts";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { academicYearBounds } from "../../analytics/period-names.ts";
import { ChartFigure } from "~/components/ChartFigure";
import { slicesWithheldWords } from "../../analytics/withheld-rule.ts";
import { CHART_COLOURS, PctLineChart, SERIES_COLOURS, StackedBarChart } from "~/components/Charts";
import { GrainLinks } from "~/components/GrainLinks";
import { NoMarks } from "~/components/NoMarks";
import { SlicesWithheldNotice, WithheldNotice } from "~/components/WithheldNotice";
import { PeriodPicker } from "~/components/PeriodPicker";
import { DrillLinks } from "~/components/DrillLinks";
import { RouteError } from "~/components/RouteError";
import { governorSpanWithheld, applyWithheld, daysWithin, PA_MIN_SCHOOL_DAYS, governorBreakdownWithheld, governorBreakdownRows, governorSlices, governorSliceFigures, attendedOnly, splitGivenBy, NOTHING_WITHHELD, persistentAbsenceMeasured, schoolDaysOf, sliceDates, summariseBy, termBounds } from "~/lib/analytics.server";
import { can } from "~/lib/permissions";
import { withDb } from "~/lib/db.server";
import { drillDownHref } from "~/lib/filters";
import { formatDate, formatPct, periodInSentence } from "~/lib/format";
import { GRAIN_LABELS, TIME_GRAINS, describeGroup, readGrain, withGrainNotice } from "~/lib/grain";
import { filterOptions, resolveView } from "~/lib/view.server";
import { weekInProgress, type WeekInProgress } from "~/lib/recent.server";
import { weekInProgressWords } from "~/lib/week-in-progress";
import { requireRole } from "~/lib/auth.server";
import { useMayDrill } from "~/components/PupilsLink";
import { WITHHELD_COLUMN, absenceWithheldBecause, withheldMarks } from "~/lib/withheld";
import { formatThreshold } from "../../analytics/thresholds.ts";

export const meta: MetaFunction = () => [{ title: "Trends — Rollcall" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, "view_aggregates", { context });
  // Governors: one filter at a time on a page of figures by period (analytics/governor-lattice.ts).
  const governorPage = can(user.role, "view_pupils") ? {} : { governorPage: "periods" as const };
  return withDb(async (c) => {
    const view = await resolveView(c, request, { ...governorPage, reads: ["by"] });
    const options = await filterOptions(c, view);
    const by = new URL(request.url).searchParams.get("by");
    const grain = readGrain(by, TIME_GRAINS, "week");
    const notice = withGrainNotice(view.notice, new URL(request.url).searchParams, TIME_GRAINS, "week");
    // Governors: each period is planned on its own counts (analytics/governor-view.ts): a
    // group too small that week, or one that would give a small group away, is withheld.
    const min = can(user.role, "view_pupils") ? null : view.settings.small_group_min;
    // Governors: weeks and months are slices of the period, decided once per half term for
    // every breakdown (governorSlices); half terms, terms and years are periods a governor can
    // open, each withheld as on its own page (governorPeriodsWithheld).
    const withheldBy = async (query: typeof view.query) => (min === null ? null : await governorBreakdownWithheld(c, query, grain, min));
    // The whole span withheld (a filter choosing too few pupils): the page says so.
    const { spanWithheld, absenceWithheld } = await governorSpanWithheld(c, view.query, min);
    // Every figure here is attendance or absence in slices of the period (its weeks, months …,
    // and the weeks of the year around it), which add up to the period's absent sessions: where
    // the period's pupils absent at least once are withheld (as on the Overview), they go too
    // (docs/DEFINITIONS.md, "Session counts beside a withheld count of pupils").
    if (spanWithheld || absenceWithheld) {
      return { filters: view.filters, options, period: view.period, notice, registerNotice: view.registerNotice, governorRule: view.governorRule, governorPeriods: view.governorPeriods, spanWithheld, absenceWithheld, smallGroupMin: min, target: view.settings.target_attendance_pct, grain, splitGiven: false, slicesWithheldWords: null as string | null, groups: [], historic: [], historicTo: null as string | null, paMinDays: PA_MIN_SCHOOL_DAYS, weekInProgress: null as WeekInProgress | null };
    }
    const periodWithheld = await withheldBy(view.query);
    const termly = grain === "term" || grain === "academic_year";
    // A term or year inside the period can still be a few days of it (the spring term in its
    // first week of January): PA is given only for rows of enough school days (analytics/pa-span.ts).
    const schoolDays = termly ? await schoolDaysOf(c, view.query) : [];
    const paMeasured = new Set<string>();
    const mine = (await summariseBy(c, view.query, grain)).filter((group) => group.possible_sessions > 0);
    // Governors: a week, month or half term with none of these pupils reads as one with a few
    // where that one's would be withheld (governorBreakdownRows), not left out.
    const summarised = periodWithheld ? await governorBreakdownRows(c, view.query, grain, mine, (group) => Boolean(periodWithheld.get(group)?.row)) : mine;
    for (const group of summarised) {
      if (!termly) continue;
      const bounds = grain === "term" ? await termBounds(c, group.group) : academicYearBounds(group.group);
      if (bounds && persistentAbsenceMeasured(daysWithin(schoolDays, bounds.from, bounds.to))) paMeasured.add(group.group);
    }
    const groups = summarised
      .map((all) => {
        const withheld = periodWithheld?.get(all.group) ?? NOTHING_WITHHELD;
        // Governors: a week's or month's absence by kind is not given, only its total
        // (analytics/governor-view.ts governorSliceFigures); by half term, term or year it is.
        const group = governorSliceFigures(min, grain, applyWithheld(all, withheld));
        // A withheld figure's counts are not sent either (a 0 would read as a figure).
        const count = (value: number) => (withheld.row ? null : value);
        return {
          group: group.group,
          withheld: withheld.row,
          // Persistent absence withheld on its own: its cells say so (app/lib/withheld.ts).
          ...withheldMarks(["pa_pct", "pa_pupils"], paMeasured.has(group.group) ? withheld.pa : null),
          attendance_pct: group.attendance_pct,
          absence_pct: group.absence_pct,
          authorised_pct: group.authorised_pct,
          unauthorised_pct: group.unauthorised_pct,
          // The counts behind the rates, for the CSV's numerators and denominators (app/lib/csv.ts).
          possible_sessions: count(group.possible_sessions),
          present_sessions: count(group.present_sessions),
          aea_sessions: count(group.aea_sessions),
          authorised_sessions: group.authorised_sessions === null ? null : count(group.authorised_sessions),
          unauthorised_sessions: group.unauthorised_sessions === null ? null : count(group.unauthorised_sessions),
          pupils: count(group.pupils),
          // Persistent absence is a measure over a term or a year: inside a week, half a day off
          // makes a pupil "persistently absent" (issue 13, case 13). Not given for weeks or months.
          pa_pct: paMeasured.has(group.group) ? group.pa_pct : null,
          pa_pupils: paMeasured.has(group.group) && !withheld.pa ? group.pa_pupils : null,
        };
      });
    // Historic trend: each academic year's school weeks, numbered from the first week with marks.
    const historic: Array<{ year: string; week_number: number; week: string; withheld: string | null; attendance_pct: number | null; present_sessions: number | null; aea_sessions: number | null; possible_sessions: number | null }> = [];
    // Governors: up to the end of the last half term that has ended, as every governor's figure.
    const lastDay = view.horizon;
    for (const year of [...options.academicYears].reverse()) {
      if (lastDay === null) break;
      const bounds = academicYearBounds(year);
      const to = bounds.to < lastDay ? bounds.to : lastDay;
      if (to < bounds.from) continue;
      const yearQuery = { ...view.query, from: bounds.from, to };
      const slices = await governorSlices(c, yearQuery, min);
      const withheldWeek = (week: string) => slices.withheld(sliceDates("week", week).from, sliceDates("week", week).to);
      const yearWeeks = (await summariseBy(c, yearQuery, "week")).filter((w) => w.possible_sessions > 0);
      // Governors: a week with none of these pupils reads as withheld where one with a few would.
      const weeks = min === null ? yearWeeks : await governorBreakdownRows(c, yearQuery, "week", yearWeeks, (week) => withheldWeek(week) !== null);
      weeks.forEach((shown, index) => {
        // Governors: AEA folded into sessions attended (analytics/governor-view.ts attendedOnly).
        const week = min === null ? shown : attendedOnly(shown);
        const withheld = withheldWeek(week.group);
        historic.push(
          withheld
            ? { year, week_number: index + 1, week: week.group, withheld, attendance_pct: null, present_sessions: null, aea_sessions: null, possible_sessions: null }
            : { year, week_number: index + 1, week: week.group, withheld: null, attendance_pct: week.attendance_pct, present_sessions: week.present_sessions, aea_sessions: week.aea_sessions, possible_sessions: week.possible_sessions },
        );
      });
    }
    const open = grain === "week" ? await weekInProgress(c, view.today, view.due) : null;
    return {
      filters: view.filters,
      options,
      period: view.period,
      notice, registerNotice: view.registerNotice, governorRule: view.governorRule, governorPeriods: view.governorPeriods,
      spanWithheld,
      absenceWithheld: null as string | null,
      // Governors: the small-group minimum the withheld notice names (null for staff).
      smallGroupMin: min,
      target: view.settings.target_attendance_pct,
      grain,
      // Governors: absence in all, never by kind, in a week or month (splitGivenBy).
      splitGiven: splitGivenBy(min, grain),
      // Why every week or month is withheld, in the words the Overview and the packs use
      // (trial19b: two charts of "withheld" labels under an "axis starts at 95 %" note).
      slicesWithheldWords:
        min !== null && (grain === "week" || grain === "month")
          ? slicesWithheldWords(min, `Attendance and absence ${grain === "week" ? "week by week" : "month by month"} over ${periodInSentence(view.period.label)}`, grain === "week" ? "weeks" : "months")
          : null,
      groups,
      historic,
      // The last day the year-on-year lines reach when it is not today: a governor's figures stop
      // at the end of the last half term that has ended (the chart's words said "to today").
      historicTo: (lastDay !== null && lastDay < view.today ? lastDay : null) as string | null,
      // The weekly charts' last week while its registers are still being taken: said so (as on the Overview).
      weekInProgress: open && groups.at(-1)?.group === open.monday ? open : null,
      paMinDays: PA_MIN_SCHOOL_DAYS,
    };
  });
}

/** A year's attendance in the year-on-year rows: the measures' name, so the CSV finds its counts. */
const yearKey = (year: string) => `${year} attendance_pct`;

export default function Trends() {
  const data = useLoaderData<typeof loader>();
  const { grain, period, target } = data;
  const grainWord = GRAIN_LABELS[grain].toLowerCase();
  // This week's point is said under the charts, not on the axis: a longer last label tilted every
  // label and the first ran into the axis's 0 % (page-fit).
  const rows = data.groups.map((group) => ({ ...group, label: describeGroup(grain, group.group) }));
  const soFar = data.weekInProgress ? weekInProgressWords(data.weekInProgress) : "";
  const navigate = useNavigate();
  // A click on a point opens the pupils behind it, for roles that may see pupils.
  const mayDrill = useMayDrill();
  const openPupils = (group: string) => (mayDrill ? navigate(drillDownHref(data.filters, { by: grain, value: group })) : undefined);

  // Governors: weeks withheld are gaps in the lines, said under the chart (trial 29: a year in the
  // legend with no line, and one drawn for weeks 16–28 alone, with nothing said).
  // Reshape the historic rows (one per year and week) into one row per week number with a
  // column per year: the layout a multi-line chart and its table need. Each cell holds one
  // loader figure, so nothing is aggregated here. Plain code rather than Arquero: Arquero
  // compiles its expressions with `new Function`, which the app's Content-Security-Policy
  // (no 'unsafe-eval') rightly refuses (uwdata/arquero#361).
  const years = [...new Set(data.historic.map((row) => row.year))];
  const byWeek = new Map<number, Record<string, string | number | null>>();
  for (const point of data.historic) {
    const week = Number(point.week_number);
    // A year with fewer school weeks has no figure for the later week numbers.
    if (!byWeek.has(week)) byWeek.set(week, Object.fromEntries([["week_number", week], ...years.map((year) => [yearKey(year), null])]));
    const row = byWeek.get(week)!;
    row[yearKey(point.year)] = typeof point.attendance_pct === "number" ? point.attendance_pct : null;
    // A week withheld from governors says so in the table and the CSV (app/lib/withheld.ts).
    Object.assign(row, withheldMarks([yearKey(point.year)], point.withheld));
    // The counts behind each year's rate, for the CSV's numerator and denominator (app/lib/csv.ts).
    row[`${point.year} present_sessions`] = point.present_sessions;
    row[`${point.year} aea_sessions`] = point.aea_sessions;
    row[`${point.year} possible_sessions`] = point.possible_sessions;
  }
  const historicRows = [...byWeek.values()].sort((a, b) => Number(a.week_number) - Number(b.week_number));

  return (
    <>
      <h1>Trends</h1>
      <PeriodPicker filters={data.filters} options={data.options} period={period} />
      <GrainLinks
        param="by"
        current={grain}
        label="Show by"
        choices={TIME_GRAINS.map((value) => ({ value, label: GRAIN_LABELS[value] }))}
      />
      {data.spanWithheld ? (
        <WithheldNotice reason={data.spanWithheld} filters={data.filters} min={data.smallGroupMin} />
      ) : data.absenceWithheld ? (
        <WithheldNotice what="attendance and absence in this period, by week, month or term and week by week over the year," reason={absenceWithheldBecause(data.absenceWithheld)} filters={data.filters} min={data.smallGroupMin} />
      ) : rows.length === 0 ? (
        <NoMarks period={period} storeIsEmpty={data.options.academicYears.length === 0} filters={data.filters} />
      ) : data.slicesWithheldWords && rows.every((row) => row.withheld) ? (
        // Every week (month) withheld (governors): two charts of empty points said nothing.
        <SlicesWithheldNotice words={data.slicesWithheldWords} testId="slices-withheld" />
      ) : (
        <div className="grid-2">
          <ChartFigure
            title={`Attendance by ${grainWord}, ${periodInSentence(period.label)}`}
            description={`The dashed line is the school's target of ${formatThreshold(target, 1)}.${
              grain === "term" || grain === "academic_year"
                ? ` Persistent absence is given for ${withArticle(grainWord)} with at least ${data.paMinDays} school days in the period: over fewer, a day or two off would count.`
                : ""
            }${soFar}`}
            rows={rows}
            columns={[
              { key: "label", label: GRAIN_LABELS[grain] },
              { key: "attendance_pct", label: "Attendance", format: "pct" },
              ...(grain === "term" || grain === "academic_year" ? [{ key: "pa_pct", label: "Persistent absence", format: "pct" as const }] : []),
              { key: "possible_sessions", label: "Possible sessions", format: "count" },
              WITHHELD_COLUMN,
            ]}
            filename={`attendance-by-${grain}`}
          >
            <PctLineChart
              rows={rows}
              xKey="label"
              series={[{ key: "attendance_pct", label: "Attendance", colour: CHART_COLOURS.attendance }]}
              target={target}
            />
          </ChartFigure>
          <ChartFigure
            title={`Absence by ${grainWord}, ${periodInSentence(period.label)}`}
            description={`${
              data.splitGiven
                ? "Authorised and unauthorised absence as a share of possible sessions; together they make the absence rate."
                : `Absence as a share of possible sessions. Governors are given each ${grainWord}'s absence in all, not split into authorised and unauthorised (a day's absence of one kind is nearly always one or two pupils); half terms, terms and years give the split.`
            }${soFar}`}
            rows={rows}
            columns={[
              { key: "label", label: GRAIN_LABELS[grain] },
              { key: "absence_pct", label: "Absence", format: "pct" },
              ...(data.splitGiven
                ? [
                    { key: "authorised_pct", label: "Authorised", format: "pct" as const },
                    { key: "unauthorised_pct", label: "Unauthorised", format: "pct" as const },
                  ]
                : []),
              WITHHELD_COLUMN,
            ]}
            filename={`absence-by-${grain}`}
          >
            <StackedBarChart
              rows={rows}
              xKey="label"
              selectKey="group"
              onSelect={openPupils}
              pct
              series={
                data.splitGiven
                  ? [
                      { key: "authorised_pct", label: "Authorised", colour: CHART_COLOURS.authorised },
                      { key: "unauthorised_pct", label: "Unauthorised", colour: CHART_COLOURS.unauthorised },
                    ]
                  : [{ key: "absence_pct", label: "Absence", colour: CHART_COLOURS.unauthorised }]
              }
            />
          </ChartFigure>
          {mayDrill ? (
            <details className="drill-details">
              <summary>Pupils behind each {grainWord}</summary>
              <DrillLinks filters={data.filters} rows={rows} by={grain} label={`Pupils by ${grainWord}`} />
            </details>
          ) : null}
        </div>
      )}

      <h2>Year on year</h2>
      {data.spanWithheld || data.absenceWithheld ? (
        <p className="hint" data-testid="year-on-year-withheld">
          Withheld for governors with this period's figures (see above).
        </p>
      ) : years.length === 0 ? (
        <p className="hint">There are no academic years with marks yet.</p>
      ) : (
        <ChartFigure
          title="Attendance by school week, each academic year"
          description={`One line per academic year, aligned by school week: week 1 is each year's first week with marks. Covers whole years (to ${data.historicTo ? `${formatDate(data.historicTo)}, the end of the last half term that has ended,` : "today"} for ${years[years.length - 1]}) whatever period is chosen above, for the same pupil filters. Years before August 2024 used the old attendance codes.${historicWithheldWords(data.historic, years)}`}
          rows={historicRows}
          columns={[{ key: "week_number", label: "School week", format: "text" }, ...years.map((year) => ({ key: yearKey(year), label: year, format: "pct" as const }))]}
          filename="attendance-by-school-week-per-year"
        >
          <PctLineChart
            rows={historicRows}
            xKey="week_number"
            series={years.map((year, index) => ({ key: yearKey(year), label: year, colour: SERIES_COLOURS[index % SERIES_COLOURS.length] }))}
            target={target}
            height={360}
            xTickFormatter={(value) => `Week ${value}`}
          />
        </ChartFigure>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The trends could not be shown" />;
}

/**
 * Which years' weeks the Year on year chart leaves out because they are withheld from governors
 * (each point's `withheld`), as a sentence to add to its description: "" when none is.
 */
function historicWithheldWords(historic: ReadonlyArray<{ year: string; withheld: string | null }>, years: readonly string[]): string {
  const said = years.flatMap((year) => {
    const weeks = historic.filter((point) => point.year === year);
    const withheld = weeks.filter((point) => point.withheld !== null).length;
    if (withheld === 0) return [];
    return [withheld === weeks.length ? `${year}, every week` : `${year}, ${withheld} of ${weeks.length} weeks`];
  });
  return said.length === 0 ? "" : ` Weeks withheld from governors are not drawn (the table marks them): ${said.join("; ")}.`;
}
