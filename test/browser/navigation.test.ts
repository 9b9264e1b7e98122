/**
 * Every section of the service, reached through the site navigation in real Chromium,
 * answers with its page, a heading and no console errors; a screenshot of each is kept.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp, saveScreenshot } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

const SECTIONS = [
  "/",
  "/trends",
  "/codes",
  "/patterns",
  "/groups",
  "/classes",
  "/pupils",
  "/benchmarks",
  "/packs",
  "/quality",
  "/casework",
  "/interventions",
  "/early-warning",
  "/import",
  "/settings",
  "/audit",
];

describe("navigation", () => {
  // As the head (openApp's default): every section but Users, which is the admin's alone.
  it("links to every section from the header navigation", async () => {
    const app = await openApp("/");
    const hrefs = await app.page.locator("nav.site-nav a").evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
    expect(hrefs).toEqual(SECTIONS);
    await app.close();
  });

  for (const section of SECTIONS) {
    it(`shows ${section} without errors`, async () => {
      const app = await openApp(section);
      const heading = await app.page.locator("main h1").first().textContent();
      expect(heading?.trim().length).toBeGreaterThan(0);
      expect(await app.page.locator("text=Application Error").count()).toBe(0);
      expect(app.consoleErrors).toEqual([]);
      await saveScreenshot(app.page, `section${section === "/" ? "-overview" : section.replace(/\//g, "-")}`);
      await app.close();
    });
  }
});

describe("a period that cannot be used", () => {
  for (const section of ["/", "/groups", "/pupils"]) {
    it(`explains on ${section} why it shows the year to date instead`, async () => {
      // A custom range with its end date missing.
      const app = await openApp(`${section}?period=custom&from=2026-11-01`);
      const notice = app.page.locator(".period-picker + .notice");
      expect(await notice.textContent()).toContain("Showing the year to date instead");
      expect(app.consoleErrors).toEqual([]);
      await app.close();
    });
  }
});
