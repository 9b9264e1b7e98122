/**
 * The benchmark store, comparisons and import, on a real DuckDB file. Every expected
 * published figure is read from the shipped files in the test itself: none is typed here.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coversWholeYear, describePeriod } from "../analytics/benchmarks/labels.ts";
import { parseCsv, InputError } from "../analytics/csv.ts";
import { queryOne, withConnection, type Connection } from "../analytics/db.ts";
import { compareWithNational, findBenchmark } from "../analytics/benchmarks/compare.ts";
import { OPEN_DATA_FILE, NATIONAL_FILE, ensureShippedBenchmarks, importBenchmarkFile } from "../analytics/benchmarks/load.ts";
import { benchmarkGroupOf, nationalFiguresFor } from "../analytics/benchmarks/for-period.ts";
import { CENSUS_PUBLICATION, DAILY_PUBLICATION, countFigures, listFigures } from "../analytics/benchmarks/store.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const DATA = path.resolve(import.meta.dirname, "../data/benchmarks");
const SHARED = "/work/shared/benchmarks";

/** A CSV file as objects keyed by header, with the line each record starts on. */
function readCsv(file: string): Array<Record<string, string> & { __line: string }> {
  const [header, ...rows] = parseCsv(fs.readFileSync(path.join(DATA, file), "utf8"), file);
  return rows.map((row) => {
    const record: Record<string, string> = { __line: String(row.line) };
    header.fields.forEach((field, i) => (record[field.value] = row.fields[i].value));
    return record as Record<string, string> & { __line: string };
  });
}

const national = readCsv(NATIONAL_FILE);
const openData = readCsv(OPEN_DATA_FILE);

let db: string;
const use = <T>(work: (c: Connection) => Promise<T>) => withConnection(db, work);

beforeAll(async () => {
  db = tempDbPath("benchmarks");
  await use((c) => ensureShippedBenchmarks(c));
});
afterAll(async () => removeDb(db));

