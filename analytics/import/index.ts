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

/** Thrown inside the transaction to roll a dry run back; carries what it would have done. */
class DryRunDone extends Error {
  constructor(readonly summaries: ImportSummary[]) {
    super("dry run");
  }
}

export interface ImportOptions {
  by: Actor;
  asOf?: string;
  reason?: string;
  /**
   * Preview: run every check and the whole merge inside the transaction, report what it
   * would do (counts, new and changed pupils, amended marks with codes before and after),
   * then roll back. The store is unchanged; the same files imported for real do exactly that.
   */
  dryRun?: boolean;
  /** Called as each stage starts (reading a file, checking and writing it), for progress. */
  onProgress?: (message: string) => void;
}

export async function importFiles(
  dbPath: string,
  files: { calendar?: string; pupils?: string; marks?: string },
  options: ImportOptions,
): Promise<ImportSummary[]> {
  const progress = options.onProgress ?? (() => {});
  // Read everything before the transaction starts: a missing file should not hold a write lock.
  const read = async (file: string | undefined) => {
    if (file === undefined) return undefined;
    const { size } = await fs.stat(file);
    progress(`reading ${path.basename(file)} (${(size / 1024 / 1024).toFixed(1)} MB)`);
    return { file: path.basename(file), text: await fs.readFile(file, "utf8") };
  };
  const calendar = await read(files.calendar);
  const pupils = await read(files.pupils);
  const marks = await read(files.marks);

  return withConnection(dbPath, async (conn) => {
    try {
      return await inTransaction(conn, async () => {
        const summaries: ImportSummary[] = [];
        if (calendar) {
          progress(`checking ${calendar.file}`);
          summaries.push(await importCalendar(conn, { ...calendar, by: options.by }));
        }
        if (pupils) {
          progress(`checking ${pupils.file}`);
          summaries.push(await importPupils(conn, { ...pupils, by: options.by, asOf: options.asOf }));
        }
        if (marks) {
          progress(`checking ${marks.file}`);
          summaries.push(await importMarks(conn, { ...marks, by: options.by, reason: options.reason }));
        }
        if (options.dryRun) throw new DryRunDone(summaries);
        progress("committing");
        return summaries;
      });
    } catch (error) {
      if (error instanceof DryRunDone) return error.summaries.map((s) => ({ ...s, importId: null }));
      throw error;
    }
  });
}
