/**
 * Trial 28: the SLT pack's Trends sheet gave its weeks as text ("31 Aug") beside the weekly
 * sheet's dates. Every pack workbook, opened with exceljs: no cell holds as text what reads as a
 * number, a percentage or a date; the weekly chart's weeks are dates (dd/mm/yyyy) and the monthly
 * chart's months are dates shown as months (mmm yyyy). The tiny school (test/helpers/tiny-school.ts:
 * autumn 9 Sep–4 Oct 2024, spring 6–31 Jan 2025), today 10 Feb 2025.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { buildPack, renderPackFile } from "../analytics/packs/files.ts";
import type { PackKind } from "../analytics/packs/model.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { seedTinySchool } from "./helpers/tiny-school.ts";
import { ensureShippedBenchmarks } from "../analytics/benchmarks/load.ts";
import { buildBenchmarkReport } from "../analytics/benchmarks/report.ts";
import { reportXlsx } from "../analytics/benchmarks/report-files.ts";

const TODAY = "2025-02-10";
const db = tempDbPath("workbook-cell-types");
beforeAll(() => withConnection(db, seedTinySchool));
afterAll(() => removeDb(db));

/** Text that a reader would sum or sort as a number or a date: 12, −0.3, 95.2%, 2024-09-09, 9 Sep, 9 Sep 2024, Sep 2024, 09/09/2024. */
const NUMBER_OR_DATE = /^([−-]?\d[\d,]*(\.\d+)?\s?%?|\d{4}-\d{2}-\d{2}|\d{1,2} [A-Z][a-z]{2}( \d{4})?|[A-Z][a-z]{2} \d{4}|\d{2}\/\d{2}\/\d{4})$/;

async function workbook(kind: PackKind, period: string): Promise<ExcelJS.Workbook> {
  const model = await withConnection(db, (c) => buildPack(c, kind, period, TODAY, "xlsx"));
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await renderPackFile(model, "xlsx")) as unknown as ArrayBuffer);
  return book;
}

/** Columns of codes, text by design: a year group is "3" as it is "R" or "N1" (the census's codes). */
const CODE_COLUMNS = new Set(["Year"]);

/** Every text cell that reads as a number or a date: "Sheet!B7 "12.5"" (a code column's cells aside, by the table's bold heading row above). */
function textNumbers(book: ExcelJS.Workbook): string[] {
  const found: string[] = [];
  book.eachSheet((sheet) => {
    let heading: ExcelJS.Row | null = null;
    sheet.eachRow((row) => {
      if (row.font?.bold) heading = row;
      row.eachCell((cell) => {
        const column = heading && heading !== row ? String(heading.getCell(cell.col).value ?? "") : "";
        if (cell.type === ExcelJS.ValueType.String && !CODE_COLUMNS.has(column) && NUMBER_OR_DATE.test(String(cell.value).trim())) found.push(`${sheet.name}!${cell.address} "${cell.value}"`);
      });
    });
  });
  return found;
}

/** The cells under a chart's data heading ("Chart data: Weekly attendance, …"), down to the blank row. */
function chartColumn(book: ExcelJS.Workbook, sheetName: string, caption: RegExp): ExcelJS.Cell[] {
  const sheet = book.getWorksheet(sheetName)!;
  let start = 0;
  sheet.eachRow((row, n) => {
    if (!start && caption.test(String(row.getCell(1).value ?? ""))) start = n;
  });
  expect(start, String(caption)).toBeGreaterThan(0);
  const cells: ExcelJS.Cell[] = [];
  for (let n = start + 2; sheet.getRow(n).getCell(1).value !== null && sheet.getRow(n).getCell(2).value !== null; n++) cells.push(sheet.getRow(n).getCell(1));
  return cells;
}

describe("pack workbooks hold numbers and dates as numbers and dates", () => {
  it("the SLT pack (October 2024): no number or date as text; the weekly chart's weeks and the monthly chart's months are dates", async () => {
    const book = await workbook("slt", "2024-10");
    expect(textNumbers(book)).toEqual([]);
    const weeks = chartColumn(book, "Trends", /^Chart data: Weekly attendance/);
    // Autumn: the weeks beginning 9, 16, 23 and 30 Sep 2024 (the year to date ends 4 Oct).
    expect(weeks.map((c) => (c.value as Date).toISOString().slice(0, 10))).toEqual(["2024-09-09", "2024-09-16", "2024-09-23", "2024-09-30"]);
    expect(weeks.map((c) => c.numFmt)).toEqual(Array(4).fill("dd/mm/yyyy"));
    const months = chartColumn(book, "Trends", /^Chart data: Attendance month by month/);
    expect(months.map((c) => (c.value as Date).toISOString().slice(0, 10))).toEqual(["2024-09-01", "2024-10-01"]);
    expect(months.map((c) => c.numFmt)).toEqual(["mmm yyyy", "mmm yyyy"]);
  });

  it("the governors' pack (autumn 2024): no number or date as text", async () => {
    expect(textNumbers(await workbook("fgb", "autumn-2024"))).toEqual([]);
  });
});

describe("the benchmark report's workbook holds numbers and dates as numbers and dates (trial 28)", () => {
  it("From and To are dates, the figure as published a number printed to its own places, the sources' Data to a date", async () => {
    const report = await withConnection(db, async (c) => {
      await ensureShippedBenchmarks(c);
      return buildBenchmarkReport(c, { academicYear: "2024/25", today: TODAY, areaCode: "E06000051" });
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await reportXlsx(report)) as unknown as ArrayBuffer);
    expect(textNumbers(book)).toEqual([]);
    const sheet = book.getWorksheet("Benchmark report")!;
    const heads = (sheet.getRow(5).values as unknown[]).map(String);
    const col = (name: string) => heads.indexOf(name);
    const rows = Array.from({ length: sheet.rowCount - 5 }, (_, i) => sheet.getRow(6 + i)).filter((r) => r.getCell(1).value !== null);
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      for (const name of ["From", "To"]) {
        const cell = row.getCell(col(name));
        expect(cell.value, `${name} ${cell.address}`).toBeInstanceOf(Date);
        expect(cell.numFmt).toBe("dd/mm/yyyy");
      }
    }
    // The year's first row runs from 1 August (the academic year to date, as every page).
    expect((rows[0].getCell(col("From")).value as Date).toISOString().slice(0, 10)).toBe("2024-08-01");
    const published = rows.map((row) => row.getCell(col("As published"))).filter((cell) => cell.value !== null && cell.value !== "");
    expect(published.length).toBeGreaterThan(0);
    for (const cell of published) {
      expect(typeof cell.value, cell.address).toBe("number");
      expect(cell.numFmt).toMatch(/^0(\.0+)?$/);
    }
    const sources = book.getWorksheet("Sources")!;
    const dataTo = Array.from({ length: sources.rowCount - 1 }, (_, i) => sources.getRow(2 + i).getCell(3)).filter((cell) => cell.value !== null && cell.value !== "");
    expect(dataTo.length).toBeGreaterThan(0);
    for (const cell of dataTo) expect(cell.value, cell.address).toBeInstanceOf(Date);
  });
});
