/**
 * The ladder's attendance steps at the moment a pupil's year to date climbs back to a line:
 * `ladderFor` reads day by day only the pupils whose year to date (from the weekly
 * aggregate, the weeks cut by 1 August and the as-of date) is below one of the ladder's
 * lines, so a pupil exactly at a line must have no step due, and one a session under it the
 * step due from the first day of their run below it. Figures by hand below.
 *
 * R1 is ill (I, I) on Monday 1 September 2025 and present every other school day, so after
 * school day n their attendance is (2n − 2) / 2n = (n − 1) / n:
 * day 9 (Thu 11 Sep) 88.9 %, day 10 (Fri 12 Sep) 90 %, day 11 (Mon 15 Sep) 90.9 %,
 * day 23 (Wed 1 Oct) 95.7 %, day 25 (Fri 3 Oct) 96 %. Every day before those is lower,
 * so each run below a line began on 1 September.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { ladderFor, type LadderPolicy } from "../analytics/interventions/ladder.ts";
import { LITTLEDEAN_LADDER, LUDLOW_LADDER } from "../analytics/casework/policy.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("ladder-recovery");
const ludlow: LadderPolicy = { ladder: LUDLOW_LADDER, penalty_sessions: 10, penalty_window_school_weeks: 10 };
const littledean: LadderPolicy = { ladder: LITTLEDEAN_LADDER, penalty_sessions: 10, penalty_window_school_weeks: 10 };

async function due(asOf: string, policy: LadderPolicy) {
  const [standing] = await withConnection(db, (c) => ladderFor(c, asOf, policy, { upn: "R1" }));
  return { pct: standing.attendance_pct, due: standing.due.map((d) => [d.type, d.due_from, d.due_by]) };
}

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [{ from: "2025-09-01", to: "2025-10-17", half: "autumn-1-2025", term: "autumn-2025" }]);
    await seedRegister(c, { pupils: [{ upn: "R1", admission_date: "2025-09-01" }], marks: registerOf("R1", days, { "2025-09-01": ["I", "I"] }) });
  });
});
afterAll(() => removeDb(db));

describe("attendance steps as the year to date climbs back to a line", () => {
  it("Ludlow: below both lines on day 9; at 90 % on day 10 only the 96 % letter is due", async () => {
    expect(await due("2025-09-11", ludlow)).toEqual({
      pct: (100 * 16) / 18,
      due: [
        ["letter_below_90", "2025-09-01", "2025-09-08"],
        ["letter_below_96", "2025-09-01", "2025-09-08"],
      ],
    });
    expect(await due("2025-09-12", ludlow)).toEqual({ pct: 90, due: [["letter_below_96", "2025-09-01", "2025-09-08"]] });
  });

  it("Ludlow: a session under 96 % mid-week the letter is still due; exactly 96 % nothing is", async () => {
    expect(await due("2025-10-01", ludlow)).toEqual({ pct: (100 * 44) / 46, due: [["letter_below_96", "2025-09-01", "2025-09-08"]] });
    expect(await due("2025-10-03", ludlow)).toEqual({ pct: 96, due: [] });
  });

  it("Littledean's line is inclusive: at exactly 90 % the meeting is due, above it nothing is", async () => {
    expect(await due("2025-09-12", littledean)).toEqual({ pct: 90, due: [["meeting_with_targets", "2025-09-01", "2025-09-08"]] });
    expect(await due("2025-09-15", littledean)).toEqual({ pct: (100 * 20) / 22, due: [] });
  });
});
