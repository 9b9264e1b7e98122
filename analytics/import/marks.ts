/**
 * Register marks import: `upn,date,session,code[,minutes_late]`, one row per pupil session.
 *
 * A school year is ~90,000 rows, so values are checked in TypeScript while parsing, rows are
 * appended to a per-connection staging table (with their line numbers, so a refusal found in
 * SQL can still name its line), and the cross-row checks and the merge are set-based SQL.
 * Nothing is written to the register until every check has passed; the caller's transaction
 * makes the whole call atomic.
 */
import { currentDate } from "../periods.ts";
import { DuckDBDateValue } from "@duckdb/node-api";
import {
  COVID_SUBCODES,
  COVID_SUBCODES_FROM,
  COVID_SUBCODES_TO,
  NO_MARK_YET,
  REGIME_2024_FROM,
  lookupCode,
  regimeOn,
  CODE_CATALOGUE,
  type CodeDefinition,
} from "../codes.ts";
import { InputError, checkWidth, mapColumns, fieldOf, type ColumnSpec, type CsvRecord, type MappedTable } from "../csv.ts";
import { queryOne, queryRows, type Connection } from "../db.ts";
import { amendedMarkWords, type AmendedMark } from "../amended-mark.ts";
import { SESSION_ORDER, ensurePupilIds, refreshAggregates } from "../store.ts";
import { readDelimited } from "./readers/delimited.ts";
import { sessionWord } from "./readers/dates.ts";
import { checkStagedMarks, dropClosureMarks } from "./checks-marks.ts";
import { quote } from "./limits.ts";
import { Problems } from "./problems.ts";
import {
  isoToDays,
  nextImportId,
  PREVIEW_ROWS,
  parseDate,
  parseMinutesLate,
  parseUpn,
  recordImport,
  requiredField,
  sha256,
  type Actor,
  type ImportSummary,
} from "./values.ts";

export type { Actor, ImportSummary } from "./values.ts";

export const MARK_COLUMNS: ColumnSpec[] = [
  { name: "upn", aliases: ["UPN", "Unique Pupil Number"], required: true },
  { name: "date", aliases: ["Date", "Attendance Date", "Session Date"], required: true },
  { name: "session", aliases: ["Session", "AM/PM"], required: true },
  { name: "code", aliases: ["Code", "Mark", "Attendance Mark", "Attendance Code"], required: true },
  { name: "minutes_late", aliases: ["Minutes Late", "Mins Late"], required: false },
];

const STAGE = "import_marks_stage";
const KEYED = "import_marks_keyed";

const codeIndex = new Map<string, CodeDefinition | null>();

/** lookupCode, memoised per regime: it is called once per row. */
function codeOn(code: string, iso: string): CodeDefinition | undefined {
  const key = `${regimeOn(iso)}|${code}`;
  let found = codeIndex.get(key);
  if (found === undefined) {
    found = lookupCode(code, iso) ?? null;
    codeIndex.set(key, found);
  }
  return found ?? undefined;
}

function codeRefusal(code: string, iso: string): string {
  const sub = COVID_SUBCODES[code];
  if (sub) {
    return `"${code}" (${sub.meaning}) is a COVID-era sub-code, read only for sessions from ${COVID_SUBCODES_FROM} to ${COVID_SUBCODES_TO}, not on ${iso}`;
  }
  const known = CODE_CATALOGUE.find((d) => d.code === code);
  if (!known) return `unknown attendance code ${quote(code)}`;
  if (iso >= REGIME_2024_FROM) {
    return `code "${code}" (${known.meaning}) was withdrawn on 19 August 2024 and is not valid on ${iso}`;
  }
  return `code "${code}" (${known.meaning}) was introduced on 19 August 2024 and is not valid on ${iso}; use the codes of the 2006 regulations for earlier sessions`;
}

interface ParsedMark {
  line: number;
  upn: string;
  days: number;
  session: "AM" | "PM";
  code: string;
  minutesLate: number | null;
  /** The code's own column in the file (a grid's cell, a CTF's character), for a refusal found in SQL. */
  codeColumn: number;
}

