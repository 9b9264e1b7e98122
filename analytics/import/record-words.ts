/**
 * An import record's counts in words (the Import history's record, /imports/N). No database:
 * the page imports it in the browser too.
 */

/** What each kind of import counts as new, amended and unchanged (singular, plural). */
const COUNTED: Record<string, [string, string]> = { marks: ["mark", "marks"], pupils: ["pupil", "pupils"] };

/**
 * An import record's counts in words that add up as printed: "3 rows read, 33 marks: 0 new,
 * 1 amended, 32 unchanged" where the rows gave more (a CTF, a grid) or fewer (blank cells
 * skipped) marks than rows; "33 marks read: 0 new, 1 amended, 32 unchanged" where one a row.
 * A marks import counts marks and a pupils import pupils, not rows (trial 50b: a CTF's record
 * read "Rows: 3 read: 0 new, 1 amended, 32 unchanged"); another kind counts its rows.
 */
export function importCountsWords(record: { kind: string; rows_read: number; rows_inserted: number; rows_amended: number; rows_unchanged: number }): string {
  const [one, many] = COUNTED[record.kind] ?? ["row", "rows"];
  const total = record.rows_inserted + record.rows_amended + record.rows_unchanged;
  const n = (count: number) => count.toLocaleString("en-GB");
  const parts = `${n(record.rows_inserted)} new, ${n(record.rows_amended)} amended, ${n(record.rows_unchanged)} unchanged`;
  if (total === record.rows_read) return `${n(total)} ${total === 1 ? one : many} read: ${parts}`;
  return `${n(record.rows_read)} ${record.rows_read === 1 ? "row" : "rows"} read, ${n(total)} ${total === 1 ? one : many}: ${parts}`;
}
