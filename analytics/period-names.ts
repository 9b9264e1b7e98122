/**
 * Period names, academic years and term keys: pure functions with no database access,
 * safe for browser code (the period picker) as well as the server.
 */
import { addYears, format, parseISO } from "date-fns";

/**
 * A term key ("autumn-2025"; its term and its year captured), as the views, the drill-downs, the
 * governors' pack and the CLI's --term read it. One pattern for all (app/lib/filters.ts re-exports it).
 */
export const TERM_KEY = /^(autumn|spring|summer)-(\d{4})$/;
/** A month key ("2026-03"), as the drill-downs, the SLT pack and the CLI's --month read it. */
export const MONTH_KEY = /^\d{4}-(0[1-9]|1[0-2])$/;

export const PERIOD_NAMES = ["this-week", "last-week", "this-month", "last-month", "half-term", "term", "ytd", "academic-year", "custom"] as const;
export type PeriodName = (typeof PERIOD_NAMES)[number];

export const PERIOD_LABELS: Record<PeriodName, string> = {
  "this-week": "This week",
  "last-week": "Last week",
  "this-month": "This month",
  "last-month": "Last month",
  "half-term": "This half term",
  term: "This term",
  ytd: "Year to date",
  "academic-year": "Academic year",
  custom: "Custom range",
};

/**
 * The periods a governor may choose (analytics/governor-periods.ts): whole half terms that have
 * ended, and the terms, years and years to date made of them.
 */
export const GOVERNOR_PERIOD_NAMES = ["half-term", "term", "ytd", "academic-year"] as const satisfies readonly PeriodName[];
export type GovernorPeriodName = (typeof GOVERNOR_PERIOD_NAMES)[number];

/** The governor's picker's words for them (each lists the periods of its kind). */
export const GOVERNOR_PERIOD_LABELS: Record<GovernorPeriodName, string> = {
  "half-term": "Half term",
  term: "Term",
  ytd: "Year to date",
  "academic-year": "Academic year",
};

export function isGovernorPeriodName(value: string): value is GovernorPeriodName {
  return (GOVERNOR_PERIOD_NAMES as readonly string[]).includes(value);
}

export function isPeriodName(value: string): value is PeriodName {
  return (PERIOD_NAMES as readonly string[]).includes(value);
}

/** Academic year ('2025/26') containing a date: years run 1 August to 31 July. */
export function academicYearOf(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const start = month >= 8 ? year : year - 1;
  // Four digits, as academicYearBounds reads them (a typed address may reach year 1: "0000/01").
  return `${String(start).padStart(4, "0")}/${String((start + 1) % 100).padStart(2, "0")}`;
}

/**
 * An academic year as typed in an address or a CLI flag — `2025/26`, or `2025-26` as the trust
 * lake's folders write it (`academic_year=2025-26`) — in the spelling every figure is keyed by,
 * `2025/26`; null when it is neither or its two years do not follow (`2025/27`). Trial 26:
 * `/trust?year=2025-26` was refused where the lake beside it is written so. The one reading of
 * a typed year: pages (filters.ts readFilters, Trust, Benchmarks and its report) and the CLI's `--year`.
 */
export function academicYearKey(typed: string): string | null {
  const year = parseAcademicYear(typed.trim(), /^(\d{4})[/-](\d{2})$/);
  return year.start === null ? null : `${String(year.start).padStart(4, "0")}/${String((year.start + 1) % 100).padStart(2, "0")}`;
}

/**
 * The one parser of an academic year's text (academicYearKey, academicYearBounds): its first
 * calendar year when `pattern` (two groups: four digits, two digits) matches and the second
 * year follows the first; else null and why ("shape" or "sequence").
 */
function parseAcademicYear(text: string, pattern: RegExp): { start: number; why: null } | { start: null; why: "shape" | "sequence" } {
  const match = pattern.exec(text);
  if (!match) return { start: null, why: "shape" };
  const start = Number(match[1]);
  return (start + 1) % 100 === Number(match[2]) ? { start, why: null } : { start: null, why: "sequence" };
}

/**
 * The first and last day (1 August to 31 July, ISO) of an academic year keyed "2025/26" (the
 * stored spelling; a typed "2025-26" is read by academicYearKey first). Throws for another shape,
 * or a second year that does not follow the first.
 */
export function academicYearBounds(academicYear: string): { from: string; to: string } {
  const year = parseAcademicYear(academicYear, /^(\d{4})\/(\d{2})$/);
  if (year.why === "shape") throw new Error(`academic year must look like 2025/26 (got "${academicYear}")`);
  if (year.why === "sequence") throw new Error(`"${academicYear}" is not a valid academic year`);
  const start = year.start!;
  return { from: `${start}-08-01`, to: `${start + 1}-07-31` };
}

/** 'autumn-1-2025' -> 'Autumn 1 2025'; 'spring-2026' -> 'Spring 2026'. */
export function formatTermKey(key: string): string {
  const parts = key.split("-");
  return parts.map((part, i) => (i === 0 ? part.charAt(0).toUpperCase() + part.slice(1) : part)).join(" ");
}


/** The same dates a year earlier: the "same point last year" comparison. */
export function samePeriodLastYear(period: { from: string; to: string }): { from: string; to: string } {
  const shift = (date: string) => format(addYears(parseISO(date), -1), "yyyy-MM-dd");
  return { from: shift(period.from), to: shift(period.to) };
}

/**
 * A period the address asked for and a page did not apply, read as a refused filter reads
 * ("Not applied: Year group (Year 4).": app/lib/view.server.ts), with what is shown instead:
 * "Not applied: Period (2 Nov 2026 – 3 Nov 2026). Showing Autumn 1 2026 instead." `what`: the
 * period asked for, in words; `shown`: the label of the one shown. One form for a governor's
 * period, dates a governor's period does not read, and a pack's period.
 */
export function notAppliedPeriodWords(what: string, shown: string): string {
  return `Not applied: ${what}. Showing ${shown} instead.`;
}

/** The academic year before `year` ("2025/26" → "2024/25"). */
export function previousAcademicYear(year: string): string {
  const start = Number(year.slice(0, 4)) - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, "0")}`;
}