describe("the shipped dataset", () => {
  it("is copied unchanged from the shared sources", () => {
    for (const file of [NATIONAL_FILE, OPEN_DATA_FILE, "SOURCES.md"]) {
      if (!fs.existsSync(path.join(SHARED, file))) continue; // Only checkable where the shared copy exists.
      expect(fs.readFileSync(path.join(DATA, file)).equals(fs.readFileSync(path.join(SHARED, file)))).toBe(true);
    }
  });

  it("stores every national.csv figure exactly as published", async () => {
    const stored = await use((c) => listFigures(c, { geographicLevel: "national" }));
    const fromNational = stored.filter((f) => f.source_file === NATIONAL_FILE);
    expect(national).toHaveLength(141);
    expect(fromNational).toHaveLength(national.length);
    for (const row of national) {
      const figure = fromNational.find((f) => f.source_line === Number(row.__line));
      expect(figure, `national.csv line ${row.__line}`).toBeDefined();
      expect(figure!.value).toBe(Number(row.value));
      expect(figure!.value_text).toBe(row.value);
      expect([figure!.publication, figure!.academic_year, figure!.period, figure!.phase]).toEqual([
        row.publication,
        row.academic_year,
        row.period,
        row.phase,
      ]);
      expect([figure!.group_type, figure!.group_name, figure!.measure]).toEqual([row.group_type, row.group, row.measure]);
      expect([figure!.source_url, figure!.excerpt, figure!.origin]).toEqual([row.source_url, row.excerpt, "shipped"]);
    }
  });

  it("stores the open-data file's primary and total rates as published, suppressed ones as null", async () => {
    const stored = await use((c) => listFigures(c));
    const fromFile = stored.filter((f) => f.source_file === OPEN_DATA_FILE);
    const columns = {
      overall_absence_perc: "overall_absence_pct",
      authorised_absence_perc: "authorised_absence_pct",
      unauthorised_absence_perc: "unauthorised_absence_pct",
      pa_perc: "persistent_absence_pct",
    } as const;
    const kept = openData.filter((row) => row.school_type === "Primary" || row.school_type === "Total");
    expect(fromFile).toHaveLength(kept.length * 4);
    let suppressed = 0;
    for (const row of kept) {
      const code = row.geographic_level === "National" ? row.country_code : row.geographic_level === "Regional" ? row.region_code : row.new_la_code;
      for (const [column, measure] of Object.entries(columns)) {
        const figure = fromFile.find((f) => f.area_code === code && f.measure === measure && f.phase === (row.school_type === "Primary" ? "primary" : "all-state-funded"));
        expect(figure, `${row.la_name || row.region_name || row.country_name} ${row.school_type} ${column}`).toBeDefined();
        expect(figure!.period).toBe("year-to-date");
        expect(figure!.academic_year).toBe(`${row.time_period.slice(0, 4)}/${row.time_period.slice(4)}`);
        expect(figure!.period_end).toBe("2025-07-25");
        expect(figure!.value_text).toBe(row[column]);
        if (row[column] === "c") {
          suppressed++;
          expect(figure!.value).toBeNull();
        } else {
          expect(figure!.value).toBe(Number(row[column]));
        }
      }
    }
    expect(suppressed).toBeGreaterThan(0);
    // Secondary and special rows are not benchmarks for a primary school.
    expect(fromFile.some((f) => !["primary", "all-state-funded"].includes(f.phase))).toBe(false);
  });

  it("creates its tables on first use in a database made before they existed", async () => {
    const older = tempDbPath("benchmarks-older");
    try {
      await withConnection(older, async (c) => {
        await c.run("DROP TABLE benchmark_figures");
        await c.run("DROP TABLE benchmark_imports");
        await c.run("DROP SEQUENCE benchmark_import_id_seq");
      });
      // The first comparison creates the tables and loads the shipped figures.
      const found = await withConnection(older, (c) => findBenchmark(c, { academicYear: "2024/25", period: "autumn", measure: "overall_absence_pct" }));
      expect(found?.phase).toBe("primary");
      expect(await withConnection(older, (c) => countFigures(c))).toBe(await use((c) => countFigures(c)));
    } finally {
      await removeDb(older);
    }
  });

  it("loads once: a second load adds nothing", async () => {
    const before = await use((c) => countFigures(c));
    await use((c) => ensureShippedBenchmarks(c));
    expect(await use((c) => countFigures(c))).toBe(before);
  });
});

