/**
 * Reads a DfE open-data CSV, as downloaded from explore-education-statistics (table tool or
 * data catalogue) or as shipped in data/benchmarks/dfe-attendance-ytd-2024-25.csv.
 *
 * Conventions followed: time_period as 202425 and time_identifier ("Academic year",
 * "Autumn term" …); geographic_level National / Regional / Local authority with
 * country_code, region_code, new_la_code and their names; the phase in `school_type`
 * (older files) or `education_phase` (2025/26 releases); rates in *_perc columns (daily
 * data) or sess_*_percent columns (census); `c` suppressed, `x`, `z`, `:` not available.
 *
 * Rates are taken exactly as published, never recomputed from the session counts: the
 * Total rows include DfE estimates for schools that did not respond.
 *
 * The whole file is checked before anything is stored; the first problem refuses it with
 * its file, line and column.
 */
import { withArticle } from "../article.ts";
import { InputError, fieldOf, mapColumns, parseCsv, type ColumnSpec, type CsvField, type CsvRecord, type MappedTable } from "../csv.ts";
import {
  CENSUS_PUBLICATION,
  DAILY_PUBLICATION,
  type BenchmarkMeasure,
  type BenchmarkPeriod,
  type BenchmarkPhase,
  type FigureInput,
  type GeographicLevel,
} from "./store.ts";

export interface OpenDataOptions {
  /** Which publication the file belongs to; decides what "Academic year" means. */
  publication?: string;
  /** Where the file came from (printed as the figures' source). */
  sourceUrl?: string;
  /** Last day of data the file covers, when known (year-to-date files). */
  periodEnd?: string | null;
  /** A name for the release, e.g. "2025 week 29". */
  release?: string;
}

export interface OpenDataResult {
  figures: FigureInput[];
  rowsRead: number;
  /** Rows the store does not hold: other phases, levels, single weeks, or one group of pupils. */
  rowsSkipped: number;
  /** Figures the file marks as not published (c, x, z, :), kept as such. */
  notPublished: number;
}

/** Measure columns: the daily-data *_perc name first, then the census name. */
const MEASURE_COLUMNS: Array<{ measure: BenchmarkMeasure; name: string; aliases: string[] }> = [
  { measure: "overall_absence_pct", name: "overall_absence_perc", aliases: ["sess_overall_percent"] },
  { measure: "authorised_absence_pct", name: "authorised_absence_perc", aliases: ["sess_authorised_percent"] },
  { measure: "unauthorised_absence_pct", name: "unauthorised_absence_perc", aliases: ["sess_unauthorised_percent"] },
  { measure: "persistent_absence_pct", name: "pa_perc", aliases: ["enrolments_pa_10_exact_percent"] },
  { measure: "severe_absence_pct", name: "sa_perc", aliases: ["enrolments_pa_50_exact_percent"] },
];

/**
 * The column of the DfE's census files (Pupil absence in schools in England) that holds
 * `measure`, e.g. "enrolments_pa_50_exact_percent" for severe absence: the reader takes it
 * (MEASURE_COLUMNS), so a report may name it where a figure is missing.
 */
export function censusColumnOf(measure: BenchmarkMeasure): string {
  return MEASURE_COLUMNS.find((column) => column.measure === measure)!.aliases[0];
}

const COLUMNS: ColumnSpec[] = [
  { name: "time_period", aliases: [], required: true },
  { name: "time_identifier", aliases: [], required: false },
  { name: "geographic_level", aliases: [], required: true },
  { name: "country_code", aliases: [], required: false },
  { name: "country_name", aliases: [], required: false },
  { name: "region_code", aliases: [], required: false },
  { name: "region_name", aliases: [], required: false },
  { name: "new_la_code", aliases: [], required: false },
  { name: "la_name", aliases: [], required: false },
  { name: "phase", aliases: ["school_type", "education_phase"], required: true },
  ...MEASURE_COLUMNS.map(({ name, aliases }) => ({ name, aliases, required: false })),
];

const LEVELS: Record<string, GeographicLevel> = {
  national: "national",
  regional: "regional",
  "local authority": "local-authority",
};
/** Levels a file may hold that the store does not compare with. */
const OTHER_LEVELS = ["local authority district", "parliamentary constituency", "school", "ward", "opportunity area", "local skills improvement plan area", "english devolved area", "mayoral combined authority", "institution", "provider"];

