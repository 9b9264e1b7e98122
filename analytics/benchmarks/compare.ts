/**
 * Honest comparisons: the school against the published figure for the same phase, period
 * and group, with the figure's publication, source and date — or null ("no published
 * figure"), never zero.
 *
 * Choosing a figure, in order:
 * 1. phase: primary; else all state-funded schools, and the figure says so;
 * 2. period: a term compares with that term; a year to date with the daily data's year to
 *    date nearest the school's date; a completed year with the full year (census first),
 *    else the daily data's year to date at the end of that year;
 * 3. publication: the census ("Pupil absence in schools in England") for terms and full
 *    years, the daily data ("Pupil attendance in schools") for a year in progress;
 * 4. of several versions of one figure: the one covering data nearest the school's date,
 *    then the most precisely printed (newer releases print 2 decimals), then the later
 *    release. Every version stays in the store and in the sources table.
 */
import type { Connection } from "../db.ts";
import { queryRows } from "../db.ts";
import { decimalPlaces } from "./sources.ts";
import { ensureShippedBenchmarks } from "./load.ts";
import { cachedYears } from "./figure-cache.ts";
import { describeBenchmark } from "./labels.ts";
import {
  CENSUS_PUBLICATION,
  DAILY_PUBLICATION,
  type BenchmarkMeasure,
  type BenchmarkPeriod,
  type BenchmarkPhase,
  type GeographicLevel,
  type GroupType,
} from "./store.ts";

export interface BenchmarkRequest {
  academicYear: string;
  /** The school's period kind. */
  period: BenchmarkPeriod;
  /** Last date of the school's period (ISO): picks the year-to-date figure nearest to it. */
  asOf?: string;
  /** The academic year has ended: a year to date then compares with the full year. */
  yearComplete?: boolean;
  /** The school's phase; Rollcall schools are primary. */
  phase?: BenchmarkPhase;
  groupType?: GroupType;
  group?: string;
  measure: BenchmarkMeasure;
  /** National unless a region or local authority (by its code) is asked for. */
  geography?: { level: GeographicLevel; code?: string };
  /**
   * When nothing at all is published for the year yet (the current year, early on), use the
   * same period of the year before, labelled as such. Off unless asked for.
   */
  allowEarlierYear?: boolean;
}

export type SourceKind = "census" | "daily";

export interface Benchmark {
  figureId: string;
  value: number;
  /** As printed by the DfE, e.g. "5.20". */
  valueText: string;
  measure: BenchmarkMeasure;
  publication: string;
  sourceKind: SourceKind;
  academicYear: string;
  period: BenchmarkPeriod;
  periodEnd: string | null;
  phase: BenchmarkPhase;
  geographicLevel: GeographicLevel;
  areaCode: string;
  areaName: string;
  groupType: string;
  group: string;
  release: string;
  sourceUrl: string;
  excerpt: string;
  origin: string;
  /** e.g. "National (primary, 2024/25 full year)". */
  label: string;
  /** Where the figure differs from what was asked, said plainly. */
  notes: string[];
}

interface Candidate {
  figure_id: string;
  value: number;
  value_text: string;
  publication: string;
  academic_year: string;
  period: BenchmarkPeriod;
  period_end: string | null;
  phase: BenchmarkPhase;
  geographic_level: GeographicLevel;
  area_code: string;
  area_name: string;
  group_type: string;
  group_name: string;
  measure: BenchmarkMeasure;
  release: string;
  source_url: string;
  excerpt: string;
  origin: string;
  source_line: number;
}

