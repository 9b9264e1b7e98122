/**
 * Register integrity: the gaps and overdue N codes the policies ask the school to chase.
 */
import type { Connection, Row } from "./db.ts";
import { cachedRows } from "./db.ts";
import { nCodeAgeSql } from "./n-code-age.ts";

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
  return cachedRows<RegisterGap & Row>(
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
 * the session, as of `asOf`. The age is analytics/n-code-age.ts's (the casework rule
 * `n_code_overdue` uses the same): school days after the mark's date up to and including
 * `asOf`, by the school's calendar, or Monday to Friday where no calendar is loaded.
 */
export async function overdueNCodes(
  connection: Connection,
  options: { asOf: string; limitSchoolDays: number },
): Promise<OverdueNCode[]> {
  const ages = nCodeAgeSql(options.asOf);
  return cachedRows<OverdueNCode & Row>(
    connection,
    `WITH ${ages.sql}
     SELECT k.upn, p.forename, p.surname, strftime(a.date, '%Y-%m-%d') AS date, CASE WHEN a.pm THEN 'PM' ELSE 'AM' END AS session, a.school_days_open
     FROM n_code_ages a JOIN pupil_ids k USING (pupil_id) JOIN pupils p ON p.upn = k.upn
     WHERE a.school_days_open > $limit
     ORDER BY a.date, p.surname, p.forename, a.pm`,
    { ...ages.params, limit: options.limitSchoolDays },
  );
}

/** All N codes still awaiting a reason up to a date, with their age in school days. */
export async function pendingNCodes(connection: Connection, asOf: string): Promise<OverdueNCode[]> {
  return overdueNCodes(connection, { asOf, limitSchoolDays: -1 });
}
