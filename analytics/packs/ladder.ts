/**
 * The escalation ladder of the attendance policy (Ludlow Appendix A), keyed to the school's
 * thresholds setting (attendance_thresholds, highest first, default 96, 90, 85, 50). The
 * steps' wording is the policy's; a school with more thresholds gets a plain "below X %" step.
 */
import type { PupilMeasures } from "../measures.ts";

/** What the policy asks for at each threshold, in threshold order (highest first). */
const STEP_WORDING = [
  "Letter home raising concern, with the attendance leaflet",
  "Monitoring letter and contact from the attendance lead; two weeks' monitoring, then a meeting with targets",
  "Formal meeting with parents (attendance heading below 85%)",
  "Severe absence: education welfare protocol and safeguarding review with the local authority",
];

/** At exactly the top threshold the policy asks only for a conversation (Appendix A, step 5). */
const AT_TOP_THRESHOLD = "Conversation with the pupil; a call home if needed";

export interface LadderPosition {
  /** Index into the thresholds; -1 when the pupil sits exactly on the top threshold. */
  index: number;
  band: string;
  step: string;
}

/**
 * Where a pupil's attendance puts them on the ladder, or null when above every threshold
 * (or with no possible sessions). Compared in whole sessions, so 96.0 % exactly is "at 96 %".
 */
export function ladderPosition(pupil: Pick<PupilMeasures, "possible_sessions" | "present_sessions" | "aea_sessions">, thresholds: number[]): LadderPosition | null {
  const possible = pupil.possible_sessions;
  if (possible === 0 || thresholds.length === 0) return null;
  const attended = pupil.present_sessions + pupil.aea_sessions;
  let index = -2;
  thresholds.forEach((threshold, i) => {
    if (100 * attended < threshold * possible) index = i;
  });
  if (index >= 0) {
    return { index, band: `Below ${thresholds[index]}%`, step: STEP_WORDING[index] ?? `Below ${thresholds[index]}%: review with the attendance lead` };
  }
  if (100 * attended === thresholds[0] * possible) return { index: -1, band: `At ${thresholds[0]}%`, step: AT_TOP_THRESHOLD };
  return null;
}

/** Short names of each band's step, for aggregate sentences in the governors' pack. */
export function stepSummary(index: number): string {
  return ["a letter home", "monitoring and a meeting with targets", "a formal meeting with parents", "the education welfare protocol"][index] ?? "review by the attendance lead";
}

/** A band's range in words: "90% to under 96%", and "below 50%" for the lowest. */
export function bandRange(thresholds: number[], index: number): string {
  const upper = thresholds[index];
  const lower = thresholds[index + 1];
  return lower === undefined ? `Below ${upper}%` : `${lower}% to under ${upper}%`;
}
