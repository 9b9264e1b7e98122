/**
 * A governor's figures summed from the span's finest groups (analytics/measures.ts
 * withinEachFromAtoms, sessionGroupOrder; datesWithPossibleSessions): the FGB pack's to-date
 * tabs (each year group and class by week, by term and over the year to date) came from two
 * grouped reads each (sessions, then the pupils' counts); they are now sums of the groups the
 * span's plan reads anyway (weekdays keep their two reads: their groups cost more).
 * Figures worked out by hand on the movers' register (test/helpers/movers-register.ts: X
 * moves from 3B to 3A at the half term, Y comes onto FSM), where a sum of the wrong groups
 * gives X's Autumn 1 to 3A or counts X twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { datesWithPossibleSessions, governorQuery, summarise, summariseBy, summariseWithinEach, type GroupMeasures } from "../analytics/measures.ts";
import { schoolDaysOf } from "../analytics/pa-span.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { MOVERS_A1, MOVERS_TERM, seedMoversRegister } from "./helpers/movers-register.ts";
import { registerOf, seedSchoolDays, weekdays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("within-atoms");
const other = tempDbPath("within-atoms-years");
beforeAll(async () => {
  await withConnection(db, seedMoversRegister);
  // Two academic years: summer-2025 before autumn-2025 (in text order autumn-2025 is first).
  // P1 every day; P2 (FSM) the summer only; on 2025-09-05 every mark is # (closed: no
  // possible sessions), so it is no school day of either pupil.
  await withConnection(other, async (c) => {
    const days = await seedSchoolDays(c, [
      { from: "2025-06-02", to: "2025-06-13", half: "summer-2-2025", term: "summer-2025" },
      { from: "2025-09-01", to: "2025-09-12", half: "autumn-1-2025", term: "autumn-2025" },
    ]);
    const summer = days.filter((d) => d < "2025-08-01");
    const closed: Record<string, [string, string]> = { "2025-09-05": ["#", "#"] };
    await seedRegister(c, {
      pupils: [
        { upn: "P1", admission_date: "2024-09-01" },
        { upn: "P2", admission_date: "2024-09-01", leaving_date: "2025-07-18", spells: [{ from: "2024-09-01", fsm: "Y" }] },
      ],
      marks: [...registerOf("P1", days, closed), ...registerOf("P2", summer)],
    });
  });
});
afterAll(async () => {
  await removeDb(db);
  await removeDb(other);
});

/** [pupils, possible, authorised, unauthorised, PA, SA] of a row. */
const figures = (m: GroupMeasures | undefined) => (m ? [m.pupils, m.possible_sessions, m.authorised_sessions, m.unauthorised_sessions, m.pa_pupils, m.sa_pupils] : null);
const term = governorQuery(MOVERS_TERM);

