/**
 * The escalation ladder on hand-built registers: each transition of Ludlow's ladder
 * (letter below 96 % → monitoring letter below 90 % → two school weeks without improvement
 * → meeting with targets → two school weeks, targets not met → parenting contract → four
 * school weeks without improvement → final warning), an
 * improvement that stops it, late steps, Littledean's steps and its penalty-notice step at
 * 9 vs 10 unauthorised sessions, and a leaver.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { ladderFor, type LadderPolicy } from "../analytics/interventions/ladder.ts";
import { improvedOver, triggerWords } from "../analytics/interventions/ladder-policies.ts";
import { LITTLEDEAN_LADDER, LUDLOW_LADDER } from "../analytics/casework/policy.ts";
import { recordIntervention } from "../analytics/interventions/store.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { stepsOnly } from "./helpers/ladder.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("ladder");
const ludlow: LadderPolicy = { ladder: stepsOnly(LUDLOW_LADDER), penalty_sessions: 10, penalty_window_school_weeks: 10 };
const littledean: LadderPolicy = { ladder: LITTLEDEAN_LADDER, penalty_sessions: 10, penalty_window_school_weeks: 10 };
const who = { by: "Ms Lead", role: "attendance_lead", today: "2026-07-01", note: "" };

/** Present every day except: 15 Sep; from 22 Sep every Monday and Tuesday (illness). */
function slipping(days: string[], recoverAfter?: string): Record<string, [string, string]> {
  const codes: Record<string, [string, string]> = { "2025-09-15": ["I", "I"] };
  for (const day of days) {
    const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (day >= "2025-09-22" && (dow === 1 || dow === 2) && !(recoverAfter && day > recoverAfter)) codes[day] = ["I", "I"];
  }
  return codes;
}

/** Ill every school day to Mon 29 Sep (0 of 42 sessions: severely absent). */
function illTo29Sep(days: string[]): Record<string, [string, string]> {
  return Object.fromEntries(days.filter((d) => d <= "2025-09-29").map((d) => [d, ["I", "I"]]));
}

/** Ill to 29 Sep, then present on Mondays, Tuesdays and Wednesdays only (60 % of sessions). */
function risingButSevere(days: string[]): Record<string, [string, string]> {
  const codes = illTo29Sep(days);
  for (const day of days) {
    const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (day > "2025-09-29" && dow >= 4) codes[day] = ["I", "I"];
  }
  return codes;
}

async function standing(asOf: string, upn: string, policy = ludlow) {
  const all = await withConnection(db, (c) => ladderFor(c, asOf, policy));
  return all.find((s) => s.upn === upn);
}

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [
      { from: "2025-09-01", to: "2025-10-17", half: "autumn-1-2025", term: "autumn-2025" },
      { from: "2025-10-27", to: "2025-12-19", half: "autumn-2-2025", term: "autumn-2025" },
    ]);
    const tenth = { "2025-10-15": ["O", "O"], "2025-10-16": ["O", "O"], "2025-10-17": ["O", "O"], "2025-10-27": ["O", "O"] } as Record<string, [string, string]>;
    await seedRegister(c, {
      pupils: ["L1", "L2", "L3", "L4", "L6", "L7", "L8"].map((upn) => ({ upn, admission_date: "2025-09-01" })).concat([{ upn: "L5", admission_date: "2025-09-01", leaving_date: "2025-09-30" } as never]),
      marks: [
        ...registerOf("L1", days, slipping(days)),
        ...registerOf("L2", days, slipping(days, "2025-09-29")),
        ...registerOf("L3", days, { ...tenth, "2025-10-28": ["O", "O"] }),
        ...registerOf("L4", days, { ...tenth, "2025-10-28": ["O", "/"] }),
        // Nine by 27 Oct, then both sessions of 28 Oct: the tenth is that morning's (9 → 11 that day).
        ...registerOf("L6", days, { "2025-10-14": ["O", "/"], ...tenth, "2025-10-28": ["O", "O"] }),
        ...registerOf("L5", days.filter((d) => d <= "2025-09-30"), slipping(days)),
        ...registerOf("L7", days, risingButSevere(days)),
        ...registerOf("L8", days, { ...illTo29Sep(days), "2025-10-01": ["I", "I"], "2025-10-27": ["I", "I"], "2025-10-28": ["I", "I"] }),
      ],
    });
  });
});
afterAll(() => removeDb(db));

