/**
 * Field parsers shared by the importers. Each takes the CSV field (so a refusal can name
 * its line and column) and returns the normalised value, or throws an InputError.
 */
import { createHash } from "node:crypto";
import type { CsvField, CsvRecord, MappedTable } from "../csv.ts";
import { InputError, fieldOf } from "../csv.ts";
import { queryOne, type Connection } from "../db.ts";
import { MAX_FIELD_CHARS, quote, textProblem } from "./limits.ts";
import type { PupilDetailChange } from "./pupil-changes.ts";
import { ukDate } from "../packs/format.ts";
import { UPN_RE } from "../upn-shape.ts";
import { calendarDayFault } from "../calendar-day.ts";

/** Who made a change: register amendments and import records keep both. */
export interface Actor {
  name: string;
  role: string;
}

export interface ImportSummary {
  kind: "pupils" | "marks" | "calendar";
  file: string;
  /** Rows of the file read (a grid's or a week string's row, holding several sessions, is one). */
  rowsRead: number;
  /** Marks files whose rows hold several marks (a grid, week strings, a CTF): the marks those rows gave and the import kept (cells without a mark and "#" on days the school is closed are `skipped`, not counted here); absent for one a row and for other files. */
  marksRead?: number;
  inserted: number;
  amended: number;
  unchanged: number;
  /**
   * Marks files: the first and last date (ISO) of the marks the file gave and the import kept
   * (new, amended and unchanged alike; not cells without a mark nor "#" on a closure day), as
   * its record keeps them (imports.first_date, last_date); absent for other files and a file
   * with no mark kept. record-words.ts marksDatesWords says them.
   */
  firstDate?: string;
  lastDate?: string;
  /** Calendar files: stored half terms and closures (runs of days) the file does not give, which it removes; absent when none. */
  removed?: number;
  /** Null when nothing changed: then no imports row is written either. */
  importId: number | null;
  /** Sessions read but deliberately not stored: cells without a mark (a blank grid cell, "-" for no mark yet) and marks on closure days; absent when none. */
  skipped?: number;
  /** Sentences for the summary: what was skipped or mapped, and why; absent when none. */
  notes?: string[];
  /** Marks files: the first PREVIEW_ROWS amended marks, codes before and after (for a preview). */
  /** `before`/`after`: the mark in words, with minutes late when they change ("L (6 min late)"); `beforeCode`/`afterCode`: the codes alone. */
  amendedMarks?: { upn: string; /** "Surname, Forename". */ name: string; date: string; session: string; before: string; after: string; beforeCode: string; afterCode: string }[];
  /**
   * Pupils files: the first PREVIEW_ROWS new or changed pupils (for a preview), a changed
   * pupil with each detail the import changes, before and after in words (analytics/import/
   * pupil-changes.ts).
   */
  changedPupils?: { upn: string; name: string; change: "new" | "changed"; changes?: PupilDetailChange[] }[];
  /**
   * Pupils files: the date (ISO) from which the details the file changes apply, and where that
   * date came from (the date given with a pupils file, or today; a CTF's Header DateTime).
   * A pupil already on the roll changes from then, never before (pupils.ts merge); a new
   * pupil's details start at their admission. appliesFromSentence gives it in words.
   */
  appliesFrom?: { date: string; source: string };
}

/**
 * The preview's and the CLI's sentence for when a pupils file's changed details apply, e.g.
 * "Changed details apply from 4 Dec 2026 (the file's date, its Header DateTime) …"; null for a
 * summary without the date (not a pupils file).
 */
export function appliesFromSentence(summary: Pick<ImportSummary, "appliesFrom">): string | null {
  if (!summary.appliesFrom) return null;
  return `Changed details apply from ${ukDate(summary.appliesFrom.date)} (${summary.appliesFrom.source}): a pupil already on the roll changes from then, never before; a new pupil's details start at their admission`;
}

/**
 * Whether an import (its files' summaries) changed nothing: no file added or amended a row and
 * none wrote an import record (a calendar that dropped a half term writes one with no new row).
 * analytics/import/index.ts rolls such an import back rather than commit it.
 */
