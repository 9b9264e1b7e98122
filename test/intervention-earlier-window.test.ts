/**
 * Trial leftover (session 16): on Interventions, the "4 weeks before / after" beside Ludlow's
 * congratulations letter (Appendix A 9) measured mostly the time before the monitoring letter,
 * not before the letter shown: a congratulations letter follows a monitoring letter and its
 * monitoring period, so its 4 school weeks before hold both. What is measured is unchanged
 * (the action's own weeks); every place that shows it now says which earlier action the
 * before window holds (InterventionEffect.earlier, earlierActionWords), and the per-type
 * figures count such measurements ("After another action").
 *
 * Register by hand (Autumn 1 2025: Mon 1 Sep – Fri 17 Oct; half term 20–24 Oct; Autumn 2 from
 * Mon 27 Oct; today Fri 21 Nov 2025). Pupil M: ill (I) Mon 8 – Thu 11 Sep, Mon 15 – Tue 16 Sep
 * and Mon 22 Sep (7 days), present every other day. Monitoring letter (below 90 %) Fri 26 Sep;
 * congratulations letter Fri 10 Oct (week of 6 Oct).
 * - Congratulations letter: before = school weeks of 8, 15, 22, 29 Sep = Mon 8 Sep – Fri 3 Oct,
 *   20 days, 40 sessions, 14 missed: 26/40 = 65.0 %; after = weeks of 13 Oct, 27 Oct, 3 Nov,
 *   10 Nov = Mon 13 Oct – Fri 14 Nov, 40 of 40 = 100.0 %; change +35.0 — and the monitoring
 *   letter of 26 Sep is inside its before window (three of its four weeks are before it).
 * - Monitoring letter: only 3 school weeks before its week (1, 8, 15 Sep): not measured; no
 *   earlier action.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { earlierActionWords, effectByType, interventionEffects } from "../analytics/interventions/effect.ts";
import { recordIntervention } from "../analytics/interventions/store.ts";
import { ukDate } from "../analytics/packs/format.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { AUTUMN_2025_LEAD, absentDays, registerOf, seedAutumn2025 } from "./helpers/calendar.ts";
import { seedRegister } from "./helpers/register.ts";

const db = tempDbPath("intervention-earlier-window");
const by = AUTUMN_2025_LEAD;

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const days = await seedAutumn2025(c);
    const m = registerOf("M", days, absentDays(["2025-09-08", "2025-09-09", "2025-09-10", "2025-09-11", "2025-09-15", "2025-09-16", "2025-09-22"]));
    await seedRegister(c, { pupils: [{ upn: "M", admission_date: "2025-09-01" }], marks: m });
    await recordIntervention(c, { ...by, upn: "M", type: "letter_below_90", date: "2025-09-26", note: "monitoring letter" });
    await recordIntervention(c, { ...by, upn: "M", type: "letter_improved", date: "2025-10-10", note: "congratulations" });
  });
});
afterAll(() => removeDb(db));

describe("the windows beside a congratulations letter say what they hold", () => {
  it("measures the letter's own 4 weeks, by hand, and names the monitoring letter inside them", async () => {
    const effects = await withConnection(db, (c) => interventionEffects(c, { from: "2025-09-01", to: "2025-11-21", asOf: "2025-11-21" }));
    const letter = effects.find((e) => e.type === "letter_improved")!;
    expect(letter).toMatchObject({ before_from: "2025-09-08", before_to: "2025-10-03", after_from: "2025-10-13", after_to: "2025-11-14" });
    expect(letter).toMatchObject({ before_possible: 40, before_attended: 26, after_possible: 40, after_attended: 40, measured: true });
    expect(letter.before_pct).toBe(65);
    expect(letter.change_points).toBe(35);
    expect(letter.earlier).toMatchObject({ date: "2025-09-26", count: 1 });
    expect(letter.earlier!.label).toMatch(/below 90/);
    expect(earlierActionWords(letter.earlier!, ukDate)).toMatch(/^the 4 weeks before include Letter.*below 90%.* \(26 Sep 2025\): not this action's change alone$/);
    expect(earlierActionWords(letter.earlier!, ukDate, letter.before_to)).toBe(earlierActionWords(letter.earlier!, ukDate));
    // An action earlier in the intervention's own week is in neither window, and is said so (trial: a meeting on Wed 2 Dec
    // beside a conversation that Monday read "the 4 weeks before include Conversation (30 Nov 2026)").
    const sameWeek = { label: "Conversation", date: "2026-11-30", count: 1 };
    expect(earlierActionWords(sameWeek, ukDate, "2026-11-27")).toBe("earlier in its own week: Conversation (30 Nov 2026): not this action's change alone");
    expect(earlierActionWords({ ...sameWeek, count: 2 }, ukDate, "2026-11-27")).toBe(
      "the 4 weeks before and its own week include Conversation (30 Nov 2026) and 1 other action: not this action's change alone",
    );
    const monitoring = effects.find((e) => e.type === "letter_below_90")!;
    expect(monitoring.earlier).toBeNull();
    expect(monitoring.measured).toBe(false);
  });

  it("the per-type figures count the measured ones after another action", async () => {
    const effects = await withConnection(db, (c) => interventionEffects(c, { from: "2025-09-01", to: "2025-11-21", asOf: "2025-11-21" }));
    const byType = Object.fromEntries(effectByType(effects, 1).map((t) => [t.type, t]));
    expect(byType.letter_improved).toMatchObject({ measured: 1, after_earlier: 1 });
    expect(byType.letter_below_90).toMatchObject({ measured: 0, too_few: true });
    // Withheld with the rest below the small-group minimum.
    expect(effectByType(effects, 5).find((t) => t.type === "letter_improved")).toMatchObject({ too_few: true, after_earlier: null });
  });
});
