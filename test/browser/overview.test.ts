/**
 * The Overview in real Chromium against the built app on the demo school (today =
 * 2026-11-23, a Monday): headline figures without console errors, the period picker
 * changing the figures to the right ones, and the weekly chart's CSV download.
 *
 * Expected figures are read from the app itself in a different way (the weekly trend's CSV
 * for the year to date) rather than hard-coded, because the server holds the database open
 * and other browser tests may import into it first.
 */
import fs from "node:fs";
import type { Page } from "playwright-core";
import { parseCsvObjects } from "../helpers/csv.ts";
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp, saveScreenshot, waitForPage } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

async function downloadChartCsv(page: Page, chart: string): Promise<{ name: string; rows: Array<Record<string, string>> }> {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator(`figure[data-chart="${chart}"] button.chart__download`).click(),
  ]);
  const file = await download.path();
  return { name: download.suggestedFilename(), rows: parseCsvObjects(fs.readFileSync(file, "utf8")) };
}

const pct = (value: string) => `${Number(value).toFixed(1)}%`;

describe("Overview", () => {
  it("shows the five headline measures against target and last year, with no console errors", async () => {
    const app = await openApp("/");
    try {
      const { page } = app;
      await expect(page.locator("h1").first().textContent()).resolves.toBe("Attendance overview");
      await expect(page.getByTestId("resolved-period").textContent()).resolves.toContain("2026/27 to date: 1 Aug 2026 to 23 Nov 2026");
      for (const id of ["attendance", "authorised", "unauthorised", "pa", "sa"]) {
        await expect(page.getByTestId(`${id}-pct`).textContent()).resolves.toMatch(/^\d{1,3}\.\d%$/);
        // Each tile says how it compares with last year in words, not only colour.
        await expect(page.getByTestId(`tile-${id}`).textContent()).resolves.toMatch(/same period last year: [+−±]\d+\.\d pts, (better|worse|the same)/);
      }
      await expect(page.getByTestId("tile-attendance").textContent()).resolves.toMatch(/Target 96\.1%: (\d+\.\d+ pts (above|below) target|on target)/);
      // The chart is drawn after hydration, with the target line.
      await page.locator("figure[data-chart='weekly-attendance'] .recharts-line").first().waitFor();
      await expect(page.locator("figure[data-chart='weekly-attendance']").textContent()).resolves.toContain("Target 96.1%");
      // Monday 23 Nov: the chart's last point is this week, said so beside it and on its axis
      // (app/lib/recent.server.ts weekInProgress; trial 50 read a Monday morning's point as a week).
      const open = await page.evaluate(
        () => (window as unknown as { __remixContext: { state: { loaderData: Record<string, { weekInProgress: { monday: string; sessionsDue: number; sessions: number } | null }> } } }).__remixContext.state.loaderData["routes/_index"].weekInProgress,
      );
      // ROLLCALL_TODAY 2026-11-23 (midnight): no register of the week is due yet, but the demo holds the Monday's marks.
      expect(open).toEqual({ monday: "2026-11-23", sessionsDue: 0, sessions: 10 });
      await expect(page.locator("figure[data-chart='weekly-attendance']").textContent()).resolves.toContain(
        "The last point, the week beginning 23 Nov, is this week: its first registers are being taken, so it will move as the week goes on.",
      );
      await expect(page.locator("figure[data-chart='weekly-attendance'] .recharts-xAxis").textContent()).resolves.toContain("w/c 23 Nov (so far)");
      // Trends' weekly charts say it too (trial 51b: its last point read as a whole week there).
      await page.goto(new URL("/trends", page.url()).toString(), { waitUntil: "networkidle" });
      await expect(page.locator("main").textContent()).resolves.toContain("The last point, the week beginning 23 Nov, is this week: its first registers are being taken, so it will move as the week goes on.");
      await page.goto(new URL("/", page.url()).toString(), { waitUntil: "networkidle" });
      await expect(page.getByTestId("change-weeks").textContent()).resolves.toContain("Week beginning 16 Nov 2026");
      await expect(page.getByTestId("change-months").textContent()).resolves.toContain("November 2026 so far");
      // Pupils absent at least once grow with the span: November so far (16 school days to
      // Monday 23rd) is not compared with the whole of October; two whole weeks of 5 days are.
      type Span = { school_days: number };
      const changes = await page.evaluate(
        () => (window as unknown as { __remixContext: { state: { loaderData: Record<string, { changes: Record<"weeks" | "months", { latest: Span; previous: Span }> }> } } }).__remixContext.state.loaderData["routes/_index"].changes,
      );
      expect(changes.months.latest.school_days).toBe(16);
      expect(changes.months.previous.school_days).not.toBe(16);
      await expect(page.getByTestId("change-months").getByTestId("not-compared").textContent()).resolves.toBe(`not compared: 16 school days against ${changes.months.previous.school_days}`);
      expect([changes.weeks.latest.school_days, changes.weeks.previous.school_days]).toEqual([5, 5]);
      expect(await page.getByTestId("change-weeks").getByTestId("not-compared").count()).toBe(0);
      await saveScreenshot(page, "overview");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("downloads the weekly trend as CSV holding exactly the rows in its table", async () => {
    const app = await openApp("/");
    try {
      const { page } = app;
      const { name, rows } = await downloadChartCsv(page, "weekly-attendance");
      // Named with the period and whom it is for (analytics/download-names.ts).
      expect(name).toMatch(/^weekly-attendance_\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}_staff\.csv$/);
      const figure = page.locator("figure[data-chart='weekly-attendance']");
      await figure.locator("summary").click();
      const tableRows = figure.locator("tbody tr");
      expect(rows.length).toBeGreaterThan(10);
      expect(await tableRows.count()).toBe(rows.length);
      // Rates to one decimal, each beside its exact numerator and denominator (issue 13, case 14).
      expect(Object.keys(rows[0])).toEqual([
        "Week beginning",
        "Attendance %",
        "Attendance: sessions attended",
        "Attendance: possible sessions",
        "Absence %",
        "Absence: sessions absent",
        "Absence: possible sessions",
        "Possible sessions",
        // Always there, empty where no week is withheld: the header never depends on the rows.
        "Withheld for governors",
      ]);
      expect(rows.every((row) => row["Withheld for governors"] === "")).toBe(true);
      // On screen only when a week is withheld: the table's four columns.
      expect(await figure.locator("thead th").allTextContents()).toEqual(["Week beginning", "Attendance", "Absence", "Possible sessions"]);
      // Row by row: the table's rounded figures are the CSV's exact ones.
      for (const [index, row] of rows.entries()) {
        const cells = await tableRows.nth(index).locator("td").allTextContents();
        expect(cells[1]).toBe(pct(row["Attendance %"]));
        expect(Number(row["Attendance: sessions attended"]) / Number(row["Attendance: possible sessions"])).toBeCloseTo(Number(row["Attendance %"]) / 100, 3);
        expect(cells[3].replace(/,/g, "")).toBe(row["Possible sessions"]);
      }
      expect(rows[0]["Week beginning"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("changes the figures when the period picker chooses last week", async () => {
    const app = await openApp("/");
    try {
      const { page } = app;
      // What last week (16–20 Nov 2026) should show: the weekly trend's own figure for it.
      const { rows } = await downloadChartCsv(page, "weekly-attendance");
      const lastWeek = rows.find((row) => row["Week beginning"] === "2026-11-16");
      expect(lastWeek).toBeDefined();
      const yearToDate = await page.getByTestId("attendance-pct").textContent();

      await page.selectOption("#filter-period", "last-week");
      await Promise.all([waitForPage(page, /period=last-week/), page.getByRole("button", { name: "Apply" }).click()]);
      await expect(page.getByTestId("resolved-period").textContent()).resolves.toContain("Last week: 16 Nov 2026 to 20 Nov 2026");
      const shown = await page.getByTestId("attendance-pct").textContent();
      expect(shown).toBe(pct(lastWeek!["Attendance %"]));
      expect(shown).not.toBe(yearToDate);
      // The period inside a sentence is lowered (trial 51: "Attendance week by week, This week").
      await expect(page.locator("figure[data-chart='weekly-attendance']").textContent()).resolves.toContain("Attendance week by week, last week");
      // The view is in the URL without empty filters: bookmarkable.
      expect(new URL(page.url()).search).toBe("?period=last-week");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("keeps filters in the URL, reads them on load, and says which pupils are shown", async () => {
    const app = await openApp("/?period=term&year_group=5&sen=N&bogus=1&fsm=maybe");
    try {
      const { page } = app;
      await expect(page.getByTestId("resolved-period").textContent()).resolves.toMatch(/Autumn 2026: \d+ Sep 2026 to 23 Nov 2026 · pupils: Year 5, No SEN/);
      await expect(page.locator("#filter-year_group").inputValue()).resolves.toBe("5");
      await expect(page.locator("#filter-fsm").inputValue()).resolves.toBe("");
      const filtered = await page.getByTestId("attendance-pct").textContent();
      await page.selectOption("#filter-year_group", "");
      await page.selectOption("#filter-sen", "");
      await Promise.all([waitForPage(page, (url) => !url.search.includes("year_group")), page.getByRole("button", { name: "Apply" }).click()]);
      await expect(page.getByTestId("resolved-period").textContent()).resolves.toContain("all pupils");
      expect(await page.getByTestId("attendance-pct").textContent()).not.toBe(filtered);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("says so, without NaN, for a period with no school days", async () => {
    const app = await openApp("/?period=custom&from=2026-08-03&to=2026-08-07");
    try {
      const { page } = app;
      await expect(page.getByTestId("no-marks").textContent()).resolves.toContain("There are no register marks for 3 Aug 2026 – 7 Aug 2026. Choose another period.");
      // No pupil filter is set: fewer filters is no advice (trial 50).
      expect(await page.getByTestId("no-marks").textContent()).not.toContain("filters");
      expect(await page.locator("main").textContent()).not.toContain("NaN");
      await saveScreenshot(page, "overview-no-marks");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
