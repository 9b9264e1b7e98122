/**
 * Issue 13, cases 8–9, session 12's adversary: the FGB pack's ladder bands (pupils by their
 * attendance, year to date) against the school's absent sessions the same governor reads. A
 * band is a count of pupils who each missed at least a share of their own sessions, as
 * persistent absence is, so the school's absent sessions bound it. Its own file: one database
 * per file (the session secret is the database's).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { buildFgbPack } from "../analytics/packs/fgb.ts";
import { loader as overviewLoader } from "../app/routes/_index.tsx";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { daysOfHalf, marksOf, restoreTodayAfterAll, seedCalendar, yearThreeClasses, type Half } from "./helpers/break-register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { loaderData } from "./helpers/loader.ts";
import { seedRegister } from "./helpers/register.ts";

restoreTodayAfterAll();

/**
 * Register (autumn 2024: Autumn 1 from Monday 2 September, Autumn 2 from Monday 7 October, 20
 * school days each, 40 sessions; today 11 November 2024): Year 3 — 3A: A0–A7, 3B: B0–B7, on
 * roll throughout. Off ill (I) for a day (2 sessions): A0 on 9 September and 8 October (4 of
 * 80 over the term: 95 %, below the ladder's 96 % line, above its 90 %); B0 on 10 September
 * (2 of 80: 97.5 %). Everyone else present. Nobody persistently absent in a half term or the
 * term, so the plan withholds nothing of the rows.
 *
 * The pack for the autumn term (its year to date is the term) prints the ladder's bands with
 * the default thresholds (96, 90, 85, 50): "90 to under 96" 1 pupil, withheld (1 to 4: the band
 * is in no sum with the other figures, so it can only be withheld for being small), the others
 * 0. The Overview over the term gives the school's 16 pupils, 1,280 possible sessions (80 each,
 * none can have more) and 6 missed. A pupil below 96 % missed more than 4 % of 80 sessions
 * (3.2): at least 4. So at most ⌊6 ÷ 4⌋ = 1 pupil is below 96 %: the band's "withheld" is 1.
 *
 * The fix (analytics/packs/ladder-suppression.ts, docs/DEFINITIONS.md): a band the school's
 * absent sessions alone allow fewer than the minimum (but some) pupils is withheld whatever it
 * holds, 0 included, so its "withheld" no longer says 1 to 4. So the reader below knows that
 * rule, and a twin register (nobody below 96 %, the same pupils, sessions and 6 missed: A0, A1
 * and B0 off a day each) must print the same ladder, or the word would tell the two apart.
 */
describe("the FGB pack's ladder band against the school's absent sessions", () => {
  const db = tempDbPath("governor-break12-ladder");
  const A1: Half = { key: "autumn-1-2024", term: "autumn-2024", year: "2024/25", monday: "2024-09-02" };
  const A2: Half = { key: "autumn-2-2024", term: "autumn-2024", year: "2024/25", monday: "2024-10-07" };
  const twin = tempDbPath("governor-break12-ladder-twin");
  let governor: TestAccount;
  const seed = async (path: string, absent: Record<string, Record<string, string>>) => {
    const pupils = yearThreeClasses();
    await withConnection(path, async (c) => {
      await seedCalendar(c, [A1, A2]);
      await seedRegister(c, { pupils, marks: marksOf(pupils.map((p) => p.upn), [...daysOfHalf(A1), ...daysOfHalf(A2)], absent) });
    });
  };
  beforeAll(async () => {
    await seed(db, { A0: { "2024-09-09": "I", "2024-10-08": "I" }, B0: { "2024-09-10": "I" } });
    await seed(twin, { A0: { "2024-09-09": "I" }, A1: { "2024-10-08": "I" }, B0: { "2024-09-10": "I" } });
    governor = (await createTestAccounts(db)).governor;
  });
  afterAll(async () => {
    await removeDb(db);
    await removeDb(twin);
  });

  const ladderOf = async (path: string) => {
    const pack = await withConnection(path, (c) => buildFgbPack(c, { term: "autumn-2024", today: "2024-11-11" }));
    const tables = pack.sections.flatMap((s) => s.blocks).flatMap((b) => (b.kind === "table" ? [b.table] : []));
    const ladder = tables.find((t) => t.caption.startsWith("Pupils on the attendance policy's ladder"))!;
    return ladder.rows.map((row) => [(row[0] as { text: string }).text, row[1] as { kind: string; value?: number }] as const);
  };

  type Overview = {
    current: { pupils: number; possible_sessions: number; authorised_sessions: number; unauthorised_sessions: number; pa_pupils: number | null };
    currentWithheld: { row: string | null; pa: string | null };
  };

  // Failed before the fix: the ladder's bands were protected by their sums with the pack's
  // persistently and severely absent counts only, not against the school's sessions the
  // governor reads beside them. Now they are bounded like PA and SA (ladderRules: Σ least
  // missed in band i × band i + attended ≤ possible, and the floor) with the school's figures
  // as cells the ladder cannot withhold, and a band the sessions alone allow fewer than the
  // minimum is withheld whatever it holds (ladderCountCells).
  it("leaves the band's withheld count unknown", async () => {
    process.env.ROLLCALL_TODAY = "2024-11-11";
    const cells = await ladderOf(db);
    const term = await loaderData<Overview>(overviewLoader, db, governor.cookie, "/?period=term&term=autumn-2024");
    const recovered: string[] = [];
    const top = cells[0];
    if (top[1].kind === "suppressed" && !term.currentWithheld.row && term.current.possible_sessions === 80 * term.current.pupils) {
      const missed = term.current.authorised_sessions + term.current.unauthorised_sessions;
      // Below 96 % of 80: at least 4 missed each, so at most ⌊missed ÷ 4⌋. The band's withheld
      // count is 1 to 4 — unless the sessions alone allow it fewer than 5 (but some), when it
      // is withheld whatever it holds (the rule), 0 to that many.
      const most = Math.floor(missed / 4);
      const least = most > 0 && most < 5 ? 0 : 1;
      if (least === most) recovered.push(`${top[0]}: ${most} pupil(s), ${missed} missed in the school`);
    }
    // Before a fix: ["90% to under 96%: 1 pupil(s), 6 missed in the school"].
    expect(recovered).toEqual([]);
    // And the word says no more than the rule: the twin (nobody below 96 %, the same school
    // figures) prints the same ladder. Before a fix the twin printed "90% to under 96%": 0.
    expect(await ladderOf(twin)).toEqual(cells);
  });
});
