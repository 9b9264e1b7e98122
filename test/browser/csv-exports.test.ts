/**
 * Every CSV a page builds (issue 13, case 14) — each chart's "Download CSV" on the Overview,
 * Trends (every grain), Codes, Patterns, Groups, Year groups & classes and a pupil's page, the
 * pupil list and casework — gives each percentage to one decimal beside its exact numerator
 * and denominator, and the percentage is that fraction rounded. (The benchmark report's CSV
 * is tested with the benchmarks.)
 */
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp } from "../helpers/browser.ts";
import { parseCsv } from "../helpers/csv.ts";

afterAll(() => closeBrowser());

/** Checks one CSV: every "%" column is one decimal, followed by its numerator and denominator. */
function checkRates(name: string, text: string): number {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ""));
  let rates = 0;
  header.forEach((label, i) => {
    if (!label.endsWith("%")) return;
    rates++;
    expect(header[i + 1], `${name}: ${label} is followed by its numerator`).toMatch(/: (sessions|pupils|authorised|unauthorised)/);
    expect(header[i + 2], `${name}: ${label} is followed by its denominator`).toMatch(/: (possible sessions|pupils)$/);
    for (const row of rows) {
      const [value, numerator, denominator] = [row[i], row[i + 1], row[i + 2]];
      if (value === "") continue;
      expect(value, `${name}: ${label}`).toMatch(/^\d+\.\d$/);
      expect(Number((Math.round((1000 * Number(numerator)) / Number(denominator)) / 10).toFixed(1)), `${name}: ${label} ${numerator}/${denominator}`).toBeCloseTo(Number(value), 1);
    }
  });
  return rates;
}

async function downloadsOn(path: string, selector: string, as: "head" | "governor" = "head"): Promise<Array<{ name: string; text: string }>> {
  const app = await openApp(path, { as });
  try {
    const buttons = app.page.locator(selector);
    const count = await buttons.count();
    const files: Array<{ name: string; text: string }> = [];
    for (let i = 0; i < count; i++) {
      const [download] = await Promise.all([app.page.waitForEvent("download", { timeout: 60_000 }), buttons.nth(i).click()]);
      files.push({ name: `${path} ${download.suggestedFilename()}`, text: fs.readFileSync((await download.path())!, "utf8") });
    }
    return files;
  } finally {
    await app.close();
  }
}

describe("CSV downloads", () => {
  const CHART_PAGES = ["/", "/trends?by=week", "/trends?by=term", "/trends?by=academic_year", "/codes", "/patterns", "/groups", "/classes"];
  for (const path of CHART_PAGES) {
    it(`${path}: every chart's CSV gives rates to one decimal with numerator and denominator`, async () => {
      const files = await downloadsOn(path, ".chart__download");
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) checkRates(file.name, file.text);
      // The charts whose rows a governor may find withheld say so in a column of their own,
      // present whatever the rows (the staff's files: empty), so the header never changes with them.
      const withWithheld = files.filter((f) => /(weekly-attendance|(attendance|absence)-by-(week|month|half-term|term|academic-year)_|absence-codes-by-|code-categories-by-)/.test(f.name));
      if (path === "/" || path === "/codes" || path.startsWith("/trends")) expect(withWithheld.length, path).toBeGreaterThan(0);
      for (const file of withWithheld) {
        const [header, ...rows] = parseCsv(file.text.replace(/^\uFEFF/, "")).filter((r) => r.length > 1);
        expect(header.at(-1), file.name).toBe("Withheld for governors");
        expect(rows.every((row) => row.at(-1) === ""), file.name).toBe(true);
      }
    });
  }

  it("the pupil list, a pupil's page and casework do too", async () => {
    const pupils = await downloadsOn("/pupils", "[data-testid=pupils-csv]");
    expect(checkRates("pupils", pupils[0].text)).toBe(3);
    const list = await openApp("/pupils");
    const href = await list.page.locator("[data-testid=pupil-table] tbody a[href^='/pupils/']").first().getAttribute("href");
    await list.close();
    for (const file of await downloadsOn(href!, ".chart__download")) expect(checkRates(file.name, file.text)).toBeGreaterThan(0);
    const casework = await downloadsOn("/casework", "[data-testid=casework-csv]");
    expect(checkRates("casework", casework[0].text)).toBe(2);
    // No unrounded figure anywhere.
    expect(casework[0].text).not.toMatch(/\d\.\d{2,}/);
  });

  it("names each file by its page's period and filters and whom it is for, so no two different files share a name (fresh-clone trial, session 17)", async () => {
    const fileName = (file: { name: string }) => file.name.split(" ").at(-1)!;
    const head = (await downloadsOn("/patterns", ".chart__download")).map(fileName);
    const governor = (await downloadsOn("/patterns", ".chart__download", "governor")).map(fileName);
    // The governor's figures withhold small groups: their files never take the head's names.
    expect(head.every((name) => /^attendance-by-[a-z]+_\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}_staff\.csv$/.test(name)), head.join(", ")).toBe(true);
    expect(governor.every((name) => name.endsWith("_governors.csv")), governor.join(", ")).toBe(true);
    expect(head.filter((name) => governor.includes(name))).toEqual([]);
    // A filtered view's file is named with its filter; the Pupils list's too.
    const filtered = (await downloadsOn("/patterns?fsm=Y", ".chart__download")).map(fileName);
    expect(filtered.every((name) => name.includes("_fsm-y_staff.")), filtered.join(", ")).toBe(true);
    // The order the list applied names it; the usual order (name, A to Z) adds nothing (trial 24).
    const pupils = (await downloadsOn("/pupils?fsm=Y&sort=attendance_pct", "[data-testid=pupils-csv]")).map(fileName);
    expect(pupils[0]).toMatch(/^pupils_\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}_fsm-y_sort-attendance-pct_dir-desc\.csv$/);
  });
});
