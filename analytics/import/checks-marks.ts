/**
 * The set-based checks of a marks import, over the staging table
 * (line INTEGER, upn VARCHAR, date DATE, session VARCHAR, code VARCHAR): one query per rule,
 * each returning its earliest MAX_REPORTED_ERRORS rows and how many rows break it, so one
 * refusal names every kind of fault in the file. Nothing here writes to the register.
 *
 * Rules (DfE, Working together to improve school attendance, 2024, and the Pupil
 * Registration Regulations): one mark per pupil per session; marks only for pupils on the
 * admission register, except Z ("prospective pupil not on the admission register"), which
 * says exactly that the pupil was not on roll; marks only on school days — never at a
 * weekend, and where the school's calendar covers the academic year, never in its holidays
 * or closures; no mark for a session that has not happened yet; no `#` (planned closure) on
 * a session the school was open (closureOnOpenSessionSql).
 */
import { InputError } from "../csv.ts";
import { queryOne, queryRows, type Connection } from "../db.ts";
import { MAX_REPORTED_ERRORS } from "./limits.ts";
import { mistypedUpnWords } from "./values.ts";
import type { Problems } from "./problems.ts";

/** The CSV column (1-based) each staged value came from, so an error found in SQL names it. */
type Hit = Record<string, string | number | null> & { line: number; total: number };

async function hits(conn: Connection, sql: string, params: Record<string, string> = {}): Promise<Hit[]> {
  return queryRows<Hit>(conn, `SELECT *, count(*) OVER ()::INTEGER AS total FROM (${sql}) ORDER BY ALL LIMIT ${MAX_REPORTED_ERRORS}`, params);
}

function add(problems: Problems, rows: Hit[], make: (row: Hit) => InputError): void {
  if (rows.length > 0) problems.addCounted(rows.map(make), rows[0].total);
}

const WEEKDAYS = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/**
 * A query of the staged marks breaking a rule about the date alone (`where`, over `s`), one row
 * per place the date is given: (line, col, date, rows: how many rows have such marks there,
 * in_header: the place is not the rows' own line), plus `select`'s columns. A grid gives each
 * date once, in its session column's header, so a Saturday column is said once, at its header
 * cell, with how many rows have marks in it (trial21: it was said once per pupil row); in a
 * long file the place is each row's own date cell.
 */
function byDatePlace(stage: string, where: string, select = "", join = ""): string {
  return `SELECT s.date_line AS line, s.date_col AS col, strftime(s.date, '%Y-%m-%d') AS date,
                 count(DISTINCT s.line)::INTEGER AS rows, bool_or(s.date_line <> s.line)::INTEGER AS in_header, any_value(s.upn) AS upn,
                 string_agg(s.session, ' and ' ORDER BY s.session) AS mark_sessions,
                 any_value(isodow(s.date))::INTEGER AS mark_dow${select}
          FROM ${stage} s ${join}
          WHERE ${where}
          GROUP BY s.date_line, s.date_col, s.date`;
}

/** For a date given in a column's header: how many rows have marks in that column. */
function inColumn(r: Hit): string {
  if (!r.in_header) return "";
  const rows = Number(r.rows);
  return ` (${rows} ${rows === 1 ? "row has a mark" : "rows have marks"} in this column)`;
}

/**
 * SQL condition: `date` (a DATE expression) is a day the school's calendar has it closed — a
 * closure it records, a Saturday or Sunday, or a weekday outside every half term (a holiday) of
 * an academic year the calendar covers. A `#` (planned school closure) there agrees with the
 * calendar and gives no session: a CTF's AttendMarks runs over every calendar day from its start,
 * and an MIS writes its holidays and weekends as `#` as it writes its closures (trial 51: a CTF
 * across the October half term was refused, ten times "is in a holiday … not a school day").
 * One rule for every reader's path (dropClosureMarks) and DuckDB's (marks-sql.ts).
 */
export function closedDaySql(date: string): string {
  return `(${date} IN (SELECT date FROM closures) OR isodow(${date}) > 5
           OR (date_trunc('year', ${date} - INTERVAL 7 MONTH) IN (SELECT date_trunc('year', start_date - INTERVAL 7 MONTH) FROM calendar_periods)
               AND ${date} NOT IN (SELECT date FROM school_days)))`;
}

