/**
 * Patterns: attendance by weekday and by session (AM/PM), a calendar of daily attendance
 * with closures marked, and the days of poorest attendance. Bars and days drill down to
 * the pupils behind them.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigate } from "@remix-run/react";
import { attendanceBands, CalendarHeatmap } from "~/components/CalendarHeatmap";
import { ChartFigure } from "~/components/ChartFigure";
import { PctBarChart } from "~/components/Charts";
import { NoMarks } from "~/components/NoMarks";
import { PeriodPicker } from "~/components/PeriodPicker";
import { DrillLinks } from "~/components/DrillLinks";
import { RouteError } from "~/components/RouteError";
import { governorSpanWithheld, closuresBetween, governorSlices, governorSliceFigures, governorBreakdownRows, splitGivenBy, summariseBy } from "~/lib/analytics.server";
import { can } from "~/lib/permissions";
import { absenceWithheldBecause } from "~/lib/withheld";
import { SlicesWithheldNotice, WithheldNotice } from "~/components/WithheldNotice";
import { withDb } from "~/lib/db.server";
import { drillDownHref, hasPupilFilters } from "~/lib/filters";
import { formatCount, formatDate, formatPct, periodInSentence } from "~/lib/format";
import { filterOptions, resolveView } from "~/lib/view.server";
import { requireRole } from "~/lib/auth.server";
import { PupilsLink } from "~/components/PupilsLink";
import { useMayDrill } from "~/components/PupilsLink";
import { meetsTarget, targetVerdict } from "../../analytics/thresholds.ts";
import { daysWithheldWords } from "../../analytics/withheld-rule.ts";

export const meta: MetaFunction = () => [{ title: "Patterns — Rollcall" }];

const LOWEST_DAYS = 10;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, "view_aggregates", { context });
  // Governors: one filter at a time on a page of figures by period (analytics/governor-lattice.ts).
  const governorPage = can(user.role, "view_pupils") ? {} : { governorPage: "periods" as const };
  return withDb(async (c) => {
    const view = await resolveView(c, request, governorPage);
    const options = await filterOptions(c, view);
    const min = can(user.role, "view_pupils") ? null : view.settings.small_group_min;
    // Governors: a weekday's, session's or day's absence by kind is not given, only its total
    // (analytics/governor-view.ts governorSliceFigures).
    const pick = (by: "weekday" | "session" | "date") => (all: Awaited<ReturnType<typeof summariseBy>>[number]) => {
      const group = governorSliceFigures(min, by, all);
      return {
        group: group.group,
        attendance_pct: group.attendance_pct,
        // The counts behind the rate, for the CSV's numerator and denominator (app/lib/csv.ts).
        present_sessions: group.present_sessions,
        aea_sessions: group.aea_sessions,
        absence_sessions: group.absence_sessions,
        authorised_sessions: group.authorised_sessions,
        unauthorised_sessions: group.unauthorised_sessions,
        possible_sessions: group.possible_sessions,
      };
    };
    // Governors: weekdays and sessions are slices of the same pupils as the period, so they go
    // with it; each day is planned on its own counts (analytics/governor-view.ts).
    const { spanWithheld, absenceWithheld } = await governorSpanWithheld(c, view.query, min);
    // Every figure here is absence (a rate or sessions) in a slice of the period, and the slices
    // add up to the period's: where the period's pupils absent at least once are withheld
    // (as on the Overview), so is its absence, and with it every slice (docs/DEFINITIONS.md,
    // "Session counts beside a withheld count of pupils"; analytics/governor-view.ts).
    // Governors: weekdays, sessions and days are slices of the period, decided once per half
    // term for every breakdown (analytics/governor-view.ts governorSlices): a day withheld
    // beside the period's weekdays, or a weekday beside its days, would be a difference.
    const slices = min === null || spanWithheld || absenceWithheld ? null : await governorSlices(c, view.query, min);
    const slicesWithheld = slices?.withheld(view.query.from, view.query.to) ?? null;
    const shown = (g: { possible_sessions: number }) => g.possible_sessions > 0 && !spanWithheld && !absenceWithheld;
    const weekdays = slicesWithheld ? [] : (await summariseBy(c, view.query, "weekday")).filter(shown).map(pick("weekday"));
    const sessions = slicesWithheld ? [] : (await summariseBy(c, view.query, "session")).filter(shown).map(pick("session"));
    const groupDays = (await summariseBy(c, view.query, "date")).filter(shown);
    // Governors: a day with none of these pupils is withheld (left blank and counted) where a
    // day with a few would be, not left out (governorBreakdownRows).
    const allDays = slices ? await governorBreakdownRows(c, view.query, "date", groupDays, (date) => slices.withheld(date, date) !== null) : groupDays;
    const days = allDays.filter((g) => !slices?.withheld(g.group, g.group)).map(pick("date"));
    const closures = await closuresBetween(c, view.period);
    // The poorest days: ordering the measures' own daily figures, nothing recomputed.
    const lowest = [...days]
      .sort((a, b) => (a.attendance_pct ?? 100) - (b.attendance_pct ?? 100) || a.group.localeCompare(b.group))
      .slice(0, LOWEST_DAYS);
    return {
      filters: view.filters,
      options,
      period: view.period,
      notice: view.notice, registerNotice: view.registerNotice, governorRule: view.governorRule, governorPeriods: view.governorPeriods,
      spanWithheld,
      absenceWithheld,
      // Governors: the small-group minimum the withheld notice names (null for staff).
      smallGroupMin: min,
      withheldDays: allDays.length - days.length,
      // Governors: why the weekday and session figures are not given (a half term of the
      // period whose slices are withheld for these pupils), or null.
      slicesWithheld,
      // Governors, where every day is withheld too: the slices' rule in words, as Trends and the
      // FGB pack say it (trial 54: the whole school's rule, "the school has fewer than 5 pupils,
      // or …", was given for it, which a school of 240 read as plainly wrong).
      slicesWithheldWords:
        min !== null && slicesWithheld && days.length === 0
          ? daysWithheldWords(min, hasPupilFilters(view.filters) ? "These pupils'" : "", `over ${periodInSentence(view.period.label)}`)
          : null,
      // Governors: absence in all, never by kind, in a weekday, session or day.
      splitGiven: splitGivenBy(min, "date"),
      target: view.settings.target_attendance_pct,
      thresholds: view.settings.attendance_thresholds,
      weekdays,
      sessions,
      days: days.map((day) => ({ date: day.group, attendance_pct: day.attendance_pct })),
      closures,
      lowest,
    };
  });
}

export default function Patterns() {
  const data = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const { period, target, filters } = data;
  // A click on a bar opens the pupils behind it, for roles that may see pupils.
  const mayDrill = useMayDrill();
  const drill = (by: string) => (value: string) => (mayDrill ? navigate(drillDownHref(filters, { by, value })) : undefined);
  const columns = [
    { key: "group", label: "Group" },
    { key: "attendance_pct", label: "Attendance", format: "pct" as const },
    // Governors: absence in all, never by kind (analytics/governor-view.ts splitGivenBy).
    ...(data.splitGiven
      ? [
          { key: "authorised_sessions", label: "Authorised absence (sessions)", format: "count" as const },
          { key: "unauthorised_sessions", label: "Unauthorised absence (sessions)", format: "count" as const },
        ]
      : [{ key: "absence_sessions", label: "Absence (sessions)", format: "count" as const }]),
    { key: "possible_sessions", label: "Possible sessions", format: "count" as const },
  ];

  return (
    <>
      <h1>Patterns</h1>
      <PeriodPicker filters={filters} options={data.options} period={period} />
      {data.spanWithheld ? (
        <WithheldNotice reason={data.spanWithheld} filters={filters} min={data.smallGroupMin} />
      ) : data.absenceWithheld ? (
        <WithheldNotice
          what="absence in this period, and with it attendance by weekday, session and day,"
          reason={absenceWithheldBecause(data.absenceWithheld)}
          filters={filters}
          min={data.smallGroupMin}
        />
      ) : data.slicesWithheldWords ? (
        <SlicesWithheldNotice words={data.slicesWithheldWords} testId="withheld-notice" />
      ) : data.days.length === 0 ? (
        <NoMarks
          period={period}
          filters={filters}
          storeIsEmpty={data.options.academicYears.length === 0}
          extra={data.closures.length > 0 ? `The school was closed on ${data.closures.map((c) => `${formatDate(c.date)} (${c.reason})`).join(", ")}.` : undefined}
        />
      ) : (
        <>
          {data.slicesWithheld ? (
            <p className="hint" data-testid="slices-withheld">
              Attendance by day of the week and by session is withheld for governors for these pupils in this period: in one of its half terms their
              figures by day are withheld (the days are left blank below), and the weekdays add up to the days.
            </p>
          ) : (
          <div className="grid-2">
            <ChartFigure
              title="Attendance by day of the week"
              description={mayDrill ? "Choose a bar, or a day in the list below the chart, to see the pupils' attendance on that weekday." : "Attendance on each day of the week over the period."}
              rows={data.weekdays.map((row) => ({ ...row, group: row.group }))}
              columns={[{ ...columns[0], label: "Day" }, ...columns.slice(1)]}
              filename="attendance-by-weekday"
            >
              <PctBarChart rows={data.weekdays} xKey="group" valueKey="attendance_pct" valueLabel="Attendance" target={target} onSelect={drill("weekday")} />
              <DrillLinks filters={filters} rows={data.weekdays} by="weekday" label="Pupils by weekday" />
            </ChartFigure>
            <ChartFigure
              title="Attendance by session"
              description={mayDrill ? "Morning (AM) and afternoon (PM) registers. Choose one to see the pupils' attendance in that session." : "Morning (AM) and afternoon (PM) registers."}
              rows={data.sessions}
              columns={[{ ...columns[0], label: "Session" }, ...columns.slice(1)]}
              filename="attendance-by-session"
            >
              <PctBarChart rows={data.sessions} xKey="group" valueKey="attendance_pct" valueLabel="Attendance" target={target} onSelect={drill("session")} />
              <DrillLinks filters={filters} rows={data.sessions} by="session" label="Pupils by session" />
            </ChartFigure>
          </div>
          )}

          <h2>Attendance day by day</h2>
          <CalendarHeatmap
            from={period.from}
            to={period.to}
            days={data.days}
            closures={data.closures}
            bands={attendanceBands(target, data.thresholds)}
            hrefFor={(date) => drillDownHref(filters, { by: "date", value: date })}
          />
          {data.withheldDays > 0 ? (
            <p className="hint" data-testid="withheld-days">
              {data.withheldDays} {data.withheldDays === 1 ? "day is" : "days are"} left blank for governors: too few of these pupils were in
              school that day, or the figure would let a small group be worked out.
            </p>
          ) : null}
          {data.closures.length > 0 ? (
            <p data-testid="closures">
              Closures in this period:{" "}
              {data.closures.map((closure, index) => (
                <span key={closure.date}>
                  {index > 0 ? "; " : ""}
                  {formatDate(closure.date, "EEE d MMM yyyy")} ({closure.reason})
                </span>
              ))}
              .
            </p>
          ) : null}

          <table className="data" data-testid="lowest-days">
            <caption>
              The {Math.min(LOWEST_DAYS, data.lowest.length)} days of lowest attendance, {periodInSentence(period.label)}
            </caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col" className="num">
                  Attendance
                </th>
                <th scope="col">Against target</th>
                {data.splitGiven ? (
                  <>
                    <th scope="col" className="num">
                      Authorised absence
                    </th>
                    <th scope="col" className="num">
                      Unauthorised absence
                    </th>
                  </>
                ) : (
                  <th scope="col" className="num">
                    Absence
                  </th>
                )}
                {mayDrill ? <th scope="col">Pupils</th> : null}
              </tr>
            </thead>
            <tbody>
              {data.lowest.map((day) => {
                const below = day.attendance_pct !== null && !meetsTarget(day.attendance_pct, target);
                return (
                  <tr key={day.group}>
                    <th scope="row">{formatDate(day.group, "EEEE d MMMM yyyy")}</th>
                    <td className="num">{formatPct(day.attendance_pct)}</td>
                    <td>
                      <span className={`tag ${below ? "tag--red" : "tag--green"}`}>{below ? "Below target" : "At or above target"}
                        {/* The figure to the decimals that show why, when it prints as the target (targetVerdict). */}
                        {day.attendance_pct !== null && targetVerdict(day.attendance_pct, target).precise ? ` (${targetVerdict(day.attendance_pct, target).why})` : ""}</span>
                    </td>
                    {day.authorised_sessions !== null && day.unauthorised_sessions !== null ? (
                      <>
                        <td className="num">{sessionsWords(day.authorised_sessions)}</td>
                        <td className="num">{sessionsWords(day.unauthorised_sessions)}</td>
                      </>
                    ) : (
                      <td className="num">{sessionsWords(day.absence_sessions)}</td>
                    )}
                    {mayDrill ? (
                      <td>
                        <PupilsLink to={drillDownHref(filters, { by: "date", value: day.group })}>
                          Pupils on {formatDate(day.group, "d MMM")}
                        </PupilsLink>
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

const sessionsWords = (count: number) => `${formatCount(count)} ${count === 1 ? "session" : "sessions"}`;

export function ErrorBoundary() {
  return <RouteError title="The patterns could not be shown" />;
}