describe("each class's and FSM group's figures summed from the finest groups (half-term membership)", () => {
  it("over the term: X's Autumn 1 sessions in 3B, X counted once, in 3A, persistently absent there", async () => {
    await withConnection(db, async (c) => {
      const within = await summariseWithinEach(c, term, ["reg_group", "fsm"]);
      const classes = within.get("reg_group")!;
      expect([...classes.keys()]).toEqual(["3A", "3B", "3C"]);
      expect(classes.get("3A")!.map(figures)).toEqual([[7, 520, 2, 2, 1, 0]]);
      expect(classes.get("3A")![0].group).toBe("3A");
      expect(classes.get("3B")!.map(figures)).toEqual([[6, 520, 6, 0, 0, 0]]);
      expect(classes.get("3C")!.map(figures)).toEqual([[6, 480, 4, 4, 0, 0]]);
      const fsm = within.get("fsm")!;
      expect(fsm.get("Y")!.map(figures)).toEqual([[7, 520, 0, 0, 0, 0]]);
      expect(fsm.get("N")!.map(figures)).toEqual([[12, 1000, 12, 6, 1, 0]]);
      // The same as each value alone.
      for (const [value, rows] of classes) expect(rows[0].attendance_pct).toBe((await summarise(c, { ...term, filter: { reg_group: value } })).attendance_pct);
    });
  });

  it("by week: each week's pupils in the group of that week's half term", async () => {
    await withConnection(db, async (c) => {
      const classes = (await summariseWithinEach(c, term, ["reg_group"], "week")).get("reg_group")!;
      const week = (cls: string, monday: string) => figures(classes.get(cls)!.find((r) => r.group === monday));
      expect(classes.get("3A")!.map((r) => r.group)).toEqual(["2024-09-02", "2024-09-09", "2024-09-16", "2024-09-23", "2024-10-07", "2024-10-14", "2024-10-21", "2024-10-28"]);
      // X off ill three days of ten sessions in 3B: persistently and severely absent that week.
      expect(week("3B", "2024-09-09")).toEqual([7, 70, 6, 0, 1, 1]);
      expect(week("3A", "2024-09-09")).toEqual([6, 60, 0, 0, 0, 0]);
      expect(week("3A", "2024-10-14")).toEqual([7, 70, 0, 2, 1, 0]);
      expect(week("3B", "2024-10-14")).toEqual([6, 60, 0, 0, 0, 0]);
    });
  });

  it("by weekday (read by its own two grouped reads, not the groups), in the week's order: X's Mondays counted once, in 3A, over both half terms", async () => {
    await withConnection(db, async (c) => {
      const classes = (await summariseWithinEach(c, term, ["reg_group"], "weekday")).get("reg_group")!;
      expect(classes.get("3A")!.map((r) => r.group)).toEqual(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]);
      // 3A's Mondays: six pupils' 16 sessions and X's 8 of Autumn 2; A0's 2 September (2 of
      // 16: 12.5 %) and X's 9 September (in 3B) and 14 October (4 of 16: 25 %).
      expect(figures(classes.get("3A")![0])).toEqual([7, 104, 2, 2, 2, 0]);
      expect(figures(classes.get("3B")![0])).toEqual([6, 104, 2, 0, 0, 0]);
      expect((await summariseBy(c, term, "weekday")).map((r) => r.group)).toEqual(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]);
    });
  });

  it("by term: the term's figures", async () => {
    await withConnection(db, async (c) => {
      const classes = (await summariseWithinEach(c, term, ["reg_group"], "term")).get("reg_group")!;
      expect(classes.get("3A")!.map((r) => [r.group, ...figures(r)!])).toEqual([["autumn-2024", 7, 520, 2, 2, 1, 0]]);
      expect(classes.get("3B")!.map((r) => [r.group, ...figures(r)!])).toEqual([["autumn-2024", 6, 520, 6, 0, 0, 0]]);
    });
  });

  it("orders terms by the calendar, not as text, across academic years", async () => {
    await withConnection(other, async (c) => {
      const span = governorQuery({ from: "2025-06-02", to: "2025-09-12" });
      expect((await summariseBy(c, span, "term")).map((r) => [r.group, r.pupils, r.possible_sessions])).toEqual([
        ["summer-2025", 2, 40],
        ["autumn-2025", 1, 18],
      ]);
      const fsm = (await summariseWithinEach(c, span, ["fsm"], "term")).get("fsm")!;
      expect([...fsm.keys()]).toEqual(["N", "Y"]);
      expect(fsm.get("N")!.map((r) => [r.group, r.possible_sessions])).toEqual([["summer-2025", 20], ["autumn-2025", 18]]);
      expect(fsm.get("Y")!.map((r) => [r.group, r.possible_sessions])).toEqual([["summer-2025", 20]]);
    });
  });
});

describe("the school days of a span (schoolDaysOf, datesWithPossibleSessions)", () => {
  it("are the days with possible sessions for the chosen pupils: not a day closed to all, not a day of none of them", async () => {
    await withConnection(other, async (c) => {
      const autumn = weekdays("2025-09-01", "2025-09-12").filter((d) => d !== "2025-09-05");
      expect(await schoolDaysOf(c, { from: "2025-09-01", to: "2025-09-12" })).toEqual(autumn);
      expect(await datesWithPossibleSessions(c, { from: "2025-09-01", to: "2025-09-12" })).toEqual(autumn);
      // P2 (FSM) left in July: none of the autumn's days are theirs; the summer's ten are.
      expect(await schoolDaysOf(c, { from: "2025-09-01", to: "2025-09-12", filter: { fsm: "Y" } })).toEqual([]);
      expect(await schoolDaysOf(c, { from: "2025-06-02", to: "2025-06-13", filter: { fsm: "Y" } })).toEqual(weekdays("2025-06-02", "2025-06-13"));
      // The same as the days summariseBy gives with possible sessions.
      const byDate = (await summariseBy(c, { from: "2025-06-02", to: "2025-09-12" }, "date")).filter((d) => d.possible_sessions > 0).map((d) => d.group);
      expect(await schoolDaysOf(c, { from: "2025-06-02", to: "2025-09-12" })).toEqual(byDate);
      expect(byDate).toHaveLength(19);
    });
  });

  it("leaves half-term membership over several half terms and slices to summariseBy", async () => {
    await withConnection(db, async (c) => {
      expect(await datesWithPossibleSessions(c, term)).toBeNull();
      expect(await datesWithPossibleSessions(c, { ...MOVERS_A1, slice: { by: "weekday", value: "Monday" } })).toBeNull();
      // One half term: the same as read at its end.
      expect(await datesWithPossibleSessions(c, governorQuery(MOVERS_A1))).toHaveLength(20);
      expect(await schoolDaysOf(c, term)).toHaveLength(40);
    });
  });
});
