/**
 * The Benchmarks page on a phone (390 px), in real Chromium on the demo school (trial 50): every
 * row of a table repeated "for reference only: the published figure is for 2025/26 … — not the
 * same period, so no verdict". Now each column of a table says it in full once, in its first
 * row; the rows below with the same reason say "for reference only, as above: no verdict", and
 * the national figure's note ("No 2026/27 figure is published yet: …") likewise "As above.".
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp, saveScreenshot } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

describe("the Benchmarks page's caveats on a phone", () => {
  it("says why there is no verdict once down each column, not in every row", async () => {
    // The demo's year (2026/27) against the latest published figures (2025/26): no verdict.
    const app = await openApp("/benchmarks", { width: 390 });
    try {
      const table = app.page.getByTestId("benchmark-year");
      // Each row's caveats, column by column.
      const rows = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("[data-testid=comparison-caveat]")].map((el) => el.textContent ?? "")));
      expect(rows.length).toBeGreaterThan(1);
      const full = rows.flat().filter((words) => /not the same period, so no verdict/.test(words));
      // At least one in full, and no more than one a column.
      expect(full.length).toBeGreaterThan(0);
      expect(full.length).toBeLessThanOrEqual(rows[0].length);
      // The first row says it in full; the rows below, where the reason is the same, point up.
      expect(rows[0].some((words) => /for reference only: the published figure is for \d{4}\/\d{2}/.test(words))).toBe(true);
      expect(rows.slice(1).flat().some((words) => words.endsWith("for reference only, as above: no verdict"))).toBe(true);
      // The national figure's own note ("No 2026/27 figure is published yet: this is 2025/26's")
      // likewise: in full in the first row, "As above." below, never in full twice in a column.
      const notes = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("[data-testid=benchmark-note]")].map((el) => el.textContent ?? "")));
      const published = notes.flat().filter((words) => /figure is published yet/.test(words));
      expect(published.length).toBeGreaterThan(0);
      expect(published.length).toBeLessThanOrEqual(notes[0].length);
      expect(notes.slice(1).flat()).toContain("As above.");
      await saveScreenshot(app.page, "phone-benchmarks");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
