/**
 * Web uploads go through the same importer as the CLI: the uploaded files, streamed to a
 * temporary folder under their own names with a size limit (app/lib/upload.server.ts), are
 * imported in one transaction.
 */
import { resolveDbPath } from "../../analytics/db.ts";
import { InputError } from "../../analytics/csv.ts";
import { ImportRefused } from "../../analytics/import/problems.ts";
import { importFiles, type ImportSummary } from "../../analytics/import/index.ts";
import type { MarksLayout, UploadKind } from "./upload-kinds.ts";


export interface RefusalLine {
  file: string;
  line: number;
  column: number;
  reason: string;
}

export type ImportOutcome =
  | { ok: true; summaries: ImportSummary[] }
  | { ok: false; message: string; location?: { file: string; line: number; column: number }; errors?: RefusalLine[]; total?: number };

/**
 * Imports uploaded files already on disk (app/lib/upload.server.ts wrote them under their
 * own names, so a refusal names the file the user chose), in one transaction. The caller
 * removes the files afterwards.
 */
export async function importUploads(
  files: Partial<Record<UploadKind, string>>,
  options: { by: { name: string; role: string }; asOf?: string; reason?: string; layout?: MarksLayout; sheet?: string },
): Promise<ImportOutcome> {
  try {
    const summaries = await importFiles(resolveDbPath(), files, options);
    return { ok: true, summaries };
  } catch (error) {
    if (error instanceof ImportRefused) {
      const errors = error.errors.map((e) => ({ file: e.file, line: e.line, column: e.column, reason: e.reason }));
      return { ok: false, message: error.errors[0].message, location: errors[0], errors, total: error.total };
    }
    if (error instanceof InputError) {
      return { ok: false, message: error.message, location: { file: error.file, line: error.line, column: error.column } };
    }
    return { ok: false, message: (error as Error).message };
  }
}
