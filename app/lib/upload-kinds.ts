/** The register files the import page accepts, in import order (client-safe). */
export type UploadKind = "calendar" | "pupils" | "marks";
export const UPLOAD_KINDS: readonly UploadKind[] = ["calendar", "pupils", "marks"];

/** Marks layouts the importer reads (the same list as analytics/import/readers/long-rows.ts, kept client-safe). */
export type MarksLayout = "long" | "grid" | "week" | "ctf";
export const MARKS_LAYOUTS: readonly MarksLayout[] = ["long", "grid", "week", "ctf"];
