/**
 * Interventions: recorded append-only (corrections are new entries), and their effect —
 * attendance in the 4 school weeks before and after, worked out by hand on a register whose
 * after-window spans the October half term.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { effectByType, interventionEffects } from "../analytics/interventions/effect.ts";
import { InterventionError, pupilInterventions, recordIntervention } from "../analytics/interventions/store.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { absentDays, registerOf, seedSchoolDays, weekdays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("interventions");
const by = { by: "Ms Lead", role: "attendance_lead", today: "2025-11-21" };

beforeAll(async () => {
  await withConnection(db, async (c) => {
    // Autumn 1: 1 Sep – 17 Oct (7 school weeks); half term 20–24 Oct; Autumn 2 from 27 Oct.
    const days = await seedSchoolDays(c, [
      { from: "2025-09-01", to: "2025-10-17", half: "autumn-1-2025", term: "autumn-2025" },
      { from: "2025-10-27", to: "2025-11-21", half: "autumn-2-2025", term: "autumn-2025" },
    ]);
    // Before window (weeks of 1, 8, 15, 22 Sep): A misses 4 whole days (8 of 40 sessions),
    // B misses 2 (4 of 40). After window (weeks of 6, 13 Oct, 27 Oct, 3 Nov): A misses one
    // day (2 of 40), B misses 5 days (10 of 40).
    const a = registerOf("A", days, {
      ...absentDays(["2025-09-03", "2025-09-10", "2025-09-17", "2025-09-24"]),
      ...absentDays(["2025-10-08"], "U"),
      // In the intervention's own week: counted in neither window.
      ...absentDays(["2025-09-30"]),
    });
    const b = registerOf("B", days, {
      ...absentDays(["2025-09-05", "2025-09-12"]),
      ...absentDays(["2025-10-06", "2025-10-07", "2025-10-28", "2025-11-04", "2025-11-05"], "O"),
    });
    await seedRegister(c, { pupils: [{ upn: "A", admission_date: "2025-09-01" }, { upn: "B", admission_date: "2025-09-01" }], marks: [...a, ...b] });
  });
});
afterAll(() => removeDb(db));

describe("recording interventions", () => {
  it("checks the type, date, note, pupil and who", async () => {
    await withConnection(db, async (c) => {
      await expect(recordIntervention(c, { ...by, upn: "A", type: "letter", date: "2025-10-01", note: "" })).rejects.toThrow(/not an intervention type/);
      await expect(recordIntervention(c, { ...by, upn: "A", type: "phone_call", date: "2025-02-30", note: "" })).rejects.toThrow(/not a date/);
      await expect(recordIntervention(c, { ...by, upn: "A", type: "phone_call", date: "2025-11-22", note: "" })).rejects.toThrow(/after today/);
      await expect(recordIntervention(c, { ...by, upn: "Z", type: "phone_call", date: "2025-10-01", note: "" })).rejects.toThrow(/no pupil/);
      await expect(recordIntervention(c, { ...by, by: " ", upn: "A", type: "phone_call", date: "2025-10-01", note: "" })).rejects.toBeInstanceOf(InterventionError);
      expect(await pupilInterventions(c, "A")).toEqual([]);
    });
  });

  it("keeps every entry: a correction is a new entry naming the one it corrects", async () => {
    await withConnection(db, async (c) => {
      const first = await recordIntervention(c, { ...by, upn: "A", type: "letter_below_96", date: "2025-09-30", note: "sent with leaflet" });
      const fixed = await recordIntervention(c, { ...by, upn: "A", type: "letter_below_90", date: "2025-10-01", note: "monitoring letter", corrects: first });
      await expect(recordIntervention(c, { ...by, upn: "A", type: "phone_call", date: "2025-10-01", note: "", corrects: first })).rejects.toThrow(/already been corrected/);
      await expect(recordIntervention(c, { ...by, upn: "B", type: "phone_call", date: "2025-10-01", note: "", corrects: fixed })).rejects.toThrow(/not one of this pupil/);
      const entries = await pupilInterventions(c, "A");
      expect(entries.map((e) => [e.id, e.type, e.in_force, e.corrects, e.corrected_by])).toEqual([
        [fixed, "letter_below_90", true, first, null],
        [first, "letter_below_96", false, null, fixed],
      ]);
      // B: a phone call recorded in error, withdrawn; then the meeting that really happened.
      const wrong = await recordIntervention(c, { ...by, upn: "B", type: "phone_call", date: "2025-10-01", note: "wrong pupil" });
      await expect(recordIntervention(c, { ...by, upn: "B", type: "phone_call", date: "2025-10-01", note: " ", corrects: wrong, withdraw: true })).rejects.toThrow(/why/);
      await recordIntervention(c, { ...by, upn: "B", type: "phone_call", date: "2025-10-01", note: "recorded against the wrong pupil", corrects: wrong, withdraw: true });
      await recordIntervention(c, { ...by, upn: "B", type: "meeting_with_targets", date: "2025-10-02", note: "targets set" });
      const b = await pupilInterventions(c, "B");
      expect(b.filter((e) => e.in_force).map((e) => e.type)).toEqual(["meeting_with_targets"]);
      expect(b).toHaveLength(3);
    });
  });
});

describe("the effect of each intervention", () => {
  it("compares the 4 school weeks before with the 4 after, skipping the half-term week", async () => {
    const effects = await withConnection(db, (c) => interventionEffects(c, { from: "2025-08-01", to: "2025-11-21", asOf: "2025-11-07" }));
    const a = effects.find((e) => e.upn === "A")!;
    expect(a).toMatchObject({
      type: "letter_below_90",
      before_from: "2025-09-01",
      before_to: "2025-09-26",
      after_from: "2025-10-06",
      after_to: "2025-11-07",
      before_possible: 40,
      before_attended: 32,
      after_possible: 40,
      after_attended: 38,
      measured: true,
    });
    expect(a.before_pct).toBeCloseTo(80, 10);
    expect(a.after_pct).toBeCloseTo(95, 10);
    expect(a.change_points).toBeCloseTo(15, 10);
    const b = effects.find((e) => e.upn === "B")!;
    expect([b.before_pct, b.after_pct, b.change_points]).toEqual([90, 75, -15]);
    expect(effects).toHaveLength(2); // the withdrawn and the corrected entries do not count
  });

  it("waits until the 4th school week after has ended", async () => {
    const effects = await withConnection(db, (c) => interventionEffects(c, { from: "2025-08-01", to: "2025-11-21", asOf: "2025-11-06" }));
    expect(effects.every((e) => !e.measured && e.change_points === null && e.after_pct === null)).toBe(true);
    expect(effects[0].pending).toMatch(/not yet passed/);
  });

  it("summarises per type, withholding means under the small-group minimum", async () => {
    const effects = await withConnection(db, (c) => interventionEffects(c, { from: "2025-08-01", to: "2025-11-21", asOf: "2025-11-21" }));
    const open = effectByType(effects, 1);
    expect(open.map((t) => [t.type, t.recorded, t.measured, t.mean_change_points, t.improved_pct])).toEqual([
      ["letter_below_90", 1, 1, 15, 100],
      ["meeting_with_targets", 1, 1, -15, 0],
    ]);
    const withheld = effectByType(effects, 2);
    expect(withheld.every((t) => t.too_few && t.mean_change_points === null && t.improved_pct === null && t.recorded === 1)).toBe(true);
  });

  it("has no before window when the register starts less than 4 school weeks earlier", async () => {
    await withConnection(db, (c) => recordIntervention(c, { ...by, upn: "A", type: "conversation", date: "2025-09-15", note: "" }));
    const effects = await withConnection(db, (c) => interventionEffects(c, { from: "2025-09-15", to: "2025-09-15", asOf: "2025-11-21" }));
    expect(effects[0]).toMatchObject({ measured: false, before_from: null });
    expect(effects[0].pending).toMatch(/fewer than 4 school weeks/);
    expect(weekdays("2025-09-15", "2025-09-19")).toHaveLength(5);
  });
});

describe("in the packs", () => {
  const periods = { period: { from: "2025-10-01", to: "2025-10-31" }, label: "October 2025", noun: "This month", yearToDate: { from: "2025-08-01", to: "2025-11-21" } };

  it("names pupils and their effect in the SLT pack, counts only (suppressed) in the FGB pack", async () => {
    const { sltInterventionsSection } = await import("../analytics/packs/interventions.ts");
    const { fgbInterventionCounts } = await import("../analytics/packs/interventions.ts");
    const { DEFAULT_SETTINGS } = await import("../analytics/settings.ts");
    const slt = await withConnection(db, (c) => sltInterventionsSection(c, periods, DEFAULT_SETTINGS));
    const tables = slt.blocks.flatMap((b) => (b.kind === "table" ? [b.table] : []));
    // Under the minimum of 5: the means are withheld, the counts shown.
    expect(tables[0].rows[0]).toEqual([
      { kind: "text", text: "Conversation" },
      { kind: "count", value: 1 },
      { kind: "count", value: 0 },
      { kind: "suppressed", text: "too few to judge (fewer than 5 measured)" },
      { kind: "suppressed", text: "too few to judge (fewer than 5 measured)" },
    ]);
    // October's interventions, named: A's monitoring letter (1 Oct) and B's meeting (2 Oct).
    expect(tables[1].rows.map((r) => (r[1] as { text: string }).text)).toEqual(["Surname B, Forename B", "Surname A, Forename A"]);
    const fgb = await withConnection(db, (c) => fgbInterventionCounts(c, periods, 5));
    expect(fgb.kind === "table" && fgb.table.rows.every((r) => r.slice(1).every((cell) => cell.kind === "suppressed" || (cell.kind === "count" && cell.value === 0)))).toBe(true);
    expect(JSON.stringify(fgb)).not.toMatch(/Surname/);
  });
});
