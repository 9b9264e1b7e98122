/**
 * Whether a pupil's attendance is below an escalation line: `attended` of `possible` sessions
 * (present + AEA, of possible), under `line.pct` percent (0–100), or at it too when the line is
 * `inclusive`; never below it with fewer than `minPossible` possible sessions (too few to judge:
 * PUPIL_JUDGED_MIN_SESSIONS where a rule's date is sought, 1 for a period's own figure). Compared
 * as 100 × attended against pct × possible, with no division. The one comparison the ladder, a
 * pupil's own ladder and the day the register showed a line crossed (register-showed.ts) all
 * make. Pure.
 */
export function belowLine(attended: number, possible: number, line: { pct: number; inclusive?: boolean }, minPossible: number): boolean {
  return possible >= minPossible && (line.inclusive ? 100 * attended <= line.pct * possible : 100 * attended < line.pct * possible);
}
