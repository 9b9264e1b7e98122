/**
 * Register integrity: the gaps and overdue N codes the policies ask the school to chase.
 */
import type { Connection, Row } from "./db.ts";
import { cachedRows } from "./db.ts";
import { PAGE_SIZE, pageCount, type Page, type Paging, type SortDirection } from "./list-paging.ts";
import { N_CODE_SORT_COLUMNS, type NCodeSort } from "./n-code-columns.ts";
import { nCodeAgeSql } from "./n-code-age.ts";
import { dueSessionSql, type DueSession } from "./register-due.ts";

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
 * session that is due by `due` (analytics/register-due.ts lastDueSession: a session whose
 * register has closed — at 00:00 today's are not due, so they are nobody's gap), sorted by
 * date, session, surname, forename. Reported as a data-quality problem; measures never treat
 * a gap as present or absent.
 *
 * Cost: a register without gaps is the common case, so each pupil is first checked whole
 * from the store's day aggregate — the school days on which both sessions are marked
 * (`mark_days.marks` = 2, a session having at most one mark) against the school days they
 * were on roll in the period (from a numbering of the calendar's days, not one row per
 * pupil per day) — and only pupils with fewer are expanded to their expected sessions and
 * matched against the marks.
 */
export async function registerGaps(connection: Connection, period: { from: string; to: string }, due: DueSession): Promise<RegisterGap[]> {
  // Days after the last due session's are cut here; that day's PM, when not due, below.
  const to = period.to < due.date ? period.to : due.date;
  if (to < period.from) return [];
  return cachedRows<RegisterGap & Row>(
    connection,
    `WITH period_days AS (
       SELECT date, row_number() OVER (ORDER BY date) AS n FROM school_days WHERE date BETWEEN $from::DATE AND $to::DATE),
     -- Each pupil on roll on some day of the period, with the first and last such day.
     roll AS (
       SELECT p.upn, k.pupil_id, greatest(p.admission_date, $from::DATE) AS on_from,
              least(coalesce(p.leaving_date, $to::DATE), $to::DATE) AS on_to
       FROM pupils p LEFT JOIN pupil_ids k USING (upn)
       WHERE p.admission_date <= $to::DATE AND (p.leaving_date IS NULL OR p.leaving_date >= $from::DATE)),
     -- School days on roll: the days numbered up to the last day on roll, less those before the first.
     expected_days AS (
       SELECT r.upn, r.pupil_id, r.on_from, r.on_to, coalesce(last.n, 0) - coalesce(before.n, 0) AS days
       FROM roll r
       ASOF LEFT JOIN period_days last ON r.on_to >= last.date
       ASOF LEFT JOIN period_days before ON r.on_from > before.date),
     marked_days AS (
       SELECT d.pupil_id, count(*) AS days
       FROM mark_days d
       JOIN roll r ON r.pupil_id = d.pupil_id
       SEMI JOIN period_days USING (date)
       WHERE d.date BETWEEN $from::DATE AND $to::DATE AND d.date BETWEEN r.on_from AND r.on_to AND d.marks = 2
       GROUP BY d.pupil_id),
     with_gaps AS (
       SELECT e.upn FROM expected_days e LEFT JOIN marked_days m USING (pupil_id)
       WHERE coalesce(m.days, 0) < e.days),
     on_roll AS (
       SELECT sd.date, p.upn, p.forename, p.surname
       FROM school_days sd
       JOIN pupils p ON p.admission_date <= sd.date AND (p.leaving_date IS NULL OR p.leaving_date >= sd.date)
       WHERE sd.date BETWEEN $from::DATE AND $to::DATE AND p.upn IN (SELECT upn FROM with_gaps)),
     expected AS (
       SELECT o.*, k.pupil_id, s.session, s.session = 'PM' AS pm
       FROM on_roll o LEFT JOIN pupil_ids k USING (upn) CROSS JOIN (VALUES ('AM'), ('PM')) s(session))
     SELECT strftime(e.date, '%Y-%m-%d') AS date, e.session, e.upn, e.forename, e.surname,
            coalesce((SELECT ch.reg_group FROM pupil_characteristics ch
                      WHERE ch.upn = e.upn AND ch.valid_from <= e.date AND (ch.valid_to IS NULL OR ch.valid_to >= e.date)
                      LIMIT 1), '') AS reg_group
     FROM expected e
     LEFT JOIN mark_store m ON m.pupil_id = e.pupil_id AND m.date = e.date AND m.pm = e.pm
     WHERE m.pupil_id IS NULL AND ${dueSessionSql("e.date", "e.pm")}
     -- The UPN last: two pupils of one name missing the same session are otherwise a tie.
     ORDER BY e.date, e.session, e.surname, e.forename, e.upn`,
    { from: period.from, to, due_date: due.date, due_pm: due.pm },
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
     -- The UPN last (as nCodePage's ties): two pupils of one name with an N the same session tie.
     ORDER BY a.date, p.surname, p.forename, a.pm, k.upn`,
    { ...ages.params, limit: options.limitSchoolDays },
  );
}

/** All N codes still awaiting a reason up to a date, with their age in school days. */
export async function pendingNCodes(connection: Connection, asOf: string): Promise<OverdueNCode[]> {
  return overdueNCodes(connection, { asOf, limitSchoolDays: -1 });
}

export { N_CODE_SORT_COLUMNS, type NCodeSort } from "./n-code-columns.ts";

/** The SQL of each sort column (the allow-list: a name from a URL is looked up here, never interpolated). */
const N_CODE_SORT_SQL: Record<NCodeSort, string> = {
  date: "a.date %DIR%",
  name: "p.surname %DIR%, p.forename %DIR%",
  school_days_open: "a.school_days_open %DIR%",
};

export interface NCodePage extends Page<OverdueNCode> {
  /** N codes of the same kind dated before the period (listed only with a longer period). */
  outside: number;
  sort: NCodeSort;
  dir: SortDirection;
}

/**
 * One page of the N codes awaiting a reason (`minAge` -1) or past the school's limit
 * (`minAge` = the limit) as of `asOf` whose sessions fall in the period, sorted in SQL; `total` counts the whole list, `outside` those
 * dated before the period (ties: date, surname, forename, session, UPN, so by date it is
 * `overdueNCodes`' order). The same ages as `overdueNCodes` (analytics/n-code-age.ts).
 * Throws on an unknown sort column or direction, or a page size below 1.
 */
export async function nCodePage(
  connection: Connection,
  options: { asOf: string; minAge: number; period: { from: string; to: string }; paging?: Partial<Paging<NCodeSort>>; pageSize?: number },
): Promise<NCodePage> {
  const sort = options.paging?.sort ?? "date";
  if (!Object.prototype.hasOwnProperty.call(N_CODE_SORT_SQL, sort)) throw new Error(`unknown sort column "${String(sort)}"`);
  const dir = options.paging?.dir ?? N_CODE_SORT_COLUMNS[sort].defaultDir;
  if (dir !== "asc" && dir !== "desc") throw new Error(`unknown sort direction "${String(dir)}"`);
  const pageSize = options.pageSize ?? PAGE_SIZE;
  if (!(Number.isInteger(pageSize) && pageSize >= 1)) throw new Error(`the page size must be a whole number from 1 (got ${pageSize})`);
  const page = Math.max(1, Math.floor(options.paging?.page ?? 1));
  const ages = nCodeAgeSql(options.asOf);
  const shownPage = `least($page::BIGINT, greatest(1, ceil(list_total / $page_size::DOUBLE))::BIGINT)`;
  const rows = await cachedRows<OverdueNCode & Row & { list_total: number; outside_total: number }>(
    connection,
    `WITH ${ages.sql},
     aged AS (
       SELECT a.*, a.date BETWEEN $from::DATE AND $to::DATE AS in_period
       FROM n_code_ages a WHERE a.school_days_open > $min_age),
     outside AS (SELECT count(*) FILTER (WHERE NOT in_period) AS n FROM aged),
     listed AS (
       SELECT k.upn, p.forename, p.surname, strftime(a.date, '%Y-%m-%d') AS date, CASE WHEN a.pm THEN 'PM' ELSE 'AM' END AS session,
              a.school_days_open,
              row_number() OVER (ORDER BY ${N_CODE_SORT_SQL[sort].replaceAll("%DIR%", dir === "desc" ? "DESC" : "ASC")}, a.date, p.surname, p.forename, a.pm, k.upn) AS rn,
              count(*) OVER () AS list_total
       FROM aged a JOIN pupil_ids k USING (pupil_id) JOIN pupils p ON p.upn = k.upn
       WHERE a.in_period)
     SELECT listed.*, outside.n AS outside_total FROM outside LEFT JOIN listed
       ON listed.rn > (${shownPage} - 1) * $page_size::BIGINT AND listed.rn <= ${shownPage} * $page_size::BIGINT
     ORDER BY listed.rn`,
    { ...ages.params, min_age: options.minAge, from: options.period.from, to: options.period.to, page, page_size: pageSize },
  );
  const shown = rows.filter((row) => row.upn !== null);
  const total = shown.length ? Number(shown[0].list_total) : 0;
  const pages = pageCount(total, pageSize);
  return {
    rows: shown.map((row) => ({
      upn: String(row.upn),
      forename: String(row.forename),
      surname: String(row.surname),
      date: String(row.date),
      session: row.session as "AM" | "PM",
      school_days_open: Number(row.school_days_open),
    })),
    total,
    page: Math.min(page, pages),
    pages,
    pageSize,
    outside: Number(rows[0]?.outside_total ?? 0),
    sort,
    dir,
  };
}
