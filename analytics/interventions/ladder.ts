/**
 * Where each pupil stands on the school's escalation ladder (issue 12, "The ladder"): the
 * current stage comes from the interventions recorded, the next step and its due date from
 * the register's figures and those interventions, under the chosen policy's ladder
 * (ladder-policies.ts). One function, `ladderFor`, used by the pupil page, the casework list
 * and the packs.
 *
 * - Year to date runs from 1 August of the academic year containing the as-of date.
 * - A step is *done* when an intervention of one of its types, in force, is dated in the
 *   academic year on or before the as-of date. The current stage is the furthest step done.
 * - An attendance step falls due on the first school day of the pupil's current run with
 *   year-to-date attendance below its line (it is not due if a later step is done), counting
 *   only days on which the pupil had PUPIL_JUDGED_MIN_SESSIONS (40) possible sessions this
 *   year or more: a pupil is judged on a rate over 20 school days, the span rule of
 *   analytics/pa-span.ts for one pupil (judged-span.ts; a trial's new pupil, off ill one of her
 *   first three days, was due a monitoring letter by 8 December). A pupil with 41 sessions who
 *   has been below the line since their 30th falls due on the day of their 40th.
 * - A follow-up step falls due at the end of its monitoring period (N school weeks = 5N
 *   school days after the previous step) when attendance did not improve over the period,
 *   or, after a period that improved, at the end of the first later period of N school weeks
 *   that did not (monitoring continues: Ludlow Appendix A 9)
 *   (`improvedOver`: it must rise *and* reach the ladder's `improvedLine`, Ludlow Appendix A
 *   7–10, Littledean "reducing persistent and severe absence").
 * - A penalty-threshold step falls due on the day the Nth unauthorised session in the window
 *   was recorded. Any step that seeks a penalty notice (Ludlow's comes after the final warning's
 *   monitoring period) is open only while that threshold is met: a penalty notice is for
 *   unauthorised absence (national framework for penalty notices); without it the pupil is told
 *   why not and what the policy gives instead (penalty-open.ts).
 * - To consider a penalty notice (the policy's dated action) is due from the day the threshold
 *   was met, unless the stage is the ladder's step before its penalty notice, recorded after that
 *   day: the school answered the threshold with it, and the ladder's penalty step is next; nor
 *   beside a due ladder step seeking the notice when the stage was recorded after that day (the
 *   step is that consideration, dated from the stage).
 * - A step beyond the current stage never falls due before the stage's date (the day it
 *   would otherwise, if later): the ladder is climbed in order, and a step dated before the
 *   stage the school recorded would read late from before the school's latest action.
 * - A step due from a line crossed or the penalty threshold met is due from the day the register
 *   first showed it, when that is later (register-showed.ts): a mark amended weeks after its day
 *   (a late-recorded O) can put a pupil past a line on a day long gone, and a step cannot be late
 *   before the school could know of it. The rule's own date is kept beside it (`shown_late`) for
 *   the page's sentence; whether a step is done still goes by the rule's date. A view of a past
 *   date knows the amendments made since: a step the register first showed after it is, as of
 *   it, not yet due (`not_yet_due`, never late), listed after the steps due then.
 * - Due by = the day it falls due + the ladder's grace in school days; late when the as-of
 *   date is after that and the step has not been recorded.
 * The next step is the most pressing due step (a late one, the longest overdue, before one merely
 * due; else the furthest due step); without one, a follow-up whose monitoring period
 * is still running is shown as conditional ("if no improvement") with the period's end.
 * What every page shows as the one next step, beside the dated action, is nextStepOf's.
 */
import { onePupilPeriodRows, onePupilLadderTotals, onePupilPenalty } from "./ladder-one-pupil.ts";
import { listValue } from "@duckdb/node-api";
import type { Connection, Row } from "../db.ts";
import { cachedRows } from "../db.ts";
import { academicYearBounds, academicYearOf } from "../period-names.ts";
import { pupilUnitsSql } from "../casework/pupil-days.ts";
import { penaltyThresholdWords } from "../casework/rules.ts";
import { SCHOOL_CALENDAR_CTES } from "../register-windows.ts";
import { PUPIL_JUDGED_MIN_SESSIONS } from "../judged-span.ts";
import { improvedOver, triggerWords, type LadderDefinition, type EscalationStep } from "./ladder-policies.ts";
import { EFFECTIVE_INTERVENTIONS_CTE, ensureInterventionsTable } from "./store.ts";
import { absenceMix, penaltyNotOpen } from "./penalty-open.ts";
import { crossedKey, registerShowedLater, type ShownLater } from "./register-showed.ts";
import { belowLine } from "./below-line.ts";
import type { InterventionType } from "./types.ts";

export interface LadderPolicy {
  ladder: LadderDefinition;
  /** The penalty-notice check: this many sessions of G N O U … */
  penalty_sessions: number;
  /** … within the latest this-many school weeks. */
  penalty_window_school_weeks: number;
}

export interface DueStep {
  type: InterventionType;
  label: string;
  /** The day it fell due (ISO), or for a conditional step the end of its monitoring period. */
  due_from: string;
  /**
   * due_from + the ladder's grace in school days; null when the imported calendar ends before
   * those school days do (next term's dates not imported yet): not known, and never late.
   */
  due_by: string | null;
  late: boolean;
  /** True while a monitoring period runs: the step is due only if attendance does not improve. */
  conditional: boolean;
  /** Set when the register showed the rule met only later, on `due_from` (ShownLate). */
  shown_late?: ShownLate;
  /**
   * Set (true) when that day is after the as-of date: a view of a past date that knows of an
   * amendment made since (register-showed.ts). As of that date the step was neither due nor late
   * (nobody could have acted on it); it is listed, dated from the day shown, after the steps due.
   */
  not_yet_due?: true;
}

/**
 * Why a step is due from later than its rule was met: the register showed the line crossed
 * (`rule` "line") or the penalty-notice threshold met ("threshold") only on the step's
 * `due_from`, after a mark dated on or before `met_on` (ISO, the rule's date) was amended
 * (register-showed.ts). Said on the page with shownLateWords (analytics/due-words.ts).
 */
export interface ShownLate {
  met_on: string;
  rule: "line" | "threshold";
}

