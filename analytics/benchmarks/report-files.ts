/**
 * The benchmark report as a file: PDF (the HTML report printed by Chromium), XLSX (a report
 * sheet and a sources sheet) or CSV. All three are drawn from the one report model.
 */
import type ExcelJS from "exceljs";
import { excelJS } from "../exceljs.ts";
import { htmlToPdf, runningFooter } from "../render/pdf.ts";
import type { BenchmarkReport } from "./report.ts";
import { renderReportHtml, reportAudience } from "./report-html.ts";
import { REPORT_ROW_COLUMNS, reportRows, type ReportRow } from "./report-rows.ts";
import { formatIsoDate, horizonWords } from "./labels.ts";
import { downloadFileName } from "../download-names.ts";
import { csvDecimal, csvField, csvLine, neutraliseWorkbook } from "../cell-safety.ts";
import { DATE_FORMAT } from "../packs/xlsx.ts";

export const REPORT_FORMATS = ["pdf", "xlsx", "csv"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  pdf: "application/pdf",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
};

/**
 * "benchmark-report_2025-26_area-e12000006_groups-year_staff.pdf" (analytics/download-names.ts):
 * the year, the area compared with beside national (left out when none), the period of the
 * group comparison, and whom it is for — "governors" for the version with small counts
 * withheld, "staff" for the one with every count — so the head's and a governor's downloads
 * never share a name (a fresh-clone trial had both saved as benchmark-report-2025-26.pdf).
 */
export function reportFileName(report: BenchmarkReport, format: ReportFormat): string {
  return downloadFileName({
    base: "benchmark-report",
    period: report.academicYear.replace("/", "-"),
    options: [
      ["area", report.areaCode],
      ["groups", report.groupPeriod.key],
    ],
    audience: report.smallCountsWithheld ? "governors" : "staff",
    ext: format,
  });
}

/** Rates and gaps: one decimal place in the CSV, beside the exact numerator and denominator. */
const ONE_DECIMAL: ReadonlySet<keyof ReportRow> = new Set(["school_pct", "target_pct", "benchmark_pct", "gap_points"]);

/**
 * The report as CSV: one comparison a row (reportRows), percentages and gaps to one decimal
 * place (csvDecimal) with the school's exact numerator and denominator beside them and the
 * published figure as the DfE printed it (benchmark_as_published); every text field through
 * the shared formula neutraliser (csvField). Then a blank line and the sources.
 */
