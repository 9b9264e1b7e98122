/**
 * Excel workbooks (.xlsx): the first worksheet, or the one named, read as a table of records
 * with each cell's row (as the line) and column, so every layout and message works as for a
 * CSV. Read with exceljs's streaming WorkbookReader, a row at a time (a year's grid for a
 * large school is tens of MB of XML), or whole when the zip's order defeats streaming.
 *
 * Cell values as a person sees them: a date cell (Excel stores a serial number with a date
 * format) becomes an ISO date `YYYY-MM-DD`, a number its decimal text (`3`, not `3.0`), a
 * formula its cached result, rich text its plain text, TRUE/FALSE as such.
 */
import { excelJS } from "../../exceljs.ts";
import { InputError, type CsvField, type CsvRecord } from "../../csv.ts";
import { tidyRecords } from "./delimited.ts";

/** An .xlsx file is a ZIP archive: "PK\x03\x04". */
export function looksLikeXlsx(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The text of one cell value as Excel would show it in a CSV export (dates as ISO). */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) {
    // exceljs gives date cells as UTC instants; a register date has no time of day.
    const date = `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
    const ms = value.getUTCHours() * 3600 + value.getUTCMinutes() * 60 + value.getUTCSeconds();
    return ms === 0 ? date : `${date} ${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}`;
  }
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "string") return value;
  if (typeof value === "object") {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: string; formula?: string; sharedFormula?: string };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join("");
    if ("result" in v || v.formula !== undefined || v.sharedFormula !== undefined) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    if (v.error !== undefined) return v.error;
  }
  return String(value);
}

/** One worksheet's rows as exceljs gives them, in either reader. */
interface SheetRow {
  number: number;
  values: unknown;
}

/**
 * Reads one worksheet of a workbook into records (header first), artefacts removed as for CSV.
 * Streamed (exceljs's WorkbookReader) for its memory: a 2,000-pupil year's grid (380 session
 * columns, 2.5 MB) peaked at 130 MB of RSS streamed against 427 MB read whole, and took 1.9 s
 * against 9.5 s. The streaming reader needs xl/workbook.xml (the sheets' names) before the
 * worksheets in the zip; a workbook saved with it after them (some tools write it so) fails
 * there ("Cannot read properties of undefined (reading 'sheets')", exceljs issue #962) or
 * gives worksheets without names, so such a workbook is read whole instead (readWhole).
 * @param sheet the worksheet's name (as on its tab, case-insensitive); the first when omitted.
 *   A workbook of one sheet without that name gives its one sheet, with `note` saying so.
 * @throws InputError when the workbook cannot be read, or has several sheets and none of that name.
 */
export async function readWorkbook(filePath: string, file: string, sheet?: string): Promise<{ records: CsvRecord[]; sheet: string; note?: string }> {
  const read = await readSheets(filePath, file, sheet);
  // One sheet name serves every workbook of an import (the Import page's one field, the CLI's
  // --sheet): a workbook with only one sheet has no other to mean (trial20a: pupils.xlsx
  // "Pupils" beside marks.xlsx "Notes" and "Marks" was refused).
  if (sheet !== undefined && read.missing && read.sheets.length === 1) {
    const only = await readSheets(filePath, file, undefined);
    if (!only.missing) return { ...only.found, note: `the workbook has no sheet named "${sheet}"; its one sheet, "${only.found.sheet}", was read` };
  }
  if (read.missing) {
    if (sheet !== undefined) throw new InputError(file, 1, 1, `the workbook has no sheet named "${sheet}"; its sheets are ${read.sheets.map((s) => `"${s}"`).join(", ")}`);
    throw new InputError(file, 1, 1, "the workbook has no worksheets");
  }
  return read.found;
}

/** The wanted sheet's records (`missing` when it is not there) and every sheet's name. */
async function readSheets(
  filePath: string,
  file: string,
  sheet: string | undefined,
): Promise<{ missing: true; sheets: string[] } | { missing: false; sheets: string[]; found: { records: CsvRecord[]; sheet: string } }> {
  let sheets: { name: string; rows: CsvRecord[] | null }[];
  try {
    sheets = await readStreamed(filePath, sheet);
  } catch (error) {
    if (error instanceof InputError) throw error;
    try {
      sheets = await readWhole(filePath, sheet);
    } catch {
      // The streaming reader's message says what it could not read; the whole reader's adds nothing.
      throw new InputError(file, 1, 1, `the workbook cannot be read as .xlsx (${(error as Error).message.slice(0, 80)})`);
    }
  }
  const names = sheets.map((s) => s.name);
  const found = sheets.find((s) => s.rows !== null);
  if (!found?.rows) return { missing: true, sheets: names };
  return { missing: false, sheets: names, found: { records: tidyRecords(widen(found.rows)), sheet: found.name } };
}

/** Whether a worksheet is the one asked for (the first when none is named). */
const isWanted = (name: string, sheet: string | undefined, foundAlready: boolean) =>
  !foundAlready && (sheet === undefined || name.toLowerCase() === sheet.trim().toLowerCase());

function recordOf(row: SheetRow): CsvRecord {
  const values = row.values as unknown[];
  const fields: CsvField[] = [];
  for (let c = 1; c < values.length; c++) fields.push({ value: cellText(values[c]), line: row.number, column: c });
  return { line: row.number, fields };
}

/** Thrown when the streaming reader met a worksheet before the workbook's list of sheets. */
class SheetNamesNotYetRead extends Error {}

/** Every worksheet's name in order, with the rows of the one wanted (null for the others). */
async function readStreamed(filePath: string, sheet: string | undefined): Promise<{ name: string; rows: CsvRecord[] | null }[]> {
  const reader = new (await excelJS()).stream.xlsx.WorkbookReader(filePath, {
    worksheets: "emit",
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  const sheets: { name: string; rows: CsvRecord[] | null }[] = [];
  for await (const worksheet of reader) {
    const name = (worksheet as unknown as { name?: string }).name;
    // No name: the zip gave this worksheet before xl/workbook.xml, so which tab it is cannot be told.
    if (name === undefined) throw new SheetNamesNotYetRead("a worksheet comes before the workbook's list of sheets");
    const wanted = isWanted(name, sheet, sheets.some((s) => s.rows !== null));
    const rows: CsvRecord[] = [];
    for await (const row of worksheet) {
      if (wanted) rows.push(recordOf(row)); // the stream must still be read past an unwanted sheet
    }
    sheets.push({ name, rows: wanted ? rows : null });
  }
  return sheets;
}

/** As readStreamed, with the whole workbook read into memory first (any order of the zip's entries). */
async function readWhole(filePath: string, sheet: string | undefined): Promise<{ name: string; rows: CsvRecord[] | null }[]> {
  const book = new (await excelJS()).Workbook();
  await book.xlsx.readFile(filePath);
  const sheets: { name: string; rows: CsvRecord[] | null }[] = [];
  for (const worksheet of book.worksheets) {
    const wanted = isWanted(worksheet.name, sheet, sheets.some((s) => s.rows !== null));
    const rows: CsvRecord[] = [];
    if (wanted) worksheet.eachRow({ includeEmpty: false }, (row) => rows.push(recordOf(row)));
    sheets.push({ name: worksheet.name, rows: wanted ? rows : null });
  }
  return sheets;
}

/**
 * A worksheet row stops at its last non-empty cell; a CSV row has every column. Give each
 * row the header's width (empty cells filled in) so both read the same.
 */
function widen(records: CsvRecord[]): CsvRecord[] {
  const header = records.find((r) => r.fields.some((f) => f.value.trim() !== ""));
  if (!header) return records;
  let width = header.fields.length;
  while (width > 0 && header.fields[width - 1].value.trim() === "") width--;
  return records.map((r) => {
    const fields = r.fields.slice(0, Math.max(width, lastFilled(r.fields)));
    for (let c = fields.length + 1; c <= width; c++) fields.push({ value: "", line: r.line, column: c });
    return { line: r.line, fields };
  });
}

function lastFilled(fields: CsvField[]): number {
  let n = fields.length;
  while (n > 0 && fields[n - 1].value.trim() === "") n--;
  return n;
}