export interface LadderStanding {
  upn: string;
  /** Year-to-date attendance %, 0–100; null without possible sessions. */
  attendance_pct: number | null;
  /** The furthest step done, or null. */
  stage: { type: InterventionType; label: string; date: string } | null;
  /** Set when the furthest step was followed by a monitoring period in which attendance improved. */
  improved_after: string | null;
  next: DueStep | null;
  /**
   * Every due step not yet recorded, most pressing first (mostUrgentFirst: late ones, the one due
   * by the earliest day first, then the others furthest up the ladder first; late ones are the
   * policy's overdue actions).
   */
  due: DueStep[];
  /**
   * The day the pupil's unauthorised sessions (G, N, O, U) in the penalty-notice window (the
   * latest `penalty_window_school_weeks` school weeks to the as-of date) reached
   * `penalty_sessions` — the casework rule penalty_notice_threshold — or null when they have not.
   */
  penalty_reached: string | null;
  /** Sessions of G, N, O and U in that window to the as-of date (0 without any). */
  penalty_sessions: number;
  /**
   * For a pupil with no step due or pending (`next` null), the next action the policy gives,
   * in words: to consider a penalty notice, with the threshold, when the penalty-notice
   * threshold is met and no penalty notice has been sought (penaltyAdvice: the national
   * framework's threshold holds whatever the ladder's monitoring says), unless the stage, the ladder's step before a penalty notice, was
   * recorded after it was met; where the ladder's next step would seek a penalty notice and the
   * threshold is not met, why one is not open and what the policy gives instead
   * (penalty-open.ts penaltyNotOpen); else, at a stage, the
   * ladder's last step reached and what follows it (`ladder.afterLast`); attendance improved
   * over the monitoring period (`ladder.whenImproved`); or the next step of the ladder with
   * what makes it due ("when …"). Null otherwise.
   */
  next_action: string | null;
  /**
   * `next_action` without this pupil's own figures, where it cites them (a penalty notice not
   * open: penalty-open.ts penaltyNotOpen), for a list that prints a step once over many pupils;
   * with `next_action_figures`, the figures it leaves out. Both null where `next_action` cites
   * none (it is then the same for every pupil it is given to).
   */
  next_action_general: string | null;
  next_action_figures: string | null;
  /**
   * The dated action beside `next_action` when the policy gives one, as every step is dated: to
   * consider a penalty notice (due from `penalty_reached`, whatever step is pending: neither
   * policy gives a date, so the ladder's grace, as for its steps), or the ladder's `improvedAction` after a monitoring period
   * that improved (Ludlow Appendix A 9's congratulations letter, due from the end of the first
   * period that improved; done once recorded after the stage's step). Late once `due_by` has
   * passed. Null otherwise.
   */
  action_due: { type: InterventionType; label: string; due_from: string; due_by: string | null; late: boolean; shown_late?: ShownLate; not_yet_due?: true } | null;
  /**
   * The ladder's `improvedAction` (Ludlow's congratulations letter) when it is due beside a
   * penalty notice to consider, which holds `action_due`: both are the policy's, and neither
   * answers the other (trial 32: a pupil whose attendance had improved, with the penalty
   * threshold met by a holiday, was never told of the letter, late since 20 Nov). Null otherwise.
   */
  action_also: ActionDue | null;
  /**
   * For a pupil whose attendance improved over a monitoring period (`improved_after`) with no
   * step due: the end of the monitoring period running on the as-of date, when the ladder next
   * judges whether attendance improved (monitoring continues period by period: Ludlow Appendix
   * A 9, Littledean's regular meetings). Null otherwise, or when the school calendar does not
   * reach that period's end.
   */
  review_by: string | null;
}

/** A dated action of the policy (LadderStanding.action_due). */
export type ActionDue = NonNullable<LadderStanding["action_due"]>;

/** The one next step of a standing (nextStepOf). */
export interface NextStep {
  /** The ladder's step shown as next, or null when the dated action is, or neither. */
  step: DueStep | null;
  /** The policy's dated action shown as next, or null. */
  action: ActionDue | null;
  /** The policy's next action in words (LadderStanding.next_action), shown when neither is, or beside the action. */
  words: string | null;
  /** Every other step or action due, shown after it ("Also due"), most pressing first; `type` records it. */
  also: Array<{ type: InterventionType; label: string; due_by: string | null; late: boolean }>;
}

/**
 * How pressing a step or action is, for ordering (lower first): a late one before one merely due,
 * and one due before one due only if attendance does not improve. Among late ones the one due
 * by the earliest day comes first (the longest overdue); others compare equal, so a stable sort
 * keeps the order they were given in (the ladder's, furthest first). Shapes: `due_by` ISO or null.
 */
function urgencyOrder(a: Urgent, b: Urgent): number {
  // One not yet due as of the date (shown by the register only after it) after those due then.
  const tier = (s: Urgent) => (s.late ? 0 : s.conditional ? 3 : s.not_yet_due ? 2 : 1);
  if (tier(a) !== tier(b)) return tier(a) - tier(b);
  if (a.late && b.late && a.due_by !== b.due_by) return (a.due_by ?? "") < (b.due_by ?? "") ? -1 : 1;
  return 0;
}
type Urgent = { late: boolean; conditional?: boolean; not_yet_due?: boolean; due_by: string | null };

/**
 * Steps most pressing first (urgencyOrder), a stable sort of `steps` given furthest first: the
 * next step is the most urgent, so a late §4 formal meeting comes before a parenting contract
 * merely due (trial 31b: the lists showed the contract and hid the late meeting).
 */
export function mostUrgentFirst<T extends Urgent>(steps: readonly T[]): T[] {
  // Array.prototype.sort is stable (ES2019): steps that compare equal keep the given order.
  return [...steps].sort(urgencyOrder);
}

/**
 * The one next step of a pupil, for the pupil page, the casework lists, their CSV and the SLT
 * pack alike (a trial saw the page give the ladder's step and the lists the dated action). The
 * most pressing (mostUrgentFirst) of the ladder's due steps, its step pending "if no
 * improvement" and the policy's dated action: a late one, the one due by the earliest day, then
 * one due, then one due only if attendance does not improve; the ladder's step where they are
 * alike. One thing to do is offered once: where the dated action and a ladder step are of the
 * same type (to consider a penalty notice, and the ladder's penalty notice after the final
 * warning), the more pressing stands, with its own due date and lateness (trial 31b: "Consider a
 * penalty notice … late" beside "Also due: Penalty notice sought").
 */
export function nextStepOf(
  standing: (Pick<LadderStanding, "next" | "due" | "action_due" | "next_action"> & Partial<Pick<LadderStanding, "action_also">>) | undefined | null,
): NextStep {
  const dated = [standing?.action_due ?? null, standing?.action_also ?? null].filter((a): a is ActionDue => a !== null);
  const steps: Array<DueStep | ActionDue> = [...(standing?.due ?? [])];
  if (standing?.next && !steps.includes(standing.next)) steps.push(standing.next);
  const ordered = mostUrgentFirst([...steps, ...dated]);
  const once = ordered.filter((item, i) => ordered.findIndex((other) => other.type === item.type) === i);
  const [first, ...rest] = once;
  const actionFirst = first !== undefined && dated.includes(first as ActionDue);
  return {
    step: first && !actionFirst ? (first as DueStep) : null,
    action: actionFirst ? (first as ActionDue) : null,
    words: standing?.next_action ?? null,
    also: rest.map(({ type, label, due_by, late }) => ({ type, label, due_by, late })),
  };
}

