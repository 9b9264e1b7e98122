/**
 * Dates and sessions as MIS exports spell them in column headers and week strings.
 * UK order (day/month) throughout: these are English schools' registers.
 */
import { dateNumbers, isoOfDateNumbers, normaliseDate, notADateWords, withoutMidnight } from "../values.ts";

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** Day of the week of an ISO date, 0 = Sunday … 6 = Saturday. */
export function weekdayOf(iso: string): number {
  return new Date(`${iso}T00:00:00Z`).getUTCDay();
}

export function weekdayName(iso: string): string {
  const name = WEEKDAYS[weekdayOf(iso)];
  return name[0].toUpperCase() + name.slice(1);
}

/**
 * A date in any of the spellings registers use: `2025-01-06`, `06/01/2025`, `6/1/2025`,
 * `06-01-2025`, `06.01.2025`, `06/01/25` (two-digit years are 2000–2099: no register
 * holds a session before 2000), `6 Jan 2025`, `6 January 2025`. Undefined if not a real date.
 */
export function flexibleDate(text: string): string | undefined {
  // A spreadsheet's midnight time is no part of the date, as in a long file's date column
  // (review 52b: a week start "06/01/2025 00:00" was refused that a long file's date took).
  const value = withoutMidnight(text);
  const numbers = dateNumbers(value, true);
  if (numbers) return isoOfDateNumbers(numbers);
  const words = wordMonthNumbers(value);
  return words === undefined ? undefined : normaliseDate(words);
}

/** "6 Jan 2025", "6th January 2025" as "6/1/2025"; undefined for any other text or an unknown month word. */
function wordMonthNumbers(value: string): string | undefined {
  const m = /^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$/i.exec(value);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2].slice(0, 3).toLowerCase());
  if (month < 0 || !MONTHS.some((_, i) => fullMonth(i).startsWith(m[2].toLowerCase()))) return undefined;
  return `${m[1]}/${month + 1}/${m[3]}`;
}

/**
 * Why `text` is not a date flexibleDate reads, as values.ts notADateWords says it (after the
 * value: ": September 2026 has 30 days", or " (expected …)" with `expected`). A month written
 * as a word ("31 Sep 2026", a grid heading "Tue 31 Sep 2026 AM") is checked as its number
 * would be: it was told the numeric layouts, the fault trial 52 named for "31/09/2026".
 */
export function notAFlexibleDateWords(text: string, expected: string): string {
  return notADateWords(wordMonthNumbers(withoutMidnight(text)) ?? text, expected, true);
}

function fullMonth(i: number): string {
  return ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"][i];
}

export interface SessionHeader {
  iso: string;
  session: "AM" | "PM";
}

/** Why a header that looks like a session column cannot be read. */
export class SessionHeaderError extends Error {}

const DATE_LIKE = /\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}\b/i;
const SESSION_TOKEN = /(?:^|[\s([{_-])(a\.?m\.?|p\.?m\.?|morning|afternoon)(?=$|[\s)\]}_-])/i;

/**
 * A session written as a word: AM or PM in any case, with or without dots ("a.m."), or
 * "morning" / "afternoon" (some MIS exports spell it out); undefined for anything else.
 * One reading for grid headers and long rows' session column alike.
 */
export function sessionWord(value: string): "AM" | "PM" | undefined {
  const token = value.trim().toLowerCase().replace(/\./g, "");
  if (token === "am" || token === "morning") return "AM";
  if (token === "pm" || token === "afternoon") return "PM";
  return undefined;
}

/**
 * Reads a grid column header as a session: `Mon 06/01/2025 AM`, `06/01/2025 AM`,
 * `2025-01-06 AM`, `06/01/2025 (PM)`, `Monday 6 January 2025 am`, `06/01/2025-PM`, `AM 06/01/2025`.
 * Returns undefined for a header that holds no date (UPN, Surname, Reg Group …).
 * @throws SessionHeaderError for a header with a date but no AM/PM, a date that does not
 *   exist, or a weekday that disagrees with the date.
 */
export function parseSessionHeader(header: string): SessionHeader | undefined {
  if (!DATE_LIKE.test(header)) return undefined;
  const sessionMatch = SESSION_TOKEN.exec(header);
  if (!sessionMatch) throw new SessionHeaderError("it holds a date but says neither AM nor PM");
  const session = sessionWord(sessionMatch[1])!;
  let rest = (header.slice(0, sessionMatch.index) + " " + header.slice(sessionMatch.index + sessionMatch[0].length))
    .replace(/[()[\]{}]/g, " ")
    .replace(/[,_]/g, " ")
    .trim();
  let weekday: number | undefined;
  const dayMatch = /^(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?\s+/i.exec(rest);
  if (dayMatch) {
    weekday = WEEKDAYS.findIndex((d) => d.startsWith(dayMatch[1].toLowerCase().slice(0, 3)));
    const full = WEEKDAYS[weekday];
    const word = dayMatch[0].trim().replace(/\.$/, "").toLowerCase();
    if (!full.startsWith(word)) throw new SessionHeaderError(`"${dayMatch[0].trim()}" is not a day of the week`);
    rest = rest.slice(dayMatch[0].length);
  }
  rest = rest.replace(/\s*-\s*$/, "").trim();
  const iso = flexibleDate(rest);
  if (!iso) throw new SessionHeaderError(`"${rest}" is not a date${notAFlexibleDateWords(rest, "DD/MM/YYYY or YYYY-MM-DD")}`);
  if (weekday !== undefined && weekday !== weekdayOf(iso)) {
    // Day names capitalised, as English writes them (a trial read "it says monday" as a fault of ours).
    const named = (day: number) => WEEKDAYS[day].charAt(0).toUpperCase() + WEEKDAYS[day].slice(1);
    throw new SessionHeaderError(`it says ${named(weekday)} but ${iso} is a ${named(weekdayOf(iso))}`);
  }
  return { iso, session };
}
