/**
 * A step is due from the day the register as it then stood had it due (register-showed.ts):
 * several amendments made on different days, each of marks weeks old. On a day the register
 * had the pupil below the line on some October day but above it since, the pupil's page showed
 * nothing due (the ladder as of then had no current run); an amendment that raises attendance
 * or lowers the unauthorised count can make a step due that the register showed done or answered
 * (a formal meeting held in the run, a threshold met before a parenting contract).
 *
 * Calendar AUTUMN_2025_TERM (school day n: Mon 6 Oct = 26, Tue 7 Oct = 27, half term 20–24 Oct,
 * Wed 12 Nov = 48, Fri 14 Nov = 50, Mon 17 Nov = 51, Fri 28 Nov = 60, Mon 1 Dec = 61). The
 * register is seeded to Fri 28 Nov, every pupil present unless said; imports amend September,
 * October and November marks, made (the fixture says) on Mon 10 Nov, Mon 17 Nov, Thu 20 Nov,
 * Fri 21 Nov (two) and Mon 1 Dec.
 * Ludlow's ladder without its formal meeting (96 % letter, 90 % letter, both strictly below);
 * grace 5 school days; penalty threshold 10 sessions of G, N, O, U in the latest 10 school weeks.
 *
 * - E: the import of 17 Nov makes 6–7 Oct O (4 sessions): year to date (2n − 4) / 2n on day
 *   n ≥ 27, 50/54 = 92.6 % on Tue 7 Oct, below 96 % to day 49 (Thu 13 Nov, 94/98 = 95.9 %), 96/100
 *   on Fri 14 Nov and 98/102 = 96.1 % on Mon 17 Nov: as the register stood on 17 Nov the pupil was
 *   above the line, nothing due. The import of 1 Dec makes 12–14 Nov O (6 more): (2n − 10) / 2n,
 *   below 96 % from Tue 7 Oct on (n < 125), 90/100 on 14 Nov (not below 90 %). The 96 % letter
 *   is due from Mon 1 Dec, by Mon 8 Dec, not late; the tenth O is Fri 14 Nov, the threshold
 *   shown on 1 Dec too.
 * - F: O on 6–7 Oct and I on 12–14 Nov in the seeded register (as E after 1 Dec: below 96 %
 *   from 7 Oct, seen then); the import of 10 Nov makes 6–7 Oct present, that of 20 Nov O again:
 *   the register showed the crossing on 7 Oct, the letter due from then (by 14 Oct) and late.
 * - H (Ludlow's ladder with its formal meeting below 85 %): I on 22–25 Sep, 6–10 Oct and 10–12
 *   Nov, 24 sessions: 32/40 = 80 % on Fri 26 Sep, below 85 % from then on (24/2n > 0.15 to day
 *   79); the 96 % letter and the formal meeting recorded Mon 29 Sep, in that run; the 90 %
 *   letter on Mon 17 Nov (its monitoring period running). The import of Fri 21 Nov makes 24–25
 *   Sep present: 36/40 = 90 % on 26 Sep, 46/52 = 88.5 % on Mon 6 Oct, 46/54 = 85.2 % on Tue
 *   7 Oct, 46/56 = 82.1 % on Wed 8 Oct, below from then (16/92 on 10 Nov, then 20/2n > 0.15 to
 *   day 66): a run begun after the meeting, which is due again — from 21 Nov, the day the
 *   register first showed it, by 28 Nov, not late (it read due from 8 Oct, late).
 * - P: O on 6–10 Oct and Mon 3 Nov: the tenth unauthorised session on Fri 10 Oct; a parenting
 *   contract recorded Mon 13 Oct answers it (Ludlow §14: nothing to consider before the
 *   contract's own steps). The import of Fri 21 Nov makes 6 Oct I: eight by 10 Oct, the tenth on
 *   3 Nov, after the contract: the consideration is due again, from 21 Nov (the window, the
 *   latest 10 school weeks to 21 Nov, from Mon 8 Sep), by 28 Nov, not late (it read due from 3
 *   Nov, late).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { ladderFor, type LadderPolicy } from "../analytics/interventions/ladder.ts";
import { LUDLOW_LADDER } from "../analytics/casework/policy.ts";
import { recordIntervention } from "../analytics/interventions/store.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { absentDays, AUTUMN_2025_TERM, registerOf, seedSchoolDays, weekdays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";
import { bothSessions, importMade, standingsAlike, stepsOnly } from "./helpers/ladder.ts";
import { upn } from "./fixtures/import/helpers.ts";

const db = tempDbPath("ladder-register-showed-later");
const policy: LadderPolicy = { ladder: stepsOnly(LUDLOW_LADDER), penalty_sessions: 10, penalty_window_school_weeks: 10 };
const [E, F, H, P] = [5, 6, 8, 9].map(upn);
const fullLudlow: LadderPolicy = { ...policy, ladder: LUDLOW_LADDER };
const october = ["2025-10-06", "2025-10-07"];
const november = ["2025-11-12", "2025-11-13", "2025-11-14"];

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [...AUTUMN_2025_TERM]);
    const seeded = days.filter((d) => d <= "2025-11-28");
    await seedRegister(c, {
      pupils: [E, F, H, P].map((u) => ({ upn: u, admission_date: "2025-09-01" })),
      marks: [
        ...registerOf(E, seeded),
        ...registerOf(F, seeded, { ...absentDays(october, "O"), ...absentDays(november, "I") }),
        ...registerOf(H, seeded, absentDays(["2025-09-22", "2025-09-23", "2025-09-24", "2025-09-25", ...weekdays("2025-10-06", "2025-10-10"), "2025-11-10", "2025-11-11", "2025-11-12"])),
        ...registerOf(P, seeded, absentDays([...weekdays("2025-10-06", "2025-10-10"), "2025-11-03"], "O")),
      ],
    });
    await recordIntervention(c, { by: "Ms Lead", role: "attendance_lead", today: "2025-10-13", note: "", upn: P, type: "parenting_contract", date: "2025-10-13" });
    for (const [type, date] of [["letter_below_96", "2025-09-29"], ["formal_meeting", "2025-09-29"], ["letter_below_90", "2025-11-17"]] as const) {
      await recordIntervention(c, { by: "Ms Lead", role: "attendance_lead", today: date, note: "", upn: H, type, date });
    }
    await importMade(c, "2025-11-10", bothSessions(F, october, "/"));
    await importMade(c, "2025-11-17", bothSessions(E, october, "O"));
    await importMade(c, "2025-11-20", bothSessions(F, october, "O"));
    await importMade(c, "2025-11-21", bothSessions(H, ["2025-09-24", "2025-09-25"], "/"));
    await importMade(c, "2025-11-21", bothSessions(P, ["2025-10-06"], "I"));
    await importMade(c, "2025-12-01", bothSessions(E, november, "O"));
  });
});
afterAll(() => removeDb(db));

const standings = (asOf: string) => standingsAlike(db, asOf, policy, [E, F]);

describe("a step due from the day the register, as it then stood, had it due", () => {
  it("E: above the line as the register stood on 17 Nov, below from 1 Dec: the letter due from 1 Dec, not late", async () => {
    const s = await standings("2025-12-01");
    expect(s.get(E)).toEqual({
      due: [["letter_below_96", "2025-12-01", "2025-12-08", false, { met_on: "2025-10-07", rule: "line" }]],
      action: ["penalty_notice_requested", "2025-12-01", "2025-12-08", false, { met_on: "2025-11-14", rule: "threshold" }],
    });
  });

  it("F: a crossing the register showed, hidden by one amendment and brought back by another, stays dated from its day", async () => {
    const s = await standings("2025-12-01");
    expect(s.get(F)?.due).toEqual([["letter_below_96", "2025-10-07", "2025-10-14", true, null]]);
  });

  it("H: an amendment that improves attendance starts the run below 85 % after the formal meeting held: the meeting due again from the amendment's day", async () => {
    const s = await standingsAlike(db, "2025-11-21", fullLudlow, [H]);
    expect(s.get(H)?.due).toEqual([["formal_meeting", "2025-11-21", "2025-11-28", false, { met_on: "2025-10-08", rule: "line" }]]);
  });

  it("P: an amendment that lowers the unauthorised count moves the threshold's day after the parenting contract that answered it: the consideration due from the amendment's day", async () => {
    const s = await standingsAlike(db, "2025-11-21", policy, [P]);
    expect(s.get(P)?.action).toEqual(["penalty_notice_requested", "2025-11-21", "2025-11-28", false, { met_on: "2025-11-03", rule: "threshold" }]);
  });
});
