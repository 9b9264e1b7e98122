/**
 * The import entry point for the CLI and the web import page.
 *
 * One call is one transaction: calendar first (so school days exist), then pupils (so marks
 * can be checked against the roll), then marks. If any file is refused, nothing from any of
 * them is kept, so a school never ends up with new pupils but none of their marks.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { inTransaction, withConnection } from "../db.ts";
import { importCalendar } from "./calendar.ts";
import { importMarks } from "./marks.ts";
import { importPupils } from "./pupils.ts";
import type { Actor, ImportSummary } from "./values.ts";

export type { Actor, ImportSummary } from "./values.ts";
export { importCalendar, rebuildSchoolDays, halfTermKey, termKey } from "./calendar.ts";
export { importMarks } from "./marks.ts";
export { importPupils } from "./pupils.ts";

export async function importFiles(
  dbPath: string,
  files: { calendar?: string; pupils?: string; marks?: string },
  options: { by: Actor; asOf?: string; reason?: string },
): Promise<ImportSummary[]> {
  // Read everything before the transaction starts: a missing file should not hold a write lock.
  const read = async (file: string | undefined) => (file === undefined ? undefined : { file: path.basename(file), text: await fs.readFile(file, "utf8") });
  const calendar = await read(files.calendar);
  const pupils = await read(files.pupils);
  const marks = await read(files.marks);

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
