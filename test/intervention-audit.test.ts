/**
 * Recording, correcting and withdrawing an intervention each put a row on the audit trail in
 * the same transaction (analytics/interventions/store.ts, interventionAudit): the pupil's UPN
 * as what was acted on, what changed as detail. A fresh-clone trial found none of them there.
 * Real DuckDB; the register is the autumn 2025 calendar of test/helpers/calendar.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeInstance, withConnection } from "../analytics/db.ts";
import { queryAudit } from "../analytics/audit.ts";
import { recordIntervention } from "../analytics/interventions/store.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { AUTUMN_2025_LEAD, registerOf, seedAutumn2025 } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("intervention-audit");
const audit = { actor: { email: "lead@school.test", name: "Ms Lead" }, ip: "127.0.0.1" };

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedAutumn2025(c);
    await seedRegister(c, { pupils: [{ upn: "A", admission_date: "2025-09-01" }], marks: registerOf("A", days, {}) });
  });
});
afterAll(async () => {
  await closeInstance(db);
  removeDb(db);
});

describe("interventions on the audit trail", () => {
  it("records an entry, its correction and its withdrawal, each with the UPN and what changed", async () => {
    await withConnection(db, async (c) => {
      const first = await recordIntervention(c, { ...AUTUMN_2025_LEAD, upn: "A", type: "phone_call", date: "2025-10-01", note: "Spoke to parent", audit });
      const second = await recordIntervention(c, { ...AUTUMN_2025_LEAD, upn: "A", type: "phone_call", date: "2025-10-02", note: "Spoke to parent", corrects: first, audit });
      const third = await recordIntervention(c, { ...AUTUMN_2025_LEAD, upn: "A", type: "phone_call", date: "2025-10-02", note: "Wrong pupil", corrects: second, withdraw: true, audit });
      // Without `audit` (no account to name), nothing is added to the trail.
      await recordIntervention(c, { ...AUTUMN_2025_LEAD, upn: "A", type: "phone_call", date: "2025-10-03", note: "" });
      const rows = (await queryAudit(c, {})).rows.sort((a, b) => a.id - b.id);
      expect(rows.map((r) => [r.action, r.target, r.role, r.ip])).toEqual([
        ["intervention_add", "A", "attendance_lead", "127.0.0.1"],
        ["intervention_change", "A", "attendance_lead", "127.0.0.1"],
        ["intervention_withdraw", "A", "attendance_lead", "127.0.0.1"],
      ]);
      const label = /^entry \d+: (.*), 2025-10-01; note of 15 characters$/.exec(rows[0].detail ?? "")?.[1];
      expect(label, rows[0].detail ?? "").toBeTruthy();
      expect(rows[0].detail).toBe(`entry ${first}: ${label}, 2025-10-01; note of 15 characters`);
      expect(rows[1].detail).toBe(`entry ${second} corrects entry ${first}: date 2025-10-01 → 2025-10-02`);
      expect(rows[2].detail).toBe(`entry ${third} withdraws entry ${second} (${label}, 2025-10-02) as recorded in error; reason of 11 characters`);
      // The Action filter finds each.
      expect((await queryAudit(c, { action: "intervention_withdraw" })).total).toBe(1);
    });
  });
});
