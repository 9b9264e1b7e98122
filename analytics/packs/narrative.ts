/**
 * Sentences for the governors' pack, written from the figures: successes, barriers,
 * interventions implied by the ladder and next steps. Pure functions of the facts the FGB
 * builder gathers, so every sentence carries a figure that is also in the pack's tables.
 * Suppressed groups never appear, and pupil counts below the small-group minimum are
 * written "fewer than N".
 */
import type { Measures } from "../measures.ts";
import { capitalise, meetsTarget, pct } from "./format.ts";
import { formatThreshold, targetVerdict } from "../thresholds.ts";
import { printedDifference } from "../printed-difference.ts";
import { bandRange, stepSummary } from "./ladder.ts";
import { isSmallCount, type SuppressionMin } from "./suppress.ts";

export interface NarrativeGroup {
  /** "FSM pupils", "Year 5". */
  name: string;
  current: Measures;
  /** The group in the change's earlier half term (NarrativeFacts.change); null when hidden or not present. */
  previous: Measures | null;
  /** The group in the change's later half term; null when hidden or not present. */
  latest: Measures | null;
  /** The rest of the school this term, when a comparison makes sense. */
  rest: Measures | null;
}

export interface NarrativeFacts {
  termLabel: string;
  /**
   * What changed: the last half term ended by the pack's end against the one before, the spans
   * and figures the governors' Overview compares (analytics/governor-periods.ts
   * lastTwoEndedHalfTerms), each as its half term's plan gives it (null attendance where
   * withheld). `pupilsDiffer`: the Overview's words when the two are in different academic
   * years (analytics/population-words.ts changePopulationWords), else null. Null with fewer
   * than two half terms.
   */
  change: { previousLabel: string; latestLabel: string; previous: Measures; latest: Measures; pupilsDiffer: string | null } | null;
  target: number;
  min: SuppressionMin;
  term: Measures;
  termLastYear: Measures;
  yearToDate: Measures;
  yearToDateLastYear: Measures;
  /**
   * The year to date's persistently and severely absent counts withheld by the governors'
   * plan (packSuppression): said as withheld, as a small count is. Default: neither.
   */
  yearToDateWithheld?: { pa: boolean; sa: boolean };
  /** Focus groups (never suppressed ones). */
  groups: NarrativeGroup[];
  /** Year groups with enough pupils to be named. */
  yearGroups: NarrativeGroup[];
  weekdays: Array<{ day: string; attendance: number | null }>;
  /** Absence reasons this term with sessions, largest first. */
  reasons: Array<{ label: string; sessions: number }>;
  /** Pupils in each ladder band year to date, thresholds highest first. */
  ladder: Array<{ threshold: number; pupils: number; /** Withheld, small or so that a small band cannot be worked out (ladder-suppression.ts). */ withheld?: boolean }>;
  pendingN: { sessions: number; overdue: number; limit: number };
  /** The school's policy preset (Settings): the bands' steps are worded from it (ladder.ts). */
  policy: "ludlow" | "littledean";
}

export interface Narrative {
  successes: string[];
  barriers: string[];
  interventions: string[];
  nextSteps: string[];
}

const MEANINGFUL_CHANGE = 0.5; // points: smaller movements are noise in a primary school

const pts = (value: number) => `${Math.abs(value).toFixed(1)} points`;

/**
 * Said for a count withheld from governors, whatever withheld it: the words do not tell a
 * small count from one withheld to protect another (analytics/suppression.ts WITHHELD_TEXT).
 */
const WITHHELD_PUPILS = "a number of pupils (withheld)";

function pupilsWords(n: number, min: SuppressionMin, withheld = false): string {
  if (withheld || isSmallCount(n, min)) return WITHHELD_PUPILS;
  return n === 1 ? "1 pupil" : `${n} pupils`;
}

/**
 * A count of sessions in words. A handful of sessions (1 … min − 1) can be one pupil's, so for
 * governors it is withheld as the pupils' counts are.
 */
function sessionsWords(n: number, min: SuppressionMin): string {
  if (isSmallCount(n, min)) return "a number of absence sessions (withheld)";
  return n === 1 ? "1 absence session" : `${n} absence sessions`;
}

