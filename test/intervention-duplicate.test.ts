/**
 * An entry identical to one the pupil already has in force — same type, date and note — is
 * refused where entries are written (analytics/interventions/store.ts recordIntervention), so
 * the page, the CLI and any other caller alike: the fresh-clone trial pressed "Record
 * intervention" again and got entries 224 and 225, both counted. Real DuckDB; the register is
 * the autumn 2025 calendar of test/helpers/calendar.ts (today 21 Nov 2025).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeInstance, queryRows, withConnection } from "../analytics/db.ts";
import { DuplicateInterventionError, InterventionError, pupilInterventions, recordIntervention } from "../analytics/interventions/store.ts";
import { queryAudit } from "../analytics/audit.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { AUTUMN_2025_LEAD, registerOf, seedAutumn2025 } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("intervention-duplicate");
const by = AUTUMN_2025_LEAD;
const audit = { actor: { email: "lead@school.test", name: "Ms Lead" }, ip: "127.0.0.1" };
const VISIT = { ...by, upn: "A", type: "home_visit", date: "2025-10-03", note: "Visited mum; agreed a morning routine." };

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedAutumn2025(c);
    await seedRegister(c, {
      pupils: [
        { upn: "A", admission_date: "2025-09-01" },
        { upn: "B", admission_date: "2025-09-01" },
      ],
      marks: [...registerOf("A", days, {}), ...registerOf("B", days, {})],
    });
  });
});
afterAll(async () => {
  await closeInstance(db);
  removeDb(db);
});

/** How many rows the interventions table holds: a refusal must add none. */
async function rowCount(): Promise<number> {
  return withConnection(db, async (c) => Number((await queryRows<{ n: number }>(c, "SELECT count(*)::INTEGER AS n FROM interventions", {}))[0].n));
}

describe("an entry identical to one the pupil already has", () => {
  it("is refused with one sentence naming that entry, and nothing is written, the audit trail included", async () => {
    const first = await withConnection(db, (c) => recordIntervention(c, { ...VISIT, audit }));
    const rows = await rowCount();
    const trail = await withConnection(db, async (c) => (await queryAudit(c, {})).total);
    const refusal = await withConnection(db, (c) => recordIntervention(c, { ...VISIT, audit }).then(() => null, (error: unknown) => error));
    expect(refusal).toBeInstanceOf(DuplicateInterventionError);
    expect(refusal).toBeInstanceOf(InterventionError);
    expect((refusal as DuplicateInterventionError).entry).toBe(first);
    expect((refusal as DuplicateInterventionError).sentence).toBe(`Already recorded as entry ${first} (Home visit, 3 Oct 2025). Nothing was recorded.`);
    // The note is compared as stored: trimmed.
    await expect(withConnection(db, (c) => recordIntervention(c, { ...VISIT, note: `  ${VISIT.note}\n` }))).rejects.toBeInstanceOf(DuplicateInterventionError);
    expect(await rowCount()).toBe(rows);
    expect(await withConnection(db, async (c) => (await queryAudit(c, {})).total)).toBe(trail);
  });

  it("lets a deliberate second entry through: another date, another note, another type, another pupil", async () => {
    await withConnection(db, async (c) => {
      const before = (await pupilInterventions(c, "A")).length;
      await recordIntervention(c, { ...VISIT, date: "2025-10-10" });
      await recordIntervention(c, { ...VISIT, note: "Second visit the same day: dad at home this time." });
      await recordIntervention(c, { ...VISIT, type: "phone_call" });
      await recordIntervention(c, { ...VISIT, upn: "B" });
      expect((await pupilInterventions(c, "A")).length).toBe(before + 3);
    });
  });

  it("compares with entries in force only: once withdrawn or corrected away, the same entry may be recorded again", async () => {
    await withConnection(db, async (c) => {
      const wrong = await recordIntervention(c, { ...VISIT, upn: "B", date: "2025-10-06", note: "Visit" });
      await recordIntervention(c, { ...VISIT, upn: "B", date: "2025-10-06", note: "Recorded before it happened", corrects: wrong, withdraw: true });
      const again = await recordIntervention(c, { ...VISIT, upn: "B", date: "2025-10-06", note: "Visit" });
      expect(again).toBeGreaterThan(wrong);
      // A correction may leave its own entry as it was ("nothing changed" on the trail)…
      const same = await recordIntervention(c, { ...VISIT, upn: "B", date: "2025-10-06", note: "Visit", corrects: again });
      // …but not make it a copy of another entry in force.
      const other = await recordIntervention(c, { ...VISIT, upn: "B", date: "2025-10-07", note: "Visit" });
      await expect(recordIntervention(c, { ...VISIT, upn: "B", date: "2025-10-06", note: "Visit", corrects: other })).rejects.toThrow(
        `it is already recorded as entry ${same}`,
      );
    });
  });
});
