/**
 * The policies' pupil-level checks that sit on top of the measures:
 * - the national framework's penalty-notice threshold: a number of sessions of unauthorised
 *   absence (G, N, O, U) within a rolling number of school weeks, the window spanning terms;
 * - Ludlow's leave-of-absence rule: a request is refused where the pupil has any unauthorised
 *   absence, or authorised absence above 10 %, this academic year, and immediately before and
 *   during statutory assessment periods (said beside the verdict: it turns on the dates asked for).
 */
import type { Connection, Row } from "./db.ts";
import { cachedRows } from "./db.ts";
import { summarise } from "./measures.ts";
import { academicYearBounds, academicYearOf } from "./period-names.ts";
import { marksImported, unmarkedDaysByPupil } from "./unmarked-days.ts";
import { dueThrough } from "./register-due.ts";

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
     -- The UPN last: two pupils of one name with as many sessions came out in either order from
     -- one DuckDB instance to the next (3 orders in 8 on the 4,500-pupil register).
     ORDER BY unauthorised_sessions DESC, p.surname, p.forename, p.upn`,
    { pw_as_of: options.asOf, pw_weeks: options.windowWeeks, sessions: options.sessions },
  );
}

export interface LeaveOfAbsenceCheck {
  academicYear: string;
  from: string;
  to: string;
  unauthorised_sessions: number;
  authorised_pct: number | null;
  /**
   * The record's verdict: "refused" when it shows any unauthorised absence (more marks cannot
   * take that away), or authorised absence above the limit over a complete register;
   * "incomplete" when it does not refuse but the register is not complete (`unmarked_days`,
   * `marks_imported`), so the request cannot be judged yet; else "may_be_considered".
   */
  verdict: "may_be_considered" | "refused" | "incomplete";
  /** True when the policy would allow the request to be considered (verdict "may_be_considered"; the dates asked for may still rule it out: `assessment`). */
  may_be_considered: boolean;
  /** Why the request would be refused ("refused"), or what the marked days show so far ("incomplete"). */
  reasons: string[];
  /** The pupil's unmarked school days this academic year to `to` (analytics/unmarked-days.ts: on roll, up to the register's last marked day, fewer than 2 sessions marked). */
  unmarked_days: number;
  /** "Marks imported up to …; the N school days since have none yet — …" when the whole register stops before `to` (marksImported), else null. */
  marks_imported: string | null;
  /**
   * The statutory assessment the pupil's year group sits this academic year, in words, or null
   * for a year group with none. The policy also refuses leave "immediately before and during
   * statutory assessment periods" (Ludlow, Leave of absence): that turns on the dates asked
   * for, which Rollcall does not hold, so it is said beside the record's verdict, never folded
   * into it. A fresh-clone trial read "May be considered" for a Year 6 pupil with no word of the tests.
   */
  assessment: string | null;
}

/**
 * The statutory assessments of primary year groups in England (Standards and Testing Agency,
 * "Assessment and reporting arrangements", each year's; the STA sets the dates each year):
 * the reception baseline assessment in the first six weeks in Reception, the phonics screening
 * check in June of Year 1 (Year 2 for those who did not meet the standard), the multiplication
 * tables check in June of Year 4, the key stage 2 tests in May of Year 6. The key stage 1
 * tests are optional since 2023/24, so not listed.
 */
const STATUTORY_ASSESSMENTS: Record<string, string> = {
  R: "the reception baseline assessment, within the first six weeks in Reception",
  "1": "the phonics screening check, in June",
  "2": "the phonics screening check for pupils who did not meet the standard in Year 1, in June",
  "4": "the multiplication tables check, in June",
  "6": "the key stage 2 tests (SATs), in May",
};

/** The words for a year group's statutory assessment ("Year 6: the key stage 2 tests (SATs), in May"), or null. */
export function statutoryAssessmentWords(yearGroup: string | null): string | null {
  if (yearGroup === null) return null;
  const key = yearGroup.trim().toUpperCase().replace(/^(YEAR|Y)\s*/, "").replace(/^0+(?=\d)/, "");
  const words = STATUTORY_ASSESSMENTS[key];
  return words ? `${key === "R" ? "Reception" : `Year ${key}`}: ${words}` : null;
}

/**
 * Ludlow's test for a leave-of-absence request, on the pupil's own measures this academic year
 * to `asOf` (Ludlow Junior School's attendance policy, "Leave of absence": requests are not
 * granted "when a pupil's attendance record shows any unauthorised absence" or "where a pupil's
 * authorised absence record is already above 10 percent"). The policy reads the record, so a
 * register with unmarked days cannot pass it: a day without marks may hold unauthorised
 * absence, and authorised absence is a share of every session. Unauthorised absence on the
 * marked days refuses at once (more marks cannot take it away); otherwise, with any unmarked
 * school day of the pupil's (analytics/unmarked-days.ts) or the register stopping before
 * `asOf` (marksImported), the verdict is "incomplete": it cannot be judged until the register
 * is complete (a fresh-clone trial: a pupil with 24 unmarked school days read "May be
 * considered" on the marked part as if complete). `authorisedLimitPct`: percent 0–100 (10).
 */
export async function leaveOfAbsenceCheck(
  connection: Connection,
  options: {
    upn: string;
    asOf: string;
    authorisedLimitPct?: number;
    /**
     * The pupil's characteristic spells (ISO dates; analytics/pupil.ts pupilRecord), when the
     * caller has them: the year group on `asOf` is taken from them, not read again (a pupil page
     * made afresh asked for it twice, issue 11).
     */
    spells?: ReadonlyArray<{ valid_from: string; valid_to: string | null; year_group: string }>;
  },
): Promise<LeaveOfAbsenceCheck> {
  const limit = options.authorisedLimitPct ?? 10;
  const academicYear = academicYearOf(options.asOf);
  const from = academicYearBounds(academicYear).from;
  const measures = await summarise(connection, { from, to: options.asOf, filter: { upn: options.upn } });
  // The spell in force on asOf, the latest begun where two overlap (as the query orders them).
  const asOf = options.asOf;
  const spell = options.spells
    ? options.spells.filter((s) => s.valid_from <= asOf && (s.valid_to === null || s.valid_to >= asOf)).sort((a, b) => (a.valid_from < b.valid_from ? 1 : a.valid_from > b.valid_from ? -1 : 0)).slice(0, 1)
    : await cachedRows<{ year_group: string } & Row>(
        connection,
        `SELECT year_group FROM pupil_characteristics
         WHERE upn = $upn AND valid_from <= $asOf::DATE AND (valid_to IS NULL OR valid_to >= $asOf::DATE)
         ORDER BY valid_from DESC LIMIT 1`,
        { upn: options.upn, asOf },
      );
  const unmarkedDays = (await unmarkedDaysByPupil(connection, { from, to: options.asOf }, dueThrough(options.asOf), options.upn)).get(options.upn) ?? 0;
  const behind = await marksImported(connection, { from, to: options.asOf }, options.asOf);
  const incomplete = unmarkedDays > 0 || behind !== null;
  const reasons: string[] = [];
  if (measures.unauthorised_sessions > 0) {
    reasons.push(`${measures.unauthorised_sessions} ${measures.unauthorised_sessions === 1 ? "session" : "sessions"} of unauthorised absence this academic year`);
  }
  const authorisedOver = measures.authorised_pct !== null && measures.authorised_pct > limit;
  if (authorisedOver) {
    reasons.push(`authorised absence of ${measures.authorised_pct!.toFixed(1)}% is above ${limit}%${incomplete ? " on the marked days so far" : ""}`);
  }
  const verdict = measures.unauthorised_sessions > 0 ? "refused" : incomplete ? "incomplete" : authorisedOver ? "refused" : "may_be_considered";
  return {
    academicYear,
    from,
    to: options.asOf,
    unauthorised_sessions: measures.unauthorised_sessions,
    authorised_pct: measures.authorised_pct,
    verdict,
    may_be_considered: verdict === "may_be_considered",
    reasons,
    unmarked_days: unmarkedDays,
    marks_imported: behind?.words ?? null,
    assessment: statutoryAssessmentWords(spell[0]?.year_group ?? null),
  };
}
