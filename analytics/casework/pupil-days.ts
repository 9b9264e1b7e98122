/**
 * The one place casework reads the register: a per-pupil-per-day relation of session counts,
 * read from the store's day aggregate (`mark_days`, analytics/store.ts, kept at import in the
 * import's transaction), and each pupil's illness sessions over a period from the weekly
 * code counts (`mark_week_codes`). Every casework rule is computed from these (and N marks'
 * ages from analytics/n-code-age.ts); a mark itself is read only where a pupil-week's I
 * marks lie on both sides of the period's end, by date.
 *
 * `pupil_days(pupil_id, date, possible, attended, authorised, unauthorised, present, aea)` (the store's
 * integer pupil id: `pupil_ids` maps it to the UPN; joins on it are far cheaper than on UPNs),
 * one row per pupil per date with at least one mark between `$pd_from` and `$pd_to`
 * (inclusive DATE parameters). Counts are sessions (0–2):
 * - possible: marks counted in possible sessions (present, AEA, authorised, unauthorised);
 * - attended: present or approved educational activity;
 * - authorised / unauthorised: absence sessions of each kind (unauthorised is G, N, O, U);
 * - present / aea: attended's two parts (the measures' own counts, for a rate's numerator).
 * A code is classified by the regime in force on its date (analytics/codes.ts), as the
 * aggregate does.
 *
 * `pupil_illness(pupil_id, sessions)`: `I` marks per pupil from `$il_from` to `$il_to` (inclusive):
 * a pupil-week's I sessions from `mark_week_codes` when that week's I marks all lie inside the
 * period (its first and last I date), the marks themselves only in a week with I marks on
 * both sides of an end (so a period may start or end mid-week). Pupils without one have no row.
 * (An N mark's age is analytics/n-code-age.ts's, shared with Register checks.)
 *
 * `pupil_absent_days(pupil_id, date, authorised_day, unauthorised_day)`: the days absent
 * (both sessions absence) from `$pd_from` to `$pd_to`, with whether both sessions were
 * authorised, or both unauthorised.
 *
 * And the school-day sequence `school_day(date, term, n)`: the calendar's
 * school days from `$pd_from` to `$pd_to` numbered in order (n from 1), so that "consecutive
 * school days" is "consecutive n" — weekends, holidays and closures are not school days and
 * never break a run. Without an imported calendar, the dates with any mark stand in for
 * school days (with month-based term names), as on Register checks.
 */
import type { SqlParams } from "../db.ts";

/**
 * The CTE `pupil_days` alone (described above; bind \`$pd_from\` and \`$pd_to\`): for the
 * casework windows over the register that need no illness or school-day sequence
 * (analytics/register-windows.ts).
 */
export const PUPIL_DAYS_CTE = `
    pupil_days AS NOT MATERIALIZED (
      SELECT d.pupil_id, d.date, d.possible::INTEGER AS possible, (d.present + d.aea)::INTEGER AS attended,
             d.authorised::INTEGER AS authorised, d.unauthorised::INTEGER AS unauthorised,
             d.present::INTEGER AS present, d.aea::INTEGER AS aea
      FROM mark_days d
      WHERE d.date BETWEEN $pd_from::DATE AND $pd_to::DATE)`;

