/**
 * Hand-built school calendars for casework tests: school days written straight into the
 * store (weekdays in the given ranges, less closures), and full registers over them.
 */
import { addDays, format, parseISO } from "date-fns";
import type { Connection } from "../../analytics/db.ts";
import { academicYearOf } from "../../analytics/period-names.ts";
import type { TestMark } from "./register.ts";

const iso = (d: Date) => format(d, "yyyy-MM-dd");

/** Weekdays from `from` to `to` inclusive, less `closures`. */
export function weekdays(from: string, to: string, closures: string[] = []): string[] {
  const days: string[] = [];
  for (let d = parseISO(from); iso(d) <= to; d = addDays(d, 1)) {
    const dow = d.getDay();
    if (dow >= 1 && dow <= 5 && !closures.includes(iso(d))) days.push(iso(d));
  }
  return days;
}

/** Writes school days (one half term named `half` per range) into school_days. */
export async function seedSchoolDays(connection: Connection, ranges: Array<{ from: string; to: string; half: string; term: string }>, closures: string[] = []): Promise<string[]> {
  const all: string[] = [];
  for (const range of ranges) {
    for (const day of weekdays(range.from, range.to, closures)) {
      await connection.run("INSERT INTO school_days VALUES ($date::DATE, $year, $term, $half)", {
        date: day,
        year: academicYearOf(day),
        term: range.term,
        half: range.half,
      });
      all.push(day);
    }
  }
  return all;
}

/**
 * The autumn term of 2025 the interventions and register-window tests are worked on: Autumn 1
 * Mon 1 Sep – Fri 17 Oct (7 school weeks), half term 20–24 Oct, Autumn 2 Mon 27 Oct – Fri
 * 21 Nov (AUTUMN_2025_TODAY), no closures.
 */
export const AUTUMN_2025 = [
  { from: "2025-09-01", to: "2025-10-17", half: "autumn-1-2025", term: "autumn-2025" },
  { from: "2025-10-27", to: "2025-11-21", half: "autumn-2-2025", term: "autumn-2025" },
] as const;
export const AUTUMN_2025_TODAY = "2025-11-21";

/** AUTUMN_2025's term to its end, Fri 19 Dec (the ladder tests' autumn, its monitoring periods run past 21 Nov). */
export const AUTUMN_2025_TERM = [AUTUMN_2025[0], { ...AUTUMN_2025[1], to: "2025-12-19" }] as const;

/** Writes AUTUMN_2025's school days; returns them in order. */
export function seedAutumn2025(connection: Connection): Promise<string[]> {
  return seedSchoolDays(connection, [...AUTUMN_2025]);
}

/** Who records the interventions of the AUTUMN_2025 tests, and their "today" (recordIntervention's actor). */
export const AUTUMN_2025_LEAD = { by: "Ms Lead", role: "attendance_lead", today: AUTUMN_2025_TODAY };

/**
 * Marks for one pupil on every given school day: `/` both sessions unless `codes` names the
 * day, as [AM, PM] (null for no mark).
 */
export function registerOf(upn: string, days: string[], codes: Record<string, [string | null, string | null]> = {}): TestMark[] {
  const marks: TestMark[] = [];
  for (const day of days) {
    const [am, pm] = codes[day] ?? ["/", "/"];
    if (am) marks.push([upn, day, "AM", am]);
    if (pm) marks.push([upn, day, "PM", pm]);
  }
  return marks;
}

/** Both sessions of each listed day as `code`. */
export function absentDays(days: string[], code = "I"): Record<string, [string, string]> {
  return Object.fromEntries(days.map((d) => [d, [code, code] as [string, string]]));
}
