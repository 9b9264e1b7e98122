/**
 * Term dates for the demo school, by rule (Shropshire-like), for any academic year.
 *
 * Academic year Y/Y+1 runs 1 August Y to 31 July Y+1. Rules:
 * - Autumn 1 starts on the Monday of the week of the first Wednesday of September; the
 *   Monday and Tuesday are INSET days (if that Monday is in August, or 1 September is a
 *   Thursday, the half term starts on 1 September and its first two weekdays
 *   are the INSET days). It ends on the Friday
 *   before October half term, the last Monday-to-Friday week wholly in October.
 * - Autumn 2 ends on the Friday before the week of Christmas Day.
 * - Spring 1 starts on the first Monday on or after 3 January (when 1 January is a
 *   Sunday, on Tuesday 3 January, after the New Year bank holiday) and ends before February
 *   half term, the week of the Monday falling 12–18 February.
 * - Spring 2 ends on the Friday nine days before Easter Sunday: the two-week Easter
 *   holiday holds Good Friday and Easter Monday. Summer 1 starts the Monday after it.
 * - May half term is the week of the last Monday in May; the early-May bank holiday
 *   (first Monday in May) is a closure inside Summer 1.
 * - Summer 2 ends with a final INSET day: pupils' last day is 20 July, or the Monday
 *   after if 20 July is a weekend; the INSET day is the next weekday.
 * - Five INSET days a year: two in September, the last day of the summer term, the first
 *   day of the summer term, and either the first day of the spring term (academic years
 *   starting in an even year) or the Monday after October half term (odd years).
 */

export type HalfTermName = "autumn-1" | "autumn-2" | "spring-1" | "spring-2" | "summer-1" | "summer-2";

export interface HalfTerm {
  name: HalfTermName;
  start: string;
  end: string;
}

export interface Closure {
  reason: string;
  start: string;
  end: string;
}

