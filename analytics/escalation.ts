/**
 * The policies' pupil-level checks that sit on top of the measures:
 * - the national framework's penalty-notice threshold: a number of sessions of unauthorised
 *   absence (G, N, O, U) within a rolling number of school weeks, the window spanning terms;
 * - Ludlow's leave-of-absence rule: a request is refused where the pupil has any unauthorised
 *   absence, or authorised absence above 10 %, this academic year.
 */
import type { Connection, Row } from "./db.ts";
import { cachedRows } from "./db.ts";
import { summarise } from "./measures.ts";
import { academicYearBounds, academicYearOf } from "./period-names.ts";

export interface PenaltyCandidate {
  upn: string;
  forename: string;
  surname: string;
  unauthorised_sessions: number;
  window_from: string;
  window_to: string;
}

/**
 * The penalty-notice window, shared by Register checks (below) and casework
 * (analytics/casework/compute.ts): CTEs `penalty_weeks(week)` and `penalty_window(first_week)`,
 * the Monday of the first of the latest `$pw_weeks` school weeks up to `$pw_as_of`. A school
 * week is a Monday-to-Sunday week with at least one school day, so holidays do not count and
 * the window may span terms. `daysRelation` names a relation with a `date` column of school
 * days the caller has defined (an internal name, never input).
 */
export function penaltyWindowSql(daysRelation: "days" | "school_day"): string {
  return `penalty_weeks AS (
       SELECT DISTINCT date_trunc('week', date)::DATE AS week FROM ${daysRelation}
       WHERE date <= $pw_as_of::DATE ORDER BY week DESC LIMIT $pw_weeks),
     penalty_window AS (SELECT min(week) AS first_week FROM penalty_weeks)`;
}

/**
 * Pupils at or over the threshold in the window of the latest `windowWeeks` school weeks
 * up to `asOf` (penaltyWindowSql). School days come from the calendar or, without one,
 * the dates with any mark. Counted from the store's day aggregate (`mark_days`: its
 * unauthorised sessions are G, N, O and U under both regulations), as the casework rule
 * penalty_notice_threshold and the ladder's penalty check count them, not from the marks.
 */
export async function penaltyNoticeCandidates(
  connection: Connection,
  options: { asOf: string; sessions: number; windowWeeks: number },
): Promise<PenaltyCandidate[]> {
  return cachedRows<PenaltyCandidate & Row>(
    connection,
    `WITH days AS (
       SELECT date FROM school_days WHERE date <= $pw_as_of::DATE
       UNION
       SELECT DISTINCT date FROM mark_days WHERE date <= $pw_as_of::DATE AND NOT EXISTS (SELECT 1 FROM school_days)),
     ${penaltyWindowSql("days")}
     SELECT p.upn, p.forename, p.surname, sum(m.unauthorised)::INTEGER AS unauthorised_sessions,
            strftime(any_value(win.first_week), '%Y-%m-%d') AS window_from, $pw_as_of AS window_to
     FROM mark_days m
     JOIN pupil_ids k USING (pupil_id)
     JOIN pupils p ON p.upn = k.upn
     CROSS JOIN penalty_window win
     WHERE m.unauthorised > 0 AND m.date >= win.first_week AND m.date <= $pw_as_of::DATE
     GROUP BY p.upn, p.forename, p.surname
     HAVING sum(m.unauthorised) >= $sessions
     ORDER BY unauthorised_sessions DESC, p.surname, p.forename`,
    { pw_as_of: options.asOf, pw_weeks: options.windowWeeks, sessions: options.sessions },
  );
}

export interface LeaveOfAbsenceCheck {
  academicYear: string;
  from: string;
  to: string;
  unauthorised_sessions: number;
  authorised_pct: number | null;
  /** True when the policy would allow the request to be considered. */
  may_be_considered: boolean;
  reasons: string[];
}

/** Ludlow's test for a leave-of-absence request, on the pupil's own measures this year. */
export async function leaveOfAbsenceCheck(
  connection: Connection,
  options: { upn: string; asOf: string; authorisedLimitPct?: number },
): Promise<LeaveOfAbsenceCheck> {
  const limit = options.authorisedLimitPct ?? 10;
  const academicYear = academicYearOf(options.asOf);
  const from = academicYearBounds(academicYear).from;
  const measures = await summarise(connection, { from, to: options.asOf, filter: { upn: options.upn } });
  const reasons: string[] = [];
  if (measures.unauthorised_sessions > 0) {
    reasons.push(`${measures.unauthorised_sessions} ${measures.unauthorised_sessions === 1 ? "session" : "sessions"} of unauthorised absence this academic year`);
  }
  if (measures.authorised_pct !== null && measures.authorised_pct > limit) {
    reasons.push(`authorised absence of ${measures.authorised_pct.toFixed(1)}% is above ${limit}%`);
  }
  return {
    academicYear,
    from,
    to: options.asOf,
    unauthorised_sessions: measures.unauthorised_sessions,
    authorised_pct: measures.authorised_pct,
    may_be_considered: reasons.length === 0,
    reasons,
  };
}
