/**
 * The attendance bands of the packs, keyed to the school's thresholds setting
 * (attendance_thresholds, highest first, default 96, 90, 85, 50). The steps' wording is the
 * Ludlow policy's (Appendix A), used only for a school on that policy (`policy` "ludlow");
 * any other policy, or a band past the four, gets a plain step that points to the pupil's own
 * next step on the school's ladder — never another school's wording.
 */
import type { PupilMeasures } from "../measures.ts";
import { formatThreshold } from "../thresholds.ts";
import { PA_MIN_SCHOOL_DAYS, PUPIL_JUDGED_MIN_SESSIONS, pupilJudged } from "../judged-span.ts";

/**
 * What the Ludlow policy asks for at each threshold, in threshold order (highest first), in its
 * own words: below 96 % and below 90 %, its attendance monitoring procedures 6–8 (Appendix A);
 * below 85 %, §4 ("heads below 85% … a formal meeting will be arranged with the pupil's
 * parent"); below 50 % (the DfE's severe absence), §13 on persistent absence ("continuation of severe PA following intervention may, in itself, constitute
 * neglect"). The education welfare protocol is the procedures' step 10, when a
 * meeting's targets are not met (analytics/interventions/ladder-policies.ts), not a band's: a
 * trial found the governors' pack tying it to attendance below 50 %, which the policy does not.
 */
const STEP_WORDING = [
  "Letter home raising concern, with the attendance leaflet (Appendix A, 6)",
  "Monitoring letter and contact from the attendance lead; two weeks' monitoring, then a meeting with targets (Appendix A, 7–8)",
  "Formal meeting with parents (attendance heading below 85%, §4)",
  "Severe absence: continued severe absence after intervention may itself be neglect, and is escalated under the child protection and safeguarding policy (§13)",
];

/** Short names of the Ludlow bands' steps, for aggregate sentences (STEP_WORDING's, in order). */
const STEP_SUMMARY = [
  "a letter home",
  "monitoring and a meeting with targets",
  "a formal meeting with parents",
  "a safeguarding review where severe absence continues",
];

export interface LadderPosition {
  /** Index into the thresholds: the lowest threshold the pupil is below. */
  index: number;
  band: string;
  step: string;
}

/**
 * Where a pupil's attendance puts them on the ladder, or null when at or above every
 * threshold, or not yet judged (fewer than PUPIL_JUDGED_MIN_SESSIONS possible sessions, none
 * included: judged-span.ts). The comparison is the casework rules' (issue 12,
 * analytics/thresholds.ts): below a threshold means attendance < threshold, so a pupil at
 * exactly 96.0 % is on no step, in no band and in no list — the band table and the list
 * always hold the same pupils. Compared in whole sessions (100 × attended < t × possible).
 */
export function ladderPosition(pupil: Pick<PupilMeasures, "possible_sessions" | "present_sessions" | "aea_sessions">, thresholds: number[]): LadderPosition | null {
  const possible = pupil.possible_sessions;
  // Not yet judged (fewer than 40 possible sessions of their own): in no band, as casework's
  // rate rules and the ladder's attendance steps leave them (analytics/judged-span.ts).
  if (!pupilJudged(possible) || thresholds.length === 0) return null;
  const attended = pupil.present_sessions + pupil.aea_sessions;
  let index = -2;
  thresholds.forEach((threshold, i) => {
    if (100 * attended < threshold * possible) index = i;
  });
  if (index < 0) return null;
  return { index, band: `Below ${formatThreshold(thresholds[index], 0)}`, step: stepWording(index, thresholds) };
}

/** The policy whose wording the bands may use: Ludlow's Appendix A has one step per band. */
type BandPolicy = "ludlow" | "littledean";

/** The Ludlow policy's step for a band (Appendix A); for another policy, or past its four, a plain review step. */
export function stepWording(index: number, thresholds: number[], policy: BandPolicy = "ludlow"): string {
  const ludlow = policy === "ludlow" ? STEP_WORDING[index] : undefined;
  return ludlow ?? `Below ${formatThreshold(thresholds[index], 0)}: review with the attendance lead (each pupil's next step on the school's ladder is listed)`;
}

/** Short names of each band's step, for aggregate sentences in the governors' pack (Ludlow's only for a Ludlow school). */
export function stepSummary(index: number, policy: BandPolicy = "ludlow"): string {
  const ludlow = policy === "ludlow" ? STEP_SUMMARY[index] : undefined;
  return ludlow ?? "review by the attendance lead";
}

/** A band's range in words: "90% to under 96%", and "below 50%" for the lowest. */
export function bandRange(thresholds: number[], index: number): string {
  const upper = thresholds[index];
  const lower = thresholds[index + 1];
  return lower === undefined ? `Below ${formatThreshold(upper, 0)}` : `${formatThreshold(lower, 0)} to under ${formatThreshold(upper, 0)}`;
}

/**
 * The pupils with a possible session but fewer than PUPIL_JUDGED_MIN_SESSIONS (`pupils`), whom
 * ladderPosition leaves in no band, and how many of them are below the first threshold
 * (`below`, the same whole-session comparison): the packs say so beside the band table.
 */
export function notYetJudgedOnLadder(pupils: Array<Pick<PupilMeasures, "possible_sessions" | "present_sessions" | "aea_sessions">>, thresholds: number[]): { pupils: number; below: number } {
  const waiting = pupils.filter((p) => p.possible_sessions > 0 && !pupilJudged(p.possible_sessions));
  const below = thresholds.length ? waiting.filter((p) => 100 * (p.present_sessions + p.aea_sessions) < thresholds[0] * p.possible_sessions).length : 0;
  return { pupils: waiting.length, below };
}

/** Why such pupils are in no band, in words for a pack: "… from 40 possible sessions of their own (20 school days) …". */
export const NOT_YET_JUDGED_WHY = `a pupil is placed in a band only from ${PUPIL_JUDGED_MIN_SESSIONS} possible sessions of their own (${PA_MIN_SCHOOL_DAYS} school days), as on the Casework page and the pupil's own page; the headline persistent absence still counts every pupil with a session, as the DfE does`;