/**
 * The next action for a pupil who meets the penalty-notice threshold with nothing pending on
 * the ladder: "Consider a penalty notice: At least 10 sessions of G, N, O or U in the latest
 * 10 school weeks (the penalty-notice threshold)" at the default numbers.
 */
export function penaltyAdvice(policy: Pick<LadderPolicy, "penalty_sessions" | "penalty_window_school_weeks">): string {
  return `Consider a penalty notice: ${penaltyThresholdWords(policy)} (the penalty-notice threshold)`;
}

/**
 * The next action for a pupil at a stage with nothing due or pending (LadderStanding.next_action).
 * `stageIndex`: the furthest step recorded (−1: none, then null); `improvedAfter`: set when
 * a monitoring period ended with attendance improved.
 */
function nextActionWords(policy: LadderPolicy, stageIndex: number, improvedAfter: string | null, improvedActionDone = false): string | null {
  const { ladder } = policy;
  if (stageIndex < 0) return null;
  if (stageIndex === ladder.steps.length - 1) return ladder.afterLast;
  if (improvedAfter) return improvedActionDone ? (ladder.whenImprovedActionDone ?? ladder.whenImproved) : ladder.whenImproved;
  // The furthest step recorded need not be the last one due: the first step after it not yet
  // due is the next, with what makes it due.
  const following = ladder.steps[stageIndex + 1];
  return `${following.label}, ${triggerWords(following, policy, ladder.improvedLine)}`;
}

/** An ISO date moved by whole days. */
export function shiftDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

interface StepWindow {
  end_date: string | null;
  p_possible: number;
  p_attended: number;
  w_possible: number;
  w_attended: number;
}

function stepDone(step: EscalationStep, done: Map<InterventionType, string>): string | null {
  let latest: string | null = null;
  for (const type of step.types) {
    const date = done.get(type);
    if (date && (!latest || date > latest)) latest = date;
  }
  return latest;
}

/**
 * Each step's date as a step taken on the ladder, by index (null: not taken): the step's latest
 * entry, but a penalty notice only when the ladder's step before it was taken on or before its
 * day. A notice answering the penalty-notice threshold alone (a week's holiday: Ludlow §6, §9,
 * apart from Appendix A's ladder) does not climb it: a trial's pupil at 91.9 %, with no meeting,
 * contract or warning, read "Last step of the ladder reached", and a later fall below 90 % would
 * have brought no letter. (Other steps keep their entries: a school may send the 90 % letter
 * without the 96 % one.)
 */
function stepsTaken(ladder: LadderDefinition, done: Map<InterventionType, string>): Array<string | null> {
  const taken: Array<string | null> = [];
  ladder.steps.forEach((step, i) => {
    const date = stepDone(step, done);
    const before = i > 0 ? taken[i - 1] : null;
    const inOrder = !step.types.includes("penalty_notice_requested") || i === 0 || (before !== null && date !== null && before <= date);
    taken.push(inOrder ? date : null);
  });
  return taken;
}

/** The furthest step taken (stepsTaken: its index, −1 for none) and the date it was taken. */
function stageOf(ladder: LadderDefinition, done: Map<InterventionType, string>): { stageIndex: number; stageDate: string; taken: Array<string | null> } {
  const taken = stepsTaken(ladder, done);
  let stageIndex = -1;
  let stageDate = "";
  taken.forEach((date, i) => {
    if (date) {
      stageIndex = i;
      stageDate = date;
    }
  });
  return { stageIndex, stageDate, taken };
}

/**
 * The formal meeting (LadderDefinition.formalMeeting) when it is due: the pupil's year to date is
 * below its line (`crossed`: the first day of their current run below each line, keyed
 * `upn|pct|inclusive`) and no entry of its types is dated on or after that day. Due from then,
 * or from the day the register first showed it (`shown`, same keys: `runs` after a meeting held
 * before the crossing, else `lines`) when later. Null otherwise.
 */
function formalMeetingDue(
  ladder: LadderDefinition,
  upn: string,
  done: Map<InterventionType, string>,
  crossed: Map<string, string>,
  shown: Pick<ShownLater, "lines" | "runs">,
  dated: (type: InterventionType, label: string, from: string, shown: ShownLateFrom) => Omit<DueStep, "conditional">,
): DueStep | null {
  const formal = ladder.formalMeeting;
  const key = formal ? crossedKey(upn, { pct: formal.pct }) : "";
  const from = formal ? crossed.get(key) : undefined;
  if (!formal || !from || formal.types.some((t) => (done.get(t) ?? "") >= from)) return null;
  return { ...dated(formal.types[0], `${formal.label} (${formal.source})`, from, { day: shown.runs.get(key) ?? shown.lines.get(key), rule: "line" }), conditional: false };
}

/**
 * For registerShowedLater's `doneBefore`: by the formal meeting's line key, the latest entry of
 * its types (`byPupil`: each pupil's entries, ISO `date`) dated before the pupil's crossing of it
 * (`crossed`), for the pupils with one: their meeting is due again only in a run begun after it.
 */
function formalMeetingHeldBefore(ladder: LadderDefinition, crossed: ReadonlyMap<string, string>, byPupil: ReadonlyMap<string, ReadonlyArray<{ type: string; date: string }>>): Map<string, string> {
  const held = new Map<string, string>();
  const formal = ladder.formalMeeting;
  if (!formal) return held;
  for (const [upn, rows] of byPupil) {
    const key = crossedKey(upn, { pct: formal.pct });
    const from = crossed.get(key);
    if (from === undefined) continue;
    for (const row of rows) {
      if ((formal.types as readonly string[]).includes(row.type) && row.date < from && row.date > (held.get(key) ?? "")) held.set(key, row.date);
    }
  }
  return held;
}

/**
 * Whether the ladder's stage at `stageIndex` answers a penalty-notice threshold met before it:
 * one of the measures the policy takes before a notice (answersPenaltyThreshold), or the step
 * before the ladder's own notice (ladderFor's `answered`, which also counts a due step seeking one).
 */
function stageAnswersThreshold(ladder: LadderDefinition, stageIndex: number): boolean {
  return Boolean(ladder.steps[stageIndex]?.answersPenaltyThreshold) || Boolean(ladder.steps[stageIndex + 1]?.types.includes("penalty_notice_requested"));
}

