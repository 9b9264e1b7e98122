/**
 * How long an `N` mark (no reason yet provided) has been outstanding: the one definition used
 * by Register checks (analytics/quality.ts) and the casework rule `n_code_overdue`
 * (analytics/casework/compute.ts), so the two never disagree about the same mark.
 *
 * Age = the number of school days after the mark's date up to and including the as-of date
 * (issue 12's rule table; Ludlow Appendix A, 4: "Any N codes not established after a week are
 * recorded as an unauthorised absence", a week being 5 school days). A mark is overdue when
 * its age exceeds the school's limit. School days are the calendar's (weekends, holidays and
 * closures are not counted); where no calendar has been imported, Monday to Friday stand in
 * for them, so an N mark still ages when no later register has been imported.
 */
import type { SqlParams } from "./db.ts";

/**
 * SQL CTEs (to follow `WITH`) defining `n_code_ages(pupil_id, date, pm, school_days_open)`:
 * every N mark in the store dated on or before the as-of date, with its age in school days
 * (INTEGER, 0 for a mark on the as-of date). Bind the returned params with the query's own;
 * the parameter name is `$nc_as_of` (an ISO date).
 */
export function nCodeAgeSql(asOf: string): { sql: string; params: SqlParams } {
  const sql = `
    n_age_days AS (
      SELECT date FROM school_days WHERE date <= $nc_as_of::DATE
      UNION ALL
      -- The oldest N mark's date, from the weekly code counts (each row's first date is its
      -- earliest mark's), not a scan of every mark.
      SELECT d::DATE FROM range((SELECT min(first_date) FROM mark_week_codes WHERE code = 'N'::mark_code), $nc_as_of::DATE + 1, INTERVAL 1 DAY) t(d)
      WHERE NOT EXISTS (SELECT 1 FROM school_days) AND isodow(d) <= 5),
    n_age_index AS (SELECT date, row_number() OVER (ORDER BY date) AS n FROM n_age_days),
    n_age_total AS (SELECT count(*) AS k FROM n_age_index),
    n_code_ages AS (
      -- School days after the mark's date, to the as-of date: all of them less those on or before it.
      SELECT m.pupil_id, m.date, m.pm,
             ((SELECT k FROM n_age_total) - coalesce(i.n, 0))::INTEGER AS school_days_open
      FROM mark_store m
      ASOF LEFT JOIN n_age_index i ON m.date >= i.date
      WHERE m.code = 'N'::mark_code AND m.date <= $nc_as_of::DATE)`;
  return { sql, params: { nc_as_of: asOf } };
}

/**
 * SQL CTEs (to follow `WITH`, after nCodeAgeSql's, whose `$nc_as_of` they share) defining
 * `n_code_overdue(pupil_id, marks, oldest)`: per pupil, the N marks dated on or before the
 * as-of date whose age (as above) exceeds `$nc_limit` school days, and the date of the
 * oldest — the casework rule `n_code_overdue`. Read from the store's weekly code counts
 * (`mark_week_codes`: per pupil, week and code, the sessions and the first and last date with
 * that code), not the marks: an age never rises with the date, so a week's N marks are all
 * overdue when its last one is, and none is when its first one is not. Only a week with N
 * marks on both sides of the line (or after the as-of date) has its marks read, by date.
 * Bind `$nc_limit` (whole school days) with the returned params.
 */
export function nCodeOverdueSql(limitSchoolDays: number): { sql: string; params: SqlParams } {
  const sql = `
    n_week_aged AS (
      SELECT w.pupil_id, w.first_date, w.last_date, w.sessions,
             (SELECT k FROM n_age_total) - coalesce(f.n, 0) AS first_age,
             (SELECT k FROM n_age_total) - coalesce(l.n, 0) AS last_age
      FROM mark_week_codes w
      ASOF LEFT JOIN n_age_index f ON w.first_date >= f.date
      ASOF LEFT JOIN n_age_index l ON w.last_date >= l.date
      WHERE w.code = 'N'::mark_code AND w.first_date <= $nc_as_of::DATE),
    -- Weeks with some N marks overdue and some not (or some after the as-of date): their dates.
    n_split_days AS (
      SELECT w.pupil_id, (w.first_date + r.i::INTEGER) AS date
      FROM n_week_aged w CROSS JOIN range(7) r(i)
      WHERE w.first_age > $nc_limit AND NOT (w.last_date <= $nc_as_of::DATE AND w.last_age > $nc_limit)
        AND w.first_date + r.i::INTEGER <= least(w.last_date, $nc_as_of::DATE)),
    n_split_marks AS (
      SELECT m.pupil_id, m.date, (SELECT k FROM n_age_total) - coalesce(i.n, 0) AS age
      FROM (SELECT m.pupil_id, m.date FROM mark_store m JOIN n_split_days USING (pupil_id, date) WHERE m.code = 'N'::mark_code) m
      ASOF LEFT JOIN n_age_index i ON m.date >= i.date),
    n_code_overdue AS (
      SELECT pupil_id, sum(marks)::INTEGER AS marks, min(oldest) AS oldest
      FROM (
        SELECT pupil_id, sessions AS marks, first_date AS oldest FROM n_week_aged
        WHERE last_date <= $nc_as_of::DATE AND last_age > $nc_limit
        UNION ALL
        SELECT pupil_id, 1, date FROM n_split_marks WHERE age > $nc_limit)
      GROUP BY pupil_id)`;
  return { sql, params: { nc_limit: limitSchoolDays } };
}
