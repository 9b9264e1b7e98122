/**
 * The head's benchmark report: ONE model, built here, drawn by the /benchmarks page, the
 * PDF, the workbook, the CSV and the CLI — so their figures are equal by construction.
 *
 * The school's figures come from analytics/measures.ts (summarise, summariseBy); the
 * published ones from findBenchmark. Nothing is recomputed here: the model only pairs them.
 */
import type { Connection } from "../db.ts";
import { cachedRows, withSharedReads } from "../db.ts";
import { governorHorizon, halfTermsOf } from "../governor-periods.ts";
import { governorQuery, POPULATION_WORDS, summarise, summariseBy, type Measures, type MeasureQuery } from "../measures.ts";
import { academicYearBounds, academicYearOf, formatTermKey } from "../period-names.ts";
import { getSettings } from "../settings.ts";
import { targetVerdict } from "../thresholds.ts";
import { compareWithNational, findBenchmarkSet, type Benchmark, type Comparison } from "./compare.ts";
import { GROUP_WORDS, LEVEL_WORDS, MEASURE_WORDS, citationParts, citeSource, formatIsoDate } from "./labels.ts";
import { ensureShippedBenchmarks } from "./load.ts";
import { WITHHELD_TEXT, groupKey, type SuppressedFigure, type SuppressionPlan } from "../suppression.ts";
import { REPORT_KEYS, reportPeriodSuppression } from "./report-suppression.ts";
import { isLeaversGroup, leaversLabel } from "../leavers.ts";
import { withheldRuleWords } from "../withheld-rule.ts";
import { PA_MIN_SCHOOL_DAYS, PA_NOT_GIVEN_TEXT, persistentAbsenceSpan } from "../pa-span.ts";
import { censusColumnOf } from "./open-data.ts";
import { CENSUS_PUBLICATION, ENGLAND_AREA_CODE, findArea, listAreas, type BenchmarkMeasure, type BenchmarkPeriod, type GeographicLevel, type GroupType } from "./store.ts";

/** The school's measure for each benchmark measure (absence rates: lower is better). */
export const SCHOOL_MEASURE: Record<BenchmarkMeasure, keyof Measures> = {
  overall_absence_pct: "absence_pct",
  authorised_absence_pct: "authorised_pct",
  unauthorised_absence_pct: "unauthorised_pct",
  persistent_absence_pct: "pa_pct",
  severe_absence_pct: "sa_pct",
};

/** Which counts each rate is made of, so every figure travels with them. */
const COUNTS: Record<BenchmarkMeasure, { numerator: (m: Measures) => number; denominator: (m: Measures) => number; unit: "sessions" | "pupils" }> = {
  overall_absence_pct: { numerator: (m) => m.authorised_sessions + m.unauthorised_sessions, denominator: (m) => m.possible_sessions, unit: "sessions" },
  authorised_absence_pct: { numerator: (m) => m.authorised_sessions, denominator: (m) => m.possible_sessions, unit: "sessions" },
  unauthorised_absence_pct: { numerator: (m) => m.unauthorised_sessions, denominator: (m) => m.possible_sessions, unit: "sessions" },
  persistent_absence_pct: { numerator: (m) => m.pa_pupils, denominator: (m) => m.pupils, unit: "pupils" },
  severe_absence_pct: { numerator: (m) => m.sa_pupils, denominator: (m) => m.pupils, unit: "pupils" },
};

/** The school's pupil groups and the DfE's names for them (characteristics at the period's end). */
export const SCHOOL_GROUPS: Array<{ dimension: "fsm" | "sen" | "eal" | "sex"; value: string; groupType: GroupType; group: string }> = [
  { dimension: "fsm", value: "Y", groupType: "fsm", group: "fsm-eligible" },
  { dimension: "fsm", value: "N", groupType: "fsm", group: "fsm-not-eligible" },
  { dimension: "sen", value: "E", groupType: "sen", group: "ehc-plan" },
  { dimension: "sen", value: "K", groupType: "sen", group: "sen-support" },
  { dimension: "sen", value: "N", groupType: "sen", group: "no-sen" },
  { dimension: "eal", value: "Y", groupType: "eal", group: "eal" },
  { dimension: "eal", value: "N", groupType: "eal", group: "english" },
  { dimension: "sex", value: "F", groupType: "sex", group: "girls" },
  { dimension: "sex", value: "M", groupType: "sex", group: "boys" },
];

const YEAR_MEASURES: BenchmarkMeasure[] = [
  "overall_absence_pct",
  "authorised_absence_pct",
  "unauthorised_absence_pct",
  "persistent_absence_pct",
  "severe_absence_pct",
];
const SHORT_MEASURES: BenchmarkMeasure[] = ["overall_absence_pct", "persistent_absence_pct"];

export interface ReportColumn {
  level: GeographicLevel;
  code: string | null;
  /** "National", "East of England", "Suffolk". */
  label: string;
}