/**
 * For registerShowedLater's `answeredBy`: by UPN, the stage's date for the pupils whose stage
 * would answer the penalty-notice threshold met before it (ladderFor's `answered`, by the stage:
 * one of the measures before a notice, or the step before the ladder's own notice) but whose
 * threshold (`reached`) is met on or after it, no notice sought: their consideration is due only
 * from the day the register showed it met after the stage.
 */
function penaltyAnswerableBy<R>(
  ladder: LadderDefinition,
  reached: ReadonlyMap<string, string>,
  byPupil: ReadonlyMap<string, R>,
  doneOf: (rows: R) => Map<InterventionType, string>,
): Map<string, string> {
  const by = new Map<string, string>();
  for (const [upn, rows] of byPupil) {
    const met = reached.get(upn);
    if (met === undefined) continue;
    const done = doneOf(rows);
    const { stageIndex, stageDate } = stageOf(ladder, done);
    if (stageDate === "" || met < stageDate || done.has("penalty_notice_requested")) continue;
    if (stageAnswersThreshold(ladder, stageIndex)) by.set(upn, stageDate);
  }
  return by;
}

/**
 * The day the register first showed a step's rule met, when later than its date (register-showed.ts),
 * which rule, and the rule's date when the step is dated from another (`met`: a stage recorded after it).
 */
type ShownLateFrom = { day: string | undefined; rule: ShownLate["rule"]; met?: string } | undefined;

/**
 * Puts the formal meeting among the due steps (in ladder order, nearest first) where the ladder's
 * step recorded by one of its types stands (Ludlow's meeting with targets): beyond any step before
 * it. It is due whatever the monitoring periods say — an "improved" period or a meeting pending
 * "if no improvement" no longer hides it, as any due step hides them. Where that step of the
 * ladder is due too, the two are one meeting, recorded as the ladder's step (which answers both):
 * dated and worded as the earlier.
 */
function placeFormalMeeting(ladder: LadderDefinition, due: DueStep[], meeting: DueStep): void {
  const types = ladder.formalMeeting?.types ?? [meeting.type];
  const at = ladder.steps.findIndex((s) => types.includes(s.types[0]));
  const same = due.findIndex((d) => types.includes(d.type));
  if (same >= 0) {
    if (meeting.due_from <= due[same].due_from) due[same] = { ...meeting, type: due[same].type };
    return;
  }
  const after = due.findIndex((d) => ladder.steps.findIndex((s) => s.types[0] === d.type) > at);
  due.splice(after < 0 ? due.length : after, 0, meeting);
}

/**
 * Every pupil on roll on `asOf` (or just `options.upn`, or just those of `options.upns`), with
 * their standing on `policy.ladder`, sorted by UPN. Set-based: at most five queries whatever the
 * number of pupils; with `options.upn` alone, the year to date and the penalty window come from
 * the pupil's own day rows instead (ladder-one-pupil.ts: the same rows, one cached read shared
 * with the pupil's measures). Throws when `asOf` is not an ISO date.
 */
