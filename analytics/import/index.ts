/**
 * The import entry point for the CLI and the web import page.
 *
 * One call is one transaction: calendar first (so school days exist), then pupils (so marks
 * can be checked against the roll), then marks. If any file is refused, nothing from any of
 * them is kept, so a school never ends up with new pupils but none of their marks.
 */
import path from "node:path";
import { mapColumns } from "../csv.ts";
import { inTransaction, withConnection } from "../db.ts";
import { CALENDAR_COLUMNS, importCalendar } from "./calendar.ts";
import { importMarks } from "./marks.ts";
import { PUPIL_COLUMNS, importPupils } from "./pupils.ts";
import { marksFromRecords, readTableFile, type MarksLayout } from "./readers/index.ts";
import type { Actor, ImportSummary } from "./values.ts";

export type { Actor, ImportSummary } from "./values.ts";
export { importCalendar, rebuildSchoolDays, halfTermKey, termKey } from "./calendar.ts";
export { importMarks } from "./marks.ts";
export { importPupils } from "./pupils.ts";
export { MARKS_LAYOUTS, type MarksLayout } from "./readers/index.ts";

/**
 * Imports any of the three files in one transaction.
 * Each file may be CSV (comma, semicolon or tab separated; UTF-8, UTF-16 or Windows-1252)
 * or an .xlsx workbook (`sheet` names the worksheet, else the first); the marks may be in
 * any layout of analytics/import/readers/layout.ts (`layout` forces one, else detected).
 * @throws InputError (file:line:column) for the first refusal; nothing is then changed.
 */
export async function importFiles(
  dbPath: string,
  files: { calendar?: string; pupils?: string; marks?: string },
  options: { by: Actor; asOf?: string; reason?: string; layout?: MarksLayout; sheet?: string },
): Promise<ImportSummary[]> {
  // Read and parse everything before the transaction starts: a file that cannot be read
  // should not hold a write lock, and a refusal here has changed nothing.
  const read = async (file: string | undefined) =>
    file === undefined ? undefined : readTableFile(file, path.basename(file), { sheet: options.sheet });
  const calendarSource = await read(files.calendar);
  const pupilsSource = await read(files.pupils);
  const marksSource = await read(files.marks);
  const calendar = calendarSource && { file: calendarSource.file, text: calendarSource.text, table: mapColumns(calendarSource.records, CALENDAR_COLUMNS, calendarSource.file) };
  const pupils = pupilsSource && { file: pupilsSource.file, text: pupilsSource.text, table: mapColumns(pupilsSource.records, PUPIL_COLUMNS, pupilsSource.file) };
  const marks = marksSource && { file: marksSource.file, text: marksSource.text, table: marksFromRecords(marksSource.records, marksSource.file, options.layout) };

  return withConnection(dbPath, (conn) =>
    inTransaction(conn, async () => {
      const summaries: ImportSummary[] = [];
      if (calendar) summaries.push(await importCalendar(conn, { ...calendar, by: options.by }));
      if (pupils) summaries.push(await importPupils(conn, { ...pupils, by: options.by, asOf: options.asOf }));
      if (marks) summaries.push(await importMarks(conn, { ...marks, by: options.by, reason: options.reason }));
      return summaries;
    }),
  );
}
