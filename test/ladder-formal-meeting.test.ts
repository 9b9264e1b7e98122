/**
 * Ludlow §4's formal meeting below 85 % (due at once, whatever the ladder's monitoring periods
 * say) and a penalty notice recorded off the ladder (a holiday's) not advancing the stage (trial
 * 31). Registers by hand, autumn 2025: 1 Sep–17 Oct, 27 Oct–19 Dec, school days only; every mark
 * `/` unless said. A pupil is judged from the 40th possible session, Fri 26 Sep (day 20).
 *
 * - F1: ill (I I) every Monday and Tuesday: day 20 at 24/40 = 60 %, below 85 % from 26 Sep, the
 *   first day judged. Monitoring letter (below 90 %) recorded Mon 29 Sep. On Mon 6 Oct the ladder's
 *   meeting with targets waits for its two weeks (to 13 Oct, "if no improvement"); §4's formal
 *   meeting is due from 26 Sep, by Fri 3 Oct (5 school days): late.
 * - F2: ill 1–19 Sep (15 days), present after: day 20 at 10/40 = 25 %. Monitoring letter on Fri
 *   26 Sep; its two weeks (to Fri 10 Oct) at 100 %: improved. SLT's letter recorded Mon 13 Oct. On
 *   Wed 15 Oct (33 days, 36/66 = 54.5 %) the old ladder said "improved and the SLT's letter is
 *   recorded: continue monitoring"; the formal meeting is due from 26 Sep (late).
 * - F3: F1's register, the monitoring letter on 29 Sep and a meeting with targets on Tue 30 Sep:
 *   the meeting is held since the fall below 85 %, so none is due; the contract waits for its period.
 * - H1: G G Mon 6 – Fri 10 Oct (10 sessions: the penalty-notice threshold of 10 in 10 school weeks,
 *   met on 10 Oct), present otherwise; a penalty notice recorded Mon 13 Oct. Below 96 % from Tue
 *   7 Oct (day 27, 50/54); at 90 % exactly on day 50 (Fri 14 Nov) and above after. On Fri 19 Dec
 *   (75 days, 140/150 = 93.3 %) no step of the ladder was taken: no stage, the 96 % letter due
 *   from 7 Oct (by 14 Oct). Under Littledean (93.3 % is not persistent absence) no stage either,
 *   nothing due, and not "Last step of the ladder reached".
 * - W1: F1's register; monitoring letter 29 Sep, meeting 30 Sep, education welfare referral
 *   Tue 14 Oct (Appendix A 10's protocol, the contract's step): its stage in plain words.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { ladderFor, nextStepOf, type LadderPolicy } from "../analytics/interventions/ladder.ts";
import { formalMeetingWords } from "../analytics/interventions/ladder-policies.ts";
import { LITTLEDEAN_LADDER, LUDLOW_LADDER } from "../analytics/casework/policy.ts";
import { recordIntervention } from "../analytics/interventions/store.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("ladder-formal-meeting");
const ludlow: LadderPolicy = { ladder: LUDLOW_LADDER, penalty_sessions: 10, penalty_window_school_weeks: 10 };
const littledean: LadderPolicy = { ladder: LITTLEDEAN_LADDER, penalty_sessions: 10, penalty_window_school_weeks: 10 };
const who = { by: "Ms Lead", role: "attendance_lead", today: "2026-07-01", note: "" };

async function standing(asOf: string, upn: string, policy: LadderPolicy = ludlow) {
  return (await withConnection(db, (c) => ladderFor(c, asOf, policy, { upn })))[0];
}
const dueOf = (s: Awaited<ReturnType<typeof standing>>) => s.due.map((d) => [d.type, d.due_from, d.due_by, d.late]);

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [
      { from: "2025-09-01", to: "2025-10-17", half: "autumn-1-2025", term: "autumn-2025" },
      { from: "2025-10-27", to: "2025-12-19", half: "autumn-2-2025", term: "autumn-2025" },
    ]);
    const ill: [string, string] = ["I", "I"];
    const monTue: Record<string, [string, string]> = {};
    for (const day of days) {
      const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
      if (dow === 1 || dow === 2) monTue[day] = ill;
    }
    const early = Object.fromEntries(days.filter((d) => d <= "2025-09-19").map((d) => [d, ill])) as Record<string, [string, string]>;
    const holiday = Object.fromEntries(["2025-10-06", "2025-10-07", "2025-10-08", "2025-10-09", "2025-10-10"].map((d) => [d, ["G", "G"]])) as Record<string, [string, string]>;
    await seedRegister(c, {
      pupils: ["F1", "F2", "F3", "H1", "W1"].map((upn) => ({ upn, admission_date: "2025-09-01" })),
      marks: [...registerOf("F1", days, monTue), ...registerOf("F2", days, early), ...registerOf("F3", days, monTue), ...registerOf("H1", days, holiday), ...registerOf("W1", days, monTue)],
    });
    await recordIntervention(c, { ...who, upn: "F1", type: "letter_below_90", date: "2025-09-29" });
    await recordIntervention(c, { ...who, upn: "F2", type: "letter_below_90", date: "2025-09-26" });
    await recordIntervention(c, { ...who, upn: "F2", type: "letter_improved", date: "2025-10-13" });
    await recordIntervention(c, { ...who, upn: "F3", type: "letter_below_90", date: "2025-09-29" });
    await recordIntervention(c, { ...who, upn: "F3", type: "meeting_with_targets", date: "2025-09-30" });
    await recordIntervention(c, { ...who, upn: "H1", type: "penalty_notice_requested", date: "2025-10-13" });
    for (const [type, date] of [["letter_below_90", "2025-09-29"], ["meeting_with_targets", "2025-09-30"], ["education_welfare_referral", "2025-10-14"]] as const) {
      await recordIntervention(c, { ...who, upn: "W1", type, date });
    }
  });
});
afterAll(() => removeDb(db));

const FORMAL = "Formal meeting with parents: attendance below 85% (§4)";

describe("Ludlow §4: a formal meeting below 85 %", () => {
  it("is due from the fall below 85 %, late after the grace, ahead of a meeting pending 'if no improvement'", async () => {
    const s = await standing("2025-10-06", "F1");
    expect(s.stage?.type).toBe("letter_below_90");
    expect(dueOf(s)).toEqual([["formal_meeting", "2025-09-26", "2025-10-03", true]]);
    expect(s.next?.label).toBe(FORMAL);
    expect(nextStepOf(s).step?.label).toBe(FORMAL);
  });

  it("an improved monitoring period and the SLT's letter do not hide it", async () => {
    const s = await standing("2025-10-15", "F2");
    expect(s.attendance_pct).toBeCloseTo((100 * 36) / 66, 9);
    expect(dueOf(s)).toEqual([["formal_meeting", "2025-09-26", "2025-10-03", true]]);
    // The improved period still stands (the SLT's letter sent), only no longer alone.
    expect(s.improved_after).toBe("2025-10-10");
    expect(s.next?.label).toBe(FORMAL);
    expect(s.next_action).toBeNull();
  });

  it("a meeting recorded since the fall below 85 % is that meeting: none is due", async () => {
    const s = await standing("2025-10-06", "F3");
    expect(s.stage?.type).toBe("meeting_with_targets");
    expect(s.due).toEqual([]);
    expect(s.next).toMatchObject({ type: "parenting_contract", conditional: true });
  });
});

describe("a penalty notice recorded off the ladder (a holiday's) does not advance it", () => {
  it("Ludlow: no stage, the 96 % letter due, not 'Last step of the ladder reached'", async () => {
    const s = await standing("2025-12-19", "H1");
    expect(s.attendance_pct).toBeCloseTo((100 * 140) / 150, 9);
    expect(s.stage).toBeNull();
    expect(dueOf(s)).toEqual([["letter_below_96", "2025-10-07", "2025-10-14", true]]);
    expect(s.action_due).toBeNull();
  });

  it("Littledean: no stage and no last step either", async () => {
    const s = await standing("2025-12-19", "H1", littledean);
    expect(s.stage).toBeNull();
    expect(s.due).toEqual([]);
    expect(s.next_action ?? "").not.toMatch(/Last step/);
  });
});

describe("the words of a step (trial 31)", () => {
  it("one word for the penalty notice, 'sought', as the policy's; a contract step recorded as a referral reads plainly", async () => {
    expect(LUDLOW_LADDER.typeLabels.penalty_notice_requested).toBe("Penalty notice sought");
    expect(LITTLEDEAN_LADDER.steps[2].label).toMatch(/^Penalty notice sought \(/);
    const s = await standing("2025-10-15", "W1");
    expect(s.stage).toMatchObject({ type: "education_welfare_referral", label: "Targets not met: education welfare referral", date: "2025-10-14" });
  });

  it("Settings says the formal meeting beside the ladder's steps (Ludlow), and nothing for a ladder without one", () => {
    expect(formalMeetingWords(LUDLOW_LADDER)).toBe(
      "Formal meeting with parents: attendance below 85% — due as soon as year-to-date attendance is below 85% (judged from 40 possible sessions, 20 school days), whatever the ladder's monitoring periods say; recorded as “Formal meeting with parents” or “Meeting with targets” (§4)",
    );
    expect(formalMeetingWords(LITTLEDEAN_LADDER)).toBeNull();
  });
});
