/**
 * The import entry point for the CLI and the web import page.
 *
 * One call is one transaction: calendar first (so school days exist), then pupils (so marks
 * can be checked against the roll), then marks. If any file is refused, nothing from any of
 * them is kept, so a school never ends up with new pupils but none of their marks.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { claimSchool } from "../school-urn.ts";
import { InputError, mapColumns, type MappedTable } from "../csv.ts";
import { inTransaction, withConnection, withOneThread, type Connection } from "../db.ts";
import { CALENDAR_COLUMNS, importCalendarDeferred } from "./calendar.ts";
import { importMarks } from "./marks.ts";
import { importMarksSql, type SqlImportOutcome } from "./marks-sql.ts";
import { scanPlainMarksCsv, type PlainMarksCsv } from "./readers/plain-csv.ts";
import { PUPIL_COLUMNS, importPupils } from "./pupils.ts";
import { fitCtfToRoll, replaceCharacteristicHistory, type CtfMarks } from "./ctf-history.ts";
import { isLostLetterNote, windows1252Note } from "./name-letters.ts";
import { checkCtfDestination } from "./ctf-destination.ts";
import { looksLikeXlsx } from "./readers/xlsx.ts";
import { openMarksFile, readSourceFile, type CtfSource, type MarksLayout, type MarksSource, type TableSource } from "./readers/index.ts";
import { importChangedNothing, type Actor, type ImportSummary } from "./values.ts";
import { ImportRefused } from "./problems.ts";
import { givenFileProblem } from "./given-file.ts";
import { importReach, importReachPreviewWords, reachingImports } from "./amended-periods.ts";
import { currentDate } from "../periods.ts";

export type { Actor, ImportSummary } from "./values.ts";
export { appliesFromSentence, importChangedNothing, nothingChangedMessage, nothingWouldChangeMessage } from "./values.ts";
export { importCalendar, rebuildSchoolDays, halfTermKey, termKey } from "./calendar.ts";
export { importMarks } from "./marks.ts";
export { importPupils } from "./pupils.ts";
export { MARKS_LAYOUTS, type MarksLayout } from "./readers/index.ts";

/**
 * The most bytes an import's files may hold (together) for it to run on one DuckDB thread
 * (db.ts withOneThread: a second thread on a statement of a row group or so brings only DuckDB's
 * spin). 16 MiB is some half a million long-layout marks (the demo school's year, 90,104 marks,
 * is 2.8 MB): a large school's year (4,500 pupils, 1.7 million marks, 53 MB) keeps every thread
 * for its read and sorts, which split across them.
 */
const ONE_THREAD_BYTES = 16 * 1024 * 1024;

/**
 * Thrown inside the transaction to roll it back and return its summaries: a dry run (what it
 * would have done), or an import that changed nothing (the same files again), which must not
 * commit — a commit moves the data generation on, empties the result cache and restarts the
 * web server's warm-up (analytics/db.ts onDataChanged) for no change at all.
 */
class RolledBack extends Error {
  constructor(readonly summaries: ImportSummary[]) {
    super("rolled back");
  }
}

export interface ImportOptions {
  by: Actor;
  asOf?: string;
  reason?: string;
  /** Forces the marks layout (analytics/import/readers/layout.ts); else it is detected. */
  layout?: MarksLayout;
  /** The worksheet of an .xlsx file; else the first. */
  sheet?: string;
  /**
   * Preview: run every check and the whole merge inside the transaction, report what it
   * would do (counts, new and changed pupils, amended marks with codes before and after),
   * then roll back. The store is unchanged; the same files imported for real do exactly that.
   */
  dryRun?: boolean;
  /** Called as each stage starts (reading a file, checking and writing it), for progress. */
  onProgress?: (message: string) => void;
  /**
   * Told which path read a long marks file: "sql" when DuckDB read and checked it
   * (marks-sql.ts), "rows" when Rollcall's reader did, with why (readers/plain-csv.ts, or the
   * SQL checks finding a fault, which the reader then names). For the bench and tests.
   */
  onMarksPath?: (path: "sql" | "rows", why?: string) => void;
  /**
   * The URN of the school the files are for (`rollcall import --school`): checked against the
   * database's recorded school, or recorded with the import when none is (analytics/school-urn.ts).
   */
  school?: string;
}

