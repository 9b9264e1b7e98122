/**
 * School calendar import: `kind,name,start_date,end_date`, where kind is `half_term`
 * (name autumn-1 … summer-2) or `closure` (name is the reason; every day from start to end).
 *
 * A file is the school's calendar for the academic years it touches: what is stored for
 * those years is replaced, other years are kept. school_days (the weekdays inside half
 * terms that are not closures) is rebuilt afterwards, so it can never disagree with the
 * periods and closures it is derived from.
 */
import { currentDate } from "../periods.ts";
import { DuckDBDateValue, listValue } from "@duckdb/node-api";
import { InputError, mapColumns, type ColumnSpec, type MappedTable } from "../csv.ts";
import { readDelimited } from "./readers/delimited.ts";
import { queryRows, type Connection } from "../db.ts";
import { storedMarksOffCalendar } from "./checks-marks.ts";
import { MAX_NAME_CHARS } from "./limits.ts";
import { ImportRefused, Problems } from "./problems.ts";
import { quote } from "./limits.ts";
import { ukDate } from "../packs/format.ts";
import {
  academicYearLabel,
  academicYearStart,
  addDays,
  columnOf,
  isoToDays,
  nextImportId,
  parseDate,
  parseRequiredText,
  recordImport,
  requiredField,
  type Actor,
  type ImportSummary,
} from "./values.ts";

export type { Actor, ImportSummary } from "./values.ts";

export const CALENDAR_COLUMNS: ColumnSpec[] = [
  { name: "kind", aliases: ["Kind", "Type"], required: true },
  { name: "name", aliases: ["Name", "Description", "Reason"], required: true },
  { name: "start_date", aliases: ["Start Date", "Start", "From", "First Day"], required: true },
  { name: "end_date", aliases: ["End Date", "End", "To", "Last Day"], required: true },
];

export const HALF_TERM_NAMES = ["autumn-1", "autumn-2", "spring-1", "spring-2", "summer-1", "summer-2"] as const;

/**
 * Keys built from a half term's name and the calendar year it starts in. These are a
 * contract (the CLI takes `--term autumn-2026`, `--half-term spring-2-2027`).
 */
export function halfTermKey(name: string, startIso: string): string {
  return `${name}-${startIso.slice(0, 4)}`;
}

export function termKey(name: string, startIso: string): string {
  return `${name.split("-")[0]}-${startIso.slice(0, 4)}`;
}

interface HalfTermRow {
  line: number;
  name: string;
  key: string;
  start: string;
  end: string;
}

interface ClosureRow {
  line: number;
  column: number;
  reason: string;
  start: string;
  end: string;
}

function parseKind(value: string): "half_term" | "closure" | undefined {
  const kind = value.trim().toLowerCase().replace(/[^a-z]+/g, "_");
  if (kind === "half_term" || kind === "halfterm") return "half_term";
  if (kind === "closure") return "closure";
  return undefined;
}

function parseHalfTermName(value: string): string | undefined {
  const match = /^(autumn|spring|summer)[\s_-]*([12])$/i.exec(value.trim());
  return match ? `${match[1].toLowerCase()}-${match[2]}` : undefined;
}

/**
 * Imports a calendar file on its own (see importCalendarDeferred): a stored closure the file
 * drops, past and with no marks on its days, is refused at once.
 * @throws ImportRefused / InputError naming file, line and column; nothing is changed.
 */
export async function importCalendar(conn: Connection, input: { file: string; text: string; table?: MappedTable; by: Actor }): Promise<ImportSummary> {
  const { summary, checkReopened } = await importCalendarDeferred(conn, input);
  await checkReopened();
  return summary;
}

