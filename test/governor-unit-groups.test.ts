/**
 * A governor's Groups page under a year group lists every group the school has and withholds a
 * characteristic whose groups there include a small or empty one (analytics/groups.ts
 * everySchoolGroup, unitBreakdownWithheld), so which rows a year group has never says where a
 * small group's pupils are. Hand-built: Year 3 has ten pupils (five girls, five boys), none
 * looked after; Year 4 ten (five and five), one looked after. One day, everyone present.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { compareGroups, everySchoolGroup, unitBreakdownWithheld } from "../analytics/groups.ts";
import { summarise, type MeasureQuery } from "../analytics/measures.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { daysOf, seedRegister, type TestPupil } from "./helpers/register.ts";

const DAY = "2024-09-09";
let db: string;

beforeAll(async () => {
  db = tempDbPath("governor-unit-groups");
  const pupils: TestPupil[] = [];
  for (const year of ["3", "4"]) {
    for (let i = 0; i < 10; i++) {
      pupils.push({ upn: `Y${year}P${i}`, sex: i < 5 ? "F" : "M", spells: [{ from: "2024-09-01", year_group: year, reg_group: `${year}A`, lac: year === "4" && i === 0 ? "Y" : "N" }] });
    }
  }
  await withConnection(db, async (c) => {
    await c.run(`INSERT INTO school_days VALUES ($date::DATE, '2024/25', 'autumn-2024', 'autumn-1-2024')`, { date: DAY });
    await seedRegister(c, { pupils, marks: pupils.flatMap((p) => daysOf(p.upn, { [DAY]: ["/", "/"] })) });
  });
});
afterAll(() => removeDb(db));

const rowsFor = (year: string, dimension: "lac" | "sex") =>
  withConnection(db, async (c) => {
    const query: MeasureQuery = { from: DAY, to: DAY, filter: { year_group: year } };
    const whole = await summarise(c, query);
    return everySchoolGroup(c, query, dimension, await compareGroups(c, query, dimension, { whole }), whole);
  });

describe("a year group's groups for a governor", () => {
  it("lists the school's looked-after group in a year group that has none, with no pupils (in the school's order), and withholds the characteristic there", async () => {
    const year3 = await rowsFor("3", "lac");
    expect(year3.map((row) => [row.group, row.none, row.measures.pupils])).toEqual([
      ["Y", true, 0],
      ["N", false, 10],
    ]);
    // The none row's rest is the whole year group: 10 pupils, 20 sessions.
    expect(year3[0].complement).toMatchObject({ pupils: 10, possible_sessions: 20 });
    expect(unitBreakdownWithheld(year3, 5)).toBe(true);
    // Year 4 has the one looked-after child: withheld there too, so the two year groups read alike.
    const year4 = await rowsFor("4", "lac");
    expect(year4.map((row) => [row.group, row.none, row.measures.pupils])).toEqual([
      ["Y", false, 1],
      ["N", false, 9],
    ]);
    expect(unitBreakdownWithheld(year4, 5)).toBe(true);
  });

  it("shows a characteristic whose every group has the minimum or more there", async () => {
    const sex = await rowsFor("3", "sex");
    expect(sex.map((row) => [row.group, row.measures.pupils])).toEqual([
      ["F", 5],
      ["M", 5],
    ]);
    expect(unitBreakdownWithheld(sex, 5)).toBe(false);
    expect(unitBreakdownWithheld(sex, 6)).toBe(true);
  });
});
