/**
 * Issue 13's comparison cases on the real DfE files shipped in data/benchmarks/: the shipped
 * open-data file imported again stores nothing twice (case 5). No published figure is typed
 * here: every expected figure is read from the shipped files.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection, type Connection } from "../analytics/db.ts";
import { OPEN_DATA_FILE, ensureShippedBenchmarks, importBenchmarkFile } from "../analytics/benchmarks/load.ts";
import { countFigures, listFigures, removeDuplicateFigures } from "../analytics/benchmarks/store.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const DATA = path.resolve(import.meta.dirname, "../data/benchmarks");
let db: string;
const use = <T>(work: (c: Connection) => Promise<T>) => withConnection(db, work);

beforeAll(async () => {
  db = tempDbPath("honesty-benchmarks");
  await use((c) => ensureShippedBenchmarks(c));
});
afterAll(async () => removeDb(db));

describe("case 5: the same published figure is stored once, whatever route it came by", () => {
  it("importing the shipped DfE file again adds nothing and lists each figure once", async () => {
    const text = fs.readFileSync(path.join(DATA, OPEN_DATA_FILE), "utf8");
    const before = await use((c) => countFigures(c));
    const summary = await use((c) => importBenchmarkFile(c, { file: OPEN_DATA_FILE, text, by: { name: "head", role: "head" } }));
    expect(summary.figuresRead).toBeGreaterThan(600);
    expect(summary).toMatchObject({ inserted: 0, unchanged: summary.figuresRead, importId: null });
    expect(await use((c) => countFigures(c))).toBe(before);
    // Suffolk's primary overall absence: once, with the shipped file's source.
    const suffolk = (await use((c) => listFigures(c, { academicYear: "2024/25", areaCode: "E10000029", measure: "overall_absence_pct" }))).filter(
      (f) => f.phase === "primary",
    );
    expect(suffolk).toHaveLength(1);
    expect(suffolk[0].value_text).toBe("5.19384054875577");
  });

  it("an older database holding the file twice is cleaned to one copy of each figure", async () => {
    const copied = await use(async (c) => {
      await c.run(
        `INSERT INTO benchmark_figures
           SELECT 'copy-' || figure_id, 'import 99', publication, academic_year, period, NULL, phase, geographic_level, area_code, area_name,
                  region_code, group_type, group_name, measure, value, value_text, 'imported file old.csv', 'uploaded file old.csv', excerpt,
                  'old.csv', source_line
             FROM benchmark_figures WHERE source_file = $file`,
        { file: OPEN_DATA_FILE },
      );
      return countFigures(c);
    });
    const removed = await use((c) => removeDuplicateFigures(c));
    expect(removed).toBeGreaterThan(600);
    expect(await use((c) => countFigures(c))).toBe(copied - removed);
    const left = await use((c) => listFigures(c, { academicYear: "2024/25", areaCode: "E10000029", measure: "overall_absence_pct" }));
    expect(left.filter((f) => f.phase === "primary").map((f) => f.origin)).toEqual(["shipped"]);
  });
});

// ---------------------------------------------------------------------------------------
// Cases 1–4 on a hand-made primary school, against the shipped DfE figures.

import { buildBenchmarkReport, type BenchmarkReport } from "../analytics/benchmarks/report.ts";
import { reportRows } from "../analytics/benchmarks/report-rows.ts";
import { reportCsv, reportFileName } from "../analytics/benchmarks/report-files.ts";
import { renderReportHtml } from "../analytics/benchmarks/report-html.ts";
import { findBenchmarkSet } from "../analytics/benchmarks/compare.ts";
import { dfePopulation, summarise } from "../analytics/measures.ts";
import { parseCsv } from "../analytics/csv.ts";
import { NATIONAL_FILE } from "../analytics/benchmarks/load.ts";
import { setSetting } from "../analytics/settings.ts";
import { buildSltPack } from "../analytics/packs/index.ts";
import { daysOf, seedRegister } from "./helpers/register.ts";
import { weekdays } from "./helpers/calendar.ts";

// Twenty school days a term: persistent absence is given over 20 school days or more (analytics/pa-span.ts).
const SEPT = weekdays("2024-09-09", "2024-10-04");
const JAN = weekdays("2025-01-06", "2025-01-31");

/**
 * Two pupils: Amy in Year 3 (born 2016, aged 8 on 31 August 2024) present every session;
 * Rosa in Reception (born 1 March 2020, aged 4 on 31 August 2024) absent (I) on 16 of her 40
 * days (the first eight of each term). Whole roll: absence 32/160 = 20 %, PA 1 of 2. DfE
 * population: Amy only: 0 %, PA 0 of 1.
 */