export function pupilDaysSql(period: { from: string; to: string }, illness: { from: string; to: string }): { sql: string; params: SqlParams } {
  const sql = `${PUPIL_DAYS_CTE},
    -- Illness: each pupil-week's I sessions from the weekly code counts where all of the
    -- week's I marks lie inside the period (by their first and last date), and the marks
    -- themselves, by date, only for a week with I marks on both sides of an end.
    illness_weeks AS (
      SELECT w.pupil_id, w.first_date, w.last_date, w.sessions, w.first_date >= $il_from::DATE AND w.last_date <= $il_to::DATE AS inside
      FROM mark_week_codes w
      WHERE w.code = 'I'::mark_code AND w.week BETWEEN date_trunc('week', $il_from::DATE) AND $il_to::DATE
        AND w.first_date <= $il_to::DATE AND w.last_date >= $il_from::DATE),
    illness_split_days AS (
      SELECT w.pupil_id, (w.first_date + r.i::INTEGER) AS date
      FROM illness_weeks w CROSS JOIN range(7) r(i)
      WHERE NOT w.inside AND w.first_date + r.i::INTEGER BETWEEN greatest(w.first_date, $il_from::DATE) AND least(w.last_date, $il_to::DATE)),
    pupil_illness AS (
      SELECT i.pupil_id, sum(i.sessions)::INTEGER AS sessions
      FROM (
        SELECT pupil_id, sessions FROM illness_weeks WHERE inside
        UNION ALL
        SELECT m.pupil_id, 1 FROM mark_store m JOIN illness_split_days USING (pupil_id, date) WHERE m.code = 'I'::mark_code) i
      GROUP BY i.pupil_id),
    -- Days absent: both sessions absence (authorised or unauthorised), i.e. two possible
    -- sessions, neither attended — written as plain column tests, which the scan applies.
    pupil_absent_days AS (
      SELECT d.pupil_id, d.date, d.authorised = 2 AS authorised_day, d.unauthorised = 2 AS unauthorised_day
      FROM mark_days d
      WHERE d.date BETWEEN $pd_from::DATE AND $pd_to::DATE AND d.possible = 2 AND d.present = 0 AND d.aea = 0),
    school_day AS (
      SELECT date, term, row_number() OVER (ORDER BY date) AS n
      FROM (
        SELECT date, term FROM school_days WHERE date BETWEEN $pd_from::DATE AND $pd_to::DATE
        UNION ALL
        SELECT DISTINCT date,
               (CASE WHEN month(date) >= 8 THEN 'autumn' WHEN month(date) <= 3 THEN 'spring' ELSE 'summer' END)
                 || '-' || year(date)::VARCHAR AS term
        FROM mark_days
        WHERE date BETWEEN $pd_from::DATE AND $pd_to::DATE AND NOT EXISTS (SELECT 1 FROM school_days))
    )`;
  return { sql, params: { pd_from: period.from, pd_to: period.to, il_from: illness.from, il_to: illness.to } };
}

/**
 * CTEs ending in `pupil_units(pupil_id, first_date, last_date, possible, attended, authorised,
 * unauthorised, present, aea)`: the counts of pupil_days from \`$pu_from\` to \`$pu_to\`
 * (inclusive DATE parameters) in fewer rows — a pupil's whole week from the store's weekly
 * aggregate (\`mark_weeks\`, kept with \`mark_days\` at import) where no cut falls inside the
 * week, else that week's days one by one (first_date = last_date = the day). A cut is a date
 * that starts a span a caller sums over; \`cutsRelation\` names a relation with a DATE column
 * \`cut\` (NULLs ignored) the caller defines. So a unit lies wholly inside or wholly outside
 * every span \`[cut, $pu_to]\`: summing the units with \`first_date >= cut\` gives the same as
 * summing the days on or after it, from about a fifth of the rows. Counts as pupil_days';
 * a pupil has a unit in a span exactly when they have a day with a mark in it.
 */
export function pupilUnitsSql(period: { from: string; to: string }, cutsRelation: string): { sql: string; params: SqlParams } {
  const sql = `
    pupil_unit_cuts AS (
      -- Weeks a cut falls inside (a cut on a Monday splits no week), with the period's own ends.
      SELECT DISTINCT date_trunc('week', cut)::DATE AS week
      FROM (SELECT cut FROM ${cutsRelation} UNION ALL SELECT $pu_from::DATE UNION ALL SELECT $pu_to::DATE + 1) c(cut)
      WHERE cut IS NOT NULL AND isodow(cut) <> 1),
    -- The seven dates of each such week: its days are picked by date (a hash join on a handful
    -- of dates), not by truncating every day of the period to its week (that took ~30 ms a
    -- year at 4,500 pupils, the bulk of the rules' time).
    pupil_unit_cut_days AS (SELECT c.week + i::INTEGER AS date FROM pupil_unit_cuts c CROSS JOIN range(7) r(i)),
    pupil_units AS (
      SELECT w.pupil_id, w.first_date, w.last_date, w.possible::INTEGER AS possible, (w.present + w.aea)::INTEGER AS attended,
             w.authorised::INTEGER AS authorised, w.unauthorised::INTEGER AS unauthorised,
             w.present::INTEGER AS present, w.aea::INTEGER AS aea
      FROM mark_weeks w
      WHERE w.week >= date_trunc('week', $pu_from::DATE) AND w.week <= $pu_to::DATE
        AND w.week NOT IN (SELECT week FROM pupil_unit_cuts)
      UNION ALL
      SELECT d.pupil_id, d.date, d.date, d.possible::INTEGER, (d.present + d.aea)::INTEGER, d.authorised::INTEGER,
             d.unauthorised::INTEGER, d.present::INTEGER, d.aea::INTEGER
      FROM mark_days d JOIN pupil_unit_cut_days USING (date)
      WHERE d.date BETWEEN $pu_from::DATE AND $pu_to::DATE)`;
  return { sql, params: { pu_from: period.from, pu_to: period.to } };
}
