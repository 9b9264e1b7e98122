/**
 * Pupil roll import: identity (names, date of birth, sex, ethnicity, admission and leaving)
 * is upserted; characteristics (year group, class, SEN, FSM, EAL, LAC) keep their history,
 * because a breakdown for last autumn must use last autumn's FSM status, not today's.
 */
import { currentDate } from "../periods.ts";
import { DuckDBDateValue } from "@duckdb/node-api";
import { InputError, mapColumns, type ColumnSpec, type MappedTable } from "../csv.ts";
import { readDelimited } from "./readers/delimited.ts";
import { queryRows, queryOne, type Connection, type Row } from "../db.ts";
import { spellGivenTwice } from "./spells.ts";
import { PUPIL_CHARACTERISTICS, PUPIL_DETAILS, pupilDetailChanges, type PupilDetails } from "./pupil-changes.ts";
import { NOT_ASSIGNED } from "./readers/ctf.ts";
import { ukDate } from "../packs/format.ts";
import { MAX_AGE_ON_ADMISSION, MAX_ETHNICITY_CHARS, MAX_NAME_CHARS, MAX_REG_GROUP_CHARS, MAX_REPORTED_ERRORS, MIN_AGE_ON_ADMISSION } from "./limits.ts";
import { lostLetterNote } from "./name-letters.ts";
import { Problems } from "./problems.ts";
import {
  columnOf,
  isoToDays,
  nextImportId,
  PREVIEW_ROWS,
  normaliseDate,
  parseDate,
  parseFlag,
  parseOptionalDate,
  parseRequiredText,
  parseSen,
  parseSex,
  parseText,
  parseUpn,
  upnCheckLetter,
  parseYearGroup,
  recordImport,
  requiredField,
  type Actor,
  type ImportSummary,
} from "./values.ts";

export type { Actor, ImportSummary } from "./values.ts";

export const PUPIL_COLUMNS: ColumnSpec[] = [
  { name: "upn", aliases: ["UPN", "Unique Pupil Number"], required: true },
  { name: "forename", aliases: ["Forename", "Legal Forename", "First Name", "Given Name"], required: true },
  { name: "surname", aliases: ["Surname", "Legal Surname", "Last Name", "Family Name"], required: true },
  { name: "dob", aliases: ["DOB", "Date of Birth", "Birth Date"], required: true },
  { name: "sex", aliases: ["Sex", "Gender"], required: true },
  { name: "year_group", aliases: ["Year", "Year Group", "NC Year", "National Curriculum Year"], required: true },
  { name: "reg_group", aliases: ["Reg Group", "Registration Group", "Reg", "Class", "Form"], required: true },
  { name: "admission_date", aliases: ["Admission Date", "Date of Admission", "Entry Date", "Admission"], required: true },
  { name: "leaving_date", aliases: ["Leaving Date", "Date of Leaving", "Leave Date"], required: true },
  { name: "sen", aliases: ["SEN", "SEN Provision", "SEN Status"], required: true },
  { name: "fsm", aliases: ["FSM", "FSM Eligible", "FSM Eligibility"], required: true },
  { name: "eal", aliases: ["EAL", "English as an Additional Language"], required: true },
  { name: "lac", aliases: ["LAC", "CLA", "Looked After", "Looked After Child"], required: true },
  { name: "ethnicity", aliases: ["Ethnicity", "Ethnic Code", "Ethnic Group"], required: true },
];

const STAGE = "import_pupils_stage";
const DIFF = "import_pupils_diff";

interface ParsedPupil {
  line: number;
  upn: string;
  forename: string;
  surname: string;
  dob: string;
  sex: string;
  ethnicity: string;
  admission: string;
  leaving: string | null;
  yearGroup: string;
  regGroup: string;
  sen: string;
  fsm: string;
  eal: string;
  lac: string;
}

/**
 * Imports a pupils file (or a CTF's pupils, `table`) in the caller's transaction: new pupils
 * with their characteristics from admission; a stored pupil's identity updated and their
 * characteristics changed from `asOf` (ISO date; default today in England). A file as of a
 * date before a pupil's latest stored spell is older than what is stored: for that pupil it
 * sets only the span from `asOf` to the next stored spell and never the identity (merge).
 * @returns the summary, with the changed pupils (each detail before and after) and notes.
 * @throws InputError (file:line:column, up to 50) for a refused file; RangeError for a bad `asOf`.
 */
