/**
 * The register's unmarked school days, one rule for every place that says them (the pupil
 * page's months and weeks, the Pupils list and its CSV, the notice that the register stops
 * before the period does):
 *
 * - a pupil's school day is unmarked when it is a school day of the calendar (school_days),
 *   the pupil is on roll that day, it is on or before the register's last marked day (the
 *   latest day any pupil has a mark: days after it — today before its registers are taken,
 *   an export a day behind — are nobody's gap), and the pupil has fewer marks than the
 *   sessions the register holds that day (mark_days.marks): 2, but on the last marked day 1
 *   when no pupil has a PM mark that day (a register exported after the morning's: the
 *   afternoon's is not taken yet, so it is nobody's gap either), and only the sessions that
 *   are due (their register has closed: analytics/register-due.ts dueSessionSql, the rule
 *   Register checks lists by), so at 09:00 a register exported with today's first morning
 *   marks makes no pupil's today unmarked until the morning register closes;
 * - the register stops before the period does when a school day of the period before today
 *   comes after the register's last marked day (marksImportedNotice).
 *
 * Register checks (analytics/quality.ts registerGaps) lists every gap session, after the last
 * marked day too: it is the list to correct, this the count beside a figure.
 */
import { format, parseISO } from "date-fns";
import { cachedOne, cachedRows, type Connection, type Row } from "./db.ts";
import { dueParams, dueSessionSql, type DueSession } from "./register-due.ts";
import { onePupilUnmarkedDays } from "./one-pupil-coverage.ts";
import { onePupilRoll } from "./one-pupil.ts";

/**
 * A one-row table: `last_marked` (a DATE), the register's last marked day, 1900-01-01 with no
 * marks; `last_pm` (BOOLEAN), whether any pupil has a PM mark that day.
 */
export const LAST_MARKED_SQL = `(SELECT l.last_marked, coalesce((SELECT bool_or(s.pm) FROM mark_store s WHERE s.date = l.last_marked), false) AS last_pm
   FROM (SELECT coalesce(max(date), DATE '1900-01-01') AS last_marked FROM mark_days) l)`;

/**
 * LAST_MARKED_SQL's one row with its two values bound ($last_marked, $last_pm: lastMarkedParams),
 * for a query of one pupil: the register-wide reading (max over mark_days, then every mark of
 * that day) is then read once, by the cached read every page makes (lastMarkedDay), not again
 * inside each pupil's query (two of a pupil page's made afresh, issue 11).
 */
export const LAST_MARKED_BOUND_SQL = `(SELECT $last_marked::DATE AS last_marked, $last_pm::BOOLEAN AS last_pm)`;

/** The parameters of LAST_MARKED_BOUND_SQL, as LAST_MARKED_SQL reads them (1900-01-01 and false with no marks): lastMarkedDay's cached read. */
export async function lastMarkedParams(connection: Connection): Promise<{ last_marked: string; last_pm: boolean }> {
  const last = await lastMarkedDay(connection);
  return last ? { last_marked: last.date, last_pm: !last.morningOnly } : { last_marked: "1900-01-01", last_pm: false };
}

/**
 * The rule's condition on a school day the pupil is on roll: `day` (a DATE column), `marks`
 * (the pupil's mark_days.marks that day, NULL for none) and `last` (the alias of LAST_MARKED_SQL).
 * Binds $due_date and $due_pm (dueParams of the last due session).
 */
export function unmarkedDaySql(day: string, marks: string, last: string): string {
  return `(${day} <= ${last}.last_marked AND ${dueSessionSql(day, "FALSE")} AND coalesce(${marks}, 0) < ${heldSessionsSql(day, last)})`;
}

/**
 * The sessions of `day` the register holds and are due, as SQL (0, 1 or 2): both, but on the
 * last marked day only the morning when no pupil has an afternoon mark that day, and none of
 * a session whose register has not closed. Binds $due_date and $due_pm.
 */
