/**
 * Issue 13, cases 8–9, session 11's adversary: the FGB pack's interventions by type across two
 * terms' packs (test/governor-break.test.ts has the first attacks on it). Each pack gives the
 * counts recorded this academic year to the end of its last ended half term, withheld for a
 * type whose count in any half term of it is 1 to min − 1, so that two packs' counts subtract
 * to whole half terms' counts, each 0 or at least min.
 *
 * Attack: an intervention dated in a holiday (a letter sent, or a home visit made, in the
 * Christmas holiday). The autumn term's pack runs to the last day of Autumn 2, so it leaves
 * out the holiday after it; the spring term's pack counted those entries in Autumn 2's half
 * term (which ran, for the withholding, to the day before Spring 1 began). So Autumn 2's count
 * was 5 in one pack and 7 in the other, both published, and the difference was the holiday's 2.
 *
 * Register (2025/26, half terms of 20 school days: Autumn 1 from Monday 1 September 2025,
 * Autumn 2 from Monday 6 October (to Friday 31 October), Spring 1 from Monday 5 January 2026
 * (to Friday 30 January); today 2 February 2026): ten pupils in 3A, present throughout. Phone
 * calls: five on 10 September (Autumn 1), five on 15 October (Autumn 2), two on 22 December
 * (the holiday before Spring 1), none in Spring 1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { recordIntervention } from "../analytics/interventions/store.ts";
import { createTestAccounts } from "./helpers/auth.ts";
import { daysOfHalf, fgbRecordedCounts, marksOf, seedCalendar, type Half } from "./helpers/break-register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { seedRegister, type TestPupil } from "./helpers/register.ts";

const MIN = 5;
const TODAY = "2026-02-02";
const savedToday = process.env.ROLLCALL_TODAY;

describe("the FGB pack's interventions dated in a holiday", () => {
  const db = tempDbPath("governor-break-interventions");
  const HALVES: Half[] = [
    { key: "autumn-1-2025", term: "autumn-2025", year: "2025/26", monday: "2025-09-01" },
    { key: "autumn-2-2025", term: "autumn-2025", year: "2025/26", monday: "2025-10-06" },
    { key: "spring-1-2026", term: "spring-2026", year: "2025/26", monday: "2026-01-05" },
  ];
  beforeAll(async () => {
    await withConnection(db, async (c) => {
      await seedCalendar(c, HALVES);
      const pupils: TestPupil[] = Array.from({ length: 10 }, (_, i) => ({ upn: `P${i}`, admission_date: "2025-09-01", spells: [{ from: "2025-09-01", reg_group: "3A" }] }));
      await seedRegister(c, { pupils, marks: marksOf(pupils.map((p) => p.upn), HALVES.flatMap(daysOfHalf)) });
      const by = { by: "Ms Lead", role: "attendance_lead", today: TODAY, note: "" };
      for (let i = 0; i < 5; i++) await recordIntervention(c, { ...by, upn: `P${i}`, type: "phone_call", date: "2025-09-10" });
      for (let i = 5; i < 10; i++) await recordIntervention(c, { ...by, upn: `P${i}`, type: "phone_call", date: "2025-10-15" });
      for (let i = 0; i < 2; i++) await recordIntervention(c, { ...by, upn: `P${i}`, type: "phone_call", date: "2025-12-22" });
    });
    await createTestAccounts(db);
    process.env.ROLLCALL_TODAY = TODAY;
  });
  afterAll(async () => {
    if (savedToday === undefined) delete process.env.ROLLCALL_TODAY;
    else process.env.ROLLCALL_TODAY = savedToday;
    await removeDb(db);
  });

  it("gives no count of 1 to min − 1 by subtracting the autumn pack's counts from the spring pack's", async () => {
    await withConnection(db, async (c) => {
      const recorded = (term: string) => fgbRecordedCounts(c, term, TODAY);
      const autumn = await recorded("autumn-2025");
      const spring = await recorded("spring-2026");
      // The test reads something: the autumn pack's ten phone calls are published.
      expect([...autumn.values()]).toEqual([10]);
      const recovered: string[] = [];
      for (const [type, later] of spring) {
        const earlier = autumn.get(type) ?? 0;
        if (later !== null && earlier !== null && later - earlier > 0 && later - earlier < MIN) recovered.push(`${type}: ${later} − ${earlier}`);
      }
      // Before the fix: ["Phone call: 12 − 10"]: the two calls of 22 December.
      expect(recovered).toEqual([]);
    });
  });
});
