/**
 * The named SQL over the register that casework windows use (interventions' before/after weeks,
 * the ladder's monitoring periods, bands, spells, trending, the forecast): one place, so it
 * can move to the store's aggregates without touching the rules built on it.
 *
 * - `school_days_all`: the school days of the calendar, or, in a database with no calendar,
 *   every date with a mark (as the penalty-notice check does);
 * - `school_weeks`: Monday-to-Sunday weeks with at least one school day, numbered `n` from 1
 *   in date order, with their first and last school day (a holiday week is not a school week);
 * - `school_day_index`: each school day numbered `d` from 1 in date order (so "consecutive
 *   school days" are consecutive numbers, whatever weekends, holidays or closures lie between);
 * - `pupil_days` (PUPIL_DAYS_CTE, from analytics/casework/pupil-days.ts): per pupil per day,
 *   the sessions counted, attended, authorised and unauthorised, from the store's day
 *   aggregate (mark_days, kept at import): what the windows sum (interventions' before and
 *   after weeks, spells), a row per pupil-day instead of per mark; trending and the forecast
 *   sum pupil units instead (whole weeks from mark_weeks: yearAndRecentSessionsCtes below);
 * - `classified`: every mark with flags `counted` (in possible sessions), `attended`
 *   (present or AEA), `absent` (authorised or unauthorised), `unauthorised` (G N O U) and
 *   `illness` (I), its code read under the regime of its date (docs/DEFINITIONS.md, "Sessions and codes").
 *
 * Bind `$regime_from` (REGIME_2024_FROM), `$marks_from` and `$marks_to` (inclusive ISO dates:
 * the marks a query needs, so it never classifies the whole register) with `classified`, and
 * `$pd_from` and `$pd_to` (the days it needs) with `pupil_days`.
 */
import { addDays, format, parseISO } from "date-fns";
import { cachedRows, cachedRowsToRead, type Connection, type Row, type SqlParams } from "./db.ts";
import { academicYearBounds, academicYearOf } from "./period-names.ts";
import { pupilUnitsSql } from "./casework/pupil-days.ts";

export const SCHOOL_CALENDAR_CTES = `
  -- Two disjoint parts (the second only without a calendar), each made distinct on its own:
  -- a UNION's one distinct over both was sized for the whole of mark_days (DuckDB's estimate of
  -- the second part), ~21 ms of CPU on a 191-row calendar at 4,500 pupils, in every query here.
  school_days_all AS (
    SELECT DISTINCT date FROM school_days
    UNION ALL
    SELECT DISTINCT date FROM mark_days WHERE NOT EXISTS (SELECT 1 FROM school_days)),
  school_weeks AS (
    SELECT date_trunc('week', date)::DATE AS week, min(date) AS first_day, max(date) AS last_day,
           row_number() OVER (ORDER BY date_trunc('week', date)::DATE) AS n
    FROM school_days_all GROUP BY date_trunc('week', date)::DATE),
  school_day_index AS (
    SELECT date, row_number() OVER (ORDER BY date) AS d FROM school_days_all)`;

export { PUPIL_DAYS_CTE } from "./casework/pupil-days.ts";

export const CLASSIFIED_MARKS_CTE = `
  classified AS (
    SELECT m.upn, m.date, m.session, m.code::VARCHAR AS code,
           cc.category <> 'not_counted' AS counted,
           cc.category IN ('present', 'aea') AS attended,
           cc.category IN ('authorised', 'unauthorised') AS absent,
           m.code::VARCHAR IN ('G', 'N', 'O', 'U') AS unauthorised,
           m.code::VARCHAR = 'I' AS illness
    FROM marks m
    JOIN code_catalogue cc
      ON cc.code = m.code
     AND cc.regime = CASE WHEN m.date >= $regime_from::DATE THEN '2024' ELSE '2006' END
    WHERE m.date BETWEEN $marks_from::DATE AND $marks_to::DATE)`;

/**
 * CTE `roll`: the pupils on roll on $as_of (admitted by then, not yet left), with the year
 * group and class in force that day (empty when none is recorded).
 */
export const ON_ROLL_CTE = `
  roll AS (
    SELECT p.upn, p.forename, p.surname, coalesce(ch.year_group, '') AS year_group, coalesce(ch.reg_group, '') AS reg_group
    FROM pupils p
    LEFT JOIN pupil_characteristics ch ON ch.upn = p.upn AND ch.valid_from <= $as_of::DATE AND (ch.valid_to IS NULL OR ch.valid_to >= $as_of::DATE)
    WHERE p.admission_date <= $as_of::DATE AND (p.leaving_date IS NULL OR p.leaving_date >= $as_of::DATE))`;