/** What an import read but did not store as a mark of its own code, for the summary. */
export interface MarkNotes {
  /** Sessions with "-" or an empty cell: no mark taken yet (a daytime export). Skipped. */
  noMarkYet: number;
  /** COVID-era sub-codes stored as their census code (I or X), by sub-code. */
  covidSubcodes: Record<string, number>;
  /** `#` marks on days the calendar already holds as closures. Skipped. */
  closureMarks: number;
}

/** Long rows read as a stream (readers/index.ts, openMarksFile): header mapped, rows in batches. */
export interface MarkRowStream {
  index: Map<string, number>;
  /** Fields in the header: a row with another number is refused, as mapColumns refuses it. */
  width: number;
  batches: AsyncIterable<CsvRecord[]>;
  /** SHA-256 of the decoded text, asked for once the batches have been read. */
  digest(): string;
}

/** Rows staged per appender flush: bounds what the appender holds, whatever the file's size. */
const FLUSH_ROWS = 200_000;

/**
 * Imports a marks file. Every row is checked and every fault reported (up to 50, see
 * problems.ts) in one ImportRefused; nothing is written unless the whole file passes.
 * Rows are checked and appended to the staging table as they are read, so a file given as
 * a `stream` is imported in memory that does not grow with it (only the first 50 faults are
 * kept, the rest counted); the checks across rows and the merge are SQL over the staging table.
 * `today` (default ROLLCALL_TODAY or the clock) bounds the sessions a register can hold.
 */
