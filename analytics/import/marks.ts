/**
 * Register marks import: `upn,date,session,code[,minutes_late]`, one row per pupil session.
 *
 * A school year is ~90,000 rows, so values are checked in TypeScript while parsing, rows are
 * appended to a per-connection staging table (with their line numbers, so a refusal found in
 * SQL can still name its line), and the cross-row checks and the merge are set-based SQL.
 * Nothing is written to the register until every check has passed; the caller's transaction
 * makes the whole call atomic.
 */
import { DuckDBDateValue } from "@duckdb/node-api";
import { REGIME_2024_FROM, lookupCode, regimeOn, CODE_CATALOGUE, type CodeDefinition } from "../codes.ts";
import { InputError, mapColumns, fieldOf, type ColumnSpec, type MappedTable } from "../csv.ts";
import { queryOne, type Connection } from "../db.ts";
import { ensurePupilIds, refreshAggregates } from "../store.ts";
import { readDelimited } from "./readers/delimited.ts";
import {
  columnOf,
  earliest,
  isoToDays,
  nextImportId,
  parseDate,
  parseMinutesLate,
  parseUpn,
  recordImport,
  requiredField,
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
  const known = CODE_CATALOGUE.find((d) => d.code === code);
  if (!known) return `unknown attendance code "${code}"`;
  if (iso >= REGIME_2024_FROM) {
    return `code "${code}" (${known.meaning}) was withdrawn on 19 August 2024 and is not valid on ${iso}`;
  }
  return `code "${code}" (${known.meaning}) was introduced on 19 August 2024 and is not valid on ${iso}; use the codes of the 2006 regulations for earlier sessions`;
}

function parseSession(value: string): "AM" | "PM" | undefined {
  const session = value.trim().toUpperCase();
  return session === "AM" || session === "PM" ? session : undefined;
}

interface ParsedMark {
  line: number;
  upn: string;
  days: number;
  session: "AM" | "PM";
  code: string;
  minutesLate: number | null;
}

