/**
 * A pack as an Excel workbook: an About tab, a tab per section (its figures, tables, the data
 * behind each chart, sentences and commentary) and the Appendix A tabs "Weekly attendance to
 * date", "Termly attendance to date" and "Annual attendance to date". Numbers are stored as
 * numbers with a display format, never as text, so the SLT can sort and chart them. The SLT
 * pack's rates keep full precision (the format shows one decimal); the governors' pack stores
 * each rate and change as printed (one decimal, a setting as typed), because what a governor is
 * given is what the anonymisation planned for: a rate's fifteen digits pin down its sessions
 * (96.03489294210944 % is only 16,954 of 17,654), so a cell's full precision beside the whole
 * roll's would give away the pupils outside it.
 */
import { londonDateTime } from "../time.ts";
import type ExcelJS from "exceljs";
import { excelJS } from "../exceljs.ts";
import type { Block, Cell, PackModel, PackTable } from "./model.ts";
import { periodLine, ukDate } from "./format.ts";
import { neutraliseWorkbook } from "../cell-safety.ts";
import { roleLabel } from "../users/roles.ts";
import { decimalsBesideLines, formatThreshold } from "../thresholds.ts";

const PCT_FORMAT = '0.0"%"';
const POINTS_FORMAT = '+0.0" pts";-0.0" pts";0.0" pts"';
const COUNT_FORMAT = "#,##0";
/** A day in every workbook Rollcall writes (en-GB), and a month. */
export const DATE_FORMAT = "dd/mm/yyyy";
const MONTH_FORMAT = "mmm yyyy";
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFF3F2F1" } };

