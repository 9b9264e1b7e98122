/**
 * Delimited text (CSV and its cousins) read as a person reads it, with the artefacts that
 * spreadsheets leave behind:
 * - Excel's `sep=,` (or `sep=;`, `sep=|`, `sep=<tab>`) first line, which names the separator;
 * - semicolon- and tab-separated files (Excel in a comma-decimal locale, "Text (Tab
 *   delimited)", MIS "TXT" exports): without a `sep=` line the separator is the one of `,`
 *   `;` tab that the header line uses most, outside quotes;
 * - rows of empty cells (`,,,,`) left by deleted rows or formatting;
 * - a row whose empty last cell lost its separator (one field short of the header);
 * - empty cells after the header's last column (stray formatting to the right).
 * Line numbers stay those of the file, so refusals point where the user looks.
 */
import { parseCsv, type CsvRecord } from "../../csv.ts";

export interface DelimitedTable {
  /** The header (first non-empty record) followed by the data records, artefacts removed. */
  records: CsvRecord[];
  delimiter: string;
}

export const SEP_LINE = /^sep=(.)\s*(?:\r\n|\n|\r|$)/i;
const CANDIDATES = [",", ";", "\t"];

/** The separator the header line uses most (outside quotes); a comma when it uses none. */
export function detectDelimiter(firstLine: string): string {
  const counts = new Map<string, number>(CANDIDATES.map((c) => [c, 0]));
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ",";
  for (const c of CANDIDATES) if (counts.get(c)! > counts.get(best)!) best = c;
  return best;
}

/** First line of the text that holds anything but separators and spaces (the header). */
export function headerLine(text: string): string {
  for (const line of text.split(/\r\n|\n|\r/, 50)) if (/[^,;\t\s]/.test(line)) return line;
  return "";
}

/** A record of empty cells only (a deleted row, formatting): no row at all. */
export const isEmptyRecord = (record: CsvRecord) => record.fields.every((f) => f.value.trim() === "");

/**
 * Parses decoded text into records, separator detected and artefacts removed.
 * @throws InputError for an unclosed quote or text after a closing quote (from parseCsv).
 */
export function readDelimited(text: string, file: string): DelimitedTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const sep = SEP_LINE.exec(body);
  const delimiter = sep ? sep[1] : detectDelimiter(headerLine(body));
  let records = parseCsv(body, file, delimiter);
  if (sep) records = records.slice(1);
  return { records: tidyRecords(records), delimiter };
}

/**
 * Removes the artefacts a spreadsheet leaves in any table (delimited text or a worksheet):
 * empty rows, a last empty cell without its separator, empty cells right of the header.
 */
export function tidyRecords(all: CsvRecord[]): CsvRecord[] {
  const records = all.filter((r) => !isEmptyRecord(r));
  if (records.length === 0) return records;
  const width = records[0].fields.length;
  return records.map((record, i) => (i === 0 ? record : tidyRecord(record, width)));
}

/**
 * One data row of tidyRecords, for a header `width` fields wide: a last empty cell
 * restored (not in a row cut by a stray carriage return), empty cells right of the header
 * dropped; any other row as it is.
 */
export function tidyRecord(record: CsvRecord, width: number): CsvRecord {
  const fields = record.fields;
  // A row cut by a stray CR is not one whose last empty cell lost its separator: padded, its
  // halves had been read as two rows, a mark under the wrong column or lost (csv.ts cutByCr).
  if (fields.length === width - 1 && !record.cutByCr && !record.afterCr) {
    const last = fields[fields.length - 1];
    return { ...record, fields: [...fields, { value: "", line: last.line, column: width }] };
  }
  if (fields.length > width && fields.slice(width).every((f) => f.value.trim() === "")) {
    return { ...record, fields: fields.slice(0, width) };
  }
  return record;
}
