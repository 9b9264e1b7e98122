/**
 * A pack as PDF: the pack's own HTML printed by Chromium, with a running header (school and
 * pack) and footer (period and "Page x of y") on every page. The web download and the CLI
 * both call this, so they produce the same document.
 */
import { htmlToPdf, printViewport, runningFooter } from "../render/pdf.ts";
import type { Page } from "playwright-core";
import type { PackModel } from "./model.ts";
import { renderPackHtml } from "./html.ts";
import { escapeXml } from "./svg.ts";

function runningHeader(model: PackModel): string {
  const marking = model.kind === "slt" ? "STAFF ONLY — NAMED PUPILS" : "GOVERNORS — ANONYMISED";
  return `<div style="font-family: Helvetica, Arial, sans-serif; font-size: 8pt; color: #505a5f; width: 100%; padding: 0 14mm; display: flex; justify-content: space-between;">
    <span>${escapeXml(model.schoolName)} — ${escapeXml(model.title)}</span><span style="font-weight: bold">${marking}</span></div>`;
}

/**
 * The share of a page below which a section's last page counts as a spill: a few lines of a
 * section that did not quite fit (the SLT pack of October 2026: two lines of the headline
 * table's note on page 3, then the next section's forced break, a page all but empty).
 */
export const SMALL_SPILL = 0.2;

/**
 * Lets a section run on after the one before it (analytics/packs/html.ts
 * .pack-section--run-on) where that one, laid out for print, ends less than SMALL_SPILL of a
 * page into a page of its own: the spill shares its page with the next section's start
 * rather than leaving it near-empty. Each section still starts a page where the one before
 * ends on a full page, or spills more. Measured on the page as laid out for print at the
 * printed width (`content`: the printed page's content box in CSS pixels); the printed
 * layout can push a block that does not fit whole to the next page, so a spill is at least
 * what is measured — letting the next section run on after a larger spill leaves no page
 * emptier than before.
 */
async function runOnAfterSmallSpills(page: Page, content: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(printViewport(content));
  await page.evaluate(
    ({ pageHeight, spill }) => {
      const sections = [...document.querySelectorAll<HTMLElement>("section.pack-section")];
      // The cover and each section that starts a page begin a run; a run-on section continues it.
      let runTop = document.querySelector<HTMLElement>("header.cover")?.getBoundingClientRect().top ?? 0;
      for (const section of sections) {
        const top = section.getBoundingClientRect().top;
        const used = top - runTop;
        const lastPage = used % pageHeight;
        if (section.classList.contains("pack-section--run-on")) continue;
        if (used > pageHeight && lastPage > 0 && lastPage < spill * pageHeight) {
          section.classList.add("pack-section--run-on");
          continue;
        }
        runTop = top;
      }
    },
    { pageHeight: content.height, spill: SMALL_SPILL },
  );
}

/**
 * The share of a page a short table (html.ts `table.short`) may take and still be kept whole:
 * one taller than this is let break across pages as a long list does, never leaving a row alone
 * on a page (html.ts tbody.keep). Kept whole, a table that did not fit below what came before it
 * moved to the next page and left the rest blank: the SLT pack of October 2026 printed its
 * ladder's steps (7 to 13 pupils, three lines a row) one to a page, pages 12–16 half empty
 * (trial 29). So a page is left at most this much blank by a table.
 */
export const KEEP_WHOLE_SHARE = 1 / 3;

/**
 * The share of a page a chart and the table of its figures under it (html.ts `.chart-with-table`)
 * may take and still be kept on one page: a reader reads the two together, so a page may be left
 * more blank for them than for a table alone (KEEP_WHOLE_SHARE).
 */
export const KEEP_PAIR_SHARE = 3 / 4;

