/**
 * One pupil's measures read from their own rows (analytics/one-pupil.ts, what summarise,
 * summariseBy by month, week and academic year, and sessionsByCode answer a query whose only
 * filter is a UPN from) equal the mark-level definition: on a hand-built register with the
 * edge cases of scope (a spell that changes, no spell in force at the period's end, a joiner,
 * a leaver, dates outside any calendar, marks on both sides of the 2024 regulations), and on the demo
 * school for pupils on roll and leavers over the spans a pupil's page asks.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { aggregateLevel, markLevel, type MeasureQuery } from "../analytics/measures.ts";
import { daysOf, seedRegister } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const GRAINS = ["month", "week", "academic_year"] as const;

/** Every one-pupil figure both ways; returns the aggregate path's summary (to show it is not empty). */
async function compareOnePupil(c: Connection, query: MeasureQuery) {
  const summary = await aggregateLevel.summarise(c, query);
  expect(summary).toEqual(await markLevel.summarise(c, query));
  for (const by of GRAINS) expect(await aggregateLevel.summariseBy(c, query, by)).toEqual(await markLevel.summariseBy(c, query, by));
  expect(await aggregateLevel.sessionsByCode(c, query)).toEqual(await markLevel.sessionsByCode(c, query));
  return summary;
}

describe("one pupil's measures on a hand-built register", () => {
  const db = tempDbPath("one-pupil-hand");
  beforeAll(async () => {
    await withConnection(db, (c) =>
      seedRegister(c, {
        pupils: [
          { upn: "CHANGES", spells: [{ from: "2024-09-01", to: "2025-01-08" }, { from: "2025-01-09", fsm: "Y" }] },
          // No spell in force after 7 January: out of scope for a period ending later.
          { upn: "NOSPELL", spells: [{ from: "2024-09-01", to: "2025-01-07" }] },
          { upn: "JOINER", admission_date: "2025-01-08", spells: [{ from: "2025-01-08" }] },
          { upn: "LEAVER", leaving_date: "2025-01-07" },
          { upn: "SUMMER", admission_date: "2024-06-01", spells: [{ from: "2024-06-01" }] },
        ],
        marks: [
          ...daysOf("CHANGES", { "2025-01-06": ["/", "\\"], "2025-01-07": ["I", "I"], "2025-01-08": ["/", "O"], "2025-01-09": ["/", "\\"], "2025-01-10": ["X", "X"] }),
          ...daysOf("NOSPELL", { "2025-01-06": ["/", "\\"], "2025-01-07": ["I", "\\"], "2025-01-08": ["/", "\\"] }),
          ...daysOf("JOINER", { "2025-01-08": ["O", "N"], "2025-01-09": ["U", "G"], "2025-01-10": ["/", "\\"] }),
          ...daysOf("LEAVER", { "2025-01-06": ["C", "M"], "2025-01-07": ["/", "\\"] }),
          // Across the 2024 regulations (19 August 2024) and two academic years.
          ...daysOf("SUMMER", { "2024-07-15": ["B", "C"], "2024-07-16": ["/", "D"], "2024-09-02": ["B", "C"], "2024-09-03": ["/", "D"], "2025-01-06": ["I", "\\"], "2025-01-07": ["/", "\\"] }),
        ],
      }),
    );
  });
  afterAll(() => removeDb(db));

  const spans = [
    { from: "2025-01-06", to: "2025-01-10" },
    { from: "2025-01-01", to: "2025-01-31" },
    { from: "2024-06-01", to: "2025-01-31" },
    { from: "2025-01-08", to: "2025-01-08" },
  ];
  it.each(["CHANGES", "NOSPELL", "JOINER", "LEAVER", "SUMMER", "NO-SUCH-PUPIL"])("%s: every span, both ways", async (upn) => {
    await withConnection(db, async (c) => {
      for (const span of spans) await compareOnePupil(c, { ...span, filter: { upn } });
    });
  });

  it("counts a pupil in scope by the hand calculation and leaves out one without a spell at the period's end", async () => {
    await withConnection(db, async (c) => {
      // CHANGES 6–10 January: 8 possible sessions (X not counted), 2 authorised and 1 unauthorised (O): PA, not SA.
      const changes = await compareOnePupil(c, { from: "2025-01-06", to: "2025-01-10", filter: { upn: "CHANGES" } });
      expect(changes).toMatchObject({ pupils: 1, possible_sessions: 8, present_sessions: 5, authorised_sessions: 2, unauthorised_sessions: 1, pa_pupils: 1, sa_pupils: 0 });
      const none = await compareOnePupil(c, { from: "2025-01-06", to: "2025-01-10", filter: { upn: "NOSPELL" } });
      expect(none).toMatchObject({ pupils: 0, possible_sessions: 0 });
      const byYear = await aggregateLevel.summariseBy(c, { from: "2024-06-01", to: "2025-01-31", filter: { upn: "SUMMER" } }, "academic_year");
      expect(byYear.map((y) => y.group)).toEqual(["2023/24", "2024/25"]);
    });
  });
});

describe("one pupil's measures on the demo school", () => {
  const TODAY = "2026-11-23";
  const db = tempDbPath("one-pupil-demo");
  beforeAll(async () => {
    await buildDemo(db, { today: TODAY });
  }, 600_000);
  afterAll(() => removeDb(db));

  it("equal the mark-level definition for pupils on roll and leavers, over the year to date, since admission and across the 2024 regulations", async () => {
    await withConnection(db, async (c) => {
      // A spread of pupils (by a hash of the UPN): on roll, left, joined mid-year.
      const pupils = await queryRows<{ upn: string; admission_date: string; leaving: boolean }>(
        c,
        `SELECT upn, strftime(admission_date, '%Y-%m-%d') AS admission_date, leaving_date IS NOT NULL AS leaving
         FROM pupils ORDER BY hash(upn) LIMIT 40`,
      );
      expect(pupils.some((p) => p.leaving)).toBe(true);
      let counted = 0;
      for (const p of pupils) {
        for (const span of [{ from: "2026-08-01", to: TODAY }, { from: p.admission_date, to: TODAY }, { from: "2024-07-01", to: "2024-10-31" }]) {
          const m = await compareOnePupil(c, { ...span, filter: { upn: p.upn } });
          if (m.possible_sessions > 0) counted++;
        }
      }
      expect(counted).toBeGreaterThan(60);
    });
  }, 600_000);
});
