/**
 * A pupil who meets the penalty-notice threshold with nothing pending on the ladder is told
 * to consider a penalty notice, with the threshold in words — by their ladder standing
 * (`ladderFor`'s next_action), so the pupil's page, every casework list they are on, the CSV
 * and the SLT pack's ladder table all say the same (the fresh-clone trial found pupils with 10
 * unauthorised sessions in 10 school weeks told "letter from the SLT congratulating the pupil
 * and parents"; the first fix said so on the penalty list only, and the SLT pack not at all).
 * A pending step, a penalty notice already sought, and a pupil one session short keep the
 * ladder's words. Hand-built register, 1 Sep – 17 Oct 2025, as of Mon 29 Sep; real SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { caseworkLadderOf, caseworkLists } from "../analytics/casework/lists.ts";
import { computeCasework } from "../analytics/casework/compute.ts";
import { penaltyNoticeCandidates } from "../analytics/escalation.ts";
import { LUDLOW_LADDER } from "../analytics/casework/policy.ts";
import { ladderFor, penaltyAdvice } from "../analytics/interventions/ladder.ts";
import { ladderPolicyOf } from "../analytics/interventions/policy.ts";
import { recordIntervention } from "../analytics/interventions/store.ts";
import type { InterventionType } from "../analytics/interventions/types.ts";
import { buildSltPack, renderPackHtml } from "../analytics/packs/index.ts";
import type { PackModel } from "../analytics/packs/model.ts";
import { getSettings, setSetting } from "../analytics/settings.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { absentDays, registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("casework-penalty-next");
const AS_OF = "2025-09-29";
const ADVICE = "Consider a penalty notice: At least 10 sessions of G, N, O or U in the latest 10 school weeks (the penalty-notice threshold)";
// NINE improved over 15–26 Sep with no threshold met: the SLT's congratulations letter (Appendix A 9).
const LETTER = "Letter from the SLT congratulating the pupil and parents on improving attendance (Appendix A, 9)";

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [{ from: "2025-09-01", to: "2025-10-17", half: "autumn-1-2025", term: "autumn-2025" }]);
    const upTo = days.filter((d) => d <= AS_OF);
    const truant = absentDays(upTo.filter((d) => d <= "2025-09-11"), "O"); // 1–11 Sep: 9 days, 18 sessions of O
    const nine: Record<string, [string, string]> = { ...absentDays(upTo.filter((d) => d <= "2025-09-04"), "O"), "2025-09-05": ["O", "/"] }; // 9 sessions
    await seedRegister(c, {
      pupils: ["PEN", "NINE", "SOUGHT", "DUE"].map((upn) => ({ upn, admission_date: "2025-09-01" })),
      marks: [...registerOf("PEN", upTo, truant), ...registerOf("NINE", upTo, nine), ...registerOf("SOUGHT", upTo, truant), ...registerOf("DUE", upTo, truant)],
    });
    // The school's formal-meeting line at 55 %: these pupils (57 % and 79 %) are about the penalty
    // threshold, not §4's meeting below 85 % (test/ladder-formal-meeting.test.ts).
    await setSetting(c, "formal_meeting_threshold_pct", "55");
    const record = (upn: string, type: InterventionType, date: string) =>
      recordIntervention(c, { by: "Ms Lead", role: "attendance_lead", today: AS_OF, note: "", upn, type, date });
    // The monitoring letter on Fri 12 Sep; every day present since: improved over the two
    // school weeks to 26 Sep, so no meeting is due.
    for (const upn of ["PEN", "NINE", "SOUGHT"]) await record(upn, "letter_below_90", "2025-09-12");
    await record("SOUGHT", "penalty_notice_requested", "2025-09-26");
    // DUE: nothing recorded; the letters are due.
  });
});
afterAll(() => removeDb(db));

async function standings() {
  return withConnection(db, async (c) => new Map((await ladderFor(c, AS_OF, ladderPolicyOf(await getSettings(c)))).map((s) => [s.upn, s])));
}

describe("the next action of a pupil at the penalty-notice threshold", () => {
  it("is to consider a penalty notice when nothing is pending; the ladder's words otherwise", async () => {
    const by = await standings();
    expect(by.get("PEN")).toMatchObject({ next: null, improved_after: "2025-09-26", penalty_reached: "2025-09-05", next_action: ADVICE });
    // Dated as a step is: from the day the threshold was met (the 10th session, Fri 5 Sep), by
    // five school days later (Fri 12 Sep: neither policy gives a time), late on 29 Sep.
    expect(by.get("PEN")!.action_due).toEqual({ type: "penalty_notice_requested", label: ADVICE, due_from: "2025-09-05", due_by: "2025-09-12", late: true });
    expect(by.get("NINE")!.action_due).toEqual({ type: "letter_improved", label: LETTER, due_from: "2025-09-26", due_by: "2025-10-03", late: false });
    expect(penaltyAdvice({ penalty_sessions: 10, penalty_window_school_weeks: 10 })).toBe(ADVICE);
    // One session short: the ladder's "improved" words.
    expect(by.get("NINE")).toMatchObject({ penalty_reached: null, next_action: LUDLOW_LADDER.whenImproved });
    // A penalty notice already sought on the threshold, with no meeting, contract or final warning
    // before it (trial 31): not the ladder's last step; the pupil stays at the monitoring letter,
    // improved, and is not told again to consider a notice.
    expect(by.get("SOUGHT")).toMatchObject({ penalty_reached: "2025-09-05", stage: { type: "letter_below_90" }, next_action: LUDLOW_LADDER.whenImproved });
    // A step due: that step, not the advice.
    expect(by.get("DUE")!.next?.label).toBe("Monitoring letter and contact: below 90%");
    expect(by.get("DUE")!.next_action).toBeNull();
    // …and the penalty notice still dated beside it, whatever the ladder has pending (it was
    // hidden until nothing was, and a trial first saw it already late).
    expect(by.get("DUE")!.action_due).toEqual({ type: "penalty_notice_requested", label: ADVICE, due_from: "2025-09-05", due_by: "2025-09-12", late: true });
  });

  it("shows the most pressing of a pending step and the dated action: late, then due, then due only if attendance does not improve", () => {
    const step = (late: boolean, conditional: boolean) => ({ type: "meeting_with_targets" as const, label: "Meeting", due_from: "2025-10-13", due_by: "2025-10-20", late, conditional });
    const standing = (next: ReturnType<typeof step> | null, late: boolean) =>
      ({ upn: "X", attendance_pct: 80, stage: null, improved_after: null, next, due: next ? [next] : [], penalty_reached: "2025-09-05", next_action: null, review_by: null, action_due: { type: "penalty_notice_requested" as const, label: ADVICE, due_from: "2025-09-05", due_by: "2025-09-12", late } }) as unknown as Parameters<typeof caseworkLadderOf>[0];
    // A meeting due only if attendance does not improve by 13 Oct: the penalty notice, due now, first.
    expect(caseworkLadderOf(standing(step(false, true), false))).toMatchObject({ next: ADVICE, status: "due", due_by: "2025-09-12" });
    expect(caseworkLadderOf(standing(step(false, true), true))).toMatchObject({ next: ADVICE, status: "late" });
    // A step late and the notice only due: the step.
    expect(caseworkLadderOf(standing(step(true, false), false))).toMatchObject({ next: "Meeting", status: "late" });
    // Both late: the one due by the earlier day, here the notice (by 12 Sep; the meeting by 20
    // Oct), the longest overdue (trial 31b's rule, case32); on the same day, the ladder's step.
    expect(caseworkLadderOf(standing(step(true, false), true))).toMatchObject({ next: ADVICE, status: "late" });
    const sameDay = { ...step(true, false), due_by: "2025-09-12" };
    expect(caseworkLadderOf(standing(sameDay, true))).toMatchObject({ next: "Meeting", status: "late" });
  });

  it("meets the threshold for exactly the pupils the casework rule and Register checks list, with the same counts", async () => {
    const by = await standings();
    const { listed, checks } = await withConnection(db, async (c) => ({
      listed: await computeCasework(c, { asOf: AS_OF, numbers: (await getSettings(c)).policy, rules: ["penalty_notice_threshold"] }),
      checks: await penaltyNoticeCandidates(c, { asOf: AS_OF, sessions: 10, windowWeeks: 10 }),
    }));
    expect(listed.map((e) => [e.upn, e.value, e.since])).toEqual([
      ["DUE", 18, "2025-09-01"],
      ["PEN", 18, "2025-09-01"],
      ["SOUGHT", 18, "2025-09-01"],
    ]);
    expect([...by.values()].filter((s) => s.penalty_reached).map((s) => s.upn).sort()).toEqual(listed.map((e) => e.upn));
    expect(checks.map((r) => [r.upn, r.unauthorised_sessions, r.window_from]).sort()).toEqual(listed.map((e) => [e.upn, e.value, e.since]));
  });

  it("says so on every casework list the pupil is on, not only the penalty list", async () => {
    const lists = await withConnection(db, async (c) => {
      const settings = await getSettings(c);
      return caseworkLists(c, { asOf: AS_OF, policy: settings.policy, ladder: ladderPolicyOf(settings), pageSize: null });
    });
    const pen = lists.filter((l) => l.pupils.some((p) => p.upn === "PEN"));
    // Below 90 % and above the 55 % formal-meeting line set above.
    expect(pen.map((l) => l.rule)).toEqual(["attendance_below_90", "persistent_absence", "absent_more_than_3_days", "penalty_notice_threshold"]);
    for (const list of pen) expect(list.pupils.find((p) => p.upn === "PEN")!.ladder, list.rule).toMatchObject({ stage: "Monitoring letter and contact: below 90%", next: ADVICE, status: "late", due_by: "2025-09-12" });
    for (const list of lists) for (const p of list.pupils.filter((p) => p.upn === "NINE")) expect(p.ladder, list.rule).toMatchObject({ next: LETTER, status: "due", due_by: "2025-10-03" });
  });

  it("says so in the SLT pack's ladder table, with the school's own numbers", async () => {
    const nextStep = (model: PackModel, upn: string): string => {
      const section = model.sections.find((s) => s.id === "thresholds")!;
      for (const block of section.blocks) {
        if (block.kind !== "table") continue;
        // The pupil's next step heads their group (said once over its pupils); the row says whether it is late.
        const step = block.table.caption.split(" — next step: ")[1];
        const status = block.table.columns.findIndex((col) => col.label === "Status");
        const row = block.table.rows.find((r) => r[0].kind === "text" && r[0].text === `Surname ${upn}, Forename ${upn}`);
        if (row && step && status >= 0) return `${step}${(row[status] as { text: string }).text === "Late" ? " (late)" : ""}`;
      }
      throw new Error(`${upn} is not in the ladder table`);
    };
    const pack = await withConnection(db, (c) => buildSltPack(c, { month: "2025-09", today: AS_OF }));
    expect(nextStep(pack, "PEN")).toBe(`${ADVICE} (late)`);
    expect(nextStep(pack, "NINE")).toBe(LETTER);
    expect(nextStep(pack, "SOUGHT")).toBe(LETTER);
    expect(renderPackHtml(pack)).toContain("Consider a penalty notice: At least 10 sessions of G, N, O or U in the latest 10 school weeks");
    // At 12 sessions in 8 school weeks (Settings), PEN's 18 still meet it, in those words.
    await withConnection(db, async (c) => {
      await setSetting(c, "penalty_sessions", "12");
      await setSetting(c, "penalty_window_school_weeks", "8");
    });
    const changed = await withConnection(db, (c) => buildSltPack(c, { month: "2025-09", today: AS_OF }));
    expect(nextStep(changed, "PEN")).toBe("Consider a penalty notice: At least 12 sessions of G, N, O or U in the latest 8 school weeks (the penalty-notice threshold) (late)");
  });
});
