/**
 * Excel workbooks (.xlsx): the first worksheet, or the one named, read as a table of records
 * with each cell's row (as the line) and column, so every layout and message works as for a
 * CSV. Read with exceljs's streaming WorkbookReader, a row at a time: a year's grid for a
 * large school is tens of MB of XML.
 *
 * Cell values as a person sees them: a date cell (Excel stores a serial number with a date
 * format) becomes an ISO date `YYYY-MM-DD`, a number its decimal text (`3`, not `3.0`), a
 * formula its cached result, rich text its plain text, TRUE/FALSE as such.
 */
import type { Readable } from "node:stream";
import ExcelJS from "exceljs";
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

/**
 * Reads one worksheet of a workbook into records (header first), artefacts removed as for CSV.
 * @param sheet the worksheet's name (as on its tab, case-insensitive); the first when omitted.
 * @throws InputError when the workbook cannot be read or the named sheet is not in it.
 */
export async function readWorkbook(input: string | Readable, file: string, sheet?: string): Promise<{ records: CsvRecord[]; sheet: string }> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input as string, {
    worksheets: "emit",
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  const names: string[] = [];
  let found: { records: CsvRecord[]; sheet: string } | undefined;
  try {
    for await (const worksheet of reader) {
      const name = (worksheet as unknown as { name: string }).name;
      names.push(name);
      const wanted = found === undefined && (sheet === undefined || name.toLowerCase() === sheet.trim().toLowerCase());
      const records: CsvRecord[] = [];
      for await (const row of worksheet) {
        if (!wanted) continue; // the stream must still be read past this sheet
        const values = row.values as unknown[];
        const fields: CsvField[] = [];
        for (let c = 1; c < values.length; c++) fields.push({ value: cellText(values[c]), line: row.number, column: c });
        records.push({ line: row.number, fields });
      }
      if (wanted) found = { records: tidyRecords(widen(records)), sheet: name };
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(file, 1, 1, `the workbook cannot be read as .xlsx (${(error as Error).message.slice(0, 80)})`);
  }
  if (!found) {
    if (sheet !== undefined) throw new InputError(file, 1, 1, `the workbook has no sheet named "${sheet}"; its sheets are ${names.map((n) => `"${n}"`).join(", ")}`);
    throw new InputError(file, 1, 1, "the workbook has no worksheets");
  }
  return found;
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
