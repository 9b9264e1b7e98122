/**
 * Charts and cards that do not mislead (issue 13, "charts and lists that do not mislead"), on
 * the demo school:
 * - a figure withheld from governors never reads as "no data" or as zero: the Overview's
 *   severe-absence card and its last-year comparison say "withheld"; the Groups page's charts
 *   keep every group, with "withheld" standing where a withheld bar would be (no "No figures
 *   for this period"); the charts' CSVs write "withheld" in every withheld cell, none empty;
 * - every bar chart's value axis starts at 0; a line chart whose axis does not says so.
 */
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp, saveScreenshot, type AppPage } from "../helpers/browser.ts";
import { parseCsv } from "../helpers/csv.ts";

afterAll(() => closeBrowser());

async function downloads(app: AppPage, selector: string): Promise<Array<{ name: string; rows: string[][] }>> {
  const buttons = app.page.locator(selector);
  const files: Array<{ name: string; rows: string[][] }> = [];
  for (let i = 0; i < (await buttons.count()); i++) {
    const [download] = await Promise.all([app.page.waitForEvent("download", { timeout: 60_000 }), buttons.nth(i).click()]);
    files.push({ name: download.suggestedFilename(), rows: parseCsv(fs.readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "")) });
  }
  return files;
}

describe("a withheld figure reads as withheld", () => {
  it("the Overview's severe-absence card, and its comparison with last year, say withheld — not '—' or 'no figure'", async () => {
    const app = await openApp("/", { as: "governor" });
    try {
      // The demo's severely absent pupils are fewer than 5, this year and last.
      const card = app.page.getByTestId("tile-sa");
      const text = await card.innerText();
      expect(text).toMatch(/Withheld/);
      expect(text).toMatch(/Same period last year: withheld · not compared/);
      expect(text).not.toMatch(/No figure|—/);
      await card.screenshot({ path: "test-results/screenshots/withheld-overview-sa-card.png" });
    } finally {
      await app.close();
    }
  });

  it("the Overview says its weeks are withheld, rather than drawing a chart of empty points", async () => {
    // The governors' default period (Autumn 1 2026) has a day with 1 to 4 pupils absent: each of its weeks is withheld.
    const app = await openApp("/", { as: "governor" });
    try {
      const notice = app.page.getByTestId("weeks-withheld");
      expect(await notice.innerText()).toMatch(/^Attendance week by week over .+ is withheld for governors: in a half term of this period a day had 1 to 4 pupils absent, and its weeks would let that day's figures be worked out/);
      expect(await app.page.locator("figure[data-chart='weekly-attendance']").count()).toBe(0);
      await notice.screenshot({ path: "test-results/screenshots/withheld-overview-weeks.png" });
    } finally {
      await app.close();
    }
  });

  it("Trends says its weeks are withheld, rather than drawing two charts of 'withheld' labels under an axis note (trial19b)", async () => {
    // The governors' default period (Autumn 1 2026), by week, as on the Overview: every week withheld.
    const app = await openApp("/trends", { as: "governor" });
    try {
      const notice = app.page.getByTestId("slices-withheld");
      expect(await notice.innerText()).toMatch(/^Attendance and absence week by week over .+ is withheld for governors: in a half term of this period a day had 1 to 4 pupils absent, and its weeks would let that day's figures be worked out/);
      // The year-on-year chart alone: no weekly attendance or absence chart of withheld labels.
      expect(await app.page.locator("main figure").count()).toBe(1);
      expect(await app.page.locator("main figure").innerText()).not.toMatch(/^Attendance by week|^Absence by week/);
      await notice.screenshot({ path: "test-results/screenshots/withheld-trends-weeks.png" });
    } finally {
      await app.close();
    }
    // Staff see the weeks.
    const head = await openApp("/trends", { as: "head" });
    try {
      expect(await head.page.getByTestId("slices-withheld").count()).toBe(0);
    } finally {
      await head.close();
    }
  });

  it("the Groups page keeps every group on its charts, with 'withheld' in place of each withheld bar", async () => {
    const app = await openApp("/groups", { as: "governor" });
    try {
      const main = await app.page.locator("main").innerText();
      expect(main).not.toMatch(/No figures for this period/);
      for (const dimension of ["lac", "ethnicity"]) {
        const figure = app.page.locator(`figure[data-chart=groups-${dimension}]`);
        // Every group of the table is on the chart's axis, and each of its bars says "withheld".
        const groups = await app.page.locator(`[data-testid=groups-${dimension}] tbody tr`).count();
        const withheldRows = await app.page.locator(`[data-testid=groups-${dimension}] tbody tr td.suppressed[colspan]`).count();
        expect(withheldRows, dimension).toBeGreaterThan(0);
        expect(await figure.locator(".recharts-xAxis .recharts-cartesian-axis-tick").count(), dimension).toBe(groups);
        // Two marks for each wholly withheld group (absence and PA bars), one more for each group
        // whose PA alone the plan withholds (analytics/governor-lattice.ts), never more than bars.
        const marks = await figure.locator("[data-testid=withheld-mark]").count();
        expect(marks, dimension).toBeGreaterThanOrEqual(2 * withheldRows);
        expect(marks, dimension).toBeLessThanOrEqual(2 * groups);
      }
      // SEN: the groups are shown but their persistent absence is withheld: a mark, not a missing bar.
      const sen = app.page.locator("figure[data-chart=groups-sen]");
      expect(await sen.locator("[data-testid=withheld-mark]").count()).toBeGreaterThan(0);
      await expect(sen.locator("[data-testid=withheld-mark] title").first().textContent()).resolves.toMatch(/^Withheld for governors/);
      await app.page.locator("figure[data-chart=groups-ethnicity]").screenshot({ path: "test-results/screenshots/withheld-groups-ethnicity-chart.png" });
      await app.page.locator("figure[data-chart=groups-sen]").screenshot({ path: "test-results/screenshots/withheld-groups-sen-chart.png" });
      await saveScreenshot(app.page, "withheld-groups-governor");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  for (const path of ["/groups", "/classes"]) {
    it(`${path}: the governor's chart CSVs write every withheld cell as withheld, and leave none empty`, async () => {
      const app = await openApp(path, { as: "governor" });
      try {
        const files = await downloads(app, ".chart__download");
        expect(files.length).toBeGreaterThan(0);
        let withheldCells = 0;
        for (const { name, rows } of files) {
          const [header, ...body] = rows;
          for (const row of body) {
            row.forEach((value, i) => {
              expect(value, `${name}: ${row[0]} ${header[i]}`).not.toBe("");
              if (/^withheld\b/.test(value)) withheldCells++;
            });
          }
        }
        expect(withheldCells).toBeGreaterThan(0);
      } finally {
        await app.close();
      }
    });
  }
});

describe("Codes for a governor", () => {
  it("a withheld reason's share of absence reads withheld, never a dash (trial20b)", async () => {
    let withheldRows = 0;
    for (const period of ["?period=autumn-2024", "?period=autumn-2025", ""]) {
      const app = await openApp(`/codes${period}`, { as: "governor" });
      try {
        const rows = app.page.locator("[data-testid=codes-table] tbody tr:has([data-testid=withheld])");
        for (let i = 0; i < (await rows.count()); i++) {
          withheldRows++;
          await expect(rows.nth(i).getByTestId("withheld-share").innerText()).resolves.toMatch(/^withheld/);
          expect(await rows.nth(i).innerText()).not.toContain("—");
        }
      } finally {
        await app.close();
      }
    }
    expect(withheldRows).toBeGreaterThan(0);
  });
});

describe("chart axes", () => {
  const PAGES = ["/", "/trends?by=week", "/trends?by=term", "/codes", "/patterns", "/groups", "/classes"];
  for (const path of PAGES) {
    it(`${path}: bars start at 0; a line chart's cut axis is said in words`, async () => {
      const app = await openApp(path);
      try {
        const figures = app.page.locator("figure.chart");
        for (let i = 0; i < (await figures.count()); i++) {
          const figure = figures.nth(i);
          const name = await figure.getAttribute("data-chart");
          if ((await figure.locator(".recharts-surface").count()) === 0) continue;
          const ticks = (await figure.locator(".recharts-yAxis .recharts-cartesian-axis-tick-value").allTextContents()).map((t) => Number(t.replace(/[%,]/g, "")));
          const lowest = Math.min(...ticks);
          const bars = await figure.locator(".recharts-bar").count();
          if (bars > 0) expect(lowest, `${name}: bars start at 0`).toBe(0);
          else if (lowest > 0) await expect(figure.getByTestId("axis-cut").innerText(), `${name}: says the axis is cut`).resolves.toMatch(new RegExp(`starts at ${lowest}%, not 0`));
        }
        if (path === "/trends?by=week") await figures.last().screenshot({ path: "test-results/screenshots/axis-cut-year-on-year.png" });
        if (path === "/patterns") await figures.first().screenshot({ path: "test-results/screenshots/axis-zero-weekday.png" });
      } finally {
        await app.close();
      }
    });
  }
});
