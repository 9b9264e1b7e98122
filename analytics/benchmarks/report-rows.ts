/**
 * The report model as flat rows: one comparison a row. The CSV is these rows and the
 * workbook's report sheet is these rows, so neither can drift from the other or the page.
 */
import type { BenchmarkReport, MeasureLine, ReportPeriod } from "./report.ts";

export interface ReportRow {
  section: "target" | "year" | "term" | "group";
  period: string;
  from: string;
  to: string;
  group: string;
  /** Whose figures the row's school figure is: the DfE's basis, or the whole roll (the target row). */
  population: string;
  pupils: number | null;
  measure: string;
  /** Unrounded percent, null when the school has no figure or it is withheld. */
  school_pct: number | null;
  numerator: number | null;
  denominator: number | null;
  unit: string;
  comparator: string;
  /** The school's own target (Settings): the target row only, never a published figure. */
  target_pct: number | null;
  /** A published figure: empty on the target row. */
  benchmark_pct: number | null;
  /** As the DfE printed it. */
  benchmark_as_published: string;
  benchmark_basis: string;
  gap_points: number | null;
  comparison: string;
  source_ref: number | null;
  notes: string;
}

export const REPORT_ROW_COLUMNS: Array<keyof ReportRow> = [
  "section",
  "period",
  "from",
  "to",
  "group",
  "population",
  "pupils",
  "measure",
  "school_pct",
  "numerator",
  "denominator",
  "unit",
  "comparator",
  "target_pct",
  "benchmark_pct",
  "benchmark_as_published",
  "benchmark_basis",
  "gap_points",
  "comparison",
  "source_ref",
  "notes",
];

function lineRows(section: ReportRow["section"], period: ReportPeriod, group: string, pupils: number | null, line: MeasureLine): ReportRow[] {
  return line.cells.map((cell) => ({
    section,
    period: period.label,
    from: period.from,
    to: period.to,
    group,
    population: period.population,
    pupils,
    measure: line.label,
    school_pct: line.school,
    numerator: line.numerator,
    denominator: line.denominator,
    unit: line.unit,
    comparator: cell.column,
    target_pct: null,
    benchmark_pct: cell.benchmark?.value ?? null,
    benchmark_as_published: cell.benchmark?.valueText ?? "",
    benchmark_basis: cell.benchmark?.label ?? "no published figure",
    gap_points: cell.comparison.gapPoints,
    // Why school_pct is empty in a governor's copy, even where there is no published figure.
    comparison: line.withheld !== null && !cell.benchmark ? `no published figure; the school's figure: ${line.withheld}` : cell.comparison.words,
    source_ref: cell.benchmark?.sourceRef ?? null,
    notes: cell.benchmark?.notes.join("; ") ?? "",
  }));
}

export function reportRows(report: BenchmarkReport): ReportRow[] {
  const rows: ReportRow[] = [
    {
      section: "target",
      period: report.year.label,
      from: report.year.from,
      to: report.year.to,
      group: "All pupils",
      population: report.target.population,
      pupils: report.target.pupils,
      measure: "Attendance",
      school_pct: report.target.attendancePct,
      numerator: report.target.attended,
      denominator: report.target.possible,
      unit: "sessions",
      comparator: "School target",
      // The target in its own column: it is the school's setting, not a published figure
      // (trial20: 96.1 under "benchmark_as_published" and the workbook's "Published %").
      target_pct: report.target.targetPct,
      benchmark_pct: null,
      benchmark_as_published: "",
      benchmark_basis: "not a published figure: the school's own target (Settings)",
      gap_points: report.target.comparison.gapPoints,
      comparison: report.target.words,
      source_ref: null,
      notes: "",
    },
  ];
  for (const line of report.year.lines) rows.push(...lineRows("year", report.year, "All pupils", report.year.pupils, line));
  for (const term of report.terms) for (const line of term.lines) rows.push(...lineRows("term", term, "All pupils", term.pupils, line));
  const groupPeriod = [report.year, ...report.terms].find((period) => period.key === report.groupPeriod.key) ?? report.year;
  for (const group of report.groups) {
    if (group.lines.length === 0) {
      rows.push({
        section: "group",
        period: groupPeriod.label,
        from: groupPeriod.from,
        to: groupPeriod.to,
        group: group.label,
        population: groupPeriod.population,
        pupils: group.suppressed ? null : group.pupils,
        measure: "",
        school_pct: null,
        numerator: null,
        denominator: null,
        unit: "",
        comparator: "",
        target_pct: null,
        benchmark_pct: null,
        benchmark_as_published: "",
        benchmark_basis: "",
        gap_points: null,
        comparison: group.withheld ?? "no pupils in this group",
        source_ref: null,
        notes: "",
      });
      continue;
    }
    for (const line of group.lines) rows.push(...lineRows("group", groupPeriod, group.label, group.pupils, line));
  }
  return rows;
}
