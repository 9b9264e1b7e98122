/**
 * Ludlow's ladder seeks a penalty notice after a final warning (Appendix A 10); a penalty notice
 * is for unauthorised absence (national framework: 10 sessions of G, N, O or U in a rolling 10
 * school weeks). And a pupil has one next step, the same on the page, the lists, the CSV and the
 * SLT pack (nextStepOf), never a step that fell due before their stage was recorded.
 *
 * Calendar: Mon 1 Sep – Fri 17 Oct 2025 (35 school days), half term, Mon 27 Oct – Fri 19 Dec
 * (40). As of Fri 21 Nov. Every pupil's final warning is dated Fri 17 Oct (day 35); its four
 * school weeks end on day 55, Fri 21 Nov, so the penalty step falls due that day, due by five
 * school days later, Fri 28 Nov. The penalty window: the latest 10 school weeks to 21 Nov (the
 * weeks of 8 Sep … 13 Oct: 6, and of 27 Oct … 17 Nov: 4), from Mon 8 Sep.
 *
 * - PART: every afternoon C2 (part-time timetable), O on the mornings of Thu 13 and Fri 14 Nov,
 *   I on the morning of Wed 5 Nov. Absence this year: 55 C2 + 2 O + 1 I = 58 sessions; 2
 *   unauthorised in the window. Attendance over the monitoring period (days 36–55): 17 of 40,
 *   not improved; without the threshold the penalty step is not open.
 * - ILL: every afternoon I, the same two mornings of O: 55 + 2 = 57 sessions of absence, 55 authorised.
 * - TRUANT: every afternoon O. The window's 10th O (from Mon 8 Sep, one a day) is Fri 19 Sep,
 *   before the final warning of 17 Oct: that warning answered the threshold, so "consider a
 *   penalty notice (due by 26 Sep, late)" is not his next step; the penalty step is (by 28 Nov).
 * - LATER: present but for O all day Mon 3 – Fri 7 Nov: the 10th session is Fri 7 Nov, after the
 *   warning: to consider a penalty notice is due from 7 Nov, by Fri 14 Nov, late on 21 Nov, and
 *   is his next step before the penalty step (due, not late). Period: 30 of 40 (75 %), not improved.
 * - PART0: PART's register, nothing recorded: the letters go by attendance (Appendix A 6–7,
 *   "if a pupil's attendance falls below …"), authorised absence and all: both are due from 1 Sep.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { caseworkLadderOf } from "../analytics/casework/lists.ts";
import { LUDLOW_LADDER } from "../analytics/casework/policy.ts";
import { ladderFor, nextStepOf, type LadderPolicy, type LadderStanding } from "../analytics/interventions/ladder.ts";
import { recordIntervention } from "../analytics/interventions/store.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { stepsOnly } from "./helpers/ladder.ts";
import { absentDays, registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("ladder-penalty-open");
const AS_OF = "2025-11-21";
const ludlow: LadderPolicy = { ladder: stepsOnly(LUDLOW_LADDER), penalty_sessions: 10, penalty_window_school_weeks: 10 };
const WHY = "A penalty notice is not open: 2 sessions of unauthorised absence (G, N, O or U) in the latest 10 school weeks, the threshold is 10 (national framework for penalty notices)";

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [
      { from: "2025-09-01", to: "2025-10-17", half: "autumn-1-2025", term: "autumn-2025" },
      { from: "2025-10-27", to: "2025-12-19", half: "autumn-2-2025", term: "autumn-2025" },
    ]);
    const upTo = days.filter((d) => d <= AS_OF);
    const afternoons = (code: string, other: Record<string, string> = {}) =>
      Object.fromEntries(upTo.map((d) => [d, [other[d] ?? "/", code] as [string, string]]));
    const twoO = { "2025-11-13": "O", "2025-11-14": "O" };
    const part = afternoons("C2", { ...twoO, "2025-11-05": "I" });
    const week = upTo.filter((d) => d >= "2025-11-03" && d <= "2025-11-07");
    await seedRegister(c, {
      pupils: ["PART", "ILL", "TRUANT", "LATER", "PART0"].map((upn) => ({ upn, admission_date: "2025-09-01" })),
      marks: [
        ...registerOf("PART", upTo, part),
        ...registerOf("ILL", upTo, afternoons("I", twoO)),
        ...registerOf("TRUANT", upTo, afternoons("O")),
        ...registerOf("LATER", upTo, absentDays(week, "O")),
        ...registerOf("PART0", upTo, part),
      ],
    });
    for (const upn of ["PART", "ILL", "TRUANT", "LATER"]) {
      await recordIntervention(c, { by: "Ms Lead", role: "attendance_lead", today: AS_OF, note: "", upn, type: "final_warning", date: "2025-10-17" });
    }
  });
});
afterAll(() => removeDb(db));

async function standings(): Promise<Map<string, LadderStanding>> {
  return withConnection(db, async (c) => new Map((await ladderFor(c, AS_OF, ludlow)).map((s) => [s.upn, s])));
}

describe("a penalty notice on the ladder only where unauthorised absence meets the threshold", () => {
  it("a pupil on a part-time timetable is told why not and to review the timetable, not 'penalty notice sought'", async () => {
    const part = (await standings()).get("PART") as LadderStanding;
    expect(part.stage?.type).toBe("final_warning");
    expect(part.penalty_sessions).toBe(2);
    expect(part.next).toBeNull();
    expect(part.due).toEqual([]);
    expect(part.action_due).toBeNull();
    expect(part.next_action).toBe(
      `${WHY}. Most absence this year is C2, a part-time timetable agreed by the school (55 of 58 sessions): review the part-time timetable with the pupil and parents — it must be time-limited, with a date by which the pupil attends full time (DfE, Working together to improve school attendance; policy §7)`,
    );
    expect(caseworkLadderOf(part)).toMatchObject({ next: part.next_action, due_by: null, status: null });
  });

  it("mostly illness: why not, and the policy's other routes (§14)", async () => {
    const ill = (await standings()).get("ILL") as LadderStanding;
    expect(ill.next).toBeNull();
    expect(ill.next_action).toBe(
      `${WHY}. 55 of 57 sessions of absence this year are authorised: monitoring and contact with the parents continue; where support has not worked, the policy's other routes — a formal meeting with the parents and the School Attendance Support Team, a parenting contract or an education supervision order with the local authority (§14)`,
    );
  });

  it("the letters still go by attendance, C2 and all (Appendix A 6–7)", async () => {
    const part0 = (await standings()).get("PART0") as LadderStanding;
    // From Fri 26 Sep, PART0's 40th possible session (was 1 Sep: a pupil is judged on a rate
    // only from 40 sessions, analytics/judged-span.ts).
    expect(part0.due.map((d) => [d.type, d.due_from])).toEqual([
      ["letter_below_90", "2025-09-26"],
      ["letter_below_96", "2025-09-26"],
    ]);
  });

  it("unauthorised absence over the threshold: the penalty step is due as before", async () => {
    const truant = (await standings()).get("TRUANT") as LadderStanding;
    expect(truant.penalty_reached).toBe("2025-09-19");
    expect(truant.next).toMatchObject({ type: "penalty_notice_requested", due_from: "2025-11-21", due_by: "2025-11-28", late: false, conditional: false });
  });
});

describe("one next step, never one due before the stage was recorded", () => {
  it("a threshold met before the final warning is answered by it: the penalty step is next, everywhere", async () => {
    const truant = (await standings()).get("TRUANT") as LadderStanding;
    expect(truant.action_due).toBeNull();
    expect(truant.next_action).toBeNull();
    const shown = nextStepOf(truant);
    expect(shown.step?.label).toBe("Penalty notice sought");
    expect(shown.action).toBeNull();
    expect(shown.also).toEqual([]);
    expect(caseworkLadderOf(truant)).toMatchObject({ next: "Penalty notice sought", due_by: "2025-11-28", status: "due" });
  });

  it("a threshold met after it: to consider a penalty notice (late) is next, and the penalty step is that one step, not also due", async () => {
    const later = (await standings()).get("LATER") as LadderStanding;
    expect(later.penalty_reached).toBe("2025-11-07");
    expect(later.action_due).toMatchObject({ due_from: "2025-11-07", due_by: "2025-11-14", late: true });
    const shown = nextStepOf(later);
    expect(shown.step).toBeNull();
    expect(shown.action?.due_by).toBe("2025-11-14");
    // The ladder's penalty step (by 28 Nov) is the same step: offered once, as the late one (case32).
    expect(later.due.map((d) => [d.label, d.due_by, d.late])).toEqual([["Penalty notice sought", "2025-11-28", false]]);
    expect(shown.also).toEqual([]);
    expect(caseworkLadderOf(later)).toMatchObject({ next: shown.action?.label, due_by: "2025-11-14", status: "late" });
  });
});