export function heldSessionsSql(day: string, last: string): string {
  return `(CASE WHEN NOT ${dueSessionSql(day, "FALSE")} OR ${day} > ${last}.last_marked THEN 0
                WHEN (${day} < ${last}.last_marked OR ${last}.last_pm) AND ${dueSessionSql(day, "TRUE")} THEN 2 ELSE 1 END)`;
}

/**
 * A CTE `unmarked (pupil_id, unmarked_days INTEGER)`: for each pupil of the CTE `scope`
 * (pupil_id, admission_date, leaving_date), their unmarked school days between $from and $to
 * (bound by the caller: inclusive ISO dates, with dueParams) by the rule above; pupils with none have no row.
 * `last`: the register's last marked day as LAST_MARKED_SQL (default) or LAST_MARKED_BOUND_SQL (the caller binds lastMarkedParams).
 */
export function unmarkedDaysCte(scope: string, last: string = LAST_MARKED_SQL): string {
  return `unmarked AS (
       SELECT s.pupil_id, count(*)::INTEGER AS unmarked_days
       FROM (SELECT DISTINCT pupil_id, admission_date, leaving_date FROM ${scope}) s
       JOIN school_days d
         ON d.date BETWEEN greatest(s.admission_date, $from::DATE) AND least(coalesce(s.leaving_date, $to::DATE), $to::DATE)
       CROSS JOIN ${last} r
       LEFT JOIN mark_days md ON md.pupil_id = s.pupil_id AND md.date = d.date
       WHERE ${unmarkedDaySql("d.date", "md.marks", "r")}
       GROUP BY s.pupil_id)`;
}

/** How far the register falls short of a period: its last marked day and the period's school days after it, before today. */
export interface MarksImported {
  /** The register's last marked day (ISO date). */
  lastMarked: string;
  /** School days of the period after `lastMarked` and before today (1 or more). */
  schoolDaysSince: number;
  /** "Marks imported up to Fri 23 Oct 2026; the 23 school days since have none yet — import the latest register." */
  words: string;
}

/**
 * Whether the register stops before the period does: null unless some school day of the
 * period (`period`, inclusive ISO dates) before `today` comes after the register's last
 * marked day — the threshold is one such day: the last marked day is before the last school
 * day before today (today's registers may not be taken yet, so today is never counted).
 * Null too with no marks at all (the pages say that themselves) or no calendar. The period's
 * measures are unchanged: this is a notice beside them. One query.
 */
