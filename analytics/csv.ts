/**
 * A small RFC 4180 CSV reader that keeps the position of every field, so that a
 * refused import can name the file, line and column of the bad value.
 * Accepts a UTF-8 byte-order mark, CRLF or LF line ends and quoted fields
 * (including quoted line breaks and doubled quotes).
 */
import { MAX_REPORTED_ERRORS } from "./import/limits.ts";
import { listWords } from "./list-words.ts";
import { UPN_RE } from "./upn-shape.ts";

export interface CsvField {
  value: string;
  /** 1-based line of the field's first character in the file. */
  line: number;
  /** 1-based field number within its record (the CSV column). */
  column: number;
  /** Where inside the field, for a field holding many values (a week string's character and session): said in messages about it. */
  where?: string;
}

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  line: number;
  fields: CsvField[];
  /**
   * The record ended at a stray carriage return: a CR with no line feed after it in a file whose
   * first line ends otherwise (a value pasted from another program can bring one). It is read
   * as a line end, so it cuts a row in two: widthError says so, and tidyRecord does not take
   * the cut row for one whose last empty cell lost its separator. In a file whose lines all end
   * at a lone CR (Excel for Mac's "CSV (Macintosh)") it is the line end and not marked.
   */
  cutByCr?: true;
  /** The record is what followed a stray carriage return (cutByCr): the rest of a cut row. */
  afterCr?: true;
}

/** An error that points at a place in an input file. */
export class InputError extends Error {
  /** The place in words: "line 3, column 4" in a text file, "row 3, column D" in a workbook (asWorkbook). */
  place: string;
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.name = "InputError";
    this.place = `line ${line}, column ${column}`;
  }

  /** A workbook's worksheet the error is in, when known (asWorkbook). */
  sheet?: string;

  /**
   * Says the place as a spreadsheet shows it, for an error in an .xlsx workbook (its line is
   * the sheet's row): "marks.xlsx: sheet "Marks", row 2, column B: …" rather than
   * "marks.xlsx:2:2" (trial21: a school user looks for a column letter; trial 28: and the tab).
   * `sheet`: the worksheet read, when known (else one set earlier). Returns this error, changed.
   */
  asWorkbook(sheet?: string): this {
    if (sheet !== undefined) this.sheet = sheet;
    this.place = `${this.sheet !== undefined ? `sheet "${this.sheet}", ` : ""}row ${this.line}, column ${columnLetters(this.column)}`;
    this.message = `${this.file}: ${this.place}: ${this.reason}`;
    return this;
  }
}

/**
 * A refused import: every error found (up to MAX_REPORTED_ERRORS, earliest line first) and
 * how many there were in all. It is an InputError whose file, line, column and reason are
 * the first error's, so callers that show one location still show the right one; its
 * message lists them all, one per line.
 */
export class ImportRefused extends InputError {
  constructor(
    readonly errors: InputError[],
    readonly total: number,
    /** Sentences said after the errors: how a file was checked when another it depends on was refused. */
    readonly notes: readonly string[] = [],
  ) {
    const first = errors[0];
    super(first.file, first.line, first.column, first.reason);
    this.name = "ImportRefused";
    this.message = this.listed();
  }

  /**
   * One refusal of several files' (each an ImportRefused or a single InputError), in the order
   * given, each file's errors as it listed them, with `notes`: an import of a faulty pupils file
   * and a faulty marks file named the pupils file's faults only, the marks file's on the next
   * try (trial 29), where every fault is to be fixed in one pass.
   */
  static together(refusals: readonly InputError[], notes: readonly string[] = []): ImportRefused {
    const errors = refusals.flatMap((r) => (r instanceof ImportRefused ? r.errors : [r]));
    const total = refusals.reduce((sum, r) => sum + (r instanceof ImportRefused ? r.total : 1), 0);
    return new ImportRefused(errors, total, [...refusals.flatMap((r) => (r instanceof ImportRefused ? r.notes : [])), ...notes]);
  }

  private listed(): string {
    const more = this.total > this.errors.length ? `\n… and ${this.total - this.errors.length} more error(s) not listed (the first ${this.errors.length} are shown)` : "";
    return [this.errors.map((e) => e.message).join("\n") + more, ...this.notes].join("\n");
  }

