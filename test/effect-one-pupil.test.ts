/**
 * One pupil's interventions and their effect worked out from the reads a pupil's page shares
 * (analytics/interventions/effect-one-pupil.ts: interventionEffects with a UPN and no filter)
 * equal the pupil's among every pupil's (the grouped query), on the demo school: every pupil
 * with an entry, as of dates whose windows are complete, still running and not yet begun, over
 * all time and over this academic year only; and after a correction and a withdrawal.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { interventionEffects } from "../analytics/interventions/effect.ts";
import { recordIntervention } from "../analytics/interventions/store.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const TODAY = "2026-11-23";

async function compareEvery(c: Connection, span: { from: string; to: string; asOf: string }): Promise<number> {
  const all = await interventionEffects(c, span);
  const upns = (await queryRows<{ upn: string }>(c, "SELECT DISTINCT upn FROM interventions ORDER BY upn")).map((r) => r.upn);
  let rows = 0;
  for (const upn of upns) {
    const mine = await interventionEffects(c, { ...span, upn });
    expect(mine, `${upn} ${span.from}–${span.to} as of ${span.asOf}`).toEqual(all.filter((e) => e.upn === upn));
    rows += mine.length;
  }
  return rows;
}

describe("one pupil's intervention effects on the demo school", () => {
  const db = tempDbPath("effect-one-pupil");
  beforeAll(async () => {
    await buildDemo(db, { today: TODAY });
  }, 600_000);
  afterAll(() => removeDb(db));

  it("equal the pupil's among every pupil's, as of several dates", async () => {
    await withConnection(db, async (c) => {
      let measured = 0;
      for (const span of [
        { from: "1900-01-01", to: TODAY, asOf: TODAY },
        { from: "2026-08-01", to: TODAY, asOf: TODAY },
        { from: "1900-01-01", to: "2026-10-16", asOf: "2026-10-16" },
      ]) {
        expect(await compareEvery(c, span)).toBeGreaterThan(20);
      }
      // Not only pending ones: some measured, some with an earlier action named.
      const effects = await interventionEffects(c, { from: "1900-01-01", to: TODAY, asOf: TODAY });
      measured = effects.filter((e) => e.measured).length;
      expect(measured).toBeGreaterThan(5);
      expect(effects.some((e) => e.earlier !== null)).toBe(true);
      expect(effects.some((e) => e.pending !== null)).toBe(true);
    });
  }, 600_000);

  it("after a correction and a withdrawal: the superseded entries are left out both ways", async () => {
    await withConnection(db, async (c) => {
      const [first, second] = await queryRows<{ id: number; upn: string; type: string; date: string }>(
        c,
        `SELECT intervention_id AS id, upn, type::VARCHAR AS type, strftime(date, '%Y-%m-%d') AS date FROM interventions
         WHERE NOT withdrawn AND intervention_id NOT IN (SELECT corrects FROM interventions WHERE corrects IS NOT NULL)
         ORDER BY date DESC, intervention_id LIMIT 2`,
      );
      const entry = { note: "Recorded for the wrong pupil", by: "Test", role: "head", today: TODAY };
      await recordIntervention(c, { ...entry, upn: first.upn, type: first.type, date: "2026-10-02", corrects: first.id });
      await recordIntervention(c, { ...entry, upn: second.upn, type: second.type, date: second.date, corrects: second.id, withdraw: true });
      expect(await compareEvery(c, { from: "1900-01-01", to: TODAY, asOf: TODAY })).toBeGreaterThan(20);
      const mine = await interventionEffects(c, { from: "1900-01-01", to: TODAY, asOf: TODAY, upn: second.upn });
      expect(mine.some((e) => e.id === second.id)).toBe(false);
    });
  }, 600_000);

  it("names the latest earlier action by its own words when an older one has a label and it has none", async () => {
    await withConnection(db, async (c) => {
      // An action in force that follows another of the pupil's within its before window (the
      // demo's entries were recorded before labels were: their label is NULL).
      const effects = await interventionEffects(c, { from: "1900-01-01", to: TODAY, asOf: TODAY });
      const later = effects.find((e) => e.earlier !== null && e.earlier.count === 1 && e.before_from !== null && e.before_from < e.earlier.date);
      expect(later, "an action with one earlier action inside its before window").toBeDefined();
      const { upn, earlier, before_from } = later!;
      const [latest] = await queryRows<{ type: string; label: string | null }>(
        c,
        `SELECT type::VARCHAR AS type, label FROM interventions WHERE upn = $upn AND strftime(date, '%Y-%m-%d') = $date AND NOT withdrawn`,
        { upn, date: earlier!.date },
      );
      expect(latest.label).toBeNull();
      // A new entry, labelled as every entry recorded now is, dated before the latest one but
      // inside the before window: a different type, so its words differ from the latest's.
      const other = latest.type === "home_visit" ? "phone_call" : "home_visit";
      await recordIntervention(c, { upn, type: other, date: before_from!, note: "Recorded after the others", by: "Test", role: "head", today: TODAY });
      const after = (await interventionEffects(c, { from: "1900-01-01", to: TODAY, asOf: TODAY })).find((e) => e.id === later!.id)!;
      expect(after.earlier).toEqual({ label: earlier!.label, date: earlier!.date, count: 2 });
      expect(await interventionEffects(c, { from: "1900-01-01", to: TODAY, asOf: TODAY, upn })).toEqual(
        (await interventionEffects(c, { from: "1900-01-01", to: TODAY, asOf: TODAY })).filter((e) => e.upn === upn),
      );
    });
  }, 600_000);
});
