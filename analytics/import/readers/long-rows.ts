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

/** Marks in long rows, ready for importMarks, with what the reader left out. */
export interface MarksTable extends MappedTable {
  layout: MarksLayout;
  /** Cells that held no mark (blank, or `-` for "not yet taken"): reported, never counted. */
  skipped: number;
  /**
   * Faults of a row's own layout (a week string too long, a week start that is not a Monday,
   * a row short of fields): the row gives no marks and the reader goes on, so the importer
   * refuses the file with these and every other fault at once (up to 50), not the first alone.
   */
  errors: InputError[];
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
    return { index: LONG_INDEX, rows: this.rows, layout, skipped: this.skipped, errors: this.errors };
  }
}

/** A value that means "no mark here": an empty cell, or `-` ("not yet taken" in MIS exports). */
export function isNoMark(value: string): boolean {
  const v = value.trim();
  return v === "" || v === "-";
}
