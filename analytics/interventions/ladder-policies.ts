/**
 * The escalation ladders of the two schools' policies, as data: the one definition of each
 * ladder, shown on Settings and worked by `ladderFor` (ladder.ts) on the pupil page, the
 * casework lists and the packs. Pure, safe for browser code.
 *
 * Each ladder is a template: every number in it — a trigger's threshold or monitoring period,
 * and the same number in the step's words — is a named slot filled from the school's policy
 * numbers (Settings, analytics/casework/policy.ts) by `fillLadder`, never a number written
 * into the words and rewritten afterwards. In words a slot is `{key}`, a key of PolicyNumbers
 * (`{letter_threshold_pct}%`); in a trigger it is `{ setting: key }`, or a plain number for a
 * national definition that no school setting moves (persistent absence at 10 %).
 *
 * Each step names the intervention type(s) that record it as done, and what makes it due:
 * - `attendance`: year-to-date attendance below `pct` (or at or below, `inclusive`), judged
 *   only from 40 possible sessions of the pupil's own this year (analytics/judged-span.ts);
 * - `after`: the previous step of the ladder was recorded and, a monitoring period of `schoolWeeks`
 *   school weeks (5 school days each, counted in the school calendar) later, attendance has
 *   not improved — optionally only while attendance is still below `whileBelow`;
 * - `penalty_threshold`: the rolling penalty-notice check (sessions of G N O U in the latest
 *   school weeks, the window spanning terms) is met.
 * A due step is *late* once `graceSchoolDays` school days have passed since it fell due
 * and it has not been recorded. "Improved" over a monitoring period means both: the pupil's
 * attendance across the period's school days was above their year-to-date attendance on
 * the day the previous step was recorded (so their year to date rose), and it was not under
 * the ladder's `improvedLine` (`improvedOver`). A rise that leaves the pupil attending at the
 * rate that put them on the ladder — 47 of 120 sessions rising to 5 of 10 — is no
 * improvement: Ludlow's Appendix A 7–10 monitors a pupil *because* attendance fell below
 * 90 %, congratulates only "if targets are met" (9) and escalates "if there are no
 * improvements" (10); Littledean's meetings go on, and support is formalised, "while
 * persistently or severely absent" (90 % or below). So every step judged on a monitoring
 * period (Ludlow's meeting, final warning and penalty notice; Littledean's formal support)
 * falls due, with a due date that can become late, unless the period's attendance reached
 * the line.
 */
import { policyTitle } from "../casework/policy-title.ts";
import type { PolicyNumberKey, PolicyNumbers, PresetId } from "../casework/policy.ts";
import { PERSISTENT_ABSENCE_PCT } from "../casework/rules.ts";
import { PA_MIN_SCHOOL_DAYS, PUPIL_JUDGED_MIN_SESSIONS } from "../judged-span.ts";
import { INTERVENTION_TYPES, interventionLabels, type InterventionType } from "./types.ts";
import { fillNumberSlots, numberInWords as printed } from "../thresholds.ts";

export type EscalationTrigger =
  | { kind: "attendance"; pct: number; inclusive?: boolean }
  | { kind: "after"; schoolWeeks: number; whileBelow?: { pct: number; inclusive?: boolean } }
  | { kind: "penalty_threshold" };

export interface EscalationStep {
  /** Stable id, unique within the ladder. */
  id: string;
  /** The intervention type recorded for this step (the first of `types`). */
  types: [InterventionType, ...InterventionType[]];
  label: string;
  trigger: EscalationTrigger;
  /** Where in the policy the step comes from. */
  source: string;
  /**
   * Set (to where the policy says so) on a step the policy gives as the measures taken before a
   * penalty notice is sought: recorded after the penalty-notice threshold was met, it is the
   * school's answer to it, and the ladder's own route (its next steps) leads to the notice, so
   * "Consider a penalty notice" is not also given as due from before it (ladder.ts ladderFor).
   */
  answersPenaltyThreshold?: string;
  /**
   * The stage's words when the step was recorded by another of its `types` than the first, where
   * the label with the type's words in brackets would read clumsily ("Parenting contract and
   * education welfare protocol (targets not met) (Education welfare referral)": trial 31).
   */
  recordedAs?: Partial<Record<InterventionType, string>>;
}

