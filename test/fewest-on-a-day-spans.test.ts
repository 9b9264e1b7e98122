/**
 * fewestPupilsOnADays (analytics/measures.ts): the fewest pupils on a day of several half
 * terms in one read (a governors' pack's slices of every half term of its year: analytics/
 * governor-lattice.ts prefetchFewest) gives each half term what its own read gives
 * (fewestPupilsOnADay) and what the definition gives (every finest group's every date,
 * summariseAtoms(query, "date"), summed day by day). A register with a pupil moving class and
 * gaining SEN support over the half-term holiday, one leaving in the first half term, one
 * joining in the holiday, marks on a holiday date, and absence.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { fewestPupilsOnADay, fewestPupilsOnADays, governorQuery, summariseAtoms } from "../analytics/measures.ts";
import { SETS, fromAtoms, keyed } from "./helpers/fewest.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { absentDays, registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("fewest-on-a-day-spans");
const FIRST = { from: "2025-01-06", to: "2025-01-10" };
const SECOND = { from: "2025-01-20", to: "2025-01-24" };
const HOLIDAY = "2025-01-15";
beforeAll(async () => {
  await withConnection(db, async (c) => {
    const first = await seedSchoolDays(c, [{ ...FIRST, half: "spring-1-2025", term: "spring-2025" }]);
    const second = await seedSchoolDays(c, [{ ...SECOND, half: "spring-2-2025", term: "spring-2025" }]);
    const days = [...first, ...second];
    const pupil = (upn: string, cls: string, extra: object = {}) => ({ upn, admission_date: "2024-09-01", spells: [{ from: "2024-09-01", year_group: "3", reg_group: cls }], ...extra });
    await seedRegister(c, {
      pupils: [
        pupil("A1", "A"),
        pupil("A2", "A"),
        pupil("A3", "A"),
        pupil("B1", "B"),
        pupil("B2", "B"),
        // Moves from A to B, with SEN support, over the holiday.
        pupil("M1", "A", { spells: [{ from: "2024-09-01", to: "2025-01-12", year_group: "3", reg_group: "A" }, { from: "2025-01-13", year_group: "3", reg_group: "B", sen: "K" }] }),
        // Leaves on Wednesday 8 January.
        pupil("L1", "B", { leaving_date: "2025-01-08" }),
        // Joins in the holiday.
        pupil("N1", "B", { admission_date: "2025-01-14", spells: [{ from: "2025-01-14", year_group: "3", reg_group: "B" }] }),
      ],
      marks: [
        ...["A2", "A3", "B2"].flatMap((upn) => registerOf(upn, days)),
        ...registerOf("A1", [...days, HOLIDAY]),
        ...registerOf("B1", days, absentDays(["2025-01-07", "2025-01-21", "2025-01-22"])),
        ...registerOf("M1", days, absentDays(["2025-01-23"])),
        ...registerOf("L1", first.filter((d) => d <= "2025-01-08")),
        ...registerOf("N1", second),
      ],
    });
  });
});
afterAll(() => removeDb(db));

describe("the fewest pupils on a day of several half terms, read at once", () => {
  it("gives each half term what its own read and the definition give", async () => {
    await withConnection(db, async (c) => {
      const halves = [governorQuery(FIRST), governorQuery(SECOND)];
      const together = await fewestPupilsOnADays(c, halves, SETS);
      const alone = [await fewestPupilsOnADay(c, halves[0], SETS), await fewestPupilsOnADay(c, halves[1], SETS)];
      expect(together).toEqual(alone);
      for (const [i, half] of halves.entries()) expect(keyed(together[i])).toEqual(fromAtoms(await summariseAtoms(c, half, "date")));
      // By hand: class B has B1, B2 and L1 (Monday–Wednesday) in the first half term, then B1,
      // B2, M1 and N1; SEN support is M1's in the second alone; B1's absence is one pupil a day.
      expect(keyed(together[0])).toMatchObject({ "reg_group:A": 4, "reg_group:B": 2 });
      expect(keyed(together[1])).toMatchObject({ "reg_group:A": 3, "reg_group:B": 4, "sen:K": 1 });
      expect(keyed(together[0])["sen:K"]).toBeUndefined();
      expect(together[1].find((r) => SETS[r.set].join() === "reg_group" && r.values[0] === "B")?.fewestAbsent).toBe(1);
    });
  });

  it("refuses spans out of order or over two half terms", async () => {
    await withConnection(db, async (c) => {
      await expect(fewestPupilsOnADays(c, [governorQuery(SECOND), governorQuery(FIRST)], SETS)).rejects.toThrow(/in order and apart/);
      await expect(fewestPupilsOnADays(c, [governorQuery({ from: FIRST.from, to: SECOND.to })], SETS)).rejects.toThrow(/one half term/);
    });
  });
});
