/**
 * The long lists paged and sorted on the server (issue 11, item 5), in real Chromium on the
 * demo school: the next-page and column-sorting links are plain links that keep the filters,
 * so they work with JavaScript off as well as on.
 */
import type { Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { CASEWORK_PREVIEW_ROWS } from "../../analytics/casework/list-columns.ts";
import { parseCsv } from "../../analytics/csv.ts";
import { closeBrowser, openApp, saveScreenshot, waitForPage } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

const params = (url: string) => new URL(url).searchParams;

/** Clicks a link and waits for the page it opens: the router's navigation with JavaScript, a full load without. */
const follower = (page: Page, javaScript: boolean) => async (click: () => Promise<void>, check: (url: URL) => boolean) => {
  await click();
  if (javaScript) await waitForPage(page, check);
  else await page.waitForURL(check);
};

/**
 * A list asked for with an unknown sort column and a page past the end: its default order, its
 * last page, no error — and a note saying the sort was not used (it was silently ignored).
 */
async function expectFallback(path: string, expected: { heading: string; table: string; sorted: [string, string]; pager: string }) {
  const app = await openApp(path);
  expect(await app.page.locator("main h1").innerText()).toBe(expected.heading);
  expect(await app.page.getByTestId("sort-notice").innerText()).toBe('Sorted in the list\'s usual order: "surname; DROP TABLE pupils" is not a column this list sorts by.');
  expect(await app.page.locator(`[data-testid=${expected.table}] thead th[aria-sort=${expected.sorted[0]}]`).getAttribute("data-sort")).toBe(expected.sorted[1]);
  const position = await app.page.getByTestId(expected.pager).getByTestId("pager-position").innerText();
  const [, page, pages] = /Page (\d+) of (\d+)/.exec(position) ?? [];
  expect(page).toBe(pages);
  expect(app.consoleErrors).toEqual([]);
  await app.close();
}

describe("Pupils, paged on the server", () => {
  for (const javaScript of [false, true]) {
    it(`next page and sorting keep the filters (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const app = await openApp("/pupils?period=ytd&sen=N&attendance=under-96", { javaScript });
      const go = follower(app.page, javaScript);
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

  it("falls back to the name order for an unknown sort column, and to the last page past the end", () =>
    expectFallback("/pupils?sort=surname%3B%20DROP%20TABLE%20pupils&page=999", { heading: "Pupils", table: "pupil-table", sorted: ["ascending", "name"], pager: "pupils-pager" }));
});

describe("Casework, each list paged on the server", () => {
  // The end of the demo's 2025/26 year: a whole year's runs put more than a page of pupils on
  // some lists (65 with a run of more than 3 days absent; the lists are shorter in November).
  const AS_OF = "2026-07-17";
  for (const javaScript of [false, true]) {
    it(`a list's next page and sorting keep the date and filters (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const app = await openApp(`/casework?asOf=${AS_OF}&lac=N`, { javaScript });
      const go = follower(app.page, javaScript);
      const counts = await app.page
        .locator("[data-testid=casework-counts] tbody tr")
        .evaluateAll((rows) => rows.map((r) => [r.getAttribute("data-rule") ?? "", Number((r.children[1] as HTMLElement).innerText.replace(/,/g, ""))] as const));
      // A list longer than a page (the demo school has one). With every rule, each list shows
      // its first 10 and its whole count, and a link to the whole list where there are more.
      const [rule, count] = counts.find(([, n]) => n > 50) ?? ["", 0];
      expect(rule).not.toBe("");
      for (const [id, n] of counts) {
        expect(await app.page.locator(`#${id} tbody tr`).count(), id).toBe(Math.min(CASEWORK_PREVIEW_ROWS, n));
        if (n === 0) continue;
        expect(await app.page.getByTestId(`shown-${id}`).getAttribute("data-total"), id).toBe(String(n));
        expect(await app.page.getByTestId(`all-${id}`).count(), id).toBe(n > CASEWORK_PREVIEW_ROWS ? 1 : 0);
      }
      expect(await app.page.getByTestId(`pager-${rule}`).count()).toBe(0);
      const list = app.page.locator(`#${rule}`);
      const preview = await list.locator("tbody tr").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-upn")));
      // The whole list: its first page of 50, the same first pupils in the same order, the date and filters kept.
      await go(() => app.page.getByTestId(`all-${rule}`).click(), (url) => url.searchParams.get("rule") === rule);
      expect(Object.fromEntries(params(app.page.url()))).toMatchObject({ asOf: AS_OF, lac: "N", rule });
      expect(params(app.page.url()).get("page")).toBeNull();
      const page1 = await list.locator("tbody tr").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-upn")));
      expect(page1.length).toBe(50);
      expect(page1.slice(0, preview.length)).toEqual(preview);
      expect(await app.page.getByTestId(`pager-${rule}`).getByTestId("pager-position").innerText()).toContain(`(1–50 of ${count})`);
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
      // Names surname first, as every list of pupils writes them (analytics/pupil-name.ts), and
      // as the CSV's Surname and Forename columns give them: Casework had written "Rory Owen" (trial 26).
      const shown = await list.locator("tbody tr").evaluateAll((rows) => rows.map((row) => [row.getAttribute("data-upn") ?? "", (row.querySelector("td a") as HTMLElement).innerText.trim()]));
      const csvText = await app.page.evaluate(async (href) => (await fetch(href)).text(), `/casework.csv?asOf=${AS_OF}&lac=N&rule=${rule}`);
      const [header, ...records] = parseCsv(csvText, "casework.csv").map((r) => r.fields.map((f) => f.value));
      const column = (label: string) => header.indexOf(label);
      const csvNames = new Map(records.map((r) => [r[column("UPN")], `${r[column("Surname")]}, ${r[column("Forename")]}`]));
      expect(shown.length).toBeGreaterThan(0);
      expect(shown).toEqual(shown.map(([upn]) => [upn, csvNames.get(upn)]));
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

describe("Interventions, paged on the server", () => {
  const ids = (page: Page) =>
    page.getByTestId("intervention-effects").locator("tbody tr").evaluateAll((rows) => rows.map((row) => Number(row.getAttribute("data-id"))));
  const totalOf = async (page: Page) => {
    const line = page.getByTestId("effects-total");
    return { total: Number(await line.getAttribute("data-total")), first: Number(await line.getAttribute("data-first")), last: Number(await line.getAttribute("data-last")), text: await line.innerText() };
  };

  for (const javaScript of [false, true]) {
    it(`pages through every intervention, sorts and narrows to a type, keeping the period (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const app = await openApp("/interventions?period=ytd", { javaScript });
      const go = follower(app.page, javaScript);
      // The by-type table counts every intervention of the period; the list's total is their sum.
      const recorded = await app.page
        .getByTestId("effect-by-type")
        .locator("tbody tr")
        .evaluateAll((rows) => rows.map((r) => [r.getAttribute("data-type") ?? "", Number((r.children[1] as HTMLElement).innerText.replace(/,/g, ""))] as const));
      const sum = recorded.reduce((a, [, n]) => a + n, 0);
      const { total, first, last, text } = await totalOf(app.page);
      expect(total).toBe(sum);
      expect(total).toBeGreaterThan(100); // the demo school's year: more than two pages
      expect([first, last]).toEqual([1, 50]);
      expect(text).toContain(`Showing 1–50 of ${total} interventions`);
      // Every page in turn: 50 rows, the last the rest; each intervention once; newest first throughout.
      const pages = Math.ceil(total / 50);
      const seen: number[] = [];
      const dates: string[] = [];
      for (let page = 1; page <= pages; page++) {
        if (page > 1) await go(() => app.page.getByTestId("effects-pager").getByTestId("pager-next").click(), (url) => url.searchParams.get("page") === String(page));
        const shown = await ids(app.page);
        expect(shown.length, `page ${page}`).toBe(page < pages ? 50 : total - 50 * (pages - 1));
        seen.push(...shown);
        dates.push(...(await app.page.getByTestId("intervention-effects").locator("tbody tr td:first-child").allInnerTexts()));
        expect(await app.page.getByTestId("effects-pager").getByTestId("pager-position").innerText()).toContain(`Page ${page} of ${pages}`);
        expect(params(app.page.url()).get("period")).toBe("ytd");
      }
      expect(new Set(seen).size).toBe(total);
      const isoDates = dates.map((d) => new Date(`${d} UTC`).toISOString().slice(0, 10));
      expect(isoDates).toEqual([...isoDates].sort().reverse());
      expect(await app.page.getByTestId("effects-pager").getByTestId("pager-next").count()).toBe(0);

      // Sort by the change, lowest first: back to page 1, the period kept; the unmeasured last.
      await go(() => app.page.getByTestId("intervention-effects").locator("thead th[data-sort=change_points] a").click(), (url) => url.searchParams.get("sort") === "change_points");
      expect(Object.fromEntries(params(app.page.url()))).toMatchObject({ period: "ytd", sort: "change_points", dir: "asc" });
      expect(params(app.page.url()).get("page")).toBeNull();
      const changes = async () =>
        app.page.getByTestId("intervention-effects").locator("tbody td[data-change]").evaluateAll((cells) => cells.map((c) => ((c as HTMLElement).dataset.change === "" ? null : Number((c as HTMLElement).dataset.change))));
      const page1 = await changes();
      await go(() => app.page.getByTestId("effects-pager").getByTestId("pager-next").click(), (url) => url.searchParams.get("page") === "2");
      expect(Object.fromEntries(params(app.page.url()))).toMatchObject({ period: "ytd", sort: "change_points", dir: "asc", page: "2" });
      const page2 = await changes();
      const measured = [...page1, ...page2].filter((c): c is number => c !== null);
      expect(measured).toEqual([...measured].sort((a, b) => a - b));
      const firstNull = [...page1, ...page2].indexOf(null);
      if (firstNull >= 0) expect([...page1, ...page2].slice(firstNull).every((c) => c === null)).toBe(true);

      // One type: the by-type row's link; its count, its rows only, the sort and period kept, page 1.
      const [type, count] = [...recorded].sort((a, b) => b[1] - a[1])[0];
      await go(() => app.page.locator(`[data-testid=effect-by-type] tr[data-type=${type}] a`).click(), (url) => url.searchParams.get("type") === type);
      expect(Object.fromEntries(params(app.page.url()))).toMatchObject({ period: "ytd", type, sort: "change_points", dir: "asc" });
      expect(params(app.page.url()).get("page")).toBeNull();
      const typed = await totalOf(app.page);
      expect(typed.total).toBe(count);
      const label = await app.page.locator(`[data-testid=effect-by-type] tr[data-type=${type}] th`).innerText();
      const labels = await app.page.getByTestId("intervention-effects").locator("tbody tr td:nth-child(4)").allInnerTexts();
      expect(labels.length).toBe(Math.min(50, count));
      expect(new Set(labels)).toEqual(new Set([label]));
      if (count > 50) {
        await go(() => app.page.getByTestId("effects-pager").getByTestId("pager-next").click(), (url) => url.searchParams.get("page") === "2");
        expect(Object.fromEntries(params(app.page.url()))).toMatchObject({ period: "ytd", type, sort: "change_points", page: "2" });
        expect((await ids(app.page)).length).toBe(Math.min(50, count - 50));
      }
      // Every type again.
      await go(() => app.page.getByTestId("effects-every-type").click(), (url) => url.searchParams.get("type") === null);
      expect((await totalOf(app.page)).total).toBe(total);
      if (javaScript) {
        await saveScreenshot(app.page, "paging-interventions");
        expect(app.consoleErrors).toEqual([]);
      }
      await app.close();
    });
  }

  it("falls back to newest first for an unknown sort column and type, and to the last page past the end", () =>
    expectFallback("/interventions?sort=surname%3B%20DROP%20TABLE%20pupils&type=nonsense&page=999", {
      heading: "Interventions",
      table: "intervention-effects",
      sorted: ["descending", "date"],
      pager: "effects-pager",
    }));
});
