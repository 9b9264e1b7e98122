/**
 * The casework rules (issue 12's table, a contract): which pupils on roll on the as-of date
 * each rule lists, with the rule's `value` and `since`. One definition, used by the CLI
 * (`rollcall casework`), the Casework page, the Overview's counts, the packs and the tests.
 *
 * Terms (issue 12): an absence session is a mark in the authorised or unauthorised category;
 * unauthorised is G, N, O, U. A day absent is a school day whose AM and PM marks are both
 * absence sessions. Consecutive school days follow the school's calendar (weekends,
 * holidays and closures do not break a run; a school day on which the pupil is not absent
 * for both sessions, or has no mark, does). The year to date runs from 1 August of the
 * academic year containing the as-of date to the as-of date, inclusive. Percentages are
 * 0–100, unrounded; days are sessions ÷ 2.
 *
 * The rate rules (attendance_below_96, _90, _85, persistent_absence, severe_absence) judge a
 * pupil only from PUPIL_JUDGED_MIN_SESSIONS (40) possible sessions this year, 20 school days:
 * the span rule of analytics/pa-span.ts for one pupil (judged-span.ts; a new pupil off ill one
 * of her first three days was on the persistent-absence and below-85 % lists). The rules that
 * count days, sessions or marks list a pupil from their first day.
 *
 * Cost: the whole school in one set-based query over the store's aggregates (pupil-days.ts:
 * whole weeks from `mark_weeks`, days from `mark_days` only in a week a span starts inside and
 * for the days absent; illness and N marks from `mark_week_codes`), not one query per pupil.
 * The marks themselves are read only for a pupil-week whose I or N marks lie on both sides of
 * a line (a period's end, or an N mark's age limit), and then by date.
 */
import type { Connection, Row, SqlParams } from "../db.ts";
import { cachedRows } from "../db.ts";
import { penaltyWindowSql } from "../escalation.ts";
import { nCodeAgeSql, nCodeOverdueSql } from "../n-code-age.ts";
import { academicYearBounds, academicYearOf } from "../period-names.ts";
import { PUPIL_JUDGED_MIN_SESSIONS } from "../judged-span.ts";
import { pupilDaysSql, pupilUnitsSql } from "./pupil-days.ts";
import { PERSISTENT_ABSENCE_PCT, RULE_IDS, SEVERE_ABSENCE_PCT, type RuleId, type RuleNumbers } from "./rules.ts";