/** Excel's rules: at most 31 characters, none of []:*?/\, unique in the workbook. */
export function sheetName(wanted: string, taken: Set<string>): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, " ").slice(0, 31).trim() || "Sheet";
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - String(n).length - 1)} ${n}`;
  taken.add(name.toLowerCase());
  return name;
}

/** A rate or change as printed: one decimal (packs/format.ts pct and points) or `digits`, null kept. */
const asPrinted = (value: number | null, digits = 1): number | null => (value === null ? null : Number(value.toFixed(digits)));

function writeCell(target: ExcelJS.Cell, cell: Cell, printed: boolean): void {
  switch (cell.kind) {
    case "count":
      target.value = cell.value;
      target.numFmt = COUNT_FORMAT;
      return;
    case "pct":
      if (cell.lines !== undefined && cell.value !== null) {
        // Beside the school's lines: as many decimals as keep it off a line, as printed (format.ts cellText).
        const digits = decimalsBesideLines(cell.value, cell.lines);
        target.value = printed ? asPrinted(cell.value, digits) : cell.value;
        target.numFmt = `0.${"0".repeat(digits)}"%"`;
        return;
      }
      // A setting is printed as typed, so its value is already what is printed.
      target.value = printed && !cell.setting ? asPrinted(cell.value) : cell.value;
      // A setting keeps the decimals the school typed (95.25 shows as 95.25%, not 95.3%).
      target.numFmt = cell.setting && cell.value !== null ? `0.${"0".repeat(formatThreshold(cell.value, 1).split(".")[1]!.length - 1)}"%"` : PCT_FORMAT;
      return;
    case "points":
      target.value = printed ? asPrinted(cell.value) : cell.value;
      target.numFmt = POINTS_FORMAT;
      return;
    case "date":
      target.value = new Date(`${cell.value}T00:00:00Z`);
      target.numFmt = cell.month ? MONTH_FORMAT : DATE_FORMAT;
      return;
    case "suppressed":
      target.value = cell.text;
      target.font = { italic: true, color: { argb: "FF505A5F" } };
      target.alignment = { horizontal: "right" };
      return;
    case "text":
    case "tag":
      target.value = cell.text;
      return;
  }
}

function writeTable(sheet: ExcelJS.Worksheet, table: PackTable, printed: boolean): void {
  const caption = sheet.addRow([table.caption]);
  caption.font = { bold: true, size: 12 };
  if (table.rows.length === 0) {
    sheet.addRow([table.empty ?? "Nothing to show."]).font = { italic: true };
    sheet.addRow([]);
    return;
  }
  const header = sheet.addRow(table.columns.map((c) => c.label));
  header.font = { bold: true };
  header.eachCell((c, i) => {
    c.fill = HEADER_FILL;
    c.alignment = { horizontal: table.columns[i - 1]?.numeric ? "right" : "left", wrapText: true, vertical: "bottom" };
  });
  for (const row of table.rows) {
    const excelRow = sheet.addRow([]);
    row.forEach((cell, i) => writeCell(excelRow.getCell(i + 1), cell, printed));
  }
  if (table.note) sheet.addRow([table.note]).font = { italic: true, color: { argb: "FF505A5F" } };
  sheet.addRow([]);
}

function writeBlock(sheet: ExcelJS.Worksheet, block: Block, printed: boolean): void {
  switch (block.kind) {
    case "figures":
      writeTable(sheet, {
        caption: "Headline figures",
        columns: [{ label: "Figure" }, { label: "Value", numeric: true }, { label: "Status" }, { label: "Details" }],
        rows: block.items.map((f) => [{ kind: "text", text: f.label }, f.value, { kind: "text", text: f.status?.text ?? "" }, { kind: "text", text: f.details.join(" · ") }]),
      }, printed);
      return;
    case "table":
      writeTable(sheet, block.table, printed);
      return;
    case "chart": {
      const { chart } = block;
      // Weeks and months as dates (their first day), as the weekly sheet's; other categories as their labels.
      const dates = chart.dates;
      const category = (i: number): Cell =>
        dates ? { kind: "date", value: dates.first[i]!, ...(dates.unit === "month" ? { month: true as const } : {}) } : { kind: "text", text: chart.categories[i]! };
      writeTable(sheet, {
        caption: `Chart data: ${chart.title}`,
        columns: [{ label: dates ? (dates.unit === "week" ? "Week beginning" : "Month") : "" }, ...chart.series.map((s) => ({ label: s.name, numeric: true }))],
        rows: chart.categories.map((_, i) => [category(i), ...chart.series.map((s): Cell => ({ kind: "pct", value: s.values[i] }))]),
        note: chart.target ? chart.target.label : undefined,
      }, printed);
      return;
    }
    case "paragraphs":
      if (block.heading) sheet.addRow([block.heading]).font = { bold: true, size: 12 };
      if (block.items.length === 0) sheet.addRow(["Nothing in the figures to report under this heading."]);
      for (const sentence of block.items) sheet.addRow([sentence]).getCell(1).alignment = { wrapText: false };
      sheet.addRow([]);
      return;
    case "commentary":
      sheet.addRow([block.heading]).font = { bold: true, size: 12 };
      if (!block.entry) {
        sheet.addRow(["No commentary has been written for this heading yet."]).font = { italic: true };
      } else {
        for (const line of block.entry.body.split(/\r?\n/)) sheet.addRow([line]);
        sheet.addRow([`${block.entry.author}, ${roleLabel(block.entry.role)} — saved ${londonDateTime(block.entry.updatedAt)}`]).font = { italic: true, color: { argb: "FF505A5F" } };
      }
      sheet.addRow([]);
      return;
  }
}

function sizeColumns(sheet: ExcelJS.Worksheet, first: number): void {
  sheet.getColumn(1).width = first;
  for (let i = 2; i <= Math.max(2, sheet.columnCount); i++) sheet.getColumn(i).width = 16;
}

export async function packWorkbook(model: PackModel): Promise<Buffer> {
  const workbook = new (await excelJS()).Workbook();
  workbook.creator = "Rollcall";
  workbook.created = new Date(model.generatedAt);
  workbook.title = `${model.title}, ${model.periodLabel}`;
  const taken = new Set<string>();
  // The governors' pack gives its rates as printed (see the header comment).
  const printed = model.kind === "fgb";

  const about = workbook.addWorksheet(sheetName("About", taken));
  about.addRow([model.schoolName]).font = { bold: true, size: 14 };
  about.addRow([model.title]).font = { bold: true, size: 16 };
  about.addRow([]);
  const facts: Array<[string, string]> = [
    ["Period", periodLine(model.periodLabel, model.period)],
    ["Year to date", `${ukDate(model.yearToDate.from)} to ${ukDate(model.yearToDate.to)}`],
    ["Audience", model.audience],
    ["Produced", `${londonDateTime(model.generatedAt)} by Rollcall`],
    ...model.notes.map((note): [string, string] => ["Note", note]),
  ];
  for (const [label, value] of facts) {
    const row = about.addRow([label, value]);
    row.getCell(1).font = { bold: true };
  }
  about.addRow([]);
  about.addRow(["Tabs"]).font = { bold: true };

  const sheets: string[] = [];
  for (const section of model.sections) {
    const sheet = workbook.addWorksheet(sheetName(section.sheet, taken));
    sheets.push(sheet.name);
    sheet.addRow([section.title]).font = { bold: true, size: 14 };
    if (section.intro) sheet.addRow([section.intro]).font = { color: { argb: "FF383F43" } };
    sheet.addRow([]);
    for (const block of section.blocks) writeBlock(sheet, block, printed);
    sizeColumns(sheet, 44);
  }
  // A model made for the PDF or the page has no tabs: a workbook without them would look whole.
  if (model.toDateTabs === null) throw new Error("This pack's figures were made without the to-date tabs (for the PDF): build it for the workbook (buildPack without format \"pdf\").");
  for (const tab of model.toDateTabs) {
    const sheet = workbook.addWorksheet(sheetName(tab.sheet, taken));
    sheets.push(sheet.name);
    writeTable(sheet, tab.table, printed);
    // Caption is row 1, the header row 2: keep both in view while scrolling the weeks.
    sheet.views = [{ state: "frozen", xSplit: 1, ySplit: 2 }];
    sizeColumns(sheet, 24);
  }
  for (const name of sheets) about.addRow([name]);
  about.getColumn(1).width = 18;
  about.getColumn(2).width = 100;
  // Commentary, class names and pupils' names are data, never formulas (OWASP CSV injection).
  neutraliseWorkbook(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
