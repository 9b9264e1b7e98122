/**
 * Reading register files: bytes → text (decode.ts) → table (delimited text or a worksheet)
 * → the rows each importer checks. The importers in analytics/import/ validate and store;
 * nothing here touches the database.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { InputError, WrongFileError, emptyFileError, mapHeader, type CsvRecord } from "../../csv.ts";
import { decodeBytes, decodeFileStream, type TextEncoding } from "../decode.ts";
import { readCtf, type CtfContent } from "./ctf.ts";
import { readDelimited } from "./delimited.ts";
import { openDelimitedStream } from "./delimited-stream.ts";
import { detectLayout, marksFromRecords } from "./layout.ts";
import type { MarksLayout, MarksTable } from "./long-rows.ts";
import { MARK_COLUMNS } from "../marks.ts";
import { looksLikeXlsx, readWorkbook } from "./xlsx.ts";

export { ACCEPTED_LAYOUTS, detectLayout, marksFromRecords } from "./layout.ts";
export type { DelimitedStream } from "./delimited-stream.ts";
export { MARKS_LAYOUTS, type MarksLayout, type MarksTable } from "./long-rows.ts";
export type { CtfContent, CtfSpell } from "./ctf.ts";


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
  /** Workbooks only: why another sheet than the one named was read (for the file's summary). */
  sheetNote?: string;
}

/** A Common Transfer File read: pupils, their history and their marks. */
export interface CtfSource {
  format: "ctf";
  file: string;
  text: string;
  ctf: CtfContent;
}

/** Whether a file's first bytes are XML's `<` (after a BOM, whitespace, or UTF-16's NULs). */
function startsLikeXml(head: Uint8Array): boolean {
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if (b === 0x3c) return true;
    if (b === 0 || b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0xef || b === 0xbb || b === 0xbf || b === 0xff || b === 0xfe) continue;
    return false;
  }
  return false;
}

/**
 * Reads a register file of any accepted format from disk: CSV (or semicolon/tab-separated
 * text) in UTF-8, UTF-16 or Windows-1252, an .xlsx workbook, or a CTF (XML, decoded as a
 * stream and parsed with saxes).
 * @param file the name for messages.
 * @throws InputError for bytes that cannot be decoded, a missing sheet, bad quoting or XML.
 */
