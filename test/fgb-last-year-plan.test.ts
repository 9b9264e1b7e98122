/**
 * Issue 13, cases 8–9 (a fresh-clone trial's finding): the FGB pack's last-year figures are
 * read through the plans of last year's spans, as the pages give them to a governor — a
 * figure the Overview withholds for 2024/25 is not printed beside this year's in the pack.
 * On the demo school (today 23 November 2026), the summer 2026 pack compares with summer 2025
 * and with 2024/25 to the end of Summer 2: the plans of those spans withhold the school's
 * severely absent count, which the pack printed as 0.0 % before; the year's school row, withheld
 * until the planner published again rows withheld only to protect others (releaseRows), is
 * now printed beside this year's, as the Overview gives it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { buildFgbPack, fgbPeriods } from "../analytics/packs/fgb.ts";
import { packSuppression } from "../analytics/packs/sections.ts";
import { groupKey } from "../analytics/suppression.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const TODAY = "2026-11-23";
const db = tempDbPath("fgb-last-year");
beforeAll(async () => {
  await buildDemo(db, { today: TODAY });
}, 600_000);
afterAll(() => removeDb(db));

type Cell = { kind: string; text?: string };

describe("the FGB pack's last year, as the pages give it", () => {
  it("withholds in the summer 2026 pack every last-year figure the plans of last year's spans withhold", async () => {
    await withConnection(db, async (c) => {
      const periods = await fgbPeriods(c, "summer-2026", TODAY);
      expect(periods.lastYear).toBeDefined();
      const plans = await packSuppression(c, periods, 5);
      const lastYtd = plans.lastYear!.yearToDate;
      const lastPeriod = plans.lastYear!.period;
      // What the pages withhold over those spans (the plan every page reads): the school's
      // severely absent count over both; the year's school row is published since the planner
      // publishes again rows withheld only to protect others (analytics/suppression.ts
      // releaseRows; every row of 2024/25 was withheld before).
      expect(lastPeriod.hidden(groupKey.school, "sa_pupils")).toBe(true);
      expect(lastYtd.hidden(groupKey.school, "sa_pupils")).toBe(true);
      expect(lastYtd.rowHidden(groupKey.school)).toBe(false);
      const pack = await buildFgbPack(c, { term: "summer-2026", today: TODAY });
      const table = pack.sections.find((s) => s.id === "headline")!.blocks.find((b) => b.kind === "table") as unknown as { table: { rows: Cell[][] } } | undefined;
      const rows = (table as unknown as { table?: { rows: Cell[][] }; rows?: Cell[][] })?.table?.rows ?? (table as unknown as { rows: Cell[][] }).rows;
      const byLabel = new Map(rows.map((r) => [String((r[0] as { text?: string; value?: string }).text ?? (r[0] as { value?: string }).value), r]));
      // Columns: measure, this term, same period last year, change, year to date, last year to date, change, …
      // Every last-year figure the plans withhold is withheld, with the change beside it.
      const figureOf = {
        Attendance: "attended_sessions",
        "Overall absence": "attended_sessions",
        "Persistent absence (% of pupils)": "pa_pupils",
        "Severe absence (% of pupils)": "sa_pupils",
        "Possible sessions": "possible_sessions",
      } as const;
      for (const [label, figure] of Object.entries(figureOf)) {
        const row = byLabel.get(label)!;
        if (lastPeriod.hidden(groupKey.school, figure)) expect([label, row[2].kind, row[3].kind]).toEqual([label, "suppressed", "suppressed"]);
        if (lastYtd.hidden(groupKey.school, figure)) expect([label, row[5].kind, row[6].kind]).toEqual([label, "suppressed", "suppressed"]);
      }
      const severe = byLabel.get("Severe absence (% of pupils)")!;
      expect([severe[2].kind, severe[3].kind, severe[5].kind, severe[6].kind]).toEqual(["suppressed", "suppressed", "suppressed", "suppressed"]);
      // And the year's attendance is printed beside this year's, as the Overview gives it.
      expect(byLabel.get("Attendance")![5].kind).not.toBe("suppressed");
      // The headline's words too: last year's rate as the plan gives it.
      const figures = pack.sections.find((s) => s.id === "headline")!.blocks.find((b) => b.kind === "figures") as unknown as { items: Array<{ label: string; details: string[] }> };
      const ytd = figures.items.find((i) => i.label === "Attendance, year to date")!;
      const lastYearWords = ytd.details.find((d) => d.startsWith("Same period last year"));
      expect(lastYearWords).toBeDefined();
      expect(lastYearWords).not.toBe("Same period last year: withheld");
    });
  }, 600_000);

  // Before releaseRows the summer 2025 pack gave no figure: the year to date's plan (2024/25
  // to the end of Summer 2) withheld the school, and the pack had said "this term" where the
  // Overview gives the term's figures (fgb.ts schoolWithheldText). That year's plan now
  // publishes the school's row, so the pack prints the school's figures, as the Overview does.
  // The words for a pack whose year to date alone withholds the school need a register where
  // that still happens; none of the demo's packs is one now.
  it("prints the school's figures in the summer 2025 pack, whose term's and year to date's plans both publish the school's row", async () => {
    await withConnection(db, async (c) => {
      const periods = await fgbPeriods(c, "summer-2025", TODAY);
      const plans = await packSuppression(c, periods, 5);
      expect(plans.period.rowHidden(groupKey.school)).toBe(false);
      expect(plans.yearToDate.rowHidden(groupKey.school)).toBe(false);
      const pack = await buildFgbPack(c, { term: "summer-2025", today: TODAY });
      const words = JSON.stringify(pack.sections);
      expect(words).not.toMatch(/The school's figures for (?:this term|the year to date) are withheld from governors/);
      const headline = pack.sections.find((s) => s.id === "headline")!;
      expect(headline.blocks.some((b) => b.kind === "table")).toBe(true);
    });
  }, 600_000);
});