export interface AcademicYearCalendar {
  /** Calendar year in which the academic year starts (2024 for 2024/25). */
  startYear: number;
  /** "2024/25". */
  label: string;
  halfTerms: HalfTerm[];
  closures: Closure[];
  /** Weekdays inside the half terms that are not closures, ascending ISO dates. */
  schoolDays: string[];
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 (UTC) for an ISO date. */
export function dayNumber(iso: string): number {
  return Math.round(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS);
}

export function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function ymd(year: number, month: number, date: number): number {
  return Math.round(Date.UTC(year, month - 1, date) / DAY_MS);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOfDay(day: number): number {
  return (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function weekdayOf(iso: string): number {
  return weekdayOfDay(dayNumber(iso));
}

export function addDays(iso: string, days: number): string {
  return isoOfDay(dayNumber(iso) + days);
}

/** Easter Sunday (Gregorian), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const date = ((h + l - 7 * m + 114) % 31) + 1;
  return isoOfDay(ymd(year, month, date));
}

/** Start year of the academic year (1 Aug – 31 Jul) holding the date. */
export function academicYearOf(iso: string): number {
  const year = Number(iso.slice(0, 4));
  return Number(iso.slice(5, 7)) >= 8 ? year : year - 1;
}

export function academicYearLabel(startYear: number): string {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, "0")}`;
}

/** First day of the given weekday (0 = Monday) on or after the day. */
function onOrAfter(day: number, weekday: number): number {
  return day + ((weekday - weekdayOfDay(day) + 7) % 7);
}

/** Last day of the given weekday on or before the day. */
function onOrBefore(day: number, weekday: number): number {
  return day - ((weekdayOfDay(day) - weekday + 7) % 7);
}

/** One-off bank holidays in England that fall in term time under these rules. */
const EXTRA_BANK_HOLIDAYS: Record<string, string> = {
  "2022-06-02": "Bank holiday (Platinum Jubilee)",
  "2022-06-03": "Bank holiday (Platinum Jubilee)",
  "2022-09-19": "Bank holiday (State funeral)",
  "2023-05-08": "Bank holiday (Coronation)",
};

export function academicYearCalendar(startYear: number): AcademicYearCalendar {
  const y = startYear;
  const firstWednesday = onOrAfter(ymd(y, 9, 1), 2);
  let autumnStart = firstWednesday - 2;
  // Monday in August (bank holiday week), or 1 September a Thursday: start on 1 September.
  if (autumnStart < ymd(y, 9, 1) || firstWednesday === ymd(y, 9, 7)) autumnStart = ymd(y, 9, 1);
  // October half term: the last Monday whose week ends (Friday) inside October.
  const octHalfMonday = onOrBefore(ymd(y, 10, 27), 0);
  const autumn1End = octHalfMonday - 3;
  const autumn2Start = octHalfMonday + 7;
  const christmasWeekMonday = onOrBefore(ymd(y, 12, 25), 0);
  const autumn2End = christmasWeekMonday - 3;

  // New Year's Day bank holiday, moved to Monday when 1 January is a weekend.
  const newYear = ymd(y + 1, 1, 1);
  const newYearHoliday = weekdayOfDay(newYear) >= 5 ? onOrAfter(newYear, 0) : newYear;
  let spring1Start = onOrAfter(ymd(y + 1, 1, 3), 0);
  if (spring1Start >= ymd(y + 1, 1, 8) && newYearHoliday > newYear) spring1Start = newYearHoliday + 1;
  const febHalfMonday = onOrAfter(ymd(y + 1, 2, 12), 0);
  const spring1End = febHalfMonday - 3;
  const spring2Start = febHalfMonday + 7;
  const easter = dayNumber(easterSunday(y + 1));
  const spring2End = easter - 9;
  const summer1Start = easter + 8;
  const mayHalfMonday = onOrBefore(ymd(y + 1, 5, 31), 0);
  const summer1End = mayHalfMonday - 3;
  const summer2Start = mayHalfMonday + 7;
  let lastPupilDay = ymd(y + 1, 7, 20);
  if (weekdayOfDay(lastPupilDay) >= 5) lastPupilDay = onOrAfter(lastPupilDay, 0);
  const finalInset = weekdayOfDay(lastPupilDay) === 4 ? lastPupilDay + 3 : lastPupilDay + 1;
  const summer2End = finalInset;

  const halfTerms: HalfTerm[] = [
    { name: "autumn-1", start: isoOfDay(autumnStart), end: isoOfDay(autumn1End) },
    { name: "autumn-2", start: isoOfDay(autumn2Start), end: isoOfDay(autumn2End) },
    { name: "spring-1", start: isoOfDay(spring1Start), end: isoOfDay(spring1End) },
    { name: "spring-2", start: isoOfDay(spring2Start), end: isoOfDay(spring2End) },
    { name: "summer-1", start: isoOfDay(summer1Start), end: isoOfDay(summer1End) },
    { name: "summer-2", start: isoOfDay(summer2Start), end: isoOfDay(summer2End) },
  ];

  const closureDays = new Map<number, string>();
  const earlyMay = onOrAfter(ymd(y + 1, 5, 1), 0);
  closureDays.set(earlyMay, "Bank holiday");
  closureDays.set(newYearHoliday, "Bank holiday");
  for (const [iso, reason] of Object.entries(EXTRA_BANK_HOLIDAYS)) {
    const day = dayNumber(iso);
    if (day >= ymd(y, 8, 1) && day <= ymd(y + 1, 7, 31)) closureDays.set(day, reason);
  }
  /** An INSET day on the day, or the next weekday that is not already a closure. */
  const inset = (day: number) => {
    while (weekdayOfDay(day) >= 5 || closureDays.has(day)) day++;
    closureDays.set(day, "INSET day");
  };
  // Two INSET days at the start of the autumn term (the first two weekdays).
  let d = autumnStart;
  for (let n = 0; n < 2; d++) {
    if (weekdayOfDay(d) < 5) {
      inset(d);
      n++;
    }
  }
  if (y % 2 === 0) inset(spring1Start);
  else inset(autumn2Start);
  inset(summer1Start);
  inset(finalInset);

  const schoolDays: string[] = [];
  const closures: Closure[] = [];
  for (const term of halfTerms) {
    const start = dayNumber(term.start);
    const end = dayNumber(term.end);
    for (let day = start; day <= end; day++) {
      if (weekdayOfDay(day) >= 5) continue;
      const reason = closureDays.get(day);
      if (reason) closures.push({ reason, start: isoOfDay(day), end: isoOfDay(day) });
      else schoolDays.push(isoOfDay(day));
    }
  }
  return { startYear, label: academicYearLabel(startYear), halfTerms, closures, schoolDays };
}

/** The calendar file the importer reads: kind,name,start_date,end_date. */
export function calendarCsv(years: readonly AcademicYearCalendar[]): string {
  const lines = ["kind,name,start_date,end_date"];
  for (const year of years) {
    for (const t of year.halfTerms) lines.push(`half_term,${t.name},${t.start},${t.end}`);
    for (const c of year.closures) lines.push(`closure,${c.reason},${c.start},${c.end}`);
  }
  return lines.join("\n") + "\n";
}
