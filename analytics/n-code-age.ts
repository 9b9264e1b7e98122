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
      SELECT d::DATE FROM range((SELECT min(date) FROM mark_store WHERE code = 'N'::mark_code), $nc_as_of::DATE + 1, INTERVAL 1 DAY) t(d)
      WHERE NOT EXISTS (SELECT 1 FROM school_days) AND isodow(d) <= 5),
    n_age_index AS (SELECT date, row_number() OVER (ORDER BY date) AS n FROM n_age_days),
    n_code_ages AS (
      -- School days after the mark's date, to the as-of date: all of them less those on or before it.
      SELECT m.pupil_id, m.date, m.pm,
             ((SELECT count(*) FROM n_age_index) - coalesce(i.n, 0))::INTEGER AS school_days_open
      FROM mark_store m
      ASOF LEFT JOIN n_age_index i ON m.date >= i.date
      WHERE m.code = 'N'::mark_code AND m.date <= $nc_as_of::DATE)`;
  return { sql, params: { nc_as_of: asOf } };
}
