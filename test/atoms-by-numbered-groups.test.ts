/**
 * summariseAtoms by a breakdown under half-term membership (analytics/measures.ts
 * halfTermAtomsBy) groups and joins its pupils' rows by a number standing for each finest
 * group's eight characteristics (0 the leavers'), the strings put back on the rows given.
 * Equality with the other read of the same definition: by a breakdown whose one group is the
 * whole span (the term, over a span inside one term), each finest group's atom — its keys,
 * pupils, sessions, PA/SA and absent pupils, and the absence bounds — is the one the
 * whole-span read gives (summariseAtoms without a breakdown, grouped by the strings). A
 * register over two half terms with a class mover, a leaver after the first half term, a
 * pupil whose SEN changes, and absences that make PA and SA pupils.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { LEAVERS_PREFIX } from "../analytics/leavers.ts";
import { governorQuery, summariseAtoms, type AtomCounts } from "../analytics/measures.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { AUTUMN_2025, absentDays, registerOf, seedAutumn2025 } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("atoms-by-numbered-groups");
const SPAN = governorQuery({ from: AUTUMN_2025[0].from, to: AUTUMN_2025[1].to });
let days: string[] = [];
beforeAll(async () => {
  await withConnection(db, async (c) => {
    days = await seedAutumn2025(c);
    const first = days.filter((d) => d <= AUTUMN_2025[0].to);
    await seedRegister(c, {
      pupils: [
        { upn: "A1", spells: [{ from: "2024-09-01", year_group: "3", reg_group: "3A" }] },
        { upn: "A2", sex: "M", spells: [{ from: "2024-09-01", year_group: "3", reg_group: "3A" }] },
        // Moves class at the second half term.
        { upn: "M1", spells: [{ from: "2024-09-01", to: "2025-10-26", year_group: "3", reg_group: "3A" }, { from: "2025-10-27", year_group: "3", reg_group: "3B" }] },
        // Leaves after the first half term.
        { upn: "L1", leaving_date: "2025-10-20", spells: [{ from: "2024-09-01", year_group: "3", reg_group: "3B" }] },
        // SEN support from the second half term.
        { upn: "S1", ethnicity: "AIND", spells: [{ from: "2024-09-01", to: "2025-10-26", year_group: "4", reg_group: "4A" }, { from: "2025-10-27", year_group: "4", reg_group: "4A", sen: "K" }] },
        { upn: "B1", spells: [{ from: "2024-09-01", year_group: "4", reg_group: "4A" }] },
      ],
      marks: [
        ...registerOf("A1", days),
        ...registerOf("A2", days, absentDays(days.slice(0, 5))),
        ...registerOf("M1", days, absentDays(days.slice(20, 40), "O")),
        ...registerOf("L1", first, absentDays(first.slice(3, 6))),
        ...registerOf("S1", days, absentDays(days.slice(30, 33))),
        ...registerOf("B1", days, absentDays(days.slice(0, 25))),
      ],
    });
  });
});
afterAll(() => removeDb(db));

/** The atoms without their period, in key order. */
const keyed = (atoms: AtomCounts[]) =>
  atoms.map(({ period: _period, ...atom }) => atom).sort((a, b) => JSON.stringify([a.year_group, a.reg_group, a.sen, a.sex, a.ethnicity]).localeCompare(JSON.stringify([b.year_group, b.reg_group, b.sen, b.sex, b.ethnicity])));

describe("atoms by a breakdown, grouped by numbered finest groups", () => {
  it("by the term (one group: the span) equal the whole span's atoms, leavers and movers included", async () => {
    await withConnection(db, async (c) => {
      const whole = await summariseAtoms(c, SPAN);
      const byTerm = await summariseAtoms(c, SPAN, "term");
      expect(new Set(byTerm.map((a) => a.period))).toEqual(new Set(["autumn-2025"]));
      expect(keyed(byTerm)).toEqual(keyed(whole));
      // The cases are there: the leaver's group, the mover in 3B, S1 under SEN support, PA pupils.
      expect(whole.some((a) => a.reg_group.startsWith(LEAVERS_PREFIX) && a.pupils === 1)).toBe(true);
      expect(whole.some((a) => a.reg_group === "3B" && a.pupils === 1)).toBe(true);
      expect(whole.some((a) => a.sen === "K" && a.pupils === 1)).toBe(true);
      expect(whole.reduce((n, a) => n + a.pa_pupils, 0)).toBeGreaterThan(0);
    });
  });

  it("filtered to a class, likewise", async () => {
    await withConnection(db, async (c) => {
      const query = { ...SPAN, filter: { reg_group: "3B" } };
      expect(keyed(await summariseAtoms(c, query, "term"))).toEqual(keyed(await summariseAtoms(c, query)));
    });
  });
});