export interface LadderDefinition {
  id: PresetId;
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
  /**
   * The same once the policy's action after an improvement (`improvedAction`) is recorded: the
   * letter's words no longer stand as the next step of a pupil whose letter has gone.
   */
  whenImprovedActionDone?: string;
  /**
   * What the policy has done once a monitoring period ended with attendance improved, when it
   * names an action (Ludlow Appendix A 9: a letter from the SLT congratulating the pupil and
   * parents "after the two-week monitoring period"): recorded by `type`, due from the end of that
   * period and late after the ladder's grace, as every step. Absent when the policy names none
   * (Littledean: meetings simply go on).
   */
  improvedAction?: { type: InterventionType; label: string; source: string };
  /**
   * The line a monitoring period's attendance must reach to count as improved (`improvedOver`):
   * under `pct` (or at or under it, `inclusive`) is not improved, however much it rose.
   */
  improvedLine: { pct: number; inclusive?: boolean };
  /** Every intervention type's words with the school's thresholds (interventionLabels). */
  typeLabels: Record<InterventionType, string>;
  /**
   * A meeting the policy arranges whenever year-to-date attendance is below `pct`, whatever the
   * ladder's monitoring periods say (Ludlow §4: "heads below 85% … a formal meeting will be
   * arranged with the pupil's parent"): due from the first day of the pupil's current run below
   * it (judged from 40 possible sessions, as an attendance step), done by an entry of one of
   * `types` dated on or after that day; the first is its own, which no step of the ladder names,
   * so recording it never climbs or restarts the ladder. Absent when the policy has no such rule.
   */
  formalMeeting?: FormalMeeting;
}

/** LadderDefinition.formalMeeting: `pct` percent 0–100, below it (not at it) the meeting is due. */
export interface FormalMeeting {
  pct: number;
  types: [InterventionType, ...InterventionType[]];
  label: string;
  source: string;
}

/** A number in a template: the school's setting of that name, or a fixed (national) number. */
export type TemplateNumber = number | { setting: PolicyNumberKey };

export type TriggerTemplate =
  | { kind: "attendance"; pct: TemplateNumber; inclusive?: boolean }
  | { kind: "after"; schoolWeeks: TemplateNumber; whileBelow?: { pct: TemplateNumber; inclusive?: boolean } }
  | { kind: "penalty_threshold" };

/** A step, its words with `{key}` slots. */
export interface StepTemplate extends Omit<EscalationStep, "trigger"> {
  trigger: TriggerTemplate;
}

/** A ladder before the school's numbers are filled in: `{key}` slots in its words. */
export interface LadderTemplate extends Omit<LadderDefinition, "steps" | "typeLabels" | "improvedLine" | "formalMeeting"> {
  steps: StepTemplate[];
  improvedLine: { pct: TemplateNumber; inclusive?: boolean };
  formalMeeting?: Omit<FormalMeeting, "pct"> & { pct: TemplateNumber };
}

const setting = (key: PolicyNumberKey) => ({ setting: key });

/**
 * Ludlow Junior School, Appendix A (steps 6–10) and §14 (legal intervention; the policy's contents list numbers it 15): below 96 % a letter; below
 * 90 % a monitoring letter; two weeks' monitoring without improvement, a meeting with
 * targets; targets not met after the two-week monitoring period, a parenting contract (and
 * the education welfare protocol); no improvement over its four-week monitoring period, a
 * final warning; no improvement after four more weeks, a penalty notice sought. (The conversation "at 96 %" is optional — "may
 * speak" — and is recorded but not chased.) Each of those numbers is a setting.
 */
