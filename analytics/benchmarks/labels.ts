/**
 * Words for benchmark figures: periods, phases, groups, measures and the gap. Pure and
 * DB-free, so the page, the PDF, the workbook and the CSV all print the same words.
 */
import { format, parseISO } from "date-fns";
import { enGB } from "date-fns/locale";
import { academicYearBounds } from "../period-names.ts";
import type { BenchmarkMeasure, BenchmarkPeriod, BenchmarkPhase, GeographicLevel, GroupType } from "./store.ts";

export const PERIOD_WORDS: Record<BenchmarkPeriod, string> = {
  "full-year": "full year",
  "year-to-date": "year to date",
  autumn: "autumn term",
  spring: "spring term",
  summer: "summer term",
  "autumn-spring": "autumn and spring terms",
};

export const PHASE_WORDS: Record<BenchmarkPhase, string> = {
  primary: "primary",
  "all-state-funded": "all state-funded schools",
};

export const MEASURE_WORDS: Record<BenchmarkMeasure, string> = {
  overall_absence_pct: "Overall absence",
  authorised_absence_pct: "Authorised absence",
  unauthorised_absence_pct: "Unauthorised absence",
  persistent_absence_pct: "Persistent absence (pupils missing 10%+)",
  severe_absence_pct: "Severe absence (pupils missing 50%+)",
};

export const LEVEL_WORDS: Record<GeographicLevel, string> = {
  national: "National",
  regional: "Region",
  "local-authority": "Local authority",
};

/** The DfE's group names as the school's words. */
export const GROUP_WORDS: Record<string, string> = {
  all: "All pupils",
  "fsm-eligible": "Eligible for free school meals",
  "fsm-not-eligible": "Not eligible for free school meals",
  "ehc-plan": "EHC plan",
  "sen-support": "SEN support",
  "no-sen": "No identified SEN",
  eal: "First language other than English",
  english: "First language English",
  girls: "Girls",
  boys: "Boys",
};

export const GROUP_TYPE_WORDS: Record<GroupType, string> = {
  all: "Whole school",
  fsm: "Free school meals",
  sen: "Special educational needs",
  eal: "English as an additional language",
  sex: "Sex",
};

/**
 * The sentence saying where the school's figures stop short of the day the report was produced
 * (the governors' version runs to the end of the last half term that has ended), or "" where
 * nothing needs saying: the same day, or a year that ended before it (2024/25's figures cover
 * the whole year, whatever half term has ended since). Leading space included.
 */
export function horizonWords(report: { academicYear: string; produced: string; today: string }): string {
  if (report.produced === report.today || report.today > academicYearBounds(report.academicYear).to) return "";
  return ` The school's figures run to ${formatIsoDate(report.today)}, the end of the last half term that has ended.`;
}

export function formatIsoDate(iso: string | null | undefined, pattern = "d MMM yyyy"): string {
  return iso ? format(parseISO(iso), pattern, { locale: enGB }) : "—";
}

/** "5.2%"; "—" when there is no figure. */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || Number.isNaN(value) ? "—" : `${value.toFixed(digits)}%`;
}

export function formatGapWords(gapPoints: number, direction: "better" | "worse" | "same"): string {
  if (direction === "same") return "same (within 0.1 pts)";
  return `${Math.abs(gapPoints).toFixed(1)} pts ${direction}`;
}

/**
 * The day from which the DfE's daily data for an academic year cover the whole year: 15 July of
 * its second calendar year. English state schools break up for the summer in the second half
 * of July, and the DfE's last release of a year (e.g. "2025 week 29", data to 25 July 2025) is
 * the one it describes as "across the 2024/25 academic year".
 */
export function wholeYearFrom(academicYear: string): string {
  return `${academicYear.slice(0, 2)}${academicYear.slice(5, 7)}-07-15`;
}

/**
 * Whether a published figure covers its whole academic year: the census's full year, or daily
 * data whose year to date runs to 15 July or later (wholeYearFrom). One rule for every label
 * and note, whichever file a figure came from (trial 16a: the national figure from a file
 * labelled "2024/25 full year", the region's from the same file "year to date to 25 Jul 2025 —
 * no full-year figure is published").
 */
export function coversWholeYear(academicYear: string, period: BenchmarkPeriod, periodEnd: string | null): boolean {
  if (period === "full-year") return true;
  return period === "year-to-date" && periodEnd !== null && periodEnd >= wholeYearFrom(academicYear);
}

/**
 * "2024/25 full year", "2024/25 full year (data to 25 Jul 2025)" (daily data covering the
 * whole year: coversWholeYear), "2025/26 year to date to 10 Jul 2026".
 */