export async function importPupils(
  conn: Connection,
  input: {
    file: string;
    text: string;
    table?: MappedTable;
    asOf?: string;
    /** Where `asOf` came from, for the summary's appliesFrom (a CTF: its Header DateTime). */
    asOfSource?: string;
    by: Actor;
    today?: string;
  },
): Promise<ImportSummary> {
  const { file, text, by } = input;
  const asOf = input.asOf === undefined ? currentDate() : normaliseDate(input.asOf);
  if (!asOf) throw new RangeError(`asOf "${input.asOf}" is not a date (expected YYYY-MM-DD)`);
  // A table read by analytics/import/readers (a worksheet, a CTF), else the text as CSV.
  const table = input.table ?? mapColumns(readDelimited(text, file).records, PUPIL_COLUMNS, file);

  const parsed: ParsedPupil[] = [];
  const firstLine = new Map<string, number>();
  const problems = new Problems();
  const today = input.today ?? currentDate();
  // UPNs whose check letter is not the DfE's: imported as given (the school's MIS holds them so,
  // and their marks must come in), but said, since most are typing slips (a trial's A820200000011).
  const wrongCheckLetter: { line: number; column: number; upn: string; expected: string }[] = [];
  for (const row of table.rows) {
    // Every field of the row is checked on its own, so a row with several faults is told all
    // of them (RowChecks); a check across fields runs when the fields it needs were read.
    const checks = problems.row();
    const f = (name: string) => requiredField(table, row, name);
    const upnField = f("upn");
    const upn = checks.value(() => {
      const value = parseUpn(upnField, file);
      const seen = firstLine.get(value);
      if (seen !== undefined) throw new InputError(file, upnField.line, upnField.column, `duplicate UPN ${value}: already given on line ${seen}`);
      firstLine.set(value, row.line);
      const expected = upnCheckLetter(value.slice(1));
      if (expected !== value[0]) wrongCheckLetter.push({ line: upnField.line, column: upnField.column, upn: value, expected });
      return value;
    });
    const forename = checks.value(() => parseRequiredText(f("forename"), file, "forename", MAX_NAME_CHARS));
    const surname = checks.value(() => parseRequiredText(f("surname"), file, "surname", MAX_NAME_CHARS));
    const dobField = f("dob");
    const dob = checks.value(() => parseDate(dobField, file, "date of birth"));
    const sex = checks.value(() => parseSex(f("sex"), file));
    const yearGroup = checks.value(() => parseYearGroup(f("year_group"), file));
    const regGroup = checks.value(() => parseRequiredText(f("reg_group"), file, "registration group", MAX_REG_GROUP_CHARS));
    const admission = checks.value(() => parseDate(f("admission_date"), file, "admission date"));
    const leavingField = f("leaving_date");
    const leaving = checks.value(() => parseOptionalDate(leavingField, file, "leaving date"));
    if (leaving && admission !== undefined && leaving < admission) {
      checks.add(new InputError(file, leavingField.line, leavingField.column, `leaving date ${leaving} is before the admission date ${admission}`));
    }
    const dobProblem = dob === undefined ? undefined : dateOfBirthProblem(dob, admission, today);
    if (dobProblem) checks.add(new InputError(file, dobField.line, dobField.column, dobProblem));
    const sen = checks.value(() => parseSen(f("sen"), file));
    const fsm = checks.value(() => parseFlag(f("fsm"), file, "FSM"));
    const eal = checks.value(() => parseFlag(f("eal"), file, "EAL"));
    const lac = checks.value(() => parseFlag(f("lac"), file, "LAC"));
    // Ethnicity may be blank in exports (not yet obtained); the store keeps it as given.
    const ethnicity = checks.value(() => parseText(f("ethnicity"), file, "ethnicity", MAX_ETHNICITY_CHARS));
    const values = checks.complete({ upn, forename, surname, dob, sex, ethnicity, admission, leaving, yearGroup, regGroup, sen, fsm, eal, lac });
    if (values) parsed.push({ line: row.line, ...values });
  }
  const lostLetters = lostLetterNote(parsed.map((p) => ({ line: p.line, name: `${p.forename} ${p.surname}` })));

  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${STAGE} (
       line INTEGER NOT NULL, upn VARCHAR NOT NULL, forename VARCHAR NOT NULL, surname VARCHAR NOT NULL,
       dob DATE NOT NULL, sex VARCHAR NOT NULL, ethnicity VARCHAR NOT NULL,
       admission_date DATE NOT NULL, leaving_date DATE,
       year_group VARCHAR NOT NULL, reg_group VARCHAR NOT NULL,
       sen VARCHAR NOT NULL, fsm VARCHAR NOT NULL, eal VARCHAR NOT NULL, lac VARCHAR NOT NULL)`,
  );
  try {
    const appender = await conn.createAppender(STAGE, "main", "temp");
    try {
      for (const p of parsed) {
        appender.appendInteger(p.line);
        appender.appendVarchar(p.upn);
        appender.appendVarchar(p.forename);
        appender.appendVarchar(p.surname);
        appender.appendDate(new DuckDBDateValue(isoToDays(p.dob)));
        appender.appendVarchar(p.sex);
        appender.appendVarchar(p.ethnicity);
        appender.appendDate(new DuckDBDateValue(isoToDays(p.admission)));
        if (p.leaving === null) appender.appendNull();
        else appender.appendDate(new DuckDBDateValue(isoToDays(p.leaving)));
        for (const v of [p.yearGroup, p.regGroup, p.sen, p.fsm, p.eal, p.lac]) appender.appendVarchar(v);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }

    for (const error of await marksOffRoll(conn, file, table, asOf)) problems.add(error);
    problems.refuse();
    const appliesFrom = { date: asOf, source: input.asOfSource ?? (input.asOf === undefined ? "today: no date was given with the file" : "the date given with the file") };
    const merged = await merge(conn, { file, text, by, asOf }, parsed.length);
    const said = [checkLetterNote(file, wrongCheckLetter), lostLetters].filter((note): note is string => typeof note === "string");
    const summary = { ...merged, appliesFrom, ...(said.length > 0 ? { notes: [...(merged.notes ?? []), ...said] } : {}) };
    // One spell per pupil and start date (analytics/import/spells.ts): a pupil whose stored
    // spells are all closed gets a new one from their admission date, which may be taken.
    const twice = await spellGivenTwice(conn, `SELECT upn FROM ${DIFF}`);
    if (twice) {
      const line = firstLine.get(twice.upn) ?? 0;
      throw new InputError(
        file,
        line,
        columnOf(table, "upn"),
        `${twice.upn} would have two spells of characteristics from ${twice.validFrom} (one is stored already); correct the admission date (a pupil who returns after leaving is admitted again on the day they return)`,
      );
    }
    return summary;
  } finally {
    await conn.run(`DROP TABLE IF EXISTS temp.${STAGE}`);
    await conn.run(`DROP TABLE IF EXISTS temp.${DIFF}`);
  }
}

/**
 * Why a date of birth is implausible for a primary pupil, or undefined: after today, on or
 * after the admission date, or an age on admission outside MIN_AGE_ON_ADMISSION..MAX_AGE_ON_ADMISSION
 * (limits.ts; nursery classes from 2, middle schools deemed primary to 13). With `admission`
 * undefined (an admission date that could not be read) only today is checked.
 */
export function dateOfBirthProblem(dob: string, admission: string | undefined, today: string): string | undefined {
  if (dob > today) return `date of birth ${dob} is after today (${today})`;
  if (admission === undefined) return undefined;
  if (dob >= admission) return `date of birth ${dob} is on or after the admission date ${admission}`;
  const age = Number(admission.slice(0, 4)) - Number(dob.slice(0, 4)) - (admission.slice(5) < dob.slice(5) ? 1 : 0);
  if (age < MIN_AGE_ON_ADMISSION || age > MAX_AGE_ON_ADMISSION) {
    return `date of birth ${dob} makes the pupil ${age} on admission (${admission}); a primary pupil is admitted aged ${MIN_AGE_ON_ADMISSION} to ${MAX_AGE_ON_ADMISSION}`;
  }
  return undefined;
}

/**
 * New admission or leaving dates must not strand marks already in the register outside the
 * roll. Z (not on roll) is the one mark that belongs outside it. A file older than a pupil's
 * stored characteristics changes none of their dates (merge), so is not checked for them.
 */
async function marksOffRoll(conn: Connection, file: string, table: ReturnType<typeof mapColumns>, asOf: string): Promise<InputError[]> {
  const rows = await queryRows<{
    line: number;
    upn: string;
    admission_date: string;
    leaving_date: string | null;
    n_before: number;
    first_before: string | null;
    n_after: number;
    last_after: string | null;
  }>(
    conn,
    `SELECT s.line, s.upn, s.admission_date, s.leaving_date,
            count(*) FILTER (WHERE m.date < s.admission_date)::INTEGER AS n_before,
            min(m.date) FILTER (WHERE m.date < s.admission_date) AS first_before,
            count(*) FILTER (WHERE m.date > s.leaving_date)::INTEGER AS n_after,
            max(m.date) FILTER (WHERE m.date > s.leaving_date) AS last_after
     FROM ${STAGE} s JOIN marks m ON m.upn = s.upn
     WHERE (m.date < s.admission_date OR m.date > s.leaving_date) AND m.code <> 'Z'
       AND NOT EXISTS (SELECT 1 FROM pupils p JOIN pupil_characteristics c ON c.upn = p.upn
                       WHERE p.upn = s.upn AND c.valid_from > greatest($asOf::DATE, p.admission_date))
     GROUP BY s.line, s.upn, s.admission_date, s.leaving_date
     ORDER BY s.line LIMIT ${MAX_REPORTED_ERRORS}`,
    { asOf: new DuckDBDateValue(isoToDays(asOf)) },
  );
  return rows.map((row) => {
    if (row.n_before > 0) {
      return new InputError(
      file,
      row.line,
      columnOf(table, "admission_date"),
        `admission date ${row.admission_date} would leave ${row.n_before} stored mark(s) of ${row.upn} before admission (earliest ${row.first_before}); amend those marks first`,
      );
    }
    return new InputError(
      file,
      row.line,
      columnOf(table, "leaving_date"),
      `leaving date ${row.leaving_date} would leave ${row.n_after} stored mark(s) of ${row.upn} after leaving (latest ${row.last_after}); amend those marks first`,
    );
  });
}

/**
 * The summary's sentences about a file older than what is stored (see merge): how many
 * pupils it changed for an earlier span only, whose stored details it kept, and for whom it
 * changed nothing because they had no characteristics on its date. Empty when none.
 */
function olderFileNotes(asOf: string, n: { earlier: number; kept: number; off_roll: number }): string[] {
  const pupils = (k: number) => (k === 1 ? "1 pupil" : `${k} pupils`);
  const notes: string[] = [];
  if (n.earlier > 0) {
    notes.push(
      `${pupils(n.earlier)} already had characteristics recorded from after ${ukDate(asOf)}, the file's date: for them the file sets the year group, class and other characteristics from ${ukDate(asOf)} up to the next recorded change only, never the current ones`,
    );
  }
  if (n.kept > 0) notes.push(`${pupils(n.kept)}: names, dates, sex or ethnicity that differ in this older file were kept as recorded`);
  if (n.off_roll > 0) notes.push(`${pupils(n.off_roll)} had no characteristics recorded on ${ukDate(asOf)}, the file's date, which is before their time on roll: nothing was changed for them`);
  return notes;
}

