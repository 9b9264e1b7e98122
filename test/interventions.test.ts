/**
 * Interventions: recorded append-only (corrections are new entries), and their effect —
 * attendance in the 4 school weeks before and after, worked out by hand on a register whose
 * after-window spans the October half term.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeInstance, withConnection } from "../analytics/db.ts";
import { effectByType, effectsPage, interventionEffects, interventionsRecorded, recordedByType } from "../analytics/interventions/effect.ts";
import { InterventionError, enrolmentProblem, pupilInterventions, recordIntervention } from "../analytics/interventions/store.ts";
import { interventionStatus } from "../analytics/interventions/status-words.ts";
import { londonDateTime } from "../analytics/time.ts";
import { saveSettings } from "../analytics/settings.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { AUTUMN_2025_LEAD, absentDays, registerOf, seedAutumn2025, weekdays } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("interventions");
const by = AUTUMN_2025_LEAD;

beforeAll(async () => {
  await withConnection(db, async (c) => {
    // Autumn 1: 1 Sep – 17 Oct (7 school weeks); half term 20–24 Oct; Autumn 2 from 27 Oct.
    const days = await seedAutumn2025(c);
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
    await seedRegister(c, { pupils: [{ upn: "A", admission_date: "2025-09-01" }, { upn: "B", admission_date: "2025-09-01", spells: [{ from: "2025-09-01", fsm: "Y" }] }], marks: [...a, ...b] });
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
      // Outside the pupil's time on roll (trial 16a: 15 Aug for a pupil admitted 1 Sep), with a clear message.
      await expect(recordIntervention(c, { ...by, upn: "A", type: "phone_call", date: "2025-08-15", note: "" })).rejects.toThrow(
        "the date 15 Aug 2025 is before the pupil was admitted (1 Sep 2025): record an intervention for a day they were on the school's roll",
      );
      expect(enrolmentProblem("2025-10-20", "2025-09-01", "2025-10-17")).toBe(
        "the date 20 Oct 2025 is after the pupil left (17 Oct 2025): record an intervention for a day they were on the school's roll",
      );
      expect(enrolmentProblem("2025-10-17", "2025-09-01", "2025-10-17")).toBeNull();
      expect(enrolmentProblem("2025-09-01", "2025-09-01", null)).toBeNull();
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
      expect(entries.map((e) => e.superseded?.kind ?? null)).toEqual([null, "correction"]);
      // B: a phone call recorded in error, withdrawn; then the meeting that really happened.
      const wrong = await recordIntervention(c, { ...by, upn: "B", type: "phone_call", date: "2025-10-01", note: "wrong pupil" });
      await expect(recordIntervention(c, { ...by, upn: "B", type: "phone_call", date: "2025-10-01", note: " ", corrects: wrong, withdraw: true })).rejects.toThrow(/why/);
      const withdrawal = await recordIntervention(c, { ...by, upn: "B", type: "phone_call", date: "2025-10-01", note: "recorded against the wrong pupil", corrects: wrong, withdraw: true });
      await recordIntervention(c, { ...by, upn: "B", type: "meeting_with_targets", date: "2025-10-02", note: "targets set" });
      const b = await pupilInterventions(c, "B");
      // The withdrawn entry is withdrawn, not "corrected" (a trial's 195 read "Corrected by entry
      // 196" while 196 said "Withdraws entry 195"), with when the withdrawal was recorded.
      const withdrawn = b.find((e) => e.id === wrong)!;
      expect([withdrawn.corrected_by, withdrawn.superseded?.kind]).toEqual([withdrawal, "withdrawal"]);
      expect(withdrawn.superseded?.recorded_at).toBe(b.find((e) => e.id === withdrawal)!.recorded_at);
      expect(b.find((e) => e.id === withdrawal)!.superseded).toBeNull();
      // As the page prints them (the recording time in London, as the entries' "Recorded" column).
      const at = londonDateTime(withdrawn.superseded!.recorded_at);
      expect(b.map((e) => [e.id, interventionStatus(e)])).toEqual([
        [b[0].id, "In force"],
        [withdrawal, `Withdraws entry ${wrong}`],
        [wrong, `Withdrawn by entry ${withdrawal} on ${at}`],
      ]);
      expect(entries.map((e) => interventionStatus(e))).toEqual([`In force (corrects entry ${first})`, `Corrected by entry ${fixed} on ${londonDateTime(entries[0].recorded_at)}`]);
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

  it("takes the page's pupil filters: only B is eligible for free school meals, both are in Year 3", async () => {
    const upns = async (filter: Record<string, string>) =>
      (await withConnection(db, (c) => interventionEffects(c, { from: "2025-08-01", to: "2025-11-21", asOf: "2025-11-07", filter }))).map((e) => e.upn);
    expect(await upns({ fsm: "Y" })).toEqual(["B"]);
    expect(await upns({ fsm: "N" })).toEqual(["A"]);
    expect((await upns({ year_group: "3" })).sort()).toEqual(["A", "B"]);
    expect(await upns({ year_group: "4" })).toEqual([]);
    await expect(withConnection(db, (c) => interventionEffects(c, { from: "2025-08-01", to: "2025-11-21", asOf: "2025-11-07", filter: { bogus: "x" } as Record<string, string> }))).rejects.toThrow(/unknown filter "bogus"/);
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

describe("one page of the interventions (the Interventions page's list)", () => {
  // After the tests above: B's meeting (2 Oct, −15 points), A's monitoring letter (1 Oct, +15)
  // and A's conversation (15 Sep, not measured: no before window), newest first.
  const all = () => withConnection(db, (c) => interventionEffects(c, { from: "2025-08-01", to: "2025-11-21", asOf: "2025-11-21" }));
  const key = (e: { upn: string; type: string }) => `${e.upn} ${e.type}`;

  it("cuts the newest-first list into pages with the whole list's total, the figures as computed", async () => {
    const effects = await all();
    expect(effects.map(key)).toEqual(["B meeting_with_targets", "A letter_below_90", "A conversation"]);
    const first = effectsPage(effects, { paging: { sort: "date", dir: "desc", page: 1 }, pageSize: 2 });
    expect([first.total, first.page, first.pages, first.pageSize]).toEqual([3, 1, 2, 2]);
    // The rows are the effects themselves: the same before, after and change as unpaged.
    expect(first.rows).toEqual(effects.slice(0, 2));
    expect([first.rows[0].change_points, first.rows[1].change_points]).toEqual([-15, 15]);
    const second = effectsPage(effects, { paging: { sort: "date", dir: "desc", page: 2 }, pageSize: 2 });
    expect(second.rows.map(key)).toEqual(["A conversation"]);
    // Past the end: the last page.
    const past = effectsPage(effects, { paging: { sort: "date", dir: "desc", page: 9 }, pageSize: 2 });
    expect([past.page, past.rows.map(key)]).toEqual([2, ["A conversation"]]);
    // Oldest first turns the whole list round.
    expect(effectsPage(effects, { paging: { sort: "date", dir: "asc", page: 1 } }).rows.map(key)).toEqual(["A conversation", "A letter_below_90", "B meeting_with_targets"]);
  });

  it("sorts by the change with the unmeasured last either way, and narrows to one type", async () => {
    const effects = await all();
    const byChange = (dir: "asc" | "desc") => effectsPage(effects, { paging: { sort: "change_points", dir, page: 1 } }).rows.map((e) => e.change_points);
    expect(byChange("asc")).toEqual([-15, 15, null]);
    expect(byChange("desc")).toEqual([15, -15, null]);
    const letters = effectsPage(effects, { paging: { sort: "date", dir: "desc", page: 1 }, type: "letter_below_90" });
    expect([letters.total, letters.pages, letters.rows.map(key)]).toEqual([1, 1, ["A letter_below_90"]]);
    const none = effectsPage(effects, { paging: { sort: "date", dir: "desc", page: 1 }, type: "home_visit" });
    expect([none.total, none.page, none.pages, none.rows]).toEqual([0, 1, 1, []]);
    expect(() => effectsPage(effects, { paging: { sort: "surname; DROP" as "date", dir: "asc", page: 1 } })).toThrow(/unknown sort column/);
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
      // How many of the measured had another action in their 4 weeks before: withheld with them.
      { kind: "suppressed", text: "too few to judge (fewer than 5 measured)" },
    ]);
    // October's interventions, named: A's monitoring letter (1 Oct) and B's meeting (2 Oct).
    expect(tables[1].rows.map((r) => (r[1] as { text: string }).text)).toEqual(["Surname B, Forename B", "Surname A, Forename A"]);
    const fgb = await withConnection(db, (c) => fgbInterventionCounts(c, periods, 5));
    expect(fgb.kind === "table" && fgb.table.rows.every((r) => r.slice(1).every((cell) => cell.kind === "suppressed" || (cell.kind === "count" && cell.value === 0)))).toBe(true);
    expect(JSON.stringify(fgb)).not.toMatch(/Surname/);
  });
});

describe("each entry keeps the words it was recorded under", () => {
  // The ids keep the closed list's numbers ("letter_below_96"); the words are the school's own
  // at the time: a letter sent below 96 % stays "below 96 %" after the threshold moves to 95.5,
  // and the letters sent from then on read "below 95.5 %".
  it("names a letter by the threshold in Settings when it was recorded, and keeps it", async () => {
    await withConnection(db, async (c) => {
      const before = await pupilInterventions(c, "A");
      expect(before.find((e) => e.type === "letter_below_96")!.label).toBe("Letter: attendance below 96%");
      const saved = await saveSettings(c, { letter_threshold_pct: "95.5", monitoring_threshold_pct: "88" }, { name: "Ms Head", role: "head" });
      expect(saved.problems).toEqual({});
      const later = await recordIntervention(c, { ...by, upn: "B", type: "letter_below_96", date: "2025-11-20", note: "letter at the new threshold" });
      await recordIntervention(c, { ...by, upn: "B", type: "letter_below_90", date: "2025-11-20", note: "monitoring letter at the new threshold" });
      const a = await pupilInterventions(c, "A");
      expect(a.filter((e) => e.type.startsWith("letter_")).map((e) => [e.type, e.label])).toEqual([
        ["letter_below_90", "Letter: attendance below 90%"],
        ["letter_below_96", "Letter: attendance below 96%"],
      ]);
      const b = await pupilInterventions(c, "B");
      expect(b.find((e) => e.id === later)!.label).toBe("Letter: attendance below 95.5%");
      expect(b.find((e) => e.type === "letter_below_90")!.label).toBe("Letter: attendance below 88%");
      const effects = await interventionEffects(c, { from: "2025-08-01", to: "2025-11-21", asOf: "2025-11-21" });
      expect(effects.filter((e) => e.type === "letter_below_90").map((e) => [e.upn, e.label])).toEqual([
        ["B", "Letter: attendance below 88%"],
        ["A", "Letter: attendance below 90%"],
      ]);
      // The type's row names every wording its letters were sent under.
      expect(effectByType(effects, 1).find((t) => t.type === "letter_below_90")!.label).toBe("Letter: attendance below 88% / Letter: attendance below 90%");
      // The governors' pack counts the same entries, in the same order and words, without reading their windows' marks.
      const recorded = await interventionsRecorded(c, { from: "2025-08-01", to: "2025-11-21" });
      expect(recorded).toEqual(effects.map((e) => ({ type: e.type, label: e.label, date: e.date })));
      expect(recorded.filter((e) => e.type === "letter_below_90").map((e) => [e.date, e.label])).toEqual([["2025-11-20", "Letter: attendance below 88%"], [effects.find((e) => e.upn === "A" && e.type === "letter_below_90")!.date, "Letter: attendance below 90%"]]);
      expect(recordedByType(recorded)).toEqual(effectByType(effects, 1).map(({ type, label, recorded: n }) => ({ type, label, recorded: n })));
      await saveSettings(c, { letter_threshold_pct: "96", monitoring_threshold_pct: "90" }, { name: "Ms Head", role: "head" });
    });
  });

  it("reads an entry recorded before words were stored as the closed list's words, in a file made before the column", async () => {
    const old = tempDbPath("interventions-old-file");
    try {
      await withConnection(old, async (c) => {
        await seedRegister(c, { pupils: [{ upn: "C", admission_date: "2025-09-01" }], marks: [] });
        await pupilInterventions(c, "C");
        // The table as files before the column had it.
        await c.run("DROP TABLE interventions");
        await c.run(`CREATE TABLE interventions (
          intervention_id INTEGER PRIMARY KEY DEFAULT nextval('intervention_id_seq'), upn VARCHAR NOT NULL, type VARCHAR NOT NULL,
          date DATE NOT NULL, note VARCHAR NOT NULL, recorded_at TIMESTAMP NOT NULL, recorded_by VARCHAR NOT NULL,
          recorded_by_role VARCHAR NOT NULL, corrects INTEGER, withdrawn BOOLEAN NOT NULL DEFAULT false)`);
        await c.run(`INSERT INTO interventions (upn, type, date, note, recorded_at, recorded_by, recorded_by_role) VALUES ('C', 'letter_below_90', DATE '2025-10-01', 'sent', TIMESTAMP '2025-10-01 09:00', 'Ann', 'attendance_lead')`);
        await saveSettings(c, { monitoring_threshold_pct: "88" }, { name: "Ms Head", role: "head" });
      });
      await closeInstance(old);
      await withConnection(old, async (c) => {
        const [entry] = await pupilInterventions(c, "C");
        expect(entry.label).toBe("Letter: attendance below 90%");
        await recordIntervention(c, { ...by, upn: "C", type: "letter_below_90", date: "2025-11-03", note: "again" });
        expect((await pupilInterventions(c, "C")).map((e) => e.label)).toEqual(["Letter: attendance below 88%", "Letter: attendance below 90%"]);
      });
    } finally {
      await closeInstance(old);
      removeDb(old);
    }
  });
});