export async function importMarks(
  conn: Connection,
  input: {
    file: string;
    /** The file's decoded text (its sha256 is kept with the import). */
    text: string;
    /** Rows already read from another layout by analytics/import/readers (long rows, source positions kept); else `text` is read as a long CSV. */
    table?: MappedTable & { skipped?: number };
    by: Actor;
    reason?: string;
  },
): Promise<ImportSummary> {
  const { file, by } = input;
  const table = input.table ?? mapColumns(readDelimited(input.text, file).records, MARK_COLUMNS, file);

  // Per-row checks stop at the first bad row; rows before it are still staged so that a
  // set-based refusal on an earlier line wins (the user fixes errors top to bottom).
  const parsed: ParsedMark[] = [];
  let rowError: InputError | undefined;
  try {
    for (const row of table.rows) {
      const upn = parseUpn(requiredField(table, row, "upn"), file);
      const dateField = requiredField(table, row, "date");
      const iso = parseDate(dateField, file, "date");
      const sessionField = requiredField(table, row, "session");
      const session = parseSession(sessionField.value);
      if (!session) {
        throw new InputError(file, sessionField.line, sessionField.column, `session must be AM or PM, not "${sessionField.value}"`);
      }
      const codeField = requiredField(table, row, "code");
      let code = codeField.value.trim().toUpperCase();
      if (code === "") throw new InputError(file, codeField.line, codeField.column, "attendance code is empty");
      if (!codeOn(code, iso)) throw new InputError(file, codeField.line, codeField.column, codeRefusal(code, iso));
      // MIS exports differ in which stroke they write for which session; both mean present.
      // One spelling per session keeps a re-export from another MIS from reading as an amendment.
      if (code === "/" || code === "\\") code = session === "AM" ? "/" : "\\";
      const minutesLate = parseMinutesLate(fieldOf(table, row, "minutes_late"), file);
      parsed.push({ line: row.line, upn, days: isoToDays(iso), session, code, minutesLate });
    }
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    rowError = error;
  }

  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${STAGE} (
       line INTEGER NOT NULL, upn VARCHAR NOT NULL, date DATE NOT NULL,
       session VARCHAR NOT NULL, code VARCHAR NOT NULL, minutes_late SMALLINT)`,
  );
  try {
    const appender = await conn.createAppender(STAGE, "main", "temp");
    try {
      for (const m of parsed) {
        appender.appendInteger(m.line);
        appender.appendVarchar(m.upn);
        appender.appendDate(new DuckDBDateValue(m.days));
        appender.appendVarchar(m.session);
        appender.appendVarchar(m.code);
        if (m.minutesLate === null) appender.appendNull();
        else appender.appendSmallInt(m.minutesLate);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }

    const refusal = earliest([rowError, ...(await setChecks(conn, file, table))]);
    if (refusal) throw refusal;

    const summary = await merge(conn, input, parsed.length);
    // Cells with no mark (a blank grid cell, a space in a week string) are reported, never counted.
    return input.table?.skipped ? { ...summary, skipped: input.table.skipped } : summary;
  } finally {
    await conn.run(`DROP TABLE IF EXISTS temp.${STAGE}`);
    await conn.run(`DROP TABLE IF EXISTS temp.${KEYED}`);
  }
}

/** Checks that need the whole file or the store: repeated sessions, unknown pupils, marks off roll. */
async function setChecks(conn: Connection, file: string, table: ReturnType<typeof mapColumns>): Promise<(InputError | undefined)[]> {
  const duplicate = await queryOne<{ line: number; first_line: number; upn: string; date: string; session: string }>(
    conn,
    `SELECT line, first_line, upn, date, session FROM (
       SELECT line, upn, date, session, min(line) OVER (PARTITION BY upn, date, session) AS first_line FROM ${STAGE})
     WHERE line > first_line ORDER BY line LIMIT 1`,
  );
  const unknown = await queryOne<{ line: number; upn: string }>(
    conn,
    `SELECT s.line, s.upn FROM ${STAGE} s ANTI JOIN pupils p ON p.upn = s.upn ORDER BY s.line LIMIT 1`,
  );
  const offRoll = await queryOne<{ line: number; upn: string; date: string; admission_date: string; leaving_date: string | null }>(
    conn,
    `SELECT s.line, s.upn, s.date, p.admission_date, p.leaving_date
     FROM ${STAGE} s JOIN pupils p ON p.upn = s.upn
     WHERE s.date < p.admission_date OR s.date > p.leaving_date
     ORDER BY s.line LIMIT 1`,
  );
  return [
    duplicate &&
      new InputError(
        file,
        duplicate.line,
        columnOf(table, "session"),
        `duplicate session: ${duplicate.upn} ${duplicate.date} ${duplicate.session} is already given on line ${duplicate.first_line}`,
      ),
    unknown && new InputError(file, unknown.line, columnOf(table, "upn"), `unknown pupil ${unknown.upn}: import the pupil first`),
    offRoll &&
      new InputError(
        file,
        offRoll.line,
        columnOf(table, "date"),
        `${offRoll.upn} was not on roll on ${offRoll.date} (admitted ${offRoll.admission_date}` +
          (offRoll.leaving_date ? `, left ${offRoll.leaving_date})` : ")"),
      ),
  ];
}

async function merge(
  conn: Connection,
  input: { file: string; text: string; by: Actor; reason?: string },
  rowsRead: number,
): Promise<ImportSummary> {
  // Every staged UPN is a known pupil (checked above); the store speaks integer pupil ids.
  await ensurePupilIds(conn);
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${KEYED} AS
     SELECT s.line, k.pupil_id, s.upn, s.date, s.session = 'PM' AS pm, s.session, s.code::mark_code AS code, s.minutes_late,
            m.code AS stored_code, m.minutes_late AS stored_minutes_late, m.pupil_id IS NOT NULL AS stored
     FROM ${STAGE} s
     JOIN pupil_ids k USING (upn)
     LEFT JOIN mark_store m ON m.pupil_id = k.pupil_id AND m.date = s.date AND m.pm = (s.session = 'PM')`,
  );
  const counts = await queryOne<{ inserted: number; amended: number; unchanged: number }>(
    conn,
    `SELECT count(*) FILTER (WHERE NOT stored)::INTEGER AS inserted,
            count(*) FILTER (WHERE stored AND (stored_code <> code OR stored_minutes_late IS DISTINCT FROM minutes_late))::INTEGER AS amended,
            count(*) FILTER (WHERE stored AND stored_code = code AND stored_minutes_late IS NOT DISTINCT FROM minutes_late)::INTEGER AS unchanged
     FROM ${KEYED}`,
  );
  const { inserted, amended, unchanged } = counts ?? { inserted: 0, amended: 0, unchanged: 0 };
  const base = { kind: "marks" as const, file: input.file, rowsRead, inserted, amended, unchanged };
  if (inserted + amended === 0) return { ...base, importId: null };

  const importId = await nextImportId(conn);
  const changed = `FROM ${KEYED} WHERE NOT stored OR stored_code <> code OR stored_minutes_late IS DISTINCT FROM minutes_late`;
  if (amended > 0) {
    // The register is a legal record: the original code is kept before it is replaced.
    await conn.run(
      `INSERT INTO amendments (amendment_id, upn, date, session, original_code, new_code, reason,
                               amended_at, amended_by, amended_by_role, import_id)
       SELECT nextval('amendment_id_seq'), upn, date, session::register_session, stored_code, code, $reason,
              current_localtimestamp(), $by, $role, $importId
       FROM (SELECT * FROM ${KEYED} WHERE stored AND (stored_code <> code OR stored_minutes_late IS DISTINCT FROM minutes_late) ORDER BY line)`,
      {
        reason: input.reason ?? `Changed by import of ${input.file}`,
        by: input.by.name,
        role: input.by.role,
        importId,
      },
    );
    await conn.run(
      `UPDATE mark_store SET code = c.code, minutes_late = c.minutes_late, import_id = $importId
       FROM (SELECT * FROM ${KEYED} WHERE stored AND (stored_code <> code OR stored_minutes_late IS DISTINCT FROM minutes_late)) c
       WHERE mark_store.pupil_id = c.pupil_id AND mark_store.date = c.date AND mark_store.pm = c.pm`,
      { importId },
    );
  }
  if (inserted > 0) {
    await conn.run(
      `INSERT INTO mark_store (pupil_id, date, pm, code, minutes_late, import_id)
       SELECT pupil_id, date, pm, code, minutes_late, $importId
       FROM ${KEYED} WHERE NOT stored
       ORDER BY date, pm, pupil_id`,
      { importId },
    );
  }
  await refreshAggregates(conn, `SELECT pupil_id, date ${changed}`);
  await recordImport(conn, importId, base, input.text, input.by);
  return { ...base, importId };
}
