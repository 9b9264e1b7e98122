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
 */
describe("the FGB pack's ladder band against the school's absent sessions", () => {
  const db = tempDbPath("governor-break12-ladder");
  const A1: Half = { key: "autumn-1-2024", term: "autumn-2024", year: "2024/25", monday: "2024-09-02" };
  const A2: Half = { key: "autumn-2-2024", term: "autumn-2024", year: "2024/25", monday: "2024-10-07" };
  let governor: TestAccount;
  beforeAll(async () => {
    const pupils = yearThreeClasses();
    const absent = { A0: { "2024-09-09": "I", "2024-10-08": "I" }, B0: { "2024-09-10": "I" } };
    await withConnection(db, async (c) => {
      await seedCalendar(c, [A1, A2]);
      await seedRegister(c, { pupils, marks: marksOf(pupils.map((p) => p.upn), [...daysOfHalf(A1), ...daysOfHalf(A2)], absent) });
    });
    governor = (await createTestAccounts(db)).governor;
  });
  afterAll(() => removeDb(db));

  type Overview = {
    current: { pupils: number; possible_sessions: number; authorised_sessions: number; unauthorised_sessions: number; pa_pupils: number | null };
    currentWithheld: { row: string | null; pa: string | null };
  };

  // Fails: the ladder's bands are protected by their sums with the pack's persistently and
  // severely absent counts only (analytics/packs/ladder-suppression.ts), not against the
  // school's sessions the governor reads beside them. A fix needs the bands bounded like PA and
  // SA (a LinearRule per span: Σ least missed in band i × band i + attended ≤ possible, the
  // leasts from the pupils' own rows, and the floor) with the school's possible and attended
  // as cells the ladder cannot withhold, and, where a band is pinned all the same (a band in no
  // sum is withheld only when small: 1 to 4), the bands not printed at all, or the school's
  // sessions withheld with them in the span's own plan.
  it.fails("leaves the band's withheld count unknown", async () => {
    process.env.ROLLCALL_TODAY = "2024-11-11";
    const pack = await withConnection(db, (c) => buildFgbPack(c, { term: "autumn-2024", today: "2024-11-11" }));
    const tables = pack.sections.flatMap((s) => s.blocks).flatMap((b) => (b.kind === "table" ? [b.table] : []));
    const ladder = tables.find((t) => t.caption.startsWith("Pupils on the attendance policy's ladder"))!;
    const cells = ladder.rows.map((row) => [(row[0] as { text: string }).text, row[1] as { kind: string; value?: number }] as const);
    const term = await loaderData<Overview>(overviewLoader, db, governor.cookie, "/?period=term&term=autumn-2024");
    const recovered: string[] = [];
    const top = cells[0];
    if (top[1].kind === "suppressed" && !term.currentWithheld.row && term.current.possible_sessions === 80 * term.current.pupils) {
      const missed = term.current.authorised_sessions + term.current.unauthorised_sessions;
      // Below 96 % of 80: at least 4 missed each; the band's withheld count is 1 to 4.
      if (Math.floor(missed / 4) === 1) recovered.push(`${top[0]}: 1 pupil, ${missed} missed in the school`);
    }
    // Before a fix: ["90% to under 96%: 1 pupil, 6 missed in the school"].
    expect(recovered).toEqual([]);
  });
});
