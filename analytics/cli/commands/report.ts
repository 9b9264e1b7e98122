/** rollcall report benchmark --year 2025/26 (or 2025-26) --format pdf|xlsx|csv --out FILE */
import { resolveDbPath, withConnection } from "../../db.ts";
import { currentDate } from "../../periods.ts";
import { buildBenchmarkReport } from "../../benchmarks/report.ts";
import { REPORT_FORMATS, isReportFormat, renderReport } from "../../benchmarks/report-files.ts";
import { DB_OPTION, UsageError, optionalAcademicYear, parseOptions } from "../args.ts";
import { auditCli } from "../audit.ts";
import { cliOut } from "../context.ts";
import { checkOutFile, writeOutFile } from "../out-file.ts";

export const usage = `rollcall report benchmark --year 2025/26 --format ${REPORT_FORMATS.join("|")} --out FILE [--db FILE]
    [--area CODE]     also compare with a region or local authority (e.g. E10000029)
    [--groups KEY]    the period of the group comparison: year or a term such as autumn-2025
  The head's benchmark report: the school against national figures, with sources (the same
  report as the Benchmarks page and its downloads). "Today" is ROLLCALL_TODAY when set.`;

const REPORTS = ["benchmark"];

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    ...DB_OPTION,
    year: { type: "string" },
    format: { type: "string" },
    out: { type: "string" },
    area: { type: "string" },
    groups: { type: "string" },
  });
  const [kind] = positionals;
  if (!kind || !REPORTS.includes(kind)) throw new UsageError(`which report? one of: ${REPORTS.join(", ")} (got "${kind ?? ""}")`);
  if (!values.year) throw new UsageError("--year is required (e.g. 2025/26)");
  const academicYear = optionalAcademicYear(values.year, "--year")!;
  const format = values.format ?? "";
  if (!isReportFormat(format)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(", ")} (got "${format}")`);
  if (!values.out) throw new UsageError("--out FILE is required");
  checkOutFile(values.out, "--out", `report.${format}`);
  const started = Date.now();
  const report = await withConnection(resolveDbPath(values.db), (connection) =>
    buildBenchmarkReport(connection, { academicYear, today: currentDate(), areaCode: values.area, groupPeriod: values.groups }),
  );
  const body = await renderReport(report, format);
  writeOutFile(values.out, body);
  await auditCli(resolveDbPath(values.db), {}, { action: "export", target: values.out, detail: `benchmark report ${academicYear}, ${format}${values.area ? `, area ${values.area}` : ""}` });
  cliOut(`Wrote ${values.out} (${format}, ${body.length.toLocaleString("en-GB")} bytes, ${report.sources.length} sources) in ${Date.now() - started} ms\n`);
  return 0;
}
