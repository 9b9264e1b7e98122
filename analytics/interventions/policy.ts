/**
 * The ladder policy in force: the ladder of the policy preset the school chose in Settings
 * (the one policy object, analytics/casework/policy.ts), with that policy's own numbers —
 * the monitoring periods and the penalty-notice threshold — filled in, so a number changed
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
  let after = 0;
  return {
    ...ladder,
    steps: ladder.steps.map((step) => {
      if (step.trigger.kind !== "after") return step;
      const key = LUDLOW_PERIODS[after++];
      return key ? { ...step, trigger: { ...step.trigger, schoolWeeks: settings.policy[key] } } : step;
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