export const LUDLOW_TEMPLATE: LadderTemplate = {
  id: "ludlow",
  name: "Ludlow Junior School",
  source: "Ludlow attendance policy, Appendix A steps 6–10 and §14",
  graceSchoolDays: 5,
  afterLast:
    "Last step of the ladder reached: if attendance still does not improve after the penalty notice, work with the local authority towards an education supervision order or, as a last resort, attendance prosecution (§14)",
  whenImproved:
    "Attendance has improved: a letter from the SLT congratulating the pupil and parents; monitoring and contact with the parents continue until attendance stabilises to {letter_threshold_pct}% (Appendix A, 9)",
  whenImprovedActionDone:
    "Attendance has improved and the SLT's letter is recorded: continue monitoring and contact with the parents until attendance stabilises to {letter_threshold_pct}% (Appendix A, 9)",
  // Appendix A 7: below 90 % a pupil "is now being monitored"; a period still below it is not
  // the improvement of 8–10 (targets met), however much the year to date rose.
  improvedLine: { pct: setting("monitoring_threshold_pct") },
  improvedAction: { type: "letter_improved", label: "Letter from the SLT congratulating the pupil and parents on improving attendance", source: "Appendix A, 9" },
  // §4 arranges a formal meeting with the parent below 85 % as such, not after a monitoring
  // period: a trial found pupils at 75 % and 41 % with no meeting ever due, the first shown
  // "attendance improved" (a period that rose) and the second a meeting only "if no improvement".
  // It has its own type, recorded without moving the ladder: recorded as a meeting with targets
  // it restarted that step's monitoring period for a pupil already at it (trial 31b). A meeting
  // with targets is a meeting with the parent too, so one held after the fall answers §4 as well.
  formalMeeting: {
    pct: setting("formal_meeting_threshold_pct"),
    types: ["formal_meeting", "meeting_with_targets"],
    label: "Formal meeting with parents: attendance below {formal_meeting_threshold_pct}%",
    source: "§4",
  },
  steps: [
    {
      id: "letter_below_96",
      types: ["letter_below_96"],
      label: "Letter: attendance below {letter_threshold_pct}%",
      trigger: { kind: "attendance", pct: setting("letter_threshold_pct") },
      source: "Appendix A, 6",
    },
    {
      id: "letter_below_90",
      types: ["letter_below_90"],
      label: "Monitoring letter and contact: below {monitoring_threshold_pct}%",
      trigger: { kind: "attendance", pct: setting("monitoring_threshold_pct") },
      source: "Appendix A, 7",
    },
    {
      id: "meeting_with_targets",
      types: ["meeting_with_targets"],
      label: "Meeting with targets",
      trigger: { kind: "after", schoolWeeks: setting("monitoring_school_weeks"), whileBelow: { pct: setting("monitoring_threshold_pct") } },
      source: "Appendix A, 8",
    },
    {
      // Appendix A 9–10: targets are judged "after the two-week monitoring period"; if they are
      // not met, "education welfare protocol is followed, and a parental contract is drawn up".
      // Either entry records the step (a fresh-clone trial found the ladder going straight
      // from the meeting to the final warning, so the contract was never shown as due).
      id: "parenting_contract",
      types: ["parenting_contract", "education_welfare_referral"],
      label: "Parenting contract and education welfare protocol (targets not met)",
      trigger: { kind: "after", schoolWeeks: setting("monitoring_school_weeks") },
      source: "Appendix A, 9–10",
      recordedAs: { education_welfare_referral: "Targets not met: education welfare referral" },
      // §14: a parenting contract is among the measures after which, "where the above measures
      // are not effective, the headteacher will recommend issuing a fixed penalty notice";
      // Appendix A 10: the contract's monitoring period, then a final warning, then the notice.
      answersPenaltyThreshold: "§14 (legal intervention); Appendix A, 10",
    },
    {
      id: "final_warning",
      types: ["final_warning"],
      label: "Final warning (no improvement over the contract's monitoring period)",
      trigger: { kind: "after", schoolWeeks: setting("targets_school_weeks") },
      source: "Appendix A, 10",
      answersPenaltyThreshold: "Appendix A, 10: a fixed-penalty notice is sought if there is no improvement after an additional four weeks",
    },
    {
      id: "penalty_notice",
      types: ["penalty_notice_requested"],
      label: "Penalty notice sought",
      trigger: { kind: "after", schoolWeeks: setting("final_warning_school_weeks") },
      source: "Appendix A, 10; §14",
    },
  ],
};

