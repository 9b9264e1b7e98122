/**
 * The synthetic-mark rule of the benchmarks and the import tests: a deterministic mix of
 * marks, mostly present with some illness, lateness and unexplained absence, decided by the
 * mark's position `i` in a generated register (1, 2, 3, … in the order the marks are written).
 * One rule, so the import benchmark (scripts/bench-import.ts), the streamed-import tests
 * (test/import-stream.test.ts) and the peer benchmark (scripts/bench-peer.ts) generate the
 * same kind of register.
 *
 * The rule, first match wins:
 * - i divisible by 37: `I` (illness, authorised absence);
 * - else divisible by 53: `N` (reason not yet established, unauthorised absence);
 * - else divisible by 41: `L` (late before the register closed, present), `i mod 20` minutes late;
 * - else `/` in the morning, `\` in the afternoon (present).
 * Then, when `changeEvery` > 0 and i is divisible by it, the code becomes `M` (a medical
 * appointment: an amendment of the first mark, as a re-import with changed marks sends);
 * the minutes late of an `L` so changed are kept. Codes are the DfE's (analytics/codes.ts),
 * valid in both regimes.
 *
 * Over a whole register about 2.7 % of marks are `I`, 1.8 % `N` and 2.3 % `L`, so absence is
 * ≈ 4.6 % and evenly spread: no pupil is persistently absent from this rule alone.
 */
export interface SyntheticMark {
  code: string;
  /** Minutes late (0–19) for an `L`, else null. */
  minutesLate: number | null;
}

export function syntheticMarkCode(i: number, session: "AM" | "PM", changeEvery = 0): SyntheticMark {
  let code = session === "AM" ? "/" : "\\";
  let minutesLate: number | null = null;
  if (i % 37 === 0) code = "I";
  else if (i % 53 === 0) code = "N";
  else if (i % 41 === 0) [code, minutesLate] = ["L", i % 20];
  if (changeEvery > 0 && i % changeEvery === 0) code = "M";
  return { code, minutesLate };
}

/** A mark of the rule as a long-layout CSV line: `upn,date,session,code,minutes_late`. */
export function syntheticMarkLine(upn: string, date: string, i: number, session: "AM" | "PM", changeEvery = 0): string {
  const { code, minutesLate } = syntheticMarkCode(i, session, changeEvery);
  return `${upn},${date},${session},${code},${minutesLate ?? ""}`;
}
