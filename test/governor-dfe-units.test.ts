/**
 * A group's figures on the DfE's population within a year group or class, as the Groups page
 * gives them to a governor beside the national figure (analytics/benchmarks/for-period.ts
 * nationalFiguresFor): issue 13, cases 8–9. Tried as a governor with a spreadsheet would:
 * each year group's FSM figure on the DfE's basis, and the whole school's FSM figure on it
 * (the Groups page with no year group chosen), are cells of one table whose column the school's
 * figure totals. A cell withheld alone in its column is the total less the others.
 *
 * Register (test/helpers/break-register.ts seedReceptionFsm: 2025/26, Autumn 1 from Monday 1 September 2025, 20 school days; today 3 October
 * 2025; everyone on roll throughout, so every pupil has the same 40 possible sessions):
 * - Reception (class RA): FSM — two aged 5 on 31 August 2025 (born 1 July 2020: the DfE's
 *   population) and six aged 4; not FSM — six aged 5, six aged 4.
 * - Year 1 (class 1A, all aged 5 or 6): six FSM, eight not.
 * - One of Reception's FSM five-year-olds (RF5a) off ill for the first 9 days: 18 sessions.
 * So FSM within Reception on the DfE's basis is two pupils: withheld. FSM across the school
 * on it is eight (two in Reception, six in Year 1): published, 18 of 320 sessions missed
 * (5.625 %); Year 1's FSM figure 0 % of 240. Before the fix, Reception's withheld cell was
 * the school's less Year 1's: (5.625 % × 8 − 0 % × 6) ÷ 2 = 22.5 % — the one child's absence
 * shared between two.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { benchmarkGroupOf, nationalFiguresFor } from "../analytics/benchmarks/for-period.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { seedReceptionFsm } from "./helpers/break-register.ts";

const MIN = 5;
const period = { name: "ytd", from: "2025-08-01", to: "2025-10-03", academicYear: "2025/26" };
const asGovernor = { withholdSmallCounts: { min: MIN } };

describe("a group's DfE-basis figures within each year group, as a governor reads them", () => {
  const db = tempDbPath("governor-dfe-units");
  beforeAll(async () => {
    await withConnection(db, seedReceptionFsm);
  });
  afterAll(() => removeDb(db));

  const figures = (filter: Record<string, string>, options = {}) =>
    withConnection(db, (c) => nationalFiguresFor(c, period, benchmarkGroupOf("fsm", filter.fsm)!, filter, options));

  it("has the figures by hand for staff (the register reads as described)", async () => {
    const school = await figures({ fsm: "Y" });
    expect([school.school.pupils, school.school.absence_pct]).toEqual([8, 5.625]);
    expect([(await figures({ fsm: "Y", year_group: "R" })).school.pupils, (await figures({ fsm: "Y", year_group: "R" })).school.absence_pct]).toEqual([2, 22.5]);
    expect((await figures({ fsm: "Y", year_group: "1" })).school.absence_pct).toBe(0);
  });

  it("leaves no year group's withheld cell as the school's less the other year groups'", async () => {
    process.env.ROLLCALL_TODAY = "2025-10-03";
    const school = (await figures({ fsm: "Y" }, asGovernor)).school;
    // The school's FSM figure on the DfE's basis is published (eight pupils).
    expect(school.absence_pct).toBe(5.625);
    const cells = new Map<string, { pupils: number | null; absence: number | null }>();
    for (const year of ["R", "1"]) {
      const cell = (await figures({ fsm: "Y", year_group: year }, asGovernor)).school;
      cells.set(year, { pupils: cell.pupils, absence: cell.absence_pct });
    }
    // Reception's is withheld (two pupils aged 5–15).
    expect(cells.get("R")!.absence).toBeNull();
    const withheld = [...cells].filter(([, c]) => c.absence === null);
    const recovered: string[] = [];
    if (withheld.length === 1 && school.pupils !== null && school.absence_pct !== null) {
      // Every pupil has the same possible sessions: absent = rate × pupils, summed.
      let absent = school.absence_pct * school.pupils;
      let pupils = school.pupils;
      for (const [, c] of cells) if (c.absence !== null && c.pupils !== null) {
        absent -= c.absence * c.pupils;
        pupils -= c.pupils;
      }
      recovered.push(`${withheld[0][0]}: ${(absent / pupils).toFixed(1)}% of ${pupils} pupils`);
    }
    // Before the fix: ["R: 22.5% of 2 pupils"].
    expect(recovered).toEqual([]);
  });
});