export async function marksImported(connection: Connection, period: { from: string; to: string }, today: string): Promise<MarksImported | null> {
  const row = await cachedOne<Row & { last_marked: string | null; since: number }>(
    connection,
    `SELECT CASE WHEN r.last_marked > DATE '1900-01-01' THEN strftime(r.last_marked, '%Y-%m-%d') END AS last_marked,
            (SELECT count(*) FROM school_days d
             WHERE d.date > r.last_marked AND d.date < $today::DATE AND d.date BETWEEN $from::DATE AND $to::DATE)::INTEGER AS since
     FROM ${LAST_MARKED_SQL} r`,
    { from: period.from, to: period.to, today },
  );
  if (!row?.last_marked || Number(row.since) < 1) return null;
  const since = Number(row.since);
  return {
    lastMarked: row.last_marked,
    schoolDaysSince: since,
    // A period over before today counts only its own days since (November's 21, where the
    // register is 23 school days behind today): said as the period's, not as the whole gap (trial22b).
    words: `Marks imported up to ${format(parseISO(row.last_marked), "EEE d MMM yyyy")}; ${
      period.to < today
        ? since === 1
          ? "this period's school day since has"
          : `this period's ${since.toLocaleString("en-GB")} school days since have`
        : since === 1
          ? "the school day since has"
          : `the ${since.toLocaleString("en-GB")} school days since have`
    } none yet — import the latest register.`,
  };
}

/**
 * A pack's note under its period line (the cover and the workbook's About sheet): the register
 * stopping before the period does, in marksImported's words; none when it does not.
 */
export async function marksImportedNotes(connection: Connection, period: { from: string; to: string }, today: string): Promise<string[]> {
  const behind = await marksImported(connection, period, today);
  return behind ? [behind.words] : [];
}

/**
 * Each pupil's unmarked school days over a period (inclusive ISO dates) by the rule above, by
 * UPN; pupils with none are not in the map. One query (unmarkedDaysCte over every pupil on roll
 * some day of the period), or for the one pupil `upn` their day rows and the calendar
 * (one-pupil-coverage.ts onePupilUnmarkedDays): the SLT pack's pupils tab, the
 * leave-of-absence verdict (analytics/escalation.ts). `due`: the last due session (a count of
 * whole days: dueThrough(period.to)).
 */
export async function unmarkedDaysByPupil(connection: Connection, period: { from: string; to: string }, due: DueSession, upn?: string): Promise<Map<string, number>> {
  // One pupil's (the leave-of-absence verdict on a pupil page made afresh): from their day rows
  // and the calendar's days (one-pupil-coverage.ts), cached reads the rest of their page shares,
  // with the last marked day as read once for every page; a query of its own was 10–25 ms of
  // such a page on the demo school (issue 11). Every pupil's (a pack): the one query.
  if (upn !== undefined) {
    const count = await onePupilUnmarkedDays(connection, upn, await onePupilRoll(connection, upn), period, due, await lastMarkedParams(connection));
    return new Map(count > 0 ? [[upn, count]] : []);
  }
  const params: Record<string, string | boolean> = { from: period.from, to: period.to, ...dueParams(due) };
  const rows = await cachedRows<Row & { upn: string; unmarked_days: number }>(
    connection,
    `WITH scope AS (
       SELECT k.pupil_id, p.admission_date, p.leaving_date FROM pupils p JOIN pupil_ids k USING (upn)
       WHERE p.admission_date <= $to::DATE AND (p.leaving_date IS NULL OR p.leaving_date >= $from::DATE)),
     ${unmarkedDaysCte("scope", LAST_MARKED_SQL)}
     SELECT k.upn, u.unmarked_days FROM unmarked u JOIN pupil_ids k USING (pupil_id)`,
    params,
  );
  return new Map(rows.map((row) => [String(row.upn), Number(row.unmarked_days)]));
}

/**
 * Whether the register's last marked day holds only its morning (no pupil has a PM mark that
 * day: the afternoon's register not yet taken or not yet imported), and that day (ISO); null
 * with no marks. LAST_MARKED_SQL's reading, one query.
 */
export async function lastMarkedDay(connection: Connection): Promise<{ date: string; morningOnly: boolean } | null> {
  const row = await cachedOne<Row & { last_marked: string | null; last_pm: boolean }>(
    connection,
    `SELECT CASE WHEN r.last_marked > DATE '1900-01-01' THEN strftime(r.last_marked, '%Y-%m-%d') END AS last_marked, r.last_pm FROM ${LAST_MARKED_SQL} r`,
  );
  return row?.last_marked ? { date: String(row.last_marked), morningOnly: !row.last_pm } : null;
}

/**
 * The part of `period` the register has marks for, for a like-for-like "same period last year":
 * when marksImported says the register stops inside the period (a school day after its last
 * marked day and before today), the period cut at that day; otherwise the period as it is.
 * This year's figures stop at that day anyway (there are no marks after it), so last year's
 * are read to the same point (trial22b: year to date with marks to 23 Oct compared with last
 * year to 3 Dec, "+0.3 pts, better" where both years read 96.0 % to the same point).
 * ISO dates in and out.
 */
export async function markedPartOf(connection: Connection, period: { from: string; to: string }, today: string): Promise<{ from: string; to: string }> {
  const behind = await marksImported(connection, period, today);
  if (!behind || behind.lastMarked < period.from || behind.lastMarked >= period.to) return { from: period.from, to: period.to };
  return { from: period.from, to: behind.lastMarked };
}
