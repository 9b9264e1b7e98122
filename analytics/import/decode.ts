/**
 * Decoding of every imported text file (pupils, marks, calendar, benchmark CSVs, CTF XML).
 *
 * Schools' files come from Excel, Notepad and MIS exports: UTF-8 with or without a byte-order
 * mark, UTF-16 (Excel's "Unicode text", little- or big-endian, usually with a BOM) and
 * Windows-1252 (Excel's "CSV" on an English Windows). Names such as `Zoë`, `O’Connell` and
 * `Siân` must be stored exactly, so the order is:
 *   1. a byte-order mark decides (UTF-8, UTF-16 LE, UTF-16 BE);
 *   2. no BOM but the NUL-byte pattern of UTF-16 (ASCII text in UTF-16 has a NUL in every
 *      other byte) decides UTF-16 LE or BE;
 *   3. strict UTF-8 (a fatal TextDecoder: any invalid sequence fails);
 *   4. only when UTF-8 fails, Windows-1252 — refused if a byte is one of the five that
 *      Windows-1252 leaves undefined, or if the text holds a NUL.
 * Nothing is ever replaced by U+FFFD: what cannot be decoded is refused with the file, line
 * and column of the first bad byte (InputError).
 *
 * Node's TextDecoder("windows-1252") decodes 0x80–0x9F as C1 controls (as ISO-8859-1) in
 * this build, so the 32 code points that differ from ISO-8859-1 are mapped here from the
 * WHATWG Encoding Standard's index-windows-1252.
 */
import fs from "node:fs";
import { InputError, WrongFileError } from "../csv.ts";

/** The encoding every name's letters survive in, as Excel names it and where it offers it (here and analytics/import/name-letters.ts). */
export const CSV_UTF8 = `"CSV UTF-8" (in Excel: File › Save As, "CSV UTF-8 (Comma delimited)")`;

/**
 * What to do with a file whose bytes cannot be read as text: no line of it can be corrected (a
 * trial's UTF-32 file and a Windows-1252 file behind a UTF-8 byte-order mark were told to
 * "correct line 1, column 1"), it is saved again in an encoding Rollcall reads.
 */
const SAVE_AS_UTF8 = `save it again as ${CSV_UTF8} and import that file`;

/** The refusal of bytes that cannot be decoded, at their place (a WrongFileError: the file is saved again, not corrected there). */
function undecodable(file: string, line: number, column: number, reason: string): WrongFileError {
  return new WrongFileError(file, line, column, `${reason}: ${SAVE_AS_UTF8}`);
}

export type TextEncoding = "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be" | "windows-1252";

export interface Decoded {
  text: string;
  encoding: TextEncoding;
}

/** WHATWG index-windows-1252 for bytes 0x80–0x9F; 0 marks the five undefined bytes. */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/** Bytes examined to tell UTF-16 without a BOM by its NUL pattern. */
const SNIFF_BYTES = 4096;

/**
 * The encoding given by a byte-order mark or, without one, by UTF-16's NUL pattern;
 * undefined when neither applies (then strict UTF-8 is tried, then Windows-1252).
 */
export function sniffEncoding(head: Uint8Array): { encoding: "utf-8-bom" | "utf-16le" | "utf-16be"; bom: number } | undefined {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: "utf-8-bom", bom: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", bom: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", bom: 2 };
  // Without a BOM: register files are mostly ASCII, so UTF-16 shows NULs at every odd byte
  // (LE) or every even byte (BE). Text in an 8-bit encoding has no NULs at all.
  const n = Math.min(head.length - (head.length % 2), SNIFF_BYTES);
  if (n < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul >= pairs * 0.3 && evenNul === 0) return { encoding: "utf-16le", bom: 0 };
  if (evenNul >= pairs * 0.3 && oddNul === 0) return { encoding: "utf-16be", bom: 0 };
  return undefined;
}

/** 1-based line and column of a character offset in decoded text. */
function positionIn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Line and column of a byte offset in an 8-bit or UTF-8 byte sequence (LF counts lines). */
function bytePosition(bytes: Uint8Array, offset: number, oneBytePerCharacter = false): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  // Column in characters: in Windows-1252 every byte is one (’ is 0x92, £ 0xA3: review 53 found
  // them skipped); in UTF-8, count lead bytes (continuation bytes are 10xxxxxx).
  if (oneBytePerCharacter) return { line, column: offset - lineStart + 1 };
  let column = 1;
  for (let i = lineStart; i < offset; i++) if ((bytes[i] & 0xc0) !== 0x80) column++;
  return { line, column };
}