/**
 * Littledean C of E Primary: regular meetings with the parents of persistently absent
 * pupils (missing 10 % or more: the national definition, not a setting); support
 * formalised (parenting contract, early help, education welfare) when meetings have not
 * helped — after the school's targets period (four weeks by default, the flowchart being an
 * image); and a penalty notice requested on its criteria: the school's penalty-notice
 * sessions within its window of school weeks (10 and 10 in the policy).
 */
export const LITTLEDEAN_TEMPLATE: LadderTemplate = {
  id: "littledean",
  name: "Littledean C of E Primary School",
  source: "Littledean attendance policy: reducing persistent and severe absence; criteria for a fixed penalty notice",
  graceSchoolDays: 5,
  afterLast:
    "Last step of the ladder reached: with Gloucestershire County Council, an Education Supervision Order or consideration of attendance prosecution in the Magistrate's Court (reducing persistent and severe absence; legal sanctions)",
  whenImproved: "Attendance has improved: continue regular meetings with the parents while the child is persistently or severely absent (reducing persistent and severe absence)",
  // A period at the persistently absent rate (missing 10 % or more: 90 % or below) is not an
  // improvement that makes formal support unnecessary.
  improvedLine: { pct: 100 - PERSISTENT_ABSENCE_PCT, inclusive: true },
  steps: [
    {
      id: "meeting_with_parents",
      types: ["meeting_with_targets"],
      label: "Meeting with parents (persistent absence)",
      trigger: { kind: "attendance", pct: 100 - PERSISTENT_ABSENCE_PCT, inclusive: true },
      source: "Reducing persistent and severe absence: “Hold regular meetings with parents/carers”",
    },
    {
      id: "formalise_support",
      types: ["parenting_contract", "early_help", "education_welfare_referral"],
      label: "Formal support: parenting contract, early help or education welfare",
      trigger: { kind: "after", schoolWeeks: setting("targets_school_weeks"), whileBelow: { pct: 100 - PERSISTENT_ABSENCE_PCT, inclusive: true } },
      recordedAs: { early_help: "Formal support: early help", education_welfare_referral: "Formal support: education welfare referral" },
      source: "“Formalise support or use legal sanctions … a parenting contract, engagement with social care or early help”",
      answersPenaltyThreshold: "Reducing persistent and severe absence: formalise support or use legal sanctions",
    },
    {
      id: "penalty_notice",
      types: ["penalty_notice_requested"],
      label: "Penalty notice sought ({penalty_sessions} unauthorised sessions in {penalty_window_school_weeks} school weeks)",
      trigger: { kind: "penalty_threshold" },
      source: "Legal sanctions: criteria for the issuing of a fixed penalty notice",
    },
  ],
};

export const LADDER_TEMPLATES: Record<PresetId, LadderTemplate> = { ludlow: LUDLOW_TEMPLATE, littledean: LITTLEDEAN_TEMPLATE };

function numberOf(value: TemplateNumber, numbers: PolicyNumbers): number {
  if (typeof value === "number") return value;
  const n = numbers[value.setting];
  if (typeof n !== "number" || !Number.isFinite(n)) throw new Error(`the ladder needs the policy number "${value.setting}"`);
  return n;
}

/** Words with each `{key}` slot replaced by that policy number. Throws on a slot that is not a policy number. */
export function fillWords(words: string, numbers: PolicyNumbers): string {
  return fillNumberSlots(words, (key) => {
    if (!Object.prototype.hasOwnProperty.call(numbers, key)) throw new Error(`the ladder's words name "{${key}}", which is not a policy number`);
    return numberOf({ setting: key as PolicyNumberKey }, numbers);
  });
}

