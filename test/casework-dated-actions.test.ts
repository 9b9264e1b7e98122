/**
 * Trial fault (casework): the SLT's congratulations letter after a monitoring period that
 * improved (Ludlow Appendix A 9: "After the two-week monitoring period, and if targets are
 * met, a letter is sent home from the SLT") and "consider a penalty notice" had no due date,
 * and a pupil whose attendance improved had no next review date, though monitoring goes on
 * (Appendix A 9: "continues until attendance stabilises"; Littledean: "regular meetings").
 * Now the letter is due from the end of the period that improved, and the penalty notice to
 * consider from the day the threshold was met (test/casework-penalty-next.test.ts), each late
 * after the ladder's grace (5 school days: Rollcall's default — neither policy gives a time,
 * and the pupil page says so); the next review is the end of the monitoring period running.
 * Hand-built register, real SQL on a real DuckDB:
 * school days Mon 1 Sep – Fri 17 Oct and Mon 3 Nov – Fri 19 Dec 2025. Every pupil is ill
 * 1–12 Sep (10 days) and present every day from Mon 15 Sep to Mon 13 Oct.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { caseworkLists } from "../analytics/casework/lists.ts";
import { LITTLEDEAN_LADDER, LUDLOW_LADDER } from "../analytics/casework/policy.ts";
import { ladderFor, nextStepOf, type LadderPolicy } from "../analytics/interventions/ladder.ts";
import { ladderDueRule } from "../analytics/interventions/ladder-policies.ts";
import { recordIntervention } from "../analytics/interventions/store.ts";
import type { InterventionType } from "../analytics/interventions/types.ts";
import { buildPolicy, DEFAULT_POLICY_NUMBERS } from "../analytics/casework/policy.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { stepsOnly } from "./helpers/ladder.ts";
import { absentDays, registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("casework-dated-actions");
const ludlow: LadderPolicy = { ladder: stepsOnly(LUDLOW_LADDER), penalty_sessions: 10, penalty_window_school_weeks: 10 };
const littledean: LadderPolicy = { ladder: LITTLEDEAN_LADDER, penalty_sessions: 10, penalty_window_school_weeks: 10 };
const LETTER = "Letter from the SLT congratulating the pupil and parents on improving attendance (Appendix A, 9)";

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [
      { from: "2025-09-01", to: "2025-10-17", half: "autumn-1-2025", term: "autumn-2025" },
      { from: "2025-11-03", to: "2025-12-19", half: "autumn-2-2025", term: "autumn-2025" },
    ]);
    const marked = days.filter((d) => d <= "2025-10-13");
    const ill = absentDays(marked.filter((d) => d <= "2025-09-12"));
    const pupils = ["SENT", "UNSENT", "EARLY", "LD", "HOLIDAY"];
    // HOLIDAY: as UNSENT, but her first week (1–5 Sep, 10 sessions) a holiday not granted (G):
    // the penalty-notice threshold (10 sessions of G, N, O or U in 10 school weeks) met on Fri 5 Sep.
    const holiday = { ...ill, ...absentDays(marked.filter((d) => d <= "2025-09-05"), "G") };
    await seedRegister(c, {
      pupils: pupils.map((upn) => ({ upn, admission_date: "2025-09-01" })),
      marks: pupils.flatMap((upn) => registerOf(upn, marked, upn === "HOLIDAY" ? holiday : ill)),
    });
    const record = (upn: string, type: InterventionType, date: string) => recordIntervention(c, { by: "Ms Lead", role: "attendance_lead", today: "2025-10-13", note: "", upn, type, date });
    // Ludlow: the monitoring letter on Fri 12 Sep (0 % to date). Over the two school weeks
    // 15–26 Sep: 20 of 20 sessions, a rise to 100 %, at least 90 %: improved.
    for (const upn of ["SENT", "UNSENT", "EARLY", "HOLIDAY"]) await record(upn, "letter_below_90", "2025-09-12");
    // SENT: the congratulations letter sent on Mon 29 Sep; EARLY: a letter of that type dated
    // before the monitoring letter (another matter), so this period's is still to send.
    await record("SENT", "letter_improved", "2025-09-29");
    await record("EARLY", "letter_improved", "2025-09-10");
    // Littledean: the meeting with the parents on Fri 12 Sep; over its four school weeks
    // (15 Sep – 10 Oct) 40 of 40 sessions: improved.
    await record("LD", "meeting_with_targets", "2025-09-12");
  });
});
afterAll(() => removeDb(db));

const standings = (asOf: string, policy: LadderPolicy) => withConnection(db, async (c) => new Map((await ladderFor(c, asOf, policy)).map((s) => [s.upn, s])));

describe("the congratulations letter and the next review are dated", () => {
  it("Ludlow, as of Mon 6 Oct: the letter due from Fri 26 Sep, by Fri 3 Oct (five school days), late; next review Fri 10 Oct", async () => {
    const by = await standings("2025-10-06", ludlow);
    // Year to date 32 of 52 sessions (61.5 %): still below 90 %, so no meeting is judged due,
    // and monitoring goes on: the second period runs 29 Sep – 10 Oct.
    expect(by.get("UNSENT")).toMatchObject({ next: null, improved_after: "2025-09-26", next_action: LUDLOW_LADDER.whenImproved, review_by: "2025-10-10" });
    expect(by.get("UNSENT")!.action_due).toEqual({ type: "letter_improved", label: LETTER, due_from: "2025-09-26", due_by: "2025-10-03", late: true });
    // Sent on 29 Sep: nothing to send, still a review date.
    // Its next action no longer asks for the letter (the SLT pack printed "letter from the SLT
    // congratulating…" as the next step of every pupil whose letter had gone).
    expect(by.get("SENT")).toMatchObject({ action_due: null, next_action: LUDLOW_LADDER.whenImprovedActionDone, review_by: "2025-10-10" });
    expect(by.get("SENT")!.next_action).toBe("Attendance has improved and the SLT's letter is recorded: continue monitoring and contact with the parents until attendance stabilises to 96% (Appendix A, 9)");
    // A letter of that type before the monitoring letter is not this period's.
    expect(by.get("EARLY")!.action_due).toMatchObject({ due_by: "2025-10-03", late: true });
  });

  it("a penalty notice to consider does not hide the letter: both are the policy's, both dated, the longer overdue first (trial 32: Ava Fisher's letter, late since 20 Nov, shown nowhere)", async () => {
    const standing = (await standings("2025-10-06", ludlow)).get("HOLIDAY")!;
    expect(standing).toMatchObject({ improved_after: "2025-09-26", penalty_reached: "2025-09-05" });
    // The threshold met on Fri 5 Sep: to consider by Fri 12 Sep, late.
    expect(standing.action_due).toMatchObject({ type: "penalty_notice_requested", due_from: "2025-09-05", due_by: "2025-09-12", late: true });
    expect(standing.action_also).toEqual({ type: "letter_improved", label: LETTER, due_from: "2025-09-26", due_by: "2025-10-03", late: true });
    const shown = nextStepOf(standing);
    expect(shown.action).toMatchObject({ type: "penalty_notice_requested" });
    expect(shown.also).toEqual([{ type: "letter_improved", label: LETTER, due_by: "2025-10-03", late: true }]);
    // Without the threshold (UNSENT), the letter alone, as before.
    expect((await standings("2025-10-06", ludlow)).get("UNSENT")!.action_also).toBeNull();
  });

  it("as of Thu 2 Oct the letter is due, not yet late", async () => {
    expect((await standings("2025-10-02", ludlow)).get("UNSENT")!.action_due).toMatchObject({ due_by: "2025-10-03", late: false });
  });

  it("the casework lists give the letter its date and status, and the next review", async () => {
    const lists = await withConnection(db, (c) => caseworkLists(c, { asOf: "2025-10-06", policy: buildPolicy("ludlow", DEFAULT_POLICY_NUMBERS), ladder: ludlow, rules: ["persistent_absence"], pageSize: null }));
    const ladder = (upn: string) => lists[0].pupils.find((p) => p.upn === upn)!.ladder;
    expect(ladder("UNSENT")).toMatchObject({ next: LETTER, due_by: "2025-10-03", status: "late", review_by: "2025-10-10" });
    expect(ladder("SENT")).toMatchObject({ next: LUDLOW_LADDER.whenImprovedActionDone, due_by: null, status: null, review_by: "2025-10-10" });
  });

  it("Littledean names no action after an improvement: none is dated, and the next review is the end of the monitoring period running (13 Oct – 21 Nov)", async () => {
    const by = await standings("2025-10-13", littledean);
    // Year to date 42 of 62 sessions (67.7 %), at or below 90 %: meetings go on.
    expect(by.get("LD")).toMatchObject({ next: null, improved_after: "2025-10-10", next_action: LITTLEDEAN_LADDER.whenImproved, action_due: null, review_by: "2025-11-21" });
    expect(ladderDueRule(LITTLEDEAN_LADDER)).toMatch(/the policy names no action and no interval for its regular meetings: the next review shown is the end of the ladder's monitoring period/);
    expect(ladderDueRule(LUDLOW_LADDER)).toBe("A step or action is due by 5 school days after it falls due, and late after that: Rollcall's default, as the Ludlow Junior School policy gives no time to act.");
  });

  it("a period running over the half-term holiday: the review is its end in the next half term", async () => {
    // As of Mon 13 Oct under Ludlow: the third period (13–24 Oct) runs past 17 Oct into the
    // holiday and on to 7 Nov in the calendar; the review date is that period's end.
    expect((await standings("2025-10-13", ludlow)).get("UNSENT")!.review_by).toBe("2025-11-07");
  });
});
