/**
 * A ladder with its own steps only, without the policy's formal meeting below a line
 * (LadderDefinition.formalMeeting, Ludlow §4): for the tests of the steps' monitoring periods and
 * penalty notices whose hand-built pupils are far below 85 % with no meeting recorded, where §4's
 * meeting would be due beside every step under test (test/ladder-formal-meeting.test.ts is its own).
 */
import type { LadderDefinition } from "../../analytics/interventions/ladder-policies.ts";

export function stepsOnly(ladder: LadderDefinition): LadderDefinition {
  const { formalMeeting: _formal, ...steps } = ladder;
  return steps;
}