/**
 * Imports any of the three files in one transaction.
 * Each file may be CSV (comma, semicolon or tab separated; UTF-8, UTF-16 or Windows-1252)
 * or an .xlsx workbook (`sheet` names the worksheet, else the first); the marks may be in
 * any layout of analytics/import/readers/layout.ts (`layout` forces one, else detected).
 * A Common Transfer File (CTF XML) given as the pupils or the marks file brings both: its
 * pupils (with their characteristic history) and their marks, in the same transaction.
 * @throws InputError (file:line:column, up to 50 problems) for a refusal; nothing is then changed.
 */
export async function importFiles(
  dbPath: string,
  files: { calendar?: string; pupils?: string; marks?: string },
  options: ImportOptions,
): Promise<ImportSummary[]> {
  await refuseMissingFiles(files);
  // Each workbook's sheet read, by file name, for its errors.
  const sheets = new Map<string, string>();
  try {
    return await importFilesAsRead(dbPath, files, options, sheets);
  } catch (error) {
    // A workbook's errors name the sheet, the row and the column's letter, as the spreadsheet shows them.
    if (error instanceof ImportRefused) {
      for (const file of new Set(error.errors.map((e) => e.file))) if (await isWorkbook(files, file)) error.asWorkbook(sheets.get(file), file);
    } else if (error instanceof InputError && (await isWorkbook(files, error.file))) error.asWorkbook(sheets.get(error.file));
    throw error;
  }
}

/** Whether the file of `name` (a basename, as errors give it) among `files` is an .xlsx workbook (its first bytes). */
async function isWorkbook(files: { calendar?: string; pupils?: string; marks?: string }, name: string): Promise<boolean> {
  const file = Object.values(files).find((f) => f !== undefined && path.basename(f) === name);
  if (!file) return false;
  const handle = await fs.open(file, "r");
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    return looksLikeXlsx(head);
  } finally {
    await handle.close();
  }
}

