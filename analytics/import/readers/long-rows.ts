/**
 * The seam between readers and the marks importer: every layout becomes the rows of the
 * long layout (`upn,date,session,code`), each field keeping the file, line and column it
 * came from, so the importer's checks and messages are the same whatever the layout.
 */
import { InputError, type CsvField, type CsvRecord, type MappedTable } from "../../csv.ts";

/** Canonical column positions in a long-rows table (what MARK_COLUMNS maps to). */
export const LONG_INDEX = new Map<string, number>([
  ["upn", 0],
  ["date", 1],
  ["session", 2],
  ["code", 3],
]);

export type MarksLayout = "long" | "grid" | "week" | "ctf";
export const MARKS_LAYOUTS: readonly MarksLayout[] = ["long", "grid", "week", "ctf"];

/**
 * A table's long rows in the file's order, counted: an array, or rows made as they are read
 * (string-rows.ts StringRows: a week string's or a CTF's marks).
 */
export interface MarkRows extends Iterable<CsvRecord> {
  readonly length: number;
}

/** Marks in long rows, ready for importMarks, with what the reader left out. */
export interface MarksTable extends Omit<MappedTable, "rows"> {
  rows: MarkRows;
  layout: MarksLayout;
  /** Cells that held no mark (blank, or `-` for "not yet taken"): reported, never counted. */
  skipped: number;
  /**
   * Faults of a row's own layout (a week string too long, a week start that is not a Monday,
   * a row short of fields): the row gives no marks and the reader goes on, so the importer
   * refuses the file with these and every other fault at once (up to 50), not the first alone.
   */
  errors: InputError[];
  /**
   * Whether each mark's date and session are given by its code's own character (a week string,
   * a CTF's AttendMarks: session-string.ts), not by fields of their own: a fault of the date
   * (a holiday, a weekend, after today) or a session given twice is then said at that character,
   * the row's own line and column. Their fields are shared by every mark of the same session and
   * carry no place (a CTF's holiday marks were all said at the first pupil's line, "2 rows have
   * marks in this column"). False for a long file (each cell its own) and a grid (the date is its
   * column's header cell).
   */
  placedAtCode: boolean;
}

/** A builder that shares one field object per (date, session) column, so a grid of a year costs one small object per mark. */
export class LongRows {
  readonly rows: CsvRecord[] = [];
  readonly errors: InputError[] = [];
  skipped = 0;

  /** Runs one row's reading, keeping an InputError it throws (the row gives no marks) and going on. */
  row(read: () => void): void {
    try {
      read();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.errors.push(error);
    }
  }

  add(line: number, upn: CsvField, date: CsvField, session: CsvField, code: CsvField): void {
    this.rows.push({ line, fields: [upn, date, session, code] });
  }

  table(layout: MarksLayout): MarksTable {
    return { index: LONG_INDEX, rows: this.rows, layout, skipped: this.skipped, errors: this.errors, placedAtCode: layout === "week" || layout === "ctf" };
  }
}

/** A value that means "no mark here": an empty cell, or `-` ("not yet taken" in MIS exports). */
export function isNoMark(value: string): boolean {
  const v = value.trim();
  return v === "" || v === "-";
}