export interface ComparisonCell {
  column: string;
  /** Null: no published figure. */
  benchmark: {
    value: number;
    valueText: string;
    label: string;
    /** "primary", or "all-state-funded": then compared only with a caveat, never a badge (case 3). */
    phase: string;
    notes: string[];
    /** Footnote number in `sources`. */
    sourceRef: number;
  } | null;
  comparison: Comparison;
}

export interface MeasureLine {
  measure: BenchmarkMeasure;
  label: string;
  /** Percent, unrounded; null when the school has no figure or it is withheld. */
  school: number | null;
  /** Null when withheld from a governor (with `withheld` saying why). */
  numerator: number | null;
  denominator: number | null;
  unit: "sessions" | "pupils";
  /**
   * A governor's report: the school's figure is withheld — the words printed in its place
   * ("fewer than 5", as in the FGB pack). Null when shown.
   */
  withheld: string | null;
  cells: ComparisonCell[];
}

export interface ReportPeriod {
  /** "year" or a term key such as "autumn-2026". */
  key: string;
  kind: BenchmarkPeriod;
  label: string;
  from: string;
  to: string;
  inProgress: boolean;
  /** Null only when withheld from a governor. */
  pupils: number | null;
  possibleSessions: number | null;
  lines: MeasureLine[];
  /**
   * The school's own whole-roll figures (Reception and nursery included) for the period, for
   * reference: never compared with a published figure (case 1).
   */
  wholeRoll: { pupils: number | null; absencePct: number | null; paPct: number | null; paPupils: number | null };
  /**
   * Whose figures `pupils` and `lines` are, in words printed beside them (DFE_BASIS_WORDS):
   * every line compared with a published figure is on the DfE's population (case 1).
   */
  population: string;
}

/**
 * The two populations a report prints, in the words every format uses (page, PDF, workbook,
 * CSV), so a reader never has to guess which row is which (trial 16a: "240 pupils" in the
 * heading, the target row over 241).
 */
export const DFE_BASIS_WORDS = "aged 5–15 (the DfE's basis)";
/** The whole roll, true to the school: with no pupils outside ages 5–15 it says so. */
export function wholeRollLabel(outsidePupils: number): string {
  return outsidePupils > 0 ? "on the whole roll (Reception included)" : "on the whole roll (none outside ages 5–15)";
}

export interface GroupLine {
  groupType: GroupType;
  group: string;
  label: string;
  /** Null when withheld from a governor. */
  pupils: number | null;
  /**
   * The governors' version only: fewer pupils than the school's small-group minimum, or
   * withheld to protect one — figures withheld. Always false in the staff's version, which
   * shows every group's counts.
   */
  suppressed: boolean;
  /** What is printed in place of a suppressed group's figures; null when shown. */
  withheld: string | null;
  lines: MeasureLine[];
  /**
   * The governors' version over more than one half term: the pupils who left before its last
   * half term (analytics/leavers.ts), counted in this row of their own and in no group above,
   * as on Year groups & classes and in the FGB pack ("Left before Autumn 2"). Its value in
   * the governors' table (leaversGroup). Absent on every other row.
   */
  leavers?: string;
}

export interface SourceRef {
  ref: number;
  /** In words: publication, period covered, date published, address — never a commit hash. */
  citation: string;
  /** The address in words (a commit-free link, or the imported file). */
  address: string;
  /** "Pupil attendance in schools (daily attendance data), 2025 week 29". */
  source: string;
  publication: string;
  release: string;
  /** Last day of data, when the source states it. */
  periodEnd: string | null;
  url: string;
  /** "shipped" or the import that brought the figure. */
  origin: string;
}

export interface BenchmarkReport {
  schoolName: string;
  academicYear: string;
  /** The last day the school's figures cover (ISO): the day asked for, or for governors the end of the last half term that has ended. */
  today: string;
  /** The day the report was made (ISO): the day asked for, whatever its figures run to. */
  produced: string;
  yearComplete: boolean;
  columns: ReportColumn[];
  /**
   * The area the report was asked for beside national (a region's or a local authority's code),
   * null for national alone. Not read from `columns`: a local authority's report carries its
   * region's column before its own (a trial found Shropshire's report saved under the West
   * Midlands' file name).
   */
  areaCode: string | null;
  target: {
    targetPct: number;
    attendancePct: number | null;
    /** Null only when withheld from a governor (then `withheld` says why). */
    attended: number | null;
    possible: number | null;
    withheld: string | null;
    comparison: Comparison;
    /** "0.3 pts above target", "on target", "below target"… */
    words: string;
    /**
     * The target is the school's own, over its whole roll (Settings), never a published
     * figure: its pupils (null when withheld from a governor) and population in words.
     */
    pupils: number | null;
    population: string;
  };
  year: ReportPeriod;
  /** The year's first school day in the calendar (the year itself runs from 1 August): said beside the year's span. */
  firstSchoolDay: string;
  terms: ReportPeriod[];
  /** Which period the group comparison covers, and the periods it could cover. */
  groupPeriod: { key: string; label: string; choices: Array<{ key: string; label: string }> };
  groups: GroupLine[];
  smallGroupMin: number;
  /**
   * The governors' version: small counts, and the figures that would give them away, are
   * withheld (analytics/benchmarks/report-suppression.ts). False for staff.
   */
  smallCountsWithheld: boolean;
  sources: SourceRef[];
  /** Caveats printed under the report. */
  notes: string[];
}

