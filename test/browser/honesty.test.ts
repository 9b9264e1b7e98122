/**
 * Issue 13 in real Chromium: a proper page for an address that does not exist (case 15),
 * the definitions page linked from every page's "How is this calculated?" (case 15), and
 * the Pupils filters named by their edge (case 12). Screenshots are kept.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp, saveScreenshot, waitForPage } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

describe("pages that explain themselves", () => {
  it("answers an unknown address with a page-not-found page, not the router's error", async () => {
    const app = await openApp("/nonexistent");
    expect((await app.page.locator("main h1").textContent())?.trim()).toBe("Page not found");
    const body = (await app.page.locator("main").textContent()) ?? "";
    expect(body).toContain("There is no page at /nonexistent");
    expect(body).not.toContain("No route matches");
    expect(body).not.toContain("Error:");
    await saveScreenshot(app.page, "honesty-404");
    await app.close();
  });

  it("links every page to the definitions, which give codes, measures, population and suppression", async () => {
    for (const section of ["/", "/groups", "/pupils", "/benchmarks", "/packs"]) {
      const app = await openApp(section);
      expect(await app.page.locator('[data-testid="how-calculated"]').getAttribute("href")).toBe("/definitions");
      await app.close();
    }
    const app = await openApp("/definitions");
    const text = (await app.page.locator('[data-testid="definitions"]').textContent()) ?? "";
    for (const heading of ["Sessions and codes", "Measures", "Population for comparisons with published figures", "Withheld figures (governors)"]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain("aged 5 to 15 on 31 August");
    // The code list is the catalogue the figures use.
    expect(await app.page.locator("table.data tbody tr").count()).toBeGreaterThan(40);
    expect(app.consoleErrors).toEqual([]);
    await saveScreenshot(app.page, "honesty-definitions");
    await app.close();
  });

  it("offers persistent and severe absence as Pupils filters, named with their edge", async () => {
    const app = await openApp("/pupils");
    const options = await app.page.locator("#pupil-below option").allTextContents();
    expect(options).toContain("Persistently absent (attendance 90% or below)");
    expect(options).toContain("Attendance under 90% (90% exactly not included)");
    const total = Number(await app.page.getByTestId("pupils-count").getAttribute("data-total"));
    await app.page.selectOption("#pupil-below", "pa");
    await app.page.click("[data-testid=pupil-list-show]");
    await waitForPage(app.page, (url) => url.searchParams.get("attendance") === "pa");
    const flagged = Number(await app.page.getByTestId("pupils-count").getAttribute("data-total"));
    expect(flagged).toBeGreaterThan(0);
    expect(flagged).toBeLessThan(total);
    // Listed by persistent absence already, the count line says it once (it read "…: persistently
    // absent (attendance 90% or below); 27 persistently absent.").
    const line = await app.page.getByTestId("pupils-count").innerText();
    expect(line.match(/persistently absent/gi)?.length).toBe(1);
    expect(await app.page.getByTestId("pupils-pa").count()).toBe(0);
    // Every pupil listed on the page carries the PA or SA flag.
    const shown = await app.page.locator('[data-testid="pupil-table"] tbody tr').count();
    expect(shown).toBe(Math.min(50, flagged));
    expect(await app.page.locator('[data-testid="pupil-table"] tbody tr .tag').count()).toBe(shown);
    await saveScreenshot(app.page, "honesty-pupils-pa-filter");
    await app.close();
  });
});
