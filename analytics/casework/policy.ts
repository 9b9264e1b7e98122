/**
 * The school's attendance policy as data (issue 12, item 1): the thresholds of every
 * casework rule, the escalation ladder, the whole-school target and the N-code limit, with
 * the two policies in `seeds/` shipped as named presets.
 *
 * Storage: every number is one key of the `settings` table (analytics/settings.ts reads,
 * checks and saves them all or nothing, with who and when). The preset chosen decides the
 * ladder's steps; the numbers of the ladder (monitoring periods) are settings too. Pure
 * functions and data only: safe in browser code.
 */
import { fillLadder, LADDER_TEMPLATES, type LadderDefinition } from "../interventions/ladder-policies.ts";
import type { RuleDescription, RuleNumbers } from "./rules.ts";
import { SEVERE_ABSENCE_PCT } from "./rules.ts";
import { NOT_CHOSEN_WORDS } from "./policy-title.ts";
export { NOT_CHOSEN_WORDS, policyTitle } from "./policy-title.ts";

export const PRESET_IDS = ["ludlow", "littledean"] as const;
export type PresetId = (typeof PRESET_IDS)[number];

export function isPresetId(value: string): value is PresetId {
  return (PRESET_IDS as readonly string[]).includes(value);
}

/** The policy's numbers: every one a per-school setting. */
export interface PolicyNumbers extends RuleNumbers {
  /** Whole-school attendance target, percent. */
  target_attendance_pct: number;
  /** Ladder: school weeks of monitoring after the below-90 % letter before a meeting with targets is due. */
  monitoring_school_weeks: number;
  /** Ladder: school weeks after the meeting with targets before, without improvement, the final warning is due. */
  targets_school_weeks: number;
  /** Ladder: school weeks after the final warning before, without improvement, a penalty notice is sought. */
  final_warning_school_weeks: number;
  /**
   * Years every register entry is kept from the date it was made (both policies: three
   * years, as the Pupil Registration Regulations require). `rollcall retention` removes
   * nothing younger, so the setting may not go below 3.
   */
  retention_years: number;
}

export type PolicyNumberKey = keyof PolicyNumbers;

/** How each number is checked: inclusive range, whole number or not. */
export const POLICY_NUMBER_RULES: Record<PolicyNumberKey, { min: number; max: number; integer: boolean; label: string }> = {
  target_attendance_pct: { min: 50, max: 100, integer: false, label: "Whole-school attendance target (%)" },
  n_code_limit_school_days: { min: 1, max: 60, integer: true, label: "N codes resolved within (school days)" },
  letter_threshold_pct: { min: 1, max: 100, integer: false, label: "Letter home below (% attendance)" },
  monitoring_threshold_pct: { min: 1, max: 100, integer: false, label: "Monitoring letter below (% attendance)" },
  formal_meeting_threshold_pct: { min: 1, max: 100, integer: false, label: "Formal meeting below (% attendance)" },
  consecutive_absence_days: { min: 1, max: 60, integer: true, label: "Letter after more than (consecutive days absent)" },
  term_absence_days: { min: 1, max: 60, integer: true, label: "Letter after more than (days absent in a term)" },
  cme_unauthorised_days: { min: 1, max: 60, integer: true, label: "Children-missing-education enquiry at (consecutive days unauthorised)" },
  cme_no_return_days: { min: 1, max: 60, integer: true, label: "Not returned after authorised absence at (consecutive days unauthorised)" },
  health_absence_days: { min: 1, max: 60, integer: true, label: "Inform the local authority after more than (days of illness)" },
  penalty_sessions: { min: 1, max: 100, integer: true, label: "Penalty notice considered at (sessions of G, N, O, U)" },
  penalty_window_school_weeks: { min: 1, max: 39, integer: true, label: "…within (school weeks)" },
  monitoring_school_weeks: { min: 1, max: 20, integer: true, label: "Monitoring before a meeting with targets, and before its targets are judged (school weeks)" },
  targets_school_weeks: { min: 1, max: 20, integer: true, label: "Targets reviewed after (school weeks)" },
  final_warning_school_weeks: { min: 1, max: 20, integer: true, label: "Final warning reviewed after (school weeks)" },
  retention_years: { min: 3, max: 100, integer: true, label: "Keep register entries for (years)" },
};

export const POLICY_NUMBER_KEYS = Object.keys(POLICY_NUMBER_RULES) as PolicyNumberKey[];

/** Why a set of numbers cannot stand together, or null. The attendance bands must descend. */
export function policyNumbersProblem(numbers: Pick<PolicyNumbers, "letter_threshold_pct" | "monitoring_threshold_pct" | "formal_meeting_threshold_pct">): string | null {
  const { letter_threshold_pct: letter, monitoring_threshold_pct: monitoring, formal_meeting_threshold_pct: meeting } = numbers;
  if (!(letter > monitoring && monitoring > meeting)) {
    return `the attendance thresholds must descend: letter (${letter}%) above monitoring (${monitoring}%) above formal meeting (${meeting}%)`;
  }
  if (meeting <= SEVERE_ABSENCE_PCT) return `the formal-meeting threshold (${meeting}%) must be above severe absence (${SEVERE_ABSENCE_PCT}%)`;
  return null;
}

