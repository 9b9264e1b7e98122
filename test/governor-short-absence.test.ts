/**
 * Issue 13, cases 8–9: over a half term shorter than 20 school days a governor's Overview gives
 * the pupils absent at least once, and beside a withheld count the group's absence in sessions
 * is withheld (docs/DEFINITIONS.md "Session counts beside a withheld count of pupils"). The
 * sessions add up over the same sums as the pupils, including through groups whose count is
 * never printed (a characteristic within a year group), so the plan withholds complementary
 * cells' absence too (analytics/governor-lattice.ts absenceWithheld), and every page reads it.
 * Its own file: one database per file (the session secret is the database's).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { ALL, cellKey, governorLattice, SCHOOL } from "../analytics/governor-lattice.ts";
import { ABSENT_PUPILS, inferBounds, type Bounds } from "../analytics/suppression.ts";
import { loader as overviewLoader } from "../app/routes/_index.tsx";
import { loader as classesLoader } from "../app/routes/classes.tsx";
import { loader as groupsLoader } from "../app/routes/groups.tsx";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { restoreTodayAfterAll, seedShortFsmRegister } from "./helpers/break-register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { loaderData } from "./helpers/loader.ts";

restoreTodayAfterAll();

/**
 * Register (test/helpers/break-register.ts seedShortFsmRegister; autumn 2024: Autumn 1 of 3
 * weeks from Monday 2 September, 15 school days, 30 sessions each; Autumn 2 from Monday 7
 * October; today 1 October 2024): Year 3 only — 3A: A0–A7, 3B: B0–B7, on roll throughout.
 * FSM: A0, A1, B0, B1, B2 (5 pupils); the other 11 not.
 * A0 off ill (I) on the morning of 9 September: 1 session, the FSM pupils' only absence.
 * A2–A7 and B3–B7 each off ill on 11 September: 2 sessions each, 22 in all.
 *
 * Pupils absent at least once over Autumn 1, by hand: school 12, 3A 7, 3B 5, FSM 1, not FSM 11.
 * FSM's 1 is withheld (1 to 4); not FSM's 11 would give it back (12 − 11), so it is withheld too,
 * and with both their absence in sessions. The school has one year group, so Year 3's FSM pupils
 * are the school's: their absence (1 session, shown on Year groups & classes filtered to FSM,
 * whose year-group row is Year 3's FSM pupils) is the school's FSM pupils' absence — 1 missed
 * session is 1 pupil absent — unless it is withheld as well.
 */
