/** The register files the import page accepts, in import order (client-safe). */
export type UploadKind = "calendar" | "pupils" | "marks";
export const UPLOAD_KINDS: readonly UploadKind[] = ["calendar", "pupils", "marks"];