/**
 * A short table whose rows wrap so far that, laid out for print, it is taller than a page is
 * printed small and tight (`table.tight`, as a long list prints). Then one taller than
 * KEEP_WHOLE_SHARE of a page is let break (its `short` class removed): its first and last two
 * rows still stay together (tbody.keep), so trial 26's fault (a 13-row list's last row alone
 * atop a page) does not come back. Measured as runOnAfterSmallSpills measures, on the page laid
 * out for print (the print queue's pages are in print media) at the printed width (`content`,
 * CSS pixels).
 */
async function fitShortTables(page: Page, content: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(printViewport(content));
  await page.evaluate(
    ({ pageHeight, keepWhole, keepPair }) => {
      for (const table of document.querySelectorAll<HTMLTableElement>("table.short")) {
        if (table.getBoundingClientRect().height > pageHeight) table.classList.add("tight");
        if (table.getBoundingClientRect().height > keepWhole) table.classList.remove("short");
      }
      // A chart kept with its table (html.ts renderBlocks) while the two take at most
      // KEEP_PAIR_SHARE of a page: the table then goes whole with its chart, whatever its own
      // share (trial 35: a 9-row classes table, over a third of a page, was let go from its chart).
      for (const pair of document.querySelectorAll<HTMLElement>(".chart-with-table")) {
        if (pair.getBoundingClientRect().height > keepPair) pair.classList.remove("chart-with-table");
      }
    },
    { pageHeight: content.height, keepWhole: content.height * KEEP_WHOLE_SHARE, keepPair: content.height * KEEP_PAIR_SHARE },
  );
}

/**
 * After it prints a document, Chromium lays the whole of it out again for the screen before
 * answering (its end of printing forces a layout at the viewport), which no one sees: a
 * section set `content-visibility: auto` is laid out in full for print (Chromium renders such
 * content whenever it prints) but skipped by that screen layout while off screen. Session 42,
 * the SLT pack of June 2026 at 4,500 pupils (99 pages), traced: the layout after printing
 * 292 ms of the renderer's thread with style, 41 ms with these sections so set.
 *
 * Set only after the page's measuring (fitShortTables, runOnAfterSmallSpills: a section so set
 * measures 0 tall off screen) and only where the print is the same: `content-visibility`
 * contains the section's layout, so its last child's bottom margin no longer collapses through
 * its end; that margin adjoins a forced page break, where it is truncated either way, but not
 * before a run-on section (`.pack-section--run-on`, which follows on the same page), so a
 * section followed by one is left as it is. A run-on section is left as it is too: it starts
 * part-way down a page, and contained, Chromium snapped its painting to a whole pixel, its rows
 * 0.75 pt higher (review42: the demo school's SLT packs of September 2025, September, October
 * and November 2026). Only sections holding a long list (`table.long`): they are the layout's
 * cost (the SLT pack's ladder lists).
 */
export async function skipScreenLayoutAfterPrint(page: Page): Promise<void> {
  await page.evaluate(() => {
    const sections = [...document.querySelectorAll<HTMLElement>("section.pack-section")];
    sections.forEach((section, i) => {
      const next = sections[i + 1];
      const runOn = section.classList.contains("pack-section--run-on") || next?.classList.contains("pack-section--run-on");
      if (section.querySelector("table.long") && !runOn) section.style.contentVisibility = "auto";
    });
  });
}

/**
 * The pack printed. `layoutAfterPrint`: false (the default) lets Chromium skip its screen
 * layout after printing (skipScreenLayoutAfterPrint); true prints without that, for the test
 * that both print the same.
 */
export async function packPdf(model: PackModel, options: { layoutAfterPrint?: boolean } = {}): Promise<Buffer> {
  return htmlToPdf(renderPackHtml(model), {
    beforePrint: async (page, content) => {
      await fitShortTables(page, content);
      await runOnAfterSmallSpills(page, content);
      if (!options.layoutAfterPrint) await skipScreenLayoutAfterPrint(page);
    },
    headerTemplate: runningHeader(model),
    footerTemplate: runningFooter(`${model.schoolName} · ${model.title} · ${model.periodLabel}`),
  });
}
