/** The register files the import page accepts, in import order (client-safe). */
export type UploadKind = "calendar" | "pupils" | "marks";
export const UPLOAD_KINDS: readonly UploadKind[] = ["calendar", "pupils", "marks"];

/** How long a preview's files are kept for its confirmation (app/lib/held-upload.server.ts), in minutes. */
export const HOLD_MINUTES = 30;

/** Marks layouts the importer reads (the same list as analytics/import/readers/long-rows.ts, kept client-safe). */
export type MarksLayout = "long" | "grid" | "week" | "ctf";
export const MARKS_LAYOUTS: readonly MarksLayout[] = ["long", "grid", "week", "ctf"];

/**
 * Words for an upload over the limit (ROLLCALL_MAX_UPLOAD_MB): the same on the Import page's
 * own check, in the app's 413 (app/lib/upload.server.ts) and on scripts/server.js's 413 page.
 */
export function uploadTooLargeMessage(mb: number, files: readonly { name: string; size: number }[] = []): string {
  return `This upload is larger than the ${mb} MB limit, so it was refused and nothing was imported or changed.${chosenFilesWords(files)} Split the file (for example one academic year per file), or ask whoever runs Rollcall to raise ROLLCALL_MAX_UPLOAD_MB.`;
}

/**
 * " The chosen files come to 61.2 MB: marks-2025.csv 58.1 MB, pupils.csv 3.1 MB." — the files
 * the Import page's own check sees, largest first, so the school knows which one to split (a
 * 60 MB upload's refusal had named only the limit). Empty when none is known: the server
 * refuses by the declared length before reading the body, so it knows no file's name.
 */
function chosenFilesWords(files: readonly { name: string; size: number }[]): string {
  if (files.length === 0) return "";
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const each = [...files].sort((a, b) => b.size - a.size).map((file) => `${file.name} ${mb(file.size)}`);
  return files.length === 1 ? ` The chosen file, ${each[0]}, is too large.` : ` The chosen files come to ${mb(total)}: ${each.join(", ")}.`;
}
