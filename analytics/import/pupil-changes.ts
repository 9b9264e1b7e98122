/**
 * What a pupils import would change for a pupil already stored, detail by detail, in words:
 * "Surname: Smith → Jones", "Year group: Year 4 → Year 5", "SEN: No SEN → SEN support". The
 * Import page's preview and `rollcall import --dry-run` list them (a fresh-clone trial found
 * the preview said only "Changed" for a renamed pupil). Pure.
 */
import { FILTER_LABELS, describeFilterValue } from "../characteristic-words.ts";
import { ukDate } from "../packs/format.ts";

/** One detail an import would change: its name and its value before and after, in words. */
export interface PupilDetailChange {
  /** "Surname", "Date of birth", "Year group", "Class", "SEN" … */
  field: string;
  /** The stored value in words; "none" where the pupil has none (no leaving date, no current year group), "not given" for a blank ethnicity. */
  before: string;
  /** The file's value in words; "none" for no leaving date, "not given" for a blank ethnicity. */
  after: string;
}

/** A pupil's own details (the pupils table's columns) and characteristics (a spell's, pupil_characteristics), as named in the database. */
export const PUPIL_DETAILS = ["forename", "surname", "dob", "sex", "ethnicity", "admission_date", "leaving_date"] as const;
export const PUPIL_CHARACTERISTICS = ["year_group", "reg_group", "sen", "fsm", "eal", "lac"] as const;

/**
 * A pupil's details as stored and as the file gives them, each as text: dates ISO
 * (YYYY-MM-DD), codes as stored (sex M/F, SEN E/K/N, flags Y/N); null where there is none.
 */
export type PupilDetails = Record<(typeof PUPIL_DETAILS)[number] | (typeof PUPIL_CHARACTERISTICS)[number], string | null>;

type Detail = keyof PupilDetails;

const SEX_WORDS: Record<string, string> = { M: "Male", F: "Female" };

/** Each detail's name and its value in words, in the order a pupils file gives them (analytics/import/pupils.ts PUPIL_COLUMNS). */
const DETAILS: { key: Detail; field: string; words: (value: string) => string }[] = [
  { key: "forename", field: "Forename", words: (v) => v },
  { key: "surname", field: "Surname", words: (v) => v },
  { key: "dob", field: "Date of birth", words: (v) => ukDate(v) },
  { key: "sex", field: FILTER_LABELS.sex, words: (v) => SEX_WORDS[v] ?? v },
  { key: "year_group", field: FILTER_LABELS.year_group, words: (v) => describeFilterValue("year_group", v) },
  { key: "reg_group", field: FILTER_LABELS.reg_group, words: (v) => v },
  { key: "admission_date", field: "Admission date", words: (v) => ukDate(v) },
  { key: "leaving_date", field: "Leaving date", words: (v) => ukDate(v) },
  { key: "sen", field: FILTER_LABELS.sen, words: (v) => describeFilterValue("sen", v) },
  { key: "fsm", field: FILTER_LABELS.fsm, words: (v) => describeFilterValue("fsm", v) },
  { key: "eal", field: FILTER_LABELS.eal, words: (v) => describeFilterValue("eal", v) },
  { key: "lac", field: FILTER_LABELS.lac, words: (v) => describeFilterValue("lac", v) },
  { key: "ethnicity", field: FILTER_LABELS.ethnicity, words: (v) => describeFilterValue("ethnicity", v) },
];

/**
 * The details that differ between `stored` and `file`, in PUPIL_COLUMNS order, each in words;
 * empty when none differ. A null value (no leaving date; no current year group, class or
 * characteristics for a pupil whose last spell has closed) reads "none"; a blank one (an
 * ethnicity not yet obtained) "not given".
 */
export function pupilDetailChanges(stored: PupilDetails, file: PupilDetails): PupilDetailChange[] {
  const words = (detail: (typeof DETAILS)[number], value: string | null) => (value === null ? "none" : value === "" ? "not given" : detail.words(value));
  return DETAILS.filter((d) => (stored[d.key] ?? null) !== (file[d.key] ?? null)).map((d) => ({
    field: d.field,
    before: words(d, stored[d.key] ?? null),
    after: words(d, file[d.key] ?? null),
  }));
}

/** "Surname: Smith → Jones; Year group: Year 4 → Year 5" — a pupil's changes in one line (the CLI's dry run). */
export function pupilChangesLine(changes: readonly PupilDetailChange[]): string {
  return changes.map((c) => `${c.field}: ${c.before} → ${c.after}`).join("; ");
}
