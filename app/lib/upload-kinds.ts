/** The register files the import page accepts, in import order (client-safe). */
export type UploadKind = "calendar" | "pupils" | "marks";
export const UPLOAD_KINDS: readonly UploadKind[] = ["calendar", "pupils", "marks"];

/** Marks layouts the importer reads (the same list as analytics/import/readers/long-rows.ts, kept client-safe). */
export type MarksLayout = "long" | "grid" | "week" | "ctf";
export const MARKS_LAYOUTS: readonly MarksLayout[] = ["long", "grid", "week", "ctf"];

/**
 * Words for an upload over the limit (ROLLCALL_MAX_UPLOAD_MB): the same on the Import page's
 * own check, in the app's 413 (app/lib/upload.server.ts) and on scripts/server.js's 413 page.
 */
export function uploadTooLargeMessage(mb: number): string {
  return `This upload is larger than the ${mb} MB limit, so it was refused and nothing was imported or changed. Split the file (for example one academic year per file), or ask whoever runs Rollcall to raise ROLLCALL_MAX_UPLOAD_MB.`;
}
