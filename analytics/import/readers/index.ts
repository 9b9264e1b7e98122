/**
 * Reading register files: bytes → text (decode.ts) → table (delimited text or a worksheet)
 * → the rows each importer checks. The importers in analytics/import/ validate and store;
 * nothing here touches the database.
 */
import fs from "node:fs";
import type { CsvRecord } from "../../csv.ts";
import { decodeBytes, type TextEncoding } from "../decode.ts";
import { readDelimited } from "./delimited.ts";
import { looksLikeXlsx, readWorkbook } from "./xlsx.ts";

export { ACCEPTED_LAYOUTS, detectLayout, marksFromRecords } from "./layout.ts";
export { MARKS_LAYOUTS, type MarksLayout, type MarksTable } from "./long-rows.ts";

export interface ReadOptions {
  /** Worksheet of an .xlsx file (its tab's name); the first when omitted. */
  sheet?: string;
}

/** A register file read into records, with what the importer keeps about the source. */
export interface TableSource {
  format: "csv" | "xlsx";
  /** Name used in messages (the name the user gave the file). */
  file: string;
  /** The decoded text (a workbook: its bytes as Latin-1), whose sha256 the import keeps. */
  text: string;
  records: CsvRecord[];
  /** Text files only: the encoding the file was read as. */
  encoding?: TextEncoding;
  /** Workbooks only: the worksheet read. */
  sheet?: string;
}

/**
 * Reads a register file of any accepted format from disk: CSV (or semicolon/tab-separated
 * text) in UTF-8, UTF-16 or Windows-1252, or an .xlsx workbook.
 * @param file the name for messages.
 * @throws InputError for bytes that cannot be decoded, a missing sheet, or bad quoting.
 */
export async function readTableFile(filePath: string, file: string, options: ReadOptions = {}): Promise<TableSource> {
  const bytes = fs.readFileSync(filePath);
  if (looksLikeXlsx(bytes)) {
    const { records, sheet } = await readWorkbook(filePath, file, options.sheet);
    return { format: "xlsx", file, text: bytes.toString("latin1"), records, sheet };
  }
  return tableFromBytes(bytes, file);
}

/** As readTableFile, for text already in memory (not a workbook). */
export function tableFromBytes(bytes: Uint8Array, file: string): TableSource {
  const { text, encoding } = decodeBytes(bytes, file);
  return { format: "csv", file, text, records: readDelimited(text, file).records, encoding };
}
