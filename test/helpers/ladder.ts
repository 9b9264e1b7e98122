/**
 * A ladder with its own steps only, without the policy's formal meeting below a line
 * (LadderDefinition.formalMeeting, Ludlow §4): for the tests of the steps' monitoring periods and
 * penalty notices whose hand-built pupils are far below 85 % with no meeting recorded, where §4's
 * meeting would be due beside every step under test (test/ladder-formal-meeting.test.ts is its own).
 */
import type { LadderDefinition } from "../../analytics/interventions/ladder-policies.ts";
import { withConnection } from "../../analytics/db.ts";
import { ladderFor, type LadderPolicy } from "../../analytics/interventions/ladder.ts";

/** One pupil's standing on `policy`'s ladder as of `asOf` (ladderFor on the database file `db`), or undefined off roll. */
export async function standingIn(db: string, asOf: string, upn: string, policy: LadderPolicy) {
  return (await withConnection(db, (c) => ladderFor(c, asOf, policy, { upn })))[0];
}

export function stepsOnly(ladder: LadderDefinition): LadderDefinition {
  const { formalMeeting: _formal, ...steps } = ladder;
  return steps;
}