/** One pupil on one rule's list: the CLI's JSON shape. */
export interface CaseworkEntry {
  upn: string;
  rule: RuleId;
  /** Percent (0–100), days, sessions or marks, as the rule defines; unrounded. */
  value: number;
  /** ISO date, or null for rules without a since-date. */
  since: string | null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Compares as the contract sorts: by code unit, not by locale. */
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function compareEntries(a: CaseworkEntry, b: CaseworkEntry): number {
  return byCodeUnit(a.upn, b.upn) || byCodeUnit(a.rule, b.rule);
}

/**
 * The rules as SQL, for callers that filter, sort and page the lists in the database
 * (lists.ts): common table expressions ending in `roll(pupil_id, upn)`, the pupils on roll
 * on the as-of date, and `listed(pupil_id, rule, value, since, possible, present, aea,
 * authorised, unauthorised)`: one row per pupil per rule that lists them, `since` an ISO
 * date string or NULL, and for the percentage rules the year-to-date session counts the
 * figure is made of (NULL for the other rules). Throws when the date is not YYYY-MM-DD, or
 * when the consecutive-days threshold is below 1 (Settings allows 1–60).
 */
export function caseworkSql(asOf: string, numbers: RuleNumbers): { sql: string; params: SqlParams } {
  if (!ISO_DATE.test(asOf) || Number.isNaN(Date.parse(asOf))) throw new Error(`the as-of date must be YYYY-MM-DD (got "${asOf}")`);
  const yearFrom = academicYearBounds(academicYearOf(asOf)).from;
  // Runs that end on the as-of date may have begun last year, and the penalty window may
  // reach back into it: the relation starts on 1 August of the previous academic year.
  const lookback = `${Number(yearFrom.slice(0, 4)) - 1}-08-01`;
  const days = pupilDaysSql({ from: lookback, to: asOf }, { from: yearFrom, to: asOf });
  const units = pupilUnitsSql({ from: lookback, to: asOf }, "span_cuts");
  if (!(numbers.consecutive_absence_days >= 1)) throw new Error(`the consecutive-days threshold must be at least 1 (got ${numbers.consecutive_absence_days})`);
  const nAges = nCodeAgeSql(asOf);
  const nOverdue = nCodeOverdueSql(numbers.n_code_limit_school_days);
  return {
    sql: `${days.sql}, ${nAges.sql}, ${nOverdue.sql},
     roll AS (
       SELECT k.pupil_id, p.upn FROM pupils p JOIN pupil_ids k USING (upn)
       WHERE p.admission_date <= $as_of::DATE AND (p.leaving_date IS NULL OR p.leaving_date >= $as_of::DATE)),
     last_day AS (SELECT max(n) AS n FROM school_day WHERE date <= $as_of::DATE),
     -- The term containing the as-of date: the latest term of this academic year begun by then.
     this_term AS (
       SELECT term, min(date) AS first_day FROM school_day
       WHERE date >= $year_from::DATE GROUP BY term HAVING min(date) <= $as_of::DATE
       ORDER BY first_day DESC LIMIT 1),
     ${penaltyWindowSql("school_day")},
     bounds AS (SELECT (SELECT first_day FROM this_term) AS term_from, (SELECT first_week FROM penalty_window) AS window_from),
     -- The dates the rules' spans start on: the year, the term, the penalty window (no earlier
     -- than the relation); every span ends on the as-of date.
     span_cuts AS (
       SELECT unnest([$year_from::DATE, b.term_from, greatest(b.window_from, $pd_from::DATE)]) AS cut FROM bounds b),
     ${units.sql},
     -- Per-pupil totals from the pupil's weeks (days only where a span starts mid-week): a
     -- pupil has a row in a span exactly when they have a unit, i.e. a day with a mark, in it.
     -- Year to date: the measures' definitions (analytics/measures.ts), from the same counts.
     ytd_totals AS (
       SELECT u.pupil_id, sum(u.possible)::INTEGER AS possible, sum(u.present)::INTEGER AS present, sum(u.aea)::INTEGER AS aea,
              sum(u.authorised)::INTEGER AS authorised, sum(u.unauthorised)::INTEGER AS unauthorised
       FROM pupil_units u WHERE u.first_date >= $year_from::DATE
       GROUP BY u.pupil_id),
     -- The term to the as-of date, and the penalty window (which may reach into last year):
     -- only the units from the earlier of their starts.
     recent_totals AS (
       SELECT u.pupil_id,
              count(*) FILTER (WHERE u.first_date >= b.term_from) AS term_units,
              sum(u.authorised + u.unauthorised) FILTER (WHERE u.first_date >= b.term_from)::INTEGER AS term_sessions,
              count(*) FILTER (WHERE u.first_date >= b.window_from) AS window_units,
              sum(u.unauthorised) FILTER (WHERE u.first_date >= b.window_from)::INTEGER AS penalty_sessions
       FROM pupil_units u CROSS JOIN bounds b
       WHERE u.first_date >= least(b.term_from, b.window_from)
       GROUP BY u.pupil_id),
     ytd AS (
       SELECT t.pupil_id, t.possible, t.present + t.aea AS attended, t.authorised + t.unauthorised AS absent,
              t.present, t.aea, t.authorised, t.unauthorised, coalesce(il.sessions, 0)::INTEGER AS illness
       FROM ytd_totals t SEMI JOIN roll USING (pupil_id) LEFT JOIN pupil_illness il USING (pupil_id)),
     -- Days absent on school days, numbered n. Only these rows take part in the runs.
     absent_days AS (
       SELECT a.pupil_id, a.date, sd.n, a.unauthorised_day, a.authorised_day
       FROM pupil_absent_days a JOIN school_day sd USING (date)),
     -- Runs of consecutive school days absent in the year to date, of two days or more (the
     -- rule's threshold is at least 1 day, so a run it lists is never a single day): a day
     -- whose previous school day was a day absent continues a run, and the run's continuing
     -- days are themselves consecutive (gaps and islands on n over these few rows, not every
     -- day absent); the run began on the school day before its first continuing day. (Within
     -- a pupil, n less the row's place in (pupil, n) order is constant along an island: one
     -- sort of the rows, not a window per pupil.)
     continued AS (
       SELECT a.pupil_id, a.n, b.date AS previous_date
       FROM absent_days a JOIN absent_days b ON b.pupil_id = a.pupil_id AND b.n = a.n - 1
       WHERE a.date >= $year_from::DATE AND b.date >= $year_from::DATE),
     absence_runs AS (
       SELECT pupil_id, min(previous_date) AS first_day, (count(*) + 1)::INTEGER AS days
       FROM (SELECT pupil_id, previous_date, n - row_number() OVER (ORDER BY pupil_id, n) AS island FROM continued)
       GROUP BY pupil_id, island),
     -- The run of days with both sessions unauthorised that ends on the last school day on or
     -- before the as-of date (only pupils unauthorised on that day have one), with whether the
     -- school day before it was a day of authorised absence in both sessions.
     ending AS (
       SELECT a.pupil_id FROM absent_days a JOIN last_day l ON a.n = l.n WHERE a.unauthorised_day),
     current_unauthorised AS (
       SELECT r.pupil_id, r.first_day, r.days, before.pupil_id IS NOT NULL AS after_authorised
       FROM (
         SELECT pupil_id, min(date) AS first_day, min(n) AS first_n, max(n) AS last_n, count(*)::INTEGER AS days
         FROM (SELECT pupil_id, date, n, n - row_number() OVER (ORDER BY pupil_id, n) AS island
               FROM absent_days SEMI JOIN ending USING (pupil_id) WHERE unauthorised_day)
         GROUP BY pupil_id, island) r
       JOIN last_day ON r.last_n = last_day.n
       LEFT JOIN absent_days before ON before.pupil_id = r.pupil_id AND before.n = r.first_n - 1 AND before.authorised_day),
     term_absence AS (SELECT pupil_id, term_sessions AS sessions FROM recent_totals SEMI JOIN roll USING (pupil_id) WHERE term_units > 0),
     penalty AS (
       SELECT t.pupil_id, t.penalty_sessions AS sessions, b.window_from AS first_week
       FROM recent_totals t SEMI JOIN roll USING (pupil_id) CROSS JOIN bounds b WHERE t.window_units > 0),
     -- Overdue N marks (their age is analytics/n-code-age.ts's, as on Register checks).
     n_aged AS (SELECT * FROM n_code_overdue SEMI JOIN roll USING (pupil_id)),
     listed AS (
     SELECT pupil_id, 'attendance_below_96' AS rule, 100 * attended::DOUBLE / possible AS value, NULL AS since, possible, present, aea, authorised, unauthorised FROM ytd
       WHERE possible >= $min_possible AND 100 * attended < $letter * possible AND 100 * attended >= $monitoring * possible
     UNION ALL
     SELECT pupil_id, 'attendance_below_90', 100 * attended::DOUBLE / possible, NULL, possible, present, aea, authorised, unauthorised FROM ytd
       WHERE possible >= $min_possible AND 100 * attended < $monitoring * possible AND 100 * attended >= $meeting * possible
     UNION ALL
     SELECT pupil_id, 'attendance_below_85', 100 * attended::DOUBLE / possible, NULL, possible, present, aea, authorised, unauthorised FROM ytd
       WHERE possible >= $min_possible AND 100 * attended < $meeting * possible
     UNION ALL
     SELECT pupil_id, 'persistent_absence', 100 * absent::DOUBLE / possible, NULL, possible, present, aea, authorised, unauthorised FROM ytd
       WHERE possible >= $min_possible AND 100 * absent >= $pa_pct * possible
     UNION ALL
     SELECT pupil_id, 'severe_absence', 100 * absent::DOUBLE / possible, NULL, possible, present, aea, authorised, unauthorised FROM ytd
       WHERE possible >= $min_possible AND 100 * absent >= $sa_pct * possible
     UNION ALL
     SELECT pupil_id, 'absent_more_than_3_days', arg_max(days, first_day), strftime(max(first_day), '%Y-%m-%d'), NULL, NULL, NULL, NULL, NULL
       FROM absence_runs SEMI JOIN roll USING (pupil_id) WHERE days > $consecutive_days GROUP BY pupil_id
     UNION ALL
     SELECT pupil_id, 'absent_more_than_10_days_in_term', sessions / 2.0, NULL, NULL, NULL, NULL, NULL, NULL FROM term_absence
       WHERE sessions > 2 * $term_days
     UNION ALL
     SELECT pupil_id, 'cme_unauthorised_20_days', days, strftime(first_day, '%Y-%m-%d'), NULL, NULL, NULL, NULL, NULL FROM current_unauthorised
       SEMI JOIN roll USING (pupil_id) WHERE days >= $cme_days
     UNION ALL
     SELECT pupil_id, 'cme_no_return_10_days', days, strftime(first_day, '%Y-%m-%d'), NULL, NULL, NULL, NULL, NULL FROM current_unauthorised
       SEMI JOIN roll USING (pupil_id) WHERE days >= $no_return_days AND after_authorised
     UNION ALL
     SELECT pupil_id, 'health_more_than_15_days', illness / 2.0, NULL, NULL, NULL, NULL, NULL, NULL FROM ytd
       WHERE illness > 2 * $health_days
     UNION ALL
     SELECT pupil_id, 'penalty_notice_threshold', sessions, strftime(first_week, '%Y-%m-%d'), NULL, NULL, NULL, NULL, NULL FROM penalty
       WHERE sessions >= $penalty_sessions
     UNION ALL
     SELECT pupil_id, 'n_code_overdue', marks, strftime(oldest, '%Y-%m-%d'), NULL, NULL, NULL, NULL, NULL FROM n_aged)`,
    params: {
      ...days.params,
      ...units.params,
      ...nAges.params,
      ...nOverdue.params,
      as_of: asOf,
      year_from: yearFrom,
      letter: numbers.letter_threshold_pct,
      monitoring: numbers.monitoring_threshold_pct,
      meeting: numbers.formal_meeting_threshold_pct,
      min_possible: PUPIL_JUDGED_MIN_SESSIONS,
      pa_pct: PERSISTENT_ABSENCE_PCT,
      sa_pct: SEVERE_ABSENCE_PCT,
      consecutive_days: numbers.consecutive_absence_days,
      term_days: numbers.term_absence_days,
      cme_days: numbers.cme_unauthorised_days,
      no_return_days: numbers.cme_no_return_days,
      health_days: numbers.health_absence_days,
      pw_as_of: asOf,
      pw_weeks: numbers.penalty_window_school_weeks,
      penalty_sessions: numbers.penalty_sessions,
    },
  };
}

/**
 * Every rule's list as of a date, sorted by upn then rule id.
 *
 * @param options.asOf the as-of date, YYYY-MM-DD; the pupils listed are those on roll that day
 *   (admitted on or before it, not left before it).
 * @param options.numbers the policy's thresholds (getPolicy), e.g. 3 days, 10 sessions.
 * @param options.rules limit to these rule ids (default: all).
 * @throws Error when the date is not YYYY-MM-DD, or the consecutive-days threshold is below 1.
 */
export async function computeCasework(
  connection: Connection,
  options: { asOf: string; numbers: RuleNumbers; rules?: readonly RuleId[] },
): Promise<CaseworkEntry[]> {
  const { sql, params } = caseworkSql(options.asOf, options.numbers);
  const rows = await cachedRows<Row & { upn: string; rule: string; value: number; since: string | null }>(
    connection,
    `WITH ${sql}
     SELECT roll.upn, listed.rule, listed.value, listed.since FROM listed JOIN roll USING (pupil_id)`,
    params,
  );
  const wanted = new Set<string>(options.rules ?? RULE_IDS);
  return rows
    .filter((row) => wanted.has(row.rule))
    .map((row) => ({ upn: row.upn, rule: row.rule as RuleId, value: Number(row.value), since: row.since === null ? null : String(row.since) }))
    .sort(compareEntries);
}