export function describePeriod(academicYear: string, period: BenchmarkPeriod, periodEnd: string | null): string {
  if ((period === "year-to-date" || period === "full-year") && coversWholeYear(academicYear, period, periodEnd)) {
    return `${academicYear} ${PERIOD_WORDS["full-year"]}${periodEnd ? ` (data to ${formatIsoDate(periodEnd)})` : ""}`;
  }
  const words = `${academicYear} ${PERIOD_WORDS[period]}`;
  return period === "year-to-date" && periodEnd ? `${words} to ${formatIsoDate(periodEnd)}` : words;
}

/** "National (primary, 2024/25 full year)" or "Suffolk (primary, 2024/25 year to date to 25 Jul 2025)". */
export function describeBenchmark(figure: {
  geographicLevel: GeographicLevel;
  areaName: string;
  phase: BenchmarkPhase;
  academicYear: string;
  period: BenchmarkPeriod;
  periodEnd: string | null;
}): string {
  const where = figure.geographicLevel === "national" ? "National" : figure.areaName;
  return `${where} (${PHASE_WORDS[figure.phase]}, ${describePeriod(figure.academicYear, figure.period, figure.periodEnd)})`;
}

/** "Pupil attendance in schools (daily data), 2025 week 29". */
export function describeSource(figure: { publication: string; release: string; sourceKind: "census" | "daily" }): string {
  return `${figure.publication} (${figure.sourceKind === "census" ? "school census" : "daily attendance data"}), ${releaseWords(figure.release)}`;
}

/**
 * Where a figure comes from, in words a governor understands (issue 13, case 2): the
 * publication, the period its data cover, when it was published (where the stored source
 * states it) and its address — never a commit hash. The DfE's dashboard data file is cited
 * by its repository and file, which is where the DfE publishes it.
 */
export function citeSource(figure: {
  publication: string;
  sourceKind: "census" | "daily";
  academicYear: string;
  period: BenchmarkPeriod;
  periodEnd: string | null;
  release: string;
  sourceUrl: string;
}): string {
  const parts = citationParts(figure);
  return `${parts.words}; ${parts.address}`;
}

/** The citation in two parts: the words, and the address (with a link when it is a web page). */
export function citationParts(figure: Parameters<typeof citeSource>[0]): { words: string; address: string; href: string | null } {
  const kind = figure.sourceKind === "census" ? "school census" : "daily attendance data";
  const covers = describePeriod(figure.academicYear, figure.period, figure.periodEnd);
  const week = /^(\d{4}) week (\d{2})$/.exec(figure.release);
  const published = week
    ? `release for week ${Number(week[2])} of ${week[1]} (publication date not stated in the stored source)`
    : "publication date not stated in the stored source";
  return { words: `DfE, ${figure.publication} (${kind}): ${covers}; ${published}`, ...sourceAddress(figure.sourceUrl) };
}

/** A source's address without commit hashes: the DfE dashboard file by repository and path. */
export function sourceAddress(url: string): { address: string; href: string | null } {
  const github = /^https:\/\/github\.com\/([^/]+\/[^/]+)\/blob\/[0-9a-f]{7,40}\/(.+)$/.exec(url);
  if (github) {
    const repository = `https://github.com/${github[1]}`;
    return { address: `${repository} (file ${github[2]}, the data behind the DfE's attendance dashboard)`, href: repository };
  }
  if (url.startsWith("uploaded file ")) return { address: `a DfE file the school imported (${url.slice("uploaded file ".length)})`, href: null };
  return { address: url, href: /^https?:\/\//.test(url) ? url : null };
}

/** A release in words, never a commit hash: "DfE attendance dashboard data" for the dashboard file. */
export function releaseWords(release: string): string {
  if (/^dashboard data, commit /.test(release)) return "DfE attendance dashboard data file";
  return release;
}

/**
 * A year's span in the words every page uses (issue 12: the year to date runs from 1 August):
 * "1 Aug 2026 to 23 Nov 2026 (first school day 3 Sep 2026)". `from` is the first school day
 * with marks, said as such so that it is not read as a different period from the Overview's.
 */
export function yearSpanWords(academicYear: string, from: string, to: string): string {
  const start = academicYearBounds(academicYear).from;
  return from > start ? `${formatIsoDate(start)} to ${formatIsoDate(to)} (first school day ${formatIsoDate(from)})` : `${formatIsoDate(from)} to ${formatIsoDate(to)}`;
}

/**
 * A report row's pupils and population (analytics/benchmarks/report.ts DFE_BASIS_WORDS,
 * wholeRollLabel): "240 pupils aged 5–15 (the DfE's basis …)", "241 pupils on the whole roll
 * (…)", or "Pupils aged 5–15 …" when the count is withheld from a governor.
 */
export function populationWords(population: string, pupils: number | null): string {
  return pupils === null ? `Pupils ${population}` : `${pupils.toLocaleString("en-GB")} ${pupils === 1 ? "pupil" : "pupils"} ${population}`;
}
