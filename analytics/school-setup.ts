/**
 * How far a school has got with its first import, and which checks its calendar allows.
 * The dashboard's empty state and the Import page read this: calendar first (school days
 * exist only from it), then pupils (marks are checked against the roll), then marks.
 */
import { cachedOne, queryOne, type Connection } from "./db.ts";

export interface SchoolSetup {
  /** Half terms stored (any academic year). */
  halfTerms: number;
  pupils: number;
  marks: number;
  /** The next file to import, or null when all three are in. */
  nextStep: "calendar" | "pupils" | "marks" | null;
}

export async function schoolSetup(conn: Connection): Promise<SchoolSetup> {
  const row = await cachedOne<{ half_terms: number; pupils: number; marks: number }>(
    conn,
    `SELECT (SELECT count(*) FROM calendar_periods)::INTEGER AS half_terms,
            (SELECT count(*) FROM pupils)::INTEGER AS pupils,
            (SELECT count(*) FROM (SELECT 1 FROM marks LIMIT 1))::INTEGER AS marks`,
  );
  const halfTerms = row?.half_terms ?? 0;
  const pupils = row?.pupils ?? 0;
  const marks = row?.marks ?? 0;
  const nextStep = halfTerms === 0 ? "calendar" : pupils === 0 ? "pupils" : marks === 0 ? "marks" : null;
  return { halfTerms, pupils, marks, nextStep };
}

export interface CalendarCoverage {
  /** School days the calendar gives inside the period. */
  schoolDays: number;
  /**
   * Whether every academic year the period touches has half terms in the calendar. When
   * false, register gaps and school weeks (the penalty-notice window) cannot be checked for
   * the uncovered part, and pages must say so rather than report "0 gaps".
   */
  covered: boolean;
  /** Academic years of the period (as 2025/26) with no calendar. */
  missingYears: string[];
}

/** Academic year start (1 August) of an ISO date. */
const ayStart = (iso: string) => (Number(iso.slice(5, 7)) >= 8 ? Number(iso.slice(0, 4)) : Number(iso.slice(0, 4)) - 1);

export async function calendarCoverage(conn: Connection, period: { from: string; to: string }): Promise<CalendarCoverage> {
  const days = await queryOne<{ n: number }>(
    conn,
    "SELECT count(*)::INTEGER AS n FROM school_days WHERE date BETWEEN $from::DATE AND $to::DATE",
    { from: period.from, to: period.to },
  );
  const years = await queryOne<{ years: string }>(
    conn,
    `SELECT coalesce(string_agg(DISTINCT (CASE WHEN month(start_date) >= 8 THEN year(start_date) ELSE year(start_date) - 1 END)::VARCHAR, ','), '') AS years
     FROM calendar_periods`,
  );
  const have = new Set((years?.years ?? "").split(",").filter(Boolean).map(Number));
  const missingYears: string[] = [];
  for (let y = ayStart(period.from); y <= ayStart(period.to); y++) {
    if (!have.has(y)) missingYears.push(`${y}/${String((y + 1) % 100).padStart(2, "0")}`);
  }
  return { schoolDays: days?.n ?? 0, covered: missingYears.length === 0, missingYears };
}
