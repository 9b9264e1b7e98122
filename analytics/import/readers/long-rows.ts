/**
 * The seam between readers and the marks importer: every layout becomes the rows of the
 * long layout (`upn,date,session,code`), each field keeping the file, line and column it
 * came from, so the importer's checks and messages are the same whatever the layout.
 */
import type { CsvField, CsvRecord, MappedTable } from "../../csv.ts";

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
}

/** A builder that shares one field object per (date, session) column, so a grid of a year costs one small object per mark. */
export class LongRows {
  readonly rows: CsvRecord[] = [];
  skipped = 0;

  add(line: number, upn: CsvField, date: CsvField, session: CsvField, code: CsvField): void {
    this.rows.push({ line, fields: [upn, date, session, code] });
  }

  table(layout: MarksLayout): MarksTable {
    return { index: LONG_INDEX, rows: this.rows, layout, skipped: this.skipped };
  }
}

/** A value that means "no mark here": an empty cell, or `-` ("not yet taken" in MIS exports). */
export function isNoMark(value: string): boolean {
  const v = value.trim();
  return v === "" || v === "-";
}
