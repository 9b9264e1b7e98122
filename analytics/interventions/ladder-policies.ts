/**
 * The escalation ladders of the two schools' policies, as data. Pure, safe for browser code.
 *
 * Each step names the intervention type(s) that record it as done, and what makes it due:
 * - `attendance`: year-to-date attendance below `pct` (or at or below, `inclusive`);
 * - `after`: the previous step of the ladder was recorded and, a monitoring period of `schoolWeeks`
 *   school weeks (5 school days each, counted in the school calendar) later, attendance has
 *   not improved — optionally only while attendance is still below `whileBelow`;
 * - `penalty_threshold`: the rolling penalty-notice check (sessions of G N O U in the latest
 *   school weeks, the window spanning terms) is met.
 * A due step is *late* once `graceSchoolDays` school days have passed since it fell due
 * and it has not been recorded. "Improved" over a monitoring period means the pupil's
 * attendance across the period's school days was above their year-to-date attendance on
 * the day the previous step was recorded (so their year to date rose).
 */
import type { InterventionType } from "./types.ts";

export type EscalationTrigger =
  | { kind: "attendance"; pct: number; inclusive?: boolean }
  | { kind: "after"; schoolWeeks: number; whileBelow?: { pct: number; inclusive?: boolean } }
  | { kind: "penalty_threshold" };

export interface EscalationStep {
  /** The intervention type recorded for this step (the first of `types`). */
  types: [InterventionType, ...InterventionType[]];
  label: string;
  trigger: EscalationTrigger;
}

export interface LadderDefinition {
  id: "ludlow" | "littledean";
  name: string;
  /** Where the rule comes from, printed on the page. */
  source: string;
  steps: EscalationStep[];
  /** School days after a step falls due before it counts as late (Rollcall's default: a week). */
  graceSchoolDays: number;
  /** What the policy says follows once the ladder's last step is recorded (shown as the next action then). */
  afterLast: string;
  /** What the policy says once attendance improved over a monitoring period (no step due). */
  whenImproved: string;
}

/**
 * Ludlow Junior School, Appendix A (steps 6–10) and section 15: below 96 % a letter; below
 * 90 % a monitoring letter; two weeks' monitoring without improvement, a meeting with
 * targets; targets not met after four weeks, a final warning; no improvement after four
 * more weeks, a penalty notice sought. (The conversation "at 96 %" is optional — "may
 * speak" — and is recorded but not chased.)
 */
export const LUDLOW_LADDER: LadderDefinition = {
  id: "ludlow",
  name: "Ludlow Junior School",
  source: "Ludlow attendance policy, Appendix A steps 6–10 and section 15",
  graceSchoolDays: 5,
  afterLast:
    "Last step of the ladder reached: if attendance still does not improve after the penalty notice, work with the local authority towards an education supervision order or, as a last resort, attendance prosecution (§14)",
  whenImproved:
    "Attendance improved: letter from the SLT congratulating the pupil and parents; monitoring and contact with the parents continue until attendance stabilises to 96% (Appendix A, 9)",
  steps: [
    { types: ["letter_below_96"], label: "Letter: attendance below 96%", trigger: { kind: "attendance", pct: 96 } },
    { types: ["letter_below_90"], label: "Monitoring letter and contact: below 90%", trigger: { kind: "attendance", pct: 90 } },
    {
      types: ["meeting_with_targets"],
      label: "Meeting with targets",
      trigger: { kind: "after", schoolWeeks: 2, whileBelow: { pct: 90 } },
    },
    {
      types: ["final_warning"],
      label: "Final warning (targets not met)",
      trigger: { kind: "after", schoolWeeks: 4 },
    },
    {
      types: ["penalty_notice_requested"],
      label: "Penalty notice sought",
      trigger: { kind: "after", schoolWeeks: 4 },
    },
  ],
};

/**
 * Littledean C of E Primary: regular meetings with the parents of persistently absent
 * pupils (missing 10 % or more); support formalised (parenting contract, early help,
 * education welfare) when meetings have not helped — four weeks is Rollcall's default, the
 * flowchart being an image; and a penalty notice requested on its criteria: 10 sessions of
 * unauthorised absence within ten school weeks.
 */
export const LITTLEDEAN_LADDER: LadderDefinition = {
  id: "littledean",
  name: "Littledean C of E Primary School",
  source: "Littledean attendance policy: reducing persistent and severe absence; criteria for a fixed penalty notice",
  graceSchoolDays: 5,
  afterLast:
    "Last step of the ladder reached: with Gloucestershire County Council, an Education Supervision Order or consideration of attendance prosecution in the Magistrate's Court (reducing persistent and severe absence; legal sanctions)",
  whenImproved: "Attendance improved: regular meetings with the parents continue while the child is persistently or severely absent (reducing persistent and severe absence)",
  steps: [
    { types: ["meeting_with_targets"], label: "Meeting with parents (persistent absence)", trigger: { kind: "attendance", pct: 90, inclusive: true } },
    {
      types: ["parenting_contract", "early_help", "education_welfare_referral"],
      label: "Formal support: parenting contract, early help or education welfare",
      trigger: { kind: "after", schoolWeeks: 4, whileBelow: { pct: 90, inclusive: true } },
    },
    { types: ["penalty_notice_requested"], label: "Penalty notice requested (10 unauthorised sessions in 10 school weeks)", trigger: { kind: "penalty_threshold" } },
  ],
};

export const LADDERS = { ludlow: LUDLOW_LADDER, littledean: LITTLEDEAN_LADDER } as const;