  /**
   * Each listed error of the workbook `file` (default the first error's) said as a spreadsheet
   * shows its place (InputError.asWorkbook); `sheet` the worksheet read.
   */
  override asWorkbook(sheet?: string, file = this.file): this {
    if (file === this.file && sheet !== undefined) this.sheet = sheet;
    for (const error of this.errors) if (error.file === file) error.asWorkbook(file === this.file ? this.sheet : sheet);
    this.place = this.errors[0].place;
    this.message = this.listed();
    return this;
  }
}

/**
 * One error for faults found all at once — a header's, or a CTF's pupils' (trial 50: a grid with
 * a wrong weekday and a repeated session named the first alone, the second only on the next try,
 * where a file's row faults are all listed): the fault itself when there is one, else an
 * ImportRefused listing them (up to MAX_REPORTED_ERRORS), in the order given. `faults`: at least one.
 */
export function faultsTogether(faults: readonly InputError[]): InputError {
  if (faults.length === 1) return faults[0];
  return new ImportRefused(faults.slice(0, MAX_REPORTED_ERRORS), faults.length);
}


/** A spreadsheet's name for its 1-based column `n`: 1 → A, 26 → Z, 27 → AA, 703 → AAA. */
export function columnLetters(n: number): string {
  let letters = "";
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) letters = String.fromCharCode(65 + ((k - 1) % 26)) + letters;
  return letters;
}

/**
 * An InputError that no correction of the file's line and column answers: the file itself is
 * the wrong one (a CTF addressed to another school). Pages say what to do instead of "correct
 * line L, column C" (a trial's Import page invited editing a CTF's address to get it in).
 */
export class WrongFileError extends InputError {
  constructor(file: string, line: number, column: number, reason: string) {
    super(file, line, column, reason);
    this.name = "WrongFileError";
  }
}

/**
 * The refusal of a file with nothing in it (0 bytes, or blank lines only), the same words
 * whichever reader finds it and on the command line and the Import page alike. A
 * WrongFileError: no line of it can be corrected, the export is chosen or made again.
 */
export function emptyFileError(file: string): WrongFileError {
  return new WrongFileError(file, 1, 1, "the file is empty: expected a header row");
}

/**
 * @param delimiter the field separator: `,` unless the file says otherwise (semicolon- and
 *   tab-separated exports are detected in analytics/import/readers/delimited.ts).
 */
export function parseCsv(text: string, file: string, delimiter = ","): CsvRecord[] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return new CsvParser(file, delimiter).push(input, true);
}

/**
 * The CSV reader, fed text in pieces (a file read as a stream) or whole (parseCsv): `push`
 * returns the records completed so far and keeps the unfinished last one until more text
 * (or the end, `final`) comes, so memory holds one chunk and one record whatever the file's
 * size. Lines and columns are those of the whole text.
 */
export class CsvParser {
  private buffer = "";
  private line = 1;
  private done = false;
  /** Whether the file's first line ended at a lone CR (then every lone CR is a line end); undefined before it. */
  private crLineEnds: boolean | undefined;
  /** The last line ended at a stray CR (CsvRecord.cutByCr): the next record is the rest of its row. */
  private afterCut = false;

  constructor(
    private readonly file: string,
    private readonly delimiter = ",",
  ) {}

