/**
 * A pack's tables as printed to PDF by Chromium (analytics/packs/html.ts, pdf.ts): a short table
 * (up to 16 rows) is kept whole on one page even when its rows wrap so that, at its usual size,
 * it is taller than a page (trial 26: the SLT pack's 13-row list "90% to under 96% (13 of 47)",
 * its "Stage recorded" cells three lines tall, broke 12 + 1, its last row alone atop a page); a
 * long table that breaks across pages never leaves one row alone on a page (a 30-row list broke
 * 29 + 1 and 1 + 29). Read back with pdftotext: the rows of the table on each page.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { packPdf } from "../analytics/packs/pdf.ts";
import { closePrintBrowser } from "../analytics/render/pdf.ts";
import type { PackModel, PackTable } from "../analytics/packs/model.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-table-breaks-"));
afterAll(async () => {
  await closePrintBrowser();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** `rows` rows, each marked ROWnn; `stage`: the text of a narrow column (long text wraps onto several lines). */
function table(rows: number, stage: string): PackTable {
  return {
    caption: `The list (${rows} pupils)`,
    columns: [{ label: "Pupil" }, { label: "Class" }, { label: "Attendance", numeric: true }, { label: "Unauthorised sessions this year", numeric: true }, { label: "Stage recorded" }, { label: "Due by", nowrap: true }, { label: "Status" }],
    rows: Array.from({ length: rows }, (_, i) => [
      { kind: "text", text: `ROW${String(i + 1).padStart(2, "0")} Surname` },
      { kind: "text", text: "5A" },
      { kind: "pct", value: 90 + i / 10 },
      { kind: "count", value: i % 5 },
      { kind: "text", text: stage },
      { kind: "text", text: "Next review 4 Dec 2026" },
      { kind: "text", text: "If no improvement by 4 Dec 2026" },
    ]),
  };
}

/** A one-section pack: `filler` lines of text, then the table. */
function pack(filler: number, list: PackTable): PackModel {
  return {
    kind: "slt", title: "Monthly attendance pack", schoolName: "Test School", periodLabel: "November 2026", fileKey: "2026-11",
    period: { from: "2026-11-01", to: "2026-11-30" }, yearToDate: { from: "2026-08-01", to: "2026-11-30" }, periodKey: "2026-11",
    today: "2026-11-30", generatedAt: "2026-11-30T12:00:00Z", audience: "Staff only", notes: [], toDateTabs: null,
    sections: [{ id: "list", title: "Pupils below the policy's thresholds", sheet: "List", blocks: [
      { kind: "paragraphs", items: Array.from({ length: filler }, (_, i) => `Line ${i + 1} of the text before the list.`) },
      { kind: "table", table: list },
    ] }],
  };
}

/** The table's rows on each page that holds any, in order (e.g. [29, 1]). */
async function rowsPerPage(model: PackModel): Promise<number[]> {
  const file = path.join(dir, "pack.pdf");
  fs.writeFileSync(file, await packPdf(model));
  const text = execFileSync("/usr/bin/pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  return text.split("\f").map((page) => (page.match(/ROW\d\d/g) ?? []).length).filter((n) => n > 0);
}

const WRAPPING = "Monitoring letter and contact from the attendance lead: below 90% (Education welfare referral) (16 Oct 2026)";

describe("a pack's tables across pages", () => {
  it("a 13-row table too tall for a page at its usual size is printed tighter and kept whole", async () => {
    for (const filler of [0, 12, 24]) expect([filler, await rowsPerPage(pack(filler, table(13, WRAPPING)))]).toEqual([filler, [13]]);
  }, 120_000);

  it("a 30-row table breaking across pages leaves at least two rows on each", async () => {
    for (const filler of [13, 14, 37, 38]) {
      const pages = await rowsPerPage(pack(filler, table(30, "Letter: attendance below 96%")));
      expect(pages.reduce((a, b) => a + b, 0)).toBe(30);
      expect([filler, pages.filter((n) => n < 2)]).toEqual([filler, []]);
    }
  }, 120_000);
});
