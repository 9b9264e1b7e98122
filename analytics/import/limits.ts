/**
 * What no register holds: the limits an import enforces on text and dates, in one place so
 * the README can state them. Values beyond them are refused with file:line:column, never
 * trimmed or stored.
 */

/** Names (forename, surname) and closure reasons: longer than any MIS name field. */
export const MAX_NAME_CHARS = 100;
/** Registration group (class): MIS short names are a few characters. */
export const MAX_REG_GROUP_CHARS = 40;
/** Ethnicity: DfE codes are 4 letters (WBRI, AIND …), extended codes up to 8. */
export const MAX_ETHNICITY_CHARS = 8;
/** Any other field of any register file. */
export const MAX_FIELD_CHARS = 200;

/**
 * Age on the admission date, in whole years, for a pupil of a primary school: from 2
 * (nursery classes take two-year-olds) to 13 (middle schools deemed primary teach to Year 8,
 * whose oldest pupils are 13 at the start of the year).
 */
export const MIN_AGE_ON_ADMISSION = 2;
export const MAX_AGE_ON_ADMISSION = 13;

/** Quoted values in messages are cut to this many characters. */
export const MAX_QUOTED_CHARS = 40;

/** Errors reported in one refusal. */
export const MAX_REPORTED_ERRORS = 50;

/** Largest upload per file on the Import page, in bytes (ROLLCALL_MAX_UPLOAD_MB overrides it). */
export function maxUploadBytes(): number {
  const mb = Number(process.env.ROLLCALL_MAX_UPLOAD_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : 64) * 1024 * 1024;
}

/**
 * A value as a message quotes it: cut to MAX_QUOTED_CHARS, control characters shown as
 * code points, so a refused 50 MB field or a terminal escape never reaches a page or a
 * terminal whole.
 */
export function quote(value: string): string {
  const shown = value.length > MAX_QUOTED_CHARS ? `${value.slice(0, MAX_QUOTED_CHARS)}…` : value;
  // eslint-disable-next-line no-control-regex
  const safe = shown.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const more = value.length > MAX_QUOTED_CHARS ? ` (${value.length.toLocaleString("en-GB")} characters)` : "";
  return `"${safe}"${more}`;
}

// C0 controls (tab aside: a tab-separated file's separator never reaches a field), DEL and C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

/**
 * Why a field's text cannot be stored, or undefined when it can: NUL and other control
 * characters (a terminal escape in a name would run in whoever prints it), or more than
 * `max` characters.
 */
export function textProblem(value: string, max: number, label: string): string | undefined {
  const control = CONTROL_RE.exec(value);
  if (control) {
    const code = control[0].charCodeAt(0);
    const what = code === 0 ? "a NUL byte" : `a control character (U+${code.toString(16).toUpperCase().padStart(4, "0")})`;
    return `${label} contains ${what} at character ${control.index + 1}: no register holds one`;
  }
  if (value.length > max) return `${label} is ${value.length.toLocaleString("en-GB")} characters long; the limit is ${max}`;
  return undefined;
}