/** `sheets`: filled with each workbook's sheet read, by file name (as errors give it). */
async function importFilesAsRead(dbPath: string, files: { calendar?: string; pupils?: string; marks?: string }, options: ImportOptions, sheets: Map<string, string>): Promise<ImportSummary[]> {
  const progress = options.onProgress ?? (() => {});
  // Read and parse everything before the transaction starts: a file that cannot be read
  // should not hold a write lock, and a refusal here has changed nothing.
  const read = async (file: string | undefined) => {
    if (file === undefined) return undefined;
    const { size } = await fs.stat(file);
    progress(`reading ${path.basename(file)} (${(size / 1024 / 1024).toFixed(1)} MB)`);
    const source = await readSourceFile(file, path.basename(file), { sheet: options.sheet });
    if (source.format === "xlsx" && source.sheet !== undefined) sheets.set(source.file, source.sheet);
    return source;
  };
  const calendarSource = await read(files.calendar);
  const pupilsSource = await read(files.pupils);
  // The marks may be millions of rows: a long delimited file is opened here (decoding
  // checked, header mapped) and its rows are read as a stream inside the transaction.
  let marksSource: MarksSource | undefined;
  // A plain long CSV (readers/plain-csv.ts) is read by DuckDB itself inside the transaction;
  // anything else is opened here for the reader's path.
  let marksCsv: PlainMarksCsv | undefined;
  // A marks file refused as it is opened (its header, its layout, its bytes) is refused with the
  // other files' headers' faults (importOpened), not before them: a pupils file missing a column
  // was told only on the try after the marks file's header was fixed.
  let marksOpenRefusal: InputError | undefined;
  if (files.marks !== undefined) {
    const { size } = await fs.stat(files.marks);
    progress(`reading ${path.basename(files.marks)} (${(size / 1024 / 1024).toFixed(1)} MB)`);
    try {
      const scan = files.marks === files.pupils ? { why: "the pupils file" } : await scanPlainMarksCsv(files.marks, path.basename(files.marks), options.layout);
      marksCsv = scan.plain;
      if (!marksCsv) {
        options.onMarksPath?.("rows", scan.why);
        marksSource = await openMarksFile(files.marks, path.basename(files.marks), { sheet: options.sheet, layout: options.layout });
        if (marksSource.format === "table" && marksSource.sheet !== undefined) sheets.set(marksSource.file, marksSource.sheet);
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      // Its sheet, for its errors' places once told together (importFiles: asWorkbook).
      if (error.sheet !== undefined) sheets.set(error.file, error.sheet);
      marksOpenRefusal = error;
    }
  }
  // The files' bytes on disk (each file once), for the choice of DuckDB threads (ONE_THREAD_BYTES).
  let bytes = 0;
  for (const file of new Set(Object.values(files))) if (file !== undefined) bytes += (await fs.stat(file)).size;
  try {
    return await importOpened(dbPath, { calendarSource, pupilsSource, marksSource, marksCsv, marksOpenRefusal, sameFile: files.pupils === files.marks, oneThread: bytes <= ONE_THREAD_BYTES }, options);
  } finally {
    if (marksSource?.format === "stream") await marksSource.close();
  }
}

async function importOpened(
  dbPath: string,
  sources: {
    calendarSource?: TableSource | CtfSource;
    pupilsSource?: TableSource | CtfSource;
    marksSource?: MarksSource;
    marksCsv?: PlainMarksCsv;
    /** The marks file's refusal as it was opened (importFilesAsRead), told with the others' headers' faults. */
    marksOpenRefusal?: InputError;
    sameFile: boolean;
    oneThread: boolean;
  },
  options: ImportOptions,
): Promise<ImportSummary[]> {
  const progress = options.onProgress ?? (() => {});
  const { calendarSource, pupilsSource, marksSource } = sources;

  if (calendarSource?.format === "ctf") throw new InputError(calendarSource.file, 1, 1, "a Common Transfer File holds pupils and marks, not a school calendar");
  const ctfs = [pupilsSource, marksSource].filter((s): s is CtfSource => s?.format === "ctf");
  if (ctfs.length === 2 && sources.sameFile) ctfs.pop();
  if (options.layout && options.layout !== "ctf" && marksSource?.format === "ctf") {
    throw new InputError(marksSource.file, 1, 1, `--layout ${options.layout} was given but the file is a Common Transfer File (CTF XML)`);
  }
  // Every file's header faults together (with the marks file's refusal as it was opened), in
  // the files' order: one header refused at a time was a try each.
  const headerFaults: InputError[] = [];
  const mapped = (source: TableSource, specs: typeof CALENDAR_COLUMNS): MappedTable | undefined => {
    try {
      return mapColumns(source.records, specs, source.file);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      headerFaults.push(error);
      return undefined;
    }
  };
  const calendarTable = calendarSource && mapped(calendarSource, CALENDAR_COLUMNS);
  const pupilsTable = pupilsSource && pupilsSource.format !== "ctf" ? mapped(pupilsSource, PUPIL_COLUMNS) : undefined;
  if (sources.marksOpenRefusal) headerFaults.push(sources.marksOpenRefusal);
  if (headerFaults.length === 1) throw headerFaults[0];
  if (headerFaults.length > 1) throw ImportRefused.together(headerFaults);
  const calendar = calendarSource && calendarTable && { file: calendarSource.file, text: calendarSource.text, table: calendarTable };
  const pupils = pupilsSource && pupilsTable ? { file: pupilsSource.file, text: pupilsSource.text, table: pupilsTable } : undefined;
  const marks =
    marksSource?.format === "table"
      ? { file: marksSource.file, text: marksSource.text, table: marksSource.table }
      : marksSource?.format === "stream"
        ? { file: marksSource.file, stream: marksSource }
        : undefined;

  return withConnection(dbPath, async (conn) => {
    const threads = sources.oneThread ? <T>(work: () => Promise<T>) => withOneThread(conn, work) : <T>(work: () => Promise<T>) => work();
    try {
      return await threads(() => inTransaction(conn, async () => {
        const summaries: ImportSummary[] = [];
        // Before any file is read into the store: a file for another school changes nothing.
        const claim = options.school === undefined ? null : await claimSchool(conn, options.school);
        // Each file is checked though an earlier one was refused, and every file's faults are
        // refused together at the end (ImportRefused.together), so a school fixes them in one
        // pass; a refusal has written nothing, and the transaction is rolled back.
        const refused: InputError[] = [];
        const notes: string[] = [];
        const checked = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
          try {
            return await work();
          } catch (error) {
            if (!(error instanceof InputError)) throw error;
            refused.push(error);
            return undefined;
          }
        };
        // A closure the calendar drops is checked once the marks are in (they may show the school open).
        let checkReopened = async () => {};
        if (calendar) {
          progress(`checking ${calendar.file}`);
          const imported = await checked(() => importCalendarDeferred(conn, { ...calendar, by: options.by }));
          if (imported) {
            summaries.push(imported.summary);
            checkReopened = imported.checkReopened;
          } else if (pupils || marks || sources.marksCsv || ctfs.length > 0) {
            // A calendar can be refused after its days were replaced (marks stored off them): the
            // other files, checked against school days, wait for it, and the refusal says so.
            throw ImportRefused.together(refused, [`The other files were not checked: they are checked against the school calendar, and ${calendar.file} was refused.`]);
          }
        }
        // The UPNs of a refused pupils file (or a CTF's refused pupils): their marks are not called marks of unknown pupils.
        let pending: Set<string> | undefined;
        /** Whose pupils were refused, for the notes: a pupils file's name, a CTF's "the pupils of ctf.xml". */
        const pendingFrom: string[] = [];
        if (pupils) {
          progress(`checking ${pupils.file}`);
          const imported = await checked(() => importPupils(conn, { ...pupils, by: options.by, asOf: options.asOf }));
          if (imported) summaries.push(imported);
          else {
            pending = new Set(pupilsFileUpns(pupils.table));
            pendingFrom.push(pupils.file);
          }
        }
        // A CTF's pupils before any marks, so the marks are checked against the roll it gives.
        const ctfMarks: { source: CtfSource; marks: CtfMarks }[] = [];
        for (const source of ctfs) {
          progress(`checking the pupils of ${source.file}`);
          // A file addressed to another school is refused before any of it is written.
          // A file addressed to another school is refused with the other files' faults (review
          // 53: a pupils file's were lost), and nothing more of it is checked.
          const destination = await checked(async () => ({ unchecked: await checkCtfDestination(conn, source.file, source.ctf) }));
          if (!destination) continue;
          const { unchecked } = destination;
          // A pupil already on the roll keeps the stored admission, class and past (ctf-history.ts);
          // one a refused file of this import gives (pending) is not told unadmitted here.
          const fitted = await fitCtfToRoll(conn, source.ctf, pending);
          ctfMarks.push({ source, marks: fitted.marks });
          // Refused pupils are checked for every fault (checked), and the file's marks after
          // them against the roll with its pupils pending: one try tells the pupils' faults and
          // the marks' (a CTF's marks had been checked only once its pupils were right).
          const refusedBefore = refused.length;
          if (fitted.refused) refused.push(fitted.refused);
          // Its details apply from the file's date (CTF 21 specification 2.6: the message header's DateTime).
          const pupilsSummary = await checked(() =>
            importPupils(conn, {
              file: source.file,
              text: source.text,
              table: fitted.table,
              by: options.by,
              asOf: source.ctf.fileDate,
              asOfSource: "the file's date, its Header DateTime",
            }),
          );
          // Right when nothing of it was refused: its pupils, then its history (written only then).
          const right = pupilsSummary !== undefined && refused.length === refusedBefore && (await checked(() => replaceCharacteristicHistory(conn, source.file, fitted.spells))) !== undefined;
          if (right) {
            const placed = fitted.notAssigned > 0 ? withNote(pupilsSummary, notAssignedWords(fitted.notAssigned)) : pupilsSummary;
            summaries.push(unchecked ? withNote(placed, unchecked) : placed);
            continue;
          }
          pending ??= new Set();
          for (const upn of source.ctf.admissions.keys()) pending.add(upn);
          pendingFrom.push(`the pupils of ${source.file}`);
          if (source.ctf.marks.rows.length > 0) {
            notes.push(`The marks of ${source.file} were checked as well, though its pupils were refused: the marks of a pupil it adds are checked against the roll once its pupils are imported.`);
          }
        }
        // After a refusal the marks are checked only (checkOnly), against the roll as stored
        // and the UPNs the refused pupils file gives (pending), and the refusal says so.
        const marksChecks = { checkOnly: refused.length > 0, pending };
        const marksFile = marks?.file ?? sources.marksCsv?.file;
        if (marksFile && pending) {
          // One pupils file "was refused"; a CTF's pupils, or several files, "were".
          const one = pendingFrom.length === 1 && pupils !== undefined && pendingFrom[0] === pupils.file;
          notes.push(
            `${marksFile} was checked against the pupils already on the roll, as ${pendingFrom.join(" and ")} ${one ? "was" : "were"} refused: a mark of a pupil ${one ? "that file adds or changes is checked once it is" : "they add or change is checked once they are"} imported.`,
          );
        }
        if (marks) {
          progress(`checking ${marks.file}`);
          const imported = await checked(() => importMarks(conn, { ...marks, by: options.by, reason: options.reason, ...marksChecks }));
          if (imported) summaries.push(imported);
        }
        if (sources.marksCsv) {
          const csv = sources.marksCsv;
          progress(`checking ${csv.file}`);
          const imported = await checked(() => importPlainMarks(conn, csv, options, marksChecks));
          if (imported) summaries.push(imported);
        }
        // After a refusal a CTF's marks are checked too (a refused file's marks, or a right
        // file's beside another refused one), after the other files', as when none is refused.
        if (refused.length > 0) {
          for (const { source, marks: here } of ctfMarks) {
            progress(`checking the marks of ${source.file}`);
            await checked(() => importMarks(conn, { file: source.file, text: source.text, table: here.table, by: options.by, reason: options.reason, checkOnly: true, pending }));
          }
        }
        if (refused.length === 1 && notes.length === 0) throw refused[0];
        if (refused.length > 0) throw ImportRefused.together(refused, notes);
        for (const { source, marks: here } of ctfMarks) {
          progress(`checking the marks of ${source.file}`);
          refuseUnusableCtf(source, here, summaries);
          summaries.push(await importMarks(conn, { file: source.file, text: source.text, table: here.table, by: options.by, reason: options.reason }));
        }
        await checkReopened();
        // A workbook read from another sheet than the one named says so in its file's summary.
        for (const source of [calendarSource, pupilsSource, marksSource]) {
          const note = source && "sheetNote" in source ? source.sheetNote : undefined;
          if (!note) continue;
          const at = summaries.findIndex((s) => s.file === source!.file);
          if (at >= 0) summaries[at] = withNote(summaries[at], note);
        }
        // A pupils file read as Windows-1252 shows its names' letters as read (name-letters.ts),
        // but beside a name with a lost letter, whose note gives the same advice (lostLetterNote).
        const pupilsAt = pupils && pupilsSource && "encoding" in pupilsSource && pupilsSource.encoding === "windows-1252" ? summaries.findIndex((s) => s.file === pupils.file) : -1;
        if (pupils && pupilsAt >= 0 && !summaries[pupilsAt].notes?.some(isLostLetterNote)) {
          const note = windows1252Note(pupilsNames(pupils.table));
          if (note) summaries[pupilsAt] = withNote(summaries[pupilsAt], note);
        }
        if (claim === "recorded" && summaries[0]) {
          summaries[0] = withNote(summaries[0], `this database now holds the school with URN ${options.school}`);
        }
        // A preview says which packs its new and amended marks would reach, read from its own marks
        // before they are rolled back (amended-periods.ts; judged today, as after an import).
        if (options.dryRun) await notePreviewReach(conn, summaries);
        if (options.dryRun || (claim !== "recorded" && importChangedNothing(summaries))) throw new RolledBack(summaries);
        progress("committing");
        return summaries;
      }));
    } catch (error) {
      if (error instanceof RolledBack) return error.summaries.map((s) => ({ ...s, importId: null }));
      throw error;
    }
  });
}