/**
 * Imports a calendar file (in the caller's transaction) and returns its summary with
 * `checkReopened`, to be awaited once the import's marks files are in: a closure stored for
 * a year the file gives, which the file no longer lists, turns its days back into school days;
 * when such a day is past (on or before today, Europe/London) and no pupil has a mark on it,
 * every pupil on roll would have a gap there, so the import is refused naming the closure and
 * how to keep it, unless the same import brings marks for that day (the school was open).
 * The summary's `removed` counts the half terms and closures (runs of days with one reason)
 * the file drops, and its notes name them, so a dry run shows them before they go.
 * @throws ImportRefused / InputError naming file, line and column, from the call or from checkReopened.
 */
export async function importCalendarDeferred(
  conn: Connection,
  input: { file: string; text: string; table?: MappedTable; by: Actor },
): Promise<{ summary: ImportSummary; checkReopened: () => Promise<void> }> {
  const { file, text, by } = input;
  const table = input.table ?? mapColumns(readDelimited(text, file).records, CALENDAR_COLUMNS, file);
  const halfTerms: HalfTermRow[] = [];
  const closures: ClosureRow[] = [];

  const problems = new Problems();
  for (const row of table.rows) {
    // Every field of the row is checked on its own, so a row with several faults is told all
    // of them (RowChecks); a check across fields runs when the fields it needs were read.
    const checks = problems.row();
    const kindField = requiredField(table, row, "kind");
    const kind = checks.value(() => {
      const value = parseKind(kindField.value);
      if (!value) throw new InputError(file, kindField.line, kindField.column, `kind must be half_term or closure, not ${quote(kindField.value)}`);
      return value;
    });
    const nameField = requiredField(table, row, "name");
    // A half term's name is one of six; a closure's is its reason (unknown kind: not checked).
    const name = checks.value(() => {
      if (kind === "closure") return parseRequiredText(nameField, file, "closure reason", MAX_NAME_CHARS);
      if (kind !== "half_term") return undefined;
      const parsed = parseHalfTermName(nameField.value);
      if (!parsed) throw new InputError(file, nameField.line, nameField.column, `half term ${quote(nameField.value)} is not one of ${HALF_TERM_NAMES.join(", ")}`);
      return parsed;
    });
    const startField = requiredField(table, row, "start_date");
    const start = checks.value(() => parseDate(startField, file, "start date"));
    const endField = requiredField(table, row, "end_date");
    const end = checks.value(() => parseDate(endField, file, "end date"));
    const dates = start !== undefined && end !== undefined ? { start, end } : undefined;
    if (dates && dates.end < dates.start) {
      checks.add(new InputError(file, endField.line, endField.column, `end date ${dates.end} is before the start date ${dates.start}`));
    }
    const ordered = dates && dates.end >= dates.start ? dates : undefined;
    if (kind === "closure") {
      // A closure belongs to one academic year. Checked before its days are listed, so a
      // mistyped 1900–2199 closure is refused at once instead of expanded day by day.
      if (ordered && academicYearStart(ordered.end) !== academicYearStart(ordered.start)) {
        checks.add(
          new InputError(
            file,
            endField.line,
            endField.column,
            `closure "${(name ?? nameField.value).slice(0, 40)}" runs from ${ordered.start} to ${ordered.end}, across more than one academic year (1 August to 31 July): check the years`,
          ),
        );
      }
      const values = checks.complete({ reason: name, start, end });
      if (values) closures.push({ line: row.line, column: startField.column, ...values });
      continue;
    }
    if (kind !== "half_term") continue;
    // The term key takes the calendar year, so an autumn half term must start in the
    // autumn and a spring or summer one in the new year, or the keys would be wrong.
    if (name !== undefined && start !== undefined) {
      const month = Number(start.slice(5, 7));
      const autumn = name.startsWith("autumn");
      if (autumn ? month < 8 : month >= 8) {
        const expected = autumn ? "between August and December" : "between January and July";
        checks.add(new InputError(file, startField.line, startField.column, `${name} starts on ${start}: it must start ${expected}`));
      }
    }
    if (ordered && academicYearStart(ordered.end) !== academicYearStart(ordered.start)) {
      checks.add(new InputError(file, endField.line, endField.column, `${name ?? "the half term"} runs past 31 July into the next academic year (end date ${ordered.end})`));
    }
    const values = checks.complete({ name, start, end });
    if (values) halfTerms.push({ line: row.line, key: halfTermKey(values.name, values.start), ...values });
  }

  for (const error of crossChecks(file, table, halfTerms)) problems.add(error);
  // A file replaces whole academic years: a closure in a year the file gives no half terms
  // for would wipe that year's calendar (a mistyped year), so it is refused, naming the row.
  const yearsWithHalfTerms = new Set(halfTerms.map((h) => academicYearStart(h.start)));
  for (const c of closures) {
    const year = academicYearStart(c.start);
    if (!yearsWithHalfTerms.has(year)) {
      problems.add(
        new InputError(
          file,
          c.line,
          c.column,
          `closure "${c.reason.slice(0, 40)}" (${c.start} to ${c.end}) is in ${academicYearLabel(year)}, but this file gives no half terms for that year: check the year, or add that year's half terms`,
        ),
      );
    }
  }
  problems.refuse();
  // A dropped closure is placed at the file's last line (trial20c read "line 37" of a 36-line file).
  const lastLine = table.rows.length > 0 ? Math.max(...table.rows.map((r) => r.line)) : 1;
  return await apply(conn, input, table.rows.length, lastLine, halfTerms, closures, by);
}

