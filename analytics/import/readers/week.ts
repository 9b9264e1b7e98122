/**
 * Week strings: one row per pupil per week, the week's marks as one string.
 *   UPN,WeekStart,WeekMarks
 *   Q820200000011,06/01/25,/\/\II/\/\####
 * The string holds 14 characters, Monday AM to Sunday PM, one character per session (so
 * only single-character codes can appear). It is shorter when the week was cut off (an
 * export taken mid-week): sessions past its end are simply not in the file.
 *
 * What a character means:
 * - Monday to Friday: the session's code; `#` is the DfE code for a planned whole-school
 *   closure (imported, not counted); a space or `-` is a session with no mark yet
 *   (skipped and reported, never counted).
 * - Saturday and Sunday are not school days in an English state school: `#`, `-`, `.` or a
 *   space there means "no session" and produces nothing. Any other character on a weekend
 *   would be a mark on a day the school is closed: the file is refused, each one named.
 */
import { InputError, UPN_HEADERS, repeatedColumnError, headerKey, faultsTogether, headerWords, widthError, type CsvRecord } from "../../csv.ts";
import { flexibleDate, notAFlexibleDateWords, weekdayName, weekdayOf } from "./dates.ts";
import { LongRows, type MarksTable } from "./long-rows.ts";
import { listWords } from "../../list-words.ts";
import { readMarkString, type MarkString } from "./session-string.ts";
import { StringRows } from "./string-rows.ts";

/** The headings each column is read under, as a refusal lists them; matched as headerKey reads a heading (case, spaces and punctuation aside). */
const WEEK_START_WORDS = ["WeekStart", "Week beginning", "Week commencing", "WC", "Week starting", "Week"];
const WEEK_MARKS_WORDS = ["WeekMarks", "Marks", "Week string", "Attendance string", "Session marks"];
export const WEEK_START_HEADERS = WEEK_START_WORDS.map(headerKey);
export const WEEK_MARKS_HEADERS = WEEK_MARKS_WORDS.map(headerKey);
const WEEK_HEADERS = [...WEEK_START_HEADERS, ...WEEK_MARKS_HEADERS];

function columnIn(header: CsvRecord, keys: string[]): number {
  return header.fields.findIndex((f) => keys.includes(headerKey(f.value)));
}

/** Whether a header is the week-strings layout's. */
export function isWeekHeader(header: CsvRecord): boolean {
  return columnIn(header, WEEK_START_HEADERS) >= 0 && columnIn(header, WEEK_MARKS_HEADERS) >= 0;
}

/**
 * Whether a header has either week-strings column (a week start or a week's marks): read as
 * week strings when no other layout fits it (analytics/import/readers/layout.ts), so that its
 * missing or repeated columns are told (trial 52: "UPN,WeekStart,WeekStart,Sessions" was
 * "not recognised", and only forcing the layout said that WeekMarks was missing and WeekStart
 * repeated).
 */
export function hasWeekColumn(header: CsvRecord): boolean {
  return columnIn(header, WEEK_HEADERS) >= 0;
}

/** The week-strings column a header has, in words, for a refusal: `column "Week"` (the first). */
export function weekColumnWords(header: CsvRecord): string {
  const at = columnIn(header, WEEK_HEADERS);
  return at < 0 ? "columns" : `column "${header.fields[at].value.trim()}"`;
}

/**
 * Reads week-string records (header first) into long rows. `guessed`: the layout was guessed
 * from one of the two columns (hasWeekColumn), and a missing column's refusal ends with these
 * words, the other layouts: the file may be none of week strings.
 * @throws InputError naming line and column.
 */
export function readWeekStrings(records: CsvRecord[], file: string, guessed?: string): MarksTable {
  const [header, ...rows] = records;
  // Every missing or repeated column at once (faultsTogether): with --layout week, a file without
  // WeekStart and WeekMarks was told of one, then of the other on the next try.
  const missing: InputError[] = [];
  const named = (keys: string[], label: string, words?: readonly string[]) => {
    const at = columnIn(header, keys);
    const headed = words ? ` (headed ${listWords(words.map((w) => `"${w}"`), "or")})` : "";
    if (at < 0) missing.push(new InputError(file, header.line, 1, `week strings need a "${label}" column${headed}: the header has ${headerWords(header)}${guessed ?? ""}`));
    // A second heading for the same column (WeekMarks and Marks) is refused, as mapHeader refuses
    // a repeat: which of the two holds the week was a guess (the first was read, silently).
    for (const field of header.fields.slice(at + 1)) {
      if (at >= 0 && keys.includes(headerKey(field.value))) missing.push(repeatedColumnError(file, header, field, label, at));
    }
    return at;
  };
  const upnAt = named(UPN_HEADERS, "UPN");
  const startAt = named(WEEK_START_HEADERS, "WeekStart", WEEK_START_WORDS);
  const marksAt = named(WEEK_MARKS_HEADERS, "WeekMarks", WEEK_MARKS_WORDS);
  if (missing.length > 0) throw faultsTogether(missing.sort((a, b) => a.column - b.column));
  const width = header.fields.length;
  const out = new LongRows();
  const strings = new StringRows();
  for (const row of rows) {
    if (row.fields.length !== width) {
      out.errors.push(widthError(row, width, file));
      continue;
    }
    // Every fault of the row is listed (a week start that is not a Monday and a string too
    // long, or two weekend marks), not the first alone: session-string.ts.
    const upn = row.fields[upnAt];
    const startField = row.fields[startAt];
    const monday = flexibleDate(startField.value);
    if (!monday) {
      out.errors.push(new InputError(file, startField.line, startField.column, `week start "${startField.value}" is not a date${notAFlexibleDateWords(startField.value, "DD/MM/YY, DD/MM/YYYY or YYYY-MM-DD")}`));
    } else if (weekdayOf(monday) !== 1) {
      out.errors.push(new InputError(file, startField.line, startField.column, `week start ${monday} is a ${weekdayName(monday)}: a week string starts on a Monday`));
    }
    const marksField = row.fields[marksAt];
    // Trailing spaces are the cut-off end of the week, not sessions without a mark.
    const marks = marksField.value.replace(/\s+$/, "");
    if (marks.length > 14) {
      out.errors.push(new InputError(file, marksField.line, marksField.column, `a week string holds at most 14 marks (Monday AM to Sunday PM); this one has ${marks.length}`));
    }
    // Without its Monday a character's day is unknown, and in a string over 14 which 14 are
    // the week is: its characters are then not read (their faults would be guesses).
    if (!monday || weekdayOf(monday) !== 1 || marks.length > 14) continue;
    const string: MarkString = { value: marks, file, line: marksField.line, column: marksField.column, columnPerCharacter: false, name: "the week string", prefix: "" };
    readMarkString(string, monday, upn, out, strings);
  }
  return { ...out.table("week"), rows: strings };
}
