/**
 * A pack printed with Chromium's screen layout after printing skipped (analytics/packs/pdf.ts
 * skipScreenLayoutAfterPrint: sections with a long list set `content-visibility: auto` once
 * measured) prints the same as without: every word of every page at the same place (pdftotext
 * -bbox). A section followed by a run-on section is left as it is: so set, its last table's
 * bottom margin would no longer collapse with the run-on section's top margin, and the run-on
 * section would print lower on its page. So is a run-on section: starting part-way down a page,
 * so set, its rows printed 0.75 pt higher (review42, on four demo SLT months).
 */
import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { packPdf, skipScreenLayoutAfterPrint } from "../analytics/packs/pdf.ts";
import { renderPackHtml } from "../analytics/packs/html.ts";
import { closePrintBrowser, htmlToPdf } from "../analytics/render/pdf.ts";
import type { PackModel, PackSection, PackTable } from "../analytics/packs/model.ts";

afterAll(() => closePrintBrowser());

/** A list of `rows` pupils (long: more rows than a short table), marked by `mark`. */
function list(mark: string, rows: number): PackTable {
  return {
    caption: `${mark}: the list (${rows} pupils)`,
    columns: [{ label: "Pupil" }, { label: "Class" }, { label: "Attendance", numeric: true }, { label: "Stage recorded" }],
    rows: Array.from({ length: rows }, (_, i) => [
      { kind: "text", text: `${mark}${i + 1} Surname, Forename` },
      { kind: "text", text: "5A" },
      { kind: "pct", value: 80 + i / 10 },
      { kind: "text", text: i % 3 === 0 ? "Letter: attendance below 90% (12 Dec 2025), then a meeting" : "None recorded" },
    ]),
  };
}

function section(id: string, blocks: PackSection["blocks"], runOn = false): PackSection {
  return { id, title: `Section ${id}`, sheet: id, runOn, blocks };
}

/**
 * A: a long list, followed by B (run-on: a short table under it on the same page); C: a long
 * list, followed by D (on a page of its own). The lists end part-way down a page.
 */
const model: PackModel = {
  kind: "slt", title: "Monthly attendance pack", schoolName: "Test School", periodLabel: "November 2026", fileKey: "2026-11",
  period: { from: "2026-11-01", to: "2026-11-30" }, yearToDate: { from: "2026-08-01", to: "2026-11-30" }, periodKey: "2026-11",
  today: "2026-11-30", generatedAt: "2026-11-30T12:00:00Z", audience: "Staff only", notes: [], toDateTabs: null,
  sections: [
    section("a", [{ kind: "table", table: list("A", 45) }]),
    section("b", [{ kind: "table", table: { caption: "B: late arrivals", columns: [{ label: "Measure" }, { label: "Sessions", numeric: true }], rows: [[{ kind: "text", text: "Late" }, { kind: "count", value: 12 }]] } }], true),
    section("c", [{ kind: "table", table: list("C", 60) }]),
    section("d", [{ kind: "paragraphs", items: ["D: the last section's words."] }]),
  ],
};

/** A: a one-row table; B, run on under it (so starting part-way down page 2): a long list; C. */
const runOnList: PackModel = {
  ...model,
  sections: [
    section("a", [{ kind: "table", table: { caption: "A: short", columns: [{ label: "Measure" }, { label: "Sessions", numeric: true }], rows: [[{ kind: "text", text: "Row 0" }, { kind: "count", value: 0 }]] } }]),
    section("b", [{ kind: "paragraphs", items: ["B: words above the list."] }, { kind: "table", table: list("B", 30) }], true),
    section("c", [{ kind: "paragraphs", items: ["C: the last section's words."] }]),
  ],
};

interface Word {
  page: number;
  text: string;
  /** xMin, yMin, xMax, yMax in points. */
  box: number[];
}

/** Every word of the PDF with its page and its box. */
function words(pdf: Buffer): Word[] {
  const xhtml = execFileSync("/usr/bin/pdftotext", ["-bbox", "-", "-"], { input: pdf, encoding: "utf8" });
  return xhtml.split("<page ").slice(1).flatMap((page, i) =>
    [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({ page: i + 1, text: m[5], box: [m[1], m[2], m[3], m[4]].map(Number) })),
  );
}

/**
 * The words' pages and texts, and the largest distance (points) between a word's place in one
 * and the other. Chromium places a section so set a few thousandths of a point apart (its own
 * paint offset), nothing a reader or a printer can see; a margin not collapsed moves a section
 * by 10 points.
 */
function compare(a: Word[], b: Word[]): { same: boolean; furthest: number } {
  const same = a.length === b.length && a.every((w, i) => w.page === b[i].page && w.text === b[i].text);
  const furthest = same ? Math.max(...a.flatMap((w, i) => w.box.map((n, k) => Math.abs(n - b[i].box[k])))) : Infinity;
  return { same, furthest };
}

describe("the pack's print without Chromium's screen layout after it", () => {
  it("sets only the sections with a long list that are not followed by a run-on section", async () => {
    let set: string[] = [];
    await htmlToPdf(renderPackHtml(model), {
      beforePrint: async (page) => {
        await skipScreenLayoutAfterPrint(page);
        set = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>("section.pack-section")].filter((s) => s.style.contentVisibility === "auto").map((s) => s.id));
      },
    });
    expect(set).toEqual(["c"]);
  });

  it("prints every word on the same page at the same place as the print with that layout", async () => {
    const skipped = words(await packPdf(model));
    const laidOut = words(await packPdf(model, { layoutAfterPrint: true }));
    expect(skipped.length).toBeGreaterThan(300);
    expect(skipped.some((w) => w.text === "B:")).toBe(true);
    const { same, furthest } = compare(skipped, laidOut);
    expect(same).toBe(true);
    expect(furthest).toBeLessThan(0.05);
  });

  it("leaves a run-on section holding a long list as it is: its words print where they would with that layout", async () => {
    const skipped = words(await packPdf(runOnList));
    const laidOut = words(await packPdf(runOnList, { layoutAfterPrint: true }));
    expect(skipped.some((w) => w.text === "B30")).toBe(true);
    const { same, furthest } = compare(skipped, laidOut);
    expect(same).toBe(true);
    expect(furthest).toBeLessThan(0.05);
  });
});
