/**
 * The head's benchmark report: its figures are the analytics functions' (checked by hand on
 * a tiny register, and against summarise/summariseBy on the demo school), and the PDF,
 * workbook and CSV print the same figures.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../analytics/csv.ts";
import { closeAllInstances, withConnection, type Connection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { summarise, summariseBy } from "../analytics/measures.ts";
import { setSetting } from "../analytics/settings.ts";
import { NATIONAL_FILE } from "../analytics/benchmarks/load.ts";
import { nationalFiguresFor } from "../analytics/benchmarks/for-period.ts";
import { resolvePeriod } from "../analytics/periods.ts";
import { SCHOOL_GROUPS, SCHOOL_MEASURE, buildBenchmarkReport, type BenchmarkReport } from "../analytics/benchmarks/report.ts";
import { reportCsv, reportPdf, reportXlsx } from "../analytics/benchmarks/report-files.ts";
import { REPORT_ROW_COLUMNS } from "../analytics/benchmarks/report-rows.ts";
import { sourceAddress } from "../analytics/benchmarks/labels.ts";
import { main } from "../analytics/cli/index.ts";
import { countFigures } from "../analytics/benchmarks/store.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { seedTinySchool as seedTinyRegister } from "./helpers/tiny-school.ts";

const national = (() => {
  const [header, ...rows] = parseCsv(fs.readFileSync(path.resolve(import.meta.dirname, "../data/benchmarks", NATIONAL_FILE), "utf8"), NATIONAL_FILE);
  return rows.map((row) => Object.fromEntries(header.fields.map((field, i) => [field.value, row.fields[i].value])));
})();

/** The tiny school with every group shown to governors too (3 is the least minimum a school may set). */
async function seedTinySchool(c: Connection) {
  await seedTinyRegister(c);
  await setSetting(c, "small_group_min", "3");
}

const lineOf = (report: BenchmarkReport, measure: string) => report.year.lines.find((line) => line.measure === measure)!;