export async function ladderFor(
  connection: Connection,
  asOf: string,
  policy: LadderPolicy,
  options: { upn?: string; upns?: readonly string[] } = {},
): Promise<LadderStanding[]> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new Error(`the as-of date must be YYYY-MM-DD (got "${asOf}")`);
  await ensureInterventionsTable(connection);
  const ladder = policy.ladder;
  const yearFrom = academicYearBounds(academicYearOf(asOf)).from;
  const only = { upn: options.upn ?? null, upns: options.upns ? listValue([...options.upns]) : null };
  const base = { as_of: asOf, year_from: yearFrom, ...only };
  const roll = `roll AS (
    SELECT upn FROM pupils
    WHERE admission_date <= $as_of::DATE AND (leaving_date IS NULL OR leaving_date >= $as_of::DATE)
      AND ($upn::VARCHAR IS NULL OR upn = $upn::VARCHAR)
      AND ($upns::VARCHAR[] IS NULL OR upn IN (SELECT unnest($upns::VARCHAR[]))))`;

  // 1. Year to date, and for each attendance line the first day of the pupil's current run
  //    below it (the day after the last day on which they were not below it).
  // The formal meeting's line (LadderDefinition.formalMeeting) is read as the steps' lines are.
  const lines: Array<{ pct: number; inclusive?: boolean }> = [
    ...ladder.steps.flatMap((s) => (s.trigger.kind === "attendance" ? [s.trigger] : [])),
    ...(ladder.formalMeeting ? [{ pct: ladder.formalMeeting.pct }] : []),
  ];
  const lineParams: Record<string, number> = {};
  const lineSql = lines.map((line, i) => {
    lineParams[`pct_${i}`] = line.pct;
    const trig = `(cpos >= $min_possible::INTEGER AND 100 * catt ${line.inclusive ? "<=" : "<"} $pct_${i}::DOUBLE * cpos)`;
    return { trig, clear: `max(date) FILTER (WHERE NOT ${trig}) AS clear_${i}`, crossed: `strftime(min(f.date) FILTER (WHERE ${trig.replace(/cpos|catt/g, (m) => `f.${m}`)} AND f.date > coalesce(c.clear_${i}, DATE '1900-01-01')), '%Y-%m-%d') AS crossed_${i}` };
  });
  const yearMarks = { ...base, marks_from: yearFrom, marks_to: asOf };
  // Per pupil per day from the store's day aggregate (analytics/store.ts: possible sessions,
  // and present + AEA as attended, each code classified by the regime of its date).
  // On the store's integer pupil id: windows and joins on it are far cheaper than on UPNs.
  // `pupils`: the join that picks the pupils whose days are read.
  const daily = (pupils: string) => `
     daily AS (
       SELECT d.pupil_id, d.date, d.possible::INTEGER AS pos, (d.present + d.aea)::INTEGER AS att
       FROM mark_days d ${pupils}
       WHERE d.date BETWEEN $marks_from::DATE AND $marks_to::DATE)`;
  // Year-to-date totals from the store's weekly aggregate (whole weeks, the days of a week
  // cut by the period's ends: pupil-days.ts). A pupil whose year to date is not below a line
  // has no current run below it (their last day is a day not below it), so only the pupils
  // below some line have their days read and summed day by day, in date order.
  const units = pupilUnitsSql({ from: yearFrom, to: asOf }, "no_cuts");
  const belowAny = lines.length ? lineSql.map((l) => l.trig).join(" OR ").replace(/cpos|catt/g, (m) => (m === "cpos" ? "t.possible" : "t.attended")) : "false";
  // One pupil (a pupil's page): the same rows from the pupil's own days, read once for the
  // page (ladder-one-pupil.ts), not the set-based query's fixed cost for a few hundred rows.
  const onePupil = options.upn !== undefined && options.upns === undefined ? options.upn : null;
  const totals = onePupil !== null
    ? await onePupilLadderTotals(connection, { upn: onePupil, asOf, yearFrom, lines, minPossible: PUPIL_JUDGED_MIN_SESSIONS })
    : await cachedRows<Row>(
    connection,
    `WITH ${roll}, no_cuts AS (SELECT NULL::DATE AS cut), ${units.sql},
     ytd AS (
       SELECT k.upn, k.pupil_id, sum(u.possible)::INTEGER AS possible, sum(u.attended)::INTEGER AS attended
       FROM pupil_units u JOIN pupil_ids k USING (pupil_id) SEMI JOIN roll ON roll.upn = k.upn
       GROUP BY k.upn, k.pupil_id),
     below_pupils AS MATERIALIZED (SELECT t.pupil_id FROM ytd t WHERE ${belowAny}),
     ${daily("SEMI JOIN below_pupils USING (pupil_id)")},
     cum AS (
       SELECT pupil_id, date, sum(pos) OVER w AS cpos, sum(att) OVER w AS catt
       FROM daily WINDOW w AS (PARTITION BY pupil_id ORDER BY date ROWS UNBOUNDED PRECEDING)),
     clear AS (
       SELECT pupil_id${lineSql.map((l) => `, ${l.clear}`).join("")}
       FROM cum GROUP BY pupil_id),
     crossed AS (
       SELECT c.pupil_id${lineSql.map((l) => `, ${l.crossed}`).join("")}
       FROM clear c JOIN cum f USING (pupil_id) GROUP BY c.pupil_id)
     SELECT r.upn, coalesce(t.possible, 0)::INTEGER AS possible, coalesce(t.attended, 0)::INTEGER AS attended
            ${lineSql.map((_l, i) => `, x.crossed_${i}`).join("")}
     FROM roll r LEFT JOIN ytd t USING (upn) LEFT JOIN crossed x ON x.pupil_id = t.pupil_id
     ORDER BY r.upn`,
    { as_of: asOf, ...only, marks_from: yearFrom, marks_to: asOf, ...units.params, ...lineParams, min_possible: PUPIL_JUDGED_MIN_SESSIONS },
  );

  // 2. Interventions in force this year (each pupil's stage is read from them), then the
  //    monitoring periods of the one step whose periods the ladder reads: the stage's own
  //    (stageOf), when the step after it is a follow-up ("after" N school weeks). Periods of
  //    any other intervention are never asked about, and reading them all cost most of the
  //    ladder's time at 4,500 pupils (134,000 rows of periods, for 8,400 interventions).
  // The whole roll's, whatever the pupils asked (one cached read, kept until an intervention is
  // recorded: the Casework page the warm-up makes reads it, so a pupil's page made afresh and
  // the SLT pack find it there), then theirs picked out: a pupil's own read was 7–30 ms of their
  // page made afresh on the demo school (issue 11), for the same handful of rows.
  const recordedAll = await cachedRows<{ id: number; upn: string; pupil_id: number | null; type: string; date: string }>(
    connection,
    `WITH ${roll}, ${EFFECTIVE_INTERVENTIONS_CTE}
     SELECT e.intervention_id AS id, e.upn, k.pupil_id, e.type, strftime(e.date, '%Y-%m-%d') AS date
     FROM effective_interventions e JOIN roll USING (upn) LEFT JOIN pupil_ids k ON k.upn = e.upn
     WHERE e.date BETWEEN $year_from::DATE AND $as_of::DATE
     ORDER BY e.date, e.intervention_id`,
    { as_of: asOf, year_from: yearFrom, upn: null, upns: null },
  );
  const asked = options.upns ? new Set(options.upns) : null;
  const recorded = recordedAll.filter((row) => (options.upn === undefined || row.upn === options.upn) && (asked === null || asked.has(row.upn)));
  const byPupil = new Map<string, typeof recorded>();
  for (const row of recorded) {
    const list = byPupil.get(row.upn) ?? [];
    list.push(row);
    byPupil.set(row.upn, list);
  }
  const doneOf = (rows: typeof recorded) => {
    // Latest date of each type.
    const done = new Map<InterventionType, string>();
    for (const row of rows) {
      const type = row.type as InterventionType;
      if (!done.has(type) || (done.get(type) as string) < row.date) done.set(type, row.date);
    }
    return done;
  };
  // Each intervention whose periods are read, with the follow-up step's weeks.
  const watched: Array<{ id: number; pupil_id: number | null; weeks: number }> = [];
  for (const rows of byPupil.values()) {
    const done = doneOf(rows);
    const { stageIndex, stageDate } = stageOf(ladder, done);
    const following = ladder.steps[stageIndex + 1];
    if (stageIndex < 0 || !following || following.trigger.kind !== "after") continue;
    const type = ladder.steps[stageIndex].types.find((t) => done.get(t) === stageDate);
    for (const row of rows) if (row.type === type && row.date === stageDate) watched.push({ id: row.id, pupil_id: row.pupil_id, weeks: following.trigger.schoolWeeks });
  }
  const pupilIds = [...new Set(watched.flatMap((w) => (w.pupil_id === null ? [] : [Number(w.pupil_id)])))];
  // One pupil's (a pupil's page): from their own day rows (ladder-one-pupil.ts), the same rows.
  const dateOf = new Map(recorded.map((row) => [Number(row.id), String(row.date)]));
  const onePupilPeriods = watched.length > 0 && onePupil !== null
    ? await onePupilPeriodRows(connection, { upn: onePupil, asOf, marksFrom: yearFrom, watched: watched.map((w) => ({ id: Number(w.id), date: dateOf.get(Number(w.id)) ?? asOf, weeks: w.weeks })) })
    : undefined;
  const periodRows = watched.length === 0 ? [] : onePupilPeriods ?? await cachedRows<Row>(
    connection,
    `WITH ${SCHOOL_CALENDAR_CTES},
     watched AS (SELECT unnest($ids::INTEGER[]) AS intervention_id, unnest($weeks::INTEGER[]) AS weeks),
     chosen AS (
       SELECT w.intervention_id, w.weeks, k.pupil_id, e.date, coalesce(s.d, 0) AS d
       FROM interventions e JOIN watched w USING (intervention_id)
       LEFT JOIN pupil_ids k ON k.upn = e.upn
       ASOF LEFT JOIN school_day_index s ON e.date >= s.date),
     -- Only the days of those pupils.
     -- Bound as \`$pupils\` (INTEGER[]): the join then builds its hash table on those few ids,
     -- where a subquery's poor estimate can make DuckDB build it on the days instead.
     ${daily("JOIN (SELECT unnest($pupils::INTEGER[]) AS pupil_id) USING (pupil_id)")},
     -- Each pupil's running totals day by day: a period's sessions are the running total at its
     -- end less that at its start (point lookups, ASOF), not a sum over its days per period.
     cum AS (
       SELECT pupil_id, date, sum(pos) OVER w AS cpos, sum(att) OVER w AS catt
       FROM daily WINDOW w AS (PARTITION BY pupil_id ORDER BY date ROWS UNBOUNDED PRECEDING)),
     -- The step's monitoring periods, one after another (k = 1, 2, …): Appendix A 9's
     -- "monitoring … continues" after an improved period, so a later one can still end
     -- without improvement. Only the periods begun by the as-of date (a period's first day's
     -- index at most the as-of date's), at most 200.
     as_of_day AS (SELECT coalesce(max(d), 0) AS as_of_d FROM school_day_index WHERE date <= $as_of::DATE),
     periods AS (
       SELECT c.*, unnest(generate_series(1, CASE WHEN c.weeks > 0 THEN least(200, greatest(1, (a.as_of_d - c.d) // (5 * c.weeks) + 1))
                                                   WHEN c.d >= 1 AND c.d <= a.as_of_d THEN 200 ELSE 1 END)) AS k
       FROM chosen c CROSS JOIN as_of_day a),
     spans AS (
       SELECT c.*, CASE WHEN c.k = 1 THEN c.date ELSE st.date END AS start_date, s.date AS end_date
       FROM periods c
       LEFT JOIN school_day_index st ON st.d = c.d + 5 * c.weeks * (c.k - 1)
       LEFT JOIN school_day_index s ON s.d = c.d + 5 * c.weeks * c.k
       WHERE c.k = 1 OR st.date <= $as_of::DATE)
     -- p_: sessions to the step's day (the year to date then); w_: after the period's start,
     -- to its end (the as-of date while it runs).
     SELECT s.intervention_id AS id, s.k, strftime(s.end_date, '%Y-%m-%d') AS end_date,
            coalesce(a.cpos, 0)::INTEGER AS p_possible, coalesce(a.catt, 0)::INTEGER AS p_attended,
            (coalesce(e.cpos, 0) - coalesce(b.cpos, 0))::INTEGER AS w_possible, (coalesce(e.catt, 0) - coalesce(b.catt, 0))::INTEGER AS w_attended
     FROM spans s
     ASOF LEFT JOIN cum a ON a.pupil_id = s.pupil_id AND s.date >= a.date
     ASOF LEFT JOIN cum e ON e.pupil_id = s.pupil_id AND coalesce(s.end_date, $as_of::DATE) >= e.date
     ASOF LEFT JOIN cum b ON b.pupil_id = s.pupil_id AND s.start_date >= b.date
     ORDER BY s.intervention_id, s.k`,
    {
      as_of: asOf,
      marks_from: yearFrom,
      marks_to: asOf,
      ids: `[${watched.map((w) => Number(w.id)).join(",")}]`,
      weeks: `[${watched.map((w) => w.weeks).join(",")}]`,
      pupils: `[${pupilIds.join(",")}]`,
    },
  );
  // Each watched intervention's periods, in order (k = 1, 2, …).
  const watchedWeeks = new Map(watched.map((w) => [Number(w.id), w.weeks]));
  const periodsOf = new Map<number, StepWindow[]>();
  for (const row of periodRows) {
    const periods = periodsOf.get(Number(row.id)) ?? [];
    periodsOf.set(Number(row.id), periods);
    periods[Number(row.k) - 1] = {
      end_date: row.end_date === null ? null : String(row.end_date),
      p_possible: Number(row.p_possible),
      p_attended: Number(row.p_attended),
      w_possible: Number(row.w_possible),
      w_attended: Number(row.w_attended),
    };
  }

  // 3. The penalty-notice check (the casework rule penalty_notice_threshold's window and
  //    count), for every ladder: a ladder with a penalty step falls due by it, and under any
  //    ladder a pupil who meets it with nothing pending is told to consider a penalty notice.
  //    The day of the Nth unauthorised session in the window is the first day the pupil's
  //    running count of them reaches N, read from the store's day aggregate (unauthorised:
  //    G, N, O, U in both regimes), not the marks.
  const penalty = onePupil !== null
    ? await onePupilPenalty(connection, { upn: onePupil, asOf, marksFrom: shiftDays(asOf, -400), windowWeeks: policy.penalty_window_school_weeks, threshold: policy.penalty_sessions })
    : await cachedRows<Row>(
    connection,
    `WITH ${SCHOOL_CALENDAR_CTES}, ${roll},
     win AS (SELECT min(week) AS first_week FROM (SELECT week FROM school_weeks WHERE first_day <= $as_of::DATE ORDER BY week DESC LIMIT $window_weeks)),
     u AS (
       SELECT k.upn, d.date, sum(d.unauthorised) OVER (PARTITION BY d.pupil_id ORDER BY d.date ROWS UNBOUNDED PRECEDING) AS k
       FROM mark_days d JOIN pupil_ids k USING (pupil_id) SEMI JOIN roll ON roll.upn = k.upn CROSS JOIN win
       WHERE d.unauthorised > 0 AND d.date BETWEEN win.first_week AND $as_of::DATE AND d.date >= $marks_from::DATE)
     SELECT upn, strftime(min(date) FILTER (WHERE k >= $sessions), '%Y-%m-%d') AS reached, max(k)::INTEGER AS sessions
     FROM u GROUP BY upn`,
    { as_of: asOf, marks_from: shiftDays(asOf, -400), ...only, window_weeks: policy.penalty_window_school_weeks, sessions: policy.penalty_sessions },
      );

  // School days, to count the grace period in school days.
  const schoolDays = (await cachedRows<{ date: string }>(
    connection,
    `WITH ${SCHOOL_CALENDAR_CTES} SELECT strftime(date, '%Y-%m-%d') AS date FROM school_days_all WHERE date >= $year_from::DATE ORDER BY date`,
    { year_from: yearFrom },
  )).map((r) => r.date);
  // The n-th school day after `date`; null when the calendar holds fewer (its last day was
  // returned, so a step fell "late" on the first day of a holiday no grace had run in).
  const addSchoolDays = (date: string, n: number): string | null => {
    if (n <= 0) return date;
    const index = schoolDays.findIndex((d) => d > date);
    if (index < 0 || index + n - 1 >= schoolDays.length) return null;
    return schoolDays[index + n - 1];
  };

  const crossed = new Map<string, string>();
  for (const row of totals) {
    lines.forEach((line, i) => {
      const date = row[`crossed_${i}`];
      if (date !== null && date !== undefined) crossed.set(crossedKey(String(row.upn), line), String(date));
    });
  }
  const penaltyReached = new Map(penalty.flatMap((row) => (row.reached === null ? [] : [[String(row.upn), String(row.reached)] as const])));
  // Unauthorised sessions in the window, for the words of a penalty notice not open.
  const penaltySessions = new Map(penalty.map((row) => [String(row.upn), Number(row.sessions)]));
  // 4. The day the register first showed each line crossed and the threshold met, where a mark
  //    amended later makes it later than the rule's date (register-showed.ts).
  const shownLater = await registerShowedLater(connection, {
    asOf,
    yearFrom,
    marksFrom: shiftDays(asOf, -400),
    onePupil,
    lines,
    minPossible: PUPIL_JUDGED_MIN_SESSIONS,
    crossed,
    reached: penaltyReached,
    penalty: { sessions: policy.penalty_sessions, windowWeeks: policy.penalty_window_school_weeks },
    doneBefore: formalMeetingHeldBefore(ladder, crossed, byPupil),
    answeredBy: penaltyAnswerableBy(ladder, penaltyReached, byPupil, doneOf),
  });

  // Pupils with nothing due or pending whose ladder would seek a penalty notice the threshold does not open.
  const closedUpns = new Set<string>();
  const standings = totals.map((total): LadderStanding => {
    const upn = String(total.upn);
    const possible = Number(total.possible);
    const attended = Number(total.attended);
    const rows = byPupil.get(upn) ?? [];
    const done = doneOf(rows);
    // Each (type, date, weeks)'s monitoring periods, in order (k = 1, 2, …): those read (watched).
    const windows = new Map<string, StepWindow[]>();
    for (const row of rows) {
      const periods = periodsOf.get(Number(row.id));
      const weeks = watchedWeeks.get(Number(row.id));
      if (periods && weeks !== undefined) windows.set(`${row.type}|${row.date}|${weeks}`, periods);
    }
    const { stageIndex, stageDate, taken } = stageOf(ladder, done);
    const due: DueStep[] = [];
    let conditional: DueStep | null = null;
    let improvedAfter: string | null = null;
    // The end of the first monitoring period that improved (the congratulations letter's
    // day), and of the period running on the as-of date after an improvement (the next review).
    let firstImproved: string | null = null;
    let reviewBy: string | null = null;
    // Anything due from `from` (a step, the policy's dated action): due by the ladder's grace
    // in school days after it, late once that has passed. From the day the register first
    // showed its rule met instead (`shown`), when that is later: never late before then.
    const dated = (type: InterventionType, label: string, from: string, shown?: ShownLateFrom) => {
      const later = shown?.day !== undefined && shown.day > from ? shown.day : null;
      const start = later ?? from;
      const by = addSchoolDays(start, ladder.graceSchoolDays);
      return {
        type,
        label,
        due_from: start,
        due_by: by,
        late: by !== null && asOf > by,
        ...(later !== null && shown ? { shown_late: { met_on: shown.met ?? from, rule: shown.rule } } : {}),
        // Shown only after the as-of date (an amendment made since): not due then, so never late then.
        ...(later !== null && later > asOf ? { not_yet_due: true as const } : {}),
      };
    };
    // A conditional step falls due at the end of its monitoring period, so its grace runs from
    // there too ("if no improvement by 4 Dec: due by 11 Dec"; it read "due by 4 Dec", against
    // the page's own rule of five school days); it is never late before it is due.
    // A penalty notice is for unauthorised absence: a ladder step that seeks one (Ludlow's, after
    // the final warning's monitoring period) is open only while the pupil meets the national
    // framework's threshold. Without it the step is neither due nor pending, and the pupil is
    // told why not (penaltyNotOpen) — a trial saw "Penalty notice sought" as the next step
    // of a pupil whose absence was 60 sessions of C2 (part-time timetable) and 2 of O.
    let penaltyClosed = false;
    const opens = (step: EscalationStep) => {
      if (!step.types.includes("penalty_notice_requested") || penaltyReached.has(upn)) return true;
      penaltyClosed = true;
      return false;
    };
    // A step beyond the stage falls due no earlier than the stage's day: the ladder is climbed in
    // order, and a stage recorded after a line was crossed (or the penalty threshold met) is the
    // school's answer until then. Littledean's penalty notice read "due from 28 Oct, late" beside
    // formal support recorded on 10 Nov; Ludlow's monitoring letter was dated before the 96 %
    // letter the school had just sent. (A follow-up's period starts at the stage: always later.)
    const notBeforeStage = (from: string) => (stageDate !== "" && from < stageDate ? stageDate : from);
    const dueStep = (step: EscalationStep, from: string, isConditional = false, shown?: ShownLateFrom): DueStep => {
      const due = dated(step.types[0], step.label, notBeforeStage(from), shown && { ...shown, met: from });
      return { ...due, late: !isConditional && due.late, conditional: isConditional };
    };
    ladder.steps.forEach((step, i) => {
      if (i <= stageIndex && step.trigger.kind !== "after") return;
      // A penalty notice recorded before the ladder reached it (stepsTaken) is still to be taken
      // after a monitoring period; one recorded on the threshold answers the threshold.
      if (step.trigger.kind === "after" ? taken[i] : stepDone(step, done)) return;
      const trigger = step.trigger;
      if (trigger.kind === "attendance") {
        if (i < stageIndex) return;
        const key = crossedKey(upn, trigger);
        const from = crossed.get(key);
        if (from) due.push(dueStep(step, from, false, { day: shownLater.lines.get(key), rule: "line" }));
      } else if (trigger.kind === "penalty_threshold") {
        const from = penaltyReached.get(upn);
        if (from) due.push(dueStep(step, from, false, { day: shownLater.penalty.get(upn), rule: "threshold" }));
      } else {
        if (i !== stageIndex + 1) return;
        const previous = taken[i - 1];
        if (!previous) return;
        const previousType = ladder.steps[i - 1].types.find((t) => done.get(t) === previous) as InterventionType;
        const periods = windows.get(`${previousType}|${previous}|${trigger.schoolWeeks}`);
        if (!periods?.length) return;
        // Period after period (Appendix A 9: after an improvement "monitoring and communication
        // with the parents continues"): the first that ends without improvement makes the step
        // due at its end. The first period still running makes it conditional on its end; a
        // later one leaves the pupil improved (the policy's words) until it ends.
        for (const [k, window] of periods.entries()) {
          if (!window) return;
          if (window.end_date === null || window.end_date > asOf) {
            if (k === 0 && opens(step)) conditional = dueStep(step, window.end_date ?? asOf, true);
            else reviewBy = window.end_date;
            return;
          }
          // Improved: attendance over the period above the year to date on the step's day, and
          // at the ladder's line (improvedOver: a rise that leaves the pupil persistently or
          // severely absent over the period is no improvement, and the step falls due).
          const improved = improvedOver(
            { attended: window.w_attended, possible: window.w_possible },
            { attended: window.p_attended, possible: window.p_possible },
            ladder.improvedLine,
          );
          const stillBelow = trigger.whileBelow ? belowLine(attended, possible, trigger.whileBelow, 1) : true;
          if (!stillBelow) {
            improvedAfter = window.end_date;
            firstImproved ??= window.end_date;
            // Monitoring goes on (Appendix A 9): the next review is the end of the period running now.
            const running = periods.find((p) => p && (p.end_date === null || p.end_date > asOf));
            reviewBy = running ? running.end_date : null;
            return;
          }
          if (!improved) {
            if (opens(step)) due.push(dueStep(step, window.end_date));
            return;
          }
          improvedAfter = window.end_date;
          firstImproved ??= window.end_date;
        }
      }
    });
    // The ladder's own verdict before the formal meeting joins it: an improved period still
    // stands beside the meeting (its letter due, the next review dated), only no longer alone.
    const ladderQuiet = due.length === 0 && conditional === null;
    const ladderImproved = due.length === 0 ? improvedAfter : null;
    const meeting = formalMeetingDue(ladder, upn, done, crossed, shownLater, dated);
    if (meeting) placeFormalMeeting(ladder, due, meeting);
    // Furthest first, then the most pressing first: `next` is the one nextStepOf would show.
    const dueShown = mostUrgentFirst(due.reverse());
    const stage = stageIndex >= 0 ? { type: ladder.steps[stageIndex].types[0], label: ladder.steps[stageIndex].label, date: stageDate } : null;
    if (stage) {
      const recorded = ladder.steps[stageIndex].types.find((t) => done.get(t) === stageDate) as InterventionType;
      stage.type = recorded;
      const step = ladder.steps[stageIndex];
      stage.label = recorded === step.types[0] ? step.label : (step.recordedAs?.[recorded] ?? `${step.label} (${ladder.typeLabels[recorded]})`);
    }
    const reached = penaltyReached.get(upn) ?? null;
    const nothingPending = due.length === 0 && conditional === null;
    const penaltySought = done.has("penalty_notice_requested");
    const improvedAfterShown = ladderImproved;
    if (nothingPending && penaltyClosed) closedUpns.add(upn);
    // The policy's dated action (LadderStanding.action_due).
    let actionDue: LadderStanding["action_due"] = null;
    // The policy's action after an improvement recorded since the stage's step (the letter sent).
    const improvedActionSent = ladder.improvedAction ? done.get(ladder.improvedAction.type) : undefined;
    const improvedActionDone = Boolean(improvedActionSent && stageDate && improvedActionSent >= stageDate);
    // The penalty notice threshold is met whatever the ladder has pending: it is due from the
    // day it was met (a trial saw it first on the page already late, hidden for two weeks behind
    // a meeting that was due only if attendance did not improve).
    // … unless the school answered it with the ladder's step before a penalty notice, recorded
    // after the threshold was met (Ludlow's final warning: Appendix A 10 warns, then seeks a
    // notice if there is no improvement): then the ladder's penalty step, open only while the
    // threshold is met, is the next step, and the consideration is not due from before the stage
    // (a trial saw "Consider a penalty notice (by 4 Nov, late)" beside a final warning of 13 Nov,
    // the lists showing it as the next step). An earlier step (a monitoring letter) goes by
    // attendance and answers nothing of the threshold.
    // Likewise when a step of the ladder that seeks the penalty notice is due (Littledean's, on
    // the threshold itself): it is that consideration, dated as the ladder dates steps (never
    // before the stage), and is not given again beside it from before the stage (a trial's
    // "Also due: Consider a penalty notice (by 4 Nov, late)" beside a meeting of 10 Nov).
    // And when the stage is one of the measures the policy takes before a penalty notice
    // (answersPenaltyThreshold: Ludlow §14 and Appendix A 10, its parenting contract): the
    // ladder's own next steps lead to the notice (a final warning, then the notice), so the
    // consideration is not due from before it (trial 26: the SLT pack's "Due by 4 Nov, late"
    // beside a parenting contract recorded on 13 Nov, the threshold met on 21 Oct).
    const answered =
      reached !== null &&
      stageDate !== "" &&
      reached < stageDate &&
      (stageAnswersThreshold(ladder, stageIndex) || due.some((d) => d.type === "penalty_notice_requested"));
    const improvedAction =
      ladderQuiet && improvedAfterShown && firstImproved && ladder.improvedAction && !improvedActionDone
        ? dated(ladder.improvedAction.type, `${ladder.improvedAction.label} (${ladder.improvedAction.source})`, firstImproved)
        : null;
    // The penalty notice to consider first; the letter after an improvement beside it, not lost behind it.
    let actionAlso: LadderStanding["action_also"] = null;
    if (reached && !penaltySought && !answered) {
      actionDue = dated("penalty_notice_requested", penaltyAdvice(policy), reached, { day: shownLater.unanswered.get(upn) ?? shownLater.penalty.get(upn), rule: "threshold" });
      actionAlso = improvedAction;
    } else actionDue = improvedAction;
    return {
      upn,
      attendance_pct: possible > 0 ? (100 * attended) / possible : null,
      stage,
      improved_after: improvedAfterShown,
      next: dueShown[0] ?? conditional,
      due: dueShown,
      penalty_reached: reached,
      next_action: nothingPending
        ? reached && !penaltySought && !answered
          ? penaltyAdvice(policy)
          : penaltyClosed
            ? null // filled below, with the pupil's absence by kind (penaltyNotOpen)
            : nextActionWords(policy, stageIndex, improvedAfter, improvedActionDone)
        : null,
      next_action_general: null,
      next_action_figures: null,
      penalty_sessions: penaltySessions.get(upn) ?? 0,
      action_due: actionDue,
      action_also: actionAlso,
      review_by: ladderQuiet && improvedAfterShown ? reviewBy : null,
    };
  });

  // The words of a penalty notice not open need the pupil's absence this year by kind.
  if (closedUpns.size === 0) return standings;
  const absence = new Map((await absenceMix(connection, { from: yearFrom, to: asOf, upns: [...closedUpns] })).map((row) => [row.upn, row]));
  for (const st of standings) {
    if (!closedUpns.has(st.upn)) continue;
    const why = penaltyNotOpen(policy, st.penalty_sessions, absence.get(st.upn) ?? { upn: st.upn, absence: 0, authorised: 0, part_time: 0 });
    st.next_action = why.words;
    st.next_action_general = why.general;
    st.next_action_figures = why.figures;
  }
  return standings;
}
