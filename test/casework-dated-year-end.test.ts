/**
 * Break test (session 15): a dated action that falls due on the last school day the calendar
 * holds. Hand-built register, real SQL: school days Mon 1 Sep – Fri 19 Dec 2025 and nothing
 * after (next term's calendar not imported yet, as at every year's end before the new year's
 * dates are typed). The pupil is ill 1 Sep – Fri 5 Dec and present 8–19 Dec; the Ludlow
 * monitoring letter (below 90 %) was recorded on Fri 5 Dec, so the two-week period 8–19 Dec
 * improved (20 of 20 sessions, year to date still below 90 %): the SLT's congratulations
 * letter falls due from Fri 19 Dec. The ladder's grace is 5 school days (Rollcall's default);
 * none of them has passed on Mon 22 Dec (a holiday), so the letter cannot be late — yet
 * addSchoolDays, finding no school day after 19 Dec, returns 19 Dec itself: "due by 19 Dec",
 * late from the first day of the holiday.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { LUDLOW_LADDER } from "../analytics/casework/policy.ts";
import { ladderFor, type LadderPolicy } from "../analytics/interventions/ladder.ts";
import { recordIntervention } from "../analytics/interventions/store.ts";
import { caseworkLadderOf } from "../analytics/casework/lists.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { stepsOnly } from "./helpers/ladder.ts";
import { absentDays, registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("casework-dated-year-end");
const ludlow: LadderPolicy = { ladder: stepsOnly(LUDLOW_LADDER), penalty_sessions: 10, penalty_window_school_weeks: 10 };

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [
      { from: "2025-09-01", to: "2025-10-17", half: "autumn-1-2025", term: "autumn-2025" },
      { from: "2025-11-03", to: "2025-12-19", half: "autumn-2-2025", term: "autumn-2025" },
    ]);
    const ill = absentDays(days.filter((d) => d <= "2025-12-05"));
    await seedRegister(c, { pupils: [{ upn: "XMAS", admission_date: "2025-09-01" }], marks: registerOf("XMAS", days, ill) });
    await recordIntervention(c, { by: "Ms Lead", role: "attendance_lead", today: "2025-12-05", note: "", upn: "XMAS", type: "letter_below_90", date: "2025-12-05" });
  });
});
afterAll(() => removeDb(db));

describe("an action due on the calendar's last school day", () => {
  it("is not late on the first day of the holiday, before any of its five school days of grace", async () => {
    const standing = await withConnection(db, async (c) => (await ladderFor(c, "2025-12-22", ludlow)).find((s) => s.upn === "XMAS")!);
    expect(standing.improved_after).toBe("2025-12-19");
    expect(standing.action_due).toMatchObject({ type: "letter_improved", due_from: "2025-12-19" });
    expect(standing.action_due!.late).toBe(false);
    expect(standing.action_due!.due_by).not.toBe("2025-12-19");
    // Not known until next term's dates are imported: said so on the list, its CSV and the pack.
    expect(standing.action_due!.due_by).toBeNull();
    const ladder = caseworkLadderOf(standing);
    expect(ladder).toMatchObject({ status: "due", due_by: null });
  });
});
