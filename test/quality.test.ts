/** Register gaps and overdue N codes on a hand-made register and calendar. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection, type Connection } from "../analytics/db.ts";
import { importCalendar } from "../analytics/import/index.ts";
import { nCodePage, overdueNCodes, pendingNCodes, registerGaps, type NCodeSort } from "../analytics/quality.ts";
import { daysOf, seedRegister } from "./helpers/register.ts";
import { onFreshInstances, removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("quality");
const by = { name: "Test", role: "Test" };

// School days Mon 2 – Fri 13 March 2026 except the INSET day on Friday 6 March: 9 days.
const seedCalendar = (c: Connection) =>
  importCalendar(c, {
    file: "calendar.csv",
    text: "kind,name,start_date,end_date\nhalf_term,spring-2,2026-03-02,2026-03-13\nclosure,INSET day,2026-03-06,2026-03-06\n",
    by,
  });

beforeAll(async () => {
  await withConnection(db, async (c) => {
    await seedCalendar(c);
    await seedRegister(c, {
      pupils: [{ upn: "A", surname: "Able" }, { upn: "B", surname: "Baker", admission_date: "2026-03-05" }],
      marks: [
        // A: full register except Tuesday 3 PM; N on Monday 2 AM (old) and Thursday 12 AM (recent).
        ...daysOf("A", {
          "2026-03-02": ["N", "\\"], "2026-03-03": ["/", null], "2026-03-04": ["/", "\\"], "2026-03-05": ["/", "\\"],
          "2026-03-09": ["/", "\\"], "2026-03-10": ["/", "\\"], "2026-03-11": ["/", "\\"], "2026-03-12": ["N", "\\"], "2026-03-13": ["/", "\\"],
        }),
        // B joined Thursday 5: no marks at all on Thursday 5.
        ...daysOf("B", { "2026-03-09": ["/", "\\"], "2026-03-10": ["/", "\\"], "2026-03-11": ["/", "\\"], "2026-03-12": ["/", "\\"], "2026-03-13": ["/", "\\"] }),
      ],
    });
  });
});
afterAll(() => removeDb(db));

describe("register gaps", () => {
  it("lists school-day sessions without a mark for pupils on roll, not closures or days before admission", async () => {
    const gaps = await withConnection(db, (c) => registerGaps(c, { from: "2026-03-02", to: "2026-03-13" }, { date: "2026-03-13", pm: true }));
    expect(gaps.map((g) => [g.upn, g.date, g.session])).toEqual([
      ["A", "2026-03-03", "PM"],
      ["B", "2026-03-05", "AM"],
      ["B", "2026-03-05", "PM"],
    ]);
  });
});

describe("N codes", () => {
  it("flags N codes older than the school's limit in school days", async () => {
    // As of Friday 13: Monday 2's N is 8 school days old (3,4,5,9,10,11,12,13; the INSET day is not a school day).
    const overdue = await withConnection(db, (c) => overdueNCodes(c, { asOf: "2026-03-13", limitSchoolDays: 5 }));
    expect(overdue.map((n) => [n.upn, n.date, n.session, n.school_days_open])).toEqual([["A", "2026-03-02", "AM", 8]]);
    const limitEight = await withConnection(db, (c) => overdueNCodes(c, { asOf: "2026-03-13", limitSchoolDays: 8 }));
    expect(limitEight).toEqual([]);
  });

  it("lists every pending N code with its age", async () => {
    const pending = await withConnection(db, (c) => pendingNCodes(c, "2026-03-13"));
    expect(pending.map((n) => [n.date, n.school_days_open])).toEqual([["2026-03-02", 8], ["2026-03-12", 1]]);
  });

  it("pages and sorts the N codes in SQL for Register checks, counting those before the period apart", async () => {
    const page = (options: Partial<Parameters<typeof nCodePage>[1]>) =>
      withConnection(db, (c) => nCodePage(c, { asOf: "2026-03-13", minAge: -1, period: { from: "2026-03-01", to: "2026-03-31" }, pageSize: 1, ...options }));
    // Oldest first: Monday 2 (8 school days), then Thursday 12 (1).
    const first = await page({});
    expect(first.rows.map((n) => [n.date, n.school_days_open])).toEqual([["2026-03-02", 8]]);
    expect(first).toMatchObject({ total: 2, pages: 2, page: 1, outside: 0, sort: "date", dir: "asc" });
    expect((await page({ paging: { page: 2 } })).rows.map((n) => n.date)).toEqual(["2026-03-12"]);
    expect((await page({ paging: { sort: "school_days_open", dir: "asc" } })).rows.map((n) => n.date)).toEqual(["2026-03-12"]);
    // The same rows as pendingNCodes, in its order, when one page holds them.
    expect((await page({ pageSize: 50 })).rows).toEqual(await withConnection(db, (c) => pendingNCodes(c, "2026-03-13")));
    // Overdue (limit 5): one; a period from 10 March leaves it outside.
    const overdue = await page({ minAge: 5, period: { from: "2026-03-10", to: "2026-03-31" } });
    expect(overdue).toMatchObject({ rows: [], total: 0, outside: 1, page: 1, pages: 1 });
    await expect(page({ paging: { sort: "date; DROP TABLE pupils" as NCodeSort } })).rejects.toThrow(/unknown sort column/);
  });
});

// Eight pupils of one name, each without a mark on Tuesday 3 PM and with an N on Monday 2 AM:
// listed by UPN on every fresh instance. Before the UPN was a key they tied (date, session,
// surname, forename) and came out in the joins' order; seeded in reverse UPN order here, so that
// order does not read as ascending UPNs by chance.
describe("pupils of one name", () => {
  const tiedDb = tempDbPath("quality-tied");
  const upns = ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8"];
  beforeAll(async () => {
    await withConnection(tiedDb, async (c) => {
      await seedCalendar(c);
      const reversed = [...upns].reverse();
      await seedRegister(c, {
        pupils: reversed.map((upn) => ({ upn, surname: "Smith", forename: "Sam" })),
        marks: reversed.flatMap((upn) =>
          daysOf(upn, {
            "2026-03-02": ["N", "\\"], "2026-03-03": ["/", null], "2026-03-04": ["/", "\\"], "2026-03-05": ["/", "\\"],
            "2026-03-09": ["/", "\\"], "2026-03-10": ["/", "\\"], "2026-03-11": ["/", "\\"], "2026-03-12": ["/", "\\"], "2026-03-13": ["/", "\\"],
          }),
        ),
      });
    });
  });
  afterAll(() => removeDb(tiedDb));

  it("gives register gaps and overdue N codes by UPN, ties of date, session and name", async () => {
    const runs = await onFreshInstances(tiedDb, 6, async (c) => [
      await registerGaps(c, { from: "2026-03-02", to: "2026-03-13" }, { date: "2026-03-13", pm: true }),
      await overdueNCodes(c, { asOf: "2026-03-13", limitSchoolDays: 5 }),
    ] as const);
    for (const [gaps, overdue] of runs) {
      expect(gaps.map((g) => [g.upn, g.date, g.session])).toEqual(upns.map((upn) => [upn, "2026-03-03", "PM"]));
      expect(overdue.map((n) => [n.upn, n.date, n.session])).toEqual(upns.map((upn) => [upn, "2026-03-02", "AM"]));
    }
  });
});
