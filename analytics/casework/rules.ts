/**
 * The casework rules' ids, names and units: a contract shared by the CLI
 * (`rollcall casework --rule ID`), the Casework page, the packs and the tests (issue 12).
 * Pure data, safe in browser code. The rules themselves are computed in compute.ts.
 */

export const RULE_IDS = [
  "attendance_below_96",
  "attendance_below_90",
  "attendance_below_85",
  "persistent_absence",
  "severe_absence",
  "absent_more_than_3_days",
  "absent_more_than_10_days_in_term",
  "cme_unauthorised_20_days",
  "cme_no_return_10_days",
  "health_more_than_15_days",
  "penalty_notice_threshold",
  "n_code_overdue",
] as const;
import { formatThreshold } from "../thresholds.ts";
import { PA_MIN_SCHOOL_DAYS, PUPIL_JUDGED_MIN_SESSIONS } from "../judged-span.ts";

export type RuleId = (typeof RULE_IDS)[number];

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}

/** What a rule's `value` counts. */
export type RuleUnit = "percent" | "days" | "sessions" | "marks";

export interface RuleDescription {
  id: RuleId;
  /** A short title for the list's heading. */
  title: string;
  /**
   * What puts a pupil on the list, in words, with the school's numbers filled in: the list's
   * criterion alone ("Year-to-date attendance below 96% and at least 90%."), as the Overview's
   * and the Casework page's table of lists says it beside each (its three attendance lists are
   * bands, each pupil on one, which their titles alone read as nested: trial 51).
   * ruleWords adds the span rule where `judged` says.
   */
  describe(policy: RuleNumbers): string;
  /** Judged on a rate only from the span rule's possible sessions (JUDGED_FROM_WORDS). */
  judged?: true;
  unit: RuleUnit;
  /** What the `value` column is, as a column heading. */
  valueLabel: string;
  /** What the `since` column is, or null when the rule has no since-date. */
  sinceLabel: string | null;
  /**
   * What the rule rests on: the school's policy numbers it reads (then its source is the
   * school's own policy, or its own setting — ruleSource in policy.ts), or a national
   * definition that holds in every school. Never a school's name: a rule cited from one
   * school's policy would be cited to every other school too.
   */
  basis: RuleBasis;
  /**
   * When the list's own action is due, in words, where the action is not a ladder step (the
   * lists' "Due by" column is the ladder's): null when the ladder's steps and dated actions
   * are the list's whole answer. Said beside the list on the Casework page, in its CSV and by
   * the CLI, so a list never leaves its action's date blank.
   */
  due: ((policy: RuleNumbers) => string) | null;
}

export type RuleBasis = { numbers: readonly (keyof RuleNumbers)[] } | { national: string };

/** The policy numbers the rules read (a subset of the policy, see policy.ts). */
export interface RuleNumbers {
  letter_threshold_pct: number;
  monitoring_threshold_pct: number;
  formal_meeting_threshold_pct: number;
  consecutive_absence_days: number;
  term_absence_days: number;
  cme_unauthorised_days: number;
  cme_no_return_days: number;
  health_absence_days: number;
  penalty_sessions: number;
  penalty_window_school_weeks: number;
  n_code_limit_school_days: number;
}

/** DfE definitions, not school settings: persistent absence at 10 %, severe at 50 % of own possible sessions. */
export const PERSISTENT_ABSENCE_PCT = 10;
export const SEVERE_ABSENCE_PCT = 50;

const pct = (n: number) => formatThreshold(n, 0);

/**
 * Said after each rate rule's description: a pupil is judged on a rate only from 40 possible
 * sessions this year (analytics/judged-span.ts, the span rule for one pupil).
 */
export const JUDGED_FROM_WORDS = `Pupils are judged from ${PUPIL_JUDGED_MIN_SESSIONS} possible sessions this year (${PA_MIN_SCHOOL_DAYS} school days).`;

/** The penalty-notice threshold in words (the rule's description; the ladder's advice quotes it). */
export function penaltyThresholdWords(p: Pick<RuleNumbers, "penalty_sessions" | "penalty_window_school_weeks">): string {
  return `At least ${p.penalty_sessions} sessions of G, N, O or U in the latest ${p.penalty_window_school_weeks} school weeks`;
}

/** A list's description in full: its criterion, then the span rule where the list is judged on a rate. */
export function ruleWords(rule: RuleDescription, policy: RuleNumbers): string {
  const criterion = rule.describe(policy);
  return rule.judged ? `${criterion} ${JUDGED_FROM_WORDS}` : criterion;
}