export async function importMarks(
  conn: Connection,
  input: {
    file: string;
    /** The file's decoded text (its sha256 is kept with the import); not needed with `stream`. */
    text?: string;
    /** Rows already read from another layout by analytics/import/readers (long rows, source positions kept, in order; a string's made as they are read, readers/string-rows.ts); else `text` is read as a long CSV. */
    table?: Omit<MappedTable, "rows"> & { rows: Iterable<CsvRecord>; skipped?: number; errors?: InputError[]; notes?: string[]; /** As MarksTable.placedAtCode. */ placedAtCode?: boolean };
    /** Long rows read as a stream: the large-file path (then neither `text` nor `table`). */
    stream?: MarkRowStream;
    by: Actor;
    reason?: string;
    today?: string;
    /** Check the file and write nothing (another file of the import was refused): a summary of the rows read alone. */
    checkOnly?: boolean;
    /** UPNs a refused pupils file of the same import gives: their marks are not refused as marks of unknown pupils. */
    pending?: ReadonlySet<string>;
  },
): Promise<ImportSummary> {
  const { file } = input;
  const table: Omit<MappedTable, "rows"> & { rows: Iterable<CsvRecord> } = input.stream
    ? { index: input.stream.index, rows: [] }
    : (input.table ?? mapColumns(readDelimited(input.text ?? "", file).records, MARK_COLUMNS, file));
  const problems = new Problems();
  // Faults the reader found in rows' own layout (analytics/import/readers/long-rows.ts): refused
  // together with every fault the checks below find.
  for (const error of input.table?.errors ?? []) problems.add(error);
  const notes: MarkNotes = { noMarkYet: 0, covidSubcodes: {}, closureMarks: 0 };

  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${STAGE} (
       line INTEGER NOT NULL, upn VARCHAR NOT NULL, date DATE NOT NULL,
       session VARCHAR NOT NULL, code VARCHAR NOT NULL, minutes_late SMALLINT, code_column INTEGER NOT NULL,
       upn_col INTEGER NOT NULL, date_col INTEGER NOT NULL, session_col INTEGER NOT NULL, date_line INTEGER NOT NULL)`,
  );
  // Each mark's own columns for the set-based checks' messages: in a grid or a week string a
  // row's sessions are in different columns (a grid's Saturday column was reported as column 2,
  // the Surname, for every date fault: a fresh-clone trial); in a long file they are the date
  // and session columns.
  const upnAt = table.index.get("upn");
  // A week string's or a CTF's mark is placed at its code's character (MarksTable.placedAtCode).
  const placedAtCode = input.table?.placedAtCode === true;
  const dateAt = placedAtCode ? undefined : table.index.get("date");
  const sessionAt = placedAtCode ? undefined : table.index.get("session");
  try {
    // Rows of the file, not sessions: a grid's, a week string's, a workbook's or a CTF's row
    // gives several marks, each one record here, consecutive (a trial's 2-pupil workbook read
    // "4 rows read"); the marks are counted apart.
    let rowsRead = 0;
    let marksRead = 0;
    let lastLine: number | null = null;
    const appender = await conn.createAppender(STAGE, "main", "temp");
    try {
      let unflushed = 0;
      const stage = (rows: Iterable<CsvRecord>) => {
        for (const row of rows) {
          if (input.stream) checkWidth(row, input.stream.width, file);
          marksRead++;
          if (row.line !== lastLine) {
            rowsRead++;
            lastLine = row.line;
          }
          const m = checkRow(table, row, file, notes, problems, placedAtCode);
          if (!m) continue;
          appender.appendInteger(row.line);
          appender.appendVarchar(m.upn);
          appender.appendDate(new DuckDBDateValue(m.days));
          appender.appendVarchar(m.session);
          appender.appendVarchar(m.code);
          if (m.minutesLate === null) appender.appendNull();
          else appender.appendSmallInt(m.minutesLate);
          appender.appendInteger(m.codeColumn);
          appender.appendInteger(upnAt === undefined ? 1 : row.fields[upnAt].column);
          appender.appendInteger(placedAtCode ? m.codeColumn : dateAt === undefined ? 1 : row.fields[dateAt].column);
          appender.appendInteger(placedAtCode ? m.codeColumn : sessionAt === undefined ? 1 : row.fields[sessionAt].column);
          // A grid's date is its session column's header cell (line 1): a fault of the date is said there, once.
          appender.appendInteger(dateAt === undefined ? row.line : row.fields[dateAt].line);
          appender.endRow();
          if (++unflushed >= FLUSH_ROWS) {
            appender.flushSync();
            unflushed = 0;
          }
        }
      };
      if (input.stream) for await (const batch of input.stream.batches) stage(batch);
      else stage(table.rows);
      appender.flushSync();
    } finally {
      appender.closeSync();
    }

    notes.closureMarks = await dropClosureMarks(conn, STAGE);
    await checkStagedMarks(conn, STAGE, file, problems, input.today ?? currentDate(), input.pending, placedAtCode);
    problems.refuse();
    if (input.checkOnly) return { kind: "marks", file, rowsRead, inserted: 0, amended: 0, unchanged: 0, importId: null };

    const digest = input.stream ? input.stream.digest() : sha256(input.text ?? "");
    // Every staged UPN is a known pupil (checked above); the store speaks integer pupil ids.
    await ensurePupilIds(conn);
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE ${KEYED} AS
       SELECT s.line, k.pupil_id, s.date, s.session = 'PM' AS pm, s.code::mark_code AS code, s.minutes_late,
              m.code AS stored_code, m.minutes_late AS stored_minutes_late, m.pupil_id IS NOT NULL AS stored
       FROM ${STAGE} s
       JOIN pupil_ids k USING (upn)
       LEFT JOIN mark_store m ON m.pupil_id = k.pupil_id AND m.date = s.date AND m.pm = (s.session = 'PM')`,
    );
    if (!table.index.has("minutes_late")) await keepStoredMinutes(conn, KEYED);
    const summary = await mergeKeyed(conn, KEYED, { file, digest, by: input.by, reason: input.reason }, rowsRead);
    // The reader's own notes first (a CTF's marks of another school, or before the admission here).
    const lines = [...(input.table?.notes ?? []), ...noteLines(notes)];
    // Cells with no mark (a blank grid cell, a space in a week string, "-" in a daytime export)
    // and marks on closure days are reported, never counted.
    const skipped = notes.noMarkYet + notes.closureMarks + (input.table?.skipped ?? 0);
    // The marks are said apart only where a row holds several (not the long layout's one a row),
    // and only those kept: a CTF's "#" on its holiday days, dropped as closure marks and said
    // as skipped, were counted too (trial 52: the preview's "3 (90 marks)" against the record's
    // "3 rows read, 60 marks", 30 skipped).
    const marksKept = marksRead - notes.noMarkYet - notes.closureMarks;
    return { ...summary, ...(marksRead !== rowsRead ? { marksRead: marksKept } : {}), ...(skipped > 0 ? { skipped } : {}), ...(lines.length > 0 ? { notes: lines } : {}) };
  } finally {
    await conn.run(`DROP TABLE IF EXISTS temp.${STAGE}`);
    await conn.run(`DROP TABLE IF EXISTS temp.${KEYED}`);
  }
}