describe("the report on a hand-made register", () => {
  let db: string;
  let report: BenchmarkReport;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-report-"));

  beforeAll(async () => {
    db = tempDbPath("report");
    await withConnection(db, seedTinySchool);
    report = await withConnection(db, (c) => buildBenchmarkReport(c, { academicYear: "2024/25", today: "2025-08-20" }));
  });
  afterAll(async () => {
    await removeDb(db);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("has the school's figures worked out by hand", () => {
    expect(report.yearComplete).toBe(true);
    expect(report.year.label).toBe("2024/25 full year");
    // From 1 August, as every page states a year and "same period last year" compares it.
    expect([report.year.from, report.year.to]).toEqual(["2024-08-01", "2025-01-31"]);
    expect(lineOf(report, "overall_absence_pct")).toMatchObject({ school: 7.5, numerator: 36, denominator: 480, unit: "sessions" });
    expect(lineOf(report, "authorised_absence_pct").school).toBe(2.5);
    expect(lineOf(report, "unauthorised_absence_pct").school).toBe(5);
    expect(lineOf(report, "persistent_absence_pct")).toMatchObject({ school: 50, numerator: 3, denominator: 6, unit: "pupils" });
    expect(report.target.attendancePct).toBe(92.5);
    expect(report.target.words).toBe("3.6 pts below target");
    expect(report.terms.map((term) => [term.key, term.lines[0].school, term.lines[1].school])).toEqual([
      ["autumn-2024", 10, 50],
      ["spring-2025", 5, 50],
    ]);
  });

  it("gives no persistent absence over fewer than 20 school days, and says why (analytics/pa-span.ts)", async () => {
    // To Fri 20 Sep 2024: 10 school days. Each Ann's four I mornings: absence 12/120 = 10 %, still given.
    const early = await withConnection(db, (c) => buildBenchmarkReport(c, { academicYear: "2024/25", today: "2024-09-20" }));
    expect(lineOf(early, "overall_absence_pct")).toMatchObject({ school: 10, numerator: 12, denominator: 120 });
    const pa = lineOf(early, "persistent_absence_pct");
    expect(pa).toMatchObject({ school: null, numerator: null, denominator: 6, withheld: "not given" });
    expect(pa.cells[0].comparison).toMatchObject({ direction: null, gapPoints: null, words: "not compared — fewer than 20 school days, too few for persistent absence" });
    expect(early.year.wholeRoll).toMatchObject({ paPct: null, paPupils: null });
    expect(early.terms[0].lines.find((line) => line.measure === "persistent_absence_pct")!.withheld).toBe("not given");
    expect(early.groups.flatMap((group) => group.lines).filter((line) => line.measure === "persistent_absence_pct" && line.withheld !== "not given")).toEqual([]);
    expect(early.notes).toContain(
      "Persistent and severe absence are not given for 2024/25 year to date (to 20 Sep 2024): 10 school days, fewer than the 20 over which they are measured (a pupil missing one session of a short span would count as persistently absent).",
    );
    // Nothing of it in the CSV either: the PA row's rate and count are empty.
    const rows = parseCsv(reportCsv(early), "early.csv");
    const header = rows[0].fields.map((f) => f.value);
    const paRow = rows.map((r) => Object.fromEntries(r.fields.map((f, i) => [header[i], f.value]))).find((row) => row.section === "year" && row.measure?.startsWith("Persistent"))!;
    expect([paRow.school_pct, paRow.numerator]).toEqual(["", ""]);
  });

  it("pairs them with the published figure for the same year, phase and period", () => {
    const [expected] = national.filter(
      (row) => row.academic_year === "2024/25" && row.period === "full-year" && row.phase === "primary" && row.measure === "overall_absence_pct",
    );
    const cell = lineOf(report, "overall_absence_pct").cells[0];
    expect(cell.benchmark?.value).toBe(Number(expected.value));
    // 7.5 % against the national figure as printed (one decimal): the printed figures' difference.
    const nationalPrinted = Number(Number(expected.value).toFixed(1));
    expect(cell.comparison.gapPoints).toBe(Math.round(75 - 10 * nationalPrinted) / 10);
    expect(cell.comparison.direction).toBe("worse");
    // Cited by a commit-free address (issue 13, case 2): the page itself, or the DfE
    // dashboard's repository for its data file.
    expect(report.sources[cell.benchmark!.sourceRef - 1].url).toBe(sourceAddress(expected.source_url).href);
    // No severe absence figure is published for 2024/25: null, never zero.
    const severe = lineOf(report, "severe_absence_pct").cells[0];
    expect(severe.benchmark).toBeNull();
    expect(severe.comparison.words).toBe("no published figure");
  });

  it("compares groups over the term the DfE publishes group figures for", () => {
    expect(report.groupPeriod.key).toBe("autumn-2024");
    const fsm = report.groups.find((group) => group.group === "fsm-eligible")!;
    const [expected] = national.filter(
      (row) => row.academic_year === "2024/25" && row.period === "autumn" && row.group === "fsm-eligible" && row.measure === "overall_absence_pct",
    );
    expect(fsm).toMatchObject({ pupils: 3, suppressed: false });
    expect(fsm.lines[0]).toMatchObject({ school: 20, numerator: 24, denominator: 120 });
    expect(fsm.lines[0].cells[0].benchmark?.value).toBe(Number(expected.value));
    const ehc = report.groups.find((group) => group.group === "ehc-plan")!;
    expect(ehc).toMatchObject({ pupils: 0, lines: [] });
  });

  it("prints the same figures in the CSV, the workbook and the PDF", async () => {
    // CSV: one row per comparison; rates and gaps to one decimal beside the exact counts.
    const csv = parseCsv(reportCsv(report), "report.csv");
    const header = csv[0].fields.map((f) => f.value);
    expect(header).toEqual(REPORT_ROW_COLUMNS);
    // The comparisons, then (after a blank line) the sources: source_ref, source, data_to, url.
    const sourcesAt = csv.findIndex((record) => record.fields[0].value === "source_ref");
    const audienceAt = csv.findIndex((record) => record.fields[0].value === "audience");
    expect(csv.slice(sourcesAt + 1, audienceAt).map((record) => record.fields[3].value)).toEqual(report.sources.map((source) => source.url));
    // The staff's report says it is not for publication, in every format (issue 13).
    expect(csv[audienceAt].fields[1].value).toBe("Contains small counts — for staff, the local authority or the trust; not for publication");
    const rows = csv.slice(1, sourcesAt).map((r) => Object.fromEntries(r.fields.map((f, i) => [header[i], f.value])));
    const overall = rows.find((row) => row.section === "year" && row.measure === "Overall absence")!;
    const overallLine = lineOf(report, "overall_absence_pct");
    expect(Number(overall.school_pct)).toBe(7.5);
    expect([overall.numerator, overall.denominator]).toEqual(["36", "480"]);
    expect(overall.school_pct).toBe("7.5");
    expect(overall.benchmark_pct).toBe(overallLine.cells[0].benchmark!.value.toFixed(1));
    expect(overall.benchmark_as_published).toBe(overallLine.cells[0].benchmark!.valueText);
    expect(Number(overall.gap_points)).toBe(Number(overallLine.cells[0].comparison.gapPoints!.toFixed(1)));
    // No percentage or gap with more than one decimal place, anywhere in the CSV (case 14).
    for (const row of rows) for (const column of ["school_pct", "benchmark_pct", "gap_points"]) expect(row[column], `${row.measure} ${column}`).toMatch(/^(-?\d+\.\d)?$/);
    // Persistent absence 3 of 6 pupils: 50.0 beside its exact counts.
    const pa = rows.find((row) => row.section === "year" && row.measure.startsWith("Persistent"))!;
    expect([pa.school_pct, pa.numerator, pa.denominator, pa.unit]).toEqual(["50.0", "3", "6", "pupils"]);
    expect(rows.find((row) => row.section === "year" && row.measure.startsWith("Severe"))!.comparison).toBe("no published figure");

    // XLSX: the report sheet holds the same rows; the sources sheet the same sources.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await reportXlsx(report)) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("Benchmark report")!;
    const values: Array<Array<unknown>> = [];
    expect(sheet.getRow(1).getCell(1).value).toBe("Contains small counts — for staff, the local authority or the trust; not for publication");
    sheet.eachRow((row, number) => number > 5 && values.push((row.values as unknown[]).slice(1)));
    const sheetOverall = values.find((v) => v[0] === "year" && v[REPORT_ROW_COLUMNS.indexOf("measure")] === "Overall absence")!;
    expect(sheetOverall[REPORT_ROW_COLUMNS.indexOf("school_pct")]).toBe(7.5);
    expect(sheetOverall[REPORT_ROW_COLUMNS.indexOf("benchmark_pct")]).toBe(overallLine.cells[0].benchmark!.value);
    expect(values).toHaveLength(rows.length);
    const sources = workbook.getWorksheet("Sources")!;
    const firstSource = sources.getRow(2).values as unknown[];
    expect(firstSource[1]).toBe(1);
    expect(String((firstSource[4] as { text?: string }).text ?? firstSource[4])).toBe(report.sources[0].url);

    // PDF: one A4 page whose text shows the figures as on the page.
    const pdf = path.join(dir, "report.pdf");
    fs.writeFileSync(pdf, await reportPdf(report));
    expect(execFileSync("pdfinfo", [pdf], { encoding: "utf8" })).toMatch(/Pages:\s+1\b/);
    const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
    expect(text).toContain("7.5%");
    expect(text.replace(/\s+/g, " ")).toMatch(/CONTAINS SMALL COUNTS — FOR STAFF, THE LOCAL AUTHORITY OR THE TRUST; NOT FOR PUBLICATION/i);
    expect(text).toContain("36 / 480 sessions");
    expect(text).toContain(`${Number(overallLine.cells[0].benchmark!.value).toFixed(1)}%`);
    expect(text).toContain(overallLine.cells[0].comparison.words);
    expect(text).toContain("92.5%");
    expect(text).toContain("3.6 pts below target");
    expect(text).toContain("no published figure");
    // The running footer's page number stays on one line however long the text beside it
    // (a trial's PDF read "Page 1 of 2026": the number had wrapped beside the year).
    expect(text).toMatch(/Page 1 of 1\s*$/m);
    const longName = path.join(dir, "report-long-name.pdf");
    fs.writeFileSync(longName, await reportPdf({ ...report, schoolName: "St Mary and St John's Church of England Voluntary Aided Primary School and Nursery" }));
    expect(execFileSync("pdftotext", ["-layout", longName, "-"], { encoding: "utf8" })).toMatch(/Page 1 of 1\s*$/m);
    // Table cells wrap: compare phrases with line breaks read as spaces.
    const flowing = execFileSync("pdftotext", ["-raw", pdf, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    expect(flowing).toContain("Eligible for free school meals");
    expect(text.replace(/\s+/g, "")).toContain(report.sources[0].url.replace(/\s+/g, ""));
    // Render it for a look (test-results/benchmark-report-*.png).
    fs.mkdirSync("test-results", { recursive: true });
    execFileSync("pdftoppm", ["-png", "-r", "60", "-singlefile", pdf, "test-results/benchmark-report-tiny"]);
    expect(fs.existsSync("test-results/benchmark-report-tiny.png")).toBe(true);
  });
});

describe("the report on the demo school", () => {
  let db: string;
  beforeAll(async () => {
    db = tempDbPath("report-demo");
    await buildDemo(db, { today: "2026-11-23" });
    await closeAllInstances();
  });
  afterAll(async () => removeDb(db));

  for (const academicYear of ["2025/26", "2026/27"]) {
    it(`uses summarise and summariseBy's figures for ${academicYear}`, async () => {
      await withConnection(db, async (c) => {
        // Its time is the bench's to report (npm run bench), never a timed assertion here.
        const report = await buildBenchmarkReport(c, { academicYear, today: "2026-11-23" });
        // Compared with published figures on the DfE's population (issue 13, case 1).
        const year = await summarise(c, { from: report.year.from, to: report.year.to, population: "dfe" });
        const wholeRoll = await summarise(c, { from: report.year.from, to: report.year.to });
        expect(report.year.wholeRoll.absencePct).toBe(wholeRoll.absence_pct);
        for (const line of report.year.lines) expect(line.school).toBe(year[SCHOOL_MEASURE[line.measure]]);
        expect(report.target.attendancePct).toBe(wholeRoll.attendance_pct);
        for (const term of report.terms) {
          const measures = await summarise(c, { from: term.from, to: term.to, population: "dfe" });
          for (const line of term.lines) expect(line.school).toBe(measures[SCHOOL_MEASURE[line.measure]]);
        }
        const period = [report.year, ...report.terms].find((p) => p.key === report.groupPeriod.key)!;
        for (const spec of SCHOOL_GROUPS) {
          const rows = await summariseBy(c, { from: period.from, to: period.to, population: "dfe" }, spec.dimension);
          const expected = rows.find((row) => row.group === spec.value);
          const group = report.groups.find((g) => g.group === spec.group)!;
          expect(group.pupils).toBe(expected?.pupils ?? 0);
          for (const line of group.lines) expect(line.school).toBe(expected![SCHOOL_MEASURE[line.measure]]);
        }
        // Every published figure shown has a numbered source; a year in progress says so.
        for (const line of report.year.lines) {
          for (const cell of line.cells) if (cell.benchmark) expect(report.sources[cell.benchmark.sourceRef - 1]).toBeDefined();
        }
        if (academicYear === "2026/27") {
          expect(report.yearComplete).toBe(false);
          expect(report.year.lines[0].cells[0].benchmark?.notes.join(" ")).toMatch(/No 2026\/27 figure is published yet/);
        }
      });
    });
  }

  it("cites the same release on the Overview and on Benchmarks for the same period (issue 13, case 2)", async () => {
    await withConnection(db, async (c) => {
      // The Overview's default period (the year to date) as its loader resolves it.
      const ytd = await resolvePeriod(c, { name: "ytd", today: "2026-11-23" });
      const overview = await nationalFiguresFor(c, { name: "ytd", from: ytd.from, to: ytd.to, academicYear: ytd.academicYear });
      const report = await buildBenchmarkReport(c, { academicYear: ytd.academicYear, today: "2026-11-23" });
      // The same period: the year to today, from 1 August on both.
      expect([report.year.from, report.year.to]).toEqual([ytd.from, ytd.to]);
      for (const [measure, figure] of [
        ["overall_absence_pct", overview.overall_absence_pct],
        ["persistent_absence_pct", overview.persistent_absence_pct],
      ] as const) {
        const cell = lineOf(report, measure).cells[0];
        expect(figure).not.toBeNull();
        expect(cell.benchmark!.value).toBe(figure!.value);
        expect(report.sources[cell.benchmark!.sourceRef - 1].citation).toBe(figure!.citation);
        // The newest release covering the period (data to 10 Jul 2026), never the one nearest the date.
        expect(figure!.periodEnd).toBe("2026-07-10");
        expect(figure!.citation).toMatch(/2025\/26 year to date to 10 Jul 2026/);
      }
      // Every measure of the year comes from that one release (5.3 % = 3.7 % + 1.5 %).
      const ends = new Set(report.year.lines.flatMap((line) => line.cells.filter((cell) => cell.benchmark).map((cell) => report.sources[cell.benchmark!.sourceRef - 1].citation)));
      expect(ends.size).toBe(1);
    });
  });

  it("gives a clear empty report for a year with no register", async () => {
    const report = await withConnection(db, (c) => buildBenchmarkReport(c, { academicYear: "2020/21", today: "2026-11-23" }));
    expect(report.year.possibleSessions).toBe(0);
    expect(report.year.lines.every((line) => line.school === null)).toBe(true);
    expect(report.notes[0]).toMatch(/No register marks are stored for 2020\/21/);
    expect(JSON.stringify(report)).not.toContain("NaN");
  });
});

describe("the CLI", () => {
  let db: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-report-cli-"));
  const previousToday = process.env.ROLLCALL_TODAY;
  beforeAll(async () => {
    db = tempDbPath("report-cli");
    await withConnection(db, seedTinySchool);
    await closeAllInstances();
    process.env.ROLLCALL_TODAY = "2025-08-20";
  });
  afterAll(async () => {
    if (previousToday === undefined) delete process.env.ROLLCALL_TODAY;
    else process.env.ROLLCALL_TODAY = previousToday;
    await removeDb(db);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes the same report as the page's model: rollcall report benchmark", async () => {
    const out = path.join(dir, "report.csv");
    expect(await main(["report", "benchmark", "--year", "2024/25", "--format", "csv", "--out", out, "--db", db])).toBe(0);
    const model = await withConnection(db, (c) => buildBenchmarkReport(c, { academicYear: "2024/25", today: "2025-08-20" }));
    expect(fs.readFileSync(out, "utf8")).toBe(reportCsv(model));
    await closeAllInstances();
    const xlsx = path.join(dir, "report.xlsx");
    expect(await main(["report", "benchmark", "--year", "2024/25", "--format", "xlsx", "--out", xlsx, "--db", db])).toBe(0);
    expect(fs.readFileSync(xlsx).subarray(0, 2).toString()).toBe("PK");
    // A wrong format is a usage error, and writes nothing.
    expect(await main(["report", "benchmark", "--year", "2024/25", "--format", "docx", "--out", path.join(dir, "x.docx"), "--db", db])).toBe(2);
    expect(fs.existsSync(path.join(dir, "x.docx"))).toBe(false);
  });

  it("refuses a bad open-data file and leaves the store as it was: rollcall benchmarks import", async () => {
    const before = await withConnection(db, (c) => countFigures(c));
    await closeAllInstances();
    const bad = path.join(dir, "bad.csv");
    fs.writeFileSync(bad, "time_period,geographic_level,country_code,country_name,school_type,pa_perc\n202526,National,E92000001,England,Primary,-3\n");
    expect(await main(["benchmarks", "import", bad, "--db", db])).toBe(1);
    expect(await withConnection(db, (c) => countFigures(c))).toBe(before);
    await closeAllInstances();
    const good = path.join(dir, "good.csv");
    fs.writeFileSync(good, "time_period,geographic_level,country_code,country_name,school_type,pa_perc\n202526,National,E92000001,England,Primary,c\n");
    expect(await main(["benchmarks", "import", good, "--db", db])).toBe(0);
    expect(await main(["benchmarks", "import", good, "--db", db])).toBe(0);
    expect(await withConnection(db, (c) => countFigures(c))).toBe(before + 1);
  });
});