function hex(byte: number): string {
  return `0x${byte.toString(16).toUpperCase().padStart(2, "0")}`;
}

/** Windows-1252 decoding of a whole buffer; refuses undefined bytes and NULs with their position. */
function decodeCp1252(bytes: Uint8Array, file: string, start: number): string {
  const parts: string[] = [];
  let chunk = "";
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i];
    let cp = b;
    if (b >= 0x80 && b <= 0x9f) cp = CP1252_HIGH[b - 0x80];
    if (cp === 0) {
      const at = bytePosition(bytes, i, true);
      throw undecodable(file, at.line, at.column, `byte ${hex(b)} cannot be decoded: the file is neither UTF-8 nor Windows-1252`);
    }
    chunk += String.fromCharCode(cp);
    if (chunk.length >= 65_536) {
      parts.push(chunk);
      chunk = "";
    }
  }
  parts.push(chunk);
  return parts.join("");
}

/** The first NUL in decoded text (a NUL never belongs in a register) is refused, never stored. */
function refuseNul(text: string, file: string, encoding: TextEncoding): void {
  const at = text.indexOf("\u0000");
  if (at < 0) return;
  const pos = positionIn(text, at);
  throw undecodable(file, pos.line, pos.column, `a NUL character cannot be read as text (the file was decoded as ${encoding.toUpperCase()}; is it UTF-32, or not a text file?)`);
}

/**
 * Decodes a whole file's bytes. Returns the text (without its BOM) and the encoding found.
 * @throws InputError naming file, line and column of the first byte that cannot be decoded.
 */
export function decodeBytes(bytes: Uint8Array, file: string): Decoded {
  const sniffed = sniffEncoding(bytes);
  if (sniffed && sniffed.encoding !== "utf-8-bom") {
    const body = bytes.subarray(sniffed.bom);
    if (body.length % 2 !== 0) {
      throw undecodable(file, 1, 1, `the file looks like ${sniffed.encoding.toUpperCase()} but has an odd number of bytes: it is cut short or not UTF-16`);
    }
    try {
      const text = new TextDecoder(sniffed.encoding, { fatal: true, ignoreBOM: true }).decode(body);
      refuseNul(text, file, sniffed.encoding);
      return { text, encoding: sniffed.encoding };
    } catch (error) {
      if (error instanceof InputError) throw error;
      const at = firstBadUtf16(body, sniffed.encoding === "utf-16le");
      throw undecodable(file, at.line, at.column, `an unpaired UTF-16 surrogate cannot be decoded (the file is not valid ${sniffed.encoding.toUpperCase()})`);
    }
  }
  const start = sniffed ? sniffed.bom : 0;
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes.subarray(start));
    const encoding = sniffed ? "utf-8-bom" : "utf-8";
    refuseNul(text, file, encoding);
    return { text, encoding };
  } catch (error) {
    if (error instanceof InputError) throw error;
    // A file that starts with the UTF-8 BOM says it is UTF-8: an invalid byte is damage, not 1252.
    if (sniffed) {
      const bad = firstBadUtf8(bytes, start);
      const at = bytePosition(bytes, bad);
      throw undecodable(file, at.line, at.column, `byte ${hex(bytes[bad])} is not valid UTF-8, though the file starts with a UTF-8 byte-order mark (text in another encoding after it)`);
    }
  }
  const text = decodeCp1252(bytes, file, 0);
  refuseNul(text, file, "windows-1252");
  return { text, encoding: "windows-1252" };
}

/** Offset of the first byte where strict UTF-8 fails (for the refusal's position). */
function firstBadUtf8(bytes: Uint8Array, start: number): number {
  let i = start;
  while (i < bytes.length) {
    const b = bytes[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0) return i;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(i, i + len));
    } catch {
      return i;
    }
    i += len;
  }
  return bytes.length - 1;
}

function firstBadUtf16(body: Uint8Array, littleEndian: boolean): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i + 1 < body.length; i += 2) {
    const unit = littleEndian ? body[i] | (body[i + 1] << 8) : (body[i] << 8) | body[i + 1];
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = i + 3 < body.length ? (littleEndian ? body[i + 2] | (body[i + 3] << 8) : (body[i + 2] << 8) | body[i + 3]) : 0;
      if (next < 0xdc00 || next > 0xdfff) return { line, column };
      i += 2;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return { line, column };
    } else if (unit === 10) {
      line++;
      column = 0;
    }
    column++;
  }
  return { line, column };
}

