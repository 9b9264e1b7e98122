/**
 * An import record's counts in words (the Import history's record, /imports/N). No database:
 * the page imports it in the browser too.
 */
import { ukDate } from "../packs/format.ts";

/** What each kind of import counts as new, amended and unchanged (singular, plural). */
const COUNTED: Record<string, [string, string]> = { marks: ["mark", "marks"], pupils: ["pupil", "pupils"] };

/**
 * An import record's counts in words that add up as printed: "3 rows read, 33 marks: 0 new,
 * 1 amended, 32 unchanged" where the rows gave more (a CTF, a grid) or fewer (blank cells
 * skipped) marks than rows; "33 marks read: 0 new, 1 amended, 32 unchanged" where one a row.
 * A marks import counts marks and a pupils import pupils, not rows (trial 50b: a CTF's record
 * read "Rows: 3 read: 0 new, 1 amended, 32 unchanged"); another kind counts its rows.
 */
export function importCountsWords(record: {
  kind: string;
  rows_read: number;
  rows_inserted: number;
  rows_amended: number;
  rows_unchanged: number;
  /** A marks import's first and last date (ISO), null for other files and imports recorded before they were kept. */
  first_date?: string | null;
  last_date?: string | null;
}): string {
  const [one, many] = COUNTED[record.kind] ?? ["row", "rows"];
  const total = record.rows_inserted + record.rows_amended + record.rows_unchanged;
  const n = (count: number) => count.toLocaleString("en-GB");
  const parts = `${n(record.rows_inserted)} new, ${n(record.rows_amended)} amended, ${n(record.rows_unchanged)} unchanged`;
  const dates = marksDatesWords(record.first_date, record.last_date);
  const when = dates === null ? "" : `, ${dates}`;
  if (total === record.rows_read) return `${n(total)} ${total === 1 ? one : many} read${when}: ${parts}`;
  return `${n(record.rows_read)} ${record.rows_read === 1 ? "row" : "rows"} read, ${n(total)} ${total === 1 ? one : many}${when}: ${parts}`;
}

/**
 * The days a marks import's kept marks cover (ISO `first` and `last`: ImportSummary.firstDate
 * and lastDate, imports.first_date and last_date), in words said beside its counts wherever they
 * are (the Import page's preview and result, Import history, /imports/N, `rollcall import` and
 * its dry run): "30 Nov 2026 to 4 Dec 2026", or "on 4 Dec 2026" for one day ("4 Dec 2026" where not
 * `inSentence`: Import history's Dates column); null when there is
 * no date (a calendar or pupils file, a file of only "-" marks, an import recorded before the
 * dates were kept). So a lead sees at a glance which week a file was (trial 54: "2,380 marks
 * read" did not say the MIS had exported the right week).
 */
export function marksDatesWords(first: string | null | undefined, last: string | null | undefined, inSentence = true): string | null {
  if (!first || !last) return null;
  // "on" only within a sentence: a table's Dates cell reads "4 Dec 2026" (review 54).
  return first === last ? `${inSentence ? "on " : ""}${ukDate(first)}` : `${ukDate(first)} to ${ukDate(last)}`;
}
