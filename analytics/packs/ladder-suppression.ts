/**
 * The FGB pack's ladder table for governors: primary and complementary suppression over the
 * sums a reader can form with the pack's other figures (issue 13, case 8). The bands below
 * 90 % attendance add up to the pupils the pack prints as persistently absent (attendance
 * under 90 % is absence over 10 %; a pupil at exactly 90.0 % is persistently absent and in no
 * band below 90, but such a pupil is rare, so the sum is treated as exact, which can only
 * withhold more), and the band below 50 % is the severely absent pupils when the lowest
 * threshold is 50 %. Without this, PA 27 with bands of 15 and 10 gave away the "fewer than 5"
 * below 50 %: 27 − 15 − 10 = 2.
 *
 * The bands are also bounded by the school's absent sessions over the same span, which a
 * governor reads on the Overview (LadderSessions): a pupil below t % missed more than
 * (100 − t) % of their own sessions, so the school's absent sessions allow at most so many
 * pupils below each threshold, as they bound its persistently absent pupils
 * (analytics/suppression.ts absenceRules). Session 12's adversary: 16 pupils of 80 sessions
 * each and 6 missed in all have at most ⌊6 ÷ 4⌋ = 1 pupil below 96 %, so a withheld band of
 * "1 to 4" was 1 (test/governor-break12-ladder.test.ts).
 */
import { inferBounds, protect, WITHHELD_TEXT, isSmallCount, type Bounds, type DisclosureCell, type LinearRule, type SumRule, type Term } from "../suppression.ts";
import type { Cell } from "./model.ts";
import { PUPIL_JUDGED_MIN_SESSIONS } from "../judged-span.ts";
import { num } from "./format.ts";

/** Cost of withholding the pack's headline counts instead of a band: never chosen first. */
const HEADLINE_COST = 1_000;

/**
 * The ladder's sums, with the published persistently (`pa`) and severely (`sa`) absent counts.
 * `thresholds` are the ladder's, highest first; band i runs from thresholds[i + 1] to under
 * thresholds[i], the last band is below the last threshold.
 */
export function ladderSums(thresholds: number[], unjudged = false): SumRule[] {
  const band = (i: number) => `band:${i}`;
  // `unjudged`: the persistently and severely absent pupils not yet judged (fewer than 40
  // possible sessions: in no band, ladderPosition) are parts too, never printed ("unjudged:pa",
  // "unjudged:sa"): the headline counts them, the bands do not.
  const belowPa = thresholds.map((t, i) => ({ t, i })).filter(({ t }) => t <= 90).map(({ i }) => band(i));
  const sums: SumRule[] = belowPa.length ? [{ total: "pa", parts: unjudged ? [...belowPa, "unjudged:pa"] : belowPa }] : [];
  if (thresholds.length && thresholds[thresholds.length - 1] === 50) sums.push({ total: "sa", parts: unjudged ? [band(thresholds.length - 1), "unjudged:sa"] : [band(thresholds.length - 1)] });
  return sums;
}

/**
 * The school's sessions over the ladder's span as a governor reads them (the Overview's
 * pupils, possible and attended sessions: published), and each pupil's possible and missed
 * sessions over it with their band (the index ladderPosition gives, null for a pupil in none)
 * — never printed: the planner's bounds, as summariseAtoms' AbsenceBounds are for PA.
 */
export interface LadderSessions {
  pupils: number;
  possible: number;
  attended: number;
  perPupil: Array<{ possible: number; missed: number; band: number | null }>;
}

/**
 * The fewest sessions a pupil with `possible` sessions must miss to be below `threshold` %:
 * the least m with 100 × (possible − m) < threshold × possible (ladderPosition's comparison).
 */
export function fewestMissedBelow(threshold: number, possible: number): number {
  let m = Math.max(0, Math.ceil(possible - (threshold * possible) / 100) - 1);
  while (m <= possible && !(100 * (possible - m) < threshold * possible)) m++;
  return m;
}

/**
 * The most sessions a pupil with `possible` sessions can miss and still be at or above
 * `threshold` %: the most m with 100 × (possible − m) ≥ threshold × possible.
 */
export function mostMissedAtOrAbove(threshold: number, possible: number): number {
  return fewestMissedBelow(threshold, possible) - 1;
}

