/**
 * Issue 13, cases 8–9, session 12's adversary: the FGB pack's "rest of the school" beside a
 * pupil group with no pupils is the whole school, and printed its persistent absence where the
 * whole school's is withheld. Its own file: one database per file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { buildFgbPack } from "../analytics/packs/fgb.ts";
import { daysOfHalf, marksOf, restoreTodayAfterAll, seedCalendar, yearThreeClasses, type Half } from "./helpers/break-register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { seedRegister } from "./helpers/register.ts";

restoreTodayAfterAll();

/**
 * Register (Autumn 1 2024 only, 20 school days from Monday 2 September, 40 sessions each;
 * today 4 October 2024): Year 3 — 3A: A0–A7, 3B: B0–B7, on roll throughout, none with an EHC
 * plan, on SEN support, FSM, EAL or looked after. A0 off ill (I) on 9 and 10 September: 4 of
 * 40, persistently absent. B0–B7 each off ill on 11 September (2 of 40, 5 %: without them the
 * school's own 4 missed sessions pin its count to 1 and its row, so the whole pack, goes:
 * analytics/packs/fgb.ts schoolWithheldPack). Everyone else present.
 *
 * The pack for the autumn term (to the end of Autumn 1: its year to date too) withholds the
 * school's persistently absent pupils (1 of 16). Its groups table has a row for each group,
 * here each of 0 pupils, beside "the rest of the school" — every pupil, the whole school —
 * and printed the rest's "PA %" as 6.25: 1 of the 16 pupils the pack gives. Now withheld.
 */
describe("the rest of the school beside an empty pupil group in the FGB pack", () => {
  const db = tempDbPath("governor-break12-empty-group");
  const A1: Half = { key: "autumn-1-2024", term: "autumn-2024", year: "2024/25", monday: "2024-09-02" };
  beforeAll(async () => {
    const pupils = yearThreeClasses();
    await withConnection(db, async (c) => {
      await seedCalendar(c, [A1]);
      const absent: Record<string, Record<string, string>> = { A0: { "2024-09-09": "I", "2024-09-10": "I" } };
      for (let i = 0; i < 8; i++) absent[`B${i}`] = { "2024-09-11": "I" };
      await seedRegister(c, { pupils, marks: marksOf(pupils.map((p) => p.upn), daysOfHalf(A1), absent) });
    });
  });
  afterAll(() => removeDb(db));

  // The rest beside a value no pupil has is read as the whole school (governor-lattice.ts
  // restOf), withheld as it is. Failed before: the rest was a cell no table has, withheld nowhere.
  it("withholds the rest's persistent absence where the school's is withheld", async () => {
    process.env.ROLLCALL_TODAY = "2024-10-04";
    const pack = await withConnection(db, (c) => buildFgbPack(c, { term: "autumn-2024", today: "2024-10-04" }));
    const tables = pack.sections.flatMap((s) => s.blocks).flatMap((b) => (b.kind === "table" ? [b.table] : []));
    const groups = tables.find((t) => t.caption === "Groups against the rest of the school")!;
    const paRest = groups.columns.findIndex((c) => c.label === "PA % (rest)");
    const pupilsCol = groups.columns.findIndex((c) => c.label === "Pupils");
    const headline = pack.sections.find((s) => s.id === "headline")!.blocks.find((b) => b.kind === "figures")!;
    const pa = (headline as { items: Array<{ label: string; value: { kind: string } }> }).items.find((i) => i.label === "Persistent absence, year to date")!;
    expect(pa.value.kind).toBe("suppressed");
    const recovered: string[] = [];
    for (const row of groups.rows) {
      const [name, pupils, rest] = [row[0] as { text: string }, row[pupilsCol] as { kind: string; value?: number }, row[paRest] as { kind: string; value?: number | null }];
      // A group of no pupils: its rest is the whole school, 16 pupils.
      if (pupils.kind === "count" && pupils.value === 0 && rest.kind === "pct" && rest.value !== null && rest.value !== undefined) {
        recovered.push(`${name.text}: the rest's PA ${rest.value} % of 16 = ${Math.round((rest.value * 16) / 100)}`);
      }
    }
    // Before the fix: five rows, each "the rest's PA 6.25 % of 16 = 1".
    expect(recovered).toEqual([]);
  });
});
