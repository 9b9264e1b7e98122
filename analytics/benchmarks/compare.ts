/**
 * Honest comparisons: the school against the published figure for the same phase, period
 * and group, with the figure's publication, source and date — or null ("no published
 * figure"), never zero.
 *
 * THE rule, the same for every comparison with a published figure (the Overview, Groups,
 * Benchmarks, the head's report and both packs all call findBenchmarkSet; issue 13, case 2):
 * all the measures of one comparison come from ONE release — the newest release covering
 * the period — chosen in this order:
 * 1. period: a term compares with that term; a year in progress with the daily data's year
 *    to date; a completed year with the full year (census first), else the daily data's
 *    year to date at the end of that year;
 * 2. coverage: the release publishing the most of the measures asked for — all of them
 *    where one does (trial20: Autumn 2024's absence came from the census release, which
 *    publishes no persistent absence, so persistent absence read "no published figure"
 *    beside the daily-data release's 19.2 % for the same term);
 * 3. phase: primary; else all state-funded schools, and the figure says so;
 * 4. publication: the census ("Pupil absence in schools in England") for terms and full
 *    years, the daily data ("Pupil attendance in schools") for a year in progress;
 * 5. the release that also publishes the pupil groups' figures for the period (the most of
 *    them), so that the whole school and its groups are compared with one release (trial20:
 *    Autumn 2024's school against the census, its groups against the daily data's week 4);
 * 6. the newest release: the latest last day of data (daily data), else the latest release
 *    — never the one "nearest" a page's date, so two pages showing the same period cite the
 *    same release. A release's data may end before or after the school's period: the
 *    figure's label and citation give the dates it covers (and a note says when they differ).
 * 7. then the most precisely printed (newer releases print 2 decimals). A measure the
 *    chosen release does not publish is null ("no published figure"), never borrowed from
 *    another release.
 * A pupil group takes the release chosen for the whole school over the same period when that
 * release publishes any of the group's figures; only where it publishes none does the group
 * take its own release by the same rule, and its figures say so in words (groupReleaseNote).
 * Every version stays in the store and in the Benchmarks page's list of published figures.
 */
import type { Connection } from "../db.ts";
import { cachedRows } from "../db.ts";
import { decimalPlaces } from "./sources.ts";
import { ensureShippedBenchmarks } from "./load.ts";
import { cachedYears } from "./figure-cache.ts";
import { previousAcademicYear } from "../period-names.ts";
import { coversWholeYear, describeBenchmark, describeSource, formatIsoDate, sourceAddress } from "./labels.ts";
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
  /** Last date of the school's period (ISO): a note says when the release's data end on another day. */
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

const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/** Sorts newest first: the later last day of data (a year to date without one comes last). */
function newness(row: Candidate): number {
  if (row.period !== "year-to-date") return 0;
  return row.period_end ? -dayNumber(row.period_end) : Number.MAX_SAFE_INTEGER;
}