  /**
   * Adds text and returns the records it completes (a blank line is no record).
   * @param final true with the last text of the file (the last record needs no line end).
   * @throws InputError for an unclosed quote or text after a closing quote.
   */
  push(text: string, final = false): CsvRecord[] {
    if (this.done) throw new Error("internal: CsvParser used after its final push");
    this.done = final;
    const input = this.buffer.length > 0 ? this.buffer + text : text;
    const n = input.length;
    const { file, delimiter } = this;
    const records: CsvRecord[] = [];
    let start = 0; // where the unfinished record starts
    let line = this.line;
    for (;;) {
      if (start >= n) break;
      // One record from `start`; `more` when the text ends before the record does.
      let i = start;
      let at = line;
      const fields: CsvField[] = [];
      let more = false;
      let loneCr = false;
      for (;;) {
        const fieldLine = at;
        const column = fields.length + 1;
        let value = "";
        if (input[i] === '"') {
          i++;
          let from = i;
          for (;;) {
            if (i >= n) {
              if (final) throw new InputError(file, fieldLine, column, "a quoted field is never closed");
              more = true;
              break;
            }
            const ch = input.charCodeAt(i);
            if (ch === 34) {
              if (i + 1 >= n && !final) {
                more = true;
                break;
              }
              if (input[i + 1] === '"') {
                value += input.slice(from, i + 1);
                i += 2;
                from = i;
                continue;
              }
              value += input.slice(from, i);
              i++;
              break;
            }
            if (ch === 10) at++;
            i++;
          }
          if (more) break;
          const next = input[i];
          if (i < n && next !== delimiter && next !== "\n" && next !== "\r") {
            throw new InputError(file, at, column, "unexpected text after a closing quote");
          }
        } else {
          const from = i;
          while (i < n && input[i] !== delimiter && input[i] !== "\n" && input[i] !== "\r") i++;
          value = input.slice(from, i);
        }
        fields.push({ value, line: fieldLine, column });
        if (i >= n) {
          if (!final) more = true;
          break;
        }
        const sep = input[i];
        if (sep === delimiter) {
          i++;
          continue;
        }
        // End of record: CRLF, LF or a lone CR (a CR at the end of the text waits for what follows).
        if (sep === "\r" && i + 1 >= n && !final) {
          more = true;
          break;
        }
        if (sep === "\r" && input[i + 1] === "\n") i++;
        loneCr = sep === "\r" && input[i] === "\r";
        i++;
        at++;
        break;
      }
      if (more) break;
      // A line with nothing on it is not a record (trailing newline, blank lines).
      if (this.crLineEnds === undefined) this.crLineEnds = loneCr;
      const cut = loneCr && !this.crLineEnds;
      if (!(fields.length === 1 && fields[0].value === "")) {
        const record: CsvRecord = { line, fields };
        if (cut) record.cutByCr = true;
        if (this.afterCut) record.afterCr = true;
        records.push(record);
      }
      this.afterCut = cut;
      start = i;
      line = at;
      if (i >= n) break;
    }
    this.buffer = start >= n ? "" : input.slice(start);
    this.line = line;
    return records;
  }
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
 * a column given twice, and an empty file, naming the header line; every fault of the header
 * together (faultsTogether).
 */
export function mapColumns(records: CsvRecord[], specs: ColumnSpec[], file: string): MappedTable {
  if (records.length === 0) throw emptyFileError(file);
  const index = mapHeader(records[0], specs, file);
  const width = records[0].fields.length;
  const rows = records.slice(1);
  for (const row of rows) checkWidth(row, width, file);
  return { index, rows };
}

/**
 * The header half of mapColumns (for a file read as a stream): canonical column name to
 * 0-based field index. @throws InputError as mapColumns.
 */
export function mapHeader(header: CsvRecord, specs: ColumnSpec[], file: string): Map<string, number> {
  const index = new Map<string, number>();
  // Every fault of the header at once (faultsTogether): a repeated column and a missing one were
  // told one after the other, a try each (trial 50).
  const faults: InputError[] = [];
  header.fields.forEach((field, position) => {
    const key = headerKey(field.value);
    const spec = specs.find((s) => headerKey(s.name) === key || s.aliases.some((a) => headerKey(a) === key));
    if (!spec) return; // Extra MIS columns are ignored.
    if (index.has(spec.name)) {
      faults.push(repeatedColumnError(file, header, field, spec.name, index.get(spec.name)!));
      return;
    }
    index.set(spec.name, position);
  });
  // Every missing column at once, what the header has, then what is accepted for each.
  const missing = specs.filter((spec) => spec.required && !index.has(spec.name));
  if (missing.length > 0) {
    const names = listWords(missing.map((spec) => `"${spec.name}"`));
    const each = (spec: ColumnSpec) => {
      const [first, ...others] = headings(spec);
      return others.length > 0 ? `${first} (or ${others.join(", ")})` : first;
    };
    const accepted = missing.length === 1 ? `accepted headings for it: ${listWords(headings(missing[0]), "or")}` : `accepted headings: ${missing.map(each).join(", ")}`;
    const data = dataInHeader(header);
    const has = data ? `the first line is a row of data, not a header (${dataWords(data)}): the file needs a header line naming its columns first` : `the header has ${headerWords(header)}`;
    faults.push(new InputError(file, header.line, data ? data.column : 1, `missing column${missing.length === 1 ? "" : "s"} ${names}: ${has}; ${accepted}`));
  }
  if (faults.length > 0) throw faultsTogether(faults.sort((a, b) => a.column - b.column));
  return index;
}

/**
 * A header's second heading for a column already given (`first`: the 0-based position of the
 * first): refused naming both and what to do. One wording for every reader (mapHeader, week.ts).
 */
export function repeatedColumnError(file: string, header: CsvRecord, field: CsvField, name: string, first: number): InputError {
  return new InputError(file, header.line, field.column, `column "${field.value}" repeats "${name}" (column ${first + 1}, "${header.fields[first].value}"): remove one, or rename it if it holds something else`);
}

/**
 * A field of a file's first row that no heading would be, a UPN or a date standing alone (a
 * grid's session headings hold a date beside a day and AM/PM): that row is data and the file's
 * header line is missing. Trial 34: a marks file without its header was read as a grid and
 * refused for 'column header "2026-09-03" is not a session'. Undefined for a header.
 */
export function dataInHeader(header: CsvRecord): CsvField | undefined {
  const upn = header.fields.find((f) => UPN_RE.test(f.value.trim()));
  if (upn) return upn;
  // A date alone beside a "UPN" heading is a grid's session heading gone wrong, said as such (grid.ts).
  if (header.fields.some((f) => UPN_HEADERS.includes(headerKey(f.value)))) return undefined;
  return header.fields.find((f) => LONE_DATE.test(f.value.trim()));
}

/** The headings of a grid's or week file's UPN column, as headerKey gives them. */
export const UPN_HEADERS = ["upn", "uniquepupilnumber"];

/** A date alone: 2026-09-03, 03/09/2026, 3/9/26. */
const LONE_DATE = /^(\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/(\d{2}|\d{4}))$/;

/** The data found in a header row, in words: 'column 1 holds the UPN "A123…"'. */
export function dataWords(field: CsvField): string {
  return `column ${field.column} holds ${UPN_RE.test(field.value.trim()) ? "the UPN" : "the date"} "${field.value}"`;
}

/** A column's accepted headings, quoted: its name and aliases, one of each spelling that headerKey tells apart ("code", not also "Code"). */
function headings(spec: ColumnSpec): string[] {
  const seen = new Set<string>();
  return [spec.name, ...spec.aliases].filter((a) => !seen.has(headerKey(a)) && seen.add(headerKey(a))).map((a) => `"${a}"`);
}

/**
 * What a refused header has, for its message: each heading quoted (cut at 40 characters), the
 * first 20 and "and N more"; "nothing" for a header of empty cells only.
 */
export function headerWords(header: CsvRecord): string {
  const found = header.fields.map((f) => `"${f.value.length > 40 ? `${f.value.slice(0, 40)}…` : f.value}"`);
  return (found.length > 20 ? [...found.slice(0, 20), `and ${found.length - 20} more`] : found).join(", ");
}

/** The row half of mapColumns: a row must have as many fields as the header. @throws InputError (widthError). */
export function checkWidth(row: CsvRecord, width: number, file: string): void {
  if (row.fields.length !== width) throw widthError(row, width, file);
}

/**
 * The refusal of a row with other than `width` fields (the header's), at the first column
 * missing or extra. A short row cut by a lone carriage return is said to be (trial 34: "line 6,
 * column 4: expected 5 fields as in the header, found 3" left the reader looking for a missing
 * comma in a row that looked whole in an editor).
 */
export function widthError(row: CsvRecord, width: number, file: string): InputError {
  const found = row.fields.length;
  const cut =
    row.cutByCr && found < width
      ? `: the row ends at a carriage return (a CR character with no line feed after it) after field ${found}, and what follows it is read as the next line; remove that character (a value pasted from another program can bring one)`
      : row.afterCr
        ? ": this line is the rest of the row before it, cut by a carriage return (a CR character with no line feed after it); remove that character"
        : "";
  return new InputError(file, row.line, Math.min(found, width) + 1, `expected ${width} fields as in the header, found ${found}${cut}`);
}

/** The field for a canonical column, or undefined when the file has no such column. */
export function fieldOf(table: Pick<MappedTable, "index">, row: CsvRecord, name: string): CsvField | undefined {
  const position = table.index.get(name);
  return position === undefined ? undefined : row.fields[position];
}