describe("findBenchmark", () => {
  const rows = (where: Partial<Record<string, string>>) =>
    national.filter((row) => Object.entries(where).every(([key, value]) => row[key] === value));

  it("compares a term with the census figure for primary schools when there is one", async () => {
    const [expected] = rows({ publication: CENSUS_PUBLICATION, academic_year: "2024/25", period: "autumn", phase: "primary", measure: "overall_absence_pct", group: "all" });
    const found = await use((c) => findBenchmark(c, { academicYear: "2024/25", period: "autumn", measure: "overall_absence_pct" }));
    expect(found?.value).toBe(Number(expected.value));
    expect(found?.phase).toBe("primary");
    expect(found?.sourceKind).toBe("census");
    expect(found?.sourceUrl).toBe(expected.source_url);
    expect(found?.label).toBe("National (primary, 2024/25 autumn term)");
    expect(found?.notes).toEqual([]);
  });

  it("falls back to all state-funded schools, says so, and takes the release that also publishes the term's groups", async () => {
    const candidates = rows({ academic_year: "2024/25", period: "autumn", phase: "all-state-funded", measure: "persistent_absence_pct", group: "all" });
    expect(candidates.length).toBeGreaterThan(1);
    const found = await use((c) => findBenchmark(c, { academicYear: "2024/25", period: "autumn", measure: "persistent_absence_pct" }));
    expect(found?.phase).toBe("all-state-funded");
    expect(found?.notes.join(" ")).toMatch(/No primary figure/);
    // The release publishing the most pupil-group figures for the term (compare.ts, rule 5:
    // the whole school and its groups from one release, trial20) — before the most precise.
    const groupFigures = (url: string) => rows({ academic_year: "2024/25", period: "autumn", source_url: url }).filter((row) => row.group !== "all" && ["overall_absence_pct", "persistent_absence_pct"].includes(row.measure)).length;
    const most = Math.max(...candidates.map((row) => groupFigures(row.source_url)));
    expect(most).toBeGreaterThan(0);
    const [expected] = candidates.filter((row) => groupFigures(row.source_url) === most);
    expect([found?.valueText, found?.sourceUrl]).toEqual([expected.value, expected.source_url]);
  });

  it("prefers the census for a completed year", async () => {
    const [expected] = rows({ publication: CENSUS_PUBLICATION, academic_year: "2023/24", period: "full-year", phase: "primary", measure: "overall_absence_pct" });
    const found = await use((c) => findBenchmark(c, { academicYear: "2023/24", period: "year-to-date", yearComplete: true, measure: "overall_absence_pct" }));
    expect(found?.value).toBe(Number(expected.value));
    expect(found?.publication).toBe(CENSUS_PUBLICATION);
    expect(found?.period).toBe("full-year");
  });

  it("takes the newest release of the daily data's year to date for a year in progress, and says when its data end on another day", async () => {
    const versions = rows({ academic_year: "2025/26", period: "year-to-date", phase: "primary", measure: "overall_absence_pct" });
    const february = versions.find((row) => row.excerpt.includes("2026-02-06"))!;
    const july = versions.find((row) => row.excerpt.includes("2026-07-10"))!;
    expect(february.value).not.toBe(july.value);
    // Not the release nearest the school's date (6 Feb): the newest (10 Jul), as on every page.
    const early = await use((c) => findBenchmark(c, { academicYear: "2025/26", period: "year-to-date", asOf: "2026-02-13", measure: "overall_absence_pct" }));
    expect(early?.value).toBe(Number(july.value));
    expect(early?.periodEnd).toBe("2026-07-10");
    expect(early?.publication).toBe(DAILY_PUBLICATION);
    expect(early?.label).toBe("National (primary, 2025/26 year to date to 10 Jul 2026)");
    expect(early?.notes).toEqual(["The newest release is used: its data run to 10 Jul 2026, the school's to 13 Feb 2026"]);
    const late = await use((c) => findBenchmark(c, { academicYear: "2025/26", period: "year-to-date", asOf: "2026-06-30", measure: "overall_absence_pct" }));
    expect(late?.value).toBe(Number(july.value));
    // A completed year with no full-year figure: the latest year to date, labelled as such.
    const complete = await use((c) => findBenchmark(c, { academicYear: "2025/26", period: "year-to-date", yearComplete: true, measure: "overall_absence_pct" }));
    expect(complete?.value).toBe(Number(july.value));
    expect(complete?.notes.join(" ")).toMatch(/No full-year figure/);
  });

  it("compares a group with the same group nationally", async () => {
    const [expected] = rows({ academic_year: "2024/25", period: "autumn", group: "fsm-eligible", measure: "overall_absence_pct" });
    const found = await use((c) =>
      findBenchmark(c, { academicYear: "2024/25", period: "autumn", groupType: "fsm", group: "fsm-eligible", measure: "overall_absence_pct" }),
    );
    expect(found?.value).toBe(Number(expected.value));
    expect(found?.group).toBe("fsm-eligible");
  });

  it("compares with a local authority and its region from the open-data file", async () => {
    const suffolk = openData.find((row) => row.la_name === "Suffolk" && row.school_type === "Primary")!;
    const found = await use((c) =>
      findBenchmark(c, { academicYear: "2024/25", period: "year-to-date", asOf: "2025-07-25", measure: "persistent_absence_pct", geography: { level: "local-authority", code: suffolk.new_la_code } }),
    );
    expect(found?.value).toBe(Number(suffolk.pa_perc));
    // The DfE's last daily-data release of the year (data to 25 Jul 2025) covers the whole year.
    expect(found?.label).toBe("Suffolk (primary, 2024/25 full year (data to 25 Jul 2025))");
  });

  it("labels figures of one release alike, whichever level or file they came from (trial 16a)", async () => {
    const request = { academicYear: "2024/25", period: "year-to-date" as const, asOf: "2025-07-21", yearComplete: true, phase: "primary" as const, measure: "overall_absence_pct" as const };
    const national = await use((c) => findBenchmark(c, request));
    const region = await use((c) => findBenchmark(c, { ...request, geography: { level: "regional", code: "E12000004" } }));
    expect(national?.periodEnd).toBe("2025-07-25");
    expect(region?.periodEnd).toBe(national?.periodEnd);
    expect(national?.label).toBe("National (primary, 2024/25 full year (data to 25 Jul 2025))");
    expect(region?.label).toBe("East Midlands (primary, 2024/25 full year (data to 25 Jul 2025))");
    // Neither says no full-year figure is published.
    expect([...(national?.notes ?? []), ...(region?.notes ?? [])].join(" ")).not.toMatch(/No full-year figure/);
    // A release that ends before mid-July is still the year to date.
    expect(describePeriod("2025/26", "year-to-date", "2026-07-10")).toBe("2025/26 year to date to 10 Jul 2026");
    expect(coversWholeYear("2025/26", "year-to-date", "2026-07-15")).toBe(true);
  });

  it("gives null, never zero, when nothing is published", async () => {
    const eal = await use((c) => findBenchmark(c, { academicYear: "2024/25", period: "autumn", groupType: "eal", group: "eal", measure: "overall_absence_pct" }));
    expect(eal).toBeNull();
    const suppressedRow = openData.find((row) => row.school_type === "Primary" && row.overall_absence_perc === "c")!;
    const suppressed = await use((c) =>
      findBenchmark(c, { academicYear: "2024/25", period: "year-to-date", measure: "overall_absence_pct", geography: { level: "local-authority", code: suppressedRow.new_la_code } }),
    );
    expect(suppressed).toBeNull();
    const future = await use((c) => findBenchmark(c, { academicYear: "2026/27", period: "autumn", measure: "overall_absence_pct" }));
    expect(future).toBeNull();
    expect(compareWithNational(4.2, null, false, null)).toEqual({ schoolValue: 4.2, benchmarkValue: null, gapPoints: null, direction: null, words: "no published figure" });
  });

  it("uses last year's figure for a year with nothing published only when asked, and says so", async () => {
    const found = await use((c) =>
      findBenchmark(c, { academicYear: "2026/27", period: "autumn", measure: "overall_absence_pct", allowEarlierYear: true }),
    );
    const [expected] = rows({ academic_year: "2025/26", period: "autumn", group: "all", measure: "overall_absence_pct" });
    expect(found?.academicYear).toBe("2025/26");
    expect(found?.value).toBe(Number(expected.value));
    expect(found?.notes[0]).toMatch(/No 2026\/27 figure is published yet/);
    // A year with published figures never borrows another year's for a missing one.
    const spring = await use((c) => findBenchmark(c, { academicYear: "2024/25", period: "spring", measure: "overall_absence_pct", allowEarlierYear: true }));
    expect(spring).toBeNull();
  });
});