export interface ReportRequest {
  academicYear: string;
  /** "Today" (ROLLCALL_TODAY in the app): where a year in progress ends. */
  today: string;
  /** A region or local authority code to compare with as well as national. */
  areaCode?: string | null;
  /** "year" or a term key ("autumn-2026"); by default chosen as described in the builder. */
  groupPeriod?: string | null;
  /**
   * Build the governors' version (issue 9): counts under the school's small-group minimum,
   * and any figure from which one could be worked out, are withheld with the words printed
   * in their place, as in the FGB pack. The caller decides from the reader's role.
   */
  withholdSmallCounts?: boolean;
}

interface TermSpan {
  term: string;
  from: string;
  to: string;
}

function allLinesOf(year: ReportPeriod, terms: ReportPeriod[], groups: GroupLine[]): MeasureLine[] {
  return [...year.lines, ...terms.flatMap((period) => period.lines), ...groups.flatMap((group) => group.lines)];
}

async function termsOf(connection: Connection, academicYear: string): Promise<TermSpan[]> {
  return cachedRows<{ term: string; from: string; to: string }>(
    connection,
    `SELECT term, strftime(min(date), '%Y-%m-%d') AS "from", strftime(max(date), '%Y-%m-%d') AS "to"
       FROM school_days WHERE academic_year = $year AND term IS NOT NULL
      GROUP BY term ORDER BY min(date)`,
    { year: academicYear },
  );
}

const min = (a: string, b: string) => (a < b ? a : b);

/**
 * A choice in the request the report cannot use — an area with no figures loaded, a groups
 * period not in the year — with what such a value looks like, so a page can name it and show
 * the report without it (app/lib/filters.ts unreadWords) rather than fail. `choice` is the
 * request's field in the address's words ("area", "groups").
 */
export class ReportChoiceError extends Error {
  constructor(
    readonly choice: "area" | "groups",
    readonly value: string,
    readonly expected: string,
    message: string,
  ) {
    super(message);
    this.name = "ReportChoiceError";
  }
}

/**
 * A year the report has no figures for the reader in (a governor's year with no half term
 * ended): the message says why, in the reader's words, for a download to refuse in.
 */
export class ReportYearError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReportYearError";
  }
}

/**
 * Builds the report for an academic year: the year (to date), each term begun, and groups.
 * Its reads, and the governors' plans made from them, are shared while it is built
 * (withSharedReads, sharedWork: a half term's groups and plans are asked by the year's, each
 * term's and the groups' figures).
 */
export async function buildBenchmarkReport(connection: Connection, requested: ReportRequest): Promise<BenchmarkReport> {
  return withSharedReads(connection, () => benchmarkReport(connection, requested));
}

