/**
 * The ladder of one pupil (ladderFor with `upn`: a pupil's page), read from the pupil's own days
 * (analytics/interventions/ladder-one-pupil.ts), equals the same pupil's standing in the
 * set-based reading of every pupil at once, for every pupil of the demo school with a step
 * due or a penalty reached (and every fourth of the rest): the year to date, each line's current run below it, the penalty window and everything derived from them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, withConnection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { ladderFor } from "../analytics/interventions/ladder.ts";
import { ladderPolicyOf } from "../analytics/interventions/policy.ts";
import { getSettings } from "../analytics/settings.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const TODAY = "2026-11-23";
const db = tempDbPath("ladder-one-pupil");

beforeAll(async () => {
  await buildDemo(db, { today: TODAY });
}, 600_000);
afterAll(() => removeDb(db));

describe("one pupil's ladder", () => {
  it.each([TODAY, "2026-03-18"])("as of %s: every pupil's standing read alone equals theirs among every pupil's, on the school's policy and on a penalty threshold of 4 sessions in 6 weeks", async (asOf) => {
    await withConnection(db, async (c) => {
      const school = ladderPolicyOf(await getSettings(c));
      const upns = (await queryRows<{ upn: string }>(c, "SELECT upn FROM pupils ORDER BY upn")).map((r) => r.upn);
      let crossed = 0;
      let penalties = 0;
      for (const policy of [school, { ...school, penalty_sessions: 4, penalty_window_school_weeks: 6 }]) {
        const everyone = new Map((await ladderFor(c, asOf, policy)).map((s) => [s.upn, s]));
        // Every pupil with a step due, a penalty reached or a line crossed, and every fourth of the rest (in UPN order) besides.
        const chosen = upns.filter((upn, i) => {
          const s = everyone.get(upn);
          return i % 4 === 0 || (s !== undefined && (s.due.length > 0 || s.penalty_reached !== null));
        });
        for (const upn of chosen) {
          const alone = await ladderFor(c, asOf, policy, { upn });
          expect(alone).toEqual(everyone.has(upn) ? [everyone.get(upn)] : []);
          if (alone[0]?.due.length) crossed++;
          if (alone[0]?.penalty_reached) penalties++;
        }
      }
      // Not a vacuous comparison: pupils with steps due (lines crossed) among them.
      expect(crossed).toBeGreaterThan(0);
      if (asOf === TODAY) expect(penalties).toBeGreaterThan(0);
    });
  }, 600_000);
});
