/**
 * Small registers for test/governor-break*.test.ts: a calendar of half terms of 20 school
 * days (four weeks from a Monday), written as a calendar import writes it, and marks.
 */
import { addDays, format, parseISO } from "date-fns";
import type { Connection } from "../../analytics/db.ts";
import type { TestMark } from "./register.ts";

const iso = (date: Date) => format(date, "yyyy-MM-dd");

export interface Half {
  key: string;
  term: string;
  year: string;
  monday: string;
  /** School weeks in it (Monday to Friday each); 4 unless said. */
  weeks?: number;
}

/** The school days of a half term: `weeks` (4 unless said) Mondays to Fridays from its Monday. */
export function daysOfHalf(half: Half): string[] {
  const days: string[] = [];
  for (let w = 0; w < (half.weeks ?? 4); w++) for (let d = 0; d < 5; d++) days.push(iso(addDays(parseISO(half.monday), 7 * w + d)));
  return days;
}

/** A calendar as a calendar import writes it. */
export async function seedCalendar(c: Connection, halves: readonly Half[]): Promise<void> {
  for (const half of halves) {
    const days = daysOfHalf(half);
    await c.run("INSERT INTO calendar_periods VALUES ($key, $from::DATE, $to::DATE)", { key: half.key, from: days[0], to: days.at(-1)! });
    for (const date of days) await c.run("INSERT INTO school_days VALUES ($date::DATE, $year, $term, $key)", { date, year: half.year, term: half.term, key: half.key });
  }
}

/** Every pupil present at every session of `days`, except the absences given (upn → date → code). */
export function marksOf(upns: string[], days: string[], absent: Record<string, Record<string, string>> = {}): TestMark[] {
  const marks: TestMark[] = [];
  for (const upn of upns) {
    for (const date of days) {
      const code = absent[upn]?.[date];
      marks.push([upn, date, "AM", code ?? "/"], [upn, date, "PM", code ?? "\\"]);
    }
  }
  return marks;
}