async function benchmarkReport(connection: Connection, requested: ReportRequest): Promise<BenchmarkReport> {
  await ensureShippedBenchmarks(connection);
  const settings = await getSettings(connection);
  const bounds = academicYearBounds(requested.academicYear);
  // A year not begun has no figure to report (trial 54: "the period starts (2030-08-01) after it
  // ends (2026-11-23)" left the head to work out what was wrong).
  if (bounds.from > requested.today) {
    throw new ReportYearError(
      `${requested.academicYear} has not begun (it starts on ${formatIsoDate(bounds.from)}; today is ${formatIsoDate(requested.today)}): give a year that has, such as ${academicYearOf(requested.today)}`,
    );
  }
  const terms = await termsOf(connection, requested.academicYear);
  // The governors' version runs to the end of the last half term that has ended, as every
  // governor's figure (analytics/governor-periods.ts): the year and each term to then.
  let request = requested;
  if (requested.withholdSmallCounts) {
    const horizon = governorHorizon(await halfTermsOf(connection), requested.today);
    if (horizon === null || (terms.length > 0 && horizon < terms[0].from)) {
      throw new ReportYearError(`no half term of ${requested.academicYear} has ended yet: governors' figures cover whole half terms that have ended`);
    }
    if (horizon < requested.today) request = { ...requested, today: horizon };
  }
  // A governor's figures: half-term membership, as every figure a governor reads (governorQuery).
  const asRead = (q: MeasureQuery): MeasureQuery => (requested.withholdSmallCounts ? governorQuery(q) : q);
  const lastSchoolDay = terms.length ? terms[terms.length - 1].to : bounds.to;
  const yearComplete = request.today >= lastSchoolDay;
  // The year runs from 1 August, as every page states a year to date and an academic year
  // (and "same period last year" compares from 1 August: analytics/governor-periods.ts
  // sameSpanLastYear); it once ran from the first school day here, 3 Sep beside the Overview's 1 Aug.
  const yearFrom = bounds.from;
  const yearTo = min(request.today, yearComplete ? lastSchoolDay : request.today);

  const columns: ReportColumn[] = [{ level: "national", code: null, label: LEVEL_WORDS.national }];
  const notes: string[] = [];
  let areaCode: string | null = null;
  // England's code is the national figure, shown already (trial 29: area=E92000001 was "not understood").
  if (request.areaCode && request.areaCode !== ENGLAND_AREA_CODE) {
    const area = await findArea(connection, request.areaCode);
    if (!area) {
      // An example the year's report can show, or none (trial 29 suggested E12000004, which had no figure for the year).
      const example = (await listAreas(connection, request.academicYear))[0]?.code;
      const expected = example
        ? `a region or local-authority code with figures loaded for ${request.academicYear}, such as ${example}`
        : `nothing: no region's or local authority's figures are loaded for ${request.academicYear} (import the DfE file with them)`;
      throw new ReportChoiceError("area", request.areaCode, expected, `no benchmark figures are loaded for the area "${request.areaCode}"`);
    }
    if (area.level === "local-authority" && area.regionCode) {
      const region = await findArea(connection, area.regionCode);
      if (region) columns.push({ level: "regional", code: region.code, label: region.name });
    }
    columns.push({ level: area.level, code: area.code, label: area.name });
    areaCode = area.code;
  }

  // Which Benchmark each cell shows; footnote numbers are given once the report is final,
  // so that periods tried and not used (the automatic group period) leave no footnote.
  const cellBenchmarks = new Map<ComparisonCell, Benchmark>();

  /**
   * The lines of one comparison: every measure of a period (or group) against each column,
   * each column's figures from ONE release (findBenchmarkSet, case 2). The school's figures
   * are on the DfE's population (case 1). A column with no figure says so in words (case 4).
   */
  const linesFor = async (
    measures: Measures,
    measureList: BenchmarkMeasure[],
    period: { kind: BenchmarkPeriod; to: string; inProgress: boolean },
    group: { groupType: GroupType; group: string },
  ): Promise<MeasureLine[]> => {
    const perColumn = new Map<string, Map<BenchmarkMeasure, Benchmark | null>>();
    for (const column of columns) {
      perColumn.set(
        column.label,
        await findBenchmarkSet(
          connection,
          {
            academicYear: request.academicYear,
            period: period.kind,
            asOf: period.to,
            yearComplete: period.kind === "year-to-date" ? !period.inProgress : undefined,
            phase: settings.phase,
            groupType: group.groupType,
            group: group.group,
            geography: column.level === "national" ? undefined : { level: column.level, code: column.code ?? undefined },
            allowEarlierYear: true,
          },
          measureList,
        ),
      );
    }
    return measureList.map((measure) => {
      const school = measures[SCHOOL_MEASURE[measure]] as number | null;
      const cells: ComparisonCell[] = columns.map((column) => {
        const benchmark = perColumn.get(column.label)!.get(measure) ?? null;
        // Like for like in time as well (comparison.ts likeForLike): the span the figures cover.
        const comparison = compareWithNational(school, benchmark, false, { academicYear: request.academicYear, kind: period.kind, to: period.to, complete: !period.inProgress });
        if (!benchmark && column.level !== "national") {
          // The area's other figures found: the files imported for it give none of this measure, so importing them again cannot add it (trial 50).
          const found = [...new Set([...perColumn.get(column.label)!.values()].flatMap((other) => (other ? [other.publication] : [])))];
          comparison.words = missingAreaWords(column.label, request.academicYear, found.length > 0 ? { measure, publications: found } : undefined);
        }
        const cell: ComparisonCell = {
          column: column.label,
          benchmark: benchmark
            ? { value: benchmark.value, valueText: benchmark.valueText, label: benchmark.label, phase: benchmark.phase, notes: benchmark.notes, sourceRef: 0 }
            : null,
          comparison,
        };
        if (benchmark) cellBenchmarks.set(cell, benchmark);
        return cell;
      });
      const counts = COUNTS[measure];
      return {
        measure,
        label: MEASURE_WORDS[measure],
        school,
        numerator: counts.numerator(measures),
        denominator: counts.denominator(measures),
        unit: counts.unit,
        withheld: null,
        cells,
      };
    });
  };

  /**
   * Persistent absence over a span of fewer than 20 school days is not given, whoever reads it
   * (analytics/pa-span.ts: the one rule of every page, pack and the CLI); each such span says
   * why once, in the notes (a report made on 10 September gave "PA 12.1 %" over 6 school days).
   */
  const paShortSpans = new Map<string, string>();
  const paGivenOver = async (from: string, to: string, label: string): Promise<boolean> => {
    const span = await persistentAbsenceSpan(connection, { from, to }, label);
    if (!span.given) paShortSpans.set(label, span.why!);
    return span.given;
  };

  const periodFor = async (
    key: string,
    kind: BenchmarkPeriod,
    label: string,
    from: string,
    to: string,
    inProgress: boolean,
    measureList: BenchmarkMeasure[],
  ): Promise<{ period: ReportPeriod; measures: Measures }> => {
    const measures = await summarise(connection, asRead({ from, to, population: "dfe" }));
    const whole = await summarise(connection, asRead({ from, to }));
    const paGiven = await paGivenOver(from, to, label);
    const lines = (await linesFor(measures, measureList, { kind, to, inProgress }, { groupType: "all", group: "all" })).map((line) => (paGiven ? line : withholdShortSpanPa(line)));
    return {
      period: {
        key,
        kind,
        label,
        from,
        to,
        inProgress,
        pupils: measures.pupils,
        possibleSessions: measures.possible_sessions,
        lines,
        wholeRoll: { pupils: whole.pupils, absencePct: whole.absence_pct, paPct: paGiven ? whole.pa_pct : null, paPupils: paGiven ? whole.pa_pupils : null },
        population: DFE_BASIS_WORDS,
      },
      measures: whole,
    };
  };

  const yearLabel = yearComplete
    ? `${request.academicYear} full year`
    : `${request.academicYear} year to date (to ${formatIsoDate(yearTo)})`;
  const { period: year, measures: yearMeasures } = await periodFor(
    "year",
    "year-to-date",
    yearLabel,
    yearFrom,
    yearTo,
    !yearComplete,
    YEAR_MEASURES,
  );

  const termPeriods: ReportPeriod[] = [];
  for (const term of terms) {
    if (term.from > request.today) continue;
    const inProgress = term.to > request.today;
    const to = min(term.to, request.today);
    const kind = term.term.split("-")[0] as BenchmarkPeriod;
    const label = `${formatTermKey(term.term)}${inProgress ? ` (to ${formatIsoDate(to)})` : ""}`;
    termPeriods.push((await periodFor(term.term, kind, label, term.from, to, inProgress, SHORT_MEASURES)).period);
  }

  const groupRows = async (period: { from: string; to: string; kind: BenchmarkPeriod; inProgress: boolean; label: string }): Promise<GroupLine[]> => {
    const rows: GroupLine[] = [];
    const byDimension = new Map<string, Awaited<ReturnType<typeof summariseBy>>>();
    const paGiven = await paGivenOver(period.from, period.to, period.label);
    for (const spec of SCHOOL_GROUPS) {
      if (!byDimension.has(spec.dimension)) {
        byDimension.set(spec.dimension, await summariseBy(connection, asRead({ from: period.from, to: period.to, population: "dfe" }), spec.dimension));
      }
      const found = byDimension.get(spec.dimension)!.find((row) => row.group === spec.value);
      const pupils = found?.pupils ?? 0;
      // Withheld from governors only: the staff's version carries every count, as its audience
      // line says ("Contains small counts … not for publication") and as every staff page shows them
      // (trial20: the head's CSV read "Withheld: fewer than 5 pupils" for EHC plan's 3).
      const suppressed = Boolean(request.withholdSmallCounts) && pupils > 0 && pupils < settings.small_group_min;
      const lines: MeasureLine[] = found && !suppressed ? (await linesFor(found, SHORT_MEASURES, period, spec)).map((line) => (paGiven ? line : withholdShortSpanPa(line))) : [];
      // Governors: the one word every withheld figure reads (WITHHELD_TEXT), never its reason.
      const withheld = suppressed ? WITHHELD_TEXT : null;
      rows.push({ groupType: spec.groupType, group: spec.group, label: GROUP_WORDS[spec.group], pupils, suppressed, withheld, lines });
    }
    // A governor's groups are over half-term membership (governorQuery): over more than one
    // half term, pupils who left before its last half term are in a group of their own in
    // every characteristic, so each characteristic's rows add to the period's pupils only
    // with it (trial 16a: Not FSM 199 for the head's 200, and 238 nowhere). Printed as Year
    // groups & classes and the FGB pack print it: its pupils (every reader has them: the
    // period's pupils less its last half term's), no comparison (their sessions are in the
    // groups they were in; no published figure is for leavers).
    const leaversRow = [...byDimension.values()][0]?.find((row) => isLeaversGroup(row.group));
    if (request.withholdSmallCounts && leaversRow && leaversRow.pupils > 0) {
      rows.push({
        groupType: "all",
        group: "left-before",
        label: leaversLabel(leaversRow.group),
        pupils: leaversRow.pupils,
        suppressed: false,
        withheld: LEAVERS_ROW_WORDS,
        lines: [],
        leavers: leaversRow.group,
      });
    }
    return rows;
  };
  const hasNationalFigure = (rows: GroupLine[]) => rows.some((row) => row.lines.some((line) => line.cells[0]?.benchmark));

  // Groups over the period asked for; by default the year, or — since the DfE publishes most
  // group figures for single terms — the latest term begun that has national group figures.
  const periodChoices = [year, ...termPeriods];
  const asked = request.groupPeriod ? periodChoices.find((period) => period.key === request.groupPeriod) : undefined;
  if (request.groupPeriod && !asked) {
    const keys = periodChoices.map((p) => p.key).join(", ");
    throw new ReportChoiceError("groups", request.groupPeriod, `one of ${keys}`, `no period "${request.groupPeriod}" in ${request.academicYear}: choose ${keys}`);
  }
  let groupPeriod = asked ?? year;
  let groups = await groupRows(groupPeriod);
  if (!asked && !hasNationalFigure(groups)) {
    for (const term of [...termPeriods].reverse()) {
      const rows = await groupRows(term);
      if (hasNationalFigure(rows)) {
        groupPeriod = term;
        groups = rows;
        break;
      }
    }
  }

  const attendancePct = yearMeasures.attendance_pct;
  // Against the target: the one verdict (analytics/thresholds.ts targetVerdict), never the
  // printed-figures "same" a national comparison gives (96.148 % is above a 96.1 % target).
  const verdict = attendancePct === null ? null : targetVerdict(attendancePct, settings.target_attendance_pct);
  const targetComparison: Comparison = verdict
    ? { schoolValue: attendancePct, benchmarkValue: settings.target_attendance_pct, gapPoints: verdict.gap, direction: verdict.status === "above" ? "better" : verdict.status === "at" ? "same" : "worse", words: targetWords(attendancePct, settings.target_attendance_pct) }
    : compareWithNational(attendancePct, { value: settings.target_attendance_pct }, true, null);
  const target: BenchmarkReport["target"] = {
    targetPct: settings.target_attendance_pct,
    attendancePct,
    attended: yearMeasures.present_sessions + yearMeasures.aea_sessions,
    possible: yearMeasures.possible_sessions,
    withheld: null,
    comparison: targetComparison,
    words: targetWords(attendancePct, settings.target_attendance_pct),
    pupils: yearMeasures.pupils,
    population: wholeRollLabel(yearMeasures.pupils - (year.pupils ?? 0)),
  };

  if (request.withholdSmallCounts) {
    // One plan per period (pupils are not additive across periods); the group period's plan
    // also covers its groups, whose figures add up to that period's school figures.
    for (const period of [year, ...termPeriods]) {
      const isGroupPeriod = period.key === groupPeriod.key;
      const plan = await reportPeriodSuppression(connection, period, { groups: isGroupPeriod, min: settings.small_group_min });
      withholdPeriod(plan, period);
      if (isGroupPeriod) groups = groups.map((group) => withholdGroup(plan, group));
      if (period === year) Object.assign(target, withholdTarget(plan, target));
    }
  }

  if (year.possibleSessions === 0) {
    notes.push(`No register marks are stored for ${request.academicYear}: the school's figures show "—".`);
  } else {
    // Only the periods the report prints (a term tried for the groups and not used says nothing).
    for (const period of [year, ...termPeriods]) {
      const why = paShortSpans.get(period.label);
      if (why) notes.push(why);
    }
  }
  notes.push(
    `The school's figures compared with published ones are for ${POPULATION_WORDS.dfe}: the DfE's published figures leave out Reception and nursery pupils. Attendance against the school's own target is for pupils ${target.population}, is labelled so, and is not compared with any published figure; it and the absence rows are different pupils, so they need not add to 100 %.`,
  );
  if (allLinesOf(year, termPeriods, groups).some((line) => line.cells.some((cell) => cell.benchmark?.phase === "all-state-funded"))) {
    notes.push("Where no primary figure is published, the figure for all state-funded schools (secondary and special included) is shown for reference only, without a better or worse verdict: it is not like for like.");
  }
  notes.push(
    "Absence rates: lower is better. Gaps are school minus published figure, in percentage points. Group figures use each pupil's characteristics at the end of the period.",
  );
  notes.push(
    "Daily attendance data are estimates from a subset of schools and are revised; census figures are final. National breakdowns by group are for all state-funded schools unless marked primary.",
  );
  // The staff's version shows small groups (the governors' note below says what it withholds).
  const small = groups.filter((group) => group.pupils !== null && group.pupils > 0 && group.pupils < settings.small_group_min && group.leavers === undefined);
  if (small.length > 0 && !request.withholdSmallCounts) {
    notes.push(
      `Staff's version: groups of fewer than ${settings.small_group_min} pupils (${small.map((group) => `${group.label}: ${group.pupils}`).join("; ")}) are shown with their counts, as on every staff page; one pupil moves such a group's rates a long way, and the governors' version withholds them.`,
    );
  }
  if (request.withholdSmallCounts) {
    notes.push(
      `Governors' version, as in the FGB pack: ${withheldRuleWords(settings.small_group_min)}. The figures run to the end of the last half term that has ended.`,
    );
    const leavers = groups.find((group) => group.leavers !== undefined);
    if (leavers) {
      notes.push(
        `Governors' version: each pupil is counted in the group they were in at the end of the last half term of ${groupPeriod.label}; the ${leavers.pupils ?? 0} who left before it are counted in the row "${leavers.label}" instead, so the staff's report (which counts each pupil in their last group) can give a group one or two more pupils. Sessions are the same in both.`,
      );
    }
  }

  // What the published figures' own notes say (another year, another phase…), once each,
  // so the printed report states it even where a cell has room only for the figure.
  const figureNotes = new Set<string>();
  for (const line of [...year.lines, ...termPeriods.flatMap((p) => p.lines), ...groups.flatMap((g) => g.lines)]) {
    for (const cell of line.cells) for (const note of cell.benchmark?.notes ?? []) figureNotes.add(note);
  }
  for (const note of figureNotes) notes.push(`Where a figure's basis says so: ${note.charAt(0).toLowerCase()}${note.slice(1)}.`);

  const sources: SourceRef[] = [];
  const refs = new Map<string, number>();
  const allLines = [...year.lines, ...termPeriods.flatMap((period) => period.lines), ...groups.flatMap((group) => group.lines)];
  for (const cell of allLines.flatMap((line) => line.cells)) {
    const benchmark = cellBenchmarks.get(cell);
    if (!benchmark || !cell.benchmark) continue;
    // One footnote per source (page or file, and the date its data run to), not per figure.
    const key = `${benchmark.sourceUrl}|${benchmark.periodEnd ?? ""}`;
    let ref = refs.get(key);
    if (ref === undefined) {
      ref = sources.length + 1;
      refs.set(key, ref);
      const parts = citationParts(benchmark);
      sources.push({
        ref,
        citation: citeSource(benchmark),
        // Printed as "<source>: <url>": words and a commit-free address (case 2).
        source: parts.words,
        address: parts.address,
        publication: benchmark.publication,
        release: benchmark.release,
        periodEnd: benchmark.periodEnd,
        url: parts.href ?? parts.address,
        origin: benchmark.origin,
      });
    }
    cell.benchmark.sourceRef = ref;
  }

  return {
    schoolName: settings.school_name,
    academicYear: request.academicYear,
    today: request.today,
    produced: requested.today,
    yearComplete,
    columns,
    areaCode,
    target,
    year,
    firstSchoolDay: terms.length ? terms[0].from : yearFrom,
    terms: termPeriods,
    groupPeriod: {
      key: groupPeriod.key,
      label: groupPeriod.label,
      choices: periodChoices.map((period) => ({ key: period.key, label: period.label })),
    },
    groups,
    smallGroupMin: settings.small_group_min,
    smallCountsWithheld: Boolean(request.withholdSmallCounts),
    sources,
    notes,
  };
}

