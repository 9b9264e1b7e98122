/**
 * Session 14's adversary (issue 13): the FGB pack's words tell a withheld count of 0 from one
 * of 1 or more. Every withheld figure reads "withheld" (analytics/suppression.ts WITHHELD_TEXT)
 * so that a reader cannot tell a small count from one withheld to protect others — and a count
 * withheld to protect others is 0 or at least the minimum, so its value must stay unknown too.
 *
 * The demo school (today 23 November 2026), the autumn 2024 FGB pack: its headline table
 * withholds the school's severely absent pupils for the year to date ("Severe absence (% of
 * pupils)": withheld, the plan's school|all sa_pupils hidden; the count is 0). Its narrative
 * (analytics/packs/narrative.ts) says "27 pupils are persistently absent this year to date;
 * the policy asks …" and adds ", of whom … severely" only when the count is above 0
 * (`pa.sa_pupils > 0`), withheld or not. So the missing clause gives the withheld count: 0.
 * And with the school's 0, every group's severely absent count is 0 too (each is part of the
 * school over the same span): the looked-after child's, Year 5's EHC-plan pupils' — figures the
 * plan withholds as small (school|lac:Y, year:5|sen:E rows "small"). The spring and summer
 * 2025 packs say the same (year to date withheld, 0, no clause).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { governorLattice } from "../analytics/governor-lattice.ts";
import type { Measures } from "../analytics/measures.ts";
import { buildFgbPack, fgbPeriods } from "../analytics/packs/fgb.ts";
import { writeNarrative, type NarrativeFacts } from "../analytics/packs/narrative.ts";
import { packSuppression } from "../analytics/packs/sections.ts";
import { groupKey } from "../analytics/suppression.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const TODAY = "2026-11-23";
const MIN = 5;
let db: string;

beforeAll(async () => {
  db = tempDbPath("governor-attack14-narrative");
  await buildDemo(db, { today: TODAY });
}, 600_000);

afterAll(async () => {
  await removeDb(db);
});

/** A school's measures, by hand: 240 pupils, 27 persistently absent, `sa` severely. */
const school = (sa: number): Measures => ({
  pupils: 240,
  possible_sessions: 33_600,
  present_sessions: 31_900,
  aea_sessions: 0,
  authorised_sessions: 1_300,
  unauthorised_sessions: 400,
  attendance_pct: (31_900 / 33_600) * 100,
  absence_pct: (1_700 / 33_600) * 100,
  authorised_pct: (1_300 / 33_600) * 100,
  unauthorised_pct: (400 / 33_600) * 100,
  pa_pupils: 27,
  pa_pct: (27 / 240) * 100,
  sa_pupils: sa,
  sa_pct: (sa / 240) * 100,
});

const facts = (sa: number): NarrativeFacts => ({
  termLabel: "Autumn 2024",
  change: null,
  target: 96.1,
  min: MIN,
  term: school(sa),
  termLastYear: school(sa),
  yearToDate: school(sa),
  yearToDateLastYear: school(sa),
  // The governors' plan withholds the count (as on the demo): it must read the same whatever it is.
  yearToDateWithheld: { pa: false, sa: true },
  groups: [],
  yearGroups: [],
  weekdays: [],
  reasons: [],
  ladder: [],
  pendingN: { sessions: 0, overdue: 0, limit: 10 },
  policy: "ludlow",
});

describe("the FGB pack's words and a withheld count (session 14's adversary)", () => {
  it("do not tell the school's withheld severely absent count of 0 (the demo's autumn 2024) from one of 1 or more", async () => {
    await withConnection(db, async (c) => {
      const periods = await fgbPeriods(c, "autumn-2024", TODAY);
      const plans = await packSuppression(c, periods, MIN);
      // The plan withholds the school's severely absent pupils for the year to date …
      expect(plans.yearToDate.hidden(groupKey.school, "sa_pupils")).toBe(true);
      // … whose count is 0 (the plan's own cell), with the looked-after child's a small row.
      const lattice = (await governorLattice(c, periods.yearToDate, null, MIN)).get("")!;
      const cell = (key: string) => lattice.cells.find((g) => g.key === key)!;
      expect(cell("school|all").sa_pupils).toBe(0);
      expect(lattice.suppression.rowReason("school|lac:Y")).toBe("small");
      const pack = await buildFgbPack(c, { term: "autumn-2024", today: TODAY });
      const headline = pack.sections.find((s) => s.id === "headline")!;
      const table = headline.blocks.find((b) => b.kind === "table") as unknown as { table?: { rows: Array<Array<{ kind: string; text?: string }>> }; rows?: Array<Array<{ kind: string; text?: string }>> };
      const severe = (table.table?.rows ?? table.rows)!.find((r) => JSON.stringify(r[0]).includes("Severe absence"))!;
      // The table says "withheld" for the year to date's severe absence.
      expect(severe[4]).toEqual({ kind: "suppressed", text: "withheld" });
      const said = pack.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === "paragraphs" ? (b as unknown as { items: string[] }).items : [])));
      const paSentence = said.find((t) => t.includes("persistently absent this year to date"))!;
      expect(paSentence).toBeDefined();
      // The words a reader has for the withheld count must be the words for 1 or more too: the
      // pack's narrative for the demo (count 0) against the same narrative for counts 0 and 3.
      const words = (sa: number) => writeNarrative(facts(sa)).interventions.find((t) => t.includes("persistently absent"));
      expect(paSentence.includes("severely"), `the pack says: ${paSentence}`).toBe(words(3)!.includes("severely"));
      expect(words(0)).toBe(words(3));
    });
  }, 600_000);

  // The same kind, not met on the demo's 2024/25 (its counts there are above 0): the persistently
  // absent count withheld (the summer 2025 pack's year to date, 24) gets its sentence and its
  // next step only when above 0 (`pa.pa_pupils > 0`), and a ladder band withheld
  // (ladder-suppression.ts) is left out of the ladder's sentence when it holds no pupil.
  it("do not tell a withheld persistently absent count or ladder band of 0 from one of 1 or more", () => {
    const paWithheld = (pa: number) => {
      const f = facts(0);
      const ytd = { ...f.yearToDate, pa_pupils: pa, pa_pct: (pa / 240) * 100 };
      return writeNarrative({ ...f, yearToDate: ytd, yearToDateWithheld: { pa: true, sa: true } });
    };
    expect(paWithheld(0)).toEqual(paWithheld(6));
    const ladder = (below: number) =>
      writeNarrative({ ...facts(3), ladder: [{ threshold: 96, pupils: 59 }, { threshold: 90, pupils: 15 }, { threshold: 85, pupils: 12 }, { threshold: 50, pupils: below, withheld: true }] }).interventions;
    expect(ladder(0)).toEqual(ladder(6));
  });
});