/** Half terms given twice or overlapping: refused on the later line, naming the earlier one. */
function crossChecks(file: string, table: ReturnType<typeof mapColumns>, halfTerms: HalfTermRow[]): InputError[] {
  const errors: InputError[] = [];
  for (let i = 0; i < halfTerms.length; i++) {
    for (let j = 0; j < i; j++) {
      const [a, b] = [halfTerms[j], halfTerms[i]];
      if (a.key === b.key) {
        errors.push(new InputError(file, b.line, columnOf(table, "name"), `${b.name} ${academicYearLabel(academicYearStart(b.start))} is already given on line ${a.line}`));
      } else if (a.start <= b.end && b.start <= a.end) {
        errors.push(
          new InputError(file, b.line, columnOf(table, "start_date"), `${b.name} (${b.start} to ${b.end}) overlaps ${a.name} (${a.start} to ${a.end}) on line ${a.line}`),
        );
      }
    }
  }
  return errors;
}

async function apply(
  conn: Connection,
  input: { file: string; text: string },
  rowsRead: number,
  lastLine: number,
  halfTerms: HalfTermRow[],
  closureRows: ClosureRow[],
  by: Actor,
): Promise<{ summary: ImportSummary; checkReopened: () => Promise<void> }> {
  const years = new Set<number>();
  for (const r of [...halfTerms, ...closureRows]) {
    for (let y = academicYearStart(r.start); y <= academicYearStart(r.end); y++) years.add(y);
  }
  // A closure listed twice for a day (an INSET day that is also a strike day) keeps the first reason.
  const closureDays = new Map<string, string>();
  for (const c of closureRows) {
    for (let d = c.start; d <= c.end; d = addDays(d, 1)) if (!closureDays.has(d)) closureDays.set(d, c.reason);
  }

  const storedPeriods = new Map<string, { start: string; end: string }>();
  const storedClosures = new Map<string, string>();
  for (const year of years) {
    const range = { from: new DuckDBDateValue(isoToDays(`${year}-08-01`)), to: new DuckDBDateValue(isoToDays(`${year + 1}-07-31`)) };
    for (const p of await queryRows<{ half_term: string; start_date: string; end_date: string }>(
      conn,
      "SELECT half_term, start_date, end_date FROM calendar_periods WHERE start_date BETWEEN $from AND $to",
      range,
    )) {
      storedPeriods.set(p.half_term, { start: p.start_date, end: p.end_date });
    }
    for (const c of await queryRows<{ date: string; reason: string }>(conn, "SELECT date, reason FROM closures WHERE date BETWEEN $from AND $to", range)) {
      storedClosures.set(c.date, c.reason);
    }
  }

  let inserted = 0;
  let amended = 0;
  let unchanged = 0;
  for (const h of halfTerms) {
    const stored = storedPeriods.get(h.key);
    if (!stored) inserted++;
    else if (stored.start === h.start && stored.end === h.end) unchanged++;
    else amended++;
  }
  for (const c of closureRows) {
    let same = 0;
    let present = 0;
    let days = 0;
    for (let d = c.start; d <= c.end; d = addDays(d, 1)) {
      days++;
      const reason = storedClosures.get(d);
      if (reason !== undefined) present++;
      if (reason === closureDays.get(d)) same++;
    }
    if (same === days) unchanged++;
    else if (present > 0) amended++;
    else inserted++;
  }
  const halfTermKeys = new Set(halfTerms.map((h) => h.key));
  const removedHalfTerms = [...storedPeriods].filter(([key]) => !halfTermKeys.has(key));
  const removedClosures = closureRuns([...storedClosures].filter(([date]) => !closureDays.has(date)));
  const removed = removedHalfTerms.length + removedClosures.length;
  const removedNote =
    removed === 0
      ? []
      : [
          `${removed} stored ${removed === 1 ? "entry is" : "entries are"} not in this file and ${removed === 1 ? "goes" : "go"} (the file replaces its academic years): ` +
            [
              ...removedHalfTerms.map(([key, p]) => `half term ${key.replace(/-(\d{4})$/, " $1")} (${ukDate(p.start)} to ${ukDate(p.end)})`),
              ...removedClosures.map((run) => `closure "${run.reason}" (${runWords(run)})`),
            ].join("; "),
        ];
  const base = { kind: "calendar" as const, file: input.file, rowsRead, inserted, amended, unchanged, ...(removed > 0 ? { removed, notes: removedNote } : {}) };

  // Rows dropped from a re-issued calendar are a change too, though no row of the file says so.
  const samePeriods =
    storedPeriods.size === halfTerms.length &&
    halfTerms.every((h) => storedPeriods.get(h.key)?.start === h.start && storedPeriods.get(h.key)?.end === h.end);
  const sameClosures = storedClosures.size === closureDays.size && [...closureDays].every(([d, r]) => storedClosures.get(d) === r);
  if (samePeriods && sameClosures) return { summary: { ...base, importId: null }, checkReopened: async () => {} };

  const importId = await nextImportId(conn);
  for (const year of years) {
    const range = { from: new DuckDBDateValue(isoToDays(`${year}-08-01`)), to: new DuckDBDateValue(isoToDays(`${year + 1}-07-31`)) };
    await conn.run("DELETE FROM calendar_periods WHERE start_date BETWEEN $from AND $to", range);
    await conn.run("DELETE FROM closures WHERE date BETWEEN $from AND $to", range);
  }
  for (const h of halfTerms) {
    await conn.run("INSERT INTO calendar_periods (half_term, start_date, end_date) VALUES ($key, $start, $end)", {
      key: h.key,
      start: new DuckDBDateValue(isoToDays(h.start)),
      end: new DuckDBDateValue(isoToDays(h.end)),
    });
  }
  for (const [date, reason] of closureDays) {
    await conn.run("INSERT INTO closures (date, reason) VALUES ($date, $reason)", { date: new DuckDBDateValue(isoToDays(date)), reason });
  }
  await rebuildSchoolDays(conn);
  // The marks already stored in the replaced years must all still fall on school days.
  const closureRowOf = (iso: string) => {
    const row = closureRows.find((c) => c.start <= iso && iso <= c.end);
    return row ? { line: row.line, column: row.column } : { line: 1, column: 1 };
  };
  const off = await storedMarksOffCalendar(conn, input.file, [...years], closureRowOf);
  if (off.total > 0) throw new ImportRefused(off.errors, off.total);
  await recordImport(conn, importId, base, input.text, by);
  const checkReopened = () => refuseUnmarkedReopenedDays(conn, input.file, lastLine, removedClosures);
  return { summary: { ...base, importId }, checkReopened };
}