export function reportCsv(report: BenchmarkReport): string {
  const rows = reportRows(report);
  const lines = [csvLine(REPORT_ROW_COLUMNS)];
  for (const row of rows) {
    lines.push(REPORT_ROW_COLUMNS.map((column) => (ONE_DECIMAL.has(column) ? csvDecimal(row[column] as number | null) : csvField(row[column]))).join(","));
  }
  lines.push("");
  lines.push("source_ref,source,data_to,url");
  for (const source of report.sources) lines.push([source.ref, source.source, source.periodEnd, source.url].map(csvField).join(","));
  // Who may read it (the first line stays the column header, a contract for scripts).
  lines.push("");
  lines.push(["audience", reportAudience(report)].map(csvField).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

const HEADINGS: Record<keyof ReportRow, string> = {
  section: "Section",
  period: "Period",
  from: "From",
  to: "To",
  group: "Group",
  population: "Population",
  pupils: "Pupils",
  measure: "Measure",
  school_pct: "School %",
  numerator: "Numerator",
  denominator: "Denominator",
  unit: "Counted in",
  comparator: "Compared with",
  target_pct: "Target %",
  benchmark_pct: "Published %",
  benchmark_as_published: "As published",
  benchmark_basis: "Published figure for",
  gap_points: "Gap (pts)",
  comparison: "Comparison",
  source_ref: "Source",
  notes: "Notes",
};

/** An ISO day as the workbook's date (midnight UTC: the day itself whatever the reader's zone in Excel). */
function excelDay(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

/**
 * A report row's value as a workbook cell holds it, and the cell's number format: From and To as
 * dates; the figure as the DfE printed it as a number with as many decimal places as it was
 * printed with ("6.90" stays 6.90; as text a reader could not sum or sort it: trial 28); anything
 * else as it is.
 */
function workbookCell(column: keyof ReportRow, value: ReportRow[keyof ReportRow]): { value: ExcelJS.CellValue; numFmt?: string } {
  if ((column === "from" || column === "to") && typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return { value: excelDay(value), numFmt: DATE_FORMAT };
  if (column === "benchmark_as_published" && typeof value === "string") {
    const printed = /^-?\d+(?:\.(\d+))?$/.exec(value.trim());
    if (printed) {
      const places = printed[1]?.length ?? 0;
      return { value: Number(value), numFmt: places > 0 ? `0.${"0".repeat(places)}` : "0" };
    }
  }
  return { value: value as ExcelJS.CellValue };
}

export async function reportXlsx(report: BenchmarkReport): Promise<Buffer> {
  const workbook = new (await excelJS()).Workbook();
  workbook.creator = "Rollcall";
  workbook.created = new Date(`${report.produced}T12:00:00Z`);
  const sheet = workbook.addWorksheet("Benchmark report", { views: [{ state: "frozen", ySplit: 5 }] });
  sheet.addRow([reportAudience(report)]).font = { bold: true, color: { argb: "FFD4351C" } };
  sheet.addRow([`${report.schoolName}: attendance against national figures, ${report.academicYear}`]).font = { bold: true, size: 14 };
  sheet.addRow([`Produced ${formatIsoDate(report.produced)} by Rollcall.${horizonWords(report)} Absence rates: lower is better.`]);
  sheet.addRow([]);
  const header = sheet.addRow(REPORT_ROW_COLUMNS.map((column) => HEADINGS[column]));
  header.font = { bold: true };
  for (const row of reportRows(report)) {
    const cells = REPORT_ROW_COLUMNS.map((column) => workbookCell(column, row[column]));
    const added = sheet.addRow(cells.map((cell) => cell.value));
    cells.forEach((cell, i) => {
      if (cell.numFmt) added.getCell(i + 1).numFmt = cell.numFmt;
    });
  }
  REPORT_ROW_COLUMNS.forEach((column, i) => {
    const sheetColumn = sheet.getColumn(i + 1);
    sheetColumn.width = ["period", "group", "measure", "benchmark_basis", "comparison", "notes"].includes(column) ? 34 : 13;
    if (column === "school_pct" || column === "target_pct" || column === "benchmark_pct" || column === "gap_points") sheetColumn.numFmt = "0.00";
  });
  sheet.autoFilter = { from: { row: 5, column: 1 }, to: { row: 5, column: REPORT_ROW_COLUMNS.length } };

  const sources = workbook.addWorksheet("Sources");
  sources.addRow(["Source", "Publication and release", "Data to", "Address", "Loaded from"]).font = { bold: true };
  for (const source of report.sources) {
    const row = sources.addRow([source.ref, source.source, source.periodEnd ? excelDay(source.periodEnd) : "", source.url, source.origin]);
    if (/^https?:\/\//.test(source.url)) row.getCell(4).value = { text: source.url, hyperlink: source.url };
  }
  sources.getColumn(2).width = 60;
  sources.getColumn(3).width = 14;
  sources.getColumn(3).numFmt = DATE_FORMAT;
  sources.getColumn(4).width = 90;
  for (const note of report.notes) sources.addRow([]).getCell(2).value = note;
  // Names in a DfE file (a local authority's, say) are data, never formulas (OWASP CSV injection).
  neutraliseWorkbook(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function reportPdf(report: BenchmarkReport): Promise<Buffer> {
  return htmlToPdf(renderReportHtml(report), {
    // One A4 page (README): a governor's copy, with its notes on withheld figures, ran a line
    // onto a second page (trial 29); printed up to a tenth smaller instead.
    onePage: { leastScale: 0.9 },
    // Below the body's 7.5 pt at every scale: printed smaller, the body had read smaller than its footer (trial 29b).
    footerTemplate: (scale) => runningFooter(`${reportAudience(report)} · ${report.schoolName} · Benchmark report ${report.academicYear} · produced ${formatIsoDate(report.produced)}`, 7 * scale),
  });
}

export async function renderReport(report: BenchmarkReport, format: ReportFormat): Promise<Buffer> {
  if (format === "pdf") return reportPdf(report);
  if (format === "xlsx") return reportXlsx(report);
  return Buffer.from(reportCsv(report), "utf8");
}
