/**
 * The grid layout: one row per pupil, one column per session, the code in each cell.
 *   UPN,Surname,Forename,Mon 06/01/2025 AM,Mon 06/01/2025 PM,…
 * Session headers are read by parseSessionHeader (several spellings); other columns
 * (names, class) are ignored. A blank cell (or `-`) is a session with no mark: skipped and
 * reported, never counted.
 */
import { InputError, UPN_HEADERS, headerKey, headerWords, widthError, type CsvField, type CsvRecord } from "../../csv.ts";
import { faultsTogether } from "../problems.ts";
import { parseSessionHeader, SessionHeaderError } from "./dates.ts";
import { LongRows, isNoMark, type MarksTable } from "./long-rows.ts";

interface SessionColumn {
  position: number;
  date: CsvField;
  session: CsvField;
}

/**
 * Whether a header announces a grid: a column headed with a date, read as a session or faulty
 * (its faults are then readGrid's to report, every one with the header's others).
 */
export function isGridHeader(header: CsvRecord, file: string): boolean {
  const { columns, faults } = readSessionColumns(header, file);
  return columns.length > 0 || faults.length > 0;
}

/** The header's session columns and its session headers' faults (each with its line and column), every one. */
function readSessionColumns(header: CsvRecord, file: string): { columns: SessionColumn[]; faults: InputError[] } {
  const columns: SessionColumn[] = [];
  const faults: InputError[] = [];
  const seen = new Map<string, number>();
  header.fields.forEach((field, position) => {
    let parsed;
    try {
      parsed = parseSessionHeader(field.value);
    } catch (error) {
      if (!(error instanceof SessionHeaderError)) throw error;
      faults.push(new InputError(file, header.line, field.column, `column header "${field.value}" is not a session: ${error.message} (expected e.g. "Mon 06/01/2025 AM")`));
      return;
    }
    if (!parsed) return;
    const key = `${parsed.iso} ${parsed.session}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      faults.push(new InputError(file, header.line, field.column, `column "${field.value}" repeats the session ${key} of column ${earlier}`));
      return;
    }
    seen.set(key, field.column);
    // One field object per column, shared by every pupil's mark in it (memory: see LongRows).
    columns.push({
      position,
      date: { value: parsed.iso, line: header.line, column: field.column },
      session: { value: parsed.session, line: header.line, column: field.column },
    });
  });
  return { columns, faults };
}

/** Reads grid records (header first) into long rows. @throws InputError for a missing UPN column or a bad session header (every fault of the header at once). */
export function readGrid(records: CsvRecord[], file: string): MarksTable {
  const [header, ...rows] = records;
  const upnAt = header.fields.findIndex((f) => UPN_HEADERS.includes(headerKey(f.value)));
  // Every fault of the header at once: the UPN column missing and each bad session header.
  const { columns, faults } = readSessionColumns(header, file);
  if (upnAt < 0) faults.unshift(new InputError(file, header.line, 1, `a grid needs a "UPN" column: the header has ${headerWords(header)}`));
  if (faults.length > 0) throw faultsTogether(faults);
  if (columns.length === 0) throw new InputError(file, header.line, 1, `a grid needs at least one session column, headed like "Mon 06/01/2025 AM"`);
  const out = new LongRows();
  const width = header.fields.length;
  for (const row of rows) {
    out.row(() => {
      if (row.fields.length !== width) {
        throw widthError(row, width, file);
      }
      const upn = row.fields[upnAt];
      for (const c of columns) {
        const cell = row.fields[c.position];
        if (isNoMark(cell.value)) out.skipped++;
        else out.add(row.line, upn, c.date, c.session, cell);
      }
    });
  }
  return out.table("grid");
}
