/**
 * The UPN's shape (DfE, "Unique pupil numbers (UPN): a guide for schools and local
 * authorities"), a leaf module: the CSV reader (analytics/csv.ts) recognises a UPN in a
 * header row with it, without the import's values module and the database it needs.
 */

/** UPN: a check letter, 11 digits, then a digit or letter (a letter marks a temporary UPN). */
export const UPN_RE = /^[A-Z]\d{11}[0-9A-Z]$/;