const PHASES: Record<string, BenchmarkPhase | null> = {
  primary: "primary",
  "state-funded primary": "primary",
  total: "all-state-funded",
  "state-funded total": "all-state-funded",
  "total state-funded": "all-state-funded",
  "all schools": "all-state-funded",
  secondary: null,
  "state-funded secondary": null,
  special: null,
  "state-funded special": null,
  "state-funded ap school": null,
  "pupil referral unit": null,
  "alternative provision": null,
};

const TERMS: Record<string, BenchmarkPeriod> = {
  "autumn term": "autumn",
  "spring term": "spring",
  "summer term": "summer",
  "autumn and spring term": "autumn-spring",
};

/** Symbols the statistics service prints where a figure is not available (and R's NA, which DfE files carry too). */
const NOT_AVAILABLE = new Set(["c", "x", "z", ":", "u", "low", "~", "na"]);

/** Values of a filter column that mean "everyone" (the row is a whole-school figure). */
const TOTAL_WORDS = new Set(["total", "all", "all pupils", "all schools", "all enrolments", "ytd", "year to date"]);

/** The first filter column whose value narrows the row to a group, if any. */
function breakdownOf(row: CsvRecord, positions: number[]): CsvField | undefined {
  return positions
    .map((i) => row.fields[i])
    .find((field) => {
      const text = field.value.trim().toLowerCase();
      // Numbers (counts, codes, 5.4e-05) are indicators or codes, not groups.
      return text !== "" && !NOT_AVAILABLE.has(text) && !Number.isFinite(Number(text.replace(/,/g, ""))) && !TOTAL_WORDS.has(text);
    });
}

/** A published rate: a percentage, or null where the file marks it not available. */
function readRate(field: CsvField, name: string, file: string): number | null {
  const text = field.value.trim();
  if (NOT_AVAILABLE.has(text.toLowerCase())) return null;
  const value = Number(text);
  if (text === "" || !Number.isFinite(value) || value < 0 || value > 100) {
    throw new InputError(file, field.line, field.column, `${name} "${field.value}" is not a percentage (0–100) or one of c, x, z, :`);
  }
  return value;
}

function academicYearFrom(field: CsvField, file: string): string {
  const match = /^(\d{4})(\d{2})$/.exec(field.value.trim());
  if (!match || (Number(match[1]) + 1) % 100 !== Number(match[2])) {
    throw new InputError(file, field.line, field.column, `time_period "${field.value}" is not an academic year like 202425`);
  }
  return `${match[1]}/${match[2]}`;
}

export function parseOpenDataCsv(text: string, file: string, options: OpenDataOptions = {}): OpenDataResult {
  const records = parseCsv(text, file);
  const table = mapColumns(records, COLUMNS, file);
  const measureColumns = MEASURE_COLUMNS.filter(({ name }) => table.index.has(name));
  if (measureColumns.length === 0) {
    const accepted = MEASURE_COLUMNS.flatMap(({ name, aliases }) => [name, ...aliases]).join(", ");
    throw new InputError(file, records[0].line, 1, `no absence rate column: expected at least one of ${accepted}`);
  }
  if (table.rows.length === 0) throw new InputError(file, records[0].line + 1, 1, "the file has a header but no rows");
  // Columns the importer does not read: a text value other than a total there (e.g. a
  // `characteristic` of "FSM eligible") marks a row for one group, which is not imported as
  // a whole-school figure.
  const known = new Set(table.index.values());
  const filterPositions = records[0].fields.map((_, i) => i).filter((i) => !known.has(i));
  const publication = options.publication ?? DAILY_PUBLICATION;
  const sourceUrl = options.sourceUrl ?? `file: ${file}`;
  const figures: FigureInput[] = [];
  const seen = new Map<string, number>();
  let rowsSkipped = 0;
  let notPublished = 0;

  for (const row of table.rows) {
    // Every rate is checked, even on rows not kept (secondary, special): a file with a bad
    // value anywhere is refused, as every import is.
    for (const { name } of measureColumns) readRate(fieldOf(table, row, name)!, name, file);
    const kept = readRow(table, row, file, { ...options, publication, sourceUrl });
    if (!kept || breakdownOf(row, filterPositions)) {
      rowsSkipped++;
      continue;
    }
    const { area, head } = kept;
    for (const { measure, name } of measureColumns) {
      const field = fieldOf(table, row, name)!;
      const text = field.value.trim();
      const value = readRate(field, name, file);
      if (value === null) notPublished++;
      const key = [head.academic_year, head.period, area.level, area.code, head.phase, measure].join("|");
      const previous = seen.get(key);
      if (previous !== undefined) {
        throw new InputError(file, field.line, field.column, `repeats the ${name} for ${area.name} (${head.phase}, ${head.academic_year}) already given on line ${previous}`);
      }
      seen.set(key, row.line);
      figures.push({
        publication,
        academic_year: head.academic_year,
        period: head.period,
        period_end: options.periodEnd ?? null,
        phase: head.phase,
        geographic_level: area.level,
        area_code: area.code,
        area_name: area.name,
        region_code: area.regionCode,
        group_type: "all",
        group_name: "all",
        measure,
        value,
        value_text: text,
        release: options.release ?? "open data file",
        source_url: sourceUrl,
        excerpt: `${name}: "${head.timePeriod}","${area.levelText}",…,"${area.name}",…,"${head.phaseText}",…,"${text}"`,
        source_file: file,
        source_line: row.line,
      });
    }
  }
  return { figures, rowsRead: table.rows.length, rowsSkipped, notPublished };
}

