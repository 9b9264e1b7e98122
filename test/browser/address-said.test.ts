/**
 * Typed addresses are said, not silently applied or dropped (session 16 trial leftover): the
 * notice is on the page a reader sees, for a drill-down to a year group the school does not
 * have and for a parameter given twice.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp, saveScreenshot } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

describe("a typed address the page could not use as given", () => {
  it("the Pupils page says a drill-down to year group 99 names no pupil of the school", async () => {
    const app = await openApp("/pupils?drill=year_group:99");
    try {
      const text = await app.page.locator("main").innerText();
      expect(text).toContain('Year group "99": no pupil of the school has one (the school\'s: Year 3, Year 4, Year 5, Year 6), so no pupil is listed.');
      await saveScreenshot(app.page, "address-drill-year-99");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("Trends says which of a parameter given twice it read, as head and as governor", async () => {
    for (const as of ["head", "governor"] as const) {
      const app = await openApp("/trends?by=week&by=month", { as });
      try {
        expect(await app.page.locator("main").innerText()).toContain('Given more than once in the address: by 2 times ("week", "month"). Only the first of each is read.');
        if (as === "governor") await saveScreenshot(app.page, "address-twice-trends-governor");
        expect(app.consoleErrors).toEqual([]);
      } finally {
        await app.close();
      }
    }
  });
});
