/**
 * fewestPupilsOnADay (analytics/measures.ts): the fewest pupils a group has on a school day
 * of a half term, which decides a governor's slices (analytics/governor-lattice.ts
 * governorSlicePlans: a cell with fewer than the minimum on any day has its days, weeks and
 * months withheld). It was worked out from every finest group's every date
 * (summariseAtoms(query, "date"), some 56,000 rows a half term at 4,500 pupils); now one
 * grouped read. Checked by hand and against that definition on a register with a class of two
 * year groups, a pupil joining mid-week and a day one pupil's marks do not count.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { fewestPupilsOnADay, governorQuery, summariseAtoms } from "../analytics/measures.ts";
import { SETS, fromAtoms, keyed } from "./helpers/fewest.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { registerOf, seedSchoolDays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("fewest-on-a-day");
const SPAN = { from: "2025-01-06", to: "2025-01-10" };
beforeAll(async () => {
  // Class M mixes Years 3 (M1 with SEN support, M2) and 4 (M3, M4); M4's marks on Wednesday 8
  // January are # (closed to them: no possible sessions). L1 (Year 4, class L) joins on the
  // Wednesday.
  await withConnection(db, async (c) => {
    const days = await seedSchoolDays(c, [{ from: SPAN.from, to: SPAN.to, half: "spring-1-2025", term: "spring-2025" }]);
    const pupil = (upn: string, year: string, cls: string, sen: string, from = "2024-09-01") => ({ upn, admission_date: from, spells: [{ from, year_group: year, reg_group: cls, sen }] });
    await seedRegister(c, {
      pupils: [pupil("M1", "3", "M", "K"), pupil("M2", "3", "M", "N"), pupil("M3", "4", "M", "N"), pupil("M4", "4", "M", "N"), pupil("L1", "4", "L", "N", "2025-01-08")],
      marks: [
        ...["M1", "M2", "M3"].flatMap((upn) => registerOf(upn, days)),
        ...registerOf("M4", days, { "2025-01-08": ["#", "#"] }),
        ...registerOf("L1", days.filter((d) => d >= "2025-01-08")),
      ],
    });
  });
});
afterAll(() => removeDb(db));

describe("the fewest pupils a group has on a school day", () => {
  it("by hand: M4's closed Wednesday and L1's arrival", async () => {
    await withConnection(db, async (c) => {
      expect(keyed(await fewestPupilsOnADay(c, SPAN, SETS))).toEqual({
        // Monday–Tuesday M1–M4; Wednesday M1–M3 and L1; Thursday–Friday all five.
        "school:": 4,
        "year_group:3": 2,
        "year_group:4": 2,
        "reg_group:M": 3,
        "reg_group:L": 1,
        "year_group+reg_group:3+M": 2,
        "year_group+reg_group:4+M": 1,
        "year_group+reg_group:4+L": 1,
        "sen:K": 1,
        "sen:N": 3,
      });
    });
  });

  it("equals the finest groups' dates summed, read as a governor's half term is", async () => {
    await withConnection(db, async (c) => {
      const half = governorQuery(SPAN);
      expect(keyed(await fewestPupilsOnADay(c, half, SETS))).toEqual(fromAtoms(await summariseAtoms(c, half, "date")));
      const week = { from: "2025-01-07", to: "2025-01-09" };
      expect(keyed(await fewestPupilsOnADay(c, week, SETS))).toEqual(fromAtoms(await summariseAtoms(c, week, "date")));
    });
  });

  it("refuses half-term membership over several half terms", async () => {
    await withConnection(db, async (c) => {
      await c.run("INSERT INTO school_days VALUES ('2025-01-13'::DATE, '2024/25', 'spring-2025', 'spring-2-2025')");
      await expect(fewestPupilsOnADay(c, governorQuery({ from: SPAN.from, to: "2025-01-13" }), SETS)).rejects.toThrow(/one half term/);
    });
  });
});