/**
 * What the school's absent sessions say of the bands, as a reader can work it out from the
 * thresholds and the sessions a pupil can have (the fewest and the most any pupil had), so
 * that whether a band is withheld never turns on one pupil's own sessions: `least[i]` — every
 * pupil in band i (below thresholds[i]) missed at least the fewest a pupil with the fewest
 * possible sessions must miss to be below it; `most[i]` — none missed more than a pupil with
 * the most possible sessions can and be at or above thresholds[i + 1] (all of them in the
 * last band); `otherMost` — no pupil in no band (at or above thresholds[0]) missed more than
 * that; `uncounted` — the school's absent sessions missed by no pupil of the list (0 when the
 * reads agree). Each holds for the true counts. Pure.
 */
export function ladderBounds(thresholds: number[], sessions: LadderSessions): { least: number[]; most: number[]; otherMost: number; uncounted: number } {
  const counted = sessions.perPupil.filter((p) => p.possible > 0);
  const absent = sessions.possible - sessions.attended;
  const missed = counted.reduce((sum, p) => sum + p.missed, 0);
  const uncounted = Math.max(0, absent - missed);
  if (counted.length === 0) return { least: thresholds.map(() => Number.POSITIVE_INFINITY), most: thresholds.map(() => 0), otherMost: 0, uncounted };
  const fewest = Math.min(...counted.map((p) => p.possible));
  const most = Math.max(...counted.map((p) => p.possible));
  return {
    least: thresholds.map((t) => fewestMissedBelow(t, fewest)),
    most: thresholds.map((_, i) => (i + 1 < thresholds.length ? mostMissedAtOrAbove(thresholds[i + 1], most) : most)),
    // A pupil in no band may be one not yet judged (fewer than 40 possible sessions, any
    // attendance): at most 39 missed, or all of their sessions when the fewest is below 40.
    otherMost: Math.max(thresholds.length ? mostMissedAtOrAbove(thresholds[0], most) : most, fewest < PUPIL_JUDGED_MIN_SESSIONS ? Math.min(most, PUPIL_JUDGED_MIN_SESSIONS - 1) : 0),
    uncounted,
  };
}

/**
 * The linear rules the school's sessions give a reader of the bands (cells "band:i",
 * "possible", "attended", "pupils"): every pupil is in one band or none, so
 * - Σ least[i] × band i + attended ≤ possible (each band's pupils missed at least least[i]);
 * - possible ≤ attended + Σ (most[i] − otherMost) × band i + otherMost × pupils + uncounted
 *   (a band's pupils missed at most most[i], any other at most otherMost), the terms with
 *   most[i] ≤ otherMost left out (a looser bound, still true).
 */
export function ladderRules(thresholds: number[], sessions: LadderSessions): LinearRule[] {
  const { least, most, otherMost, uncounted } = ladderBounds(thresholds, sessions);
  const band = (i: number) => `band:${i}`;
  const left: Term[] = least.flatMap((l, i) => (l > 0 && Number.isFinite(l) ? [{ id: band(i), times: l }] : []));
  const rules: LinearRule[] = [];
  if (left.length) rules.push({ left: [...left, { id: "attended", times: 1 }], right: [{ id: "possible", times: 1 }] });
  const right: Term[] = [{ id: "attended", times: 1 }, ...most.flatMap((m, i) => (m > otherMost ? [{ id: band(i), times: m - otherMost }] : []))];
  if (otherMost > 0) right.push({ id: "pupils", times: otherMost });
  rules.push({ left: [{ id: "possible", times: 1 }], right, constant: uncounted });
  return rules;
}

/**
 * The most pupils each band can hold by what a reader has whatever the ladder prints: the
 * school's sessions (`sessions`: the linear rules) and the headline PA and SA counts as
 * printed (a count, the range 1 … min − 1 of a small one, nothing where the span's plan
 * withholds it), through the ladder's sums. Where that is below the minimum (but above 0), a
 * reader knows the band is small whatever is printed in its place.
 */
