/**
 * A small RFC 4180 CSV reader that keeps the position of every field, so that a
 * refused import can name the file, line and column of the bad value.
 * Accepts a UTF-8 byte-order mark, CRLF or LF line ends and quoted fields
 * (including quoted line breaks and doubled quotes).
 */

export interface CsvField {
  value: string;
  /** 1-based line of the field's first character in the file. */
  line: number;
  /** 1-based field number within its record (the CSV column). */
  column: number;
}

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  line: number;
  fields: CsvField[];
}

/** An error that points at a place in an input file. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.name = "InputError";
  }
}

/**
 * @param delimiter the field separator: `,` unless the file says otherwise (semicolon- and
 *   tab-separated exports are detected in analytics/import/readers/delimited.ts).
 */
export function parseCsv(text: string, file: string, delimiter = ","): CsvRecord[] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: CsvField[] = [];
  let recordLine = 1;
  let line = 1;
  let i = 0;
  const n = input.length;

  const endRecord = () => {
    // A line with nothing on it is not a record (trailing newline, blank lines).
    const blank = fields.length === 1 && fields[0].value === "";
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
  };

  while (i <= n) {
    const fieldLine = line;
    const column = fields.length + 1;
    let value = "";
    if (input[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) throw new InputError(file, fieldLine, column, "a quoted field is never closed");
        const ch = input[i];
        if (ch === '"') {
          if (input[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (ch === "\n") line++;
        value += ch;
        i++;
      }
      const next = input[i];
      if (i < n && next !== delimiter && next !== "\n" && next !== "\r") {
        throw new InputError(file, line, column, "unexpected text after a closing quote");
      }
    } else {
      const start = i;
      while (i < n && input[i] !== delimiter && input[i] !== "\n" && input[i] !== "\r") i++;
      value = input.slice(start, i);
    }
    fields.push({ value, line: fieldLine, column });

    if (i >= n) {
      endRecord();
      break;
    }
    const sep = input[i];
    if (sep === delimiter) {
      i++;
      continue;
    }
    // End of record: CRLF, LF or a lone CR.
    if (sep === "\r" && input[i + 1] === "\n") i++;
    i++;
    line++;
    endRecord();
    recordLine = line;
    if (i >= n) break;
  }
  return records;
}

/** Normalises a header for alias matching: case, spaces, underscores and punctuation ignored. */
export function headerKey(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export interface ColumnSpec {
  /** Canonical name used by the importer. */
  name: string;
  /** Other spellings MIS exports use (compared with headerKey). */
  aliases: string[];
  required: boolean;
}

export interface MappedTable {
  /** Canonical column name to 0-based field index. */
  index: Map<string, number>;
  rows: CsvRecord[];
}

/**
 * Maps a file's header row onto canonical columns. Refuses a missing required column,
 * a column given twice, and an empty file, naming the header line.
 */
export function mapColumns(records: CsvRecord[], specs: ColumnSpec[], file: string): MappedTable {
  if (records.length === 0) throw new InputError(file, 1, 1, "the file is empty: expected a header row");
  const header = records[0];
  const index = new Map<string, number>();
  header.fields.forEach((field, position) => {
    const key = headerKey(field.value);
    const spec = specs.find((s) => headerKey(s.name) === key || s.aliases.some((a) => headerKey(a) === key));
    if (!spec) return; // Extra MIS columns are ignored.
    if (index.has(spec.name)) {
      throw new InputError(file, header.line, field.column, `column "${field.value}" repeats "${spec.name}"`);
    }
    index.set(spec.name, position);
  });
  for (const spec of specs) {
    if (spec.required && !index.has(spec.name)) {
      const accepted = [spec.name, ...spec.aliases].map((a) => `"${a}"`).join(", ");
      const found = header.fields.map((f) => `"${f.value.length > 40 ? `${f.value.slice(0, 40)}…` : f.value}"`);
      const shown = found.length > 20 ? [...found.slice(0, 20), `and ${found.length - 20} more`] : found;
      throw new InputError(
        file,
        header.line,
        1,
        `missing column "${spec.name}" (accepted headers: ${accepted}); the header has ${shown.join(", ")}`,
      );
    }
  }
  const width = header.fields.length;
  const rows = records.slice(1);
  for (const row of rows) {
    if (row.fields.length !== width) {
      const column = Math.min(row.fields.length, width) + 1;
      throw new InputError(file, row.line, column, `expected ${width} fields as in the header, found ${row.fields.length}`);
    }
  }
  return { index, rows };
}

/** The field for a canonical column, or undefined when the file has no such column. */
export function fieldOf(table: MappedTable, row: CsvRecord, name: string): CsvField | undefined {
  const position = table.index.get(name);
  return position === undefined ? undefined : row.fields[position];
}
