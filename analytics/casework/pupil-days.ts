/**
 * The one place casework reads marks: a per-pupil-per-day relation of session counts.
 * Every casework rule is computed from these counts (never from marks directly), so when the
 * store keeps the same counts as an aggregate at import, only this relation changes.
 *
 * `pupil_days(upn, date, possible, attended, authorised, unauthorised, illness)`,
 * one row per pupil per date with at least one mark between `$pd_from` and `$pd_to`
 * (inclusive DATE parameters). Counts are sessions (0–2):
 * - possible: marks counted in possible sessions (present, AEA, authorised, unauthorised);
 * - attended: present or approved educational activity;
 * - authorised / unauthorised: absence sessions of each kind (unauthorised is G, N, O, U);
 * - illness: `I` marks.
 * (An N mark's age is analytics/n-code-age.ts's, shared with Register checks.)
 * A code is classified by the regime in force on its date (analytics/codes.ts).
 *
 * And the school-day sequence `school_day(date, term, n)`: the calendar's
 * school days from `$pd_from` to `$pd_to` numbered in order (n from 1), so that "consecutive
 * school days" is "consecutive n" — weekends, holidays and closures are not school days and
 * never break a run. Without an imported calendar, the dates with any mark stand in for
 * school days (with month-based term names), as on Register checks.
 */
import { REGIME_2024_FROM } from "../codes.ts";
import type { SqlParams } from "../db.ts";

export function pupilDaysSql(period: { from: string; to: string }): { sql: string; params: SqlParams } {
  const sql = `
    pupil_days AS (
      SELECT m.upn, m.date,
             count(*) FILTER (WHERE cc.category <> 'not_counted')::INTEGER AS possible,
             count(*) FILTER (WHERE cc.category IN ('present', 'aea'))::INTEGER AS attended,
             count(*) FILTER (WHERE cc.category = 'authorised')::INTEGER AS authorised,
             count(*) FILTER (WHERE cc.category = 'unauthorised')::INTEGER AS unauthorised,
             count(*) FILTER (WHERE m.code = 'I')::INTEGER AS illness
      FROM marks m
      JOIN code_catalogue cc
        ON cc.code = m.code
       AND cc.regime = CASE WHEN m.date >= $pd_regime_from::DATE THEN '2024' ELSE '2006' END
      WHERE m.date BETWEEN $pd_from::DATE AND $pd_to::DATE
      GROUP BY m.upn, m.date),
    school_day AS (
      SELECT date, term, row_number() OVER (ORDER BY date) AS n
      FROM (
        SELECT date, term FROM school_days WHERE date BETWEEN $pd_from::DATE AND $pd_to::DATE
        UNION ALL
        SELECT DISTINCT date,
               (CASE WHEN month(date) >= 8 THEN 'autumn' WHEN month(date) <= 3 THEN 'spring' ELSE 'summer' END)
                 || '-' || year(date)::VARCHAR AS term
        FROM marks
        WHERE date BETWEEN $pd_from::DATE AND $pd_to::DATE AND NOT EXISTS (SELECT 1 FROM school_days))
    )`;
  return { sql, params: { pd_from: period.from, pd_to: period.to, pd_regime_from: REGIME_2024_FROM } };
}