/** The recent windows early warning reads, in school weeks: pupils trending down's and the year-end forecast's. */
export const TRENDING_WEEKS = 4;
export const FORECAST_RECENT_WEEKS = 6;

/**
 * CTEs `recent{w}` for each `w` of `weeks` (the first day, `first_day`, of the latest `w` school
 * weeks starting by $as_of) and `per_pupil` (per pupil, by UPN, with a day with a mark from
 * `period.from` to `period.to`, inclusive ISO dates: possible and attended sessions in the
 * whole window, `y_pos`/`y_att`, and since each recent window's first day, `r{w}_pos`/`r{w}_att`,
 * as BIGINT — the counts of `classified`'s flags over the same marks). Read from the store's
 * aggregates as pupil units (analytics/casework/pupil-days.ts pupilUnitsSql): a pupil's whole
 * week from `mark_weeks` where no window starts inside it, else its days from `mark_days`, so
 * each recent window's first day splits its week into days and every unit lies wholly before or
 * wholly inside it (at 4,500 pupils a year to date is ~180,000 units instead of ~860,000
 * pupil-days). Needs SCHOOL_CALENDAR_CTES before it (for `school_weeks`); bind `$as_of` and the
 * returned `params`. Throws for a `w` not a whole number from 1, or no windows.
 */
export function yearAndRecentSessionsCtes(weeks: readonly number[], period: { from: string; to: string }): { sql: string; params: SqlParams } {
  if (weeks.length === 0) throw new Error("at least one recent window is needed");
  for (const w of weeks) if (!Number.isInteger(w) || w < 1) throw new Error(`weeks must be a whole number of school weeks, got ${w}`);
  const units = pupilUnitsSql(period, "recent_cut");
  const windows = [...new Set(weeks)];
  return {
    params: units.params,
    sql: `
  ${windows
    .map(
      (w) => `recent${w} AS (
    SELECT min(first_day) AS first_day FROM (
      SELECT first_day FROM school_weeks WHERE first_day <= $as_of::DATE ORDER BY week DESC LIMIT ${w})),`,
    )
    .join("\n  ")}
  recent_cut AS (${windows.map((w) => `SELECT first_day AS cut FROM recent${w}`).join(" UNION ALL ")}),
  ${units.sql.replace(/^\s*/, "")},
  per_pupil AS (
    SELECT k.upn, x.*
    FROM (
      SELECT u.pupil_id,
             coalesce(sum(u.possible), 0)::BIGINT AS y_pos, coalesce(sum(u.attended), 0)::BIGINT AS y_att,
             ${windows
               .map(
                 (w) => `coalesce(sum(u.possible) FILTER (WHERE u.first_date >= recent${w}.first_day), 0)::BIGINT AS r${w}_pos,
             coalesce(sum(u.attended) FILTER (WHERE u.first_date >= recent${w}.first_day), 0)::BIGINT AS r${w}_att`,
               )
               .join(",\n             ")}
      FROM pupil_units u ${windows.map((w) => `CROSS JOIN recent${w}`).join(" ")} GROUP BY u.pupil_id) x
    JOIN pupil_ids k USING (pupil_id))`,
  };
}

/** A pupil's sessions in the year to date and the recent windows (yearAndRecentSessions). */
export interface YearAndRecentRow {
  upn: string;
  /** On roll at the as-of date; when false, the names, year group and class are null. */
  on_roll: boolean;
  forename: string | null;
  surname: string | null;
  year_group: string | null;
  reg_group: string | null;
  y_pos: number;
  y_att: number;
  r4_pos: number;
  r4_att: number;
  r6_pos: number;
  r6_att: number;
  /** First school day of the latest TRENDING_WEEKS school weeks (ISO), null without school weeks. */
  trending_from: string | null;
  /** School days after `asOf` to the end of its academic year. */
  remaining_days: number;
}

