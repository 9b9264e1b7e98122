/**
 * Delimited text read as a stream, for marks files too large to hold in memory (a trust's
 * year is millions of rows): the same decoding (decode.ts, decodeFileStream), separator
 * detection, `sep=` line, quoting and tidying as readDelimited, but records come out in
 * batches of about a megabyte of text, so memory holds one chunk whatever the file's size.
 * Line and column numbers are those of the file, as readDelimited gives them.
 */
import { createHash } from "node:crypto";
import { CsvParser, type CsvRecord } from "../../csv.ts";
import { decodeFileStream, type TextEncoding } from "../decode.ts";
import { SEP_LINE, detectDelimiter, headerLine, isEmptyRecord, tidyRecord } from "./delimited.ts";

/** Line breaks readDelimited looks through for the header (it reads at most 50 lines). */
const HEAD_LINES = 50;
/** A head longer than this is taken as it is (no header line is megabytes long). */
const HEAD_MAX_CHARS = 4 * 1024 * 1024;

export interface DelimitedStream {
  /** The header: the first record with anything in it; undefined for an empty file. */
  header: CsvRecord | undefined;
  delimiter: string;
  /** The data records after the header, tidied as tidyRecords does, in file order. */
  batches: AsyncGenerator<CsvRecord[], void, undefined>;
  /** SHA-256 (hex) of the decoded text, as sha256(text) of the whole file; complete once `batches` has ended. */
  digest(): string;
  /** The encoding the file is read as (known once the stream is open). */
  encoding: () => TextEncoding | undefined;
  /** Closes the file; needed only when `batches` is not read to its end. */
  close(): Promise<void>;
}

/**
 * Opens a delimited text file and reads up to its header.
 * @throws InputError for bytes that cannot be decoded (checked before any text is handed
 *   out, as decodeFileStream does) or bad quoting in the head; later rows' faults are thrown
 *   by `batches` as they are reached.
 */
export async function openDelimitedStream(filePath: string, file: string): Promise<DelimitedStream> {
  const chunks = decodeFileStream(filePath, file);
  const hash = createHash("sha256");
  let encoding: TextEncoding | undefined;
  let ended = false;
  let closed = false;

  const nextChunk = async (): Promise<string | undefined> => {
    if (ended) return undefined;
    const step = await chunks.next();
    if (step.done) {
      ended = true;
      encoding = step.value;
      return undefined;
    }
    hash.update(step.value, "utf8");
    return step.value;
  };
  const close = async () => {
    if (closed) return;
    closed = true;
    await chunks.return(undefined as never);
  };

  try {
    // The head: enough lines to find the separator as readDelimited does.
    let head = "";
    for (;;) {
      const lines = head.split(/\r\n|\n|\r/, HEAD_LINES + 1).length;
      if (lines > HEAD_LINES || head.length > HEAD_MAX_CHARS) break;
      const chunk = await nextChunk();
      if (chunk === undefined) break;
      head += chunk;
    }
    const body = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
    const sep = SEP_LINE.exec(body);
    const delimiter = sep ? sep[1] : detectDelimiter(headerLine(body));
    const parser = new CsvParser(file, delimiter);
    let pending = parser.push(body, ended);
    if (sep) pending = pending.slice(1);

    // The header may come after empty rows, and (rarely) after the head.
    let header: CsvRecord | undefined;
    for (;;) {
      const at = pending.findIndex((r) => !isEmptyRecord(r));
      if (at >= 0) {
        header = pending[at];
        pending = pending.slice(at + 1);
        break;
      }
      if (ended) break;
      const chunk = await nextChunk();
      pending = parser.push(chunk ?? "", chunk === undefined);
    }
    const width = header?.fields.length ?? 0;
    const tidy = (records: CsvRecord[]) => {
      const out: CsvRecord[] = [];
      for (const r of records) if (!isEmptyRecord(r)) out.push(tidyRecord(r, width));
      return out;
    };

    async function* batches(): AsyncGenerator<CsvRecord[], void, undefined> {
      try {
        if (pending.length > 0) yield tidy(pending);
        pending = [];
        while (!ended) {
          const chunk = await nextChunk();
          const records = tidy(parser.push(chunk ?? "", chunk === undefined));
          if (records.length > 0) yield records;
        }
      } finally {
        await close();
      }
    }

    return {
      header,
      delimiter,
      batches: batches(),
      digest: () => {
        if (!ended) throw new Error("internal: the digest of a file is known only once it has been read to its end");
        return hash.copy().digest("hex");
      },
      encoding: () => encoding,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