/** Reads and decodes a whole (small) file. @throws InputError as decodeBytes. */
export function readTextFile(filePath: string, file: string): Decoded {
  return decodeBytes(fs.readFileSync(filePath), file);
}

const STREAM_CHUNK = 1 << 20;

/**
 * Decodes a large file as a stream of text chunks in bounded memory (about 2 MB whatever
 * the file's size). The encoding is decided as decodeBytes decides it: a first pass checks
 * strict UTF-8 (without keeping the text), so the fall-back to Windows-1252 is decided
 * before any text is handed out. Chunks never split a character.
 * @throws InputError naming file, line and column of the first byte that cannot be decoded.
 */
export async function* decodeFileStream(filePath: string, file: string): AsyncGenerator<string, TextEncoding> {
  const handle = await fs.promises.open(filePath, "r");
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    const sniffed = sniffEncoding(head.subarray(0, bytesRead));
    let encoding: TextEncoding;
    if (sniffed && sniffed.encoding !== "utf-8-bom") encoding = sniffed.encoding;
    else if (await validUtf8(handle, sniffed ? sniffed.bom : 0)) encoding = sniffed ? "utf-8-bom" : "utf-8";
    else if (sniffed) {
      // Refuse with the position: the whole-buffer path knows how to find it.
      decodeBytes(await fs.promises.readFile(filePath), file);
      throw new Error("internal: invalid UTF-8 after a BOM was not refused");
    } else encoding = "windows-1252";

    const skip = sniffed ? sniffed.bom : 0;
    const decoder =
      encoding === "windows-1252" ? undefined : new TextDecoder(encoding === "utf-8-bom" ? "utf-8" : encoding, { fatal: true, ignoreBOM: true });
    let line = 1;
    let lineStart = 0; // characters emitted before the current line began
    let emitted = 0;
    let position = skip;
    const buffer = Buffer.alloc(STREAM_CHUNK);
    for (;;) {
      const { bytesRead: n } = await handle.read(buffer, 0, STREAM_CHUNK, position);
      const done = n === 0;
      position += n;
      let text: string;
      if (decoder) {
        try {
          text = decoder.decode(buffer.subarray(0, n), { stream: !done });
        } catch {
          throw undecodable(file, line, 1, `the text on or after this line cannot be decoded as ${encoding.toUpperCase()}`);
        }
      } else {
        // Windows-1252 is one byte per character: a chunk never splits one.
        const bytes = buffer.subarray(0, n);
        try {
          text = decodeCp1252(bytes, file, 0);
        } catch (error) {
          if (error instanceof WrongFileError) throw new WrongFileError(file, line + error.line - 1, error.line === 1 ? emitted - lineStart + error.column : error.column, error.reason);
          throw error;
        }
      }
      const nul = text.indexOf("\u0000");
      if (nul >= 0) {
        const pos = positionIn(text, nul);
        throw undecodable(file, line + pos.line - 1, pos.line === 1 ? emitted - lineStart + pos.column : pos.column, `a NUL character cannot be read as text (the file was decoded as ${encoding.toUpperCase()}; is it UTF-32, or not a text file?)`);
      }
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) {
        line++;
        lineStart = emitted + i + 1;
      }
      emitted += text.length;
      if (text) yield text;
      if (done) break;
    }
    return encoding;
  } finally {
    await handle.close();
  }
}

/** Whether a file (from a byte offset) is valid UTF-8, checked chunk by chunk without keeping text. */
async function validUtf8(handle: fs.promises.FileHandle, from: number): Promise<boolean> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const buffer = Buffer.alloc(STREAM_CHUNK);
  let position = from;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, STREAM_CHUNK, position);
      position += bytesRead;
      decoder.decode(buffer.subarray(0, bytesRead), { stream: bytesRead > 0 });
      if (bytesRead === 0) return true;
    }
  } catch {
    return false;
  }
}

/**
 * Writes a UTF-8 copy of any accepted text file, in bounded memory, for readers that take a
 * file path (DuckDB's read_csv knows UTF-8, UTF-16 and Latin-1, not Windows-1252).
 * @returns the encoding the source was read as.
 * @throws InputError as decodeFileStream (the partial copy is removed).
 */
export async function writeUtf8Copy(source: string, target: string, file: string): Promise<TextEncoding> {
  const out = fs.createWriteStream(target, { encoding: "utf8" });
  try {
    const stream = decodeFileStream(source, file);
    let step = await stream.next();
    while (!step.done) {
      if (!out.write(step.value)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      step = await stream.next();
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    return step.value;
  } catch (error) {
    out.destroy();
    fs.rmSync(target, { force: true });
    throw error;
  }
}
