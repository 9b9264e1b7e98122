/**
 * The closed list of intervention types (issue 12, "Interventions"): what a school records
 * having done about a pupil's attendance. Pure data, safe for browser code (the pupil page's
 * form) as well as the server.
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
  letter_below_96: "Letter: below 96%",
  letter_below_90: "Letter: below 90% (monitoring)",
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

/** Roles that may record interventions (DESIGN.md §4: attendance lead, head, admin). */
export const INTERVENTION_ROLES = ["attendance_lead", "head", "admin"] as const;

export const MAX_NOTE_LENGTH = 2000;