async function seedReceptionSchool(c: Connection) {
  for (const [term, days] of [["autumn-2024", SEPT], ["spring-2025", JAN]] as const) {
    for (const date of days) {
      await c.run(`INSERT INTO school_days VALUES ($date::DATE, '2024/25', $term, $half)`, { date, term, half: `${term.split("-")[0]}-1-${term.split("-")[1]}` });
    }
  }
  const present = (dates: string[]) => Object.fromEntries(dates.map((d) => [d, ["/", "/"] as [string, string]]));
  await seedRegister(c, {
    pupils: [
      { upn: "A1", forename: "Amy", spells: [{ from: "2024-09-01", year_group: "3", reg_group: "3A" }] },
      { upn: "R1", forename: "Rosa", dob: "2020-03-01", spells: [{ from: "2024-09-01", year_group: "R", reg_group: "RB" }] },
    ],
    marks: [
      ...daysOf("A1", { ...present(SEPT), ...present(JAN) }),
      ...daysOf("R1", { ...present(SEPT), ...present(JAN), ...Object.fromEntries([...SEPT.slice(0, 8), ...JAN.slice(0, 8)].map((d) => [d, ["I", "I"] as [string, string]])) }),
    ],
  });
  await setSetting(c, "small_group_min", "3");
}

describe("cases 1–4: like-for-like comparisons on the shipped DfE figures", () => {
  let school: string;
  let report: BenchmarkReport;
  const nationalRows = (() => {
    const [header, ...rows] = parseCsv(fs.readFileSync(path.join(DATA, NATIONAL_FILE), "utf8"), NATIONAL_FILE);
    return rows.map((row) => Object.fromEntries(header.fields.map((field, i) => [field.value, row.fields[i].value])));
  })();

  beforeAll(async () => {
    school = tempDbPath("honesty-reception");
    await withConnection(school, seedReceptionSchool);
    // Shropshire (E06000051) has figures for 2024/25 only in the shipped file.
    report = await withConnection(school, (c) => buildBenchmarkReport(c, { academicYear: "2024/25", today: "2025-08-20", areaCode: "E06000051" }));
  });
  afterAll(async () => removeDb(school));

  it("a local authority's report is named after the local authority, not the region shown beside it (trial 28)", async () => {
    // Shropshire's report carries the West Midlands' column (E12000005) before its own.
    expect(report.columns.map((column) => column.code)).toEqual([null, "E12000005", "E06000051"]);
    expect(report.areaCode).toBe("E06000051");
    expect(reportFileName(report, "csv")).toMatch(/^benchmark-report_2024-25_area-e06000051_groups-[a-z0-9-]+_staff\.csv$/);
    const region = await withConnection(school, (c) => buildBenchmarkReport(c, { academicYear: "2024/25", today: "2025-08-20", areaCode: "E12000005" }));
    expect(reportFileName(region, "pdf")).toMatch(/^benchmark-report_2024-25_area-e12000005_/);
    const national = await withConnection(school, (c) => buildBenchmarkReport(c, { academicYear: "2024/25", today: "2025-08-20" }));
    expect(national.areaCode).toBeNull();
    expect(reportFileName(national, "xlsx")).toMatch(/^benchmark-report_2024-25_groups-/);
  });

  it("case 1: defines the DfE population by age on 31 August", () => {
    expect(dfePopulation("2025-03-01")).toEqual({ ageOn: "2024-08-31", bornFrom: "2008-09-01", bornTo: "2019-08-31" });
    expect(dfePopulation("2024-08-15").ageOn).toBe("2024-08-31");
    expect(dfePopulation("2024-07-31").ageOn).toBe("2023-08-31");
  });

  it("case 1: a Reception child is not counted against the national figure, and the whole roll stays labelled", async () => {
    const pa = report.year.lines.find((line) => line.measure === "persistent_absence_pct")!;
    expect(pa.school).toBe(0);
    expect([pa.numerator, pa.denominator]).toEqual([0, 1]);
    expect(pa.cells[0].comparison.direction).not.toBe("worse");
    expect(pa.cells[0].comparison.direction).toBe("better");
    const overall = report.year.lines.find((line) => line.measure === "overall_absence_pct")!;
    expect(overall.school).toBe(0);
    // The whole roll (Rosa included) is kept, labelled, and never compared.
    expect(report.year.wholeRoll).toEqual({ pupils: 2, absencePct: 20, paPct: 50, paPupils: 1 });
    expect(report.notes.join(" ")).toContain("aged 5–15 on 31 August");
    const whole = await withConnection(school, (c) => summarise(c, { from: "2024-09-01", to: "2025-08-20" }));
    expect(whole.pa_pupils).toBe(1);
  });

  it("case 1 (trial 16a): every row says whose figures it is; the target row is the whole roll, the compared rows the DfE's basis", async () => {
    // Whole roll: Amy 80/80 + Rosa 48/80 attended = 128/160 = 80 %, 2 pupils. DfE basis: Amy, 1 pupil.
    expect(report.target).toMatchObject({ attendancePct: 80, attended: 128, possible: 160, pupils: 2, population: "on the whole roll (Reception included)" });
    expect(report.year.pupils).toBe(1);
    expect(report.year.population).toBe("aged 5–15 (the DfE's basis)");
    const rows = reportRows(report);
    const target = rows.find((row) => row.section === "target")!;
    expect([target.pupils, target.population, target.numerator, target.denominator]).toEqual([2, "on the whole roll (Reception included)", 128, 160]);
    // Every row compared with a published figure: the DfE's basis, its pupils that population's.
    const compared = rows.filter((row) => row.section !== "target");
    expect(compared.length).toBeGreaterThan(0);
    for (const row of compared) expect(row.population).toBe("aged 5–15 (the DfE's basis)");
    for (const row of compared.filter((r) => r.section === "year")) expect(row.pupils).toBe(1);
    expect(reportCsv(report).split("\r\n")[0]).toContain("population");
    // The PDF's HTML prints both, each on its row; the heading no longer prints one count for both.
    const html = renderReportHtml(report);
    expect(html).toContain("2 pupils on the whole roll (Reception included)");
    expect(html).toContain("1 pupil aged 5–15 (the DfE&#39;s basis");
    expect(html).not.toMatch(/<caption>[^<]*, 1 pupils?<\/caption>/);
    expect(report.notes.join(" ")).toContain("need not add to 100 %");
  });

  it("case 2: one release for all measures of a comparison, cited in words without a commit hash", async () => {
    // 2025/26 in progress on 1 March 2026: the shipped figures hold two primary releases
    // (data to 6 February 2026: overall and PA; to 10 July 2026: all four).
    const found = await withConnection(school, (c) =>
      findBenchmarkSet(
        c,
        { academicYear: "2025/26", period: "year-to-date", asOf: "2026-03-01" },
        ["overall_absence_pct", "authorised_absence_pct", "unauthorised_absence_pct", "persistent_absence_pct"],
      ),
    );
    const figures = [...found.values()];
    expect(figures.every((f) => f !== null)).toBe(true);
    expect(new Set(figures.map((f) => `${f!.sourceUrl}|${f!.periodEnd}`)).size).toBe(1);
    const [overall, authorised, unauthorised] = figures.map((f) => f!.value);
    expect(overall).toBeCloseTo(authorised + unauthorised, 10);
    // Each value is the one national.csv prints for that release.
    for (const figure of figures) {
      const row = nationalRows.find((r) => r.source_url === figure!.sourceUrl && r.measure === figure!.measure && r.phase === "primary" && r.academic_year === "2025/26");
      expect(row?.value).toBe(figure!.valueText);
    }
    // The report's sources: publication, period covered, date published, address; no hash.
    for (const source of report.sources) {
      expect(source.citation).toMatch(/^DfE, Pupil (absence in schools in England|attendance in schools) \(/);
      expect(source.citation).toMatch(/publication date|release for week/);
      expect(`${source.citation} ${source.source} ${source.url} ${source.address}`).not.toMatch(/\b[0-9a-f]{7,40}\b/);
    }
  });

  it("case 3: a figure for all state-funded schools carries its caveat and never a better/worse badge", () => {
    const cells = [...report.year.lines, ...report.terms.flatMap((t) => t.lines), ...report.groups.flatMap((g) => g.lines)].flatMap((line) => line.cells);
    const allSchools = cells.filter((cell) => cell.benchmark?.phase === "all-state-funded");
    expect(allSchools.length).toBeGreaterThan(0);
    for (const cell of allSchools) {
      expect(cell.comparison.direction).toBeNull();
      expect(cell.comparison.words).toMatch(/for reference only: all state-funded schools/);
    }
    // Primary figures are used where published: the year's overall absence is primary.
    expect(report.year.lines.find((l) => l.measure === "overall_absence_pct")!.cells[0].benchmark?.phase).toBe("primary");
    expect(report.notes.join(" ")).toMatch(/not like for like/);
  });

  it("case 1: the packs' headline and the Overview's national comparison read the DfE's basis, the whole roll beside it", async () => {
    // The SLT pack of October 2024 (Tuesday 1 to Friday 4): its year to date, 1 August to
    // 4 October, is the autumn term's 20 school days, so persistent absence is given. By hand:
    // whole roll, Rosa absent 16 of her 40 sessions, Amy none: 16 of 80 = 20.0 %, PA 1 of 2 =
    // 50.0 %; DfE basis (Amy alone): 0 of 40 = 0.0 %, PA 0 of 1 = 0.0 %. The FGB pack's
    // headline is the same section (headlineSection), with the governors' plan.
    const model = await withConnection(school, (c) => buildSltPack(c, { month: "2024-10", today: "2025-08-20" }));
    const headline = model.sections.find((section) => section.id === "headline")!;
    const table = headline.blocks.flatMap((block) => (block.kind === "table" ? [block.table] : []))[0];
    const yearToDate = table.columns.findIndex((column) => column.label === "Year to date");
    const dfe = table.columns.findIndex((column) => column.label === "Year to date, aged 5–15 (DfE basis)");
    expect([yearToDate, dfe]).toEqual([4, 8]);
    const value = (label: string, column: number) => {
      const cell = table.rows.find((row) => row[0].kind === "text" && row[0].text === label)![column];
      return cell.kind === "pct" ? cell.value : cell;
    };
    expect([value("Overall absence", yearToDate), value("Overall absence", dfe)]).toEqual([20, 0]);
    expect([value("Persistent absence (% of pupils)", yearToDate), value("Persistent absence (% of pupils)", dfe)]).toEqual([50, 0]);
    expect(table.note).toContain("the school is compared on the same basis in the column beside them");
    // The Overview's (and Groups') comparison with national figures: Amy's 0 %, not the roll's 20 %.
    const overview = await withConnection(school, (c) => nationalFiguresFor(c, { name: "ytd", from: "2024-08-01", to: "2024-10-04", academicYear: "2024/25" }));
    expect(overview.school).toMatchObject({ absence_pct: 0, pa_pct: 0, pupils: 1, pa_pupils: 0 });
  });

  it("case 4: a chosen local authority with no figure for a year says so where the column would be", async () => {
    expect(report.columns.map((c) => c.label)).toContain("Shropshire");
    const later = await withConnection(school, (c) => buildBenchmarkReport(c, { academicYear: "2025/26", today: "2026-03-01", areaCode: "E06000051" }));
    expect(later.columns.map((c) => c.label)).toContain("Shropshire");
    const cell = later.year.lines[0].cells.find((c) => c.column === "Shropshire")!;
    expect(cell.benchmark).toBeNull();
    expect(cell.comparison.words).toBe("no published figure for Shropshire for 2025/26 — import the DfE file to add it");
  });

  // Trial 50: Shropshire's 2024/25 severe absence said "import the DfE file to add it", though the
  // file imported for that year (the year-to-date attendance file, data/benchmarks/) has no
  // severe-absence column (pa_perc, no sa_perc): importing it again cannot add it.
  it("case 4: a local authority's measure its imported file does not give says so, and which DfE file does", () => {
    const severe = report.year.lines.find((line) => line.measure === "severe_absence_pct")!.cells.find((c) => c.column === "Shropshire")!;
    expect(severe.benchmark).toBeNull();
    expect(severe.comparison.words).toBe(
      "no published figure for Shropshire for 2024/25: the DfE figures imported for Shropshire for that year (Pupil attendance in schools) give no severe absence, so importing the same file again cannot add it; " +
        'the DfE gives a local authority\'s and a region\'s severe absence for a full school year in Pupil absence in schools in England ("Absence rates by geographic level", column enrolments_pa_50_exact_percent), which can be imported',
    );
    // Its persistent absence is in that file, and given.
    expect(report.year.lines.find((line) => line.measure === "persistent_absence_pct")!.cells.find((c) => c.column === "Shropshire")!.benchmark).not.toBeNull();
  });
});

// ---------------------------------------------------------------------------------------
// The whole roll described truly beside a comparison: a junior school has no Reception.

import { nationalFiguresFor } from "../analytics/benchmarks/for-period.ts";

describe("case 1: the note beside a comparison describes the school's own whole roll", () => {
  const ytd = { name: "ytd", from: "2024-09-01", to: "2025-07-18", academicYear: "2024/25" };
  let infant: string;
  let junior: string;
  beforeAll(async () => {
    infant = tempDbPath("honesty-whole-roll-r");
    junior = tempDbPath("honesty-whole-roll-j");
    await withConnection(infant, seedReceptionSchool);
    // The same school without Rosa: Amy in Year 3 only, as in a junior school.
    await withConnection(junior, async (c) => {
      for (const date of SEPT) await c.run(`INSERT INTO school_days VALUES ($date::DATE, '2024/25', 'autumn-2024', 'autumn-1-2024')`, { date });
      await seedRegister(c, {
        pupils: [{ upn: "A1", forename: "Amy", spells: [{ from: "2024-09-01", year_group: "3", reg_group: "3A" }] }],
        marks: daysOf("A1", Object.fromEntries(SEPT.map((d) => [d, ["/", "/"] as [string, string]]))),
      });
    });
  });
  afterAll(async () => {
    await removeDb(infant);
    await removeDb(junior);
  });

  it("says Reception is included only when the roll has pupils outside the DfE's population", async () => {
    const withReception = await withConnection(infant, (c) => nationalFiguresFor(c, ytd));
    expect(withReception.school.pupils).toBe(1);
    expect(withReception.school.whole_roll).toBe("the whole roll, Reception and any nursery pupils included");
    const juniorSchool = await withConnection(junior, (c) => nationalFiguresFor(c, ytd));
    expect(juniorSchool.school.pupils).toBe(1);
    expect(juniorSchool.school.whole_roll).not.toMatch(/Reception and any nursery pupils included/);
    expect(juniorSchool.school.whole_roll).toMatch(/no pupils outside the DfE's age range/);
  });
});