/** Unrounded, as every target test (analytics/thresholds.ts): 96.08 % is below a 96.1 % target. */
/**
 * Where a chosen region or local authority has no figure: said where the figure would be (case 4).
 * `others`: when the area has other figures for the year, the measure missing and the
 * publications those came from: the files imported for the area give none of it, so the words
 * say so, and where the DfE's census release (Pupil absence in schools in England) was not among
 * them, that its data by geographic level carries the measure (its column, which the open-data
 * reader takes: analytics/benchmarks/open-data.ts) — trial 50: Shropshire's 2024/25 severe
 * absence said "import the DfE file to add it" though the year-to-date file just imported has
 * no severe-absence column.
 */
export function missingAreaWords(area: string, academicYear: string, others?: { measure: BenchmarkMeasure; publications: string[] }): string {
  const missing = `no published figure for ${area} for ${academicYear}`;
  if (!others) return `${missing} — import the DfE file to add it`;
  const what = MEASURE_WORDS[others.measure].replace(/ \(.*\)$/, "").toLowerCase();
  const imported = `the DfE figures imported for ${area} for that year (${others.publications.join("; ")}) give no ${what}, so importing the same file again cannot add it`;
  if (others.publications.includes(CENSUS_PUBLICATION)) return `${missing}: ${imported}`;
  return `${missing}: ${imported}; the DfE gives a local authority's and a region's ${what} for a full school year in ${CENSUS_PUBLICATION} ("Absence rates by geographic level", column ${censusColumnOf(others.measure)}), which can be imported`;
}

