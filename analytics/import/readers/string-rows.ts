/**
 * Marks read from strings of marks (week strings, a CTF's AttendMarks: session-string.ts),
 * kept as their strings: each mark's long row is made as the importer reads it (analytics/
 * import/marks.ts stages it and lets it go), never held for the whole file. A year's CTF of
 * 4,500 pupils is 1.7 million marks; made by the reader and held (session 51: a CharacterMark
 * and its fields array each), they were most of the read's time, the garbage collector copying
 * every one as it survived, and were held through the import of the file's pupils (issue 11:
 * the readers reported as a ratio to read_csv). Made as they are read, each is gone before
 * the collector looks.
 */
import type { CsvField, CsvRecord } from "../../csv.ts";
import { daysToIso, isoToDays } from "../values.ts";
import { characterWhere, columnAt, isMarkAt, type MarkString } from "./session-string.ts";

/**
 * Per (date, session): the date's and the session's fields, shared by every mark of that
 * session in the file. Keyed by 2 × the day number (days since 1970-01-01) + 1 for PM: a key
 * made of numbers, not a string made for every character. They carry no place of their own
 * (line and column 0): a mark read from a string is placed at its code's character (long-rows.ts
 * MarksTable.placedAtCode).
 */
type DayFields = Map<number, { date: CsvField; session: CsvField }>;

/** A string of marks and its first day (ISO), shared by its marks. */
interface StringAt {
  s: MarkString;
  start: string;
}

/**
 * One mark read from a string: the long row (CsvRecord: the string's line, and the fields upn,
 * date, session, code) and its code's field (the character, at its own column) in one object,
 * the row's fourth field being itself. The code's place in words (`where`, for a message refusing
 * it: analytics/import/marks.ts) is made only when a message asks for it: made for every
 * character, it cost a year's CTF some 7 s of string building.
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

/**
 * A string's marks: its characters before `end` (a line break ends what is read) that are marks
 * (isMarkAt), on day numbers `from` to `to` (inclusive), `count` of them.
 */
interface StringMarks {
  at: StringAt;
  upn: CsvField;
  /** The day number of the first character. */
  first: number;
  end: number;
  from: number;
  to: number;
  count: number;
}

/** A pupil's time on roll, ISO dates (`to` null while on roll). */
export interface RollSpan {
  from: string;
  to: string | null;
}

/**
 * The long rows of marks read from strings, in the file's order (string by string, character by
 * character): iterated, each mark is made as it is read; `length` is how many there are.
 */
export class StringRows implements Iterable<CsvRecord> {
  private count = 0;

  constructor(
    private readonly strings: StringMarks[] = [],
    private readonly days: DayFields = new Map(),
  ) {
    for (const s of strings) this.count += s.count;
  }

  get length(): number {
    return this.count;
  }

  /** Keeps a string read by readMarkString (session-string.ts): `count` marks before `end`. */
  add(s: MarkString, start: string, first: number, upn: CsvField, end: number, count: number): void {
    this.strings.push({ at: { s, start }, upn, first, end, from: -Infinity, to: Infinity, count });
    this.count += count;
  }

  *[Symbol.iterator](): Iterator<CsvRecord> {
    for (const string of this.strings) {
      const { s } = string.at;
      const text = s.value;
      // Only the characters of the string's days from..to: 2 a day from its first.
      const begin = Math.max(0, 2 * (string.from - string.first));
      const end = Math.min(string.end, 2 * (string.to - string.first + 1));
      for (let i = begin; i < end; i++) {
        const day = string.first + (i >> 1);
        if (!isMarkAt(text, i, day)) continue;
        yield new CharacterMark(text[i], s.line, columnAt(s, i), string.upn, this.dayFields(day, i & 1), string.at, i);
      }
    }
  }

  /**
   * The marks within each pupil's span (by UPN; a pupil without one keeps every mark), and the
   * marks outside it with their pupils: a CTF's marks before the admission here are another
   * school's (ctf-history.ts).
   */
  within(spanOf: (upn: string) => RollSpan | undefined): { rows: StringRows; outside: { marks: number; pupils: Set<string> } } {
    const outside = { marks: 0, pupils: new Set<string>() };
    const kept: StringMarks[] = [];
    for (const string of this.strings) {
      const span = spanOf(string.upn.value);
      if (!span) {
        kept.push(string);
        continue;
      }
      const from = Math.max(string.from, isoToDays(span.from));
      const to = Math.min(string.to, span.to === null ? Infinity : isoToDays(span.to));
      let count = 0;
      const text = string.at.s.value;
      for (let i = 0; i < string.end; i++) {
        const day = string.first + (i >> 1);
        if (day >= from && day <= to && isMarkAt(text, i, day)) count++;
      }
      if (count < string.count) {
        outside.marks += string.count - count;
        outside.pupils.add(string.upn.value);
      }
      if (count > 0) kept.push({ ...string, from, to, count });
    }
    return { rows: new StringRows(kept, this.days), outside };
  }

  private dayFields(day: number, pm: number): { date: CsvField; session: CsvField } {
    const key = 2 * day + pm;
    let fields = this.days.get(key);
    if (!fields) {
      fields = { date: { value: daysToIso(day), line: 0, column: 0 }, session: { value: pm ? "PM" : "AM", line: 0, column: 0 } };
      this.days.set(key, fields);
    }
    return fields;
  }
}
