/**
 * Issue 13, case 9, on screen: a governor's period picker offers only whole half terms that
 * have ended and the terms, years and years to date made of them, and a URL asking for any
 * other span is answered on the server with the nearest of them and a notice saying so
 * (analytics/governor-periods.ts, app/lib/view.server.ts). Staff keep every period.
 * The demo school on 23 November 2026: Autumn 1 2026 (3 September – 23 October) has ended,
 * Autumn 2 (from 2 November) has not.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp, saveScreenshot, waitForPage } from "../helpers/browser.ts";

afterAll(closeBrowser);

/** The options of a select, as shown. */
const optionsOf = (app: Awaited<ReturnType<typeof openApp>>, id: string) => app.page.locator(`#${id} option`).allInnerTexts();

describe("a governor's period picker", () => {
  it("offers half terms, terms, years to date and academic years only, each ending at the end of a half term that has ended", async () => {
    const app = await openApp("/", { as: "governor" });
    try {
      expect(await optionsOf(app, "filter-period")).toEqual(["Half term", "Term", "Year to date", "Academic year"]);
      // By default the year to date, to the end of Autumn 1 (not to today).
      expect(await app.page.getByTestId("resolved-period").innerText()).toContain("2026/27 to the end of Autumn 1: 1 Aug 2026 to 23 Oct 2026");
      expect((await optionsOf(app, "filter-governor-period"))[0]).toBe("2026/27 to the end of Autumn 1");
      await app.page.selectOption("#filter-period", "half-term");
      const halfTerms = await optionsOf(app, "filter-governor-period");
      expect(halfTerms[0]).toBe("Autumn 1 2026");
      expect(halfTerms).not.toContain("Autumn 2 2026");
      expect(halfTerms).toContain("Summer 2 2026");
      await app.page.selectOption("#filter-period", "term");
      expect((await optionsOf(app, "filter-governor-period"))[0]).toBe("Autumn 2026, to the end of Autumn 1");
      await saveScreenshot(app.page, "governor-period-picker");
      // Choosing one: the URL names it, and the page shows it.
      await app.page.selectOption("#filter-period", "half-term");
      await app.page.selectOption("#filter-governor-period", "summer-2-2026");
      await app.page.getByRole("button", { name: "Apply" }).click();
      await waitForPage(app.page, (url) => url.searchParams.get("half") === "summer-2-2026");
      expect(new URL(app.page.url()).searchParams.get("period")).toBe("half-term");
      expect(await app.page.getByTestId("resolved-period").innerText()).toContain("Summer 2 2026: 1 Jun 2026 to 20 Jul 2026");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("a URL asking for a custom day range gets the half term holding its end, and says so", async () => {
    const app = await openApp("/?period=custom&from=2026-09-07&to=2026-09-08", { as: "governor" });
    try {
      const notice = await app.page.getByTestId("view-notice").innerText();
      expect(notice).toContain("Governors see whole half terms, terms and academic years that have ended");
      expect(notice).toContain("Not applied: Period (7 Sep 2026 – 8 Sep 2026). Showing Autumn 1 2026 instead.");
      expect(await app.page.getByTestId("resolved-period").innerText()).toContain("Autumn 1 2026: 3 Sep 2026 to 23 Oct 2026");
      // "What changed": the last two half terms, not weeks or months.
      await app.page.getByTestId("change-half-terms").waitFor();
      expect(await app.page.getByTestId("change-weeks").count()).toBe(0);
      await saveScreenshot(app.page, "governor-custom-range-refused");
    } finally {
      await app.close();
    }
  });

  it("'What changed' for Year 3 across the summer says it compares different pupils (trial 16a)", async () => {
    const app = await openApp("/?year_group=3", { as: "governor" });
    try {
      const table = app.page.getByTestId("change-half-terms");
      await table.waitFor();
      const said = await table.getByTestId("change-population").innerText();
      expect(said).toBe(
        "Year 3 in Summer 2 2026 and Year 3 in Autumn 1 2026 are different pupils: the two periods are in different academic years, and pupils move up a year each September. This compares the group, not the same children.",
      );
      // The cards' "same period last year" likewise.
      expect(await app.page.getByTestId("last-year-group").innerText()).toContain("Last year's Year 3 are other pupils than this year's");
      await table.scrollIntoViewIfNeeded();
      await saveScreenshot(app.page, "governor-change-year-3");
    } finally {
      await app.close();
    }
  });

  it("a half term not yet ended (Autumn 2 2026) is not given either", async () => {
    const app = await openApp("/trends?period=half-term&half=autumn-2-2026", { as: "governor" });
    try {
      expect(await app.page.getByTestId("view-notice").innerText()).toContain("Not applied: Half term (Autumn 2 2026), not among the half terms governors can choose. Showing Autumn 1 2026 instead.");
      expect(await app.page.getByTestId("resolved-period").innerText()).toContain("Autumn 1 2026");
    } finally {
      await app.close();
    }
  });
});

describe("staff's period picker", () => {
  it("is unchanged: weeks, months and custom ranges as before", async () => {
    const app = await openApp("/?period=custom&from=2026-09-07&to=2026-09-08", { as: "head" });
    try {
      expect(await optionsOf(app, "filter-period")).toEqual(["This week", "Last week", "This month", "Last month", "This half term", "This term", "Year to date", "Academic year", "Custom range"]);
      // A custom range's heading says its dates once (it read "7 Sep 2026 – 8 Sep 2026: 7 Sep 2026 to 8 Sep 2026").
      expect(await app.page.getByTestId("resolved-period").innerText()).toBe("Showing 7 Sep 2026 – 8 Sep 2026 · all pupils");
      expect(await app.page.getByTestId("view-notice").count()).toBe(0);
    } finally {
      await app.close();
    }
  });
});
