/**
 * A register of two half terms of one week each (Autumn 1 and 2, 2025), by hand: P1 (Year 1,
 * 1A then 1B; 2 sessions missed on 2 September), P2 (Year 1, 1A, left after the first half
 * term; 1 missed), R2 (Year 1, 1A, Reception's age: outside the DfE's population) and R1
 * (Reception, RA; 2 missed on 10 September). Tests of a span's finest groups and of the
 * governors' tables read it (test/atoms-population-span.test.ts, test/governor-table-reuse.test.ts).
 */
import type { Connection } from "../../analytics/db.ts";
import { registerOf, seedSchoolDays } from "./calendar.ts";
import { seedRegister } from "./register.ts";

export async function seedMoverLeaverRegister(c: Connection): Promise<void> {
  const days = await seedSchoolDays(c, [
    { from: "2025-09-01", to: "2025-09-05", half: "autumn-1-2025", term: "autumn-2025" },
    { from: "2025-09-08", to: "2025-09-12", half: "autumn-2-2025", term: "autumn-2025" },
  ]);
  const first = days.filter((d) => d <= "2025-09-05");
  await seedRegister(c, {
    pupils: [
      { upn: "P1", dob: "2019-05-01", spells: [{ from: "2024-09-01", to: "2025-09-05", year_group: "1", reg_group: "1A" }, { from: "2025-09-06", year_group: "1", reg_group: "1B" }] },
      { upn: "P2", dob: "2019-06-01", leaving_date: "2025-09-05", spells: [{ from: "2024-09-01", year_group: "1", reg_group: "1A" }] },
      { upn: "R2", dob: "2020-12-01", spells: [{ from: "2024-09-01", year_group: "1", reg_group: "1A" }] },
      { upn: "R1", dob: "2021-01-01", spells: [{ from: "2024-09-01", year_group: "R", reg_group: "RA" }] },
    ],
    marks: [
      ...registerOf("P1", days, { "2025-09-02": ["I", "I"] }),
      ...registerOf("P2", first, { "2025-09-01": ["I", "/"] }),
      ...registerOf("R2", days),
      ...registerOf("R1", days, { "2025-09-10": ["I", "I"] }),
    ],
  });
}
