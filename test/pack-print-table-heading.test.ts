/**
 * A table's caption and column headings are printed on the page of its first row (analytics/
 * packs/html.ts, print styles): trial 50b found the SLT pack's "85% to under 90% (4 of 17) — next
 * step: Meeting with targets" and its column headings alone at the foot of a page, the rows on the
 * next (a first row of several lines too tall for the space left; rows are never split). The
 * demo's October 2026 pack had one too. Here a table whose first row is six lines tall is pushed
 * down a page by 0 to 44 lines of words above it, so for some of them only the caption and the
 * headings would fit at the foot of the page.
 */
import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { packPdf } from "../analytics/packs/pdf.ts";
import { closePrintBrowser } from "../analytics/render/pdf.ts";
import type { PackModel, PackTable } from "../analytics/packs/model.ts";

afterAll(() => closePrintBrowser());

const table: PackTable = {
  caption: "CAPTIONWORD 85% to under 90% (4 of 17) — next step: Meeting with targets",
  columns: [{ label: "Pupil" }, { label: "Class" }, { label: "HEADINGWORD" }],
  rows: Array.from({ length: 12 }, (_, i) => [
    { kind: "text", text: i === 0 ? "FIRSTROW Surname, Forename" : `Row${i} Surname, Forename` },
    { kind: "text", text: "5A" },
    { kind: "text", text: Array.from({ length: i === 0 ? 6 : 1 }, () => "Monitoring letter and contact: below 90 per cent (23 Oct 2026) and a meeting with targets").join(" ") },
  ]),
};

/** The pack with `lines` short paragraphs above the table, in one section. */
function model(lines: number): PackModel {
  return {
    kind: "slt", title: "Monthly attendance pack", schoolName: "Test School", periodLabel: "November 2026", fileKey: "2026-11",
    period: { from: "2026-11-01", to: "2026-11-30" }, yearToDate: { from: "2026-08-01", to: "2026-11-30" }, periodKey: "2026-11",
    today: "2026-11-30", generatedAt: "2026-11-30T12:00:00Z", audience: "Staff only", notes: [], toDateTabs: null,
    sections: [
      {
        id: "a", title: "Section a", sheet: "a", runOn: false,
        blocks: [{ kind: "paragraphs", items: Array.from({ length: lines }, (_, i) => `Words above the table, line ${i + 1}.`) }, { kind: "table", table }],
      },
    ],
  };
}

/** The page (1-based) of each marker word's first appearance. */
function pagesOf(pdf: Buffer, markers: string[]): Map<string, number> {
  const pages = execFileSync("/usr/bin/pdftotext", ["-layout", "-", "-"], { input: pdf, encoding: "utf8" }).split("\f");
  return new Map(markers.map((m) => [m, pages.findIndex((text) => text.includes(m)) + 1]));
}

describe("a table's caption and headings in print", () => {
  it("are never left at the foot of a page without the table's first row", async () => {
    const seen: Array<[number, number, number, number]> = [];
    for (let lines = 0; lines <= 44; lines += 4) {
      const at = pagesOf(await packPdf(model(lines)), ["CAPTIONWORD", "HEADINGWORD", "FIRSTROW"]);
      seen.push([lines, at.get("CAPTIONWORD")!, at.get("HEADINGWORD")!, at.get("FIRSTROW")!]);
    }
    // The table starts on the second page (the first is the cover) for the fewest lines, and is
    // pushed on to the next for the most: the case the rule is for was reached.
    expect(seen[0][3]).toBeLessThan(seen[seen.length - 1][3]);
    for (const [lines, caption, heading, first] of seen) expect([lines, caption, heading], `${lines} lines above`).toEqual([lines, first, first]);
  });
});
