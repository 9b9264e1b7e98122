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
import { addDays } from "../values.ts";
import { weekdayName, weekdayOf } from "./dates.ts";
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

/** Per (date, session): one shared field object, so a register of a year costs one small object per mark. */
export type DayFields = Map<string, CsvField>;

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
  for (let i = 0; i < s.value.length; i++) {
    const ch = s.value[i];
    const column = s.columnOf(i);
    const iso = addDays(start, i >> 1);
    const session = i % 2 === 0 ? "AM" : "PM";
    if (ch === "\n" || ch === "\r") {
      out.errors.push(new InputError(s.file, s.line, column, `${s.prefix}${s.name} must be one line of marks`));
      return;
    }
    const weekday = weekdayOf(iso);
    if (weekday === 0 || weekday === 6) {
      if (WEEKEND_NO_SESSION.has(ch)) continue;
      out.errors.push(
        new InputError(
          s.file,
          s.line,
          column,
          `${s.prefix}character ${i + 1} of ${s.name} ("${ch}", ${weekdayName(iso)} ${iso} ${session}) is a mark on a weekend; Saturday and Sunday are written "#" (no school)`,
        ),
      );
      continue;
    }
    if (WEEKDAY_NO_MARK.has(ch)) {
      out.skipped++;
      continue;
    }
    const key = `${iso} ${session}`;
    let date = days.get(key);
    if (!date) {
      date = { value: iso, line: s.line, column };
      days.set(key, date);
    }
    out.add(s.line, upn, date, { value: session, line: s.line, column }, { value: ch, line: s.line, column, where: `${s.prefix}${characterWhere(s, i, start)}` });
  }
}
