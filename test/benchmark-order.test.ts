/**
 * Benchmarks' lists in one order every run, on hand-made figures. The areas it offers: an area whose name changed between two of the DfE's years is named as in the latest
 * (any_value gave the name of whichever row it met first), and two areas of one name are in
 * code order. Figures are inserted oldest first and the codes against their order, so the
 * insertion order does not pass for the expected one. The figures: two editions of one figure
 * from one file name and line (a revised release uploaded again) by period end and release. An
 * older file's copies of one figure: the same copies kept on every run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeInstance, queryRows, withConnection } from "../analytics/db.ts";
import { ensureBenchmarkTables, insertFigures, listAreas, listFigures, removeDuplicateFigures, type FigureInput } from "../analytics/benchmarks/store.ts";
import { onFreshInstances, removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("benchmark-order");

const figure = (academic_year: string, area_code: string, area_name: string, source_line: number): FigureInput => ({
  publication: "Pupil absence in schools in England",
  academic_year,
  period: "full-year",
  period_end: null,
  phase: "primary",
  geographic_level: "local-authority",
  area_code,
  area_name,
  region_code: "E12000003",
  group_type: "all",
  group_name: "All pupils",
  measure: "overall_absence_pct",
  value: 6,
  value_text: "6.0",
  release: academic_year,
  source_url: "https://example.org",
  excerpt: "",
  source_file: "la.csv",
  source_line,
});

beforeAll(async () => {
  await withConnection(db, async (c) => {
    await ensureBenchmarkTables(c);
    await insertFigures(
      c,
      [
        figure("2022/23", "E06000010", "Kingston upon Hull, City of", 1),
        figure("2023/24", "E06000010", "Kingston upon Hull, City of", 2),
        figure("2024/25", "E06000010", "Kingston upon Hull", 3),
        // Two codes of one name (an authority re-coded): the later code inserted first.
        figure("2024/25", "E10000099", "Northshire", 4),
        figure("2024/25", "E10000021", "Northshire", 5),
      ],
      "uploaded",
    );
    // England's 2023/24 figure in five releases from one file name and line, inserted out of order.
    const england = { ...figure("2023/24", "E92000001", "England", 7), geographic_level: "national" as const, region_code: null, source_file: "national.csv" };
    await insertFigures(c, [33, 31, 35, 32, 34].map((week) => ({ ...england, release: `2024 week ${week}`, value: week / 5, value_text: (week / 5).toFixed(1) })), "uploaded");
  });
});
afterAll(() => removeDb(db));

describe("the areas Benchmarks offers", () => {
  it("names an area as in its latest year and orders areas of one name by code, on every fresh instance", async () => {
    for (const areas of await onFreshInstances(db, 4, (c) => listAreas(c))) {
      expect(areas.map((a) => [a.code, a.name, a.regionCode])).toEqual([
        ["E06000010", "Kingston upon Hull", "E12000003"],
        ["E10000021", "Northshire", "E12000003"],
        ["E10000099", "Northshire", "E12000003"],
      ]);
    }
  });
});

describe("the figures Benchmarks lists", () => {
  it("lists editions of a figure from one file and line by release, on every fresh instance", async () => {
    for (const figures of await onFreshInstances(db, 4, (c) => listFigures(c, { academicYear: "2023/24", geographicLevel: "national" }))) {
      expect(figures.map((f) => f.release)).toEqual([31, 32, 33, 34, 35].map((week) => `2024 week ${week}`));
    }
  });
});

describe("an older file's copies of one figure", () => {
  // Three copies of Northshire's 2021/22 figure tied on origin and line, from a.csv (no
  // edition: it matches any), b.csv and c.csv (releases of their own), written c, b, a. Met a
  // first, a is kept and both others go; met c first, c and b were kept and a went.
  const copiesDb = tempDbPath("benchmark-order-copies");
  beforeAll(async () => {
    await withConnection(copiesDb, async (c) => {
      await ensureBenchmarkTables(c);
      for (const [file, release] of [["c.csv", "2022 week 30"], ["b.csv", "2022 week 29"], ["a.csv", "imported file a.csv"]]) {
        const f = { ...figure("2021/22", "E10000021", "Northshire", 9), source_file: file, release };
        await c.run(
          `INSERT INTO benchmark_figures (figure_id, origin, publication, academic_year, period, period_end, phase, geographic_level, area_code, area_name,
                                          region_code, group_type, group_name, measure, value, value_text, release, source_url, excerpt, source_file, source_line)
           VALUES ($id, 'import 9', $publication, $year, 'full-year', NULL, 'primary', 'local-authority', $code, $name, NULL, 'all', 'All pupils',
                   'overall_absence_pct', 6, '6.0', $release, '', '', $file, 9)`,
          { id: `id-${file}`, publication: f.publication, year: f.academic_year, code: f.area_code, name: f.area_name, release, file },
        );
      }
    });
  });
  afterAll(() => removeDb(copiesDb));

  it("keeps the first by source file, on a fresh instance", async () => {
    await closeInstance(copiesDb);
    const removed = await withConnection(copiesDb, (c) => removeDuplicateFigures(c));
    const left = await withConnection(copiesDb, (c) => queryRows<{ source_file: string }>(c, "SELECT source_file FROM benchmark_figures"));
    expect([removed, left.map((r) => r.source_file)]).toEqual([2, ["a.csv"]]);
  });
});