describe("nationalFiguresFor (Overview and Groups pages)", () => {
  it("matches the page's year to date, and gives none for a single week", async () => {
    const versions = national.filter((row) => row.academic_year === "2025/26" && row.period === "year-to-date" && row.phase === "primary" && row.measure === "overall_absence_pct");
    const july = versions.find((row) => row.excerpt.includes("2026-07-10"))!;
    const ytd = await use((c) => nationalFiguresFor(c, { name: "ytd", from: "2025-09-01", to: "2026-02-13", academicYear: "2025/26" }));
    // The newest release covering the period, as on Benchmarks (one rule: findBenchmarkSet).
    expect(ytd.overall_absence_pct?.value).toBe(Number(july.value));
    expect(ytd.persistent_absence_pct?.citation).toBe(ytd.overall_absence_pct?.citation);
    expect(ytd.overall_absence_pct?.source).toMatch(/^Pupil attendance in schools \(daily attendance data\)/);
    expect(ytd.note).toBeNull();
    const week = await use((c) => nationalFiguresFor(c, { name: "this-week", from: "2026-02-09", to: "2026-02-13", academicYear: "2025/26" }));
    expect(week).toMatchObject({ overall_absence_pct: null, persistent_absence_pct: null });
    expect(week.note).toMatch(/not for this period/);
    const fsm = benchmarkGroupOf("fsm", "Y")!;
    const eligible = national.find((row) => row.academic_year === "2025/26" && row.period === "autumn" && row.group === "fsm-eligible" && row.measure === "overall_absence_pct")!;
    expect(fsm).toEqual({ groupType: "fsm", group: "fsm-eligible" });
    expect(benchmarkGroupOf("lac", "Y")).toBeUndefined();
    // No school days stored yet, so a "term" period cannot be matched: null, not a guess.
    const termPeriod = { name: "term", from: "2025-09-03", to: "2025-12-19", academicYear: "2025/26" };
    expect((await use((c) => nationalFiguresFor(c, termPeriod, fsm))).overall_absence_pct).toBeNull();
    // With the calendar's autumn term, the FSM group compares with autumn's published figure.
    await use((c) => c.run(`INSERT INTO school_days VALUES (DATE '2025-12-19', '2025/26', 'autumn-2025', 'autumn-2-2025')`));
    const term = await use((c) => nationalFiguresFor(c, termPeriod, fsm));
    expect(term.overall_absence_pct?.value).toBe(Number(eligible.value));
    expect(term.overall_absence_pct?.label).toBe("National (all state-funded schools, 2025/26 autumn term)");
  });
});

