/**
 * The next step is the most pressing one, and one step is offered once (trial 31b). Registers by
 * hand, autumn 2025: 1 Sep–17 Oct, 27 Oct–19 Dec, school days only; every mark `/` unless said.
 *
 * - U1 (Ludlow): ill on Mon 1 and Tue 2 Sep and Wed 3 Sep's morning (5 sessions): judged from Fri
 *   26 Sep at 35/40 = 87.5 %. Monitoring letter Fri 26 Sep, meeting with targets Mon 29 Sep
 *   (37/42 = 88.1 %: above 85 %, so it is not §4's meeting). Ill Tue 30 Sep – Thu 2 Oct: below
 *   85 % from 30 Sep (37/44), so §4's formal meeting is due from 30 Sep, by Tue 7 Oct, late from
 *   the 8th. The meeting's two weeks (30 Sep – 13 Oct, 7 of 10 days) did not improve: the parenting
 *   contract falls due at their end, not late on Tue 14 Oct (53/64 = 82.8 %). The late meeting is
 *   the next step everywhere; the contract is also due.
 * - P1 (the ladder's steps only): final warning Mon 6 Oct; G G Tue 7 – Mon 13 Oct (10 sessions:
 *   the penalty-notice threshold met on 13 Oct, after the warning). On Tue 28 Oct the penalty
 *   notice is to be considered from 13 Oct, by Mon 27 Oct: late; the ladder's own penalty step
 *   waits for the warning's four weeks ("if no improvement"). One step: the late consideration.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { ladderFor, mostUrgentFirst, nextStepOf, type LadderPolicy } from "../analytics/interventions/ladder.ts";
import { LUDLOW_LADDER } from "../analytics/casework/policy.ts";
import { caseworkLadderOf } from "../analytics/casework/lists.ts";
import { recordIntervention } from "../analytics/interventions/store.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";
import { stepsOnly } from "./helpers/ladder.ts";

const db = tempDbPath("ladder-next-urgent");
const ludlow: LadderPolicy = { ladder: LUDLOW_LADDER, penalty_sessions: 10, penalty_window_school_weeks: 10 };
const steps: LadderPolicy = { ...ludlow, ladder: stepsOnly(LUDLOW_LADDER) };
const who = { by: "Ms Lead", role: "attendance_lead", today: "2026-07-01", note: "" };

async function standing(asOf: string, upn: string, policy: LadderPolicy) {
  return (await withConnection(db, (c) => ladderFor(c, asOf, policy, { upn })))[0];
}

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [
      { from: "2025-09-01", to: "2025-10-17", half: "autumn-1-2025", term: "autumn-2025" },
      { from: "2025-10-27", to: "2025-12-19", half: "autumn-2-2025", term: "autumn-2025" },
    ]);
    const ill: [string, string] = ["I", "I"];
    const u1: Record<string, [string, string]> = {
      "2025-09-01": ill, "2025-09-02": ill, "2025-09-03": ["I", "/"],
      "2025-09-30": ill, "2025-10-01": ill, "2025-10-02": ill,
    };
    const holiday = Object.fromEntries(["2025-10-07", "2025-10-08", "2025-10-09", "2025-10-10", "2025-10-13"].map((d) => [d, ["G", "G"]])) as Record<string, [string, string]>;
    await seedRegister(c, {
      pupils: ["U1", "P1"].map((upn) => ({ upn, admission_date: "2025-09-01" })),
      marks: [...registerOf("U1", days, u1), ...registerOf("P1", days, holiday)],
    });
    await recordIntervention(c, { ...who, upn: "U1", type: "letter_below_90", date: "2025-09-26" });
    await recordIntervention(c, { ...who, upn: "U1", type: "meeting_with_targets", date: "2025-09-29" });
    for (const [type, date] of [["letter_below_96", "2025-09-10"], ["letter_below_90", "2025-09-12"], ["meeting_with_targets", "2025-09-15"], ["parenting_contract", "2025-09-22"], ["final_warning", "2025-10-06"]] as const) {
      await recordIntervention(c, { ...who, upn: "P1", type, date });
    }
  });
});
afterAll(() => removeDb(db));

const FORMAL = "Formal meeting with parents: attendance below 85% (§4)";

describe("the next step is the most pressing: a late step before one merely due", () => {
  it("a late §4 meeting is the next step, ahead of a parenting contract merely due, on the page, the lists, their CSV and the SLT pack", async () => {
    const s = await standing("2025-10-14", "U1", ludlow);
    expect(s.stage?.type).toBe("meeting_with_targets");
    expect(s.due.map((d) => [d.label, d.due_by, d.late])).toEqual([
      [FORMAL, "2025-10-07", true],
      ["Parenting contract and education welfare protocol (targets not met)", expect.any(String), false],
    ]);
    expect(s.next?.label).toBe(FORMAL);
    const next = nextStepOf(s);
    expect(next.step?.label).toBe(FORMAL);
    expect(next.also.map((a) => a.label)).toEqual(["Parenting contract and education welfare protocol (targets not met)"]);
    // The lists, their CSV and the SLT pack read caseworkLadderOf.
    expect(caseworkLadderOf(s)).toMatchObject({ next: FORMAL, due_by: "2025-10-07", status: "late" });
  });

  it("among late ones, the one due by the earliest day; else the furthest step first", () => {
    const step = (label: string, due_by: string, late: boolean) => ({ label, due_by, late, conditional: false });
    // Furthest up the ladder first, as ladderFor lists them before ordering.
    const furthestFirst = [step("A", "2025-10-10", false), step("B", "2025-10-03", true), step("C", "2025-10-01", true), step("D", "2025-10-03", true), step("E", "2025-10-09", false)];
    expect(mostUrgentFirst(furthestFirst).map((x) => x.label)).toEqual(["C", "B", "D", "A", "E"]);
  });
});

describe("one step is offered once", () => {
  it("a penalty notice to consider (late) and the ladder's penalty step pending after the final warning are one step, the late one", async () => {
    const s = await standing("2025-10-28", "P1", steps);
    expect(s.stage?.type).toBe("final_warning");
    expect(s.penalty_reached).toBe("2025-10-13");
    expect(s.next).toMatchObject({ type: "penalty_notice_requested", conditional: true });
    expect(s.action_due).toMatchObject({ type: "penalty_notice_requested", due_by: "2025-10-27", late: true });
    const next = nextStepOf(s);
    expect(next.action?.label).toMatch(/^Consider a penalty notice/);
    expect(next.step).toBeNull();
    expect(next.also).toEqual([]);
    expect(caseworkLadderOf(s)).toMatchObject({ due_by: "2025-10-27", status: "late" });
  });
});
