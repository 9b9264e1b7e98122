/**
 * A string of marks, one character per session, AM then PM, for consecutive calendar days
 * from a start date: a week string's 14 characters (week.ts) and a CTF's AttendMarks (ctf.ts,
 * DfE CTF 21 specification 3.1.12) are read by this one function, so both treat every
 * character alike:
 * - Monday to Friday: the session's code (checked later, with every other fault, by
 *   importMarks); a space or `-` is a session with no mark yet, skipped and counted.
 * - Saturday and Sunday are not school days in an English state school: `#`, `-`, `.` or a
 *   space there means "no session" and gives nothing; any other character is a mark on a
 *   weekend and a fault of the row.
 * Every fault of the string is kept in the LongRows' errors (file, line, column, the
 * character's place, day and session), never only the first: a row with two faults lists
 * both, as a grid's or a long file's rows do (a fresh-clone trial saw only the first).
 */
import { InputError, type CsvField } from "../../csv.ts";
import { addDays, daysToIso, isoToDays, weekdayOfDays } from "../values.ts";
import { weekdayName } from "./dates.ts";
import type { LongRows } from "./long-rows.ts";

const WEEKEND_NO_SESSION = new Set(["#", "-", ".", " "]);
const WEEKDAY_NO_MARK = new Set(["-", " "]);

/** Where a string of marks is, and how its messages name it. */
export interface MarkString {
  value: string;
  file: string;
  /** The line of the row (long rows keep it: the file's order). */
  line: number;
  /** The column of character `i` (0-based): one column for a CSV field, the character's own in XML text. */
  columnOf: (i: number) => number;
  /** How a message names the string, e.g. "the week string" or "AttendMarks". */
  name: string;
  /** Put before every message, e.g. the pupil's UPN in a CTF ("" for none). */
  prefix: string;
}

/**
 * Per (date, session): one shared field object, so a register of a year costs one small object
 * per mark. Keyed by 2 × the day number (days since 1970-01-01) + 1 for PM: a key made of
 * numbers, not a string made for every character.
 */
export type DayFields = Map<number, CsvField>;

/**
 * A character's code as a field: its place in words (`where`, for a message refusing the code,
 * analytics/import/marks.ts) is made only when a message asks for it. Made for every character
 * of a CTF's strings, it cost a year's CTF of 4,500 pupils some 7 s of string building and the
 * garbage collection after it (issue 11: the readers reported as a ratio to read_csv).
 */
class CharacterField implements CsvField {
  constructor(
    readonly value: string,
    readonly line: number,
    readonly column: number,
    private readonly string: MarkString,
    private readonly index: number,
    private readonly start: string,
  ) {}

  get where(): string {
    return `${this.string.prefix}${characterWhere(this.string, this.index, this.start)}`;
  }
}

/** What a character of the string is: its place, day and session, as messages give them. */
export function characterWhere(s: MarkString, i: number, start: string): string {
  const iso = addDays(start, i >> 1);
  return `character ${i + 1} of ${s.name} (${weekdayName(iso)} ${iso} ${i % 2 === 0 ? "AM" : "PM"})`;
}

/**
 * Reads the string's marks into `out` as long rows for `upn`, the first character the AM of
 * `start` (ISO). Faults (a mark on a weekend, a line break inside the string) go to
 * `out.errors`, every one; the string's other characters are still read.
 */
export function readMarkString(s: MarkString, start: string, upn: CsvField, out: LongRows, days: DayFields): void {
  // Day numbers and their weekdays by arithmetic: a Date (and an ISO string) for every
  // character cost a year's CTF of 4,500 pupils more than its whole XML parse.
  const first = isoToDays(start);
  const text = s.value;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\n" || ch === "\r") {
      out.errors.push(new InputError(s.file, s.line, s.columnOf(i), `${s.prefix}${s.name} must be one line of marks`));
      return;
    }
    const day = first + (i >> 1);
    const weekday = weekdayOfDays(day);
    if (weekday === 0 || weekday === 6) {
      if (WEEKEND_NO_SESSION.has(ch)) continue;
      const iso = daysToIso(day);
      out.errors.push(
        new InputError(
          s.file,
          s.line,
          s.columnOf(i),
          `${s.prefix}character ${i + 1} of ${s.name} ("${ch}", ${weekdayName(iso)} ${iso} ${i % 2 === 0 ? "AM" : "PM"}) is a mark on a weekend; Saturday and Sunday are written "#" (no school)`,
        ),
      );
      continue;
    }
    if (WEEKDAY_NO_MARK.has(ch)) {
      out.skipped++;
      continue;
    }
    const column = s.columnOf(i);
    const pm = i & 1;
    const key = 2 * day + pm;
    let date = days.get(key);
    if (!date) {
      date = { value: daysToIso(day), line: s.line, column };
      days.set(key, date);
    }
    out.add(s.line, upn, date, { value: pm ? "PM" : "AM", line: s.line, column }, new CharacterField(ch, s.line, column, s, i, start));
  }
}