describe("absence in sessions over a short half term, beside a withheld count of pupils absent", () => {
  const db = tempDbPath("governor-short-absence");
  let governor: TestAccount;
  beforeAll(async () => {
    await withConnection(db, seedShortFsmRegister);
    governor = (await createTestAccounts(db)).governor;
  });
  afterAll(() => removeDb(db));

  const SPAN = { from: "2024-09-02", to: "2024-09-20" };
  type Withheld = { row: string | null; absent?: string | null; absence?: string | null };
  type Row = { group: string; pupils: number; possible_sessions: number; authorised_sessions: number; unauthorised_sessions: number; withheld: Withheld };

  it("withholds the FSM pupils' count and absence on the Overview (1 pupil, 1 session)", async () => {
    process.env.ROLLCALL_TODAY = "2024-10-01";
    const overview = await loaderData<{ currentWithheld: Withheld; current: { authorised_sessions: number; attendance_pct: number | null } }>(
      overviewLoader,
      db,
      governor.cookie,
      "/?period=half-term&half=autumn-1-2024&fsm=Y",
    );
    expect(overview.currentWithheld.row).toBeNull();
    expect(overview.currentWithheld.absent).toBe("withheld");
    expect(overview.currentWithheld.absence).toBe("withheld");
    expect([overview.current.authorised_sessions, overview.current.attendance_pct]).toEqual([0, null]);
  });

  it("gives no page's sessions from which the FSM pupils' withheld count can be worked out", async () => {
    process.env.ROLLCALL_TODAY = "2024-10-01";
    const recovered: string[] = [];
    // Year groups & classes filtered to FSM: its one year-group row is Year 3's FSM pupils, the school's.
    const classes = await loaderData<{ yearGroups: Row[] }>(classesLoader, db, governor.cookie, "/classes?period=half-term&half=autumn-1-2024&fsm=Y");
    for (const r of classes.yearGroups) {
      const missed = r.authorised_sessions + r.unauthorised_sessions;
      // Before the complementary cells: Year 3's FSM pupils "8 of 150 … 1 missed", so 1 pupil absent.
      if (!r.withheld.row && !r.withheld.absence && missed === 1) recovered.push(`Year groups & classes, FSM in Year ${r.group}: 1 session missed`);
    }
    // Groups: the FSM row and its rest (the pupils not on FSM) beside the whole school's figures.
    const groups = await loaderData<{ whole: { authorised_sessions: number; unauthorised_sessions: number }; wholeWithheld: Withheld; sections: Array<{ dimension: string; groups: Array<{ group: string; measures: Row; complement: Row; withheld: Withheld; restWithheld: Withheld }> }> }>(
      groupsLoader,
      db,
      governor.cookie,
      "/groups?period=half-term&half=autumn-1-2024",
    );
    const fsm = groups.sections.find((s) => s.dimension === "fsm")!.groups.find((g) => g.group === "Y")!;
    const wholeMissed = groups.wholeWithheld.absence ? null : groups.whole.authorised_sessions + groups.whole.unauthorised_sessions;
    const restMissed = fsm.restWithheld.row || fsm.restWithheld.absence ? null : fsm.complement.authorised_sessions + fsm.complement.unauthorised_sessions;
    const ownMissed = fsm.withheld.row || fsm.withheld.absence ? null : fsm.measures.authorised_sessions + fsm.measures.unauthorised_sessions;
    if (ownMissed === 1) recovered.push("Groups, FSM: 1 session missed");
    if (wholeMissed !== null && restMissed !== null && wholeMissed - restMissed === 1) recovered.push("Groups, the school less the rest of FSM: 1 session missed");
    expect(recovered).toEqual([]);
  });

  it("leaves every withheld printed count's absent sessions unknown from every published cell and sum of the plan", async () => {
    await withConnection(db, async (c) => {
      const plan = (await governorLattice(c, SPAN, null, 5)).get("")!;
      const absentOf = new Map(plan.cells.map((g) => [g.key, g.possible_sessions - g.attended_sessions]));
      // The counts a page prints: the whole school's groups, and each year group's and class's own.
      const printed = (key: string) => key.startsWith(`${SCHOOL}|`) || key.endsWith(`|${ALL}`);
      const protectedCells = plan.cells.filter((g) => printed(g.key) && !plan.suppression.rowHidden(g.key) && plan.suppression.hidden(g.key, ABSENT_PUPILS)).map((g) => g.key);
      expect(protectedCells).toContain(cellKey(SCHOOL, "fsm:Y"));
      const pinned = (hidden: (key: string) => boolean) => {
        const known = new Map<string, number>();
        const withheld = new Map<string, Bounds>();
        for (const g of plan.cells) {
          if (hidden(g.key)) withheld.set(g.key, { lo: 0, hi: Number.POSITIVE_INFINITY });
          else known.set(g.key, absentOf.get(g.key)!);
        }
        const ranges = inferBounds(known, withheld, plan.sums);
        return protectedCells.filter((key) => ranges.get(key)!.lo === ranges.get(key)!.hi);
      };
      // Control: the counts' own cells alone withheld — Year 3's FSM pupils (never a printed
      // count) give the school's FSM pupils' 1 session back.
      expect(pinned((key) => plan.suppression.rowHidden(key) || protectedCells.includes(key))).toContain(cellKey(SCHOOL, "fsm:Y"));
      expect(pinned((key) => plan.suppression.hidden(key, "attended_sessions"))).toEqual([]);
    });
  });
});