function previousAcademicYear(year: string): string {
  const start = Number(year.slice(0, 4)) - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, "0")}`;
}

function shiftYears(iso: string, years: number): string {
  return `${Number(iso.slice(0, 4)) + years}${iso.slice(4)}`;
}

const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/** The periods that answer a request, best first. */
function acceptablePeriods(request: BenchmarkRequest): BenchmarkPeriod[] {
  if (request.period === "full-year" || (request.period === "year-to-date" && request.yearComplete)) return ["full-year", "year-to-date"];
  return [request.period];
}

function preferredPublications(period: BenchmarkPeriod): string[] {
  return period === "year-to-date" ? [DAILY_PUBLICATION, CENSUS_PUBLICATION] : [CENSUS_PUBLICATION, DAILY_PUBLICATION];
}

const rank = (list: readonly string[], value: string) => {
  const position = list.indexOf(value);
  return position < 0 ? list.length : position;
};

function publishedFiguresOf(connection: Connection, academicYear: string): Promise<Candidate[]> {
  // A report asks for ~90 figures: a year's are read once per connection (unit of work).
  const years = cachedYears<Candidate>(connection);
  let figures = years.get(academicYear);
  if (!figures) {
    figures = queryRows<Candidate & Record<string, string | number | null>>(
      connection,
      `SELECT figure_id, value, value_text, publication, academic_year, period, strftime(period_end, '%Y-%m-%d') AS period_end,
              phase, geographic_level, area_code, area_name, group_type, group_name, measure, release, source_url, excerpt,
              origin, source_line
         FROM benchmark_figures
        WHERE academic_year = $year AND value IS NOT NULL`,
      { year: academicYear },
    );
    years.set(academicYear, figures);
    figures.catch(() => years.delete(academicYear));
  }
  return figures;
}

async function candidates(connection: Connection, request: BenchmarkRequest, academicYear: string): Promise<Candidate[]> {
  const level = request.geography?.level ?? "national";
  if (level !== "national" && !request.geography?.code) throw new Error(`a ${level} comparison needs the area's code`);
  const groupType = request.groupType ?? "all";
  const group = request.group ?? "all";
  return (await publishedFiguresOf(connection, academicYear)).filter(
    (row) =>
      row.group_type === groupType &&
      row.group_name === group &&
      row.measure === request.measure &&
      row.geographic_level === level &&
      (level === "national" || row.area_code === request.geography!.code),
  );
}

