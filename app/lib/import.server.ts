/**
 * Web uploads go through the same importer as the CLI: the uploaded files are written to a
 * temporary folder under their own names (so a refusal names the file the user chose) and
 * imported in one transaction.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { resolveDbPath } from "../../analytics/db.ts";
import { InputError } from "../../analytics/csv.ts";
import { ImportRefused } from "../../analytics/import/problems.ts";
import { importFiles, type ImportSummary } from "../../analytics/import/index.ts";
import { UPLOAD_KINDS, type MarksLayout, type UploadKind } from "./upload-kinds.ts";


export interface RefusalLine {
  file: string;
  line: number;
  column: number;
  reason: string;
}

export type ImportOutcome =
  | { ok: true; summaries: ImportSummary[]; preview: boolean; fingerprint: string }
  | { ok: false; message: string; location?: { file: string; line: number; column: number }; errors?: RefusalLine[]; total?: number };

export type ImportUploadOptions = { by: { name: string; role: string }; asOf?: string; reason?: string; layout?: MarksLayout; sheet?: string };

/**
 * What a preview was of: a SHA-256 over each uploaded file's kind, name and bytes and the
 * options that change what an import does. The Import page imports only files whose
 * fingerprint matches the preview the user confirmed (the same files, the same options).
 */
export async function uploadFingerprint(uploads: Partial<Record<UploadKind, File>>, options: ImportUploadOptions): Promise<string> {
  const hash = crypto.createHash("sha256");
  for (const kind of UPLOAD_KINDS) {
    const upload = uploads[kind];
    if (!upload) continue;
    hash.update(`${kind}\u0000${upload.name}\u0000`);
    hash.update(Buffer.from(await upload.arrayBuffer()));
    hash.update("\u0000");
  }
  hash.update(JSON.stringify([options.asOf ?? null, options.reason ?? null, options.layout ?? null, options.sheet ?? null]));
  return hash.digest("hex");
}

/**
 * Imports uploaded files through the one importer, or with `dryRun` previews what the import
 * would do and changes nothing. Never throws for a refused file: the outcome says why.
 */
export async function importUploads(
  uploads: Partial<Record<UploadKind, File>>,
  options: ImportUploadOptions & { dryRun?: boolean },
): Promise<ImportOutcome> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-upload-"));
  try {
    const files: Partial<Record<UploadKind, string>> = {};
    for (const kind of UPLOAD_KINDS) {
      const upload = uploads[kind];
      if (!upload) continue;
      // Each kind in its own folder, so two uploads with the same name cannot collide.
      const file = path.join(dir, kind, path.basename(upload.name) || `${kind}.csv`);
      fs.mkdirSync(path.dirname(file));
      fs.writeFileSync(file, Buffer.from(await upload.arrayBuffer()));
      files[kind] = file;
    }
    const fingerprint = await uploadFingerprint(uploads, options);
    const summaries = await importFiles(resolveDbPath(), files, options);
    return { ok: true, summaries, preview: options.dryRun === true, fingerprint };
  } catch (error) {
    if (error instanceof ImportRefused) {
      const errors = error.errors.map((e) => ({ file: e.file, line: e.line, column: e.column, reason: e.reason }));
      return { ok: false, message: error.errors[0].message, location: errors[0], errors, total: error.total };
    }
    if (error instanceof InputError) {
      return { ok: false, message: error.message, location: { file: error.file, line: error.line, column: error.column } };
    }
    return { ok: false, message: (error as Error).message };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