function mostAllowed(cells: DisclosureCell[], sums: SumRule[], linear: LinearRule[], min: number): Map<string, number> {
  const known = new Map<string, number>();
  const withheld = new Map<string, Bounds>();
  for (const cell of cells) {
    if (cell.id.startsWith("band:") || cell.unpublished || cell.unprinted) withheld.set(cell.id, { lo: 0, hi: Number.POSITIVE_INFINITY });
    else if (isSmallCount(cell.value, min) && !cell.public) withheld.set(cell.id, { lo: 1, hi: min - 1 });
    else known.set(cell.id, cell.value);
  }
  return new Map([...inferBounds(known, withheld, sums, [], linear)].map(([id, b]) => [id, b.hi]));
}

/**
 * The ladder table's pupil cells: a count, or withheld (WITHHELD_TEXT) when it is 1 … min − 1,
 * when printing it would let such a count be worked out from `pa` and `sa` or from the
 * school's sessions (`sessions`), or when the school's absent sessions alone allow the band
 * fewer than `min` pupils (but some): such a band is withheld whether it holds 0 or more, so
 * "withheld" never tells a reader it holds at least one (the sessions would then pin it: at
 * most 1 by the sessions and at least 1 by the word). `min` null (staff) prints every count.
 * Returns one cell per band, in the bands' order.
 */
export function ladderCountCells(
  bands: number[],
  thresholds: number[],
  headline: { pa: number; sa: number },
  min: number | null,
  /** The headline counts the span's plan withholds (packSuppression): they stay unknown. */
  headlineWithheld: { pa: boolean; sa: boolean } = { pa: false, sa: false },
  /** The school's sessions over the ladder's span (omitted: no bound from them). */
  sessions?: LadderSessions,
  /** Of the headline's PA and SA pupils, those not yet judged and so in no band (omitted: none, the sums as before). */
  unjudged?: { pa: number; sa: number },
): Cell[] {
  if (min === null) return bands.map((n) => num(n));
  const small = (value: number) => (isSmallCount(value, min) ? { lo: 1, hi: min - 1 } : undefined);
  const cells: DisclosureCell[] = [
    ...bands.map((value, i) => ({ id: `band:${i}`, value, primary: small(value) })),
    // Never printed, but the headline less the bands gives them: protected like a printed count.
    ...(unjudged
      ? [
          { id: "unjudged:pa", value: unjudged.pa, primary: small(unjudged.pa), unprinted: true },
          { id: "unjudged:sa", value: unjudged.sa, primary: small(unjudged.sa), unprinted: true },
        ]
      : []),
    { id: "pa", value: headline.pa, primary: small(headline.pa), cost: HEADLINE_COST, unpublished: (headlineWithheld.pa && !small(headline.pa)) || undefined },
    { id: "sa", value: headline.sa, primary: small(headline.sa), cost: HEADLINE_COST, unpublished: (headlineWithheld.sa && !small(headline.sa)) || undefined },
  ];
  // The school's figures are published (a pack whose school row is withheld prints no ladder):
  // known to every reader, never withheld here.
  if (sessions) {
    for (const [id, value] of [["pupils", sessions.pupils], ["possible", sessions.possible], ["attended", sessions.attended]] as const) cells.push({ id, value, public: true });
  }
  const linear = sessions ? ladderRules(thresholds, sessions) : [];
  // A band a reader knows to be small whatever is printed (0 < most allowed < min) is withheld
  // whatever it holds, its word giving 0 … min − 1: withheld only when 1 … min − 1, its word
  // and that most pinned it (at most 1, and at least 1).
  const sums = ladderSums(thresholds, unjudged !== undefined);
  const allowed = mostAllowed(cells, sums, linear, min);
  for (const cell of cells) {
    const most = allowed.get(cell.id);
    if (cell.id.startsWith("band:") && most !== undefined && most > 0 && most < min) cell.primary = { lo: 0, hi: min - 1 };
  }
  // Focused where the sessions bound the bands: a band withheld to protect another, which the
  // sessions pin all the same, stays withheld rather than spreading (protect).
  const hidden = protect(cells, sums, [], sessions ? { focused: true, linear } : {});
  return bands.map((value, i) => {
    const why = hidden.get(`band:${i}`);
    // One word whatever withheld it (analytics/suppression.ts WITHHELD_TEXT).
    if (why) return { kind: "suppressed", text: WITHHELD_TEXT };
    return num(value);
  });
}