function fillTrigger(trigger: TriggerTemplate, numbers: PolicyNumbers): EscalationTrigger {
  if (trigger.kind === "attendance") return { ...trigger, pct: numberOf(trigger.pct, numbers) };
  if (trigger.kind === "penalty_threshold") return trigger;
  return {
    kind: "after",
    schoolWeeks: numberOf(trigger.schoolWeeks, numbers),
    ...(trigger.whileBelow ? { whileBelow: { ...trigger.whileBelow, pct: numberOf(trigger.whileBelow.pct, numbers) } } : {}),
  };
}

/**
 * The ladder in force: the template with the school's policy numbers in its triggers and
 * words. Throws when a slot or setting names something that is not a policy number.
 */
export function fillLadder(template: LadderTemplate, numbers: PolicyNumbers): LadderDefinition {
  const { formalMeeting, ...rest } = template;
  return {
    ...rest,
    afterLast: fillWords(template.afterLast, numbers),
    whenImproved: fillWords(template.whenImproved, numbers),
    ...(template.whenImprovedActionDone ? { whenImprovedActionDone: fillWords(template.whenImprovedActionDone, numbers) } : {}),
    improvedLine: { ...template.improvedLine, pct: numberOf(template.improvedLine.pct, numbers) },
    ...(formalMeeting
      ? { formalMeeting: { ...formalMeeting, pct: numberOf(formalMeeting.pct, numbers), label: fillWords(formalMeeting.label, numbers) } }
      : {}),
    typeLabels: interventionLabels(numbers),
    steps: template.steps.map((step) => ({ ...step, label: fillWords(step.label, numbers), trigger: fillTrigger(step.trigger, numbers) })),
  };
}

/**
 * Why due dates fall when they do, in words for the pages: neither policy gives a time to act
 * once a step or action falls due, so the ladder's grace is Rollcall's default, and said so;
 * and, where the policy names no action after an improvement, that monitoring goes on with no
 * date of its own but the monitoring period's.
 */
export function ladderDueRule(ladder: Pick<LadderDefinition, "graceSchoolDays" | "improvedAction" | "name">, chosen = true): string {
  // `chosen`: false while the school runs on the default preset without having chosen it (policyTitle says so).
  const grace = `A step or action is due by ${ladder.graceSchoolDays} school days after it falls due, and late after that: Rollcall's default, as ${policyTitle({ preset_name: ladder.name, preset_chosen: chosen })} gives no time to act.`;
  const improved = ladder.improvedAction
    ? ""
    : " After an improvement the policy names no action and no interval for its regular meetings: the next review shown is the end of the ladder's monitoring period (Settings).";
  return `${grace}${improved}`;
}

/**
 * The policy's formal meeting beside the ladder (LadderDefinition.formalMeeting), in words for
 * Settings with the school's numbers: "Formal meeting with parents: attendance below 85% — due as
 * soon as year-to-date attendance is below 85% (judged from 40 possible sessions, 20 school
 * days), whatever the ladder's monitoring periods say; recorded as “Meeting with targets”
 * (§4)"; null for a ladder without one (Littledean).
 */
export function formalMeetingWords(ladder: Pick<LadderDefinition, "formalMeeting" | "typeLabels">): string | null {
  const meeting = ladder.formalMeeting;
  if (!meeting) return null;
  const recorded = meeting.types.map((type) => ladder.typeLabels[type]).join("” or “");
  return `${meeting.label} — due as soon as year-to-date attendance is below ${printed(meeting.pct)}% (judged from ${PUPIL_JUDGED_MIN_SESSIONS} possible sessions, ${PA_MIN_SCHOOL_DAYS} school days), whatever the ladder's monitoring periods say; recorded as “${recorded}” (${meeting.source})`;
}