export interface Policy extends PolicyNumbers {
  preset: PresetId;
  /** The preset's name, e.g. "Ludlow Junior School". */
  preset_name: string;
  /**
   * Whether the school chose its policy (Settings, or `rollcall settings set policy_preset`):
   * false for a new school, which runs on the default preset's numbers without having chosen
   * it — every page, pack and the CLI then says so where it names the policy (policyTitle).
   */
  preset_chosen: boolean;
  /** Attendance bands of the escalation ladder, percent, highest first: letter, monitoring, formal meeting, severe. */
  attendance_thresholds: number[];
  /**
   * The escalation ladder of the preset, with the school's numbers filled into its triggers
   * and words (analytics/interventions/ladder-policies.ts): the one ladder Settings shows and
   * `ladderFor` works.
   */
  ladder: LadderDefinition;
}

export interface Preset {
  id: PresetId;
  name: string;
  /** One line on what the preset is. */
  summary: string;
  /**
   * The numbers the policy states. A number the policy does not state is absent: choosing
   * the preset keeps the school's current value for it (the page says so).
   */
  numbers: Partial<PolicyNumbers>;
  /** For each number, the policy's own words (or, where it is silent, the national rule used). */
  sources: Partial<Record<PolicyNumberKey, string>>;
}

const LUDLOW: Preset = {
  id: "ludlow",
  name: "Ludlow Junior School",
  summary: "Attendance and Absence Management Policy 2024–25: letters at 96% and 90%, a meeting with targets after two weeks' monitoring, a final warning, then a penalty notice.",
  numbers: {
    target_attendance_pct: 96.1,
    n_code_limit_school_days: 5,
    letter_threshold_pct: 96,
    monitoring_threshold_pct: 90,
    formal_meeting_threshold_pct: 85,
    consecutive_absence_days: 3,
    term_absence_days: 10,
    cme_unauthorised_days: 20,
    cme_no_return_days: 10,
    health_absence_days: 15,
    penalty_sessions: 10,
    penalty_window_school_weeks: 10,
    monitoring_school_weeks: 2,
    targets_school_weeks: 4,
    final_warning_school_weeks: 4,
    retention_years: 3,
  },
  sources: {
    target_attendance_pct: "§17: “The school's attendance target is 96.1 percent”",
    n_code_limit_school_days: "Appendix A, 4: “Any N codes not established after a week are recorded as an unauthorised absence” (a week: 5 school days)",
    letter_threshold_pct: "Appendix A, 6: “If a pupil's attendance falls below 96 percent, a letter is sent home”",
    monitoring_threshold_pct: "Appendix A, 7: “If a pupil's attendance falls below 90 percent, a letter is sent home explaining that the pupil's attendance is now being monitored”",
    formal_meeting_threshold_pct: "§4: “If a pupil's attendance drops towards 90% and/or heads below 85% … a formal meeting will be arranged”",
    consecutive_absence_days: "§4: “absent for more than three school days in a row”",
    term_absence_days: "§4: “or more than 10 school days in one term”",
    cme_unauthorised_days: "§4: “absent from school without authorisation for 20 consecutive school days”",
    cme_no_return_days: "§4: “has not returned to school for 10 days after an authorised absence”",
    health_absence_days: "§7: “Inform the LA if a pupil is likely to be away from the school for more than 15 school days”",
    penalty_sessions: "§14: penalty notices “in line with the LA's code of conduct” — the national framework's 10 sessions of unauthorised absence",
    penalty_window_school_weeks: "National framework: within a rolling period of 10 school weeks",
    monitoring_school_weeks: "Appendix A, 8–9: “The pupil's attendance is monitored for two weeks” before the meeting, and “After the two-week monitoring period” its targets are judged",
    targets_school_weeks: "Appendix A, 10: with the parental contract, “A four-week monitoring period is established”",
    final_warning_school_weeks: "Appendix A, 10: “if there is no improvement after an additional four weeks, a fixed-penalty notice is sought”",
    retention_years: "§5: “Every entry received into the attendance register will be preserved for … three years”",
  },
};

