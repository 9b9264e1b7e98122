/**
 * The ladder policy in force: the ladder of the policy preset the school chose in Settings
 * (the one policy object, analytics/casework/policy.ts), with that policy's own numbers —
 * the letter and monitoring thresholds, the monitoring periods and the penalty-notice threshold
 * — filled in, so a number changed
 * in Settings changes the ladder too.
 */
import type { Settings } from "../settings.ts";
import type { LadderPolicy } from "./ladder.ts";
import { LADDERS, type LadderDefinition } from "./ladder-policies.ts";

export type LadderPresetId = keyof typeof LADDERS;

/** Ludlow's `after` steps in order, each with the policy number that sets its period (Appendix A). */
const LUDLOW_PERIODS = ["monitoring_school_weeks", "targets_school_weeks", "final_warning_school_weeks"] as const;

function withPolicyNumbers(ladder: LadderDefinition, settings: Settings): LadderDefinition {
  if (ladder.id !== "ludlow") return ladder;
  // Ludlow's ladder is written at 96 % (letter) and 90 % (monitoring): the same two numbers as
  // the casework rules' letter and monitoring thresholds, so a school that moves one in
  // Settings moves the ladder's triggers and words with it (the trial found the letter list at
  // 95 % while the ladder still said "stabilises to 96%").
  const letter = settings.policy.letter_threshold_pct;
  const monitoring = settings.policy.monitoring_threshold_pct;
  const words = (text: string) => text.replace(/\b96%/g, `${letter}%`).replace(/\b90%/g, `${monitoring}%`);
  const bands = [letter, monitoring];
  let after = 0;
  let attendance = 0;
  return {
    ...ladder,
    whenImproved: words(ladder.whenImproved),
    steps: ladder.steps.map((step) => {
      if (step.trigger.kind === "attendance") {
        const pct = bands[attendance++] ?? step.trigger.pct;
        return { ...step, label: words(step.label), trigger: { ...step.trigger, pct } };
      }
      if (step.trigger.kind !== "after") return { ...step, label: words(step.label) };
      const key = LUDLOW_PERIODS[after++];
      const whileBelow = step.trigger.whileBelow ? { ...step.trigger.whileBelow, pct: monitoring } : undefined;
      return { ...step, label: words(step.label), trigger: { ...step.trigger, ...(key ? { schoolWeeks: settings.policy[key] } : {}), ...(whileBelow ? { whileBelow } : {}) } };
    }),
  };
}

export function ladderPolicyOf(settings: Settings): LadderPolicy {
  const preset = settings.policy.preset as LadderPresetId;
  return {
    ladder: withPolicyNumbers(LADDERS[preset] ?? LADDERS.ludlow, settings),
    penalty_sessions: settings.penalty_sessions,
    penalty_window_school_weeks: settings.penalty_window_school_weeks,
  };
}
