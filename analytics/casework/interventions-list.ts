/**
 * The closed list of intervention types a school records (issue 12, item 4), with the
 * words shown to staff. The ladder (policy.ts) names its steps by these ids, so a recorded
 * intervention of the step's type marks the step as done. Pure data: safe in browser code.
 */
import { fillNumberSlots } from "../thresholds.ts";

export const INTERVENTION_TYPES = [
  "conversation",
  "letter_below_96",
  "letter_below_90",
  "letter_improved",
  "phone_call",
  "home_visit",
  "meeting_with_targets",
  "formal_meeting",
  "parenting_contract",
  "education_welfare_referral",
  "early_help",
  "final_warning",
  "penalty_notice_requested",
  "other",
] as const;

export type InterventionType = (typeof INTERVENTION_TYPES)[number];

/**
 * The words for each type, two with the school's own letter thresholds in them (Settings:
 * "Letter home below" and "Monitoring letter below"). An entry keeps the words it was
 * recorded under (analytics/interventions/store.ts), so a threshold changed later names the
 * letters sent from then on and leaves those already sent as they were; the ids keep the
 * numbers of the closed list only as names.
 */
const LABEL_WORDS: Record<InterventionType, string> = {
  conversation: "Conversation",
  letter_below_96: "Letter: attendance below {letter_threshold_pct}%",
  letter_below_90: "Letter: attendance below {monitoring_threshold_pct}%",
  letter_improved: "Letter from the SLT: attendance improved",
  phone_call: "Phone call",
  home_visit: "Home visit",
  meeting_with_targets: "Meeting with targets",
  // A policy's formal meeting beside its ladder (Ludlow §4, below 85 %): its own type, so it
  // answers that rule without being the ladder's meeting with targets, whose monitoring period
  // it would otherwise restart (trial 31b).
  formal_meeting: "Formal meeting with parents",
  parenting_contract: "Parenting contract",
  education_welfare_referral: "Education welfare referral",
  early_help: "Early help",
  final_warning: "Final warning",
  // The policies' word (Ludlow Appendix A 10: "a fixed-penalty notice is sought"), as the ladder's step says.
  penalty_notice_requested: "Penalty notice sought",
  other: "Other",
};

/**
 * The numbers in the words of entries recorded before each entry's words were stored with it:
 * until then every school read the closed list's own, "below 96%" and "below 90%".
 */
export const LEGACY_LABEL_NUMBERS: InterventionLabelNumbers = { letter_threshold_pct: 96, monitoring_threshold_pct: 90 };

/** The policy numbers the types' words name (percent 0–100, from Settings). */
export interface InterventionLabelNumbers {
  letter_threshold_pct: number;
  monitoring_threshold_pct: number;
}

/**
 * Each type's words with the school's thresholds filled in, e.g. at Littledean's or any
 * school's own numbers "Letter: attendance below 95.5%". Shape: type id → words. Throws
 * when a threshold is not a finite number (a settings row that failed its own checks).
 */
export function interventionLabels(numbers: InterventionLabelNumbers): Record<InterventionType, string> {
  const labels = {} as Record<InterventionType, string>;
  for (const type of INTERVENTION_TYPES) {
    // The ladder's way of filling its words (fillNumberSlots): "96%", "95.5%", as typed.
    labels[type] = fillNumberSlots(LABEL_WORDS[type], (key) => {
      const value = (numbers as unknown as Record<string, unknown>)[key];
      if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`the intervention types' words need the policy number "${key}"`);
      return value;
    });
  }
  return labels;
}

export function isInterventionType(value: string): value is InterventionType {
  return (INTERVENTION_TYPES as readonly string[]).includes(value);
}
