/**
 * Whether a long marks file is "plain": text that DuckDB's own `read_csv` reads into exactly
 * the rows Rollcall's reader gives (decode.ts → delimited-stream.ts → csv.ts), so the import
 * may hand the file to DuckDB (analytics/import/marks-sql.ts) instead of parsing it in
 * JavaScript. Decided by one pass over the bytes in bounded memory (one chunk at a time),
 * which also gives the SHA-256 the import keeps. Nothing here touches the database.
 *
 * Plain means:
 * - UTF-8 (strict, as decode.ts tries it first), with or without a byte-order mark, and no
 *   NUL byte: a file in UTF-16 or Windows-1252 keeps the reader that decodes it;
 * - no double quote anywhere: no field is quoted, so no field can hold a separator or span
 *   lines, and each record is one line;
 * - no carriage return except in CRLF line ends, and line ends of one kind (CRLF or LF);
 * - the header on the first line (no `sep=` line, no empty rows above it), announcing the
 *   long layout, with every required column (mapHeader); a header that would be refused is
 *   left to the reader that names the fault.
 * What a plain file may still hold that DuckDB reads differently from Rollcall's reader —
 * a row of empty cells, a row one field short — is found by the SQL path, which then hands
 * the file back to the reader (see marks-sql.ts).
 */
import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { CsvParser, mapHeader, type CsvRecord } from "../../csv.ts";
import { sniffEncoding } from "../decode.ts";
import { MARK_COLUMNS } from "../marks.ts";
import { SEP_LINE, detectDelimiter } from "./delimited.ts";
import { detectLayout } from "./layout.ts";
import type { MarksLayout } from "./long-rows.ts";

/** A plain long marks file (see the module comment). */
export interface PlainMarksCsv {
  /** The file on disk, and its name in messages. */
  path: string;
  file: string;
  /** The separator: `,`, `;` or a tab, as readDelimited detects it. */
  delimiter: string;
  /** Fields in the header. */
  width: number;
  /** Canonical column name to 0-based field index (mapHeader). */
  index: Map<string, number>;
  /** SHA-256 (hex) of the decoded text: the bytes after any byte-order mark. */
  digest: string;
  /** Whether the file starts with a UTF-8 byte-order mark (read_csv skips it, as decode.ts does). */
  bom: boolean;
}

/** The outcome of the scan: the plain file, or why it is not one (for the bench and tests). */
export type PlainScan = { plain: PlainMarksCsv; why?: undefined } | { plain?: undefined; why: string };

const CHUNK = 1 << 20;
/** A header line longer than this is not plain (no register header is a megabyte long). */
const MAX_HEADER_BYTES = CHUNK;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/**
 * Scans a marks file (see the module comment). `layout`, when given, is the layout forced
 * with --layout: any other than "long" is not plain.
 */