export function importChangedNothing(summaries: readonly Pick<ImportSummary, "inserted" | "amended" | "importId">[]): boolean {
  return summaries.length > 0 && summaries.every((s) => s.inserted === 0 && s.amended === 0 && s.importId === null);
}

const RECORDED_NOUNS: Record<ImportSummary["kind"], [string, string]> = {
  marks: ["mark", "marks"],
  pupils: ["pupil", "pupils"],
  calendar: ["calendar row", "calendar rows"],
};

/**
 * The sentence the CLI and the Import page give for an import that changed nothing, e.g.
 * "Nothing changed: 1,234 marks already recorded." (counts per kind of file, in the files'
 * order, summed over files of one kind); null when the import changed something.
 */
export function nothingChangedMessage(summaries: readonly ImportSummary[]): string | null {
  if (!importChangedNothing(summaries)) return null;
  const empty = emptyFilesWords(summaries);
  if (empty && summaries.every((s) => s.rowsRead === 0)) return `Nothing changed: ${empty}. The register was not touched.`;
  return `Nothing changed: ${recordedCounts(summaries)} already recorded${empty ? ` (${empty})` : ""}. The register was not touched.`;
}

/**
 * The files that hold a header and no row (a marks file saved before any mark was typed), by
 * name: "marks.csv has no rows below its header, so there is nothing in it to import"; null
 * when every file has rows. Said rather than "everything … is already recorded (0 marks)"
 * (trial 28).
 */
function emptyFilesWords(summaries: readonly ImportSummary[]): string | null {
  const empty = summaries.filter((s) => s.rowsRead === 0).map((s) => s.file);
  if (empty.length === 0) return null;
  const one = empty.length === 1;
  return `${empty.join(", ")} ${one ? "has" : "have"} no rows below ${one ? "its" : "their"} header, so there is nothing in ${one ? "it" : "them"} to import`;
}

/**
 * The sentence the Import page's preview gives when the files would change nothing (the same
 * files again): what they hold is already recorded, and what importing them anyway would do —
 * nothing: an import that changes nothing commits nothing (analytics/import/index.ts), so the
 * register, the import history and the figures stay as they are. Null when the preview would
 * change something. `summaries` are a dry run's (importId null).
 */
export function nothingWouldChangeMessage(summaries: readonly ImportSummary[]): string | null {
  if (!importChangedNothing(summaries.map((s) => ({ ...s, importId: null })))) return null;
  const empty = emptyFilesWords(summaries);
  if (empty && summaries.every((s) => s.rowsRead === 0)) return `Nothing would change: ${empty}.`;
  if (empty) return `Nothing would change: everything in the other files is already recorded (${recordedCounts(summaries.filter((s) => s.rowsRead > 0))}), and ${empty}.`;
  return (
    `Nothing would change: everything in these files is already recorded (${recordedCounts(summaries)}). ` +
    "Importing them anyway would leave the register, the import history and every figure exactly as they are."
  );
}

/** "12 marks, 2 pupils": the rows already recorded, per kind of file in the files' order, summed over files of one kind. */
function recordedCounts(summaries: readonly ImportSummary[]): string {
  const counts = new Map<ImportSummary["kind"], number>();
  for (const s of summaries) counts.set(s.kind, (counts.get(s.kind) ?? 0) + s.unchanged);
  return [...counts].map(([kind, n]) => `${n.toLocaleString("en-GB")} ${RECORDED_NOUNS[kind][n === 1 ? 0 : 1]}`).join(", ");
}

/** Rows of each kind a preview lists (the counts are always complete). */
export const PREVIEW_ROWS = 100;

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of an ISO date (the DuckDB DATE representation). */
export function isoToDays(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}

