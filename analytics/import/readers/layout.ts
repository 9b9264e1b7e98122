/**
 * Which register layout a table of marks is in, decided from its header row:
 * - long: one row per pupil per session (`upn,date,session,code`, MIS spellings accepted);
 * - grid: one row per pupil, one column per session (`UPN,…,Mon 06/01/2025 AM,…`);
 * - week strings: `UPN,WeekStart,WeekMarks`;
 * (a CTF is XML, recognised by its first byte and read by ctf.ts).
 * A header that fits none is refused with a message listing the accepted layouts.
 */
import { InputError, dataInHeader, dataWords, emptyFileError, headerKey, headerWords, mapColumns, type CsvRecord } from "../../csv.ts";
import { MARK_COLUMNS } from "../marks.ts";
import { isGridHeader, readGrid } from "./grid.ts";
import type { MarksLayout, MarksTable } from "./long-rows.ts";
import { hasWeekColumn, isWeekHeader, readWeekStrings, weekColumnWords } from "./week.ts";

export const ACCEPTED_LAYOUTS =
  `one row per session ("upn,date,session,code"), a grid (UPN and one column per session headed like "Mon 06/01/2025 AM"), ` +
  `week strings ("UPN,WeekStart,WeekMarks"), a Common Transfer File (CTF XML), or an Excel workbook (.xlsx) holding any of the tables`;

/** Header keys of the long layout's required columns, by column. */
const LONG_COLUMNS = MARK_COLUMNS.filter((c) => c.required).map((c) => new Set([c.name, ...c.aliases].map(headerKey)));

/** The layout a header row announces. @throws InputError when it announces none. */
export function detectLayout(header: CsvRecord, file: string): Exclude<MarksLayout, "ctf"> {
  const keys = header.fields.map((f) => headerKey(f.value));
  const data = dataInHeader(header);
  if (data) {
    throw new InputError(file, header.line, data.column, `the first line is a row of data, not a header (${dataWords(data)}): the file needs a header line naming its columns first, e.g. "upn,date,session,code"; accepted layouts: ${ACCEPTED_LAYOUTS}`);
  }
  if (isWeekHeader(header)) return "week";
  if (isGridHeader(header, file)) return "grid";
  // Two or more of upn/date/session/code: a long file, perhaps with a column missing (then
  // mapColumns names it and the columns found). One alone ("Mark") says too little.
  if (LONG_COLUMNS.filter((names) => keys.some((k) => names.has(k))).length >= 2) return "long";
  // One of the week strings' two columns: week strings with the other missing or mistyped
  // (readWeekStrings names what is missing or repeated), not "not recognised".
  if (hasWeekColumn(header)) return "week";
  throw new InputError(file, header.line, 1, `the register layout is not recognised: the header has ${headerWords(header)}; accepted layouts: ${ACCEPTED_LAYOUTS}`);
}

/**
 * Marks in long rows from a table's records (header first), in the layout given or detected.
 * @throws InputError for an empty file, an unrecognised layout or a bad header or row.
 */
export function marksFromRecords(records: CsvRecord[], file: string, layout?: MarksLayout): MarksTable {
  if (records.length === 0) throw emptyFileError(file);
  const chosen = layout ?? detectLayout(records[0], file);
  switch (chosen) {
    case "long":
      return { ...mapColumns(records, MARK_COLUMNS, file), layout: "long", skipped: 0, errors: [], placedAtCode: false };
    case "grid":
      return readGrid(records, file);
    case "week":
      // Guessed from one week-strings column (a "Week" beside a grid's undated "Mon AM"
      // headings, a pupils file's "Week"): a missing column's refusal names the other layouts
      // too, as "not recognised" did, not week strings alone (review 52b).
      return readWeekStrings(records, file, layout === undefined && !isWeekHeader(records[0]) ? `; read as week strings for its ${weekColumnWords(records[0])}: accepted layouts: ${ACCEPTED_LAYOUTS}` : undefined);
    case "ctf":
      // A CTF is XML and is read by ctf.ts before any table; a table forced to be one is refused.
      throw new InputError(file, 1, 1, `--layout ctf was given but the file is a table, not a Common Transfer File (CTF XML)`);
  }
}