export function writeNarrative(f: NarrativeFacts): Narrative {
  const successes: string[] = [];
  const barriers: string[] = [];
  const interventions: string[] = [];
  const nextSteps: string[] = [];
  const term = f.term.attendance_pct;

  if (term === null) {
    return {
      successes: [],
      barriers: [`There are no register marks for ${f.termLabel} yet, so nothing can be said about it.`],
      interventions: [],
      nextSteps: ["Import the register for this term."],
    };
  }

  // Against target and last year.
  // Unrounded (analytics/thresholds.ts): 96.08 % is below a 96.1 % target, printed to two
  // decimals so the sentence does not read "96.1%, below the 96.1% target".
  // The gap in words is the printed figures' (analytics/printed-difference.ts): "just" when
  // they print the same, as 96.08 % against 96.1 % does.
  // One verdict for every page and pack (analytics/thresholds.ts targetVerdict): the gap is
  // the printed figure's, to the decimals that show it (96.15 % is 0.05 pts above 96.1 %).
  const verdict = targetVerdict(term, f.target);
  (verdict.meets ? successes : barriers).push(
    `Attendance in ${f.termLabel} is ${verdict.figure}, ${verdict.status === "at" ? "on" : `${verdict.size} points ${verdict.status}`} the ${formatThreshold(f.target, 1)} target.`,
  );
  const lastYear = f.termLastYear.attendance_pct;
  if (lastYear !== null) {
    const change = printedDifference(term, lastYear) as number;
    if (Math.abs(change) >= 0.1) {
      (change > 0 ? successes : barriers).push(
        `Attendance is ${change > 0 ? "up" : "down"} ${pts(change)} on the same weeks last year (${pct(lastYear)}).`,
      );
    }
  }
  // Like for like with the Overview: half term against half term, never a part term against a whole one.
  const halves = f.change;
  const fromTo = halves ? `from ${halves.previousLabel} to ${halves.latestLabel}` : "";
  if (halves && halves.previous.attendance_pct !== null && halves.latest.attendance_pct !== null) {
    const change = printedDifference(halves.latest.attendance_pct, halves.previous.attendance_pct) as number;
    if (Math.abs(change) >= 0.1) {
      (change > 0 ? successes : barriers).push(
        `Attendance ${change > 0 ? "rose" : "fell"} ${pts(change)} ${fromTo} (${pct(halves.previous.attendance_pct)} to ${pct(halves.latest.attendance_pct)}).${halves.pupilsDiffer ? ` ${halves.pupilsDiffer}` : ""}`,
      );
    }
  }

  // Persistent absence, year to date against the same point last year.
  const pa = f.yearToDate;
  const paLast = f.yearToDateLastYear;
  if (pa.pa_pct !== null && paLast.pa_pct !== null && !isSmallCount(pa.pa_pupils, f.min) && !isSmallCount(paLast.pa_pupils, f.min) && !f.yearToDateWithheld?.pa) {
    const change = pa.pa_pct - paLast.pa_pct;
    if (Math.abs(change) >= MEANINGFUL_CHANGE) {
      (change < 0 ? successes : barriers).push(
        `Persistent absence ${change < 0 ? "fell" : "rose"} from ${pct(paLast.pa_pct)} to ${pct(pa.pa_pct)} of pupils compared with the same point last year.`,
      );
    }
  }

  // Groups since last term, and against the rest of the school.
  for (const group of f.groups) {
    const now = group.latest?.attendance_pct ?? null;
    const before = group.previous?.attendance_pct ?? null;
    if (now !== null && before !== null && halves) {
      const change = printedDifference(now, before) as number;
      if (Math.abs(change) >= MEANINGFUL_CHANGE) {
        // Across a September the group's pupils are not the same children: said, in the Overview's words.
        (change > 0 ? successes : barriers).push(
          `Attendance of ${group.name} ${change > 0 ? "rose" : "fell"} ${pts(change)} ${fromTo} (${pct(before)} to ${pct(now)}).${halves.pupilsDiffer ? " The two half terms are in different academic years, so the pupils differ: this compares the group, not the same children." : ""}`,
        );
      }
    }
  }
  const gaps = f.groups
    .filter((g) => g.rest?.attendance_pct != null && g.current.attendance_pct !== null)
    .map((g) => ({ group: g, gap: printedDifference(g.current.attendance_pct, g.rest!.attendance_pct) as number }))
    .sort((a, b) => a.gap - b.gap);
  const widest = gaps[0];
  if (widest && widest.gap <= -MEANINGFUL_CHANGE) {
    barriers.push(
      `${capitalise(widest.group.name)} attend ${pts(widest.gap)} less than the rest of the school this term (${pct(widest.group.current.attendance_pct)} against ${pct(widest.group.rest!.attendance_pct)}).`,
    );
    nextSteps.push(`Narrow the attendance gap for ${widest.group.name} (${pts(widest.gap)} below the rest of the school).`);
  }
  for (const { group, gap } of gaps.filter((g) => g.gap >= MEANINGFUL_CHANGE)) {
    successes.push(`${capitalise(group.name)} attend ${pts(gap)} more than the rest of the school this term.`);
  }

  // Weekdays.
  const days = f.weekdays.filter((d) => d.attendance !== null) as Array<{ day: string; attendance: number }>;
  if (days.length >= 2) {
    const sorted = [...days].sort((a, b) => a.attendance - b.attendance);
    const lowest = sorted[0];
    const highest = sorted[sorted.length - 1];
    const spread = printedDifference(highest.attendance, lowest.attendance) as number;
    if (spread >= MEANINGFUL_CHANGE) {
      barriers.push(`${lowest.day} attendance is the lowest weekday at ${pct(lowest.attendance)} (the highest is ${highest.day} at ${pct(highest.attendance)}).`);
      nextSteps.push(`Look into ${lowest.day} absence: attendance on ${lowest.day}s is ${pts(spread)} below ${highest.day}s.`);
    }
  }

  // Reasons.
  // Of all absence (the term's authorised and unauthorised sessions): the reasons given may leave some withheld out.
  const totalAbsence = f.term.authorised_sessions + f.term.unauthorised_sessions;
  if (totalAbsence > 0 && f.reasons.length > 0) {
    const top = f.reasons[0];
    barriers.push(`${top.label} accounts for ${pct((100 * top.sessions) / totalAbsence)} of absence this term.`);
  }
  const unauthorised = f.term.unauthorised_pct;
  const unauthorisedLastYear = f.termLastYear.unauthorised_pct;
  if (unauthorised !== null && unauthorisedLastYear !== null && unauthorised - unauthorisedLastYear >= 0.2) {
    nextSteps.push(`Challenge unauthorised absence, up from ${pct(unauthorisedLastYear)} to ${pct(unauthorised)} of sessions on the same weeks last year.`);
  }

  // Year groups against target.
  const yearsBelow = f.yearGroups
    .filter((y) => y.current.attendance_pct !== null && !meetsTarget(y.current.attendance_pct, f.target))
    .sort((a, b) => a.current.attendance_pct! - b.current.attendance_pct!);
  const yearsAtTarget = f.yearGroups.filter((y) => y.current.attendance_pct !== null && meetsTarget(y.current.attendance_pct, f.target));
  if (yearsAtTarget.length > 0) {
    successes.push(`${yearsAtTarget.map((y) => `${y.name} (${targetVerdict(y.current.attendance_pct!, f.target).figure})`).join(", ")} ${yearsAtTarget.length === 1 ? "is" : "are"} at or above target this term.`);
  }
  if (yearsBelow.length > 0) {
    const lowest = yearsBelow[0];
    // The verdict's figure (targetVerdict): 96.08 % printed "96.1%" read as on a 96.1 % target.
    nextSteps.push(`Focus on ${lowest.name}, the year group furthest below target this term at ${targetVerdict(lowest.current.attendance_pct!, f.target).figure}.`);
  }

  // Interventions the ladder implies, as counts.
  // A withheld band is named whatever it holds: leaving out one of 0 would give its count
  // (a band withheld to protect another holds 0 or at least the minimum).
  const onLadder = f.ladder.filter((band) => band.withheld || band.pupils > 0);
  if (onLadder.length === 0) {
    successes.push("No pupil's attendance this year is below the policy's first threshold.");
  } else {
    interventions.push(
      `The attendance policy's ladder applies to ${onLadder
        .map((band) => {
          const index = f.ladder.indexOf(band);
          const range = bandRange(f.ladder.map((b) => b.threshold), index);
          const count = pupilsWords(band.pupils, f.min, band.withheld);
          return `${count} at ${range.charAt(0).toLowerCase()}${range.slice(1)} (${stepSummary(index, f.policy)})`;
        })
        .join("; ")}, on attendance this year to date.`,
    );
  }
  // A count the governors' plan withholds is said as withheld whatever it is, 0 included: a
  // sentence or clause written only when the count is above 0 would give a withheld 0 away
  // (session 14's adversary: the autumn 2024 pack's missing "of whom … severely" gave the
  // school's withheld severely absent count, 0, and so every group's).
  const paWithheld = Boolean(f.yearToDateWithheld?.pa);
  const saWithheld = Boolean(f.yearToDateWithheld?.sa);
  if (paWithheld || pa.pa_pupils > 0) {
    interventions.push(
      `${capitalise(pupilsWords(pa.pa_pupils, f.min, paWithheld))} ${pa.pa_pupils === 1 && !paWithheld && !isSmallCount(1, f.min) ? "is" : "are"} persistently absent this year to date${saWithheld || pa.sa_pupils > 0 ? `, of whom ${pupilsWords(pa.sa_pupils, f.min, saWithheld)} severely` : ""}; the policy asks for a named adult and a plan to remove barriers for each.`,
    );
    nextSteps.push("Review each persistently absent pupil's support plan at the next attendance meeting.");
  }
  if (f.pendingN.sessions > 0) {
    interventions.push(
      `${capitalise(sessionsWords(f.pendingN.sessions, f.min))} still await${f.pendingN.sessions === 1 && !isSmallCount(1, f.min) ? "s" : ""} a reason from home (N code); ${
        f.pendingN.overdue === 0 ? "none is" : isSmallCount(f.pendingN.overdue, f.min) ? "a number (withheld) are" : f.pendingN.overdue === 1 ? "1 is" : `${f.pendingN.overdue} are`
      } past the ${f.pendingN.limit}-school-day limit.`,
    );
    if (f.pendingN.overdue > 0) nextSteps.push("Resolve the overdue N codes: record them as unauthorised or with the reason given.");
  }
  if (nextSteps.length === 0) nextSteps.push(`Keep attendance at or above the ${formatThreshold(f.target, 1)} target.`);
  return { successes, barriers, interventions, nextSteps };
}
