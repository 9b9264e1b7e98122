/**
 * interventionEffects finds each window's days by pupil and Monday-to-Sunday week, then by date
 * (effect.ts span_weeks; session 38, for the SLT pack's speed): its before and after sessions
 * must equal the mark-level definition — every mark of the pupil dated from the window's first
 * day to its last (the after window to the as-of date at most), counted and attended as the
 * code catalogue classifies it under the regime of its date (the after window's once it is over
 * by the as-of date). The real demo build to Monday 23 Nov 2026: windows across the October
 * half-term holiday, as of that date and of a day soon after the holiday.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, withConnection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { interventionEffects } from "../analytics/interventions/effect.ts";
import { REGIME_2024_FROM } from "../analytics/codes.ts";
import { CLASSIFIED_MARKS_CTE } from "../analytics/register-windows.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("intervention-effect-windows");
const TODAY = "2026-11-23";

beforeAll(async () => {
  await buildDemo(db, { today: TODAY });
}, 300_000);
afterAll(() => removeDb(db));

/** Sessions counted and attended among `upn`'s marks from `from` to `to` (inclusive ISO dates), from the marks themselves. */
async function markCounts(db: string, upn: string, from: string, to: string): Promise<{ possible: number; attended: number }> {
  return withConnection(db, async (c) => {
    const [row] = await queryRows<{ possible: number; attended: number }>(
      c,
      `WITH ${CLASSIFIED_MARKS_CTE}
       SELECT count(*) FILTER (WHERE counted)::INTEGER AS possible, count(*) FILTER (WHERE counted AND attended)::INTEGER AS attended
       FROM classified WHERE upn = $upn`,
      { regime_from: REGIME_2024_FROM, marks_from: from, marks_to: to, upn },
    );
    return row;
  });
}

describe("interventions' before and after windows", () => {
  for (const asOf of [TODAY, "2026-11-04"]) {
    it(`as of ${asOf}: each intervention's sessions before and after equal its pupil's marks in those dates`, async () => {
      const effects = await withConnection(db, (c) => interventionEffects(c, { from: "2025-08-01", to: asOf, asOf }));
      expect(effects.length).toBeGreaterThan(20);
      let before = 0;
      let after = 0;
      for (const e of effects) {
        const expectedBefore = e.before_from && e.before_to ? await markCounts(db, e.upn, e.before_from, e.before_to) : { possible: 0, attended: 0 };
        // The after window's figures are given once it is over (to its last day by the as-of date), else 0.
        const complete = e.after_from !== null && e.after_to !== null && e.after_to <= asOf;
        const expectedAfter = complete ? await markCounts(db, e.upn, e.after_from!, e.after_to!) : { possible: 0, attended: 0 };
        expect({ id: e.id, before: [e.before_possible, e.before_attended], after: [e.after_possible, e.after_attended] }).toEqual({
          id: e.id,
          before: [expectedBefore.possible, expectedBefore.attended],
          after: [expectedAfter.possible, expectedAfter.attended],
        });
        before += e.before_possible;
        after += e.after_possible;
      }
      // Not vacuous: windows with sessions on both sides.
      expect(before).toBeGreaterThan(0);
      expect(after).toBeGreaterThan(0);
    }, 120_000);
  }
});
