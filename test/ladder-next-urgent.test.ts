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
 * - M1: U1's register and entries, and §4's formal meeting recorded Wed 1 Oct as its own type: it
 *   answers §4 and leaves the ladder at the meeting of 29 Sep, the contract due as U1's.
 * - M2: the same, but a meeting with targets recorded on 1 Oct (after the fall): it answers §4 too,
 *   and is the ladder's step, its monitoring period from 1 Oct (the contract pending again).
 * - P1 (the ladder's steps only): final warning Mon 6 Oct; G G Tue 7 – Mon 13 Oct (10 sessions:
 *   the penalty-notice threshold met on 13 Oct, after the warning). On Tue 28 Oct the penalty
 *   notice is to be considered from 13 Oct, by Mon 27 Oct: late; the ladder's own penalty step
 *   waits for the warning's four weeks ("if no improvement"). One step: the late consideration.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { mostUrgentFirst, nextStepOf, type LadderPolicy } from "../analytics/interventions/ladder.ts";
import { typesOffered } from "../analytics/interventions/ladder-policies.ts";
import { LITTLEDEAN_LADDER, LUDLOW_LADDER } from "../analytics/casework/policy.ts";
import { caseworkLadderOf } from "../analytics/casework/lists.ts";
import { recordIntervention } from "../analytics/interventions/store.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { AUTUMN_2025_TERM, registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";
import { standingIn, stepsOnly } from "./helpers/ladder.ts";

const db = tempDbPath("ladder-next-urgent");
const ludlow: LadderPolicy = { ladder: LUDLOW_LADDER, penalty_sessions: 10, penalty_window_school_weeks: 10 };
const steps: LadderPolicy = { ...ludlow, ladder: stepsOnly(LUDLOW_LADDER) };
const who = { by: "Ms Lead", role: "attendance_lead", today: "2026-07-01", note: "" };

const littledean: LadderPolicy = { ...ludlow, ladder: LITTLEDEAN_LADDER };
const standing = (asOf: string, upn: string, policy: LadderPolicy) => standingIn(db, asOf, upn, policy);

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [...AUTUMN_2025_TERM]);
    const ill: [string, string] = ["I", "I"];
    const u1: Record<string, [string, string]> = {
      "2025-09-01": ill, "2025-09-02": ill, "2025-09-03": ["I", "/"],
      "2025-09-30": ill, "2025-10-01": ill, "2025-10-02": ill,
    };
    const holiday = Object.fromEntries(["2025-10-07", "2025-10-08", "2025-10-09", "2025-10-10", "2025-10-13"].map((d) => [d, ["G", "G"]])) as Record<string, [string, string]>;
    await seedRegister(c, {
      pupils: ["U1", "M1", "M2", "P1"].map((upn) => ({ upn, admission_date: "2025-09-01" })),
      marks: [...["U1", "M1", "M2"].flatMap((upn) => registerOf(upn, days, u1)), ...registerOf("P1", days, holiday)],
    });
    for (const upn of ["U1", "M1", "M2"]) {
      await recordIntervention(c, { ...who, upn, type: "letter_below_90", date: "2025-09-26" });
      await recordIntervention(c, { ...who, upn, type: "meeting_with_targets", date: "2025-09-29" });
    }
    await recordIntervention(c, { ...who, upn: "M1", type: "formal_meeting", date: "2025-10-01" });
    await recordIntervention(c, { ...who, upn: "M2", type: "meeting_with_targets", date: "2025-10-01" });
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

describe("§4's formal meeting is its own type (trial 31b)", () => {
  it("recorded for a pupil at 'Meeting with targets', it answers §4 without restarting that step's monitoring period", async () => {
    const [u1, m1] = [await standing("2025-10-14", "U1", ludlow), await standing("2025-10-14", "M1", ludlow)];
    expect(m1.stage).toMatchObject({ type: "meeting_with_targets", date: "2025-09-29" });
    expect(m1.due).toEqual(u1.due.filter((d) => d.label !== FORMAL));
    expect(m1.next).toMatchObject({ type: "parenting_contract", conditional: false });
  });

  it("a meeting with targets recorded after the fall below 85 % still answers §4 (and is the ladder's step)", async () => {
    const m2 = await standing("2025-10-14", "M2", ludlow);
    expect(m2.stage).toMatchObject({ type: "meeting_with_targets", date: "2025-10-01" });
    expect(m2.due).toEqual([]);
    expect(m2.next).toMatchObject({ type: "parenting_contract", conditional: true });
  });

  it("Littledean has no formal meeting: the type is not offered there, and an entry of it moves nothing", async () => {
    expect(LITTLEDEAN_LADDER.formalMeeting).toBeUndefined();
    expect(LITTLEDEAN_LADDER.steps.some((s) => s.types.includes("formal_meeting"))).toBe(false);
    expect(typesOffered(LITTLEDEAN_LADDER)).not.toContain("formal_meeting");
    expect(typesOffered(LUDLOW_LADDER)).toContain("formal_meeting");
    const [u1, m1] = [await standing("2025-10-14", "U1", littledean), await standing("2025-10-14", "M1", littledean)];
    expect(m1).toEqual({ ...u1, upn: "M1" });
  });
});