/** Consecutive closure days with one reason, as stored: "INSET day" 1–2 Sep 2026 is one run. */
interface ClosureRun {
  reason: string;
  start: string;
  end: string;
}

/** Closure days (ISO date, reason) as runs of consecutive days with the same reason, in date order. */
function closureRuns(days: Array<[string, string]>): ClosureRun[] {
  const runs: ClosureRun[] = [];
  for (const [date, reason] of [...days].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const last = runs[runs.length - 1];
    if (last && last.reason === reason && addDays(last.end, 1) === date) last.end = date;
    else runs.push({ reason, start: date, end: date });
  }
  return runs;
}

function runWords(run: ClosureRun): string {
  return run.start === run.end ? ukDate(run.start) : `${ukDate(run.start)} to ${ukDate(run.end)}`;
}

/**
 * Refuses the import when a dropped closure's day is now a school day, on or before today,
 * with no mark for any pupil: every pupil on roll would show a gap there (Register checks),
 * though the school was closed. Run after the import's marks, so marks for the day (the
 * school was open after all) let it through.
 * @throws ImportRefused at the file's last line (the closure's row would go after it), one error per closure.
 */
async function refuseUnmarkedReopenedDays(conn: Connection, file: string, lastLine: number, removed: ClosureRun[]): Promise<void> {
  if (removed.length === 0) return;
  const today = currentDate();
  const days = removed.flatMap((run) => {
    const list: string[] = [];
    for (let d = run.start; d <= run.end && d <= today; d = addDays(d, 1)) list.push(d);
    return list;
  });
  if (days.length === 0) return;
  const unmarked = new Set(
    (
      await queryRows<{ date: string }>(
        conn,
        `SELECT s.date FROM school_days s
         WHERE s.date IN (SELECT unnest($days::VARCHAR[])::DATE)
           AND NOT EXISTS (SELECT 1 FROM marks m WHERE m.date = s.date)`,
        { days: listValue(days) },
      )
    ).map((r) => r.date),
  );
  const errors = removed
    .filter((run) => days.some((d) => unmarked.has(d) && run.start <= d && d <= run.end))
    .map(
      (run) =>
        new InputError(
          file,
          lastLine,
          1,
          `the stored closure "${run.reason}" (${runWords(run)}) is not in this file (its row would go after this, the last line), and removing it would make its past days school days on which no pupil has a mark: ` +
            `every pupil on roll would show a gap there. Add it back as closure,${run.reason.includes(",") ? `"${run.reason}"` : run.reason},${run.start},${run.end}, or, if the school was open, import that day's marks with this calendar`,
        ),
    );
  if (errors.length > 0) throw new ImportRefused(errors, errors.length);
}

/**
 * school_days from calendar_periods and closures: every Monday to Friday inside a half
 * term that is not a closure. calendar_periods.half_term holds the key (autumn-1-2025), so
 * the term key is its season and year.
 */
export async function rebuildSchoolDays(conn: Connection): Promise<void> {
  await conn.run("DELETE FROM school_days");
  await conn.run(
    `INSERT INTO school_days (date, academic_year, term, half_term)
     SELECT date,
            ay::VARCHAR || '/' || lpad(((ay + 1) % 100)::VARCHAR, 2, '0') AS academic_year,
            split_part(half_term, '-', 1) || '-' || split_part(half_term, '-', 3) AS term,
            half_term
     FROM (
       SELECT date, half_term, CASE WHEN month(date) >= 8 THEN year(date) ELSE year(date) - 1 END AS ay
       FROM (SELECT unnest(generate_series(start_date::TIMESTAMP, end_date::TIMESTAMP, INTERVAL 1 DAY))::DATE AS date, half_term
             FROM calendar_periods)
     )
     WHERE isodow(date) <= 5 AND date NOT IN (SELECT date FROM closures)
     ORDER BY date`,
  );
}
