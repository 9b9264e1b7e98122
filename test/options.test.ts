/**
 * The picker's option lists and the calendar's closures, from a hand-made register.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { closuresBetween, filterOptions, schoolDaysBetween } from "../analytics/options.ts";
import { daysOf, seedRegister } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("options");
const emptyDb = tempDbPath("options-empty");

beforeAll(async () => {
  await withConnection(db, async (c) => {
    await seedRegister(c, {
      pupils: [
        // Moved from Year 10 (a deliberately two-digit group: numeric order, not text order) …
        { upn: "A", ethnicity: "WBRI", spells: [{ from: "2024-09-01", to: "2025-07-31", year_group: "10", reg_group: "10X" }, { from: "2025-08-01", year_group: "11", reg_group: "11X" }] },
        { upn: "B", ethnicity: "MWBC", spells: [{ from: "2024-09-01", year_group: "3", reg_group: "3B" }] },
        { upn: "C", ethnicity: "WBRI", spells: [{ from: "2024-09-01", year_group: "3", reg_group: "3A" }] },
        // A leaver still counts: their groups and years appear in historic views.
        { upn: "D", ethnicity: "APKN", leaving_date: "2024-12-20", spells: [{ from: "2024-09-01", year_group: "R", reg_group: "Oak" }] },
      ],
      marks: [
        ...daysOf("A", { "2024-09-10": ["/", "\\"], "2025-09-10": ["/", "\\"] }),
        ...daysOf("B", { "2026-01-06": ["I", "I"] }),
        ...daysOf("D", { "2024-09-10": ["/", "\\"] }),
      ],
    });
    await c.run(
      `INSERT INTO closures VALUES (DATE '2025-09-01', 'INSET day'), (DATE '2025-09-02', 'INSET day'), (DATE '2026-05-04', 'Bank holiday')`,
    );
    await c.run(
      `INSERT INTO school_days VALUES
        (DATE '2025-09-03', '2025/26', 'autumn-2025', 'autumn-1-2025'),
        (DATE '2025-09-04', '2025/26', 'autumn-2025', 'autumn-1-2025'),
        (DATE '2025-09-05', '2025/26', 'autumn-2025', 'autumn-1-2025')`,
    );
  });
});
afterAll(async () => {
  await removeDb(db);
  await removeDb(emptyDb);
});

describe("filterOptions", () => {
  it("lists year groups numerically, classes and ethnicities alphabetically, years newest first", async () => {
    const options = await withConnection(db, (c) => filterOptions(c));
    expect(options).toMatchObject({
      yearGroups: ["3", "10", "11", "R"],
      regGroups: ["10X", "11X", "3A", "3B", "Oak"],
      // Marks run from September 2024 to January 2026.
      academicYears: ["2025/26", "2024/25"],
      ethnicities: ["APKN", "MWBC", "WBRI"],
    });
    // The coded characteristics' stored values, as the CLI's --filter reads them (every pupil here has the defaults).
    expect(options.coded).toEqual({ sen: ["N"], fsm: ["N"], eal: ["N"], lac: ["N"], sex: expect.any(Array) });
  });

  it("gives empty lists for an empty store", async () => {
    const options = await withConnection(emptyDb, (c) => filterOptions(c));
    expect(options).toEqual({ yearGroups: [], regGroups: [], academicYears: [], ethnicities: [], coded: { sen: [], fsm: [], eal: [], lac: [], sex: [] } });
  });
});

describe("closures and school days", () => {
  it("lists closures inside the range only, inclusive of both ends, with their reasons", async () => {
    const closures = await withConnection(db, (c) => closuresBetween(c, { from: "2025-09-02", to: "2026-05-04" }));
    expect(closures).toEqual([
      { date: "2025-09-02", reason: "INSET day" },
      { date: "2026-05-04", reason: "Bank holiday" },
    ]);
    expect(await withConnection(db, (c) => closuresBetween(c, { from: "2025-09-03", to: "2026-05-03" }))).toEqual([]);
  });

  it("lists the calendar's school days in the range", async () => {
    expect(await withConnection(db, (c) => schoolDaysBetween(c, { from: "2025-09-04", to: "2025-12-31" }))).toEqual(["2025-09-04", "2025-09-05"]);
  });
});
