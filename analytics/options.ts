/**
 * What the store holds that a page offers as choices: the year groups, classes, academic
 * years and ethnicity codes for the filter picker, and the school's planned closures for
 * the calendar views. Lists only: no measures are computed here.
 */
import type { Connection, Row } from "./db.ts";
import { cachedRows } from "./db.ts";
import { academicYearsWithMarks } from "./periods.ts";

export interface FilterOptions {
  /** NC year groups in numeric order ("3", "4", …), non-numeric ones last. */
  yearGroups: string[];
  /** Registration groups (classes), alphabetical. */
  regGroups: string[];
  /** Academic years with any marks, newest first. */
  academicYears: string[];
  /** Ethnicity codes present among pupils, alphabetical. */
  ethnicities: string[];
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
  };
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