function targetWords(attendance: number | null, target: number): string {
  if (attendance === null) return "no school figure";
  // The one verdict every page and pack gives (analytics/thresholds.ts targetVerdict): the
  // gap to the decimals that show it (96.148 % is "0.05 pts above target (96.15%)").
  return targetVerdict(attendance, target).said;
}

/** Which of the plan's figures each measure's school figure is made of. */
const MEASURE_FIGURES: Record<BenchmarkMeasure, SuppressedFigure[]> = {
  overall_absence_pct: ["possible_sessions", "attended_sessions"],
  authorised_absence_pct: ["possible_sessions", "attended_sessions"],
  unauthorised_absence_pct: ["possible_sessions", "attended_sessions"],
  persistent_absence_pct: ["pa_pupils"],
  severe_absence_pct: ["sa_pupils"],
};

/**
 * A line with the school's figure taken out where the plan withholds it: the rate, its
 * counts and the gap (a rate and its denominator give the count back) all go; the published
 * figure stays, with "not compared" in place of the verdict.
 */
function withholdLine(plan: SuppressionPlan, key: string, line: MeasureLine): MeasureLine {
  const figure = MEASURE_FIGURES[line.measure].find((f) => plan.hidden(key, f));
  if (!figure) return line;
  const text = plan.text(key, figure);
  return {
    ...line,
    school: null,
    numerator: null,
    // Pupils stay when only the count of absent pupils is withheld (the group's size is published).
    denominator: plan.hidden(key, line.unit === "pupils" ? "pupils" : "possible_sessions") ? null : line.denominator,
    withheld: text,
    cells: notCompared(line.cells, `not compared — the school's figure: ${text}`),
  };
}

