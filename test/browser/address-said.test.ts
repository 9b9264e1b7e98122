/**
 * Typed addresses are said, not silently applied or dropped (session 16 trial leftover): the
 * notice is on the page a reader sees, for a drill-down to a year group the school does not
 * have and for a parameter given twice.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, fetchAs, openApp, saveScreenshot } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

describe("a typed address the page could not use as given", () => {
  it("the Pupils page says a drill-down to year group 99 names no pupil of the school", async () => {
    const app = await openApp("/pupils?drill=year_group:99");
    try {
      const text = await app.page.locator("main").innerText();
      expect(text).toContain('Year group "Year 99": no pupil of the school has one (the school\'s: Year 3, Year 4, Year 5, Year 6), so no pupil is listed.');
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

  // A second fresh-clone trial (session 16): each of these was answered without a word.
  it("says a period parameter the chosen period does not read, and paging the list could not follow", async () => {
    const said = async (role: "head" | "governor", url: string) => {
      const html = await (await fetchAs(role, url)).text();
      return html.replace(/<[^>]+>/g, "").replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'");
    };
    // The head opening a governor's shared link reads its half term, and sees the governors' figure (trial18a:
    // the half term was "not used" and the head's page showed the current one).
    const shared = await said("head", "/?period=half-term&half=summer-2-2026");
    expect(shared).not.toContain("Not used for this period");
    expect(shared).toContain("Summer 2 2026");
    const attendance = async (role: "head" | "governor", url: string) => /data-testid="attendance-pct"[^>]*>([^<]+)</.exec(await (await fetchAs(role, url)).text())?.[1];
    const governorFigure = await attendance("governor", "/?period=ytd&half=autumn-1-2026");
    expect(governorFigure).toMatch(/^\d+\.\d%$/);
    expect(await attendance("head", "/?period=ytd&half=autumn-1-2026")).toBe(governorFigure);
    // A key governors are not offered, opened by staff: staff's own period to date, in staff's
    // words, not the governors' rule and their half-term cut (trial 28b: term=autumn-2099).
    const future = await said("head", "/?period=term&term=autumn-2099");
    expect(future).toMatch(/Not applied: Term \(Autumn 2099\), which has no school days to date in the school's calendar\. Showing [^.]+ instead\./);
    expect(future).not.toContain("Governors see whole half terms");
    // The current half term asked by its key is staff's own half term to date: nothing to say.
    const current = await said("head", "/?period=half-term&half=autumn-2-2026");
    expect(current).not.toContain("Not applied");
    expect(current).not.toContain("Governors see whole half terms");
    // Without a key, staff's half term is the current one, and a key on a period that reads none is said.
    expect(await said("head", "/?period=this-month&half=summer-2-2026")).toContain('Not used for this period: half "summer-2-2026"');
    // A governor's year to date ends at a half term, never a date.
    expect(await said("governor", "/?period=ytd&to=2026-09-15")).toContain('Not applied: to "2026-09-15" (governors\' periods are whole half terms, chosen in the period picker, not dates). Showing 2026/27 to the end of Autumn 1 instead.');
    expect(await said("head", "/trends?from=2026-09-01")).toContain('Not used for this period: from "2026-09-01" (only a custom range reads dates).');
    // A custom range reads its dates: nothing said.
    expect(await said("head", "/trends?period=custom&from=2026-09-01&to=2026-09-30")).not.toContain("Not used for this period");
    // Paging: past the last page, not a page, a direction that is neither.
    expect(await said("head", "/pupils?page=999")).toMatch(/There is no page 999: the list has \d+ pages, so page \d+, the last, is shown\./);
    expect(await said("head", "/pupils?page=-1")).toContain('Page "-1" is not a page number such as 2, so the first page is shown.');
    expect(await said("head", "/pupils?sort=name&dir=sideways")).toContain('Dir "sideways" is neither asc nor desc, so the column\'s usual direction is used.');
    expect(await said("head", "/interventions?page=999")).toMatch(/There is no page 999: the list has \d+ pages?, so page \d+, the last, is shown\./);
    expect(await said("head", "/pupils?page=2")).not.toMatch(/There is no page|is not a page number/);
  });

  it("Benchmarks keeps a chosen region's column for a year it has no figures for, saying so", async () => {
    const app = await openApp("/benchmarks?year=2025%2F26&area=E12000004");
    try {
      const year = app.page.getByTestId("benchmark-year");
      expect(await year.locator("thead").innerText()).toContain("East Midlands");
      expect(await year.getByTestId("no-published-figure").first().innerText()).toContain("No published figure for East Midlands for 2025/26 — import the DfE file to add it");
      await saveScreenshot(app.page, "benchmarks-region-no-figures-2025-26");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