/** The codes that carry minutes late (the DfE's L and U): a late arrival's minutes are kept with them. */
const LATE_CODES = "('L', 'U')";

/**
 * For a file with no minutes-late column (a grid, week strings, a CTF, a long file without
 * the column): the file says nothing about minutes, so a session already stored keeps its
 * minutes late while it is still a late mark (L or U), and the merge does not read the
 * missing column as "no minutes" — which wiped a late arrival's recorded minutes on every
 * re-import of a grid and recorded the mark as amended from L to L (a fresh-clone trial).
 * A file with the column gives each session's minutes, an empty cell meaning none.
 * `table`: a keyed table as mergeKeyed reads it (minutes_late, stored_minutes_late, code, stored).
 */
export async function keepStoredMinutes(conn: Connection, table: string): Promise<void> {
  await conn.run(`UPDATE ${table} SET minutes_late = stored_minutes_late WHERE stored AND code IN ${LATE_CODES}`);
}

/**
 * One row's own checks (values, codes by the regulations in force on its date); returns
 * the mark to stage, or undefined for a session with no mark yet (counted in `notes`).
 * @throws InputError naming the row's line and the bad field's column.
 */
function checkRow(table: Pick<MappedTable, "index">, row: CsvRecord, file: string, notes: MarkNotes, problems: Problems, placedAtCode: boolean): ParsedMark | undefined {
  const codeField = requiredField(table, row, "code");
  const raw = codeField.value.trim();
  // A daytime export writes "-" or nothing for a session not yet registered: it is no
  // mark at all, so it is skipped (and counted), never read as present or absent.
  if (NO_MARK_YET.includes(raw)) {
    notes.noMarkYet++;
    return undefined;
  }
  // Each field is checked on its own, so a row with a bad date and a bad code is told both
  // (the school corrects the file once, not once per fault).
  const checks = problems.row();
  const upn = checks.value(() => parseUpn(requiredField(table, row, "upn"), file));
  const iso = checks.value(() => {
    const dateField = requiredField(table, row, "date");
    try {
      return parseDate(dateField, file, "date");
    } catch (error) {
      // A date made from a string of marks has no place of its own (MarksTable.placedAtCode):
      // its fault is said at the code's character, not at line 0 (review 51).
      if (error instanceof InputError && placedAtCode) throw new InputError(file, codeField.line, codeField.column, `${codeField.where ? `${codeField.where}: ` : ""}${error.reason}`);
      throw error;
    }
  });
  const session = checks.value(() => {
    const sessionField = requiredField(table, row, "session");
    const word = sessionWord(sessionField.value);
    if (!word) throw new InputError(file, sessionField.line, sessionField.column, `session must be AM or PM, not ${quote(sessionField.value)}`);
    return word;
  });
  // Codes are capitals in the regulations; some exports write them in lower case.
  let code = raw.toUpperCase();
  const sub = COVID_SUBCODES[code];
  if (iso !== undefined && sub && iso >= COVID_SUBCODES_FROM && iso <= COVID_SUBCODES_TO) {
    notes.covidSubcodes[code] = (notes.covidSubcodes[code] ?? 0) + 1;
    code = sub.code;
  }
  const refusal = (at: string) => new InputError(file, codeField.line, codeField.column, `${codeField.where ? `${codeField.where}: ` : ""}${codeRefusal(code, at)}`);
  // Without a date a code can still be told unknown (in no regulations at all).
  if (iso !== undefined ? !codeOn(code, iso) : !sub && !CODE_CATALOGUE.some((d) => d.code === code)) checks.add(refusal(iso ?? ""));
  const minutesLate = checks.value(() => parseMinutesLate(fieldOf(table, row, "minutes_late"), file));
  if (checks.failed || minutesLate === undefined || upn === undefined || iso === undefined || session === undefined) return undefined;
  // MIS exports differ in which stroke they write for which session; both mean present.
  // One spelling per session keeps a re-export from another MIS from reading as an amendment.
  if (code === "/" || code === "\\") code = session === "AM" ? "/" : "\\";
  return { line: row.line, upn, days: isoToDays(iso), session, code, minutesLate, codeColumn: codeField.column };
}