/**
 * Every pupil with a possible session this academic year to `asOf` (ISO date), with their
 * roll details at `asOf` if on roll then, possible and attended sessions over the year to
 * date and over the latest TRENDING_WEEKS (r4) and FORECAST_RECENT_WEEKS (r6) school weeks;
 * ordered by surname, forename (pupils not on roll, without names, last) and UPN. One
 * read shared by pupils trending down and the year-end forecast (the same SQL: a pack's shared
 * reads or the result cache answer the second from the first). Rows are shared: never change
 * them. Throws what DuckDB throws.
 */
export async function yearAndRecentSessions(connection: Connection, asOf: string): Promise<readonly Readonly<YearAndRecentRow>[]> {
  const year = academicYearBounds(academicYearOf(asOf));
  const sessions = yearAndRecentSessionsCtes([TRENDING_WEEKS, FORECAST_RECENT_WEEKS], { from: year.from, to: asOf });
  return cachedRowsToRead<YearAndRecentRow & Row>(
    connection,
    `WITH ${SCHOOL_CALENDAR_CTES}, ${ON_ROLL_CTE}, ${sessions.sql}
     SELECT x.upn, r.upn IS NOT NULL AS on_roll, r.forename, r.surname, r.year_group, r.reg_group,
            x.y_pos::INTEGER AS y_pos, x.y_att::INTEGER AS y_att,
            x.r${TRENDING_WEEKS}_pos::INTEGER AS r4_pos, x.r${TRENDING_WEEKS}_att::INTEGER AS r4_att,
            x.r${FORECAST_RECENT_WEEKS}_pos::INTEGER AS r6_pos, x.r${FORECAST_RECENT_WEEKS}_att::INTEGER AS r6_att,
            strftime((SELECT first_day FROM recent${TRENDING_WEEKS}), '%Y-%m-%d') AS trending_from,
            (SELECT count(*) FROM school_days WHERE date > $as_of::DATE AND date <= $year_end::DATE)::INTEGER AS remaining_days
     FROM per_pupil x LEFT JOIN roll r USING (upn)
     WHERE x.y_pos > 0
     ORDER BY r.surname, r.forename, x.upn`,
    { as_of: asOf, year_end: year.to, ...sessions.params },
  );
}

/** Two windows of whole school weeks: the latest ones to a date, and as many before them. */
export interface SchoolWeekWindows {
  /** From the first school day of the earliest of the latest weeks to `to` (ISO dates). */
  recent: { from: string; to: string };
  /** The same number of school weeks before them, first to last school day; empty (from after to) when the calendar has none. */
  earlier: { from: string; to: string };
}

/**
 * The latest `weeks` school weeks to `to` (an ISO date; the week holding it counts when it has
 * a school day by then) and the `weeks` school weeks before them: the windows of a trend "over
 * the last four weeks against the four before" (the Pupils list's Trend column). A school week
 * is a Monday-to-Sunday week with at least one school day (the
 * `school_weeks` CTE above, as early warning, the forecast and interventions' effects count
 * them), so a half-term holiday is skipped, not counted as one of the four (the Pupils list's
 * trend once took 28 calendar days, so a week after the half term its "four weeks" held the
 * holiday week and three school weeks). Weeks before the
 * register's first school week are not there: the windows are then shorter (or `earlier`
 * empty). Throws for `weeks` not a whole number from 1, and what DuckDB throws.
 */
export async function schoolWeekWindows(connection: Connection, to: string, weeks: number): Promise<SchoolWeekWindows> {
  if (!Number.isInteger(weeks) || weeks < 1) throw new Error(`weeks must be a whole number of school weeks, got ${weeks}`);
  const rows = await cachedRows<Row & { first_day: string; last_day: string }>(
    connection,
    `WITH ${SCHOOL_CALENDAR_CTES.replace(/^\s*/, "")}
     SELECT strftime(first_day, '%Y-%m-%d') AS first_day, strftime(last_day, '%Y-%m-%d') AS last_day
     FROM school_weeks WHERE first_day <= $to::DATE ORDER BY week DESC LIMIT $n`,
    { to, n: 2 * weeks },
  );
  const recent = rows.slice(0, weeks);
  const earlier = rows.slice(weeks);
  const recentFrom = recent.at(-1)?.first_day ?? to;
  const dayBefore = format(addDays(parseISO(recentFrom), -1), "yyyy-MM-dd");
  return {
    recent: { from: recentFrom, to },
    earlier: earlier.length > 0 ? { from: earlier.at(-1)!.first_day, to: earlier[0].last_day } : { from: recentFrom, to: dayBefore },
  };
}