/** The periods that answer a request, best first. */
function acceptablePeriods(request: Pick<BenchmarkRequest, "period" | "yearComplete">): BenchmarkPeriod[] {
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
    figures = cachedRows<Candidate & Record<string, string | number | null>>(
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

/** The best row of one release for one measure (phase, period, publication, newest, precision). */
function choose(request: BenchmarkRequest, rows: Candidate[]): Candidate | undefined {
  const phases: BenchmarkPhase[] = (request.phase ?? "primary") === "primary" ? ["primary", "all-state-funded"] : ["all-state-funded"];
  const periods = acceptablePeriods(request);
  const usable = rows.filter((row) => phases.includes(row.phase) && periods.includes(row.period));
  const keys = (row: Candidate): number[] => [
    rank(phases, row.phase),
    rank(periods, row.period),
    rank(preferredPublications(row.period), row.publication),
    newness(row),
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

/**
 * The published pupil-group figures (any group but the whole school) of a year for the
 * measures asked, in the request's geography: which releases publish the groups (rule 5).
 */
async function groupCandidates(connection: Connection, request: Omit<BenchmarkRequest, "measure">, measures: BenchmarkMeasure[], academicYear: string): Promise<Candidate[]> {
  const level = request.geography?.level ?? "national";
  return (await publishedFiguresOf(connection, academicYear)).filter(
    (row) =>
      row.group_type !== "all" &&
      measures.includes(row.measure) &&
      row.geographic_level === level &&
      (level === "national" || row.area_code === request.geography!.code),
  );
}

/** A release in a note's words: "Pupil attendance in schools (daily attendance data), 2025 week 4 (https://…)". */
const releaseOf = (row: Pick<Candidate, "publication" | "release" | "source_url">) =>
  `${describeSource({ publication: row.publication, release: row.release, sourceKind: row.publication === CENSUS_PUBLICATION ? "census" : "daily" })} (${sourceAddress(row.source_url).address})`;

/**
 * Said beside a group's figures taken from another release than the whole school's for the
 * same period (the whole school's publishes none of the group's): both releases named, so the
 * mix is never silent (trial20, issue 13 case 2).
 */
export function groupReleaseNote(whole: Pick<Candidate, "publication" | "release" | "source_url">, group: Pick<Candidate, "publication" | "release" | "source_url">): string {
  return `From another release than the whole school's figures for this period: the group's are published only in ${releaseOf(group)}, the whole school's are from ${releaseOf(whole)}`;
}

/** Whether anything at all is published for a year: if so, a missing figure is missing, not "not yet". */
async function anyFigureFor(connection: Connection, academicYear: string): Promise<boolean> {
  return (await publishedFiguresOf(connection, academicYear)).length > 0;
}

/** A release: one publication's figures from one source, with one last day of data. */
const releaseKey = (row: Candidate) => `${row.publication}|${row.source_url}|${row.period_end ?? ""}|${row.release}`;

/**
 * The published figures for the measures of ONE comparison, all from one release: the
 * newest release covering the period, by the rule in this module's header (issue 13, case
 * 2). `request.asOf` is the last day of the school's period (ISO): it is not used to pick
 * a release, only to say when the release's data end on another date. Returns every measure
 * asked for, null where the chosen release publishes none ("no published figure"): overall
 * absence then always equals authorised plus unauthorised as published. With
 * `allowEarlierYear`, a year with nothing published yet uses the year before, and says so.
 */
export async function findBenchmarkSet(
  connection: Connection,
  request: Omit<BenchmarkRequest, "measure">,
  measures: BenchmarkMeasure[],
): Promise<Map<BenchmarkMeasure, Benchmark | null>> {
  await ensureShippedBenchmarks(connection);
  /** The releases answering `asked` for a year, best first by the rule above; null when none. */
  const rankReleases = async (year: string, asked: Omit<BenchmarkRequest, "measure">): Promise<Array<[string, Map<BenchmarkMeasure, Candidate>]> | null> => {
    const byMeasure = new Map<BenchmarkMeasure, Candidate[]>();
    for (const measure of measures) byMeasure.set(measure, await candidates(connection, { ...asked, measure }, year));
    const phases: BenchmarkPhase[] = (request.phase ?? "primary") === "primary" ? ["primary", "all-state-funded"] : ["all-state-funded"];
    const periods = acceptablePeriods(request);
    // The best row of each release for each measure, by the single-figure rules.
    const releases = new Map<string, Map<BenchmarkMeasure, Candidate>>();
    for (const measure of measures) {
      const rows = byMeasure.get(measure)!;
      for (const key of new Set(rows.map(releaseKey))) {
        const best = choose({ ...request, measure }, rows.filter((row) => releaseKey(row) === key));
        if (!best) continue;
        if (!releases.has(key)) releases.set(key, new Map());
        releases.get(key)!.set(measure, best);
      }
    }
    if (releases.size === 0) return null;
    // How many pupil-group figures of the measures asked each release publishes for the period (rule 5).
    const groupFigures = new Map<string, number>();
    for (const row of await groupCandidates(connection, request, measures, year)) {
      if (phases.includes(row.phase) && periods.includes(row.period)) groupFigures.set(releaseKey(row), (groupFigures.get(releaseKey(row)) ?? 0) + 1);
    }
    // Period, coverage, phase, publication, groups, newest, precision, later release: the rule above.
    const keys = (key: string, set: Map<BenchmarkMeasure, Candidate>): number[] => {
      const rows = [...set.values()];
      const first = rows[0];
      return [
        Math.min(...rows.map((row) => rank(periods, row.period))),
        -set.size,
        Math.min(...rows.map((row) => rank(phases, row.phase))),
        rank(preferredPublications(first.period), first.publication),
        -(groupFigures.get(key) ?? 0),
        newness(first),
        -Math.max(...rows.map((row) => decimalPlaces(row.value_text))),
      ];
    };
    const ranked = [...releases.entries()].sort(([keyA, a], [keyB, b]) => {
      const ka = keys(keyA, a);
      const kb = keys(keyB, b);
      for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
      const releaseA = [...a.values()][0].release;
      const releaseB = [...b.values()][0].release;
      if (releaseA !== releaseB) return releaseA < releaseB ? 1 : -1;
      return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
    });
    return ranked;
  };
  // A pupil group: the whole school's release for the period when it publishes any of the
  // group's figures, else the group's own, said in words beside them (rule above).
  const isGroup = (request.groupType ?? "all") !== "all";
  let groupNote: string | null = null;
  const pick = async (year: string): Promise<Map<BenchmarkMeasure, Candidate> | null> => {
    groupNote = null;
    const own = await rankReleases(year, request);
    if (!own) return null;
    const whole = isGroup ? await rankReleases(year, { ...request, groupType: "all", group: "all" }) : null;
    if (!whole) return own[0][1];
    const shared = own.find(([key]) => key === whole[0][0]);
    if (shared) return shared[1];
    groupNote = groupReleaseNote([...whole[0][1].values()][0], [...own[0][1].values()][0]);
    return own[0][1];
  };
  const year = request.academicYear;
  let chosen = await pick(year);
  const notes: string[] = [];
  if (!chosen && request.allowEarlierYear && !(await anyFigureFor(connection, year))) {
    const earlier = previousAcademicYear(year);
    chosen = await pick(earlier);
    if (chosen) notes.push(`No ${year} figure is published yet: this is ${earlier}'s`);
  } else if (chosen && request.asOf && !request.yearComplete) {
    // The newest release, not the nearest: say so where its data end on another day than the school's period.
    const end = [...chosen.values()][0].period_end;
    if (end && end !== request.asOf && [...chosen.values()][0].period === "year-to-date") {
      notes.push(`The newest release is used: its data run to ${formatIsoDate(end)}, the school's to ${formatIsoDate(request.asOf)}`);
    }
  }
  if (groupNote) notes.push(groupNote);
  const result = new Map<BenchmarkMeasure, Benchmark | null>();
  for (const measure of measures) {
    const row = chosen?.get(measure);
    if (!row) {
      result.set(measure, null);
      continue;
    }
    // A figure for all state-funded schools where another release of the same period has the
    // primary one (it lost on coverage: rule 2): said, so that "no primary figure" is never false
    // (trial20: Autumn 2024's census gives primary absence, but no persistent absence).
    const primaryElsewhere =
      (request.phase ?? "primary") === "primary" && row.phase !== "primary"
        ? (await candidates(connection, { ...request, measure }, row.academic_year)).find((other) => other.phase === "primary" && other.period === row.period && releaseKey(other) !== releaseKey(row))
        : undefined;
    result.set(measure, toBenchmark(row, { ...request, measure }, [...notes], primaryElsewhere));
  }
  return result;
}

/**
 * The published figure to compare with for one measure, or null when none is published: the
 * same rule as findBenchmarkSet (it is findBenchmarkSet for one measure).
 */
export async function findBenchmark(connection: Connection, request: BenchmarkRequest): Promise<Benchmark | null> {
  const { measure, ...rest } = request;
  return (await findBenchmarkSet(connection, rest, [measure])).get(measure) ?? null;
}

/**
 * A stored figure as a Benchmark, with notes where it differs from what was asked;
 * `primaryElsewhere`: the primary figure of another release for the same period, not used.
 */
function toBenchmark(chosen: Candidate, request: BenchmarkRequest, notes: string[], primaryElsewhere?: Candidate): Benchmark {
  if (primaryElsewhere) {
    notes.push(
      `A primary figure is published only in another release, ${releaseOf(primaryElsewhere)}, which does not give every measure compared here: this is for all state-funded schools, from the release that does`,
    );
  } else if ((request.phase ?? "primary") === "primary" && chosen.phase !== "primary") {
    notes.push("No primary figure is published: this is for all state-funded schools");
  }
  const wantedFullYear = request.period === "full-year" || (request.period === "year-to-date" && request.yearComplete);
  if (wantedFullYear && !coversWholeYear(chosen.academic_year, chosen.period, chosen.period_end)) {
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
