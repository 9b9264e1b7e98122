/**
 * On a phone (390 px) a page starts with its figures, not a screen down (a fresh-clone trial:
 * the 16 section links wrapped to six rows and the Overview's filters took most of another
 * screen before the first figure). The navigation folds into a "Menu" naming the page open and
 * the filters into a line of the view in force, each a native <details> (app/lib/fold.ts) that
 * opens by keyboard and without JavaScript; at 1366 px both show as before. In real Chromium
 * on the demo school.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp, saveScreenshot, waitForPage } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

describe("the navigation and filters on a phone", () => {
  it("start the Overview with its first figure on the first screen; the menu opens by keyboard and goes to a section", async () => {
    const app = await openApp("/", { width: 390 });
    const { page } = app;
    await saveScreenshot(page, "phone-overview-folded");
    // The first headline figure's top within the 844 px screen (it was below 1,100 px).
    const top = await page.locator("main .tile").first().evaluate((el) => el.getBoundingClientRect().top);
    expect(top).toBeLessThan(844);
    // The menu names the page open; its links are hidden until it opens.
    const menu = page.locator("nav.site-nav summary");
    // Read as "Menu, this page: Overview" (the words between visually hidden).
    expect(await menu.textContent()).toBe("Menu, this page: Overview");
    const trends = page.locator("nav.site-nav").getByRole("link", { name: "Trends", exact: true });
    expect(await trends.isVisible()).toBe(false);
    // By keyboard: Tab to it, Enter opens it; a screen reader is told it is expanded.
    await menu.focus();
    await page.keyboard.press("Enter");
    expect(await page.locator("nav.site-nav details").evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true);
    expect(await trends.isVisible()).toBe(true);
    await saveScreenshot(page, "phone-overview-menu-open");
    // Escape from a link inside closes it and returns the focus to its summary (fresh-clone trial 50: it stayed open).
    const menuOpen = () => page.locator("nav.site-nav details").evaluate((el) => (el as HTMLDetailsElement).open);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.closest("nav.site-nav ul") !== null)).toBe(true);
    await page.keyboard.press("Escape");
    expect(await menuOpen()).toBe(false);
    expect(await trends.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("nav-menu");
    await saveScreenshot(page, "phone-overview-menu-escaped");
    // And Enter opens it again from there.
    await page.keyboard.press("Enter");
    expect(await menuOpen()).toBe(true);
    await trends.click();
    await waitForPage(page, (url) => url.pathname === "/trends");
    // The new page's menu names it, folded again.
    expect(await menu.textContent()).toContain("this page: Trends");
    expect(await trends.isVisible()).toBe(false);
    // The filters fold to the view in force; opened, they are the form as before.
    const filters = page.locator("details.period-picker-fold");
    expect((await filters.locator("summary").innerText()).replace(/\s+/g, " ")).toMatch(/^Showing \S.* · all pupils$/);
    const apply = filters.getByRole("button", { name: "Apply" });
    expect(await apply.isVisible()).toBe(false);
    await filters.locator("summary").click();
    expect(await apply.isVisible()).toBe(true);
    // Escape from a field inside folds the filters again, the focus on their summary.
    await page.locator("#filter-year_group").focus();
    await page.keyboard.press("Escape");
    expect(await apply.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.classList.contains("fold__summary") && document.activeElement.closest("details.period-picker-fold") !== null)).toBe(true);
    expect(app.consoleErrors).toEqual([]);
    await app.close();
  });

  it("open and navigate without JavaScript", async () => {
    const app = await openApp("/", { width: 390, javaScript: false });
    const { page } = app;
    expect(await page.locator("main .tile").first().evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(844);
    await page.locator("nav.site-nav summary").click();
    await page.locator("nav.site-nav").getByRole("link", { name: "Codes", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/codes");
    expect(await page.locator("nav.site-nav summary").textContent()).toContain("this page: Codes");
    await app.close();
  });

  it("fold the Casework page's filters too, to what the lists show (trial 49b: they took its whole first screen)", async () => {
    const app = await openApp("/casework", { width: 390 });
    const { page } = app;
    const filters = page.locator("details.period-picker-fold");
    expect((await filters.locator("summary").innerText()).replace(/\s+/g, " ")).toMatch(/^Showing every rule as of \d{1,2} \w{3} \d{4} · all pupils$/);
    const show = filters.getByRole("button", { name: "Show" });
    expect(await show.isVisible()).toBe(false);
    // The counts of each list are on the first screen.
    expect(await page.getByTestId("casework-counts").evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(844);
    await filters.locator("summary").click();
    expect(await show.isVisible()).toBe(true);
    await saveScreenshot(page, "phone-casework-filters-open");
    expect(app.consoleErrors).toEqual([]);
    await app.close();
    // Wide, the form shows as before, its summary hidden.
    const wide = await openApp("/casework");
    expect(await wide.page.locator("details.period-picker-fold summary").isVisible()).toBe(false);
    expect(await wide.page.getByTestId("casework-filters").getByRole("button", { name: "Show" }).isVisible()).toBe(true);
    await wide.close();
  });

  it("show the links and the filters as before at 1366 px", async () => {
    const app = await openApp("/");
    const { page } = app;
    expect(await page.locator("nav.site-nav summary").isVisible()).toBe(false);
    const links = page.locator("nav.site-nav a");
    expect(await links.count()).toBe(16);
    for (const link of await links.all()) expect(await link.isVisible()).toBe(true);
    // One row of links under the header as far as Casework, as before (the 11th).
    const tops = await links.evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top)));
    expect(new Set(tops.slice(0, 11)).size).toBe(1);
    expect(await page.locator("details.period-picker-fold summary").isVisible()).toBe(false);
    expect(await page.getByRole("button", { name: "Apply" }).isVisible()).toBe(true);
    expect(await page.locator("#filter-year_group").isVisible()).toBe(true);
    // Escape does not hide them: wide, a fold is a row, not a menu.
    await page.locator("#filter-year_group").focus();
    await page.keyboard.press("Escape");
    expect(await page.getByRole("button", { name: "Apply" }).isVisible()).toBe(true);
    expect(await links.first().isVisible()).toBe(true);
    await app.close();
  });
});
