/**
 * A step the ladder gives as due (and late) is never dated before a stage the pupil has
 * already reached (last session's open fault: Littledean's ladder showed the penalty notice
 * late from a day before the formal support the school had recorded since).
 *
 * The registers, by hand (autumn 2025: 1 Sep–17 Oct, 27 Oct–19 Dec; school days only):
 * - D1 (Littledean): O O on 15, 16, 17 Oct, 27 and 28 Oct: the tenth unauthorised session in
 *   the ten school weeks is 28 Oct's afternoon, so the penalty-notice threshold (10 in 10) is
 *   met on 28 Oct. Year to date on 19 Nov: 53 school days, 106 sessions, 96 attended, 90.6 %:
 *   not persistently absent, so no meeting is due by attendance. Formal support (a parenting
 *   contract) recorded on Mon 10 Nov: the stage. The penalty step falls due from 10 Nov, not
 *   28 Oct; the ladder's grace of 5 school days makes it due by Mon 17 Nov: late on 19 Nov.
 * - D3 (Littledean): D1's register, with the meeting with the parents recorded on 10 Nov
 *   instead: the penalty step is due from 10 Nov as for D1, and "consider a penalty notice"
 *   is not given beside it from 28 Oct (late since 4 Nov): the step is that consideration.
 * - D4 (Ludlow, trial 26): D1's register, with a parenting contract recorded on 10 Nov (Appendix A
 *   10; §14 "where the above measures are not effective, the headteacher will recommend issuing a
 *   fixed penalty notice"): the contract answers the threshold met on 28 Oct, so "consider a
 *   penalty notice" is not given as due by 4 Nov (late) beside it; the ladder's next step, the
 *   final warning, is due if there is no improvement over the contract's 4 school weeks (to Mon
 *   8 Dec), by 15 Dec.
 * - D2 (Ludlow): present but for 15 Sep and, from 22 Sep, every Monday and Tuesday: year to
 *   date below 96 % from 15 Sep (20/22) and below 90 % from 22 Sep (28/32), judged from Fri
 *   26 Sep, the 40th possible session (analytics/judged-span.ts). The 96 % letter recorded on
 *   Mon 29 Sep (the stage). On Tue 7 Oct (40/54, 74.1 %) the monitoring letter falls due from
 *   29 Sep, not 26 Sep: due by Mon 6 Oct, late. (Was: the letter on Thu 25 Sep and the
 *   monitoring letter due from it, before the 40th session, when D2 is now not yet judged.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { ladderFor, nextStepOf, type LadderPolicy } from "../analytics/interventions/ladder.ts";
import { LITTLEDEAN_LADDER, LUDLOW_LADDER } from "../analytics/casework/policy.ts";
import { recordIntervention } from "../analytics/interventions/store.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { stepsOnly } from "./helpers/ladder.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("ladder-stage-order");
const ludlow: LadderPolicy = { ladder: stepsOnly(LUDLOW_LADDER), penalty_sessions: 10, penalty_window_school_weeks: 10 };
const littledean: LadderPolicy = { ladder: LITTLEDEAN_LADDER, penalty_sessions: 10, penalty_window_school_weeks: 10 };
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
    const slipping: Record<string, [string, string]> = { "2025-09-15": ["I", "I"] };
    for (const day of days) {
      const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
      if (day >= "2025-09-22" && (dow === 1 || dow === 2)) slipping[day] = ["I", "I"];
    }
    const ten = Object.fromEntries(["2025-10-15", "2025-10-16", "2025-10-17", "2025-10-27", "2025-10-28"].map((d) => [d, ["O", "O"]])) as Record<string, [string, string]>;
    await seedRegister(c, {
      pupils: ["D1", "D2", "D3", "D4"].map((upn) => ({ upn, admission_date: "2025-09-01" })),
      marks: [...registerOf("D1", days, ten), ...registerOf("D2", days, slipping), ...registerOf("D3", days, ten), ...registerOf("D4", days, ten)],
    });
    await recordIntervention(c, { ...who, upn: "D1", type: "parenting_contract", date: "2025-11-10" });
    await recordIntervention(c, { ...who, upn: "D2", type: "letter_below_96", date: "2025-09-29" });
    await recordIntervention(c, { ...who, upn: "D3", type: "meeting_with_targets", date: "2025-11-10" });
    await recordIntervention(c, { ...who, upn: "D4", type: "parenting_contract", date: "2025-11-10" });
  });
});
afterAll(() => removeDb(db));

describe("a step due beyond the pupil's stage", () => {
  it("Littledean: the penalty notice, threshold met on 28 Oct, is due from the formal support of 10 Nov, late after 17 Nov", async () => {
    const s = await standing("2025-11-19", "D1", littledean);
    expect(s.attendance_pct).toBeCloseTo((100 * 96) / 106, 10);
    expect(s.penalty_reached).toBe("2025-10-28");
    expect(s.stage).toMatchObject({ type: "parenting_contract", date: "2025-11-10" });
    expect(s.due.map((d) => [d.type, d.due_from, d.due_by, d.late])).toEqual([["penalty_notice_requested", "2025-11-10", "2025-11-17", true]]);
    // The school answered the threshold with formal support: the ladder's penalty step is next, not a consideration dated before it.
    expect(s.action_due).toBeNull();
  });

  it("Ludlow: the monitoring letter, below 90 % and judged from 26 Sep, is due from the 96 % letter of 29 Sep, late after 6 Oct", async () => {
    const s = await standing("2025-10-07", "D2", ludlow);
    expect(s.attendance_pct).toBeCloseTo((100 * 40) / 54, 10);
    expect(s.stage).toMatchObject({ type: "letter_below_96", date: "2025-09-29" });
    expect(s.due.map((d) => [d.type, d.due_from, d.due_by, d.late])).toEqual([["letter_below_90", "2025-09-29", "2025-10-06", true]]);
  });

  it("Littledean: after a meeting of 10 Nov, the penalty step due from then is the one penalty action, not also a consideration late from 28 Oct", async () => {
    const s = await standing("2025-11-19", "D3", littledean);
    expect(s.stage).toMatchObject({ type: "meeting_with_targets", date: "2025-11-10" });
    expect(s.due.map((d) => [d.type, d.due_from, d.due_by, d.late])).toEqual([["penalty_notice_requested", "2025-11-10", "2025-11-17", true]]);
    expect(s.action_due).toBeNull();
    expect(nextStepOf(s)).toMatchObject({ step: { type: "penalty_notice_requested", due_from: "2025-11-10" }, action: null, also: [] });
  });

  it("Ludlow: a parenting contract of 10 Nov answers the threshold met on 28 Oct: no consideration due by 4 Nov beside it, the final warning next (trial 26)", async () => {
    const s = await standing("2025-11-19", "D4", ludlow);
    expect(s.penalty_reached).toBe("2025-10-28");
    expect(s.stage).toMatchObject({ type: "parenting_contract", date: "2025-11-10" });
    // Was: action_due "Consider a penalty notice", due from 28 Oct, by 4 Nov, late.
    expect(s.action_due).toBeNull();
    expect(s.due).toEqual([]);
    expect(s.next).toMatchObject({ type: "final_warning", due_from: "2025-12-08", due_by: "2025-12-15", late: false, conditional: true });
    expect(nextStepOf(s)).toMatchObject({ step: { type: "final_warning" }, action: null, also: [] });
    // A monitoring letter recorded after the threshold answers nothing of it (Appendix A 7 goes by attendance).
    expect(LUDLOW_LADDER.steps.filter((step) => step.answersPenaltyThreshold).map((step) => step.id)).toEqual(["parenting_contract", "final_warning"]);
  });

  it("no step due is ever dated before the stage, for either pupil on any day of the term", async () => {
    for (const [upn, policy] of [["D1", littledean], ["D2", ludlow], ["D3", littledean], ["D4", ludlow]] as const) {
      for (const asOf of ["2025-09-26", "2025-10-06", "2025-10-29", "2025-11-10", "2025-11-19", "2025-12-19"]) {
        const s = await standing(asOf, upn, policy);
        const early = [...s.due, ...(s.next ? [s.next] : []), ...(s.action_due ? [s.action_due] : [])].filter((d) => s.stage && d.due_from < s.stage.date);
        expect(early, `${upn} on ${asOf}`).toEqual([]);
      }
    }
  });
});