export async function scanPlainMarksCsv(filePath: string, file: string, layout?: MarksLayout): Promise<PlainScan> {
  if (layout !== undefined && layout !== "long") return { why: `the layout ${layout} was given` };
  // A name that says workbook is the reader's to judge (readers/index.ts workbookNameProblem):
  // CSV text named .xlsx had gone this way and been imported (trial 30b).
  if (/\.(xlsx|xlsm|xls)$/i.test(file)) return { why: "the file is named as a workbook" };
  const handle = await fs.promises.open(filePath, "r");
  try {
    const buffer = Buffer.alloc(CHUNK);
    const hash = createHash("sha256");
    const utf8 = new Utf8Check();
    let position = 0;
    let bom = false;
    let headerBytes: Buffer[] | undefined = [];
    let headerLength = 0;
    let crAtEnd = false;
    let sawCrlf = false;
    let sawBareLf = false;
    let found: HeaderFound | undefined;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
      let chunk = buffer.subarray(0, bytesRead);
      if (position === 0) {
        const sniffed = sniffEncoding(chunk);
        if (sniffed?.encoding === "utf-8-bom") {
          bom = true;
          chunk = chunk.subarray(3);
        } else if (sniffed) return { why: `the file is ${sniffed.encoding.toUpperCase()}` };
      }
      position += bytesRead;
      if (bytesRead === 0) break;
      if (crAtEnd && chunk[0] !== LF) return { why: "a carriage return ends a line without a line feed" };
      if (chunk.indexOf(QUOTE) >= 0) return { why: "the file has quoted fields" };
      if (chunk.indexOf(0) >= 0) return { why: "the file holds a NUL byte" };
      const firstCr = chunk.indexOf(CR);
      for (let i = firstCr; i >= 0; i = chunk.indexOf(CR, i + 1)) {
        if (i + 1 < chunk.length && chunk[i + 1] !== LF) return { why: "a carriage return ends a line without a line feed" };
      }
      // Line ends of both kinds (CRLF and a bare LF) stop DuckDB's strict reader with "invalid
      // state", which aborted the import's transaction (trial 35: a long file with one CRLF line).
      // A chunk with no CR has only bare LFs; in one with CRs each LF is checked, one look a line.
      if (firstCr < 0) sawBareLf ||= chunk.indexOf(LF) >= 0;
      else {
        sawCrlf = true;
        for (let i = sawBareLf ? -1 : chunk.indexOf(LF); i >= 0; i = chunk.indexOf(LF, i + 1)) {
          if ((i > 0 ? chunk[i - 1] : crAtEnd ? CR : 0) !== CR) {
            sawBareLf = true;
            break;
          }
        }
      }
      if (sawCrlf && sawBareLf) return { why: "the file's lines end in both CRLF and LF" };
      crAtEnd = chunk[chunk.length - 1] === CR;
      if (!utf8.push(chunk)) return { why: "the file is not UTF-8" };
      hash.update(chunk);
      if (headerBytes) {
        const end = chunk.indexOf(LF);
        headerBytes.push(Buffer.from(end >= 0 ? chunk.subarray(0, end) : chunk));
        headerLength += end >= 0 ? end : chunk.length;
        if (end >= 0) {
          const header = headerOf(Buffer.concat(headerBytes).toString("utf8"), file, layout);
          if ("why" in header) return header;
          headerBytes = undefined;
          found = header;
        } else if (headerLength > MAX_HEADER_BYTES) return { why: "the first line is over a megabyte long" };
      }
    }
    if (!utf8.end()) return { why: "the file is not UTF-8" };
    if (crAtEnd) return { why: "a carriage return ends a line without a line feed" };
    // A file of one line without a line end: its header is the whole text.
    if (headerBytes) {
      const header = headerOf(Buffer.concat(headerBytes).toString("utf8"), file, layout);
      if ("why" in header) return header;
      found = header;
    }
    if (!found) return { why: "the file is empty" };
    return { plain: { path: filePath, file, delimiter: found.delimiter, width: found.header.fields.length, index: found.index, digest: hash.digest("hex"), bom } };
  } finally {
    await handle.close();
  }
}

/**
 * Strict UTF-8 validation of a file read in chunks (what decode.ts's fatal TextDecoder accepts:
 * no overlong forms, surrogates or code points past U+10FFFF), by Node's isUtf8, which checks
 * without making a string: the demo school's year (2.8 MB) in 0.1 ms against 4.5 ms for
 * decoding it. A character cut by a chunk's end is carried into the next chunk.
 */
class Utf8Check {
  private carry: Buffer = Buffer.alloc(0);

  /** Whether the bytes so far are UTF-8 (a character left incomplete at the end is judged with the next chunk). */
  push(chunk: Buffer): boolean {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = incompleteTail(bytes);
    this.carry = Buffer.from(bytes.subarray(cut));
    return isUtf8(bytes.subarray(0, cut));
  }

  /** Whether the file ended on a whole character. */
  end(): boolean {
    return this.carry.length === 0;
  }
}

/**
 * Where a last character that the bytes do not finish starts (a lead byte with fewer than its
 * continuation bytes after it), else the length: what lies before it can be judged alone.
 */
function incompleteTail(bytes: Buffer): number {
  let start = bytes.length - 1;
  while (start >= 0 && bytes.length - start <= 3 && (bytes[start] & 0xc0) === 0x80) start--;
  if (start < 0) return bytes.length;
  const lead = bytes[start];
  const needs = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return bytes.length - start < needs ? start : bytes.length;
}

interface HeaderFound {
  header: CsvRecord;
  delimiter: string;
  index: Map<string, number>;
}

/** The header of a plain file from its first line (CR of a CRLF removed), or why there is none. */
function headerOf(
  firstLine: string,
  file: string,
  layout: MarksLayout | undefined,
): HeaderFound | { why: string } {
  const line = firstLine.endsWith("\r") ? firstLine.slice(0, -1) : firstLine;
  if (SEP_LINE.test(line)) return { why: "the file starts with a sep= line" };
  // readDelimited takes the first line holding anything but separators and spaces as the header.
  if (!/[^,;\t\s]/.test(line)) return { why: "the header is not on the first line" };
  const delimiter = detectDelimiter(line);
  const [header] = new CsvParser(file, delimiter).push(line, true);
  try {
    if ((layout ?? detectLayout(header, file)) !== "long") return { why: "the file is not in the long layout" };
    return { header, delimiter, index: mapHeader(header, MARK_COLUMNS, file) };
  } catch {
    // The reader refuses this header and names the fault.
    return { why: "the header is refused" };
  }
}
