/**
 * What the store holds that a page offers as choices: the year groups, classes, academic
 * years and ethnicity codes for the filter picker, and the school's planned closures for
 * the calendar views. Lists only: no measures are computed here.
 */
import type { Connection, Row } from "./db.ts";
import { cachedRows } from "./db.ts";
import { academicYearsWithMarks } from "./periods.ts";
import { CODED_FILTER_KEYS, type CodedFilterKey } from "./characteristic-words.ts";
import { recordedValues } from "./measures.ts";
import { sliceDaysCondition } from "./slice-days.ts";

export interface FilterOptions {
  /** NC year groups in numeric order ("3", "4", …), non-numeric ones last. */
  yearGroups: string[];
  /** Registration groups (classes), alphabetical. */
  regGroups: string[];
  /** Academic years with any marks, newest first. */
  academicYears: string[];
  /** Ethnicity codes present among pupils, alphabetical. */
  ethnicities: string[];
  /**
   * The coded characteristics' values stored for any pupil (measures.ts recordedValues, as the
   * CLI's --filter reads them), so the web says `fsm=Y` in a school with no FSM pupil as the
   * CLI refuses it (app/lib/filters.ts unknownFilterWords).
   */
  coded: Record<CodedFilterKey, string[]>;
}

/** The choices of the filter picker, from every pupil ever recorded (leavers included). */
export async function filterOptions(connection: Connection): Promise<FilterOptions> {
  const yearGroups = await cachedRows<{ value: string }>(
    connection,
    `SELECT DISTINCT year_group AS value FROM pupil_characteristics
     ORDER BY try_cast(year_group AS INTEGER) NULLS LAST, year_group`,
  );
  const regGroups = await cachedRows<{ value: string }>(
    connection,
    `SELECT DISTINCT reg_group AS value FROM pupil_characteristics ORDER BY reg_group`,
  );
  const ethnicities = await cachedRows<{ value: string }>(
    connection,
    `SELECT DISTINCT ethnicity AS value FROM pupils ORDER BY ethnicity`,
  );
  return {
    yearGroups: yearGroups.map((row) => row.value),
    regGroups: regGroups.map((row) => row.value),
    academicYears: await academicYearsWithMarks(connection),
    ethnicities: ethnicities.map((row) => row.value),
    coded: Object.fromEntries(await Promise.all(CODED_FILTER_KEYS.map(async (key) => [key, await recordedValues(connection, key)] as const))) as Record<CodedFilterKey, string[]>,
  };
}

/**
 * The year groups and classes pupils on roll in `period` (ISO dates, inclusive) are counted in:
 * each pupil in the group of their characteristics at the period's end, or on their last day if
 * they left before (as the staff pages' figures place them, analytics/measures.ts), and at the
 * last school day of each half term of the period they were on roll in (as governors' figures
 * count each half term's sessions). Stored spellings, unordered. So the picker offers no class
 * that no pupil of the period is in: trial 24's "Not assigned" in 2026/27, which only pupils of
 * an earlier year had been in, gave "No pupils were on roll…".
 */
export async function groupsInPeriod(connection: Connection, period: { from: string; to: string }): Promise<{ yearGroups: Set<string>; regGroups: Set<string> }> {
  const rows = await cachedRows<{ year_group: string; reg_group: string } & Row>(
    connection,
    `WITH spans AS (
       SELECT $from::DATE AS span_from, $to::DATE AS span_to
       UNION
       SELECT min(date), max(date) FROM school_days WHERE date BETWEEN $from::DATE AND $to::DATE GROUP BY half_term),
     members AS (
       SELECT p.upn, least(s.span_to, coalesce(p.leaving_date, s.span_to)) AS at
       FROM spans s JOIN pupils p ON p.admission_date <= s.span_to AND (p.leaving_date IS NULL OR p.leaving_date >= s.span_from))
     SELECT DISTINCT ch.year_group, ch.reg_group
     FROM members m JOIN pupil_characteristics ch
       ON ch.upn = m.upn AND ch.valid_from <= m.at AND (ch.valid_to IS NULL OR ch.valid_to >= m.at)`,
    { from: period.from, to: period.to },
  );
  return { yearGroups: new Set(rows.map((r) => r.year_group)), regGroups: new Set(rows.map((r) => r.reg_group)) };
}

export interface Closure {
  date: string;
  reason: string;
}

/** Planned closures (INSET days, bank holidays in term) between two dates inclusive, by date. */
export async function closuresBetween(connection: Connection, period: { from: string; to: string }): Promise<Closure[]> {
  return cachedRows<Closure & Row>(
    connection,
    `SELECT strftime(date, '%Y-%m-%d') AS date, reason FROM closures
     WHERE date BETWEEN $from::DATE AND $to::DATE ORDER BY date`,
    { from: period.from, to: period.to },
  );
}

/** School days (from the imported calendar) between two dates inclusive, by date. */
export async function schoolDaysBetween(connection: Connection, period: { from: string; to: string }): Promise<string[]> {
  const rows = await cachedRows<{ date: string }>(
    connection,
    `SELECT strftime(date, '%Y-%m-%d') AS date FROM school_days
     WHERE date BETWEEN $from::DATE AND $to::DATE ORDER BY date`,
    { from: period.from, to: period.to },
  );
  return rows.map((row) => row.date);
}

/**
 * School days of a session slice (`by`: date, week, month, half_term, term or academic_year;
 * `value` as app/lib/filters.ts readDrillParam reads it) between `from` and `to` (ISO): 0 when
 * the slice is outside the school's calendar or the period (a drill-down to 2027/28, to a
 * holiday, to a month of another year), so the page can say why its list is empty. Null for a
 * slice every period has (weekday, session). Throws on a bad date.
 */
export async function sliceSchoolDays(connection: Connection, by: string, value: string, from: string, to: string): Promise<number | null> {
  const condition = sliceDaysCondition(by, "value");
  if (!condition) return null;
  const rows = await cachedRows<Row & { n: number }>(
    connection,
    `SELECT count(*)::INTEGER AS n FROM school_days WHERE ${condition} AND date BETWEEN $from::DATE AND $to::DATE`,
    { value, from, to },
  );
  return Number(rows[0]?.n ?? 0);
}
