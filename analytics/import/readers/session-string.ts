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
 * both, as a grid's or a long file's rows do (a fresh-clone trial saw only the first). Its
 * marks are kept in the string (string-rows.ts StringRows), each row made when it is read.
 */
import { InputError, type CsvField } from "../../csv.ts";
import { addDays, daysToIso, isoToDays, weekdayOfDays } from "../values.ts";
import { weekdayName } from "./dates.ts";
import type { LongRows } from "./long-rows.ts";
import type { StringRows } from "./string-rows.ts";

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

/** The column of character `i` (0-based) of the string. */
export function columnAt(s: MarkString, i: number): number {
  return s.columnPerCharacter ? s.column + i : s.column;
}

/** What a character of the string is: its place, day and session, as messages give them. */
export function characterWhere(s: MarkString, i: number, start: string): string {
  const iso = addDays(start, i >> 1);
  return `character ${i + 1} of ${s.name} (${weekdayName(iso)} ${iso} ${i % 2 === 0 ? "AM" : "PM"})`;
}

/**
 * Whether character `i` of a string is a mark, on day number `day`: a weekday's character other
 * than "no mark". A weekend's is never one (readMarkString refuses any but "no session").
 */
export function isMarkAt(text: string, i: number, day: number): boolean {
  const weekday = weekdayOfDays(day);
  return weekday !== 0 && weekday !== 6 && !WEEKDAY_NO_MARK.has(text[i]);
}

/**
 * Reads the string's marks into `rows` for `upn`, the first character the AM of `start` (ISO):
 * every character is checked here, its mark kept in the string (StringRows makes its long row
 * when the importer reads it). Faults (a mark on a weekend, a line break inside the string) go
 * to `out.errors`, every one; the string's other characters are still read.
 */
export function readMarkString(s: MarkString, start: string, upn: CsvField, out: LongRows, rows: StringRows): void {
  // Day numbers and their weekdays by arithmetic: a Date (and an ISO string) for every
  // character cost a year's CTF of 4,500 pupils more than its whole XML parse.
  const first = isoToDays(start);
  const text = s.value;
  let marks = 0;
  let end = text.length;
  for (let i = 0; i < end; i++) {
    const ch = text[i];
    if (ch === "\n" || ch === "\r") {
      out.errors.push(new InputError(s.file, s.line, columnAt(s, i), `${s.prefix}${s.name} must be one line of marks`));
      end = i;
      break;
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
    if (WEEKDAY_NO_MARK.has(ch)) out.skipped++;
    else marks++;
  }
  // The marks before a line break are read, as they always were; the rest of the string is not.
  if (marks > 0) rows.add(s, start, first, upn, end, marks);
}