describe("Ludlow's ladder", () => {
  // Was "both letters due, the 96 % one late" from 15 and 22 Sep: a pupil is judged on a rate
  // only from 40 possible sessions (analytics/judged-span.ts), L1's on Fri 26 Sep, the day both
  // letters now fall due.
  it("with nothing recorded: both letters due from the day the year to date reaches 40 sessions, the monitoring letter next", async () => {
    // YTD: 20/22 = 90.9 % on 15 Sep (below 96); 28/32 = 87.5 % on 22 Sep (below 90); 34/40 = 85 % on 26 Sep, the 40th session.
    const s = await standing("2025-09-26", "L1");
    expect(s?.attendance_pct).toBe(85);
    expect(s?.stage).toBeNull();
    expect(s?.due.map((d) => [d.type, d.due_from, d.due_by, d.late])).toEqual([
      ["letter_below_90", "2025-09-26", "2025-10-03", false],
      ["letter_below_96", "2025-09-26", "2025-10-03", false],
    ]);
    // On 25 Sep (38 sessions) neither is due yet.
    expect((await standing("2025-09-25", "L1"))?.due).toEqual([]);
    expect(s?.next?.type).toBe("letter_below_90");
  });

  it("after the monitoring letter: the meeting is conditional until two school weeks have passed", async () => {
    await withConnection(db, async (c) => {
      await recordIntervention(c, { ...who, upn: "L1", type: "letter_below_90", date: "2025-09-29" });
      await recordIntervention(c, { ...who, upn: "L2", type: "letter_below_90", date: "2025-09-29" });
    });
    const s = await standing("2025-10-03", "L1");
    expect(s?.stage).toMatchObject({ type: "letter_below_90", date: "2025-09-29" });
    expect(s?.due).toEqual([]); // the 96 % letter is passed over once the 90 % one is sent
    // Due, if attendance has not improved, at the period's end (Mon 13 Oct), and by five school
    // days after it like any step: 14–17 Oct, then Mon 27 Oct after half term (it read 13 Oct).
    expect(s?.next).toMatchObject({ type: "meeting_with_targets", conditional: true, due_from: "2025-10-13", due_by: "2025-10-27", late: false });
  });

  it("no improvement over the two weeks: the meeting is due, late after the grace across half term", async () => {
    // Window 30 Sep – 13 Oct: 12 of 20 sessions (60 %) against 34/42 = 81.0 % on 29 Sep.
    const s = await standing("2025-10-14", "L1");
    expect(s?.due.map((d) => [d.type, d.due_from, d.due_by, d.late])).toEqual([["meeting_with_targets", "2025-10-13", "2025-10-27", false]]);
    expect((await standing("2025-10-27", "L1"))?.next?.late).toBe(false);
    expect((await standing("2025-10-28", "L1"))?.next?.late).toBe(true);
  });

  it("improvement over the two weeks: no meeting due", async () => {
    const s = await standing("2025-10-14", "L2");
    expect(s?.next).toBeNull();
    expect(s?.improved_after).toBe("2025-10-13");
  });

  it("attendance that rose but stayed below 90 % over the two weeks is no improvement: the meeting is due (Appendix A 7–8)", async () => {
    await withConnection(db, async (c) => {
      await recordIntervention(c, { ...who, upn: "L7", type: "letter_below_90", date: "2025-09-29" });
      await recordIntervention(c, { ...who, upn: "L8", type: "letter_below_90", date: "2025-09-29" });
    });
    // L7: 0 of 42 sessions to 29 Sep; over 30 Sep – 13 Oct present Tue 30, Wed 1, Mon 6,
    // Tue 7, Wed 8, Mon 13: 12 of 20 sessions (60 %). Rose from 0 %, still below 90 %.
    const l7 = await standing("2025-10-14", "L7");
    expect(l7?.attendance_pct).toBeCloseTo((100 * 14) / 64, 10); // + Tue 14 Oct present
    expect(l7?.improved_after).toBeNull();
    expect(l7?.next_action).toBeNull();
    expect(l7?.due.map((d) => [d.type, d.due_from, d.due_by, d.late])).toEqual([["meeting_with_targets", "2025-10-13", "2025-10-27", false]]);
    expect((await standing("2025-10-28", "L7"))?.next?.late).toBe(true);
    // L8: the same 0 %, then every day but Wed 1 Oct: 18 of 20 (90 %), not below the line:
    // improved, no meeting, though the year to date (18 of 62, 29.0 %) is still below 90 %.
    const l8 = await standing("2025-10-13", "L8");
    expect(l8?.next).toBeNull();
    expect(l8?.improved_after).toBe("2025-10-13");
    expect(l8?.next_action).toBe(LUDLOW_LADDER.whenImproved);
  });

  it("after an improved period monitoring continues: the next period's relapse brings the meeting (Appendix A 9)", async () => {
    // L8's next two school weeks after 13 Oct: 14–17 Oct, 27–31 Oct, 3 Nov; ill 27 and 28 Oct:
    // 16 of 20 sessions (80 %). While it runs, still "improved" with nothing due.
    const running = await standing("2025-10-31", "L8");
    expect(running?.next).toBeNull();
    expect(running?.improved_after).toBe("2025-10-13");
    // Year to date on 3 Nov: 0/42 + 18/20 + 16/20 = 34 of 82 (41.5 %), still below 90 %.
    const s = await standing("2025-11-03", "L8");
    expect(s?.attendance_pct).toBeCloseTo((100 * 34) / 82, 10);
    expect(s?.improved_after).toBeNull();
    expect(s?.due.map((d) => [d.type, d.due_from, d.due_by, d.late])).toEqual([["meeting_with_targets", "2025-11-03", "2025-11-10", false]]);
  });

  it("targets not met at a later stage too: after the meeting, the contract's four school weeks without improvement bring the final warning (Appendix A 10)", async () => {
    await withConnection(db, async (c) => {
      await recordIntervention(c, { ...who, upn: "L7", type: "meeting_with_targets", date: "2025-10-14" });
      // The education welfare protocol alone records the contract's step (either entry does).
      await recordIntervention(c, { ...who, upn: "L7", type: "education_welfare_referral", date: "2025-11-04" });
    });
    // Four school weeks after 4 Nov: 5–7, 10–14, 17–21, 24–28 Nov, 1 and 2 Dec (20 school days),
    // present on Mondays to Wednesdays only: 12 of 20 days (60 %), still below 90 %.
    expect((await standing("2025-12-01", "L7"))?.next).toMatchObject({ type: "final_warning", conditional: true, due_from: "2025-12-02" });
    const s = await standing("2025-12-02", "L7");
    expect(s?.stage?.type).toBe("education_welfare_referral");
    expect(s?.improved_after).toBeNull();
    expect(s?.next).toMatchObject({ type: "final_warning", conditional: false, due_from: "2025-12-02", due_by: "2025-12-09", late: false });
  });

  it("targets not met after the two-week monitoring period: a parenting contract is due, not yet the final warning (Appendix A 9–10)", async () => {
    await withConnection(db, (c) => recordIntervention(c, { ...who, upn: "L1", type: "meeting_with_targets", date: "2025-10-14" }));
    // Two school weeks after 14 Oct: 15–17 Oct, 27–31 Oct, 3 and 4 Nov (half term between).
    expect((await standing("2025-11-03", "L1"))?.next).toMatchObject({ type: "parenting_contract", conditional: true, due_from: "2025-11-04" });
    const s = await standing("2025-11-04", "L1");
    expect(s?.stage?.type).toBe("meeting_with_targets");
    expect(s?.next).toMatchObject({ type: "parenting_contract", conditional: false, due_from: "2025-11-04", due_by: "2025-11-11", late: false });
  });

  it("lists only pupils on roll on the as-of date", async () => {
    expect(await standing("2025-09-26", "L5")).toBeDefined();
    expect(await standing("2025-10-14", "L5")).toBeUndefined();
  });

  it("for the pupils asked for (the casework list's), the same standings as for the whole roll", async () => {
    const all = await withConnection(db, (c) => ladderFor(c, "2025-11-18", ludlow));
    const some = await withConnection(db, (c) => ladderFor(c, "2025-11-18", ludlow, { upns: ["L1", "L3", "L5"] }));
    // L5 left on 30 Sep: not on roll, so not listed even when asked for.
    expect(some.map((s) => s.upn)).toEqual(["L1", "L3"]);
    expect(some).toEqual(all.filter((s) => s.upn === "L1" || s.upn === "L3"));
    expect(some[0].stage?.type).toBe("meeting_with_targets");
  });
});