/**
 * A line's cells with the school's figure gone: a column with no published figure keeps saying
 * so; one with a figure says why it is not compared (`words`). Each cell is kept, its comparison
 * replaced in place: the sources are numbered afterwards by cell, and a copy had kept the
 * unnumbered reference 0 (governors' report: "[0]", linking to no source).
 */
function notCompared(cells: ComparisonCell[], words: string): ComparisonCell[] {
  for (const cell of cells) {
    if (cell.benchmark) cell.comparison = { schoolValue: null, benchmarkValue: cell.comparison.benchmarkValue, gapPoints: null, direction: null, words };
  }
  return cells;
}

/**
 * A persistent absence line over a span too short for the measure (analytics/pa-span.ts): the
 * rate and its count are not given; the pupils it would be over stay; a published figure beside
 * it says why it is not compared.
 */
function withholdShortSpanPa(line: MeasureLine): MeasureLine {
  if (line.measure !== "persistent_absence_pct") return line;
  return {
    ...line,
    school: null,
    numerator: null,
    withheld: PA_NOT_GIVEN_TEXT,
    cells: notCompared(line.cells, `not compared — fewer than ${PA_MIN_SCHOOL_DAYS} school days, too few for persistent absence`),
  };
}

function withholdPeriod(plan: SuppressionPlan, period: ReportPeriod): void {
  const key = REPORT_KEYS.dfe;
  period.lines = period.lines.map((line) => withholdLine(plan, key, line));
  if (plan.hidden(key, "pupils")) period.pupils = null;
  if (plan.hidden(key, "possible_sessions")) period.possibleSessions = null;
  const whole = groupKey.school;
  if (plan.rowHidden(whole)) {
    period.wholeRoll = { pupils: null, absencePct: null, paPct: null, paPupils: null };
  } else {
    if (plan.hidden(whole, "pa_pupils")) period.wholeRoll = { ...period.wholeRoll, paPct: null, paPupils: null };
    // Over a short span, its absence withheld with its row shown (beside a withheld count of
    // pupils absent at least once: analytics/governor-lattice.ts absenceWithheld).
    if (plan.hidden(whole, "attended_sessions")) period.wholeRoll = { ...period.wholeRoll, absencePct: null };
  }
}