/**
 * The summary's note on UPNs whose check letter is not the one the DfE's algorithm gives
 * (values.ts upnCheckLetter), naming the first few by file, line and column; null when none.
 */
export function checkLetterNote(file: string, wrong: readonly { line: number; column: number; upn: string; expected: string }[]): string | null {
  if (wrong.length === 0) return null;
  const shown = wrong.slice(0, 3).map((w) => `${file}, line ${w.line}, column ${w.column}: ${w.upn} would start with ${w.expected}`);
  const more = wrong.length > shown.length ? `; and ${wrong.length - shown.length} more` : "";
  const upns = wrong.length === 1 ? "1 UPN's check letter is" : `${wrong.length} UPNs' check letters are`;
  return `${upns} not the one the DfE's UPN algorithm gives (${shown.join("; ")}${more}): most often a typing slip. Imported as given; check them against the MIS, and once it holds the right UPN, an administrator corrects it in Rollcall with the command rollcall pupils correct-upn OLD NEW (it keeps the pupil's marks and history; there is no page for it).`;
}

async function merge(
  conn: Connection,
  input: { file: string; text: string; by: Actor; asOf: string },
  rowsRead: number,
): Promise<ImportSummary> {
  // A file as of a date before a stored pupil's latest spell is an older file (`earlier`): it
  // describes the span from its date up to the next stored spell, so it is compared with the
  // spell in force on its date, and never changes the pupil's identity (the stored names and
  // dates are newer than it). Any other file is compared with the current spell. The file's
  // date for a pupil admitted after it is their admission (`effective`): a file as of 1
  // September for a pupil who joined on the 3rd describes them from the 3rd.
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${DIFF} AS
     WITH latest AS (SELECT upn, max(valid_from) AS latest_from FROM pupil_characteristics GROUP BY upn),
     staged AS (
       SELECT s.*, p.upn IS NULL AS is_new, p.upn IS NOT NULL AND l.latest_from > greatest($asOf::DATE, p.admission_date) AS earlier,
              greatest($asOf::DATE, p.admission_date) AS effective
       FROM ${STAGE} s LEFT JOIN pupils p ON p.upn = s.upn LEFT JOIN latest l ON l.upn = s.upn
     )
     SELECT s.*,
            NOT s.earlier AND p.upn IS NOT NULL AND (
              p.forename <> s.forename OR p.surname <> s.surname OR p.dob <> s.dob OR p.sex <> s.sex
              OR p.ethnicity <> s.ethnicity OR p.admission_date <> s.admission_date
              OR p.leaving_date IS DISTINCT FROM s.leaving_date) AS identity_changed,
            s.earlier AND (
              p.forename <> s.forename OR p.surname <> s.surname OR p.dob <> s.dob OR p.sex <> s.sex
              OR p.ethnicity <> s.ethnicity OR p.admission_date <> s.admission_date
              OR p.leaving_date IS DISTINCT FROM s.leaving_date) AS identity_kept,
            NOT s.earlier AND c.upn IS NULL AS no_current,
            s.earlier AND c.upn IS NULL AS earlier_off_roll,
            c.valid_from AS current_from,
            c.valid_to AS current_to,
            c.upn IS NOT NULL AND (
              c.year_group <> s.year_group OR c.reg_group <> s.reg_group OR c.sen <> s.sen
              OR c.fsm <> s.fsm OR c.eal <> s.eal OR c.lac <> s.lac) AS chars_changed
     FROM staged s
     LEFT JOIN pupils p ON p.upn = s.upn
     LEFT JOIN pupil_characteristics c ON c.upn = s.upn
       AND CASE WHEN s.earlier THEN c.valid_from <= s.effective AND (c.valid_to IS NULL OR c.valid_to >= s.effective)
                ELSE c.valid_to IS NULL END`,
    { asOf: new DuckDBDateValue(isoToDays(input.asOf)) },
  );
  const counts = await queryOne<{ inserted: number; amended: number; unchanged: number; earlier: number; kept: number; off_roll: number }>(
    conn,
    `SELECT count(*) FILTER (WHERE is_new)::INTEGER AS inserted,
            count(*) FILTER (WHERE NOT is_new AND (identity_changed OR chars_changed OR no_current))::INTEGER AS amended,
            count(*) FILTER (WHERE NOT is_new AND NOT (identity_changed OR chars_changed OR no_current))::INTEGER AS unchanged,
            count(*) FILTER (WHERE earlier AND NOT earlier_off_roll)::INTEGER AS earlier,
            count(*) FILTER (WHERE identity_kept)::INTEGER AS kept,
            count(*) FILTER (WHERE earlier_off_roll)::INTEGER AS off_roll
     FROM ${DIFF}`,
  );
  const { inserted, amended, unchanged } = counts ?? { inserted: 0, amended: 0, unchanged: 0 };
  const notes = olderFileNotes(input.asOf, counts ?? { earlier: 0, kept: 0, off_roll: 0 });
  const base = { kind: "pupils" as const, file: input.file, rowsRead, inserted, amended, unchanged, ...(notes.length > 0 ? { notes } : {}) };
  if (inserted + amended === 0) return { ...base, importId: null };

  const importId = await nextImportId(conn);
  // Before the writes below: a stored pupil's details as stored (p, c), against the file's (d).
  const detailColumns = (prefix: string, pupil: string, spell: string) =>
    [...PUPIL_DETAILS.map((key) => [pupil, key] as const), ...PUPIL_CHARACTERISTICS.map((key) => [spell, key] as const)]
      .map(([table, key]) => `CAST(${table}.${key} AS VARCHAR) AS ${prefix}${key}`)
      .join(", ");
  const changedPupils = (
    await queryRows<Row & { upn: string; name: string; is_new: boolean; earlier: boolean; span_from: string | null; current_to: string | null }>(
      conn,
      `SELECT d.upn, CASE WHEN d.earlier THEN p.forename || ' ' || p.surname ELSE d.forename || ' ' || d.surname END AS name, d.is_new, d.earlier,
              CAST(greatest(d.current_from, $asOf::DATE) AS VARCHAR) AS span_from, CAST(d.current_to AS VARCHAR) AS current_to, ${detailColumns("file_", "d", "d")}, ${detailColumns("stored_", "p", "c")}
       FROM ${DIFF} d
       LEFT JOIN pupils p ON p.upn = d.upn
       LEFT JOIN pupil_characteristics c ON c.upn = d.upn AND c.valid_from = d.current_from
       WHERE d.is_new OR d.identity_changed OR d.chars_changed OR d.no_current ORDER BY d.line LIMIT ${PREVIEW_ROWS}`,
      { asOf: new DuckDBDateValue(isoToDays(input.asOf)) },
    )
  ).map((p) => {
    if (p.is_new) return { upn: p.upn, name: p.name, change: "new" as const };
    const details = (prefix: string, keys: readonly string[]) => Object.fromEntries(keys.map((key) => [key, p[`${prefix}${key}`] as string | null]));
    const stored = details("stored_", [...PUPIL_DETAILS, ...PUPIL_CHARACTERISTICS]) as PupilDetails;
    // An older file changes the span from its date to the next stored spell only, never the identity.
    const file = { ...details(p.earlier ? "stored_" : "file_", PUPIL_DETAILS), ...details("file_", PUPIL_CHARACTERISTICS) } as PupilDetails;
    const changes = pupilDetailChanges(stored, file);
    const span = p.earlier ? ` (${ukDate(p.span_from ?? input.asOf)} to ${p.current_to === null ? "now" : ukDate(p.current_to)} only)` : "";
    return { upn: p.upn, name: p.name, change: "changed" as const, changes: changes.map((c) => ({ ...c, field: `${c.field}${span}` })) };
  });
  const asOf = { asOf: new DuckDBDateValue(isoToDays(input.asOf)) };
  await conn.run(
    `INSERT INTO pupils (upn, forename, surname, dob, sex, ethnicity, admission_date, leaving_date)
     SELECT upn, forename, surname, dob, sex, ethnicity, admission_date, leaving_date FROM ${DIFF} WHERE is_new ORDER BY line`,
  );
  await conn.run(
    `UPDATE pupils SET forename = d.forename, surname = d.surname, dob = d.dob, sex = d.sex, ethnicity = d.ethnicity,
                       admission_date = d.admission_date, leaving_date = d.leaving_date
     FROM ${DIFF} d WHERE pupils.upn = d.upn AND d.identity_changed`,
  );
  // A pupil's first spell of characteristics starts with their time on roll. But a year group
  // and class are an academic year's: the file gives them for the academic year of `asOf`
  // (from 1 August) — or, for a pupil who left before it, of their leaving date — not for the
  // years before it. A pupil admitted in an earlier year gets one spell for each of those
  // years, their year group one less for each year back (national curriculum years advance
  // one a year: Year 4 in 2024/25 was Year 3 in 2023/24; R before 1, N2 before R, N1 before
  // N2, none before N1) and their class "Not assigned" (no file gave it); their other
  // characteristics as the file gives them (no file gave others). Trial 16a: one spell
  // "1 Sep 2023 – 31 Aug 2025: Year 4, 4A" for a pupil in Year 3 in 2023/24.
  const anchor = `make_date(CAST(year(least($asOf::DATE, COALESCE(d.leaving_date, $asOf::DATE)) - INTERVAL 7 MONTH) AS INTEGER), 8, 1)`;
  await conn.run(
    `INSERT INTO pupil_characteristics (upn, valid_from, valid_to, year_group, reg_group, sen, fsm, eal, lac)
     SELECT upn, CASE WHEN is_new THEN greatest(admission_date, ${anchor}) ELSE admission_date END, NULL, year_group, reg_group, sen, fsm, eal, lac
       FROM ${DIFF} d WHERE no_current ORDER BY line`,
    asOf,
  );
  await conn.run(
    `INSERT INTO pupil_characteristics (upn, valid_from, valid_to, year_group, reg_group, sen, fsm, eal, lac)
     WITH anchored AS (
       -- New pupils only: a stored pupil without a current spell keeps the spells it has.
       SELECT d.*, ${anchor} AS year_start FROM ${DIFF} d WHERE d.no_current AND d.is_new
     ), earlier AS (
       SELECT a.upn, a.line, a.admission_date, a.year_start, a.sen, a.fsm, a.eal, a.lac, back.k,
              (CASE a.year_group WHEN 'N1' THEN -2 WHEN 'N2' THEN -1 WHEN 'R' THEN 0 ELSE TRY_CAST(a.year_group AS INTEGER) END) - back.k AS ordinal
         FROM anchored a,
              range(1, CAST(year(a.year_start) - year(a.admission_date - INTERVAL 7 MONTH) AS BIGINT) + 1) AS back(k)
        WHERE a.admission_date < a.year_start
     )
     SELECT upn,
            greatest(admission_date, (year_start - to_years(CAST(k AS INTEGER)))::DATE),
            (year_start - to_years(CAST(k - 1 AS INTEGER)) - INTERVAL 1 DAY)::DATE,
            CASE WHEN ordinal = -2 THEN 'N1' WHEN ordinal = -1 THEN 'N2' WHEN ordinal = 0 THEN 'R' ELSE CAST(ordinal AS VARCHAR) END,
            $notAssigned, sen, fsm, eal, lac
       FROM earlier
      WHERE ordinal IS NOT NULL AND ordinal >= -2
      ORDER BY line, k`,
    { ...asOf, notAssigned: NOT_ASSIGNED },
  );
  // The spell compared (the current one, or for an older file the one in force on its date):
  // a change dated on its start corrects it; a later one closes it the day before and starts
  // the file's from `asOf` to where it ended (for the current spell, open; for an older file,
  // up to the next stored spell), so nothing after that span changes.
  await conn.run(
    `UPDATE pupil_characteristics SET year_group = d.year_group, reg_group = d.reg_group, sen = d.sen,
                                      fsm = d.fsm, eal = d.eal, lac = d.lac
     FROM ${DIFF} d
     WHERE pupil_characteristics.upn = d.upn AND pupil_characteristics.valid_from = d.current_from
       AND d.chars_changed AND $asOf <= d.current_from`,
    asOf,
  );
  await conn.run(
    `UPDATE pupil_characteristics SET valid_to = CAST($asOf AS DATE) - 1
     FROM ${DIFF} d
     WHERE pupil_characteristics.upn = d.upn AND pupil_characteristics.valid_from = d.current_from
       AND d.chars_changed AND $asOf > d.current_from`,
    asOf,
  );
  await conn.run(
    `INSERT INTO pupil_characteristics (upn, valid_from, valid_to, year_group, reg_group, sen, fsm, eal, lac)
     SELECT upn, $asOf, current_to, year_group, reg_group, sen, fsm, eal, lac FROM ${DIFF}
     WHERE chars_changed AND $asOf > current_from ORDER BY line`,
    asOf,
  );
  await recordImport(conn, importId, base, input.text, input.by);
  return { ...base, importId, changedPupils };
}
