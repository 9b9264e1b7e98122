/**
 * Issue 13, cases 8–9: test/governor-break-pa-sessions.test.ts's attack where the school's own
 * figures do not pin its count, so the school's row stays published and only the classes' can
 * protect 3A's. Its own file: one database per file (the session secret is the database's).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { loader as overviewLoader } from "../app/routes/_index.tsx";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { daysOfHalf, marksOf, restoreTodayAfterAll, seedCalendar, yearThreeClasses, type Half } from "./helpers/break-register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { loaderData } from "./helpers/loader.ts";
import { seedRegister } from "./helpers/register.ts";

restoreTodayAfterAll();

/**
 * Register (Autumn 1 2024 only, 20 school days from Monday 2 September, 40 sessions each;
 * today 4 November 2024): Year 3 — 3A: A0–A7, 3B: B0–B7, on roll throughout. A0 off ill (I)
 * on 9 and 10 September: 4 of 40 sessions, 10 %, persistently absent. B0–B7 each off ill on
 * 11 September: 2 of 40, 5 %, not persistently absent. Everyone else present.
 *
 * The school: 16 pupils, 20 sessions missed, 1 persistently absent (withheld: 1 to 4). Its own
 * sessions do not pin that (20 missed allow up to 5 pupils of 4 each), so its row is published.
 * If 3A's row were published beside its withheld count (4 missed of 320: at most one pupil of
 * 4), 3A's count would be 1, and the school's "1 to 4" with it.
 */
describe("a class's withheld persistent absence against its sessions, the school's row published", () => {
  const db = tempDbPath("governor-break-pa-sessions-published");
  const A1: Half = { key: "autumn-1-2024", term: "autumn-2024", year: "2024/25", monday: "2024-09-02" };
  let governor: TestAccount;
  beforeAll(async () => {
    const pupils = yearThreeClasses();
    const absent: Record<string, Record<string, string>> = { A0: { "2024-09-09": "I", "2024-09-10": "I" } };
    for (let i = 0; i < 8; i++) absent[`B${i}`] = { "2024-09-11": "I" };
    await withConnection(db, async (c) => {
      await seedCalendar(c, [A1]);
      await seedRegister(c, { pupils, marks: marksOf(pupils.map((p) => p.upn), daysOfHalf(A1), absent) });
    });
    governor = (await createTestAccounts(db)).governor;
  });
  afterAll(() => removeDb(db));

  type Overview = {
    current: { pupils: number; possible_sessions: number; authorised_sessions: number; unauthorised_sessions: number; pa_pupils: number | null };
    currentWithheld: { row: string | null; pa: string | null };
  };
  const read = (url: string) => loaderData<Overview>(overviewLoader, db, governor.cookie, url);

  it("publishes the school's row and leaves 3A's count unknown", async () => {
    process.env.ROLLCALL_TODAY = "2024-11-04";
    const school = await read("/?period=half-term&half=autumn-1-2024");
    // The school's figures are governors' first figures: withheld only if nothing else will do.
    expect(school.currentWithheld.row).toBeNull();
    expect(school.current.authorised_sessions + school.current.unauthorised_sessions).toBe(20);
    expect(school.currentWithheld.pa).not.toBeNull();
    const recovered: string[] = [];
    let lo = 1;
    let hi = 4;
    for (const cls of ["3A", "3B"]) {
      const c = await read(`/?period=half-term&half=autumn-1-2024&reg_group=${cls}`);
      if (c.currentWithheld.row) continue;
      if (!c.currentWithheld.pa) {
        lo -= c.current.pa_pupils!;
        hi -= c.current.pa_pupils!;
        continue;
      }
      // Every pupil had all 40 sessions: a persistently absent one missed at least 4.
      const missed = c.current.authorised_sessions + c.current.unauthorised_sessions;
      if (c.current.possible_sessions === 40 * c.current.pupils) hi = Math.min(hi, Math.floor(missed / 4));
      if (lo === hi) recovered.push(`${cls}: ${lo} persistently absent, ${missed} sessions missed in all`);
    }
    // Before the sessions bound: ["3A: 1 persistently absent, 4 sessions missed in all"].
    expect(recovered).toEqual([]);
  });
});