/**
 * Removes `#` (planned closure) marks on days the calendar has the school closed (closedDaySql):
 * they agree with it and add nothing, and the register keeps marks on school days only.
 * Returns how many were removed, for the import summary.
 */
export async function dropClosureMarks(conn: Connection, stage: string): Promise<number> {
  const row = await queryOne<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM ${stage} WHERE code = '#' AND ${closedDaySql("date")}`);
  if (row && row.n > 0) await conn.run(`DELETE FROM ${stage} WHERE code = '#' AND ${closedDaySql("date")}`);
  return row?.n ?? 0;
}

/**
 * The one rule for `#` on a school day, shared by every reader's path (checkStagedMarks) and
 * DuckDB's (marks-sql.ts): `#` is the DfE's "planned whole or partial school closure"
 * (analytics/codes.ts; School Attendance (Pupil Registration) (England) Regulations 2024), the
 * school closed to the pupil. On a day the school's calendar holds as a school day that is
 * a partial closure at most — closed to some year groups (an exam day, a phased start) — so a
 * `#` is refused where, for that session, another pupil of the same year group has a mark
 * other than `#` or Z (not on roll), in the file or already stored (and not replaced by the
 * file): the school was open to that year group, and the `#` is most often another school's
 * closure (a CTF from the previous school) or a slip for the pupil's own mark. A `#` on a
 * day the calendar holds as a closure is dropped before this (dropClosureMarks); a year the
 * calendar does not cover has no school days and is not checked.
 *
 * `staged`: a query of the marks to check, (line, upn VARCHAR, date DATE, pm BOOLEAN,
 * code VARCHAR, code_column INTEGER). Returns a query of the refused rows: (line, code_column,
 * upn, date 'YYYY-MM-DD', session, year_group, open_pupils: how many others were marked, and
 * example_upn / example_code: the first of them).
 */
export function closureOnOpenSessionSql(staged: string): string {
  return `WITH staged AS (${staged}),
     hash AS (SELECT s.* FROM staged s WHERE s.code = '#' AND s.date IN (SELECT date FROM school_days)),
     spells AS (SELECT upn, valid_from, valid_to, year_group FROM pupil_characteristics),
     hash_year AS (
       SELECT h.*, sp.year_group FROM hash h
       JOIN spells sp ON sp.upn = h.upn AND sp.valid_from <= h.date AND (sp.valid_to IS NULL OR sp.valid_to >= h.date)),
     open_marks AS (
       SELECT s.upn, s.date, s.pm, s.code FROM staged s
       WHERE s.code NOT IN ('#', 'Z') AND EXISTS (SELECT 1 FROM hash h WHERE h.date = s.date AND h.pm = s.pm)
       UNION ALL
       SELECT k.upn, m.date, m.pm, m.code::VARCHAR AS code FROM mark_store m JOIN pupil_ids k USING (pupil_id)
       WHERE m.code::VARCHAR NOT IN ('#', 'Z') AND EXISTS (SELECT 1 FROM hash h WHERE h.date = m.date AND h.pm = m.pm)
         AND NOT EXISTS (SELECT 1 FROM staged s WHERE s.upn = k.upn AND s.date = m.date AND s.pm = m.pm))
     SELECT h.line, h.code_column, h.upn, strftime(h.date, '%Y-%m-%d') AS date, CASE WHEN h.pm THEN 'PM' ELSE 'AM' END AS session,
            h.year_group, count(DISTINCT o.upn)::INTEGER AS open_pupils, min(o.upn) AS example_upn, arg_min(o.code, o.upn) AS example_code
     FROM hash_year h
     JOIN open_marks o ON o.date = h.date AND o.pm = h.pm AND o.upn <> h.upn
     JOIN spells so ON so.upn = o.upn AND so.valid_from <= o.date AND (so.valid_to IS NULL OR so.valid_to >= o.date) AND so.year_group = h.year_group
     GROUP BY ALL`;
}

/**
 * Runs every set-based rule over the staged marks, adding what breaks them to `problems`. The
 * stage holds each mark's line and its own columns (upn_col, date_col, session_col: a grid's or
 * week string's sessions are in different columns of one line), which the messages name.
 */
export async function checkStagedMarks(
  conn: Connection,
  stage: string,
  file: string,
  problems: Problems,
  today: string,
  /** UPNs a refused pupils file of the same import gives, not yet on the roll: not called unknown. */
  pending: ReadonlySet<string> = new Set(),
  /**
   * The marks were read from strings (a CTF's AttendMarks, week strings: MarksTable.placedAtCode):
   * a fault of a date names the pupil too, as the string's other faults do ("U884…: character 25
   * of AttendMarks …"), since the line of a CTF's marks does not show whose they are (trial 51).
   */
  placedAtCode = false,
): Promise<void> {
  // The pupil and the sessions of a date's place read from a string, before the message
  // (byDatePlace's `upn`, `mark_sessions`, `mark_dow`): "P820…, Tuesday 2026-10-27 AM:
  // 2026-10-27 is in a holiday …" (trial 52: a holiday's fault gave no session, and a week
  // string's column is its field's: the session says which character). A CTF's mark is a place
  // of its own; a week string's day, its two sessions, one place ("… AM and PM").
  const whose = (r: Hit) => (placedAtCode && !r.in_header ? `${r.upn}, ${WEEKDAYS[Number(r.mark_dow)]} ${r.date} ${r.mark_sessions}: ` : "");
  add(
    problems,
    await hits(
      conn,
      // Every mark after the session's first in the file's order (line, then column), not every
      // line after its first line: a CTF's two YearData of one pupil are on one line (its
      // <Attendance> is, and a CTF may be written on one line), and their overlap was stored twice.
      `SELECT line, first_line, first_col, upn, strftime(date, '%Y-%m-%d') AS date, session, session_col AS col FROM (
         SELECT line, upn, date, session, session_col,
                row_number() OVER session_order AS k,
                first_value(line) OVER session_order AS first_line,
                first_value(session_col) OVER session_order AS first_col
         FROM ${stage}
         WINDOW session_order AS (PARTITION BY upn, date, session ORDER BY line, session_col))
       WHERE k > 1`,
    ),
    (r) =>
      new InputError(
        file,
        r.line,
        Number(r.col),
        `duplicate session: ${r.upn} ${r.date} ${r.session} is already given on line ${r.first_line}${r.first_line === r.line ? `, column ${r.first_col}` : ""}`,
      ),
  );
  add(
    problems,
    await hits(
      conn,
      `SELECT s.line, s.upn_col AS col, s.upn FROM ${stage} s ANTI JOIN pupils p ON p.upn = s.upn
       WHERE NOT list_contains(from_json($pending, '["VARCHAR"]'), s.upn)`,
      { pending: JSON.stringify([...pending]) },
    ),
    (r) => new InputError(file, r.line, Number(r.col), `unknown pupil ${r.upn}: import the pupil first${mistypedUpnWords(String(r.upn))}`),
  );
  add(
    problems,
    await hits(
      conn,
      `SELECT s.line, s.date_col AS col, s.upn, s.code, strftime(s.date, '%Y-%m-%d') AS date,
              strftime(p.admission_date, '%Y-%m-%d') AS admission_date, strftime(p.leaving_date, '%Y-%m-%d') AS leaving_date
       FROM ${stage} s JOIN pupils p ON p.upn = s.upn
       WHERE (s.date < p.admission_date OR s.date > p.leaving_date) AND s.code <> 'Z'`,
    ),
    (r) =>
      new InputError(
        file,
        r.line,
        Number(r.col),
        `${r.upn} was not on roll on ${r.date} (admitted ${r.admission_date}` +
          (r.leaving_date ? `, left ${r.leaving_date})` : ")") +
          `: only Z (not on roll) may be recorded outside a pupil's time on roll, not "${r.code}"`,
      ),
  );
  add(
    problems,
    await hits(conn, byDatePlace(stage, "isodow(s.date) > 5", ", any_value(isodow(s.date))::INTEGER AS dow")),
    (r) => new InputError(file, r.line, Number(r.col), `${whose(r)}${r.date} is a ${WEEKDAYS[Number(r.dow)]}: registers are taken on school days only${inColumn(r)}`),
  );
  // Only years the calendar covers can be checked day by day; a year without one is
  // reported on the pages as "gaps and school weeks cannot be checked".
  add(
    problems,
    await hits(
      conn,
      `WITH covered AS (
         SELECT DISTINCT CASE WHEN month(start_date) >= 8 THEN year(start_date) ELSE year(start_date) - 1 END AS ay FROM calendar_periods)
       ${byDatePlace(
         stage,
         `isodow(s.date) <= 5
         AND (CASE WHEN month(s.date) >= 8 THEN year(s.date) ELSE year(s.date) - 1 END) IN (SELECT ay FROM covered)
         AND s.date NOT IN (SELECT date FROM school_days)`,
         ", any_value(c.reason) AS reason",
         "LEFT JOIN closures c ON c.date = s.date",
       )}`,
    ),
    (r) =>
      new InputError(
        file,
        r.line,
        Number(r.col),
        r.reason !== null
          ? `${whose(r)}${r.date} is a closure in the school's calendar (${r.reason}), not a school day${inColumn(r)}`
          : `${whose(r)}${r.date} is in a holiday in the school's calendar (outside every half term), not a school day${inColumn(r)}`,
      ),
  );
  // Most files hold no "#" on a school day: the rule's joins are run only for one that does.
  const hashes = await queryOne<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM ${stage} WHERE code = '#'`);
  add(
    problems,
    (hashes?.n ?? 0) === 0 ? [] : await hits(conn, closureOnOpenSessionSql(`SELECT line, upn, date, session = 'PM' AS pm, code, code_column FROM ${stage}`)),
    (r) =>
      new InputError(
        file,
        r.line,
        Number(r.code_column),
        `${r.upn} ${r.date} ${r.session}: "#" (planned school closure) on a school day in the school's calendar, but the school was open to Year ${r.year_group} that session: ` +
          `${r.open_pupils} other ${r.open_pupils === 1 ? "pupil" : "pupils"} of Year ${r.year_group} ${r.open_pupils === 1 ? "has" : "have"} a mark for it (${r.example_upn} "${r.example_code}"). ` +
          `If the school was closed that day, add the closure to the calendar first; otherwise give the pupil's own mark`,
      ),
  );
  add(
    problems,
    await hits(conn, byDatePlace(stage, "s.date > $today::DATE"), { today }),
    (r) => new InputError(file, r.line, Number(r.col), `${whose(r)}${r.date} is after today (${today}): a register cannot hold a session that has not happened${inColumn(r)}`),
  );
}