const LITTLEDEAN: Preset = {
  id: "littledean",
  name: "Littledean C of E Primary School",
  summary: "Attendance Policy (reviewed September 2024): meetings with the parents of persistently absent children, formalised support, and a penalty notice at 10 unauthorised sessions within ten weeks.",
  numbers: {
    n_code_limit_school_days: 5,
    cme_unauthorised_days: 20,
    cme_no_return_days: 10,
    health_absence_days: 15,
    penalty_sessions: 10,
    penalty_window_school_weeks: 10,
    retention_years: 3,
  },
  sources: {
    target_attendance_pct: "Not stated: the policy compares with the national average “to support with attendance target setting” — the school's own target is kept",
    n_code_limit_school_days: "Unexplained absence: the code is input “no later than 5 working days after the session”",
    penalty_sessions: "Legal sanctions: “10 sessions of unauthorised absence = 5 school days within a ten week period”",
    penalty_window_school_weeks: "Legal sanctions: “within a ten week period”",
    letter_threshold_pct: "Not stated in the policy: the school's current value is kept",
    monitoring_threshold_pct: "Not stated as a letter threshold (the policy's persistent-absence line is 90%): the school's current value is kept",
    formal_meeting_threshold_pct: "Not stated in the policy: the school's current value is kept",
    consecutive_absence_days: "Not stated in the policy: the school's current value is kept",
    term_absence_days: "Not stated in the policy: the school's current value is kept",
    cme_unauthorised_days: "The policy defers to its Children Missing Education Policy: the Pupil Registration Regulations' 20 consecutive school days",
    cme_no_return_days: "The policy defers to its Children Missing Education Policy: the Pupil Registration Regulations' 10 school days after leave",
    health_absence_days: "Not stated in the policy: the DfE's health-needs guidance (more than 15 school days)",
    monitoring_school_weeks: "Not used by this policy's ladder",
    targets_school_weeks: "Not stated (the policy's flowchart is not in its text): the school's current value is kept, used before support is formalised",
    final_warning_school_weeks: "Not used by this policy's ladder",
    retention_years: "School processes for recording attendance and absence: “We will keep every entry on the attendance register for 3 years after the date on which the entry was made”",
  },
};

export const PRESETS: Record<PresetId, Preset> = { ludlow: LUDLOW, littledean: LITTLEDEAN };

/** The default policy: Ludlow's numbers (the defaults are Ludlow's). */
export const DEFAULT_PRESET: PresetId = "ludlow";
export const DEFAULT_POLICY_NUMBERS: PolicyNumbers = { ...(LUDLOW.numbers as PolicyNumbers) };

/** Each preset's ladder at the default numbers (Littledean's with the numbers its policy states). */
export const LUDLOW_LADDER: LadderDefinition = fillLadder(LADDER_TEMPLATES.ludlow, DEFAULT_POLICY_NUMBERS);
export const LITTLEDEAN_LADDER: LadderDefinition = fillLadder(LADDER_TEMPLATES.littledean, { ...DEFAULT_POLICY_NUMBERS, ...LITTLEDEAN.numbers });

/**
 * The policy object from the stored preset and numbers. `chosen`: false while the school has
 * not chosen a policy (no preset stored: the default's numbers stand in).
 */
export function buildPolicy(preset: PresetId, numbers: PolicyNumbers, chosen = true): Policy {
  const named = PRESETS[preset];
  return {
    ...numbers,
    preset,
    preset_name: named.name,
    preset_chosen: chosen,
    attendance_thresholds: [numbers.letter_threshold_pct, numbers.monitoring_threshold_pct, numbers.formal_meeting_threshold_pct, SEVERE_ABSENCE_PCT],
    ladder: fillLadder(LADDER_TEMPLATES[preset], numbers),
  };
}

/**
 * Where a casework rule comes from for this school: for a national definition, the DfE's;
 * else, for each policy number the rule reads, the school's own policy (the preset it chose
 * in Settings) when that policy states the number and the school keeps it — "Ludlow Junior
 * School policy: Appendix A, 6: “…”" — or the school's own setting when it changed the
 * number or its policy does not state one. Never another school's policy.
 */
export function ruleSource(rule: Pick<RuleDescription, "basis">, policy: Pick<Policy, "preset" | "preset_chosen"> & PolicyNumbers): string {
  if ("national" in rule.basis) return rule.basis.national;
  const preset = PRESETS[policy.preset];
  let cited = false;
  const parts = rule.basis.numbers.map((key) => {
    const stated = preset.numbers[key];
    const words = preset.sources[key];
    if (stated !== undefined && stated === policy[key] && words) {
      // The preset's words name "the policy"; a national rule it relies on is cited as such.
      if (/^National framework/.test(words)) return words;
      cited = true;
      if (/^Not stated/.test(words)) return words.replace("the policy", `the ${preset.name} policy`);
      return `${preset.name} policy: ${words}`;
    }
    cited = true;
    const setting = `the school's setting "${POLICY_NUMBER_RULES[key].label}": ${policy[key]}`;
    return stated === undefined ? `${setting} (not stated in the ${preset.name} policy)` : `${setting} (the ${preset.name} policy states ${stated})`;
  });
  // A school that has not chosen a policy is told once that the one cited is only the default (policyTitle).
  const text = [...new Set(parts)].join("; ") + (cited && !policy.preset_chosen ? ` (${preset.name}'s policy: ${NOT_CHOSEN_WORDS})` : "");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The numbers after choosing a preset: the policy's own where it states them, else the current ones. */
export function applyPreset(preset: PresetId, current: PolicyNumbers): PolicyNumbers {
  return { ...current, ...PRESETS[preset].numbers };
}