export async function readSourceFile(filePath: string, file: string, options: ReadOptions = {}): Promise<TableSource | CtfSource> {
  const head = Buffer.alloc(64);
  const fd = fs.openSync(filePath, "r");
  try {
    fs.readSync(fd, head, 0, 64, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (startsLikeXml(head)) {
    const hash = createHash("sha256");
    const chunks = (async function* () {
      for await (const chunk of decodeFileStream(filePath, file)) {
        hash.update(chunk, "utf8");
        yield chunk;
      }
    })();
    const ctf = await readCtf(chunks, file);
    // The import keeps a digest of the text; for a CTF it is of the decoded stream.
    return { format: "ctf", file, text: `sha256:${hash.digest("hex")}`, ctf };
  }
  return readTableFile(filePath, file, options);
}

/**
 * Reads a table file (CSV or .xlsx) from disk.
 * @throws InputError for bytes that cannot be decoded, a missing sheet, or bad quoting.
 */
export async function readTableFile(filePath: string, file: string, options: ReadOptions = {}): Promise<TableSource> {
  const bytes = fs.readFileSync(filePath);
  if (looksLikeXlsx(bytes)) {
    const { records, sheet, note } = await readWorkbook(filePath, file, options.sheet);
    return { format: "xlsx", file, text: bytes.toString("latin1"), records, sheet, ...(note ? { sheetNote: note } : {}) };
  }
  const notWorkbook = workbookNameProblem(bytes, file);
  if (notWorkbook) throw notWorkbook;
  return tableFromBytes(bytes, file);
}

/**
 * A file named as a workbook (.xlsx, .xlsm) that is not one (not a ZIP archive), or an Excel
 * 97–2003 workbook (an OLE2 file, which exceljs cannot read) by whatever name: the InputError
 * to throw (a WrongFileError: no line of it can be corrected), at line 1, column 1; null otherwise. Such a file was read as CSV and its fault
 * given as a CSV header's ('the header has "this is not a workbook"': trial 30). An .xls of
 * text is read as text (some systems write CSV under that name). `head`: the file's first bytes.
 */
export function workbookNameProblem(head: Uint8Array, file: string): WrongFileError | null {
  if (looksLikeXlsx(head)) return null;
  const named = /\.(xlsx|xlsm)$/i.exec(file)?.[1]?.toLowerCase();
  const oldExcel = head.length >= 4 && head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0;
  if (oldExcel) return new WrongFileError(file, 1, 1, "this is an Excel 97–2003 workbook (.xls), which Rollcall cannot read: open it in Excel and save it as an Excel Workbook (.xlsx) or as CSV");
  if (named) return new WrongFileError(file, 1, 1, `the file is named .${named} but is not an Excel workbook (an .xlsx file is a ZIP archive and this one is not): open it in Excel and save it again as an Excel Workbook (.xlsx), or as CSV`);
  return null;
}

/** As readTableFile, for text already in memory (not a workbook). */
export function tableFromBytes(bytes: Uint8Array, file: string): TableSource {
  const { text, encoding } = decodeBytes(bytes, file);
  return { format: "csv", file, text, records: readDelimited(text, file).records, encoding };
}

/**
 * A marks file in the long layout (one row per session), read as a stream: its header
 * mapped to the canonical columns, its rows in batches (importMarks checks and stages each
 * batch as it comes, so memory does not grow with the file).
 */
export interface LongMarksStream {
  format: "stream";
  file: string;
  /** Canonical column name to 0-based field index (as MappedTable.index). */
  index: Map<string, number>;
  /** Fields in the header: every row must have as many. */
  width: number;
  batches: AsyncGenerator<CsvRecord[], void, undefined>;
  /** SHA-256 of the decoded text, once `batches` has been read to its end. */
  digest(): string;
  close(): Promise<void>;
}

/** A marks file opened for import: long delimited text as a stream, anything else read whole. */
export type MarksSource =
  | LongMarksStream
  | { format: "table"; file: string; text: string; table: MarksTable; /** As TableSource.sheetNote. */ sheetNote?: string; /** As TableSource.sheet. */ sheet?: string }
  | CtfSource;

/**
 * Opens a marks file. Long delimited text (the layout large MIS exports use) is streamed;
 * a grid, week strings or a workbook is read whole (a grid or week file holds a year in a
 * few thousand rows, a workbook is at most ~1M rows by Excel's own limit), and a CTF is read
 * as readSourceFile does. `layout` forces the layout, else the header decides (layout.ts).
 * @throws InputError for bytes that cannot be decoded, an empty file, an unrecognised layout
 *   or a bad header; the rows' own faults come later, from importMarks.
 */
export async function openMarksFile(
  filePath: string,
  file: string,
  options: ReadOptions & { layout?: MarksLayout } = {},
): Promise<MarksSource> {
  const head = Buffer.alloc(64);
  const fd = fs.openSync(filePath, "r");
  let headBytes: number;
  try {
    headBytes = fs.readSync(fd, head, 0, 64, 0);
  } finally {
    fs.closeSync(fd);
  }
  const whole = async (): Promise<MarksSource> => {
    const source = await readSourceFile(filePath, file, options);
    if (source.format === "ctf") return source;
    let table: MarksTable;
    try {
      table = marksFromRecords(source.records, file, options.layout);
    } catch (error) {
      // A workbook's header fault names its sheet (InputError.asWorkbook).
      if (error instanceof InputError && source.sheet !== undefined) error.sheet = source.sheet;
      throw error;
    }
    return { format: "table", file, text: source.text, table, ...(source.sheetNote ? { sheetNote: source.sheetNote } : {}), ...(source.sheet !== undefined ? { sheet: source.sheet } : {}) };
  };
  const notWorkbook = workbookNameProblem(head.subarray(0, headBytes), file);
  if (notWorkbook) throw notWorkbook;
  if (startsLikeXml(head.subarray(0, headBytes)) || looksLikeXlsx(head.subarray(0, headBytes))) return whole();
  const stream = await openDelimitedStream(filePath, file);
  try {
    if (!stream.header) throw emptyFileError(file);
    const layout = options.layout ?? detectLayout(stream.header, file);
    if (layout !== "long") {
      await stream.close();
      return whole();
    }
    const index = mapHeader(stream.header, MARK_COLUMNS, file);
    return { format: "stream", file, index, width: stream.header.fields.length, batches: stream.batches, digest: stream.digest, close: stream.close };
  } catch (error) {
    await stream.close();
    throw error;
  }
}