describe("Littledean's ladder", () => {
  it("a meeting once persistently absent (at or below 90 %)", async () => {
    // From 26 Sep, L1's 40th session (was 22 Sep, on 32: analytics/judged-span.ts).
    const s = await standing("2025-09-26", "L1", littledean);
    expect(s?.due.map((d) => [d.type, d.due_from])).toEqual([["meeting_with_targets", "2025-09-26"]]);
  });

  it("formal support after four weeks of meetings without improvement", async () => {
    // L1's meeting on 14 Oct (recorded above) is Littledean's first step too.
    const s = await standing("2025-11-18", "L1", littledean);
    expect(s?.next).toMatchObject({ type: "parenting_contract", due_from: "2025-11-18" });
  });

  it("90 % over the monitoring period is still the persistently absent rate: no improvement under Littledean, improvement under Ludlow", () => {
    const atStep = { attended: 0, possible: 42 };
    expect(improvedOver({ attended: 18, possible: 20 }, atStep, LITTLEDEAN_LADDER.improvedLine)).toBe(false);
    expect(improvedOver({ attended: 18, possible: 20 }, atStep, LUDLOW_LADDER.improvedLine)).toBe(true);
    expect(improvedOver({ attended: 19, possible: 20 }, atStep, LITTLEDEAN_LADDER.improvedLine)).toBe(true);
    expect(improvedOver({ attended: 17, possible: 20 }, atStep, LUDLOW_LADDER.improvedLine)).toBe(false);
    // At the line but no rise (95 % on the step's day, 90 % over the period): not improved.
    expect(improvedOver({ attended: 18, possible: 20 }, { attended: 19, possible: 20 }, LUDLOW_LADDER.improvedLine)).toBe(false);
    expect(improvedOver({ attended: 0, possible: 0 }, atStep, LUDLOW_LADDER.improvedLine)).toBe(false);
    // The words Settings and the next action give for such a step say what "improved" needs.
    const numbers = { penalty_sessions: 10, penalty_window_school_weeks: 10 };
    expect(triggerWords(LUDLOW_LADDER.steps[2], numbers, LUDLOW_LADDER.improvedLine)).toBe(
      "if attendance has not improved (risen, to at least 90% over the period) 2 school weeks after the previous step and is still below 90%",
    );
    expect(triggerWords(LITTLEDEAN_LADDER.steps[1], numbers, LITTLEDEAN_LADDER.improvedLine)).toBe(
      "if attendance has not improved (risen, to above 90% over the period) 4 school weeks after the previous step and is still at or below 90%",
    );
  });

  it("penalty notice at 10 unauthorised sessions in the 10 school weeks, not at 9", async () => {
    const l3 = await standing("2025-11-19", "L3", littledean);
    expect(l3?.next).toMatchObject({ type: "penalty_notice_requested", due_from: "2025-10-28", late: true });
    expect(l3?.attendance_pct).toBeCloseTo((100 * 96) / 106, 10);
    const l4 = await standing("2025-11-19", "L4", littledean);
    expect(l4?.next).toBeNull();
    // The day of the tenth session, when that day takes the count past ten.
    const l6 = await standing("2025-11-19", "L6", littledean);
    expect(l6?.due.find((d) => d.type === "penalty_notice_requested")).toMatchObject({ due_from: "2025-10-28", late: true });
    // Its meeting with parents, late since before then (due from 17 Oct), is the next step: the longest overdue (case32).
    expect(l6?.next).toMatchObject({ type: "meeting_with_targets", due_from: "2025-10-17", late: true });
    // Ludlow's ladder has no penalty-threshold step: only the letter below 96 % (from 16 Oct:
    // the 33 school days to 15 Oct left 64 of 66 sessions, 97.0 %; 16 Oct made it 64/68, 94.1 %).
    const underLudlow = await standing("2025-11-19", "L3", ludlow);
    expect(underLudlow?.due.map((d) => [d.type, d.due_from])).toEqual([["letter_below_96", "2025-10-16"]]);
  });
});
