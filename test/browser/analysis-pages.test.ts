/**
 * Trends, Codes and Patterns in real Chromium against the built app on the demo school
 * (today = 2026-11-23): each loads without console errors and shows figures; the grain
 * links and filters stay in the URL; code meanings are visible as well as on hover; the
 * calendar labels every day; bars drill down to the Pupils page.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp, saveScreenshot, waitForPage } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

const PCT = /^\d{1,3}\.\d%$/;

describe("Trends", () => {
  it("shows attendance by week and every academic year side by side", async () => {
    const app = await openApp("/trends");
    try {
      const { page } = app;
      await expect(page.locator("h1").first().textContent()).resolves.toBe("Trends");
      const weekly = page.locator("figure[data-chart='attendance-by-week']");
      await weekly.locator(".recharts-line").first().waitFor();
      await weekly.locator("summary").click();
      const first = await weekly.locator("tbody tr").first().locator("td").allTextContents();
      expect(first[0]).toMatch(/^w\/c \d+ \w{3} 2026$/);
      expect(first[1]).toMatch(PCT);
      // The demo school has three academic years: one line and one table column each.
      const historic = page.locator("figure[data-chart='attendance-by-school-week-per-year']");
      await expect(historic.locator("thead th").allTextContents()).resolves.toEqual(["School week", "2024/25", "2025/26", "2026/27"]);
      expect(await historic.locator(".recharts-line").count()).toBe(3);
      expect(await historic.locator(".chart__description").textContent()).toContain("Covers whole years (to today for 2026/27)");
      await saveScreenshot(page, "trends");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("tells a governor where the year-on-year lines stop (the end of the last half term that has ended, not today)", async () => {
    const app = await openApp("/trends", { as: "governor" });
    try {
      const historic = app.page.locator("figure[data-chart='attendance-by-school-week-per-year']");
      expect(await historic.locator(".chart__description").textContent()).toContain("Covers whole years (to 23 Oct 2026, the end of the last half term that has ended, for 2026/27)");
    } finally {
      await app.close();
    }
  });

  it("switches the grain by link and keeps it when the filters change", async () => {
    const app = await openApp("/trends?period=academic-year&year=2025/26");
    try {
      const { page } = app;
      await Promise.all([waitForPage(page, /by=half_term/), page.getByRole("link", { name: "Half term" }).click()]);
      const figure = page.locator("figure[data-chart='attendance-by-half_term']");
      await figure.locator("summary").click();
      await expect(figure.locator("tbody tr th, tbody tr td:first-child").allTextContents()).resolves.toEqual([
        "Autumn 1 2025",
        "Autumn 2 2025",
        "Spring 1 2026",
        "Spring 2 2026",
        "Summer 1 2026",
        "Summer 2 2026",
      ]);
      await page.selectOption("#filter-year_group", "4");
      await Promise.all([waitForPage(page, /year_group=4/), page.getByRole("button", { name: "Apply" }).click()]);
      await expect(page.getByTestId("resolved-period").textContent()).resolves.toContain("Year 4");
      const search = new URL(page.url()).searchParams;
      expect(search.get("by")).toBe("half_term");
      expect(search.get("year")).toBe("2025/26");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe("Codes", () => {
  it("lists every code used with its meaning shown in the table and on hover", async () => {
    const app = await openApp("/codes?period=academic-year&year=2025/26&by=month");
    try {
      const { page } = app;
      await expect(page.locator("h1").first().textContent()).resolves.toBe("Attendance codes");
      const table = page.getByTestId("codes-table");
      const illness = table.locator("tbody tr", { has: page.locator("abbr", { hasText: /^I$/ }) });
      await expect(illness.locator("abbr").getAttribute("title")).resolves.toBe("Illness (not medical or dental appointment)");
      const cells = await illness.locator("td").allTextContents();
      expect(cells[1]).toBe("Illness (not medical or dental appointment)");
      expect(cells[2]).toBe("Authorised absence");
      expect(Number(cells[3].replace(/,/g, ""))).toBeGreaterThan(0);
      expect(cells[4]).toMatch(PCT);
      // Shares of absence over the absence codes add up to the whole (to rounding).
      const shares = (await table.locator("tbody tr td:nth-child(5)").allTextContents()).filter((t) => t !== "—").map((t) => parseFloat(t));
      expect(shares.reduce((a, b) => a + b, 0)).toBeGreaterThan(99.4);
      expect(shares.reduce((a, b) => a + b, 0)).toBeLessThan(100.6);
      const stacked = page.locator("figure[data-chart='absence-codes-by-month']");
      await stacked.locator(".recharts-bar-rectangle").first().waitFor();
      await stacked.locator("summary").click();
      expect(await stacked.locator("tbody tr").count()).toBe(11); // September 2025 to July 2026
      // Every month of the academic year whole: no bar is said to be cut short.
      expect(await page.locator("figure", { hasText: "only partly in the period" }).count()).toBe(0);
      await saveScreenshot(page, "codes");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe("Patterns", () => {
  it("shows weekday and session bars, a labelled calendar with closures, and the lowest days", async () => {
    const app = await openApp("/patterns");
    try {
      const { page } = app;
      await expect(page.locator("h1").first().textContent()).resolves.toBe("Patterns");
      const weekday = page.locator("figure[data-chart='attendance-by-weekday']");
      await expect(weekday.getByRole("link").allTextContents()).resolves.toEqual([
        expect.stringMatching(/^Monday: \d+\.\d%$/),
        expect.stringMatching(/^Tuesday: /),
        expect.stringMatching(/^Wednesday: /),
        expect.stringMatching(/^Thursday: /),
        expect.stringMatching(/^Friday: /),
      ]);
      const calendar = page.getByTestId("calendar-heatmap");
      // Every school day is labelled with its date and figure, not colour alone.
      const firstDay = calendar.locator("td[data-date='2026-09-03'] a");
      await expect(firstDay.getAttribute("aria-label")).resolves.toMatch(/^Thursday 3 September 2026: \d+\.\d% attendance$/);
      await expect(firstDay.textContent()).resolves.toMatch(/^\d{1,3}\.\d$/);
      // The INSET days that opened the year are marked as closures with their reason.
      await expect(calendar.locator("td[aria-label^='Tuesday 1 September 2026']").getAttribute("aria-label")).resolves.toBe(
        "Tuesday 1 September 2026: closed (INSET day)",
      );
      await expect(page.getByTestId("closures").textContent()).resolves.toContain("Tue 1 Sep 2026 (INSET day)");
      // The ten lowest days, lowest first.
      const lowest = page.getByTestId("lowest-days").locator("tbody tr");
      expect(await lowest.count()).toBe(10);
      const figures = (await lowest.locator("td:nth-child(2)").allTextContents()).map((t) => parseFloat(t));
      expect([...figures].sort((a, b) => a - b)).toEqual(figures);
      // A school day's calendar cell agrees with the lowest-days table.
      const lowestDate = await lowest.first().locator("a").getAttribute("href");
      const date = new URLSearchParams(lowestDate!.split("?")[1]).get("drill")!.replace("date:", "");
      await expect(calendar.locator(`td[data-date='${date}'] a`).getAttribute("aria-label")).resolves.toContain(`${figures[0].toFixed(1)}% attendance`);
      await saveScreenshot(page, "patterns");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("drills down from a weekday bar to the Pupils page for that weekday", async () => {
    const app = await openApp("/patterns?period=term&sen=K");
    try {
      const { page } = app;
      const bars = page.locator("figure[data-chart='attendance-by-weekday'] .recharts-bar-rectangle");
      await bars.first().waitFor();
      expect(await bars.count()).toBe(5);
      await Promise.all([waitForPage(page, /\/pupils\?/), bars.nth(4).click()]);
      const search = new URL(page.url()).searchParams;
      expect(search.get("drill")).toBe("weekday:Friday");
      expect(search.get("period")).toBe("term");
      expect(search.get("sen")).toBe("K");
    } finally {
      await app.close();
    }
  });
});

describe("Codes over a period that cuts its weeks", () => {
  it("says which week's bars count only some of its school days (last month: October 2026 from Thursday 1st)", async () => {
    const app = await openApp("/codes?period=last-month");
    try {
      const { page } = app;
      const sentence =
        "One week is only partly in the period, so its bars count only the school days inside it: w/c 28 Sep 2026 (2 of its 5 school days).";
      for (const chart of ["absence-codes-by-week", "code-categories-by-week"]) {
        await expect(page.locator(`figure[data-chart='${chart}']`).textContent()).resolves.toContain(sentence);
        // The table (and its CSV) names each week with its year; the axis alone goes without (trial 54: "w/c 31 Aug").
        await expect(page.locator(`figure[data-chart='${chart}'] table tbody tr`).first().locator("td, th").first().textContent()).resolves.toBe("w/c 28 Sep 2026");
      }
      // A drawing is described or hidden from screen readers, never read as loose tick labels (trial 54).
      const areas = await page.locator(".chart__area").evaluateAll((els) => els.map((el) => el.getAttribute("aria-hidden") === "true" || (el.getAttribute("role") === "img" && Boolean(el.getAttribute("aria-label")))));
      expect(areas.length).toBeGreaterThan(1);
      expect(areas.every(Boolean)).toBe(true);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe("drill-down from codes and trends", () => {
  it("opens the pupils with a code, each of whom has that code in the period", async () => {
    const app = await openApp("/codes");
    const link = app.page.getByRole("link", { name: /^Pupils with code G:/ });
    await link.click();
    await waitForPage(app.page, /\/pupils\?.*drill=code%3AG/);
    expect(await app.page.getByTestId("pupils-scope").textContent()).toContain("with code G");
    const pupilLinks = app.page.locator("table a[href^='/pupils/']");
    const count = await pupilLinks.count();
    expect(count).toBeGreaterThan(0);
    // The first pupil listed has G among their codes in the same period.
    await pupilLinks.first().click();
    await waitForPage(app.page, /\/pupils\/[A-Z0-9]+/);
    const codeCells = await app.page.locator("table td abbr, table td .code, table td").allTextContents();
    expect(codeCells.some((text) => text.trim() === "G")).toBe(true);
    expect(app.consoleErrors).toEqual([]);
    await app.close();
  });

  it("opens the pupils behind a month of the trend", async () => {
    const app = await openApp("/trends?by=month");
    await app.page.getByText("Pupils behind each month").click();
    await app.page.getByRole("link", { name: /^Oct 2026:/ }).click();
    await waitForPage(app.page, /drill=month%3A2026-10/);
    expect(await app.page.getByTestId("pupils-scope").textContent()).toContain("October 2026");
    expect(app.consoleErrors).toEqual([]);
    await app.close();
  });
});