/**
 * Adds to each marks file's summary of a preview that adds or amends marks the packs its marks
 * would reach (importReachPreviewWords), read inside the preview's transaction, where its
 * import's marks and amendments rows still are.
 */
async function notePreviewReach(conn: Connection, summaries: ImportSummary[]): Promise<void> {
  for (const [i, s] of summaries.entries()) {
    const reaching = reachingImports([s]);
    if (reaching.length === 0) continue;
    const words = importReachPreviewWords(await importReach(conn, reaching, currentDate()));
    if (words) summaries[i] = withNote(s, words);
  }
}

/**
 * What a CTF's pupils new to the roll are placed in, and what it does to the governors' figures
 * until a pupils file names their class: a class of 1 … min − 1 pupils is withheld from
 * governors, and so is any class that would give it away (trial 51b: two transfers in "Not
 * assigned" took Classes 4B and 5A, 56 pupils, out of the governors' pack without a word).
 */
function notAssignedWords(n: number): string {
  return `${n === 1 ? "1 new pupil is" : `${n} new pupils are`} placed in "Not assigned" (a CTF gives no class): import a pupils file naming ${n === 1 ? "their class" : "their classes"}. Until then class figures leave them out, and in governors' figures a group smaller than the small-group minimum is withheld, with any class that would let it be worked out.`;
}

