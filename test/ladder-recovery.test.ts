/**
 * The ladder's attendance steps at the moment a pupil's year to date climbs back to a line:
 * `ladderFor` reads day by day only the pupils whose year to date (from the weekly
 * aggregate, the weeks cut by 1 August and the as-of date) is below one of the ladder's
 * lines, so a pupil exactly at a line must have no step due, and one a session under it the
 * step due from the first day of their run below it. Figures by hand below.
 *
 * A pupil is judged on a rate only from 40 possible sessions, their 20th school day here, Fri
 * 26 Sep (analytics/judged-span.ts), so each run below a line counts from that day, due by five
 * school days later, Fri 3 Oct. (These tests read R1 alone on days 9–11 and judged runs from
 * 1 September; the 90 % line is now R3's, whose year to date is still under it by day 20.)
 *
 * R1 is ill (I, I) on Monday 1 September 2025 and present every other school day, so after
 * school day n their attendance is (2n − 2) / 2n = (n − 1) / n: day 20 (Fri 26 Sep) 95 %,
 * day 23 (Wed 1 Oct) 95.7 %, day 25 (Fri 3 Oct) 96 %.
 * R3 is ill on the first three school days (1–3 Sep) and present after: (n − 3) / n, day 20
 * 85 %, day 29 (Thu 9 Oct) 89.7 %, day 30 (Fri 10 Oct) 90 %, day 31 (Mon 13 Oct) 90.3 %.
 * Every day before those is lower, so each run below a line began on the first day judged.
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

async function due(asOf: string, policy: LadderPolicy, upn = "R1") {
  const [standing] = await withConnection(db, (c) => ladderFor(c, asOf, policy, { upn }));
  return { pct: standing.attendance_pct, due: standing.due.map((d) => [d.type, d.due_from, d.due_by]) };
}

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [{ from: "2025-09-01", to: "2025-10-17", half: "autumn-1-2025", term: "autumn-2025" }]);
    const ill: [string, string] = ["I", "I"];
    await seedRegister(c, {
      pupils: [{ upn: "R1", admission_date: "2025-09-01" }, { upn: "R3", admission_date: "2025-09-01" }],
      marks: [...registerOf("R1", days, { "2025-09-01": ill }), ...registerOf("R3", days, { "2025-09-01": ill, "2025-09-02": ill, "2025-09-03": ill })],
    });
  });
});
afterAll(() => removeDb(db));

describe("attendance steps as the year to date climbs back to a line", () => {
  it("Ludlow: below both lines on day 29; at 90 % on day 30 only the 96 % letter is due", async () => {
    expect(await due("2025-10-09", ludlow, "R3")).toEqual({
      pct: (100 * 52) / 58,
      due: [
        ["letter_below_90", "2025-09-26", "2025-10-03"],
        ["letter_below_96", "2025-09-26", "2025-10-03"],
      ],
    });
    expect(await due("2025-10-10", ludlow, "R3")).toEqual({ pct: 90, due: [["letter_below_96", "2025-09-26", "2025-10-03"]] });
  });

  it("Ludlow: a session under 96 % mid-week the letter is still due; exactly 96 % nothing is", async () => {
    expect(await due("2025-10-01", ludlow)).toEqual({ pct: (100 * 44) / 46, due: [["letter_below_96", "2025-09-26", "2025-10-03"]] });
    expect(await due("2025-10-03", ludlow)).toEqual({ pct: 96, due: [] });
  });

  it("Littledean's line is inclusive: at exactly 90 % the meeting is due, above it nothing is", async () => {
    expect(await due("2025-10-10", littledean, "R3")).toEqual({ pct: 90, due: [["meeting_with_targets", "2025-09-26", "2025-10-03"]] });
    expect(await due("2025-10-13", littledean, "R3")).toEqual({ pct: (100 * 56) / 62, due: [] });
  });

  it("no step is due before the 40th session: R1 at 88.9 % on day 9 and R3 at 84.2 % on day 19", async () => {
    expect(await due("2025-09-11", ludlow)).toEqual({ pct: (100 * 16) / 18, due: [] });
    expect(await due("2025-09-25", ludlow, "R3")).toEqual({ pct: (100 * 32) / 38, due: [] });
  });
});
