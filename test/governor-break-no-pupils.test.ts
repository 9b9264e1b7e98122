/**
 * Issue 13, cases 8–9, tried as a governor would (see test/governor-break.test.ts): a group
 * with sessions and no pupils over a period. Its own file: it reads the Overview's loader as
 * a governor of its own database (one per file: the session secret is the database's).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { loader as overviewLoader } from "../app/routes/_index.tsx";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { daysOfHalf, marksOf, restoreTodayAfterAll, seedCalendar, type Half } from "./helpers/break-register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { loaderData } from "./helpers/loader.ts";
import { seedRegister, type TestPupil } from "./helpers/register.ts";

type Counts = { possible_sessions: number; present_sessions: number; authorised_sessions: number; unauthorised_sessions: number };
const sessions = (m: Counts) => [m.possible_sessions, m.present_sessions, m.authorised_sessions, m.unauthorised_sessions];
restoreTodayAfterAll();

/**
 * Attack: a group with sessions but no pupils over a period. Under half-term membership a
 * group's pupils over a term are those whose last half term ends in it, but its sessions are
 * every half term's: a class of Autumn 1 only, all of whose pupils moved class at the half
 * term, has Autumn 1's sessions over the term and no pupils; so has the FSM group when its
 * only pupil stops being eligible. Such a cell withheld in Autumn 1 is withheld over the term
 * by the plan (a cell withheld in a half term is withheld in every period containing it) —
 * but is the decision read for a cell of no pupils?
 *
 * Register (autumn 2024, half terms from 2 September and 7 October, 20 days each, today
 * 4 November): 3A: A0–A5, 3B: B0–B5 (all year); 3D: D0–D2 in Autumn 1, then D0 in 3A and
 * D1, D2 in 3B. P (3A) on FSM in Autumn 1 only, the school's one FSM pupil. D0 off ill on 9
 * and 10 September; P absent (O) on 16 September.
 */
describe("a group with sessions and no pupils over the term", () => {
  const db = tempDbPath("governor-break-no-pupils");
  const A1: Half = { key: "autumn-1-2024", term: "autumn-2024", year: "2024/25", monday: "2024-09-02" };
  const A2: Half = { key: "autumn-2-2024", term: "autumn-2024", year: "2024/25", monday: "2024-10-07" };
  let governor: TestAccount;
  beforeAll(async () => {
    const pupils: TestPupil[] = [];
    for (const cls of ["A", "B"]) for (let i = 0; i < 6; i++) pupils.push({ upn: `${cls}${i}`, spells: [{ from: "2024-09-01", reg_group: `3${cls}` }] });
    const to = ["3A", "3B", "3B"];
    for (let i = 0; i < 3; i++) pupils.push({ upn: `D${i}`, spells: [{ from: "2024-09-01", to: "2024-10-06", reg_group: "3D" }, { from: "2024-10-07", reg_group: to[i] }] });
    pupils.push({ upn: "P", spells: [{ from: "2024-09-01", to: "2024-10-06", reg_group: "3A", fsm: "Y" }, { from: "2024-10-07", reg_group: "3A", fsm: "N" }] });
    const absent = { D0: { "2024-09-09": "I", "2024-09-10": "I" }, P: { "2024-09-16": "O" } };
    await withConnection(db, async (c) => {
      await seedCalendar(c, [A1, A2]);
      await seedRegister(c, { pupils, marks: marksOf(pupils.map((p) => p.upn), [...daysOfHalf(A1), ...daysOfHalf(A2)], absent) });
    });
    governor = (await createTestAccounts(db)).governor;
  });
  afterAll(() => removeDb(db));

  it("the Overview over the term gives no figure of 3D or of FSM pupils, withheld in Autumn 1", async () => {
    process.env.ROLLCALL_TODAY = "2024-11-04";
    type Overview = { current: Counts & { pupils: number }; currentWithheld: { row: string | null } };
    const read = (url: string) => loaderData<Overview>(overviewLoader, db, governor.cookie, url);
    const leaked: string[] = [];
    for (const filter of ["reg_group=3D", "fsm=Y"]) {
      const half = await read(`/?period=half-term&half=autumn-1-2024&${filter}`);
      expect([filter, half.currentWithheld.row]).toEqual([filter, expect.any(String)]);
      const term = await read(`/?period=term&term=autumn-2024&${filter}`);
      if (!term.currentWithheld.row && term.current.possible_sessions > 0) leaked.push(`${filter} over the term: ${JSON.stringify(sessions(term.current))}`);
    }
    // Before the fix: 3D's Autumn 1 ([120, 116, 4, 0]: D0–D2, D0 off ill two days) and P's
    // ([40, 38, 0, 2]: one pupil's half term) were the term's figures, published.
    expect(leaked).toEqual([]);
  });
});
