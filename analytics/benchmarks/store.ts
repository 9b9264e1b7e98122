/**
 * The benchmark store: one row per published figure (national, regional or local
 * authority), each with its publication, source and, where known, the last day of data it
 * covers. Figures come from the shipped files in data/benchmarks/ (loaded on first use) or
 * from a school's own import of a DfE open-data file; `origin` says which.
 *
 * A figure is stored once, whatever route it came by (issue 13, case 5): its identity is
 * WHAT was published — publication, year, period, phase, area, group, measure, the value as
 * printed, and its edition (release and last day of data) when known — never the file or
 * page it was read from. The shipped DfE file imported again by hand adds nothing: an
 * uploaded file knows neither its release nor its last day, so it matches any edition.
 */
import { createHash } from "node:crypto";
import type { Connection, SqlParams } from "../db.ts";
import { queryOne, queryRows } from "../db.ts";
import { benchmarkSchemaStatements } from "./schema.ts";
import { forgetCachedFigures } from "./figure-cache.ts";
import { previousAcademicYear } from "../period-names.ts";

/** England's area code in the DfE's files: the national figure, not an area to add beside it. */
export const ENGLAND_AREA_CODE = "E92000001";

export const BENCHMARK_PERIODS = ["full-year", "year-to-date", "autumn", "spring", "summer", "autumn-spring"] as const;
export type BenchmarkPeriod = (typeof BENCHMARK_PERIODS)[number];

export const BENCHMARK_PHASES = ["primary", "all-state-funded"] as const;
export type BenchmarkPhase = (typeof BENCHMARK_PHASES)[number];

export const GEOGRAPHIC_LEVELS = ["national", "regional", "local-authority"] as const;
export type GeographicLevel = (typeof GEOGRAPHIC_LEVELS)[number];

export const BENCHMARK_MEASURES = [
  "overall_absence_pct",
  "authorised_absence_pct",
  "unauthorised_absence_pct",
  "persistent_absence_pct",
  "severe_absence_pct",
] as const;
export type BenchmarkMeasure = (typeof BENCHMARK_MEASURES)[number];

export const GROUP_TYPES = ["all", "fsm", "sen", "eal", "sex"] as const;
export type GroupType = (typeof GROUP_TYPES)[number];

/** The two DfE publications the figures come from. */
export const CENSUS_PUBLICATION = "Pupil absence in schools in England";
export const DAILY_PUBLICATION = "Pupil attendance in schools";

/** A figure as read from a file, before it is stored. */
export interface FigureInput {
  publication: string;
  academic_year: string;
  period: BenchmarkPeriod;
  /** Last day of data the figure covers (ISO), when the source says. */
  period_end: string | null;
  phase: BenchmarkPhase;
  geographic_level: GeographicLevel;
  area_code: string;
  area_name: string;
  /** For a local authority, its region (so the page can offer the region too). */
  region_code: string | null;
  group_type: GroupType;
  group_name: string;
  measure: BenchmarkMeasure;
  /** Null when the source does not publish it (suppressed `c`, or `x`, `z`, `:`). */
  value: number | null;
  /** The value exactly as printed, e.g. "5.2", "5.20" or "c". */
  value_text: string;
  /** Which release of the publication, e.g. "2025 week 29" or "2024/25 autumn term". */
  release: string;
  source_url: string;
  excerpt: string;
  source_file: string;
  source_line: number;
}

export interface StoredFigure extends FigureInput {
  figure_id: string;
  origin: string;
}

/** Statements for schemaStatements() (new databases); ensureBenchmarkTables covers older files. */
export { benchmarkSchemaStatements };

export async function ensureBenchmarkTables(connection: Connection): Promise<void> {
  for (const statement of benchmarkSchemaStatements()) await connection.run(statement);
}

type IdentityFields = Pick<
  FigureInput,
  "publication" | "academic_year" | "period" | "phase" | "geographic_level" | "area_code" | "group_type" | "group_name" | "measure" | "value_text"
>;

/** What a published figure is, without its last day of data (see figureId). */
export function figureIdentity(figure: IdentityFields): string {
  return [
    figure.publication,
    figure.academic_year,
    figure.period,
    figure.phase,
    figure.geographic_level,
    figure.area_code,
    figure.group_type,
    figure.group_name,
    figure.measure,
    figure.value_text.trim(),
  ].join("\u001f");
}

/** A figure's id: its identity and edition; the source is not part of it. */
export function figureId(figure: FigureInput): string {
  const edition = editionOf(figure);
  const identity = `${figureIdentity(figure)}\u001f${edition.end}\u001f${edition.release}`;
  return createHash("sha256").update(identity).digest("hex").slice(0, 32);
}

/**
 * Which edition of a figure: its last day of data and its release. A file uploaded by a
 * school knows neither ("imported file …"): then it matches any edition.
 */
