/**
 * The dashboard's lists on a phone (390 px), in real Chromium on the demo school (trial 53):
 * Casework's lists scrolled sideways, cut at "Attendan…", Stage, Next step and Due by off the
 * screen and rows tall with blank space. A table whose cells hold sentences is a card per row
 * (app.css data--cards, as the packs' table.cards): each cell after its column's heading, on the
 * screen, the table not scrolling; a sortable list keeps its sort links above its cards. At
 * 1366 px each is the table it was. Tables of figures keep their columns and may scroll; no
 * table on these pages that scrolls sideways holds a sentence (five words or more outside a
 * figure's cell).
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { closeBrowser, openApp, saveScreenshot } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

/** Each card table's state: whether it scrolls, and per labelled cell whether its heading is printed before it and it is on the screen. */
function cardTables(page: Page, selector: string) {
  return page.locator(selector).evaluateAll((tables) =>
    tables.map((t) => {
      const viewport = document.documentElement.clientWidth;
      const cells = [...t.querySelectorAll("tbody td[data-label]")];
      return {
        scrolls: t.scrollWidth > t.clientWidth + 1,
        rows: t.querySelectorAll("tbody tr").length,
        cells: cells.length,
        unlabelled: cells.filter((td) => getComputedStyle(td, "::before").content !== `"${td.getAttribute("data-label")}: "` || getComputedStyle(td).display !== "block").length,
        offScreen: cells.filter((td) => td.getBoundingClientRect().right > viewport + 0.5).map((td) => td.getAttribute("data-label")),
      };
    }),
  );
}

/** The tables of the page that scroll sideways and hold a sentence (a cell, not a figure's, of five words or more). */
function scrollingSentences(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("main table")]
      .filter((t) => t.scrollWidth > t.clientWidth + 1)
      .flatMap((t) =>
        [...t.querySelectorAll("tbody td:not(.num)")]
          .map((td) => (td.textContent ?? "").trim())
          .filter((words) => words.split(/\s+/).length >= 5)
          .slice(0, 1)
          .map((words) => `${t.getAttribute("data-testid") ?? t.closest("section")?.id ?? "table"}: ${words.slice(0, 60)}`),
      ),
  );
}

describe("a list of sentences on a phone", () => {
  it("Casework: a card per pupil, the stage, next step and due date on the screen, sort links above; a table at 1366 px", async () => {
    const app = await openApp("/casework", { width: 390 });
    try {
      const { page } = app;
      const tables = await cardTables(page, "section[data-testid^=list-] table.data");
      expect(tables.length).toBeGreaterThan(3);
      for (const table of tables) expect({ ...table, rows: table.rows > 0 }).toEqual({ scrolls: false, rows: true, cells: table.cells, unlabelled: 0, offScreen: [] });
      // The trial's columns, on the first card.
      const first = page.locator("section[data-testid^=list-] table.data tbody tr").first();
      for (const label of ["Stage on the ladder", "Next step", "Due by"]) {
        const cell = first.locator(`td[data-label="${label}"]`);
        expect(await cell.isVisible()).toBe(true);
        expect(await cell.evaluate((td) => td.getBoundingClientRect().right)).toBeLessThanOrEqual(390);
      }
      // A card is no taller than its lines: no blank space (the trial's rows ran 300 px and more with the sentences squeezed).
      const heights = await page.locator("section[data-testid^=list-] table.data tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect().height));
      expect(Math.max(...heights)).toBeLessThan(400);
      // The sort links are there, above the cards.
      const sort = page.locator("section[data-testid^=list-] table.data thead").first();
      expect(await sort.isVisible()).toBe(true);
      expect(await sort.getByRole("link", { name: "Pupil" }).isVisible()).toBe(true);
      expect(await scrollingSentences(page)).toEqual([]);
      await saveScreenshot(page, "phone-casework-cards");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
    const wide = await openApp("/casework", { width: 1366 });
    try {
      const cells = await wide.page.locator("section[data-testid^=list-] table.data").first().evaluate((t) => ({
        display: getComputedStyle(t.querySelector("tbody td")!).display,
        before: getComputedStyle(t.querySelector("tbody td[data-label]")!, "::before").content,
        head: getComputedStyle(t.querySelector("thead")!).display,
      }));
      expect(cells).toEqual({ display: "table-cell", before: "none", head: "table-header-group" });
      await saveScreenshot(wide.page, "desktop-casework");
    } finally {
      await wide.close();
    }
  });

  it("Interventions, the import history, the codes and a pupil's interventions: cards; no page here scrolls a sentence sideways", async () => {
    const interventions = await openApp("/interventions", { width: 390 });
    const upn = await interventions.page.locator("[data-testid=intervention-effects] tbody tr").first().getAttribute("data-upn");
    await interventions.close();
    expect(upn).toBeTruthy();
    const cards: Record<string, string> = {
      "/interventions": "[data-testid=intervention-effects]",
      "/imports": "[data-testid=import-history]",
      "/codes": "[data-testid=codes-table]",
      [`/pupils/${upn}`]: "[data-testid=intervention-list]",
    };
    const found: string[] = [];
    for (const url of [...Object.keys(cards), "/casework?rule=all", "/early-warning", "/quality", "/pupils"]) {
      const app = await openApp(url, { width: 390 });
      try {
        if (cards[url]) {
          const tables = await cardTables(app.page, cards[url]);
          expect(tables.length, url).toBe(1);
          expect(tables[0], url).toEqual({ scrolls: false, rows: tables[0].rows, cells: tables[0].cells, unlabelled: 0, offScreen: [] });
          expect(tables[0].cells, url).toBeGreaterThan(0);
          await saveScreenshot(app.page, `phone-cards-${url.replace(/[^a-z0-9]+/gi, "-")}`);
        }
        found.push(...(await scrollingSentences(app.page)).map((s) => `${url}: ${s}`));
      } finally {
        await app.close();
      }
    }
    expect(found).toEqual([]);
  });

  it("the Import page's preview: a card per file, its notes readable and its counts on the screen (trial 53b)", async () => {
    const app = await openApp("/import", { width: 390 });
    try {
      // A new pupil whose name lost a letter (Excel's CSV): previewed with a note under the file's name.
      const csv = "upn,forename,surname,dob,sex,year_group,reg_group,admission_date,leaving_date,sen,fsm,eal,lac,ethnicity\nA123456789012,Zoe,Dvo?ak,2017-05-04,F,4,4A,2026-09-01,,N,N,N,N,WBRI\n";
      await app.page.setInputFiles("#file-pupils", { name: "pupils.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
      await app.page.getByRole("button", { name: "Check and preview" }).click();
      await app.page.getByTestId("import-preview").waitFor();
      const said = await app.page.getByTestId("import-preview").innerText();
      expect(said, said).toContain("(read the notes under each file first)");
      const tables = await cardTables(app.page, "[data-testid=import-preview] table.data--cards");
      expect(tables).toEqual([{ scrolls: false, rows: 1, cells: 5, unlabelled: 0, offScreen: [] }]);
      await saveScreenshot(app.page, "phone-cards-import-preview");
    } finally {
      await app.close();
    }
  });
});