/** The summary's sentences for what was skipped or mapped. */
export function noteLines(notes: MarkNotes): string[] {
  const lines: string[] = [];
  if (notes.noMarkYet > 0) lines.push(`${notes.noMarkYet} ${notes.noMarkYet === 1 ? "session" : "sessions"} with no mark yet ("-" or empty) skipped: they stay register gaps until marked`);
  if (notes.closureMarks > 0) lines.push(`${notes.closureMarks} "#" mark(s) on days the school's calendar has it closed (closures, holidays, weekends) skipped`);
  const subs = Object.entries(notes.covidSubcodes).sort(([a], [b]) => a.localeCompare(b));
  if (subs.length > 0) {
    const list = subs.map(([code, n]) => `${code} ×${n} as ${COVID_SUBCODES[code].code}`).join(", ");
    lines.push(`COVID-era sub-codes stored as the census code the DfE collected: ${list}`);
  }
  return lines;
}

/** mergeKeyed's counts of a keyed table's marks, with its first and last date (ISO; null when it holds none). */
export interface KeyedCounts {
  inserted: number;
  amended: number;
  unchanged: number;
  first_date: string | null;
  last_date: string | null;
}

/**
 * The select list's first and last date of the marks kept (`date`, in a query over a keyed or
 * staged table whose rows are marks kept), as KeyedCounts names them. `kept`: a condition of the
 * rows that are (the SQL path's staging table holds "-" and closure marks too); else every row.
 */
export function keptDatesSql(kept = "true"): string {
  return `strftime(min(CASE WHEN ${kept} THEN date END), '%Y-%m-%d') AS first_date, strftime(max(CASE WHEN ${kept} THEN date END), '%Y-%m-%d') AS last_date`;
}
const KEPT_DATES_SQL = keptDatesSql();

/**
 * Writes the checked marks of one file, in the caller's transaction: new marks inserted,
 * changed ones amended (the original kept in `amendments`), the aggregates refreshed, and an
 * import record when anything changed. `keyed` names a temp table of the marks to write with
 * what the store holds for each session (or a parenthesised query giving them):
 * (line, pupil_id INTEGER, date DATE, pm BOOLEAN, code mark_code, minutes_late SMALLINT,
 *  stored_code mark_code, stored_minutes_late SMALLINT, stored BOOLEAN), `line` giving the
 * file's order (amendments are numbered and previewed in it). Shared by the reader's path
 * (importMarks) and DuckDB's (marks-sql.ts), so both write alike.
 */
