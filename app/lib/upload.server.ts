/**
 * Uploads with a size limit (issue 9): file parts stream to a temporary folder on disk, never
 * whole into memory, and a part over the limit stops the parse with a 413 that names the
 * limit. The caller imports from the files and always calls `dispose()`, which removes the
 * folder; a refused upload removes it before throwing.
 *
 * The limit is ROLLCALL_MAX_UPLOAD_MB (default 50 MB). scripts/server.js applies the same
 * limit to every request body first (by Content-Length, before the body is read), so an
 * over-limit upload normally never reaches Remix; this is the limit for each part when it does
 * (another server in front, or a request whose length was not declared).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  MaxPartSizeExceededError,
  unstable_composeUploadHandlers,
  unstable_createFileUploadHandler,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { uploadTooLargeMessage } from "./upload-kinds.ts";

export const DEFAULT_MAX_UPLOAD_MB = 50;
/** Text fields of an upload form are short (a date, a reason): 64 kB each at most. */
const MAX_FIELD_BYTES = 64 * 1024;

/** The upload limit in megabytes (MiB): ROLLCALL_MAX_UPLOAD_MB when a positive number, else 50. */
export function maxUploadMb(env: Record<string, string | undefined> = process.env): number {
  const value = Number(env.ROLLCALL_MAX_UPLOAD_MB);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_MAX_UPLOAD_MB;
}

export { uploadTooLargeMessage };

export interface UploadedFile {
  /** The name the user's file had (for messages and the audit trail). */
  name: string;
  /** Where it was written, inside the upload's temporary folder. */
  path: string;
  size: number;
}

export interface UploadForm {
  /** The text fields, by name. */
  fields: Map<string, string>;
  /**
   * The files chosen in the allowed fields, by field name, an empty (0-byte) one too: the
   * importer refuses it by name ("the file is empty"). A browser sends a field with nothing
   * chosen as an empty part with no file name (filename=""), which is no file.
   */
  files: Map<string, UploadedFile>;
  /** Removes the temporary folder and everything in it. Safe to call twice. */
  dispose(): void;
}

/** A file name safe to write inside the upload's folder, keeping the user's name where it can. */
function safeName(field: string, filename: string): string {
  const base = path.basename(filename.replaceAll("\\", "/"));
  return base && base !== "." && base !== ".." ? base : `${field}.upload`;
}

/**
 * Reads a multipart form: files of `fileFields` to disk (each at most `maxBytes`), other
 * parts as text (64 kB each at most). Throws a 413 Response naming the limit when a part is
 * larger, after removing anything written.
 */
export async function readUploadForm(request: Request, options: { fileFields: readonly string[]; maxMb?: number }): Promise<UploadForm> {
  const mb = options.maxMb ?? maxUploadMb();
  const maxBytes = Math.floor(mb * 1024 * 1024);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-upload-"));
  const dispose = () => fs.rmSync(dir, { recursive: true, force: true });
  const handler = unstable_composeUploadHandlers(
    unstable_createFileUploadHandler({
      directory: dir,
      avoidFileConflicts: false,
      maxPartSize: maxBytes,
      // Each field in its own folder, so two files with the same name cannot collide.
      filter: ({ name }) => options.fileFields.includes(name),
      file: ({ name, filename }) => path.join(name, safeName(name, filename ?? "")),
    }),
    unstable_createMemoryUploadHandler({ maxPartSize: MAX_FIELD_BYTES }),
  );
  try {
    const form = await unstable_parseMultipartFormData(request, handler);
    const fields = new Map<string, string>();
    const files = new Map<string, UploadedFile>();
    for (const [name, value] of form.entries()) {
      if (typeof value === "string") {
        fields.set(name, value);
        continue;
      }
      const onDisk = value as unknown as { getFilePath?: () => string; size: number };
      // Only a part with a file name is written to disk (the file handler skips filename=""):
      // its size is not asked, so a chosen empty file is never taken for no file.
      if (!options.fileFields.includes(name) || typeof onDisk.getFilePath !== "function") continue;
      const filePath = onDisk.getFilePath();
      files.set(name, { name: path.basename(filePath), path: filePath, size: onDisk.size });
    }
    return { fields, files, dispose };
  } catch (error) {
    dispose();
    if (error instanceof MaxPartSizeExceededError) {
      throw new Response(uploadTooLargeMessage(mb), {
        status: 413,
        statusText: "Payload Too Large",
        headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
      });
    }
    throw error;
  }
}