interface RowHead {
  academic_year: string;
  period: BenchmarkPeriod;
  phase: BenchmarkPhase;
  timePeriod: string;
  phaseText: string;
}

interface RowArea {
  level: GeographicLevel;
  levelText: string;
  code: string;
  name: string;
  regionCode: string | null;
}

/** The row's year, period, phase and area, or undefined for a row the store does not hold. */
function readRow(
  table: MappedTable,
  row: CsvRecord,
  file: string,
  options: OpenDataOptions & { publication: string },
): { head: RowHead; area: RowArea } | undefined {
  const get = (name: string) => fieldOf(table, row, name);
  const timePeriod = get("time_period")!;
  const academicYear = academicYearFrom(timePeriod, file);

  const identifier = get("time_identifier");
  const identifierText = (identifier?.value ?? "Academic year").trim().toLowerCase();
  let period: BenchmarkPeriod;
  if (identifierText === "academic year") {
    // The census's "Academic year" is the full year; the daily data's is the year to date.
    period = options.publication === CENSUS_PUBLICATION ? "full-year" : "year-to-date";
  } else if (TERMS[identifierText]) {
    period = TERMS[identifierText];
  } else if (/^week \d+$/.test(identifierText) || /^(january|february|march|april|may|june|july|august|september|october|november|december)$/.test(identifierText)) {
    return undefined; // Single weeks and months: not a period the school is compared over.
  } else {
    throw new InputError(file, identifier!.line, identifier!.column, `time_identifier "${identifier!.value}" is not one of Academic year, Autumn term, Spring term, Summer term, Autumn and spring term`);
  }

  const phaseField = get("phase")!;
  const phaseKey = phaseField.value.trim().toLowerCase();
  if (!(phaseKey in PHASES)) {
    throw new InputError(file, phaseField.line, phaseField.column, `phase "${phaseField.value}" is not one of Primary, Secondary, Special, Total`);
  }
  const phase = PHASES[phaseKey];
  if (phase === null) return undefined;

  const levelField = get("geographic_level")!;
  const levelKey = levelField.value.trim().toLowerCase();
  const level = LEVELS[levelKey];
  if (!level) {
    if (OTHER_LEVELS.includes(levelKey)) return undefined;
    throw new InputError(file, levelField.line, levelField.column, `geographic_level "${levelField.value}" is not one of National, Regional, Local authority`);
  }
  const required = (name: string): string => {
    const field = get(name);
    if (!field) throw new InputError(file, levelField.line, levelField.column, `${withArticle(levelField.value)} row needs ${withArticle(name)} column`);
    if (field.value.trim() === "") throw new InputError(file, field.line, field.column, `${name} is empty on ${withArticle(levelField.value)} row`);
    return field.value.trim();
  };
  const area: RowArea =
    level === "national"
      ? { level, levelText: levelField.value, code: required("country_code"), name: get("country_name")?.value.trim() || "England", regionCode: null }
      : level === "regional"
        ? { level, levelText: levelField.value, code: required("region_code"), name: required("region_name"), regionCode: null }
        : { level, levelText: levelField.value, code: required("new_la_code"), name: required("la_name"), regionCode: get("region_code")?.value.trim() || null };

  return {
    head: { academic_year: academicYear, period, phase, timePeriod: timePeriod.value, phaseText: phaseField.value },
    area,
  };
}
