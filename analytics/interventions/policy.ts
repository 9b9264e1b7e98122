/**
 * The ladder policy in force: the chosen ladder preset with the school's penalty-notice
 * numbers from settings (analytics/settings.ts).
 */
import type { Settings } from "../settings.ts";
import type { LadderPolicy } from "./ladder.ts";
import { LADDERS } from "./ladder-policies.ts";

export type LadderPresetId = keyof typeof LADDERS;

export function ladderPolicyOf(settings: Settings, preset: LadderPresetId = "ludlow"): LadderPolicy {
  return {
    ladder: LADDERS[preset] ?? LADDERS.ludlow,
    penalty_sessions: settings.penalty_sessions,
    penalty_window_school_weeks: settings.penalty_window_school_weeks,
  };
}
