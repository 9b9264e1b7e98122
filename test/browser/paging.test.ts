/**
 * The long lists paged and sorted on the server (issue 11, item 5), in real Chromium on the
 * demo school: the next-page and column-sorting links are plain links that keep the filters,
 * so they work with JavaScript off as well as on.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp, saveScreenshot, waitForPage } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

const params = (url: string) => new URL(url).searchParams;

describe("Pupils, paged on the server", () => {
  for (const javaScript of [false, true]) {
    it(`next page and sorting keep the filters (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const app = await openApp("/pupils?period=ytd&sen=N&attendance=under-96", { javaScript });
      const go = async (click: () => Promise<void>, check: (url: URL) => boolean) => {
        await click();
        if (javaScript) await waitForPage(app.page, check);
        else await app.page.waitForURL(check);
      };
      const table = app.page.locator("[data-testid=pupil-table]");
      const total = Number(await app.page.getByTestId("pupils-count").getAttribute("data-total"));
      expect(total).toBeGreaterThan(50); // more than one page, or there is nothing to page
      // Sort by attendance (highest first on the first click), then lowest first.
      await go(() => table.locator("thead th[data-sort=attendance_pct] a").click(), (url) => url.searchParams.get("sort") === "attendance_pct");
      await go(() => table.locator("thead th[data-sort=attendance_pct] a").click(), (url) => url.searchParams.get("dir") === "asc");
      const page1 = await table.locator("tbody tr").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-upn")));
      const lastOnPage1 = Number((await table.locator("tbody tr td:nth-child(10)").last().innerText()).replace("%", ""));
      await go(() => app.page.getByTestId("pupils-pager").getByTestId("pager-next").click(), (url) => url.searchParams.get("page") === "2");
      const search = params(app.page.url());
      expect(Object.fromEntries(search)).toMatchObject({ period: "ytd", sen: "N", attendance: "under-96", sort: "attendance_pct", dir: "asc", page: "2" });
      const page2 = await table.locator("tbody tr").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-upn")));
      expect(page2.length).toBe(Math.min(50, total - 50));
      expect(page2.filter((upn) => page1.includes(upn))).toEqual([]);
      const attendance2 = (await table.locator("tbody tr td:nth-child(10)").allInnerTexts()).map((text) => Number(text.replace("%", "")));
      expect([...attendance2].sort((a, b) => a - b)).toEqual(attendance2);
      expect(attendance2[0]).toBeGreaterThanOrEqual(lastOnPage1);
      expect(attendance2.every((value) => value < 96)).toBe(true);
      // The SEN filter held: every pupil on the page has no SEN provision.
      expect(new Set(await table.locator("tbody tr td:nth-child(5)").allInnerTexts())).toEqual(new Set(["—"]));
      expect(await app.page.getByTestId("pupils-pager").getByTestId("pager-position").innerText()).toContain(`of ${total}`);
      // Sorting again goes back to page 1, still filtered.
      await go(() => table.locator("thead th[data-sort=name] a").click(), (url) => url.searchParams.get("sort") === "name");
      expect(Object.fromEntries(params(app.page.url()))).toMatchObject({ sen: "N", attendance: "under-96" });
      expect(params(app.page.url()).get("page")).toBeNull();
      await go(() => app.page.getByTestId("pupils-pager").getByTestId("pager-next").click(), (url) => url.searchParams.get("page") === "2");
      await go(() => app.page.getByTestId("pupils-pager").getByTestId("pager-prev").click(), (url) => url.searchParams.get("page") === null);
      if (javaScript) {
        await saveScreenshot(app.page, "paging-pupils");
        expect(app.consoleErrors).toEqual([]);
      }
      await app.close();
    });
  }

  it("falls back to the name order for an unknown sort column, and to the last page past the end", async () => {
    const app = await openApp("/pupils?sort=surname%3B%20DROP%20TABLE%20pupils&page=999");
    expect(await app.page.locator("main h1").innerText()).toBe("Pupils");
    expect(await app.page.locator("[data-testid=pupil-table] thead th[aria-sort=ascending]").getAttribute("data-sort")).toBe("name");
    const position = await app.page.getByTestId("pupils-pager").getByTestId("pager-position").innerText();
    const [, page, pages] = /Page (\d+) of (\d+)/.exec(position) ?? [];
    expect(page).toBe(pages);
    expect(app.consoleErrors).toEqual([]);
    await app.close();
  });
});

describe("Casework, each list paged on the server", () => {
  // The end of the demo's 2025/26 year: a whole year's runs put more than a page of pupils on
  // some lists (65 with a run of more than 3 days absent; the lists are shorter in November).
  const AS_OF = "2026-07-17";
  for (const javaScript of [false, true]) {
    it(`a list's next page and sorting keep the date and filters (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const app = await openApp(`/casework?asOf=${AS_OF}&lac=N`, { javaScript });
      const go = async (click: () => Promise<void>, check: (url: URL) => boolean) => {
        await click();
        if (javaScript) await waitForPage(app.page, check);
        else await app.page.waitForURL(check);
      };
      const counts = await app.page
        .locator("[data-testid=casework-counts] tbody tr")
        .evaluateAll((rows) => rows.map((r) => [r.getAttribute("data-rule") ?? "", Number((r.children[1] as HTMLElement).innerText.replace(/,/g, ""))] as const));
      // A list longer than a page (the demo school has one), and every list shows at most 50.
      const [rule, count] = counts.find(([, n]) => n > 50) ?? ["", 0];
      expect(rule).not.toBe("");
      for (const [id, n] of counts) expect(await app.page.locator(`#${id} tbody tr`).count(), id).toBe(Math.min(50, n));
      const list = app.page.locator(`#${rule}`);
      const page1 = await list.locator("tbody tr").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-upn")));
      await go(() => app.page.getByTestId(`pager-${rule}`).getByTestId("pager-next").click(), (url) => url.searchParams.get("page") === "2");
      expect(Object.fromEntries(params(app.page.url()))).toMatchObject({ asOf: AS_OF, lac: "N", rule, page: "2" });
      // Only that list now, its second page: no pupil of the first, and the count is still the whole list's.
      expect(await app.page.locator("section[data-testid^=list-]").count()).toBe(1);
      const page2 = await list.locator("tbody tr").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-upn")));
      expect(page2.length).toBe(Math.min(50, count - 50));
      expect(page2.filter((upn) => page1.includes(upn))).toEqual([]);
      expect(await app.page.getByTestId(`pager-${rule}`).getByTestId("pager-position").innerText()).toContain(`of ${count}`);
      // Worst first across the pages: attendance rising, other figures falling.
      const values = async () => (await list.locator("tbody td[data-value]").evaluateAll((cells) => cells.map((c) => Number((c as HTMLElement).dataset.value))));
      const second = await values();
      const ascending = rule.startsWith("attendance_");
      expect(second).toEqual([...second].sort((a, b) => (ascending ? a - b : b - a)));
      // Sort by UPN: page 1 again, the filters kept, in UPN order.
      await go(() => list.locator("thead th[data-sort=upn] a").click(), (url) => url.searchParams.get("sort") === "upn");
      expect(Object.fromEntries(params(app.page.url()))).toMatchObject({ asOf: AS_OF, lac: "N", rule, sort: "upn", dir: "asc" });
      expect(params(app.page.url()).get("page")).toBeNull();
      const byUpn = await list.locator("tbody tr").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-upn") ?? ""));
      expect(byUpn).toEqual([...byUpn].sort());
      expect(await list.locator("thead th[aria-sort=ascending]").getAttribute("data-sort")).toBe("upn");
      await go(() => list.locator("thead th[data-sort=upn] a").click(), (url) => url.searchParams.get("dir") === "desc");
      const byUpnDesc = await list.locator("tbody tr").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-upn") ?? ""));
      expect(byUpnDesc).toEqual([...byUpnDesc].sort().reverse());
      // The CSV note counts the whole list.
      expect(await app.page.getByTestId("casework-csv-note").innerText()).toContain(`CSV has all ${count} entries`);
      if (javaScript) {
        await saveScreenshot(app.page, "paging-casework");
        expect(app.consoleErrors).toEqual([]);
      }
      await app.close();
    });
  }
});
