/**
 * Register integrity: the gaps and overdue N codes the policies ask the school to chase.
 */
import type { Connection, Row } from "./db.ts";
import { queryRows } from "./db.ts";

export interface RegisterGap {
  date: string;
  session: "AM" | "PM";
  upn: string;
  forename: string;
  surname: string;
  reg_group: string;
}

/**
 * School days (from the imported calendar) on which a pupil on roll has no mark for a
 * session. Reported as a data-quality problem; measures never treat a gap as present or absent.
 */
export async function registerGaps(connection: Connection, period: { from: string; to: string }): Promise<RegisterGap[]> {
  return queryRows<RegisterGap & Row>(
    connection,
    `WITH on_roll AS (
       SELECT sd.date, p.upn, p.forename, p.surname
       FROM school_days sd
       JOIN pupils p ON p.admission_date <= sd.date AND (p.leaving_date IS NULL OR p.leaving_date >= sd.date)
       WHERE sd.date BETWEEN $from::DATE AND $to::DATE),
     expected AS (
       SELECT o.*, k.pupil_id, s.session, s.session = 'PM' AS pm
       FROM on_roll o LEFT JOIN pupil_ids k USING (upn) CROSS JOIN (VALUES ('AM'), ('PM')) s(session))
     SELECT strftime(e.date, '%Y-%m-%d') AS date, e.session, e.upn, e.forename, e.surname,
            coalesce((SELECT ch.reg_group FROM pupil_characteristics ch
                      WHERE ch.upn = e.upn AND ch.valid_from <= e.date AND (ch.valid_to IS NULL OR ch.valid_to >= e.date)
                      LIMIT 1), '') AS reg_group
     FROM expected e
     LEFT JOIN mark_store m ON m.pupil_id = e.pupil_id AND m.date = e.date AND m.pm = e.pm
     WHERE m.pupil_id IS NULL
     ORDER BY e.date, e.session, e.surname, e.forename`,
    { from: period.from, to: period.to },
  );
}

export interface OverdueNCode {
  upn: string;
  forename: string;
  surname: string;
  date: string;
  session: "AM" | "PM";
  /** School days since the session, not counting the session's own day. */
  school_days_open: number;
}

/**
 * N codes (no reason yet) still unresolved more than `limitSchoolDays` school days after
 * the session, as of `asOf`. Counting uses the school's calendar; where no calendar is
 * loaded, weekdays are counted instead.
 */
export async function overdueNCodes(
  connection: Connection,
  options: { asOf: string; limitSchoolDays: number },
): Promise<OverdueNCode[]> {
  return queryRows<OverdueNCode & Row>(
    connection,
    `WITH days AS (
       SELECT date FROM school_days
       UNION
       SELECT d::DATE FROM range((SELECT min(date) FROM mark_store WHERE code = 'N'), $as_of::DATE + 1, INTERVAL 1 DAY) t(d)
       WHERE NOT EXISTS (SELECT 1 FROM school_days) AND isodow(d) <= 5),
     n_marks AS (
       SELECT k.upn, m.date, CASE WHEN m.pm THEN 'PM' ELSE 'AM' END AS session
       FROM mark_store m JOIN pupil_ids k USING (pupil_id) WHERE m.code = 'N' AND m.date <= $as_of::DATE),
     aged AS (
       SELECT n.*, (SELECT count(*) FROM days d WHERE d.date > n.date AND d.date <= $as_of::DATE)::INTEGER AS school_days_open
       FROM n_marks n)
     SELECT a.upn, p.forename, p.surname, strftime(a.date, '%Y-%m-%d') AS date, a.session::VARCHAR AS session, a.school_days_open
     FROM aged a JOIN pupils p USING (upn)
     WHERE a.school_days_open > $limit
     ORDER BY a.date, p.surname, p.forename, a.session`,
    { as_of: options.asOf, limit: options.limitSchoolDays },
  );
}

/** All N codes still awaiting a reason up to a date, with their age in school days. */
export async function pendingNCodes(connection: Connection, asOf: string): Promise<OverdueNCode[]> {
  return overdueNCodes(connection, { asOf, limitSchoolDays: -1 });
}
