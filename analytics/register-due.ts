/**
 * When a session can be missing: the one rule for every count of "missing marks" or "to date"
 * that could take in today (Register checks' gaps, the pupil page's part months).
 *
 * A session's register is taken during the session, so before its register closes an empty
 * register is not a gap — at 00:00 on a school day, today's two sessions are not yet due
 * (a fresh-clone trial at Fri 4 Dec 2026 00:00 listed 476 sessions of 238 pupils as gaps
 * before any register could be taken). A session is **due** once its register has closed:
 *
 * - AM from the morning register's closing time, by default 09:30 (the morning register
 *   closes at 9:30am in Ludlow's policy, 9:10am in Littledean's: the later of the two, so no
 *   school's open register is called a gap);
 * - PM from the afternoon's, by default 13:35 (the last afternoon register Ludlow's policy
 *   names, Year 6 at 13:35; Littledean's are taken at 13:10 and 13:30).
 *
 * Both are school settings (analytics/settings.ts `register_closes`), read by every caller.
 * Times are London wall-clock times (analytics/time.ts). Every session of an earlier day is due.
 */
import { addDays, format, parseISO } from "date-fns";
import { londonParts } from "./time.ts";

/** Wall-clock times ("HH:MM", London, 24-hour) from which each session's register counts as closed. */
export interface RegisterCloses {
  AM: string;
  PM: string;
}

/** The closing times a school has until it sets its own (see above). */
export const DEFAULT_REGISTER_CLOSES: Readonly<RegisterCloses> = Object.freeze({ AM: "09:30", PM: "13:35" });

/** Why two closing times (each "HH:MM") cannot stand together, or null: the morning register closes before the afternoon's. */
export function registerClosesProblem(closes: RegisterCloses): string | null {
  return closes.AM < closes.PM ? null : `the morning register closes before the afternoon's (got morning ${closes.AM}, afternoon ${closes.PM})`;
}

/** A moment in the school's day: an ISO date and a London wall-clock time "HH:MM". */
export interface SchoolMoment {
  date: string;
  time: string;
}

/** The last session whose register has closed: its day (ISO) and whether that day's PM is due too. */
export interface DueSession {
  date: string;
  pm: boolean;
}

/**
 * The last session due at a moment: `date` (ISO) and `pm` (true: both of that day's sessions
 * are due; false: only its AM), by the school's closing times `closes` (Settings'
 * `register_closes`). Before the morning's that is the day before's PM (a calendar day: only
 * school days ever hold a session, so a weekend or holiday before it changes nothing).
 * Throws for a date or time not in the forms above.
 */
export function lastDueSession(moment: SchoolMoment, closes: RegisterCloses): DueSession {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(moment.date)) throw new Error(`a date is YYYY-MM-DD, got "${moment.date}"`);
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(moment.time)) throw new Error(`a time is HH:MM (00:00 to 23:59), got "${moment.time}"`);
  if (moment.time >= closes.PM) return { date: moment.date, pm: true };
  if (moment.time >= closes.AM) return { date: moment.date, pm: false };
  return { date: format(addDays(parseISO(moment.date), -1), "yyyy-MM-dd"), pm: true };
}

/**
 * The moment now: ROLLCALL_TODAY when set — "YYYY-MM-DD" is that day at 00:00 (before any
 * register: a demo fixed to a date reads it as that morning), "YYYY-MM-DDTHH:MM" that time —
 * else London's clock. `fixed` is the caller's ROLLCALL_TODAY (analytics/periods.ts reads it
 * with the CLI's relayed environment).
 */
export function momentOf(fixed: string | undefined, clock: Date = new Date()): SchoolMoment {
  const match = fixed ? /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?$/.exec(fixed.trim()) : null;
  if (match) return { date: match[1], time: match[2] ?? "00:00" };
  // London's date, hour and minute change only at the start of a UTC minute (its offsets from
  // UTC are whole hours), so the clock's are formatted once a minute: Intl's formatting is asked
  // for by every request of a page that shows which sessions are due (app/lib/page-version.server.ts).
  const minute = Math.floor(clock.getTime() / 60_000);
  if (minute !== clockMoment.minute) {
    const p = londonParts(clock);
    clockMoment = { minute, date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
  }
  return { date: clockMoment.date, time: clockMoment.time };
}
/** The clock's moment as momentOf last formatted it, and the UTC minute (ms since 1970 ÷ 60,000, floored) it is of. */
let clockMoment: { minute: number; date: string; time: string } = { minute: Number.NaN, date: "", time: "" };

/**
 * Every session up to and including `date` due: for a count made of whole days (a pack or a
 * verdict as of a date, a period over before today), where no clock time is in hand.
 */
export function dueThrough(date: string): DueSession {
  return { date, pm: true };
}

/** dueSessionSql's bound parameters for `due`. */
export function dueParams(due: DueSession): { due_date: string; due_pm: boolean } {
  return { due_date: due.date, due_pm: due.pm };
}

/** SQL condition: the session (`date` a DATE column, `pm` a BOOLEAN column) is due by $due_date / $due_pm (bind lastDueSession's). */
export function dueSessionSql(date: string, pm: string): string {
  return `(${date} < $due_date::DATE OR (${date} = $due_date::DATE AND (NOT ${pm} OR $due_pm::BOOLEAN)))`;
}

/**
 * Whether a session (`date` ISO, `pm`) is due by `due` (lastDueSession's): the same rule as
 * dueSessionSql, for a page that has the sessions in hand (a pupil's register calendar, which
 * had drawn today's sessions as gaps before their registers closed: trial 27).
 */
export function sessionDue(due: DueSession, date: string, pm: boolean): boolean {
  return date < due.date || (date === due.date && (!pm || due.pm));
}
