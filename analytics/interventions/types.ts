/**
 * The closed list of intervention types (issue 12, "Interventions"): what a school records
 * having done about a pupil's attendance. Pure data, safe for browser code (the pupil page's
 * form) as well as the server.
 */
// One closed list, defined with the policy it belongs to (analytics/casework/interventions-list.ts).
export { interventionLabels, INTERVENTION_TYPES, LEGACY_LABEL_NUMBERS, isInterventionType, type InterventionLabelNumbers, type InterventionType } from "../casework/interventions-list.ts";

/** Roles that may record interventions (README's roles table: attendance lead, head, admin). */
export const INTERVENTION_ROLES = ["attendance_lead", "head", "admin"] as const;

export const MAX_NOTE_LENGTH = 2000;