interface Edition {
  end: string;
  release: string;
}
const UNKNOWN_RELEASE = /^(imported file |open data file$)/;
const editionOf = (figure: { period_end: string | null; release: string }): Edition => ({
  end: figure.period_end ?? "",
  release: UNKNOWN_RELEASE.test(figure.release) ? "" : figure.release,
});
const sameEdition = (a: Edition, b: Edition) =>
  (a.end === b.end || a.end === "" || b.end === "") && (a.release === b.release || a.release === "" || b.release === "");

/**
 * The figures not already stored (nor repeated earlier in the list): the same identity in a
 * compatible edition. Two releases printing the same value are both kept (SOURCES.md keeps
 * every version with its own source); the same release arriving twice is not.
 */
async function newFiguresOnly(connection: Connection, figures: FigureInput[]): Promise<FigureInput[]> {
  const years = [...new Set(figures.map((figure) => figure.academic_year))];
  const known = new Map<string, Edition[]>();
  const remember = (identity: string, edition: Edition) => {
    const list = known.get(identity);
    if (list) list.push(edition);
    else known.set(identity, [edition]);
  };
  for (const year of years) {
    const rows = await queryRows<IdentityFields & { period_end: string | null; release: string }>(
      connection,
      `SELECT publication, academic_year, period, phase, geographic_level, area_code, group_type, group_name, measure, value_text, release,
              strftime(period_end, '%Y-%m-%d') AS period_end
         FROM benchmark_figures WHERE academic_year = $year`,
      { year },
    );
    for (const row of rows) remember(figureIdentity(row), editionOf(row));
  }
  const fresh: FigureInput[] = [];
  for (const figure of figures) {
    const identity = figureIdentity(figure);
    const edition = editionOf(figure);
    if ((known.get(identity) ?? []).some((stored) => sameEdition(stored, edition))) continue;
    fresh.push(figure);
    remember(identity, edition);
  }
  return fresh;
}

/**
 * Removes copies of one published figure stored before figures were identified by what they
 * are (older database files: the shipped DfE file imported again listed every figure twice).
 * Keeps the shipped copy, else the one that knows its edition, else the first (by origin,
 * source line, source file, id).
 */
export async function removeDuplicateFigures(connection: Connection): Promise<number> {
  const rows = await queryRows<IdentityFields & { figure_id: string; period_end: string | null; release: string; origin: string; source_line: number }>(
    connection,
    `SELECT figure_id, origin, source_line, publication, academic_year, period, phase, geographic_level, area_code, group_type, group_name,
            measure, value_text, release, strftime(period_end, '%Y-%m-%d') AS period_end
       FROM benchmark_figures
      -- Source file and id last: copies tied on the rest were met in either order, and which is
      -- first decides what is kept (an edition-less copy matches any edition: not transitive).
      ORDER BY CASE WHEN origin = 'shipped' THEN 0 ELSE 1 END, period_end NULLS LAST, origin, source_line, source_file, figure_id`,
  );
  const kept = new Map<string, Edition[]>();
  const remove: string[] = [];
  for (const row of rows) {
    const identity = figureIdentity(row);
    const edition = editionOf(row);
    const list = kept.get(identity) ?? [];
    if (list.some((stored) => sameEdition(stored, edition))) {
      remove.push(row.figure_id);
      continue;
    }
    list.push(edition);
    kept.set(identity, list);
  }
  for (let start = 0; start < remove.length; start += 500) {
    const batch = remove.slice(start, start + 500);
    const params: SqlParams = {};
    batch.forEach((id, i) => (params[`id${i}`] = id));
    await connection.run(`DELETE FROM benchmark_figures WHERE figure_id IN (${batch.map((_, i) => `$id${i}`).join(", ")})`, params);
  }
  if (remove.length > 0) forgetCachedFigures(connection);
  return remove.length;
}

const COLUMNS = [
  "figure_id",
  "origin",
  "publication",
  "academic_year",
  "period",
  "period_end",
  "phase",
  "geographic_level",
  "area_code",
  "area_name",
  "region_code",
  "group_type",
  "group_name",
  "measure",
  "value",
  "value_text",
  "release",
  "source_url",
  "excerpt",
  "source_file",
  "source_line",
] as const;

/** Inserts figures not already stored (by what they are, see figureId); returns how many were new. */
export async function insertFigures(connection: Connection, incoming: FigureInput[], origin: string): Promise<number> {
  forgetCachedFigures(connection);
  const figures = await newFiguresOnly(connection, incoming);
  const before = await countFigures(connection);
  // Batches keep the statement small while avoiding a round trip per figure.
  const BATCH = 200;
  for (let start = 0; start < figures.length; start += BATCH) {
    const batch = figures.slice(start, start + BATCH);
    const params: SqlParams = {};
    const tuples = batch.map((figure, i) => {
      const row: Record<(typeof COLUMNS)[number], string | number | null> = { ...figure, figure_id: figureId(figure), origin };
      return `(${COLUMNS.map((column) => {
        const name = `p${i}_${column}`;
        params[name] = row[column];
        if (column === "period_end") return `$${name}::DATE`;
        if (column === "value") return `$${name}::DOUBLE`;
        if (column === "source_line") return `$${name}::INTEGER`;
        return `$${name}::VARCHAR`;
      }).join(", ")})`;
    });
    await connection.run(`INSERT OR IGNORE INTO benchmark_figures (${COLUMNS.join(", ")}) VALUES ${tuples.join(",\n")}`, params);
  }
  return (await countFigures(connection)) - before;
}

