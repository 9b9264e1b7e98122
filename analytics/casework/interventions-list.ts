/**
 * The closed list of intervention types a school records (issue 12, item 4), with the
 * words shown to staff. The ladder (policy.ts) names its steps by these ids, so a recorded
 * intervention of the step's type marks the step as done. Pure data: safe in browser code.
 */
export const INTERVENTION_TYPES = [
  "conversation",
  "letter_below_96",
  "letter_below_90",
  "phone_call",
  "home_visit",
  "meeting_with_targets",
  "parenting_contract",
  "education_welfare_referral",
  "early_help",
  "final_warning",
  "penalty_notice_requested",
  "other",
] as const;

export type InterventionType = (typeof INTERVENTION_TYPES)[number];

export const INTERVENTION_LABELS: Record<InterventionType, string> = {
  conversation: "Conversation",
  letter_below_96: "Letter: attendance below 96 %",
  letter_below_90: "Letter: attendance below 90 %",
  phone_call: "Phone call",
  home_visit: "Home visit",
  meeting_with_targets: "Meeting with targets",
  parenting_contract: "Parenting contract",
  education_welfare_referral: "Education welfare referral",
  early_help: "Early help",
  final_warning: "Final warning",
  penalty_notice_requested: "Penalty notice requested",
  other: "Other",
};

export function isInterventionType(value: string): value is InterventionType {
  return (INTERVENTION_TYPES as readonly string[]).includes(value);
}
