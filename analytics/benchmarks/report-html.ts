/**
 * The head's benchmark report as one A4 page of HTML (framework-free, printed to PDF by
 * analytics/render/pdf.ts). It draws the same report model as the /benchmarks page.
 */
import type { BenchmarkReport, ComparisonCell, MeasureLine, ReportPeriod } from "./report.ts";
import { formatIsoDate, formatPercent, horizonWords, populationWords, yearSpanWords } from "./labels.ts";
import { escapeXml } from "../packs/svg.ts";

/**
 * Who the report is for, printed at the head of every format (HTML, PDF, workbook, CSV): the
 * staff's report carries counts of 1–4 pupils, so it must not be published; a governor's has
 * them withheld (analytics/benchmarks/report-suppression.ts). The full report is the one the
 * head sends to the local authority (and to the trust, if the school is in one), with whom the DfE's "Working together to
 * improve school attendance" has schools share attendance data: "for staff only" left a
 * trial's head unsure which version to send (trial 53).
 */
export function reportAudience(report: Pick<BenchmarkReport, "smallCountsWithheld" | "smallGroupMin">): string {
  return report.smallCountsWithheld
    ? `For governors: counts of 1 to ${report.smallGroupMin - 1} pupils are withheld`
    : "Contains small counts — for staff, the local authority or the trust; not for publication";
}

/** The one escape of the app's generated HTML. */
const escape = escapeXml;

/** "primary, 2024/25 full year" from "National (primary, 2024/25 full year)". */
function basisOf(label: string): string {
  const match = /\((.*)\)$/.exec(label);
  return match ? match[1] : label;
}

function comparisonCell(cell: ComparisonCell | undefined): string {
  if (!cell?.benchmark) return `<td class="num none">no published figure</td><td></td>`;
  const direction = cell.comparison.direction ?? "none";
  return `<td class="num">${formatPercent(cell.benchmark.value)}<sup>${cell.benchmark.sourceRef}</sup><div class="basis">${escape(basisOf(cell.benchmark.label))}</div></td>
    <td class="cmp ${direction}">${escape(cell.comparison.words)}</td>`;
}

const count = (value: number | null) => (value === null ? "—" : value.toLocaleString("en-GB"));

function schoolCell(line: MeasureLine): string {
  // Withheld from a governor: the words in place of the rate and its count (as the FGB pack).
  if (line.withheld !== null) {
    const of = line.denominator === null ? "" : `<div class="basis">of ${count(line.denominator)} ${line.unit}</div>`;
    return `<td class="num withheld">${escape(line.withheld)}${of}</td>`;
  }
  return `<td class="num"><strong>${formatPercent(line.school)}</strong><div class="basis">${count(line.numerator)} / ${count(line.denominator)} ${line.unit}</div></td>`;
}

/** Columns (national, region, local authority) that have at least one published figure, national always. */
function usedColumns(report: BenchmarkReport, lines: MeasureLine[]): number[] {
  return report.columns
    .map((_, i) => i)
    .filter((i) => i === 0 || lines.some((line) => line.cells[i]?.benchmark));
}

/**
 * The school's attendance against its own target: a table of its own, with a "Target" column,
 * since the target is the school's setting, not a published figure (trial20: 96.1 % stood
 * under "National" in the year's table).
 */
function targetTable(report: BenchmarkReport): string {
  const target = report.target;
  return `<table data-table="target">
    <caption>${escape(report.year.label)}: the school's own target (Settings), not a published figure</caption>
    <thead><tr><th>Measure</th><th class="num">School</th><th class="num">Target</th><th>Compared</th></tr></thead>
    <tbody>
      <tr class="target"><th scope="row">Attendance against the school's target<div class="basis" data-population>${escape(populationWords(target.population, target.pupils))}</div></th>
        <td class="num">${target.withheld !== null ? escape(target.withheld) : `<strong>${formatPercent(target.attendancePct)}</strong><div class="basis">${count(target.attended)} / ${count(target.possible)} sessions</div>`}</td>
        <td class="num">${formatPercent(target.targetPct)}<div class="basis">school target (Settings)</div></td>
        <td class="cmp ${target.comparison.direction ?? "none"}">${escape(target.words)}</td></tr>
    </tbody></table>`;
}

/** The year against published figures only (national, and a region or local authority chosen). */
function yearTable(report: BenchmarkReport): string {
  const columns = usedColumns(report, report.year.lines);
  const head = columns.map((i) => `<th class="num">${escape(report.columns[i].label)}</th><th>Compared</th>`).join("");
  const rows = report.year.lines
    .map((line) => `<tr><th scope="row">${escape(line.label)}<div class="basis" data-population>${escape(populationWords(report.year.population, report.year.pupils))}</div></th>${schoolCell(line)}${columns.map((i) => comparisonCell(line.cells[i])).join("")}</tr>`)
    .join("");
  return `<table data-table="year">
    <caption>${escape(report.year.label)}: ${escape(yearSpanWords(report.academicYear, report.firstSchoolDay, report.year.to))}</caption>
    <thead><tr><th>Measure</th><th class="num">School</th>${head}</tr></thead>
    <tbody>
      ${rows}
    </tbody></table>`;
}