describe("compareWithNational", () => {
  it("says better when absence is lower, worse when higher, same within 0.05 pts", () => {
    const benchmark = { value: 5 };
    expect(compareWithNational(4.6, benchmark, false, null)).toMatchObject({ direction: "better", words: "0.4 pts better" });
    expect(compareWithNational(5.5, benchmark, false, null)).toMatchObject({ direction: "worse", words: "0.5 pts worse" });
    expect(compareWithNational(5.04, benchmark, false, null).direction).toBe("same");
    expect(compareWithNational(5.5, benchmark, false, null).gapPoints).toBeCloseTo(0.5, 10);
    // Attendance against a target: higher is better.
    expect(compareWithNational(96.5, { value: 96.1 }, true, null).direction).toBe("better");
    expect(compareWithNational(null, benchmark, false, null)).toMatchObject({ gapPoints: null, direction: null, words: "no school figure" });
  });
});

describe("importing a DfE open-data file", () => {
  const text = fs.readFileSync(path.join(DATA, OPEN_DATA_FILE), "utf8");
  const lines = text.split("\n");
  const header = lines[0];

  /** A later year's file in the statistics service's shape: the shipped rows relabelled 202526, phase column renamed. */
  function laterYearFile(): string {
    const renamed = header.replace('"school_type"', '"education_phase"');
    const body = lines.slice(1, 30).map((line) => line.replace(/^"202425"/, '"202526"'));
    return [renamed, ...body].join("\n");
  }

  const figureCount = () => use((c) => countFigures(c));
  const importCount = () => use(async (c) => (await queryOne<{ n: number }>(c, "SELECT count(*)::INTEGER AS n FROM benchmark_imports"))!.n);

  it("stores a good file in one go, and a repeat changes nothing", async () => {
    const before = await figureCount();
    const first = await use((c) => importBenchmarkFile(c, { file: "ees-2025-26.csv", text: laterYearFile(), by: { name: "test", role: "test" } }));
    const primaryOrTotal = lines.slice(1, 30).filter((line) => /"(Primary|Total)"/.test(line)).length;
    expect(first.figuresRead).toBe(primaryOrTotal * 4);
    expect(first.inserted).toBe(first.figuresRead);
    expect(first.importId).not.toBeNull();
    expect(await figureCount()).toBe(before + first.inserted);
    const imports = await importCount();

    const again = await use((c) => importBenchmarkFile(c, { file: "ees-2025-26.csv", text: laterYearFile(), by: { name: "test", role: "test" } }));
    expect(again).toMatchObject({ inserted: 0, unchanged: first.figuresRead, importId: null });
    expect(await figureCount()).toBe(before + first.inserted);
    expect(await importCount()).toBe(imports);

    // The next file that adds figures is numbered next: the repeat, recorded nowhere, used no
    // number (a sequence, not rolled back, had left a gap).
    const nextYear = laterYearFile().replace(/^"202526"/gm, '"202627"');
    const third = await use((c) => importBenchmarkFile(c, { file: "ees-2026-27.csv", text: nextYear, by: { name: "test", role: "test" } }));
    expect(third.inserted).toBeGreaterThan(0);
    expect(third.importId).toBe(first.importId! + 1);

    // The imported figures are found like shipped ones, with their origin.
    const stored = await use((c) => listFigures(c, { academicYear: "2025/26", geographicLevel: "local-authority" }));
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((f) => f.origin === `import ${first.importId}`)).toBe(true);
  });

  it("refuses a bad value with its line and column, and changes nothing", async () => {
    const before = await figureCount();
    // Row 6 of the file with its overall absence rate replaced by text that is not a number.
    const records = parseCsv(laterYearFile(), "bad.csv");
    const column = records[0].fields.findIndex((field) => field.value === "overall_absence_perc") + 1;
    const quote = (values: string[]) => values.map((value) => `"${value}"`).join(",");
    const bad = records.map((record) => {
      const values = record.fields.map((field) => field.value);
      if (record.line === 6) values[column - 1] = "twelve";
      return quote(values);
    });
    const attempt = use((c) => importBenchmarkFile(c, { file: "bad.csv", text: bad.join("\n"), by: { name: "test", role: "test" } }));
    await expect(attempt).rejects.toBeInstanceOf(InputError);
    await expect(attempt).rejects.toMatchObject({ file: "bad.csv", line: 6, column });
    expect(await figureCount()).toBe(before);
  });

  it("imports only the whole-school rows of a file broken down by pupil group", async () => {
    const file = [
      "time_period,time_identifier,geographic_level,country_code,country_name,school_type,characteristic,sess_overall_percent",
      "202324,Autumn term,National,E92000001,England,State-funded primary,Total,4.9",
      "202324,Autumn term,National,E92000001,England,State-funded primary,FSM eligible,8.1",
    ].join("\n");
    const summary = await use((c) =>
      importBenchmarkFile(c, { file: "census.csv", text: file, by: { name: "t", role: "t" }, options: { publication: CENSUS_PUBLICATION } }),
    );
    expect(summary).toMatchObject({ rowsRead: 2, rowsSkipped: 1, figuresRead: 1, inserted: 1 });
    const stored = await use((c) => listFigures(c, { academicYear: "2023/24" }));
    const imported = stored.filter((f) => f.source_file === "census.csv");
    expect(imported).toHaveLength(1);
    expect(imported[0]).toMatchObject({ period: "autumn", phase: "primary", group_name: "all", value_text: "4.9", publication: CENSUS_PUBLICATION });
  });

  it("refuses a file with no rate columns or a bad time period", async () => {
    const noRates = "time_period,geographic_level,country_code,country_name,school_type\n202425,National,E92000001,England,Primary\n";
    await expect(use((c) => importBenchmarkFile(c, { file: "none.csv", text: noRates, by: { name: "t", role: "t" } }))).rejects.toMatchObject({ line: 1, column: 1 });
    const badYear = "time_period,geographic_level,country_code,country_name,school_type,overall_absence_perc\n2024,National,E92000001,England,Primary,x\n";
    await expect(use((c) => importBenchmarkFile(c, { file: "year.csv", text: badYear, by: { name: "t", role: "t" } }))).rejects.toMatchObject({ line: 2, column: 1 });
  });
});
