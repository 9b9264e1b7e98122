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
      const notice = app.page.locator(".period-picker-fold + .notice");
      // A sentence, capitalised (a trial read "a custom range needs …" at the start of the notice).
      expect(await notice.textContent()).toContain("A custom range needs from and to dates (YYYY-MM-DD). Showing the year to date instead");
      expect(app.consoleErrors).toEqual([]);
      await app.close();
    });
  }
});

describe("an address that cannot be read", () => {
  // A fresh-clone trial typed period=half and year=2025-26: the pages showed the year to date
  // and said nothing, so the reader took it for the half term they asked for.
  for (const section of ["/", "/classes", "/pupils"]) {
    it(`says on ${section} what it did not understand and what it shows`, async () => {
      const app = await openApp(`${section}?period=half&sen=X`);
      const notice = app.page.locator(".period-picker-fold + .notice");
      const text = (await notice.textContent()) ?? "";
      expect(text).toContain('Not understood in the address: period "half" (expected one of this-week');
      expect(text).toContain('sen "X" (expected E for an EHC plan, K for SEN support or N for none)');
      expect(text).toContain("Showing 2026/27 to date.");
      expect(app.consoleErrors).toEqual([]);
      await app.close();
    });
  }

  it("opens Benchmarks on the academic year of a term carried in from another page, and says so", async () => {
    const app = await openApp("/benchmarks?period=term&term=autumn-2024");
    expect(await app.page.locator("#year").inputValue()).toBe("2024/25");
    expect(await app.page.getByTestId("benchmarks-notice").textContent()).toContain("showing 2024/25, the academic year of the period you chose (Autumn 2024), with its groups over Autumn 2024");
    // The groups are the term's (a fresh-clone trial found them on the year's default).
    expect(await app.page.locator("#groups").inputValue()).toBe("autumn-2024");
    expect(await app.page.getByTestId("benchmark-groups").locator("caption").textContent()).toContain("Autumn 2024");
    await saveScreenshot(app.page, "benchmarks-period-carried");
    await app.close();
  });

  it("answers a mistyped year on Benchmarks with the latest year and a notice, not an error page", async () => {
    const app = await openApp("/benchmarks?year=2025-27");
    expect(await app.page.locator("main h1").first().textContent()).toBe("Benchmarks");
    expect(await app.page.getByTestId("benchmarks-notice").textContent()).toContain('Not understood in the address: year "2025-27" (expected an academic year such as 2025/26 or 2025-26). Showing the latest year instead.');
    expect(app.consoleErrors).toEqual([]);
    await app.close();
  });
});

describe("a period the address names that is none: said once, with the reader's own choices", () => {
  // Interventions showed it twice (its own notice and the picker's); a governor was told the
  // periods staff choose from (this-week, custom …), which a governor cannot.
  for (const section of ["/", "/trends", "/codes", "/patterns", "/groups", "/classes", "/pupils", "/quality", "/interventions"]) {
    it(`${section}?period=half names it once`, async () => {
      const app = await openApp(`${section}?period=half`);
      const main = (await app.page.locator("main").innerText()) ?? "";
      expect(main.split('period "half"').length - 1).toBe(1);
      expect(await app.page.getByTestId("view-notice").textContent()).toContain('period "half" (expected one of this-week, last-week, this-month, last-month, half-term, term, ytd, academic-year, custom)');
      await app.close();
    });
  }
  for (const section of ["/", "/trends", "/groups", "/classes"]) {
    it(`a governor's ${section}?period=half lists the governor's periods only`, async () => {
      const app = await openApp(`${section}?period=half`, { as: "governor" });
      const main = (await app.page.locator("main").innerText()) ?? "";
      expect(main.split('period "half"').length - 1).toBe(1);
      expect(await app.page.getByTestId("view-notice").textContent()).toContain('period "half" (expected one of half-term, term, ytd, academic-year)');
      await app.close();
    });
  }
});