export async function mergeKeyed(
  conn: Connection,
  keyed: string,
  input: { file: string; digest: string; by: Actor; reason?: string },
  rowsRead: number,
  /** The counts of new, amended and unchanged marks in `keyed`, and its first and last date (ISO, null with none), when the caller has them. */
  known?: KeyedCounts,
): Promise<ImportSummary> {
  const counts = known ?? await queryOne<KeyedCounts & Record<string, string | number | null>>(
    conn,
    `SELECT count(*) FILTER (WHERE NOT stored)::INTEGER AS inserted,
            count(*) FILTER (WHERE stored AND (stored_code <> code OR stored_minutes_late IS DISTINCT FROM minutes_late))::INTEGER AS amended,
            count(*) FILTER (WHERE stored AND stored_code = code AND stored_minutes_late IS NOT DISTINCT FROM minutes_late)::INTEGER AS unchanged,
            ${KEPT_DATES_SQL}
     FROM ${keyed}`,
  );
  const { inserted, amended, unchanged, first_date, last_date } = counts ?? { inserted: 0, amended: 0, unchanged: 0, first_date: null, last_date: null };
  // The days the file's kept marks cover, said with its counts (record-words.ts marksDatesWords).
  const dates = first_date !== null && last_date !== null ? { firstDate: first_date, lastDate: last_date } : {};
  const base = { kind: "marks" as const, file: input.file, rowsRead, inserted, amended, unchanged, ...dates };
  if (inserted + amended === 0) return { ...base, importId: null };

  const importId = await nextImportId(conn);
  const changed = `FROM ${keyed} WHERE NOT stored OR stored_code <> code OR stored_minutes_late IS DISTINCT FROM minutes_late`;
  const preview: Pick<ImportSummary, "amendedMarks"> = {};
  if (amended > 0) {
    // The amended marks with their pupils' UPNs, in the file's order.
    const amendedRows = `SELECT c.*, k.upn, CASE WHEN c.pm THEN 'PM' ELSE 'AM' END AS session
       FROM ${keyed} c JOIN pupil_ids k USING (pupil_id)
       WHERE c.stored AND (c.stored_code <> c.code OR c.stored_minutes_late IS DISTINCT FROM c.minutes_late)`;
    // What the preview (dry run) shows: the first amended marks with the codes before and after.
    preview.amendedMarks = (
      await queryRows<{ upn: string; name: string; date: string; session: string } & AmendedMark & Record<string, string | number | null>>(
        conn,
        // With the pupil's name: a preview of UPNs alone asked the school to look each one up (trial18a).
        `SELECT a.upn, p.surname || ', ' || p.forename AS name, strftime(a.date, '%Y-%m-%d') AS date, a.session,
                a.stored_code::VARCHAR AS original_code, a.code::VARCHAR AS new_code,
                a.stored_minutes_late::INTEGER AS original_minutes_late, a.minutes_late::INTEGER AS new_minutes_late
         FROM (${amendedRows}) a JOIN pupils p ON p.upn = a.upn ORDER BY a.line LIMIT ${PREVIEW_ROWS}`,
      )
    ).map((m) => ({ upn: m.upn, name: m.name, date: m.date, session: m.session, ...amendedMarkWords(m), beforeCode: m.original_code, afterCode: m.new_code }));
    // The register is a legal record: the original code is kept before it is replaced.
    await conn.run(
      `INSERT INTO amendments (amendment_id, upn, date, session, original_code, new_code, reason,
                               amended_at, amended_by, amended_by_role, import_id, original_minutes_late, new_minutes_late)
       SELECT nextval('amendment_id_seq'), upn, date, session::register_session, stored_code, code, $reason,
              current_localtimestamp(), $by, $role, $importId, stored_minutes_late, minutes_late
       FROM (${amendedRows} ORDER BY c.line)`,
      {
        reason: input.reason ?? `Changed by import of ${input.file}`,
        by: input.by.name,
        role: input.by.role,
        importId,
      },
    );
    await conn.run(
      `UPDATE mark_store SET code = c.code, minutes_late = c.minutes_late, import_id = $importId
       FROM (SELECT * FROM ${keyed} WHERE stored AND (stored_code <> code OR stored_minutes_late IS DISTINCT FROM minutes_late)) c
       WHERE mark_store.pupil_id = c.pupil_id AND mark_store.date = c.date AND mark_store.pm = c.pm`,
      { importId },
    );
  }
  if (inserted > 0) {
    await conn.run(
      `INSERT INTO mark_store (pupil_id, date, pm, code, minutes_late, import_id)
       SELECT pupil_id, date, pm, code, minutes_late, $importId
       FROM ${keyed} WHERE NOT stored
       ORDER BY ${SESSION_ORDER("date", "pm", "pupil_id", "code")}`,
      { importId },
    );
  }
  await refreshAggregates(conn, `SELECT pupil_id, date ${changed}`);
  await recordImport(conn, importId, base, { sha256: input.digest }, input.by);
  return { ...base, importId, ...preview };
}