export async function countFigures(connection: Connection): Promise<number> {
  const row = await queryOne<{ n: number }>(connection, "SELECT count(*)::INTEGER AS n FROM benchmark_figures");
  return row?.n ?? 0;
}

const SELECT_FIGURES = `SELECT figure_id, origin, publication, academic_year, period,
       strftime(period_end, '%Y-%m-%d') AS period_end, phase, geographic_level, area_code, area_name, region_code,
       group_type, group_name, measure, value, value_text, release, source_url, excerpt, source_file, source_line
  FROM benchmark_figures`;

export interface FigureFilter {
  academicYear?: string;
  geographicLevel?: GeographicLevel;
  areaCode?: string;
  groupType?: string;
  groupName?: string;
  measure?: string;
  /** Only figures with a published value (leave out suppressed ones). */
  publishedOnly?: boolean;
}

/** Stored figures, newest year first, in a stable order. */
export async function listFigures(connection: Connection, filter: FigureFilter = {}): Promise<StoredFigure[]> {
  const conditions: string[] = [];
  const params: SqlParams = {};
  const add = (column: string, name: string, value: string | undefined) => {
    if (value === undefined) return;
    conditions.push(`${column} = $${name}`);
    params[name] = value;
  };
  add("academic_year", "year", filter.academicYear);
  add("geographic_level", "level", filter.geographicLevel);
  add("area_code", "area", filter.areaCode);
  add("group_type", "group_type", filter.groupType);
  add("group_name", "group_name", filter.groupName);
  add("measure", "measure", filter.measure);
  if (filter.publishedOnly) conditions.push("value IS NOT NULL");
  const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
  const rows = await queryRows(
    connection,
    `${SELECT_FIGURES} ${where}
     ORDER BY academic_year DESC, CASE geographic_level WHEN 'national' THEN 0 WHEN 'regional' THEN 1 ELSE 2 END,
              area_name, period, phase DESC, group_type, group_name, measure, source_file, source_line,
              -- Then the edition and the id: two editions of a figure from one file name and line
              -- (a revised release uploaded again) tied, listed in either order from run to run.
              period_end NULLS LAST, release, figure_id`,
    params,
  );
  return rows as unknown as StoredFigure[];
}

export interface BenchmarkArea {
  level: GeographicLevel;
  code: string;
  name: string;
  regionCode: string | null;
}

/**
 * Regions and local authorities with figures loaded: any, or with `academicYear` (e.g.
 * "2026/27") those with a figure the report of that year can show — of that year, or of the
 * year before when nothing of that year is published (compare.ts findBenchmarkSet's earlier
 * year) — for the "Also compare with" picker, which offered 160 areas beside England's rows
 * alone, each reading "No published figure" (trial 29). Regions first, then by name and code;
 * each named (and placed in its region) as in its latest year of figures.
 */
export async function listAreas(connection: Connection, academicYear?: string): Promise<BenchmarkArea[]> {
  const params: SqlParams = academicYear === undefined ? {} : { year: academicYear, earlier: previousAcademicYear(academicYear) };
  const ofYear =
    academicYear === undefined
      ? ""
      : `AND value IS NOT NULL
         AND academic_year = CASE WHEN EXISTS (SELECT 1 FROM benchmark_figures WHERE academic_year = $year) THEN $year ELSE $earlier END`;
  const rows = await queryRows<{ level: string; code: string; name: string; region_code: string | null }>(
    connection,
    // An area's name and region of its latest year with one (a code's name can change between
    // the DfE's years: any_value unordered gave either), and the code last: two areas of one name tied.
    `SELECT geographic_level AS level, area_code AS code,
            any_value(area_name ORDER BY academic_year DESC, area_name) AS name,
            any_value(region_code ORDER BY academic_year DESC, region_code) AS region_code
       FROM benchmark_figures WHERE geographic_level <> 'national' ${ofYear}
      GROUP BY geographic_level, area_code
      ORDER BY CASE geographic_level WHEN 'regional' THEN 0 ELSE 1 END, name, code`,
    params,
  );
  return rows.map((row) => ({ level: row.level as GeographicLevel, code: row.code, name: row.name, regionCode: row.region_code }));
}

export async function findArea(connection: Connection, code: string): Promise<BenchmarkArea | undefined> {
  return (await listAreas(connection)).find((area) => area.code === code);
}