/** A file's summary with one more sentence for its notes. */
function withNote(summary: ImportSummary, note: string): ImportSummary {
  return { ...summary, notes: [...(summary.notes ?? []), note] };
}

/**
 * Names every file given that is not there (or is a folder) before any is read, in words
 * (given-file.ts givenFileProblem, as `rollcall benchmarks import` says it).
 * @throws Error listing them, one per line; nothing is read or changed.
 */
async function refuseMissingFiles(files: { calendar?: string; pupils?: string; marks?: string }): Promise<void> {
  const problems: string[] = [];
  for (const [kind, file] of Object.entries(files)) {
    const problem = file === undefined ? null : await givenFileProblem(`${kind} file`, file);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) throw new Error(`${problems.join("\n")}\nNothing was imported.`);
}

/**
 * Refuses an import whose CTF gives this school nothing: every mark it holds is skipped
 * (another school's, or outside the pupils' time on roll here), none of its pupils is new or
 * changed, and no other file of the import (`summaries` so far) changes anything. Importing
 * it would only look like an import of attendance; the refusal says what the file holds. With
 * a file that does change something (a pupils file giving the admission), the skipped marks
 * are reported in the CTF's summary instead.
 * @throws InputError at the file's first line.
 */
function refuseUnusableCtf(source: CtfSource, here: CtfMarks, summaries: readonly ImportSummary[]): void {
  if (here.table.rows.length > 0 || here.table.errors.length > 0 || here.skipped === 0 || summaries.some((s) => s.inserted + s.amended > 0)) return;
  throw new InputError(
    source.file,
    1,
    1,
    `nothing in this Common Transfer File is for this school's register: ${here.table.notes.join("; ")}; and its pupils are already on the roll as it gives them. Nothing was imported`,
  );
}

