/**
 * How an amended mark reads before and after: its code, with the minutes late beside it when
 * the amendment changed them (a register is a legal record: a change of a late arrival's
 * minutes is an amendment as a change of code is, and "L → L" alone said nothing).
 * Amendments recorded before minutes were kept with them have both minutes null: their code alone.
 */
export interface AmendedMark {
  original_code: string;
  new_code: string;
  /** Minutes late before and after (whole minutes), null for none or not recorded. */
  original_minutes_late: number | null;
  new_minutes_late: number | null;
}

/** The mark's words: "L (6 min late)" when the minutes changed, else the code alone. */
function markWords(code: string, minutes: number | null, changed: boolean): string {
  if (!changed) return code;
  return minutes === null ? `${code} (no minutes late)` : `${code} (${minutes} min late)`;
}

/** { before, after } words of an amended mark, e.g. { before: "L (6 min late)", after: "L (10 min late)" }. */
export function amendedMarkWords(a: AmendedMark): { before: string; after: string } {
  const changed = (a.original_minutes_late ?? null) !== (a.new_minutes_late ?? null);
  return { before: markWords(a.original_code, a.original_minutes_late ?? null, changed), after: markWords(a.new_code, a.new_minutes_late ?? null, changed) };
}
