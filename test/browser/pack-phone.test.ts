/**
 * A pack on screen on a phone (390 px), in real Chromium on the demo school (trial 50): the FGB
 * pack's document laid out 721 px wide in its 364 px frame, five tables off the edge and their
 * captions cut ("Whole school: Autumn 2026 to the end of Autum…"). Now nothing in the pack's
 * document is wider than its frame except inside a box that scrolls sideways (a wide table),
 * and each caption wraps within the frame; a column of sentences keeps a readable width (trial
 * 50b: the SLT pack's Stage recorded and Status a letter a line), and a chart keeps readable
 * labels, scrolling sideways in its figure. The printed PDF is laid out in print media and is
 * unchanged (analytics/packs/html.ts; compared by pdftotext -layout and page images).
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp, saveScreenshot } from "../helpers/browser.ts";
import { offenders } from "../helpers/phone-fit.ts";

afterAll(() => closeBrowser());

describe("a pack's document on a phone", () => {
  for (const [kind, url, role] of [
    ["fgb", "/packs/fgb?term=autumn-2026", "governor"],
    ["slt", "/packs/slt?month=2026-10", "head"],
  ] as const) {
    it(`the ${kind.toUpperCase()} pack fits its frame at 390 px: wide tables scroll in their own box, captions wrap`, async () => {
      const app = await openApp(url, { width: 390, as: role });
      try {
        const frameElement = app.page.locator("iframe.pack-frame");
        await expect.poll(() => frameElement.getAttribute("aria-busy"), { timeout: 90_000 }).toBe("false");
        const frame = (await frameElement.elementHandle())!.contentFrame();
        const found = await (await frame)!.evaluate(offenders);
        expect(found.wide, JSON.stringify(found)).toEqual([]);
        expect(found.captions).toEqual([]);
        expect(found.document).toBeLessThanOrEqual(found.viewport);
        // A table wider than the frame is there, scrolling in its own box (the headline's ten columns).
        const scrolling = await (await frame)!.evaluate(() => [...document.querySelectorAll("table")].filter((t) => t.scrollWidth > t.clientWidth + 1).length);
        expect(scrolling).toBeGreaterThan(0);
        // A column of sentences keeps a readable width, the table scrolling instead (trial 50b:
        // the SLT pack's Stage recorded and Status squeezed to a letter a line, rows 120–340 px
        // tall): no such cell narrower than 150 px (11em at 13 px).
        const squeezed = await (await frame)!.evaluate(() =>
          [...document.querySelectorAll("td")]
            .filter((td) => (td.textContent ?? "").length > 24 && !td.classList.contains("num") && !td.classList.contains("suppressed") && td.getBoundingClientRect().width < 150)
            .map((td) => `${td.getBoundingClientRect().width.toFixed(0)} px: ${(td.textContent ?? "").slice(0, 40)}`),
        );
        expect(squeezed).toEqual([]);
        // A table with a column of sentences is a card per row, each cell after its column's
        // heading, and does not scroll (trial 52: the SLT pack's interventions cut mid-word at the
        // screen's edge, each row read by scrolling back and forth).
        const cards = await (await frame)!.evaluate(() =>
          [...document.querySelectorAll("table.cards")].map((t) => ({
            scrolls: t.scrollWidth > t.clientWidth + 1,
            cells: [...t.querySelectorAll("tbody td")].slice(0, 3).map((td) => getComputedStyle(td, "::before").content === `"${td.getAttribute("data-label")}: "` && getComputedStyle(td).display === "block"),
          })),
        );
        if (kind === "slt") expect(cards.length).toBeGreaterThan(0);
        for (const table of cards) expect(table).toEqual({ scrolls: false, cells: table.cells.map(() => true) });
        // A chart's words stay readable: no label drawn smaller than 8 px (trial 50: the 680-unit
        // drawing scaled to the phone's width drew its 11 px labels at 6 px); the chart scrolls instead.
        const labels = await (await frame)!.evaluate(() =>
          [...document.querySelectorAll("svg.pack-chart text")].map((t) => (t as SVGTextElement).getBoundingClientRect().height).filter((h) => h > 0),
        );
        expect(labels.length).toBeGreaterThan(0);
        expect(Math.min(...labels)).toBeGreaterThanOrEqual(8);
        // And each chart's caption says it scrolls (trial 51: the weekly chart's last point on screen read as the latest week).
        const hints = await (await frame)!.evaluate(() => [...document.querySelectorAll("figure.chart figcaption")].map((c) => getComputedStyle(c, "::after").content));
        expect(hints.length).toBeGreaterThan(0);
        expect(new Set(hints)).toEqual(new Set(['" — scroll sideways for the whole chart"']));
        await frameElement.scrollIntoViewIfNeeded();
        await saveScreenshot(app.page, `phone-pack-${kind}`);
      } finally {
        await app.close();
      }
    });
  }
});
