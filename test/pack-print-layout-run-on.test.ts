/**
 * A run-on section holding a long list is not set content-visibility: auto by
 * skipScreenLayoutAfterPrint (analytics/packs/pdf.ts): so set (review42), it printed its rows 1
 * CSS px (0.75 pt) away from the print without it: the section starts part-way down a page (a fractional offset) and
 * Chromium snaps the contained section's paint offset to a whole pixel. Seen on the demo
 * register's SLT packs of September 2025, September, October and November 2026 (e.g. September
 * 2026, page 8: "Persistent absence: who came in and who left", 35 words of its list 0.75 pt
 * higher; 3,047 pixels of the page at 60 dpi differ). Same tolerance as
 * test/pack-print-layout-after.test.ts (0.05 pt). Failed on aaaf049 (0.75).
 */
import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { packPdf } from "../analytics/packs/pdf.ts";
import { closePrintBrowser } from "../analytics/render/pdf.ts";
import type { PackModel, PackSection, PackTable } from "../analytics/packs/model.ts";

afterAll(() => closePrintBrowser());

function list(mark: string, rows: number): PackTable {
  return {
    caption: `${mark}: the list (${rows} pupils)`,
    columns: [{ label: "Pupil" }, { label: "Class" }, { label: "Attendance", numeric: true }, { label: "Stage recorded" }],
    rows: Array.from({ length: rows }, (_, i) => [
      { kind: "text", text: `${mark}${i + 1} Surname, Forename` },
      { kind: "text", text: "5A" },
      { kind: "pct", value: 80 + i / 10 },
      { kind: "text", text: "None recorded" },
    ]),
  };
}

function section(id: string, blocks: PackSection["blocks"], runOn = false): PackSection {
  return { id, title: `Section ${id}`, sheet: id, runOn, blocks };
}

/** A: a one-row table; B, run on under it (so starting part-way down page 2): a long list; C. */
const model: PackModel = {
  kind: "slt", title: "Monthly attendance pack", schoolName: "Test School", periodLabel: "November 2026", fileKey: "2026-11",
  period: { from: "2026-11-01", to: "2026-11-30" }, yearToDate: { from: "2026-08-01", to: "2026-11-30" }, periodKey: "2026-11",
  today: "2026-11-30", generatedAt: "2026-11-30T12:00:00Z", audience: "Staff only", notes: [], toDateTabs: null,
  sections: [
    section("a", [{ kind: "table", table: { caption: "A: short", columns: [{ label: "Measure" }, { label: "Sessions", numeric: true }], rows: [[{ kind: "text", text: "Row 0" }, { kind: "count", value: 0 }]] } }]),
    section("b", [{ kind: "paragraphs", items: ["B: words above the list."] }, { kind: "table", table: list("B", 30) }], true),
    section("c", [{ kind: "paragraphs", items: ["C: the last section's words."] }]),
  ],
};

function words(pdf: Buffer): { page: number; text: string; box: number[] }[] {
  const xhtml = execFileSync("/usr/bin/pdftotext", ["-bbox", "-", "-"], { input: pdf, encoding: "utf8" });
  return xhtml.split("<page ").slice(1).flatMap((page, i) =>
    [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({ page: i + 1, text: m[5], box: [m[1], m[2], m[3], m[4]].map(Number) })),
  );
}

describe("a run-on section with a long list, printed without the layout after printing", () => {
  it("prints every word at the same place as the print with that layout", async () => {
    const skipped = words(await packPdf(model));
    const laidOut = words(await packPdf(model, { layoutAfterPrint: true }));
    expect(skipped.map((w) => `${w.page}:${w.text}`)).toEqual(laidOut.map((w) => `${w.page}:${w.text}`));
    const furthest = Math.max(...skipped.flatMap((w, i) => w.box.map((n, k) => Math.abs(n - laidOut[i].box[k]))));
    expect(furthest).toBeLessThan(0.05);
  });
});
