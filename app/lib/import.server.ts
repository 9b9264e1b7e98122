/**
 * Web uploads go through the same importer as the CLI: the uploaded files, streamed to a
 * temporary folder under their own names with a size limit (app/lib/upload.server.ts), are
 * imported in one transaction.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { resolveDbPath } from "../../analytics/db.ts";
import { InputError, WrongFileError } from "../../analytics/csv.ts";
import { ImportRefused } from "../../analytics/import/problems.ts";
import { appliesFromSentence, importFiles, nothingChangedMessage, nothingWouldChangeMessage, type ImportSummary } from "../../analytics/import/index.ts";
import { UPLOAD_KINDS, type MarksLayout, type UploadKind } from "./upload-kinds.ts";


export interface RefusalLine {
  file: string;
  line: number;
  column: number;
  /** The place in words: "line 3, column 4", or in a workbook "row 3, column D" (InputError.place). */
  place: string;
  reason: string;
}

export type ImportOutcome =
  | {
      ok: true;
      /** `appliesFromWords`: a pupils file's appliesFromSentence, when it adds or changes a pupil. */
      summaries: (ImportSummary & { appliesFromWords?: string })[];
      preview: boolean;
      fingerprint: string;
      /** "Nothing changed: N marks already recorded. …" when a real import changed nothing (it then committed nothing); else null. */
      nothingChanged: string | null;
      /** For a preview: "Nothing would change: …" when the files hold only what is already recorded; else null. */
      nothingWouldChange: string | null;
    }
  | { ok: false; message: string; location?: { file: string; line: number; column: number; place: string; reason: string; /** The file itself is the wrong one (WrongFileError): no line to correct. */ wrongFile?: boolean }; errors?: RefusalLine[]; total?: number; /** How a file was checked when another it depends on was refused (ImportRefused.notes). */ notes?: string[] };

/** Faults an audit row of a refused import names after the first; the rest are counted. */
const AUDITED_FAULTS = 10;

/**
 * The audit trail's detail of a refused import: the first fault's message, then each further
 * fault the refusal listed ("file, line 4, column 2: reason"), up to AUDITED_FAULTS, and how
 * many more the files held. An audited refusal had named only the first of two faults (trial 25).
 */
export function refusalAuditDetail(outcome: Extract<ImportOutcome, { ok: false }>): string {
  const others = (outcome.errors ?? []).slice(1);
  const listed = others.slice(0, AUDITED_FAULTS).map((e) => `${e.file}, ${e.place}: ${e.reason}`);
  const total = Math.max(outcome.total ?? 0, (outcome.errors ?? []).length);
  const unlisted = total - 1 - listed.length;
  const also = listed.length > 0 ? ` Also: ${listed.join("; ")}${unlisted > 0 ? `; and ${unlisted} more` : ""}.` : "";
  return [`${outcome.message}${also}`, ...(outcome.notes ?? [])].join(" ");
}

export type ImportUploadOptions = { by: { name: string; role: string }; asOf?: string; reason?: string; layout?: MarksLayout; sheet?: string };

/**
 * What a preview was of: a SHA-256 over each uploaded file's kind, name and bytes (read as a
 * stream) and the options that change what an import does. The Import page imports only
 * files whose fingerprint matches the preview the user confirmed.
 */
export async function uploadFingerprint(files: Partial<Record<UploadKind, string>>, options: ImportUploadOptions): Promise<string> {
  const hash = crypto.createHash("sha256");
  for (const kind of UPLOAD_KINDS) {
    const file = files[kind];
    if (!file) continue;
    hash.update(`${kind}\u0000${path.basename(file)}\u0000`);
    for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
    hash.update("\u0000");
  }
  hash.update(JSON.stringify([options.asOf ?? null, options.reason ?? null, options.layout ?? null, options.sheet ?? null]));
  return hash.digest("hex");
}

/** The uploaded files' own names, in import order ("pupils.csv, marks.csv"), for the audit trail. */
export function uploadNames(files: Partial<Record<UploadKind, string>>): string {
  return UPLOAD_KINDS.flatMap((kind) => (files[kind] ? [path.basename(files[kind])] : [])).join(", ");
}

/**
 * Imports uploaded files already on disk (app/lib/upload.server.ts wrote them under their
 * own names, so a refusal names the file the user chose), in one transaction; with `dryRun`
 * previews what the import would do and changes nothing. The caller removes the files
 * afterwards. Never throws for a refused file: the outcome says why.
 */
export async function importUploads(
  files: Partial<Record<UploadKind, string>>,
  options: ImportUploadOptions & { dryRun?: boolean; onProgress?: (message: string) => void },
): Promise<ImportOutcome> {
  try {
    const fingerprint = await uploadFingerprint(files, options);
    const summaries = await importFiles(resolveDbPath(), files, options);
    const preview = options.dryRun === true;
    return {
      ok: true,
      // From when the changed details apply, as the CLI says it (analytics/import/values.ts).
      summaries: summaries.map((s) => {
        const words = s.inserted + s.amended > 0 ? appliesFromSentence(s) : null;
        return words ? { ...s, appliesFromWords: words } : s;
      }),
      preview,
      fingerprint,
      nothingChanged: preview ? null : nothingChangedMessage(summaries),
      nothingWouldChange: preview ? nothingWouldChangeMessage(summaries) : null,
    };
  } catch (error) {
    if (error instanceof ImportRefused) {
      const errors = error.errors.map((e) => ({ file: e.file, line: e.line, column: e.column, place: e.place, reason: e.reason }));
      return { ok: false, message: error.errors[0].message, location: errors[0], errors, total: error.total, ...(error.notes.length > 0 ? { notes: [...error.notes] } : {}) };
    }
    if (error instanceof InputError) {
      // A file no correction answers (WrongFileError) is said as such, never "correct line L".
      const wrongFile = error instanceof WrongFileError ? { wrongFile: true } : {};
      return { ok: false, message: error.message, location: { file: error.file, line: error.line, column: error.column, place: error.place, reason: error.reason, ...wrongFile } };
    }
    return { ok: false, message: (error as Error).message };
  }
}
