/**
 * Two edges of the day the register first showed a penalty-notice threshold met
 * (register-showed.ts), left by the session that made it.
 *
 * a) The penalty window reaching back before the school year, the stage that answers the
 *    threshold recorded before the year's first school day. Calendar: summer 2 Jun – Fri 18 Jul
 *    2025, then AUTUMN_2025_TERM (Mon 1 Sep …; the academic year from 1 Aug). Ludlow's ladder
 *    without its formal meeting; 10 sessions of G, N, O, U in the latest 10 school weeks (to Fri
 *    12 Sep: the weeks of 8 and 1 Sep and the seven of the summer, from Mon 2 Jun).
 *    - W: O on Mon 7 – Fri 11 Jul (10 sessions: the threshold met on 11 Jul) and Mon 8 Sep (2); a
 *      parenting contract recorded Fri 29 Aug, after the threshold was met, answers it (Ludlow
 *      §14). The import made Wed 10 Sep corrects 7 Jul to I: 8 sessions by 18 Jul, the tenth on
 *      8 Sep, after the contract. As the register stood before 10 Sep the contract answered the
 *      threshold: the consideration is due from 10 Sep (by Wed 17 Sep: 11, 12, 15, 16, 17 Sep),
 *      not late as of Fri 12 Sep. It read due from 8 Sep, by 15 Sep: the count before the
 *      contract was read only from the year's start, where no school day comes before 29 Aug.
 * b) Littledean's penalty step under the re-dating (its "answered" clause, ladder.ts
 *    stageAnswersThreshold: formal support is the step before its penalty notice). Calendar
 *    AUTUMN_2025_TERM; Littledean's ladder, 10 sessions in 10 school weeks.
 *    - Q: O on Mon 6 – Thu 9 Oct (8 sessions) in the register; formal support (a parenting
 *      contract) recorded Mon 3 Nov; the import made Mon 17 Nov makes Fri 10 Oct O: the threshold
 *      met on 10 Oct, before the contract, seen only on 17 Nov. The ladder's penalty step is that
 *      consideration (no "consider a penalty notice" beside it), due no earlier than the stage and
 *      from the day shown: from 17 Nov, by Mon 24 Nov; as of Fri 14 Nov (a view of a past date),
 *      not yet due.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import type { LadderPolicy } from "../analytics/interventions/ladder.ts";
import { LITTLEDEAN_LADDER, LUDLOW_LADDER } from "../analytics/casework/policy.ts";
import { recordIntervention } from "../analytics/interventions/store.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { absentDays, AUTUMN_2025_TERM, registerOf, seedSchoolDays, weekdays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";
import { bothSessions, importMade, standingsAlike, stepsOnly } from "./helpers/ladder.ts";
import { upn } from "./fixtures/import/helpers.ts";

const db = tempDbPath("ladder-register-showed-edges");
const ludlow: LadderPolicy = { ladder: stepsOnly(LUDLOW_LADDER), penalty_sessions: 10, penalty_window_school_weeks: 10 };
const littledean: LadderPolicy = { ladder: LITTLEDEAN_LADDER, penalty_sessions: 10, penalty_window_school_weeks: 10 };
const [W, Q] = [11, 12].map(upn);

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [{ from: "2025-06-02", to: "2025-07-18", half: "summer-2-2025", term: "summer-2025" }, ...AUTUMN_2025_TERM]);
    const seeded = days.filter((d) => d <= "2025-11-28");
    await seedRegister(c, {
      pupils: [W, Q].map((u) => ({ upn: u, admission_date: "2024-09-01" })),
      marks: [
        ...registerOf(W, seeded, absentDays([...weekdays("2025-07-07", "2025-07-11"), "2025-09-08"], "O")),
        ...registerOf(Q, seeded, absentDays(weekdays("2025-10-06", "2025-10-09"), "O")),
      ],
    });
    await recordIntervention(c, { by: "Ms Lead", role: "attendance_lead", today: "2025-08-29", note: "", upn: W, type: "parenting_contract", date: "2025-08-29" });
    await recordIntervention(c, { by: "Ms Lead", role: "attendance_lead", today: "2025-11-03", note: "", upn: Q, type: "parenting_contract", date: "2025-11-03" });
    await importMade(c, "2025-09-10", bothSessions(W, ["2025-07-07"], "I"));
    await importMade(c, "2025-11-17", bothSessions(Q, ["2025-10-10"], "O"));
  });
});
afterAll(() => removeDb(db));

const threshold = (met_on: string) => ({ met_on, rule: "threshold" });

describe("a) the penalty window reaching back before the year, the answering stage before its first school day", () => {
  it("the contract of 29 Aug answered the threshold the register then showed met on 11 Jul: the consideration due from the amendment of 10 Sep, not late on 12 Sep", async () => {
    const s = await standingsAlike(db, "2025-09-12", ludlow, [W]);
    expect(s.get(W)?.action).toEqual(["penalty_notice_requested", "2025-09-10", "2025-09-17", false, threshold("2025-09-08")]);
  });

  it("late after the grace, still dated from 10 Sep", async () => {
    const s = await standingsAlike(db, "2025-09-22", ludlow, [W]);
    expect(s.get(W)?.action).toEqual(["penalty_notice_requested", "2025-09-10", "2025-09-17", true, threshold("2025-09-08")]);
  });
});

describe("b) Littledean's penalty step, its threshold met before formal support and shown after it", () => {
  it("is the consideration, due from the day shown (17 Nov), none beside it", async () => {
    const s = await standingsAlike(db, "2025-11-17", littledean, [Q]);
    expect(s.get(Q)).toEqual({ due: [["penalty_notice_requested", "2025-11-17", "2025-11-24", false, threshold("2025-10-10")]], action: null });
    expect((await standingsAlike(db, "2025-11-25", littledean, [Q])).get(Q)?.due[0]?.[3]).toBe(true);
  });

  it("as of a day before it was shown, not yet due", async () => {
    const s = await standingsAlike(db, "2025-11-14", littledean, [Q]);
    expect(s.get(Q)).toEqual({ due: [["penalty_notice_requested", "2025-11-17", "2025-11-24", false, threshold("2025-10-10"), "not yet due"]], action: null });
  });
});