/**
 * A plain long marks CSV: read and checked by DuckDB (marks-sql.ts); when that finds any fault,
 * read again by Rollcall's reader (streamed, as any long file) in the same transaction, which
 * refuses it with every fault named by file, line and column, exactly as it always has.
 */
async function importPlainMarks(conn: Connection, csv: PlainMarksCsv, options: ImportOptions, checks: MarksChecks): Promise<ImportSummary> {
  // Checked only (another file was refused): the reader's path, which checks before it writes.
  const outcome: SqlImportOutcome = checks.checkOnly ? { why: "another file of the import was refused" } : await importMarksSql(conn, csv, { by: options.by, reason: options.reason });
  if (outcome.summary) {
    options.onMarksPath?.("sql");
    return outcome.summary;
  }
  options.onMarksPath?.("rows", outcome.why);
  const source = await openMarksFile(csv.path, csv.file, { layout: options.layout });
  try {
    if (source.format !== "stream") throw new Error(`internal: a plain long CSV opened as ${source.format}`);
    return await importMarks(conn, { file: source.file, stream: source, by: options.by, reason: options.reason, ...checks });
  } finally {
    if (source.format === "stream") await source.close();
  }
}

/** How a marks file is checked when another file of the import was refused (importMarks' options of that name). */
type MarksChecks = { checkOnly: boolean; pending: ReadonlySet<string> | undefined };

/** The UPNs a pupils file gives (its UPN column as written, trimmed and upper-cased), read or not. */
/** A pupils file's forenames and surnames, as read (windows1252Note). */
function pupilsNames(table: MappedTable): string[] {
  const at = ["forename", "surname"].flatMap((name) => table.index.get(name) ?? []);
  return table.rows.flatMap((row) => at.map((i) => row.fields[i]?.value ?? ""));
}

function pupilsFileUpns(table: MappedTable): ReadonlySet<string> {
  const at = table.index.get("upn");
  return new Set(at === undefined ? [] : table.rows.map((row) => row.fields[at]?.value.trim().toUpperCase() ?? "").filter(Boolean));
}
