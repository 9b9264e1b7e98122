/**
 * A register of three half terms that have ended and one begun, for the governors' periods
 * (analytics/governor-periods.ts) and the rule that a cell withheld in a half term is withheld
 * in every period containing it (analytics/governor-lattice.ts). Min 5; every pupil a girl
 * with the same characteristics, so the cells are the units: the school, Years 3 and 4,
 * classes 3A, 3C, 3D and 4A.
 *
 * Half terms (20 school days each, Monday to Friday):
 * - autumn-1-2024: 2 – 27 September 2024;
 * - autumn-2-2024: 7 October – 1 November 2024;
 * - spring-1-2025: 6 – 31 January 2025;
 * - spring-2-2025: 10 February – 7 March 2025, begun on "today", 10 February 2025 (its first
 *   day marked), so not ended.
 * Pupils:
 * - 3A: 10 pupils all along; A0 off ill (I) on the first Monday of each half term.
 * - 3C: 4 pupils, and C4 from 7 October (the first day of Autumn 2): 4 pupils in Autumn 1,
 *   5 from Autumn 2. C0 off ill on 10 September.
 * - 3D: 4 pupils, and D4 from 14 October (the second week of Autumn 2): 4 in Autumn 1, 5
 *   over Autumn 2 but 4 on its first five days. D0 off ill on 21 October.
 * - 4A: 10 pupils; B0 absent unauthorised (O) on the first Tuesday of each half term.
 * Every other session is present (/ in the morning, \ in the afternoon).
 */
import { addDays, format, parseISO } from "date-fns";
import type { Connection } from "../../analytics/db.ts";
import { seedRegister, type TestMark, type TestPupil } from "./register.ts";

export const HALF_TERMS_TODAY = "2025-02-10";

/** Each half term: key, term, academic year, first Monday, weeks. */
export const HALF_TERMS = [
  { key: "autumn-1-2024", term: "autumn-2024", year: "2024/25", monday: "2024-09-02", weeks: 4 },
  { key: "autumn-2-2024", term: "autumn-2024", year: "2024/25", monday: "2024-10-07", weeks: 4 },
  { key: "spring-1-2025", term: "spring-2025", year: "2024/25", monday: "2025-01-06", weeks: 4 },
  { key: "spring-2-2025", term: "spring-2025", year: "2024/25", monday: "2025-02-10", weeks: 4 },
] as const;

const iso = (date: Date) => format(date, "yyyy-MM-dd");

/** The school days of a half term, in order. */
export function daysOfHalfTerm(half: (typeof HALF_TERMS)[number]): string[] {
  const days: string[] = [];
  for (let w = 0; w < half.weeks; w++) for (let d = 0; d < 5; d++) days.push(iso(addDays(parseISO(half.monday), 7 * w + d)));
  return days;
}

/** The first and last school days of a half term by key. */
export function spanOfHalfTerm(key: string): { from: string; to: string } {
  const days = daysOfHalfTerm(HALF_TERMS.find((h) => h.key === key)!);
  return { from: days[0], to: days.at(-1)! };
}

export function halfTermsRegister(): { pupils: TestPupil[]; marks: TestMark[] } {
  const pupils: TestPupil[] = [];
  const marks: TestMark[] = [];
  // Marked days: every day of the ended half terms, and the first day of the one begun.
  const marked = [...HALF_TERMS.slice(0, 3).flatMap(daysOfHalfTerm), daysOfHalfTerm(HALF_TERMS[3])[0]];
  const firstMondays = HALF_TERMS.map((h) => h.monday);
  const firstTuesdays = HALF_TERMS.map((h) => iso(addDays(parseISO(h.monday), 1)));
  const pupil = (upn: string, year: string, cls: string, from: string, off: (date: string) => string | null) => {
    pupils.push({ upn, admission_date: from, spells: [{ from, year_group: year, reg_group: cls, sen: "N", fsm: "N", eal: "N", lac: "N" }] });
    for (const date of marked) {
      if (date < from) continue;
      const code = off(date);
      marks.push([upn, date, "AM", code ?? "/"], [upn, date, "PM", code ?? "\\"]);
    }
  };
  for (let i = 0; i < 10; i++) pupil(`A${i}`, "3", "3A", "2024-09-01", (d) => (i === 0 && firstMondays.includes(d as never) ? "I" : null));
  for (let i = 0; i < 4; i++) pupil(`C${i}`, "3", "3C", "2024-09-01", (d) => (i === 0 && d === "2024-09-10" ? "I" : null));
  pupil("C4", "3", "3C", "2024-10-07", () => null);
  for (let i = 0; i < 4; i++) pupil(`D${i}`, "3", "3D", "2024-09-01", (d) => (i === 0 && d === "2024-10-21" ? "I" : null));
  pupil("D4", "3", "3D", "2024-10-14", () => null);
  for (let i = 0; i < 10; i++) pupil(`B${i}`, "4", "4A", "2024-09-01", (d) => (i === 0 && firstTuesdays.includes(d as never) ? "O" : null));
  return { pupils, marks };
}

/** The calendar (as a calendar import writes it) and the register, into an empty store. */
export async function seedHalfTermsRegister(c: Connection): Promise<void> {
  for (const half of HALF_TERMS) {
    const days = daysOfHalfTerm(half);
    await c.run("INSERT INTO calendar_periods VALUES ($key, $from::DATE, $to::DATE)", { key: half.key, from: days[0], to: days.at(-1)! });
    for (const date of days) await c.run("INSERT INTO school_days VALUES ($date::DATE, $year, $term, $key)", { date, year: half.year, term: half.term, key: half.key });
  }
  await seedRegister(c, halfTermsRegister());
}