/** Terms or groups: one row each, overall absence and persistent absence side by side. */
function compactTable(
  report: BenchmarkReport,
  caption: string,
  firstHeading: string,
  rows: Array<{ label: string; pupils: number | null; lines: MeasureLine[]; message?: string }>,
): string {
  const allLines = rows.flatMap((row) => row.lines);
  const columns = usedColumns(report, allLines);
  const perMeasure = 1 + columns.length * 2;
  const measureHead = (name: string) =>
    `<th class="num">School</th>${columns.map((i) => `<th class="num">${escape(report.columns[i].label)}</th><th>Compared</th>`).join("")}`.replace(
      "<th class=\"num\">School</th>",
      `<th class="num">${name}: school</th>`,
    );
  const body = rows
    .map((row) => {
      const pupils = `<td class="num">${row.pupils === null ? "—" : row.pupils}</td>`;
      if (row.lines.length === 0) return `<tr><th scope="row">${escape(row.label)}</th>${pupils}<td colspan="${perMeasure * 2}" class="none">${escape(row.message ?? "")}</td></tr>`;
      const cells = row.lines.map((line) => `${schoolCell(line)}${columns.map((i) => comparisonCell(line.cells[i])).join("")}`).join("");
      return `<tr><th scope="row">${escape(row.label)}</th>${pupils}${cells}</tr>`;
    })
    .join("");
  return `<table><caption>${escape(caption)}</caption>
    <thead><tr><th>${firstHeading}</th><th class="num">Pupils</th>${measureHead("Absence")}${measureHead("Persistent absence")}</tr></thead>
    <tbody>${body}</tbody></table>`;
}

const STYLE = `
  @page { size: A4; }
  * { box-sizing: border-box; }
  /* One A4 page: the whole report, a little smaller, rather than a second page of footnotes. */
  html { zoom: 0.85; }
  body { font-family: "Helvetica Neue", Helvetica, Arial, sans-serif; font-size: 7.5pt; color: #0b0c0c; margin: 0; line-height: 1.2; }
  h1 { font-size: 15pt; margin: 0 0 1mm; }
  .lede { color: #505a5f; margin: 0 0 3mm; font-size: 9pt; }
  table { width: 100%; border-collapse: collapse; margin: 0 0 2mm; font-variant-numeric: tabular-nums; }
  tr { page-break-inside: avoid; }
  caption { text-align: left; font-weight: 700; font-size: 10pt; padding-bottom: 1mm; }
  th, td { border-bottom: 0.3mm solid #b1b4b6; padding: 0.5mm 1.2mm 0.5mm 0; text-align: left; vertical-align: top; }
  thead th { border-bottom: 0.5mm solid #0b0c0c; font-size: 7pt; }
  .num { text-align: right; }
  .basis { color: #505a5f; font-size: 6pt; font-weight: 400; }
  sup { font-size: 6pt; color: #1d70b8; }
  .cmp { font-weight: 700; font-size: 7.5pt; }
  .better { color: #00703c; }
  .worse { color: #d4351c; }
  .same, .none { color: #505a5f; }
  td.none { font-style: italic; font-size: 7pt; }
  .audience { margin: 0 0 1mm; font-weight: 700; font-size: 8pt; color: #d4351c; text-transform: uppercase; letter-spacing: 0.02em; }
  td.withheld { font-style: italic; font-size: 6.5pt; color: #505a5f; }
  tr.target th, tr.target td { background: #f3f2f1; }
  .sources { font-size: 6.5pt; color: #0b0c0c; padding-left: 4mm; margin: 1mm 0; }
  .sources li { margin: 0 0 0.5mm; }
  /* Only the address may break anywhere (a long URL has no spaces); the source's words wrap at
     spaces: with break-all on the whole item a trial's PDF read "(fil e data/…)" (trial 53). */
  .sources .address { overflow-wrap: anywhere; }
  .notes { font-size: 7pt; color: #505a5f; margin: 1mm 0 0; padding-left: 4mm; }
  h2 { font-size: 9.5pt; margin: 2mm 0 1mm; }
`;

export function renderReportHtml(report: BenchmarkReport): string {
  const groupPeriod: ReportPeriod | undefined = [report.year, ...report.terms].find((p) => p.key === report.groupPeriod.key);
  const terms = report.terms.map((term) => ({ label: term.label, pupils: term.pupils, lines: term.lines }));
  const groups = report.groups.map((group) => ({
    label: group.label,
    pupils: group.suppressed ? null : group.pupils,
    lines: group.lines,
    message: group.withheld ?? "No pupils in this group",
  }));
  const sources = report.sources
    .map(
      (source) =>
        `<li value="${source.ref}">${escape(source.source)}: <span class="address">${escape(source.address)}</span></li>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>${escape(report.schoolName)}: benchmark report ${escape(report.academicYear)}</title><style>${STYLE}</style></head>
<body>
  <p class="audience" data-audience>${escape(reportAudience(report))}</p>
  <h1>${escape(report.schoolName)}: attendance against national figures, ${escape(report.academicYear)}</h1>
  <p class="lede">Produced ${formatIsoDate(report.produced)}.${horizonWords(report)} The school's figures are from its register; each published figure is for the same phase, period and group where one exists, with its source numbered below.</p>
  ${targetTable(report)}
  ${yearTable(report)}
  ${terms.length ? compactTable(report, `By term: pupils ${report.year.population}`, "Term", terms) : `<p class="notes">No term of ${escape(report.academicYear)} has begun.</p>`}
  ${compactTable(report, `By pupil group: ${groupPeriod?.label ?? report.groupPeriod.label}, pupils ${report.year.population}`, "Group", groups)}
  <h2>Sources</h2>
  <ol class="sources">${sources || "<li>No published figure was found for this year.</li>"}</ol>
  <ul class="notes">${report.notes.map((note) => `<li>${escape(note)}</li>`).join("")}</ul>
</body></html>`;
}