/** What the governors' leavers' row prints in place of a comparison. */
export const LEAVERS_ROW_WORDS =
  "counted here, in no group above, so each characteristic's rows add up to the period's pupils with this row; their sessions stay in the groups they were in, and no published figure is for leavers, so none is compared";

function withholdGroup(plan: SuppressionPlan, group: GroupLine): GroupLine {
  // The leavers' pupils are every reader's (governor-lattice.ts isLeaversPublic): never withheld.
  if (group.leavers !== undefined) return group;
  const spec = SCHOOL_GROUPS.find((s) => s.groupType === group.groupType && s.group === group.group)!;
  const key = groupKey.group(spec.dimension, spec.value);
  if (plan.rowHidden(key)) return { ...group, pupils: null, suppressed: true, withheld: plan.text(key, "pupils"), lines: [] };
  return { ...group, lines: group.lines.map((line) => withholdLine(plan, key, line)) };
}

function withholdTarget(plan: SuppressionPlan, target: BenchmarkReport["target"]): Partial<BenchmarkReport["target"]> {
  const whole = groupKey.school;
  const pupils = plan.rowHidden(whole) || plan.hidden(whole, "pupils") ? { pupils: null } : {};
  if (!plan.hidden(whole, "attended_sessions") && !plan.hidden(whole, "possible_sessions")) return pupils;
  const text = plan.text(whole, "attended_sessions");
  return {
    ...pupils,
    attendancePct: null,
    attended: null,
    possible: null,
    withheld: text,
    comparison: { ...target.comparison, schoolValue: null, gapPoints: null, direction: null, words: `not compared — withheld: ${text}` },
    words: `not compared — withheld: ${text}`,
  };
}