function choose(request: BenchmarkRequest, rows: Candidate[], asOf: string | undefined): Candidate | undefined {
  const phases: BenchmarkPhase[] = (request.phase ?? "primary") === "primary" ? ["primary", "all-state-funded"] : ["all-state-funded"];
  const periods = acceptablePeriods(request);
  const usable = rows.filter((row) => phases.includes(row.phase) && periods.includes(row.period));
  const complete = request.period === "full-year" || Boolean(request.yearComplete);
  const distance = (row: Candidate): number => {
    if (row.period !== "year-to-date") return 0;
    if (!row.period_end) return Number.MAX_SAFE_INTEGER;
    // A completed year wants the latest data; a year in progress the date nearest the school's.
    if (complete || !asOf) return -dayNumber(row.period_end);
    return Math.abs(dayNumber(row.period_end) - dayNumber(asOf));
  };
  const keys = (row: Candidate): number[] => [
    rank(phases, row.phase),
    rank(periods, row.period),
    rank(preferredPublications(row.period), row.publication),
    distance(row),
    -decimalPlaces(row.value_text),
  ];
  return [...usable].sort((a, b) => {
    const ka = keys(a);
    const kb = keys(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    if (a.release !== b.release) return a.release < b.release ? 1 : -1;
    return b.source_line - a.source_line;
  })[0];
}

/** Whether anything at all is published for a year: if so, a missing figure is missing, not "not yet". */
async function anyFigureFor(connection: Connection, academicYear: string): Promise<boolean> {
  return (await publishedFiguresOf(connection, academicYear)).length > 0;
}

/** A release: one publication's figures from one source, with one last day of data. */
const releaseKey = (row: Candidate) => `${row.publication}|${row.source_url}|${row.period_end ?? ""}|${row.release}`;

/**
 * The figures for several measures of ONE comparison (issue 13, case 2), all from one
 * release: the release that covers the most of the measures — on the best phase available
 * (primary before all schools) — and, of those, the one `choose` ranks first for the period
 * (for a completed year the latest data; else the date nearest the school's). A measure the
 * chosen release does not publish is null, with a note, rather than borrowed from another
 * release: overall absence then always equals authorised plus unauthorised as published.
 */
export async function findBenchmarkSet(
  connection: Connection,
  request: Omit<BenchmarkRequest, "measure">,
  measures: BenchmarkMeasure[],
): Promise<Map<BenchmarkMeasure, Benchmark | null>> {
  await ensureShippedBenchmarks(connection);
  const pick = async (year: string, asOf: string | undefined) => {
    const byMeasure = new Map<BenchmarkMeasure, Candidate[]>();
    for (const measure of measures) byMeasure.set(measure, await candidates(connection, { ...request, measure }, year));
    const phases: BenchmarkPhase[] = (request.phase ?? "primary") === "primary" ? ["primary", "all-state-funded"] : ["all-state-funded"];
    // The best row of each release for each measure, by the single-figure rules.
    const releases = new Map<string, Map<BenchmarkMeasure, Candidate>>();
    for (const measure of measures) {
      const rows = byMeasure.get(measure)!;
      for (const key of new Set(rows.map(releaseKey))) {
        const best = choose({ ...request, measure }, rows.filter((row) => releaseKey(row) === key), asOf);
        if (!best) continue;
        if (!releases.has(key)) releases.set(key, new Map());
        releases.get(key)!.set(measure, best);
      }
    }
    if (releases.size === 0) return null;
    const ranked = [...releases.entries()].sort(([, a], [, b]) => {
      const phaseOf = (set: Map<BenchmarkMeasure, Candidate>) => Math.min(...[...set.values()].map((row) => rank(phases, row.phase)));
      if (phaseOf(a) !== phaseOf(b)) return phaseOf(a) - phaseOf(b);
      if (a.size !== b.size) return b.size - a.size;
      // Same coverage: the release `choose` prefers for the first measure both publish.
      const shared = measures.find((m) => a.has(m) && b.has(m));
      if (!shared) return 0;
      const winner = choose({ ...request, measure: shared }, [a.get(shared)!, b.get(shared)!], asOf);
      return winner === a.get(shared) ? -1 : 1;
    });
    return ranked[0][1];
  };
  let year = request.academicYear;
  let asOf = request.asOf;
  let chosen = await pick(year, asOf);
  const notes: string[] = [];
  if (!chosen && request.allowEarlierYear && !(await anyFigureFor(connection, year))) {
    const earlier = previousAcademicYear(year);
    asOf = asOf ? shiftYears(asOf, -1) : undefined;
    chosen = await pick(earlier, asOf);
    if (chosen) notes.push(`No ${year} figure is published yet: this is ${earlier}'s`);
    year = earlier;
  }
  const result = new Map<BenchmarkMeasure, Benchmark | null>();
  for (const measure of measures) {
    const row = chosen?.get(measure);
    result.set(measure, row ? toBenchmark(row, { ...request, measure }, [...notes]) : null);
  }
  return result;
}

/** The published figure to compare with, or null when none is published. */
export async function findBenchmark(connection: Connection, request: BenchmarkRequest): Promise<Benchmark | null> {
  await ensureShippedBenchmarks(connection);
  let year = request.academicYear;
  let asOf = request.asOf;
  let chosen = choose(request, await candidates(connection, request, year), asOf);
  const notes: string[] = [];
  if (!chosen && request.allowEarlierYear && !(await anyFigureFor(connection, year))) {
    const earlier = previousAcademicYear(year);
    asOf = asOf ? shiftYears(asOf, -1) : undefined;
    chosen = choose(request, await candidates(connection, request, earlier), asOf);
    if (chosen) notes.push(`No ${year} figure is published yet: this is ${earlier}'s`);
    year = earlier;
  }
  if (!chosen) return null;
  return toBenchmark(chosen, request, notes);
}

/** A stored figure as a Benchmark, with notes where it differs from what was asked. */
function toBenchmark(chosen: Candidate, request: BenchmarkRequest, notes: string[]): Benchmark {
  if ((request.phase ?? "primary") === "primary" && chosen.phase !== "primary") {
    notes.push("No primary figure is published: this is for all state-funded schools");
  }
  const wantedFullYear = request.period === "full-year" || (request.period === "year-to-date" && request.yearComplete);
  if (wantedFullYear && chosen.period === "year-to-date") {
    notes.push("No full-year figure is published: this is the daily data's year to date");
  }
  const benchmark: Omit<Benchmark, "label"> = {
    figureId: chosen.figure_id,
    value: chosen.value,
    valueText: chosen.value_text,
    measure: chosen.measure,
    publication: chosen.publication,
    sourceKind: chosen.publication === CENSUS_PUBLICATION ? "census" : "daily",
    academicYear: chosen.academic_year,
    period: chosen.period,
    periodEnd: chosen.period_end,
    phase: chosen.phase,
    geographicLevel: chosen.geographic_level,
    areaCode: chosen.area_code,
    areaName: chosen.area_name,
    groupType: chosen.group_type,
    group: chosen.group_name,
    release: chosen.release,
    sourceUrl: chosen.source_url,
    excerpt: chosen.excerpt,
    origin: chosen.origin,
    notes,
  };
  return { ...benchmark, label: describeBenchmark(benchmark) };
}

export { compareWithNational, type Comparison, type Direction } from "./comparison.ts";
