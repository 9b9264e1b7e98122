/**
 * Issue 13, case 9: the Groups page's DfE-basis figures within a year group (year group ×
 * characteristic), for a governor. The governors' plan never gives persistent absence for a
 * group within a year group or class (analytics/governor-lattice.ts: a handful of pupils whose
 * counts pin each other), but the DfE-basis column printed its rate, and rate × pupils is the
 * count: here Year 3's FSM pupils, 5 of 6 persistently absent, were given as 83.3 %.
 *
 * Register (min 5), Mon 9 – Fri 13 September 2024, 10 sessions a pupil, all aged 5–15 (born
 * 2015–2016: the DfE's population is the whole roll). Year 3 (class 3A): 6 eligible for FSM,
 * 5 of them absent one morning (1 of 10 sessions: 10 %, persistently absent); 6 not eligible,
 * present. Year 4 (class 4A): 10 not eligible, present. By hand, Year 3 FSM: 6 pupils,
 * 60 possible sessions, 5 absent (8.3 %), 5 PA (83.3 %).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { benchmarkGroupOf, nationalFiguresFor } from "../analytics/benchmarks/for-period.ts";
import { WITHIN_UNIT_TEXT } from "../analytics/governor-lattice.ts";
import { ABSENT_WEEK } from "./helpers/absent-register.ts";
import { daysOf, seedRegister, type TestMark, type TestPupil } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("governor-dfe-within-unit");
const MIN = 5;
const PERIOD = { name: "custom", from: ABSENT_WEEK[0], to: ABSENT_WEEK[4], academicYear: "2024/25" };

beforeAll(async () => {
  const pupils: TestPupil[] = [];
  const marks: TestMark[] = [];
  const add = (upn: string, year: string, fsm: string, absent: boolean) => {
    pupils.push({ upn, dob: year === "3" ? "2016-03-01" : "2015-03-01", spells: [{ from: "2024-09-01", year_group: year, reg_group: `${year}A`, fsm }] });
    marks.push(...daysOf(upn, Object.fromEntries(ABSENT_WEEK.map((d, i) => [d, (absent && i === 0 ? ["O", "\\"] : ["/", "\\"]) as [string, string]]))));
  };
  for (let i = 0; i < 6; i++) add(`F${i}`, "3", "Y", i < 5);
  for (let i = 0; i < 6; i++) add(`N${i}`, "3", "N", false);
  for (let i = 0; i < 10; i++) add(`M${i}`, "4", "N", false);
  await withConnection(db, async (c) => {
    for (const date of ABSENT_WEEK) await c.run(`INSERT INTO school_days VALUES ($date::DATE, '2024/25', 'autumn-2024', 'autumn-1-2024')`, { date });
    await seedRegister(c, { pupils, marks });
  });
});
afterAll(() => removeDb(db));

const yearFsm = (governor: boolean) =>
  withConnection(db, (c) => nationalFiguresFor(c, PERIOD, benchmarkGroupOf("fsm", "Y")!, { year_group: "3", fsm: "Y" }, governor ? { withholdSmallCounts: { min: MIN } } : {}));

describe("DfE-basis figures of a group within a year group", () => {
  it("staff: Year 3's FSM pupils on the DfE's basis, as worked by hand; persistent absence not given over 5 school days", async () => {
    const { school } = await yearFsm(false);
    // 5 of 6 "persistently absent" over one week (83.3 %) is no measure: fewer than 20 school
    // days (analytics/pa-span.ts, as on the Overview).
    expect([school.pupils, school.pa_pupils, school.pa_pct]).toEqual([6, null, null]);
    expect(school.withheld.pa).toBe("not given");
    expect(school.absence_pct).toBeCloseTo((100 * 5) / 60, 10);
  });

  it("a governor: the persistent absence is not given (rate × 6 pupils = 5), the absence rate is", async () => {
    const { school } = await yearFsm(true);
    expect([school.pa_pct, school.pa_pupils]).toEqual([null, null]);
    expect(school.withheld).toEqual({ absence: null, pa: WITHIN_UNIT_TEXT });
    expect(school.absence_pct).toBeCloseTo((100 * 5) / 60, 10);
  });

  it("a governor, the whole school's FSM pupils (no year group): the plan publishes the count, but over 5 school days it is not given", async () => {
    const { school } = await withConnection(db, (c) => nationalFiguresFor(c, PERIOD, benchmarkGroupOf("fsm", "Y")!, { fsm: "Y" }, { withholdSmallCounts: { min: MIN } }));
    expect(school.withheld.pa).toBe("not given");
    expect(school.pa_pupils).toBeNull();
  });
});
