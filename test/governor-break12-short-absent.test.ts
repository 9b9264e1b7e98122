/**
 * Issue 13, cases 8–9, session 12's adversary: over a half term shorter than 20 school days the
 * Overview gives pupils absent at least once and withholds a group's absent sessions with a
 * withheld count of them (docs/DEFINITIONS.md "Session counts beside a withheld count of
 * pupils"); the Year groups & classes page gives the same group's sessions over the same half
 * term. Its own file: one database per file (the session secret is the database's).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { loader as overviewLoader } from "../app/routes/_index.tsx";
import { loader as classesLoader } from "../app/routes/classes.tsx";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { daysOfHalf, marksOf, restoreTodayAfterAll, seedCalendar, yearThreeClasses, type Half } from "./helpers/break-register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { loaderData } from "./helpers/loader.ts";
import { seedRegister } from "./helpers/register.ts";

restoreTodayAfterAll();

/**
 * Register (autumn 2024: Autumn 1 of 3 weeks from Monday 2 September, 15 school days; Autumn 2
 * from Monday 7 October; today 1 October 2024): Year 3 — 3A: A0–A7, 3B: B0–B7, on roll
 * throughout. A0 off ill (I) on the morning of 9 September: 1 session. B0–B7 each off ill one
 * day (2 sessions). Everyone else present.
 *
 * The Overview over Autumn 1 filtered to 3A withholds its pupils absent at least once (1) and,
 * with them, its absent sessions. The Year groups & classes page over Autumn 1 gives 3A's 8
 * pupils, 240 possible sessions, 1 missed: one missed session is one pupil's, so 3A's withheld
 * count of pupils absent at least once is 1.
 */
describe("a class's absent sessions over a short half term, withheld on the Overview, given on Year groups & classes", () => {
  const db = tempDbPath("governor-break12-short-absent");
  const A1: Half = { key: "autumn-1-2024", term: "autumn-2024", year: "2024/25", monday: "2024-09-02", weeks: 3 };
  const A2: Half = { key: "autumn-2-2024", term: "autumn-2024", year: "2024/25", monday: "2024-10-07" };
  let governor: TestAccount;
  beforeAll(async () => {
    const pupils = yearThreeClasses();
    const absent: Record<string, Record<string, string>> = {};
    for (let i = 0; i < 8; i++) absent[`B${i}`] = { "2024-09-11": "I" };
    const marks = marksOf(pupils.map((p) => p.upn), [...daysOfHalf(A1), ...daysOfHalf(A2)], absent).map((m) =>
      m[0] === "A0" && m[1] === "2024-09-09" && m[2] === "AM" ? (["A0", "2024-09-09", "AM", "I"] as typeof m) : m,
    );
    await withConnection(db, async (c) => {
      await seedCalendar(c, [A1, A2]);
      await seedRegister(c, { pupils, marks });
    });
    governor = (await createTestAccounts(db)).governor;
  });
  afterAll(() => removeDb(db));

  type Overview = {
    current: { pupils: number; possible_sessions: number; authorised_sessions: number | null; unauthorised_sessions: number | null };
    currentWithheld: { row: string | null; absent: string | null };
    shortSpan?: unknown;
  };
  type Row = { group: string; pupils: number; possible_sessions: number; authorised_sessions: number; unauthorised_sessions: number; withheld: { row: string | null } };
  type Classes = { classes: Row[] };

  // Fails: only the Overview (and app/lib/recent.server.ts) applies applyAbsentWithheld over a
  // short span; Year groups & classes gives every row's sessions and rates. A fix needs every
  // page and pack a governor reads over a span of fewer than 20 school days (Year groups &
  // classes, Groups and its rest-of-school cells, the FGB pack's tables and headline — "479 of
  // 480 possible sessions attended" — Benchmarks and the head's report) to withhold a group's
  // absence in sessions and rates wherever its pupils absent at least once are withheld, as
  // the Overview does (one helper used by all, so none is left out).
  it("leaves 3A's pupils absent at least once unknown", async () => {
    process.env.ROLLCALL_TODAY = "2024-10-01";
    const overview = await loaderData<Overview>(overviewLoader, db, governor.cookie, "/?period=half-term&half=autumn-1-2024&reg_group=3A");
    const page = await loaderData<Classes>(classesLoader, db, governor.cookie, "/classes?period=half-term&half=autumn-1-2024");
    const recovered: string[] = [];
    const a = page.classes.find((r) => r.group === "3A")!;
    if (overview.currentWithheld.absent && !overview.currentWithheld.row && !a.withheld.row) {
      const missed = a.authorised_sessions + a.unauthorised_sessions;
      // Each pupil absent at least once missed at least 1 session: at most `missed` of them;
      // the withheld count is 1 to 4 or (to protect another) 0 or 5 and more, and 1 missed is 1.
      if (missed === 1) recovered.push(`3A: 1 pupil absent at least once, ${missed} session missed`);
    }
    // Before a fix: ["3A: 1 pupil absent at least once, 1 session missed"].
    expect(recovered).toEqual([]);
  });
});
