/**
 * The ladder policy in force: the ladder of the policy preset the school chose in Settings
 * (the one policy object, analytics/casework/policy.ts), its template filled with that
 * policy's own numbers — the letter and monitoring thresholds, the monitoring periods and the
 * penalty-notice threshold (ladder-policies.ts, `fillLadder`) — so a number changed in
 * Settings changes the ladder's triggers and words together.
 */
import type { Settings } from "../settings.ts";
import type { LadderPolicy } from "./ladder.ts";

export function ladderPolicyOf(settings: Settings): LadderPolicy {
  return {
    ladder: settings.policy.ladder,
    penalty_sessions: settings.penalty_sessions,
    penalty_window_school_weeks: settings.penalty_window_school_weeks,
  };
}
