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
import { InputError, type CsvField, type CsvRecord } from "../../csv.ts";
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
  /** The column of the first character. */
  column: number;
  /**
   * Whether each character has a column of its own (XML text: the first's + i) or the string is
   * one column (a CSV field). Numbers, not a function: a CTF's year asks for 1.7 million columns.
   */
  columnPerCharacter: boolean;
  /** How a message names the string, e.g. "the week string" or "AttendMarks". */
  name: string;
  /** Put before every message, e.g. the pupil's UPN in a CTF ("" for none). */
  prefix: string;
}

/**
 * Per (date, session): the date's and the session's fields, shared by every mark of that
 * session in the file, so a register of a year costs one small object per mark. Keyed by
 * 2 × the day number (days since 1970-01-01) + 1 for PM: a key made of numbers, not a string
 * made for every character. They carry no place of their own (line and column 0): a mark read
 * from a string is placed at its code's character (long-rows.ts MarksTable.placedAtCode).
 */
export type DayFields = Map<number, { date: CsvField; session: CsvField }>;

/**
 * One mark read from a string: the long row (CsvRecord: the string's line, and the fields upn,
 * date, session, code) and its code's field (the character, at its own column) in one object,
 * the row's fourth field being itself. A year's CTF of 4,500 pupils is 1.7 million of them, and
 * every object a mark cost was the garbage collector's work: a field object for the session, a
 * field for the code and the row, each kept until the import (issue 11: the readers reported as
 * a ratio to read_csv). The code's place in words (`where`, for a message refusing it: analytics/
 * import/marks.ts) is made only when a message asks for it: made for every character, it cost
 * that CTF some 7 s of string building.
 */
class CharacterMark implements CsvRecord, CsvField {
  readonly fields: CsvField[];

  constructor(
    readonly value: string,
    readonly line: number,
    readonly column: number,
    upn: CsvField,
    day: { date: CsvField; session: CsvField },
    private readonly string: StringAt,
    private readonly index: number,
  ) {
    this.fields = [upn, day.date, day.session, this];
  }

  get where(): string {
    return `${this.string.s.prefix}${characterWhere(this.string.s, this.index, this.string.start)}`;
  }
}

/** A string of marks and its first day (ISO), shared by its marks. */
interface StringAt {
  s: MarkString;
  start: string;
}

/** The column of character `i` (0-based) of the string. */
function columnAt(s: MarkString, i: number): number {
  return s.columnPerCharacter ? s.column + i : s.column;
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
  const at: StringAt = { s, start };
  const text = s.value;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\n" || ch === "\r") {
      out.errors.push(new InputError(s.file, s.line, columnAt(s, i), `${s.prefix}${s.name} must be one line of marks`));
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
          columnAt(s, i),
          `${s.prefix}character ${i + 1} of ${s.name} ("${ch}", ${weekdayName(iso)} ${iso} ${i % 2 === 0 ? "AM" : "PM"}) is a mark on a weekend; Saturday and Sunday are written "#" (no school)`,
        ),
      );
      continue;
    }
    if (WEEKDAY_NO_MARK.has(ch)) {
      out.skipped++;
      continue;
    }
    const pm = i & 1;
    const key = 2 * day + pm;
    let sessionFields = days.get(key);
    if (!sessionFields) {
      sessionFields = { date: { value: daysToIso(day), line: 0, column: 0 }, session: { value: pm ? "PM" : "AM", line: 0, column: 0 } };
      days.set(key, sessionFields);
    }
    out.addRecord(new CharacterMark(ch, s.line, columnAt(s, i), upn, sessionFields, at, i));
  }
}