export function daysToIso(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The day of the week of a day number (days since 1970-01-01, a Thursday), as Date's getUTCDay:
 * 0 Sunday … 6 Saturday. Arithmetic, not a Date: a CTF's marks strings ask it of every
 * character (readers/session-string.ts).
 */
export function weekdayOfDays(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

export function addDays(iso: string, n: number): string {
  return daysToIso(isoToDays(iso) + n);
}

const ISO_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const UK_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
// The same two orders as the week strings' and grids' headings write them (readers/dates.ts
// flexibleDate): "/", "." or "-" between the numbers, and a two-digit year for 20YY.
const LOOSE_YMD_RE = /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$/;
const LOOSE_DMY_RE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/;
// Spreadsheet round trips often append a midnight time to a date; it carries no meaning.
const MIDNIGHT_RE = /[ T]00:00(?::00(?:\.0+)?)?Z?$/;

/** `text` trimmed and without a spreadsheet's midnight time ("06/01/2025 00:00" as "06/01/2025"): every date reader takes it so. */
export function withoutMidnight(text: string): string {
  return text.trim().replace(MIDNIGHT_RE, "");
}

/**
 * The [year, month, day] numbers of a date written YYYY-MM-DD or DD/MM/YYYY (`loose`: with "/",
 * "." or "-" between them and a two-digit year for 20YY, as flexibleDate reads), whether or not
 * they name a day of the calendar (dateFault says); undefined for text in no such layout.
 */
export function dateNumbers(text: string, loose = false): [number, number, number] | undefined {
  const value = withoutMidnight(text);
  const ymd = (loose ? LOOSE_YMD_RE : ISO_RE).exec(value);
  if (ymd) return [Number(ymd[1]), Number(ymd[2]), Number(ymd[3])];
  const dmy = (loose ? LOOSE_DMY_RE : UK_RE).exec(value);
  if (dmy) return [dmy[3].length === 2 ? 2000 + Number(dmy[3]) : Number(dmy[3]), Number(dmy[2]), Number(dmy[1])];
  return undefined;
}

/** Why [year, month, day] is no date a register holds (calendarDayFault, or a year outside 1900–2199); undefined when it is one. */
function dateFault([year, month, day]: readonly [number, number, number]): string | undefined {
  return calendarDayFault(year, month, day) ?? (year < 1900 || year > 2199 ? `the year ${year} is outside 1900–2199` : undefined);
}

/** The ISO date of [year, month, day], or undefined when they name no date a register holds (dateFault). */
export function isoOfDateNumbers(numbers: readonly [number, number, number]): string | undefined {
  if (dateFault(numbers) !== undefined) return undefined;
  const [year, month, day] = numbers;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** An ISO date from YYYY-MM-DD or DD/MM/YYYY (UK MIS exports), or undefined if not a real date. */
export function normaliseDate(text: string): string | undefined {
  const numbers = dateNumbers(text);
  return numbers && isoOfDateNumbers(numbers);
}

/**
 * Why `text` is no date, as a refusal's words after the value: ": September 2026 has 30 days"
 * when it is written in a layout the reader takes but names no day of the calendar (trial 52:
 * "31/09/2026" was told "(expected YYYY-MM-DD or DD/MM/YYYY)", the layout it was in), else
 * " (expected …)" with `expected`, the layouts the reader takes. `loose`: the reader takes
 * flexibleDate's layouts (dateNumbers), not only YYYY-MM-DD and DD/MM/YYYY.
 */
export function notADateWords(text: string, expected: string, loose = false): string {
  const numbers = dateNumbers(text, loose);
  const fault = numbers && dateFault(numbers);
  return fault ? `: ${fault}` : ` (expected ${expected})`;
}

/** Dates repeat thousands of times in a register file; parse each distinct text once. */
const dateCache = new Map<string, string | null>();

export function parseDate(field: CsvField, file: string, label: string): string {
  let iso = dateCache.get(field.value);
  if (iso === undefined) {
    iso = normaliseDate(field.value) ?? null;
    if (dateCache.size > 10_000) dateCache.clear();
    dateCache.set(field.value, iso);
  }
  if (iso === null) {
    const shown = field.value.trim() === "" ? "an empty value" : quote(field.value);
    throw new InputError(file, field.line, field.column, `${label}: ${shown} is not a date${notADateWords(field.value, "YYYY-MM-DD or DD/MM/YYYY")}`);
  }
  return iso;
}

/** A date that may be left empty (a leaving date for a pupil still on roll). */
export function parseOptionalDate(field: CsvField, file: string, label: string): string | null {
  return field.value.trim() === "" ? null : parseDate(field, file, label);
}

/** Text that must be given, free of control characters and at most `max` characters (limits.ts). */
export function parseRequiredText(field: CsvField, file: string, label: string, max = MAX_FIELD_CHARS): string {
  const value = parseText(field, file, label, max);
  if (value === "") throw new InputError(file, field.line, field.column, `${label} is empty`);
  return value;
}

/** Text that may be empty, trimmed; refused with control characters or over `max` characters. */
export function parseText(field: CsvField, file: string, label: string, max = MAX_FIELD_CHARS): string {
  const value = field.value.trim();
  const problem = textProblem(value, max, label);
  if (problem) throw new InputError(file, field.line, field.column, problem);
  return value;
}

/** Y/N, also Yes/No, in any case. */
export function parseFlag(field: CsvField, file: string, label: string): "Y" | "N" {
  const value = field.value.trim().toUpperCase();
  if (value === "Y" || value === "YES") return "Y";
  if (value === "N" || value === "NO") return "N";
  throw new InputError(file, field.line, field.column, `${label} must be Y or N, not ${quote(field.value)}`);
}

export function parseSex(field: CsvField, file: string): "M" | "F" {
  const value = field.value.trim().toUpperCase();
  if (value === "M" || value === "MALE") return "M";
  if (value === "F" || value === "FEMALE") return "F";
  throw new InputError(file, field.line, field.column, `sex must be M or F, not ${quote(field.value)}`);
}

/** SEN provision: E (EHC plan), K (SEN support), N (none). */
export function parseSen(field: CsvField, file: string): "E" | "K" | "N" {
  const value = field.value.trim().toUpperCase();
  if (value === "E" || value === "K" || value === "N") return value;
  throw new InputError(file, field.line, field.column, `SEN provision must be E (EHC plan), K (SEN support) or N (none), not ${quote(field.value)}`);
}

/** The letters a UPN's check letter is one of, for remainders 0–22 (no I, O or S). */
const CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ";

/**
 * The DfE's check letter for a UPN's 12 characters after it (DfE, "Unique pupil numbers (UPN):
 * a guide for schools and local authorities", the check letter algorithm): each character
 * times its position (the first after the check letter weighted 2, the last 13), a temporary
 * UPN's closing letter counted as its place in the check letters (A = 0 … Z = 22); the sum's
 * remainder on division by 23 picks the letter.
 */
export function upnCheckLetter(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    const value = /\d/.test(ch) ? Number(ch) : CHECK_LETTERS.indexOf(ch);
    sum += value * (i + 2);
  }
  return CHECK_LETTERS[sum % 23];
}

/**
 * Words added to the refusal of a mark of a pupil the register does not hold (checks-marks.ts)
 * when that UPN's check letter is not the one the DfE's algorithm gives for its other twelve
 * characters (upnCheckLetter): the UPN is most likely mistyped, not a pupil still to import
 * (trial 36: "unknown pupil P893327020423: import the pupil first" for a slip of one digit).
 * Empty when the letter is right, or for a value that is not a UPN's shape.
 */
export function mistypedUpnWords(upn: string): string {
  if (!UPN_RE.test(upn)) return "";
  const expected = upnCheckLetter(upn.slice(1));
  return expected === upn[0] ? "" : ` (or mistyped: its check letter is not the one the DfE's UPN algorithm gives for its digits, which would start it with ${expected})`;
}

export function parseUpn(field: CsvField, file: string): string {
  const value = field.value.trim();
  if (!UPN_RE.test(value)) {
    throw new InputError(file, field.line, field.column, `${quote(field.value)} is not a UPN (a capital letter, 11 digits, then a digit or capital letter)`);
  }
  return value;
}

/**
 * NC year as stored text: "1".."13", "R", "N1", "N2". MIS exports write "Year 3", "Y3",
 * "Yr 3", "Reception" or "Nursery 1"; all reduce to the same key so a breakdown by year
 * group does not split one cohort in two.
 */
export function parseYearGroup(field: CsvField, file: string): string {
  const compact = field.value.trim().toUpperCase().replace(/[\s_.-]+/g, "");
  const stripped = compact.replace(/^(YEAR|YR|Y|NCYEAR)(?=\d|R$)/, "");
  let value: string | undefined;
  if (/^(\d{1,2})$/.test(stripped) && Number(stripped) >= 1 && Number(stripped) <= 13) value = String(Number(stripped));
  else if (stripped === "R" || stripped === "RECEPTION" || stripped === "REC") value = "R";
  else if (/^(N|NURSERY)([12])$/.test(stripped)) value = `N${stripped.slice(-1)}`;
  if (value === undefined) {
    throw new InputError(file, field.line, field.column, `year group ${quote(field.value)} is not one of N1, N2, R, 1–13 (also written "Year 3" or "Y3")`);
  }
  return value;
}

/** Minutes late: empty, or a whole number of minutes that fits the store's SMALLINT. */
export function parseMinutesLate(field: CsvField | undefined, file: string): number | null {
  if (!field) return null;
  const value = field.value.trim();
  if (value === "") return null;
  if (!/^\d+$/.test(value) || Number(value) > 32_767) {
    throw new InputError(file, field.line, field.column, `minutes late must be a whole number of minutes (0 or more) or empty, not ${quote(field.value)}`);
  }
  return Number(value);
}

/** The field of a column that mapColumns has already checked is present. */
export function requiredField(table: Pick<MappedTable, "index">, row: CsvRecord, name: string): CsvField {
  const field = fieldOf(table, row, name);
  if (!field) throw new Error(`internal: column ${name} was not mapped`);
  return field;
}

/** 1-based CSV column of a canonical column, for refusals found in SQL after staging. */
export function columnOf(table: MappedTable, name: string): number {
  const position = table.index.get(name);
  return position === undefined ? 1 : position + 1;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Academic years run 1 August to 31 July; the key is the year it starts in. */
export function academicYearStart(iso: string): number {
  const year = Number(iso.slice(0, 4));
  return Number(iso.slice(5, 7)) >= 8 ? year : year - 1;
}

export function academicYearLabel(startYear: number): string {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, "0")}`;
}

/** Picks the earliest refusal (by line, then column) among candidates, for "report the first error in the file". */
export function earliest(errors: (InputError | undefined)[]): InputError | undefined {
  let best: InputError | undefined;
  for (const error of errors) {
    if (!error) continue;
    if (!best || error.line < best.line || (error.line === best.line && error.column < best.column)) best = error;
  }
  return best;
}

/**
 * The id a changing import stamps on its rows and its `imports` row, before the rows are
 * written: one more than the last import recorded (1 for the first).
 *
 * Not `nextval('import_id_seq')`: DuckDB does not roll a sequence back with its transaction, so
 * every refused file and every preview (a dry run, rolled back) used up a number, and the
 * Imports page listed 1, 2, 4, 7 — gaps in an audit trail that a head or an auditor asks
 * about. Unique without it: `imports` rows are never deleted (retention deletes old marks and
 * leavers' records, never an import's row), writes run one at a time (analytics/db.ts
 * oneWriteAtATime), and each file's import records its row (recordImport) before the next file
 * of the same transaction asks for an id. The sequence stays in the schema, unused, so files
 * made before open unchanged.
 */
export async function nextImportId(conn: Connection): Promise<number> {
  const row = await queryOne<{ id: number }>(conn, "SELECT (coalesce(max(import_id), 0) + 1)::INTEGER AS id FROM imports");
  if (!row) throw new Error("internal: no id for the next import");
  return row.id;
}

/** The audit row for an import that changed something. */
export async function recordImport(
  conn: Connection,
  importId: number,
  summary: Omit<ImportSummary, "importId">,
  /** The file's decoded text, or the SHA-256 of it when the file was read as a stream. */
  text: string | { sha256: string },
  by: Actor,
): Promise<void> {
  await conn.run(
    `INSERT INTO imports (import_id, kind, file_name, sha256, rows_read, rows_inserted, rows_amended, rows_unchanged,
                          imported_at, imported_by, imported_by_role, first_date, last_date)
     VALUES ($id, $kind, $file, $sha, $read, $inserted, $amended, $unchanged, current_localtimestamp(), $by, $role, $first::DATE, $last::DATE)`,
    {
      id: importId,
      kind: summary.kind,
      file: summary.file,
      sha: typeof text === "string" ? sha256(text) : text.sha256,
      read: summary.rowsRead,
      inserted: summary.inserted,
      amended: summary.amended,
      unchanged: summary.unchanged,
      by: by.name,
      role: by.role,
      first: summary.firstDate ?? null,
      last: summary.lastDate ?? null,
    },
  );
}
