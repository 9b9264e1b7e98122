/**
 * A pack's tables as printed to PDF by Chromium (analytics/packs/html.ts, pdf.ts): a short table
 * is kept whole on one page when it takes at most a third of a page (pdf.ts KEEP_WHOLE_SHARE);
 * a taller one breaks where it falls, as a long one does, so tables one after another fill
 * their pages (trial 29: the SLT pack's ladder steps one to a page, half of each blank); a table
 * that breaks across pages never leaves one row alone on a page (trial 26: a 13-row list broke
 * 12 + 1; a 30-row list broke 29 + 1 and 1 + 29). Read back with pdftotext: the rows of the
 * table on each page, and how far down each page its last row starts.
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

/** A ladder step's "Stage recorded" as the SLT pack prints it: three lines in its column. */
const STEP = "Monitoring letter and contact: below 90% (2 Oct 2026)";
const WRAPPING = "Monitoring letter and contact from the attendance lead: below 90% (Education welfare referral) (16 Oct 2026)";

/** A one-section pack of `count` tables, one after another (the SLT pack's ladder steps). */
function packOfTables(count: number, rows: number, stage: string): PackModel {
  const one = pack(0, table(rows, stage));
  const tables = Array.from({ length: count }, () => ({ kind: "table" as const, table: table(rows, stage) }));
  return { ...one, sections: [{ ...one.sections[0], blocks: tables }] };
}

/**
 * Per page holding a row, how far down the page its last row starts (yMin of the last ROWnn,
 * as a share of the page's height: pdftotext -bbox).
 */
async function lastRowDepths(model: PackModel): Promise<number[]> {
  const file = path.join(dir, "pack-depth.pdf");
  fs.writeFileSync(file, await packPdf(model));
  const xml = execFileSync("/usr/bin/pdftotext", ["-bbox", file, "-"], { encoding: "utf8" });
  return xml.split("<page ").slice(1).flatMap((page) => {
    const height = Number(/height="([\d.]+)"/.exec(page)![1]);
    const rows = [...page.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>ROW\d\d<\/word>/g)].map((m) => Number(m[1]));
    return rows.length > 0 ? [Math.max(...rows) / height] : [];
  });
}

describe("a pack's tables across pages", () => {
  it("a 13-row table of wrapping rows (more than a third of a page) breaks where it falls, never leaving a row alone on a page", async () => {
    for (const filler of [0, 12, 24, 36]) {
      const pages = await rowsPerPage(pack(filler, table(13, WRAPPING)));
      expect(pages.reduce((a, b) => a + b, 0)).toBe(13);
      expect([filler, pages.filter((n) => n < 2)]).toEqual([filler, []]);
    }
  }, 120_000);

  it("a short table of a few one-line rows is kept whole on one page wherever it falls", async () => {
    for (const filler of [36, 39, 42, 45]) expect([filler, await rowsPerPage(pack(filler, table(6, "Letter")))]).toEqual([filler, [6]]);
  }, 120_000);

  it("tables one after another fill their pages: each page but the last filled to at least about two thirds (trial 29: the SLT pack's ladder steps one to a page, pages half empty)", async () => {
    const depths = await lastRowDepths(packOfTables(6, 5, STEP));
    expect(depths.length).toBeGreaterThan(1);
    // Kept whole, six 5-row steps went one to a page, each page's last row starting 53 % down.
    const full = depths.slice(0, -1);
    for (const depth of full) expect(depth).toBeGreaterThan(0.55);
    expect(full.reduce((a, b) => a + b, 0) / full.length).toBeGreaterThan(2 / 3);
  }, 120_000);

  it("a 30-row table breaking across pages leaves at least two rows on each", async () => {
    for (const filler of [13, 14, 37, 38]) {
      const pages = await rowsPerPage(pack(filler, table(30, "Letter: attendance below 96%")));
      expect(pages.reduce((a, b) => a + b, 0)).toBe(30);
      expect([filler, pages.filter((n) => n < 2)]).toEqual([filler, []]);
    }
  }, 120_000);
});

/** The 1-based pages of the printed pack on which `word` appears (pdftotext). */
async function pagesOf(model: PackModel, words: string[]): Promise<number[][]> {
  const file = path.join(dir, "pack-words.pdf");
  fs.writeFileSync(file, await packPdf(model));
  const pages = execFileSync("/usr/bin/pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).split("\f");
  return words.map((word) => pages.flatMap((page, i) => (page.includes(word) ? [i + 1] : [])));
}

describe("what a table keeps with it on the page (trial 34)", () => {
  const chart = { type: "bar" as const, title: "CHARTTITLE: attendance", yLabel: "Attendance (%)", categories: ["Class 3A", "Class 3B", "Class 4A"], series: [{ name: "This term", values: [95.1, 96.2, 94.8] }] };

  it("a chart and the short table of its figures under it are printed on one page wherever they fall (the governors' classes chart had ended a page, its table alone on the next)", async () => {
    // As the governors' classes table: one line a row, well under a third of a page.
    // 6 rows, and 10, over a third of a page (trial 35: a 9-row table of that height had been let go from its chart).
    for (const rows of [6, 10]) {
      const classes: PackTable = {
        caption: "Classes",
        columns: [{ label: "Class" }, { label: "Pupils", numeric: true }, { label: "Year to date", numeric: true }],
        rows: Array.from({ length: rows }, (_, i) => [{ kind: "text", text: `ROW${String(i + 1).padStart(2, "0")}` }, { kind: "count", value: 30 }, { kind: "pct", value: 95 }]),
      };
      for (const filler of [20, 26, 32, 38]) {
        const one = pack(filler, classes);
        const model = { ...one, sections: [{ ...one.sections[0], blocks: [one.sections[0].blocks[0], { kind: "chart" as const, chart }, one.sections[0].blocks[1]] }] };
        const [chartPages, firstRow, lastRow] = await pagesOf(model, ["CHARTTITLE", "ROW01", `ROW${String(rows).padStart(2, "0")}`]);
        expect([rows, filler, chartPages.length, firstRow, lastRow]).toEqual([rows, filler, 1, chartPages, chartPages]);
      }
    }
  }, 120_000);

  it("a table's note is printed whole, not run onto the next page (the SLT headline's note had two lines on the page after)", async () => {
    const note = `NOTEFIRST ${`${Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ")} of the note to the table, read with it. `.repeat(2)}NOTELAST`;
    for (const filler of [16, 18, 20, 22, 24, 26, 28, 30]) {
      const [first, last] = await pagesOf(pack(filler, { ...table(12, "Letter: attendance below 96% and more words"), note }), ["NOTEFIRST", "NOTELAST"]);
      expect([filler, first.length, first]).toEqual([filler, 1, last]);
    }
  }, 120_000);
});