/**
 * The intervention types that record each step as done, by the type a due step is named by
 * (its first, DueStep.type): a step several types answer (Littledean's formal support: a
 * parenting contract, early help or an education welfare referral) lists them all, so the
 * pupil page's "record it as" names every one (review 53: naming the first alone told a school
 * that arranged early help to record a parenting contract). A type no step names is its own.
 */
export function typesRecording(ladder: Pick<LadderDefinition, "steps" | "formalMeeting">): Partial<Record<InterventionType, InterventionType[]>> {
  const steps = [...ladder.steps, ...(ladder.formalMeeting ? [ladder.formalMeeting] : [])];
  return Object.fromEntries(steps.map((step) => [step.types[0], [...step.types]]));
}

/**
 * The intervention types a school's staff are offered to record under `ladder`, in the closed
 * list's order: every type but a policy's own formal meeting ("formal_meeting") where the ladder
 * has no formal meeting to record (Littledean), which would read as its meeting with parents and
 * answer nothing. Shape: type ids.
 */
export function typesOffered(ladder: Pick<LadderDefinition, "formalMeeting">): InterventionType[] {
  return INTERVENTION_TYPES.filter((type) => type !== "formal_meeting" || Boolean(ladder.formalMeeting?.types.includes(type)));
}

/**
 * What makes a step due, in words, with the school's numbers: "when year-to-date attendance is
 * below 90% (judged from 40 possible sessions, 20 school days)" (analytics/judged-span.ts); for a step after a monitoring period, with what "improved" needs when the
 * ladder's `improvedLine` is given ("if attendance has not improved (risen, to at least 90%
 * over the period) 2 school weeks after the previous step …").
 */
export function triggerWords(
  step: Pick<EscalationStep, "trigger">,
  policy: Pick<PolicyNumbers, "penalty_sessions" | "penalty_window_school_weeks">,
  improvedLine?: LadderDefinition["improvedLine"],
): string {
  const trigger = step.trigger;
  if (trigger.kind === "attendance") {
    return `when year-to-date attendance is ${trigger.inclusive ? "at or below" : "below"} ${printed(trigger.pct)}% (judged from ${PUPIL_JUDGED_MIN_SESSIONS} possible sessions, ${PA_MIN_SCHOOL_DAYS} school days)`;
  }
  if (trigger.kind === "penalty_threshold") {
    return `when unauthorised absence (G, N, O or U) reaches ${policy.penalty_sessions} sessions within ${policy.penalty_window_school_weeks} school weeks`;
  }
  const weeks = `${trigger.schoolWeeks} school week${trigger.schoolWeeks === 1 ? "" : "s"}`;
  const needs = improvedLine ? ` (risen, to ${improvedLine.inclusive ? "above" : "at least"} ${printed(improvedLine.pct)}% over the period)` : "";
  return `if attendance has not improved${needs} ${weeks} after the previous step${trigger.whileBelow ? ` and is still ${trigger.whileBelow.inclusive ? "at or below" : "below"} ${printed(trigger.whileBelow.pct)}%` : ""}`;
}

/**
 * Whether attendance improved over a monitoring period (ladder-policies' header): the
 * period's attended/possible sessions (`period`) above the year to date on the previous
 * step's day (`atStep`; any attendance counts as a rise from no sessions), and not under
 * `line` (LadderDefinition.improvedLine). False for a period without possible sessions.
 * Integers only (sessions); no division, so 90 % exactly is 9 of 10 whatever the rounding.
 */
export function improvedOver(
  period: { attended: number; possible: number },
  atStep: { attended: number; possible: number },
  line: { pct: number; inclusive?: boolean },
): boolean {
  if (period.possible <= 0) return false;
  const rose = atStep.possible === 0 || period.attended * atStep.possible > atStep.attended * period.possible;
  const underLine = line.inclusive ? 100 * period.attended <= line.pct * period.possible : 100 * period.attended < line.pct * period.possible;
  return rose && !underLine;
}