export const RULES: readonly RuleDescription[] = [
  {
    id: "attendance_below_96",
    title: "Attendance below the letter threshold",
    describe: (p) => `Year-to-date attendance below ${pct(p.letter_threshold_pct)} and at least ${pct(p.monitoring_threshold_pct)}.`,
    judged: true,
    unit: "percent",
    valueLabel: "Attendance",
    sinceLabel: null,
    basis: { numbers: ["letter_threshold_pct"] },
    due: null,
  },
  {
    id: "attendance_below_90",
    title: "Attendance below the monitoring threshold",
    describe: (p) => `Year-to-date attendance below ${pct(p.monitoring_threshold_pct)} and at least ${pct(p.formal_meeting_threshold_pct)}.`,
    judged: true,
    unit: "percent",
    valueLabel: "Attendance",
    sinceLabel: null,
    basis: { numbers: ["monitoring_threshold_pct"] },
    due: null,
  },
  {
    id: "attendance_below_85",
    title: "Attendance below the formal-meeting threshold",
    describe: (p) => `Year-to-date attendance below ${pct(p.formal_meeting_threshold_pct)}.`,
    judged: true,
    unit: "percent",
    valueLabel: "Attendance",
    sinceLabel: null,
    basis: { numbers: ["formal_meeting_threshold_pct"] },
    due: null,
  },
  {
    id: "persistent_absence",
    title: "Persistent absence",
    describe: () => `Year-to-date absence of at least ${PERSISTENT_ABSENCE_PCT}% of the pupil's own possible sessions.`,
    judged: true,
    unit: "percent",
    valueLabel: "Absence",
    sinceLabel: null,
    basis: { national: "DfE definition of persistent absence (10% or more of possible sessions missed)" },
    due: null,
  },
  {
    id: "severe_absence",
    title: "Severe absence",
    describe: () => `Year-to-date absence of at least ${SEVERE_ABSENCE_PCT}% of the pupil's own possible sessions.`,
    judged: true,
    unit: "percent",
    valueLabel: "Absence",
    sinceLabel: null,
    basis: { national: "DfE definition of severe absence (50% or more of possible sessions missed)" },
    due: null,
  },
  {
    id: "absent_more_than_3_days",
    title: "Absent for consecutive days",
    describe: (p) => `A run of more than ${p.consecutive_absence_days} consecutive school days absent this year (the latest such run is shown).`,
    unit: "days",
    valueLabel: "Days in the run",
    sinceLabel: "Run began",
    basis: { numbers: ["consecutive_absence_days"] },
    due: null,
  },
  {
    id: "absent_more_than_10_days_in_term",
    title: "Absent for many days this term",
    describe: (p) => `More than ${2 * p.term_absence_days} sessions (${p.term_absence_days} days) of absence this term so far.`,
    unit: "days",
    valueLabel: "Days absent this term",
    sinceLabel: null,
    basis: { numbers: ["term_absence_days"] },
    due: null,
  },
  {
    id: "cme_unauthorised_20_days",
    title: "Children missing education: unauthorised run",
    describe: (p) => `Absent without authorisation for at least ${p.cme_unauthorised_days} consecutive school days up to the latest school day.`,
    unit: "days",
    valueLabel: "Days in the run",
    sinceLabel: "Run began",
    basis: { numbers: ["cme_unauthorised_days"] },
    due: null,
  },
  {
    id: "cme_no_return_10_days",
    title: "Children missing education: not returned after authorised absence",
    describe: (p) => `Not returned after authorised absence: at least ${p.cme_no_return_days} consecutive school days unauthorised up to the latest school day, the day before them authorised absence.`,
    unit: "days",
    valueLabel: "Days in the run",
    sinceLabel: "Run began",
    basis: { numbers: ["cme_no_return_days"] },
    due: null,
  },
  {
    id: "health_more_than_15_days",
    title: "Illness: inform the local authority",
    describe: (p) => `More than ${2 * p.health_absence_days} sessions (${p.health_absence_days} days) of illness (I) this year.`,
    unit: "days",
    valueLabel: "Days of illness",
    sinceLabel: null,
    basis: { numbers: ["health_absence_days"] },
    due: healthActionDue,
  },
  {
    id: "penalty_notice_threshold",
    title: "Penalty notice threshold",
    describe: (p) => `${penaltyThresholdWords(p)}.`,
    unit: "sessions",
    valueLabel: "Unauthorised sessions",
    sinceLabel: "Window began",
    basis: { numbers: ["penalty_sessions", "penalty_window_school_weeks"] },
    due: null,
  },
  {
    id: "n_code_overdue",
    // "Overdue", not "not resolved": the list holds only N marks past the limit, while Register
    // checks also lists those still within it (a trial read "N codes not resolved: 0" beside 11
    // awaiting a reason there).
    title: "N codes overdue",
    describe: (p) => `At least one N mark more than ${p.n_code_limit_school_days} school days old (N marks still within ${p.n_code_limit_school_days} school days are on Register checks, awaiting a reason).`,
    unit: "marks",
    valueLabel: "Overdue N marks",
    sinceLabel: "Oldest",
    basis: { numbers: ["n_code_limit_school_days"] },
    due: null,
  },
];

export function ruleDescription(id: RuleId): RuleDescription {
  const rule = RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`unknown rule "${id}"`);
  return rule;
}

/**
 * Words for when to inform the local authority of a pupil's illness: no date is set, and why.
 * Neither preset policy gives one (Ludlow §7: "Inform the LA if a pupil is likely to be away
 * from the school for more than 15 school days"; Littledean: not stated). The DfE's statutory
 * guidance "Arranging education for children who cannot attend school because of health needs"
 * (December 2023, to be read alongside "Working together to improve school attendance",
 * August 2024) puts the duty on the local authority: to arrange suitable education as soon as
 * it is clear a pupil will be away from school for 15 school days or more, whether
 * consecutive or cumulative; it gives no statutory timeframe, and no date by which the school
 * must tell the authority (secondary sources agree: "there is no statutory timeframe"). So
 * Rollcall dates no step: it says so, with the test that makes the notice timely.
 */
export function healthActionDue(p: Pick<RuleNumbers, "health_absence_days">): string {
  return (
    `No due date is set: neither the school's policy nor the DfE's guidance gives one. ` +
    `The DfE's "Arranging education for children who cannot attend school because of health needs" (December 2023, read with "Working together to improve school attendance", August 2024) ` +
    `asks the local authority to arrange education as soon as it is clear that a pupil will be away for 15 school days or more, consecutive or cumulative, and sets no time for the school's notice. ` +
    `So no date is given here: tell the local authority as soon as a pupil's illness is likely to pass ${p.health_absence_days} school days.`
  );
}
