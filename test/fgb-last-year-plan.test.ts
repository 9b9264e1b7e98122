/**
 * Issue 13, cases 8–9 (a fresh-clone trial's finding): the FGB pack's last-year figures are
 * read through the plans of last year's spans, as the pages give them to a governor — a
 * figure the Overview withholds for 2024/25 is not printed beside this year's in the pack.
 * On the demo school (today 23 November 2026), the summer 2026 pack compares with summer 2025
 * and with 2024/25 to the end of Summer 2: the plans of those spans withhold the school's
 * severely absent count (and the year's whole row: analytics/governor-lattice.ts), which the
 * pack printed as 0.0 % before. A pack that gives no figure says which span's plan withholds
 * the school (it said "this term" where the Overview gives the term's figures).
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
}, 120_000);
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
      // What the pages withhold over those spans (the plan every page reads).
      expect(lastPeriod.hidden(groupKey.school, "sa_pupils")).toBe(true);
      expect(lastYtd.rowHidden(groupKey.school)).toBe(true);
      const pack = await buildFgbPack(c, { term: "summer-2026", today: TODAY });
      const table = pack.sections.find((s) => s.id === "headline")!.blocks.find((b) => b.kind === "table") as unknown as { table: { rows: Cell[][] } } | undefined;
      const rows = (table as unknown as { table?: { rows: Cell[][] }; rows?: Cell[][] })?.table?.rows ?? (table as unknown as { rows: Cell[][] }).rows;
      const byLabel = new Map(rows.map((r) => [String((r[0] as { text?: string; value?: string }).text ?? (r[0] as { value?: string }).value), r]));
      // Columns: measure, this term, same period last year, change, year to date, last year to date, change, …
      const severe = byLabel.get("Severe absence (% of pupils)")!;
      expect(severe[2].kind).toBe("suppressed");
      expect(severe[3].kind).toBe("suppressed");
      for (const label of ["Attendance", "Overall absence", "Persistent absence (% of pupils)", "Severe absence (% of pupils)", "Possible sessions"]) {
        const row = byLabel.get(label)!;
        expect([label, row[5].kind, row[6].kind]).toEqual([label, "suppressed", "suppressed"]);
      }
      // The headline's words too: no last year's rate beside a withheld one.
      const figures = pack.sections.find((s) => s.id === "headline")!.blocks.find((b) => b.kind === "figures") as unknown as { items: Array<{ label: string; details: string[] }> };
      const ytd = figures.items.find((i) => i.label === "Attendance, year to date")!;
      expect(ytd.details.find((d) => d.startsWith("Same period last year"))).toBe("Same period last year: withheld");
    });
  }, 120_000);

  it("names the span whose plan withholds the school when a pack gives no figure (summer 2025: its year to date, not the term)", async () => {
    await withConnection(db, async (c) => {
      const periods = await fgbPeriods(c, "summer-2025", TODAY);
      const plans = await packSuppression(c, periods, 5);
      // The term's school row is published (the Overview gives it for the term); the year to
      // date's (2024/25 to the end of Summer 2) is withheld.
      expect(plans.period.rowHidden(groupKey.school)).toBe(false);
      expect(plans.yearToDate.rowHidden(groupKey.school)).toBe(true);
      const pack = await buildFgbPack(c, { term: "summer-2025", today: TODAY });
      const words = JSON.stringify(pack.sections);
      expect(words).toContain("The school's figures for the year to date are withheld from governors");
      expect(words).toContain("The Overview withholds them for the year to date too.");
      expect(words).not.toContain("figures for this term are withheld");
    });
  }, 120_000);
});