/**
 * After a calendar replaced academic years: stored marks in those years that are no longer
 * on a school day. Each is named (pupil, date, session) against the calendar file's header
 * line, since no row of the file holds the mark. Returns errors and their total.
 */
export async function storedMarksOffCalendar(
  conn: Connection,
  file: string,
  years: number[],
  rowOfDate: (iso: string) => { line: number; column: number },
): Promise<{ errors: InputError[]; total: number }> {
  if (years.length === 0) return { errors: [], total: 0 };
  const rows = await queryRows<{ upn: string; date: string; session: string; code: string; reason: string | null; total: number }>(
    conn,
    `SELECT m.upn, strftime(m.date, '%Y-%m-%d') AS date, m.session::VARCHAR AS session, m.code::VARCHAR AS code, c.reason,
            count(*) OVER ()::INTEGER AS total
     FROM marks m LEFT JOIN closures c ON c.date = m.date
     WHERE (CASE WHEN month(m.date) >= 8 THEN year(m.date) ELSE year(m.date) - 1 END) IN (SELECT unnest($years::INTEGER[]))
       AND m.date NOT IN (SELECT date FROM school_days)
     ORDER BY m.date, m.upn, m.session LIMIT ${MAX_REPORTED_ERRORS}`,
    { years: `[${years.join(",")}]` },
  );
  const errors = rows.map((r) => {
    const at = rowOfDate(r.date);
    const why = r.reason !== null ? `a closure (${r.reason})` : isWeekend(r.date) ? "a weekend" : "outside every half term";
    return new InputError(
      file,
      at.line,
      at.column,
      `this calendar makes ${r.date} ${why}, but the register holds a mark for it (${r.upn} ${r.session} "${r.code}"): correct the calendar, or amend that mark first`,
    );
  });
  return { errors, total: rows[0]?.total ?? 0 };
}

function isWeekend(iso: string): boolean {
  const day = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}
