/**
 * The periods a governor may read figures for: whole periods built from half terms that have
 * ended (issue 13, case 9: anonymisation that survives subtraction).
 *
 * Why. Absence adds up over days: with any span to choose, absent sessions over Monday to
 * Tuesday less those over Monday are Tuesday's, and one absent session beside a withheld
 * "pupils absent" count pins that count to 1. So a governor chooses only
 * - a half term that has ended,
 * - a term, the academic year, or the year to date — each only as far as the end of the last
 *   half term that has ended ("Autumn 2026, to the end of Autumn 1").
 * A half term has ended when its last school day is before today: a half term in progress
 * would give a new span every day (the figures to Tuesday less those to Monday).
 * Every such period is a union of whole half terms, so the difference of two of them is again
 * a union of whole half terms; and a cell withheld in a half term is withheld in every period
 * containing it (analytics/governor-lattice.ts governorLattice), so no published figure has
 * weight on a withheld one.
 *
 * Half terms are the school's own (calendar_periods, as imported: keys like autumn-1-2026,
 * terms autumn-2026), read from school_days. Dates are ISO strings.
 */
import { differenceInCalendarDays, format, parseISO, subDays } from "date-fns";
import type { Connection, Row } from "./db.ts";
import { cachedRows } from "./db.ts";
import { academicYearBounds, academicYearOf, formatTermKey, GOVERNOR_PERIOD_LABELS, samePeriodLastYear, type PeriodName, type ResolvedPeriod } from "./periods.ts";
import { notAppliedPeriodWords } from "./period-names.ts";

/** One half term of the school's calendar: its first and last school days. */
export interface HalfTerm {
  /** "autumn-1-2026". */
  key: string;
  /** "autumn-2026". */
  term: string;
  /** "2026/27". */
  academicYear: string;
  from: string;
  to: string;
}

/** The school's half terms, in order (a cached read of school_days). */
export async function halfTermsOf(connection: Connection): Promise<HalfTerm[]> {
  const rows = await cachedRows<Row & { key: string; term: string; academic_year: string; from: string; to: string }>(
    connection,
    `SELECT half_term AS key, any_value(term) AS term, any_value(academic_year) AS academic_year,
            strftime(min(date), '%Y-%m-%d') AS "from", strftime(max(date), '%Y-%m-%d') AS "to"
     FROM school_days GROUP BY half_term ORDER BY min(date)`,
  );
  return rows.map((r) => ({ key: r.key, term: r.term, academicYear: r.academic_year, from: r.from, to: r.to }));
}

/** The half terms that have ended by `today` (last school day before it), in order. */
export function endedHalfTerms(halfTerms: readonly HalfTerm[], today: string): HalfTerm[] {
  return halfTerms.filter((h) => h.to < today);
}

/**
 * The two half terms a governor's "what changed" compares: the last ended by `today` and the
 * one before it (null where there is none). One choice for the Overview (app/lib/recent.server.ts
 * recentHalfTerms) and the governors' pack's narrative (analytics/packs/fgb.ts), so the two
 * compare the same spans (a fresh-clone trial: the pack compared Autumn 1 with the whole
 * summer term, "rose 0.1 points", while the Overview gave Summer 2 → Autumn 1 "−0.1 pts").
 */
export function lastTwoEndedHalfTerms(halfTerms: readonly HalfTerm[], today: string): { latest: HalfTerm | null; previous: HalfTerm | null } {
  const ended = endedHalfTerms(halfTerms, today);
  return { latest: ended.at(-1) ?? null, previous: ended.at(-2) ?? null };
}

/**
 * The last day a governor's figures reach: the last school day of the last half term ended by
 * `today`; null before any has ended. Every governor's page, pack and report stops here.
 */
export function governorHorizon(halfTerms: readonly HalfTerm[], today: string): string | null {
  return endedHalfTerms(halfTerms, today).at(-1)?.to ?? null;
}

/** The half terms wholly inside a span (from ≤ first school day, last school day ≤ to), in order. */
export function halfTermsInside(halfTerms: readonly HalfTerm[], span: { from: string; to: string }): HalfTerm[] {
  return halfTerms.filter((h) => h.from >= span.from && h.to <= span.to);
}

/**
 * Whether a span is a union of whole half terms: no half term has school days both inside it
 * and outside it. (Its days outside every half term are holidays: no marks.)
 */
export function isWholeHalfTerms(halfTerms: readonly HalfTerm[], span: { from: string; to: string }): boolean {
  return halfTerms.every((h) => h.to < span.from || h.from > span.to || (h.from >= span.from && h.to <= span.to));
}

/** A governor's period: a resolved period made of whole half terms that have ended. */
export interface GovernorPeriod extends ResolvedPeriod {
  name: "half-term" | "term" | "academic-year" | "ytd";
  /** What the URL names it by: the half term (half-term, ytd), the term, or the academic year. */
  key: string;
  /** Its half terms' keys, in order. */
  halfTerms: string[];
}

/** One period a governor's picker offers. */
export interface GovernorChoice {
  key: string;
  label: string;
  from: string;
  to: string;
}

/** The periods a governor may choose, by kind, newest first (the picker's lists). */
export interface GovernorChoices {
  "half-term": GovernorChoice[];
  term: GovernorChoice[];
  "academic-year": GovernorChoice[];
  ytd: GovernorChoice[];
}

const halfTermWords = (key: string) => formatTermKey(key);
/** "Autumn 1" of "autumn-1-2026". */
export const halfTermShort = (key: string) => formatTermKey(key.split("-").slice(0, 2).join("-"));

/**
 * Every period a governor may choose on `today`, each ending at the end of a half term that
 * has ended: the half terms; the terms and academic years with at least one such half term
 * (to the end of the last of them); the year to date to the end of each. Newest first.
 */
export function governorChoices(halfTerms: readonly HalfTerm[], today: string): GovernorChoices {
  const ended = endedHalfTerms(halfTerms, today);
  const choices: GovernorChoices = { "half-term": [], term: [], "academic-year": [], ytd: [] };
  for (const h of [...ended].reverse()) {
    choices["half-term"].push({ key: h.key, label: halfTermWords(h.key), from: h.from, to: h.to });
    choices.ytd.push({ key: h.key, label: `${h.academicYear} to the end of ${halfTermShort(h.key)}`, from: academicYearBounds(h.academicYear).from, to: h.to });
  }
  const grouped = (of: (h: HalfTerm) => string) => {
    const groups = new Map<string, HalfTerm[]>();
    for (const h of ended) groups.set(of(h), [...(groups.get(of(h)) ?? []), h]);
    return [...groups].reverse();
  };
  for (const [term, parts] of grouped((h) => h.term)) {
    const whole = halfTerms.filter((h) => h.term === term);
    const last = parts.at(-1)!;
    const label = parts.length === whole.length ? formatTermKey(term) : `${formatTermKey(term)}, to the end of ${halfTermShort(last.key)}`;
    choices.term.push({ key: term, label, from: parts[0].from, to: last.to });
  }
  for (const [year, parts] of grouped((h) => h.academicYear)) {
    const whole = halfTerms.filter((h) => h.academicYear === year);
    const last = parts.at(-1)!;
    const label = parts.length === whole.length ? year : `${year}, to the end of ${halfTermShort(last.key)}`;
    choices["academic-year"].push({ key: year, label, from: academicYearBounds(year).from, to: last.to });
  }
  return choices;
}

/** What a governor's URL asks for (app/lib/filters.ts ViewFilters). */
export interface GovernorPeriodRequest {
  name: PeriodName;
  today: string;
  /** A half term's key: the half term, or the end of the year to date. */
  half?: string;
  /** A term's key. */
  term?: string;
  /** An academic year. */
  year?: string;
  /** A custom range's dates, when one was asked for (only to find the nearest half term). */
  from?: string;
  to?: string;
}

const GOVERNOR_NAMES = ["half-term", "term", "academic-year", "ytd"] as const;
type GovernorName = (typeof GOVERNOR_NAMES)[number];
const isGovernorName = (name: string): name is GovernorName => (GOVERNOR_NAMES as readonly string[]).includes(name);

/** Said wherever a governor's period is not the one asked for. */
export const GOVERNOR_PERIOD_RULE =
  "Governors see whole half terms, terms and academic years that have ended (or the part of them that has, to the end of a half term), so that a figure withheld for a small group cannot be worked out by taking one period's figures from another's (the days and weeks inside a period are shown where no small group's figures could be read from them).";

/** "1 Sep – 5 Sep 2026" (the asked range, in a notice). */
const rangeWords = (from: string, to: string) => `${format(parseISO(from), "d MMM yyyy")} – ${format(parseISO(to), "d MMM yyyy")}`;

/**
 * The period a governor's URL resolves to, and a notice when it is not the one asked for: a
 * half term, term, year or year to date as asked (by key; the latest when none is named); for
 * any other period (a week, a month, a custom range) or a key not offered (a half term not yet
 * ended), the nearest allowed one — the ended half term containing the end of what was asked
 * (a custom range's last day, the week's or month's), else the latest ended half term — and a
 * notice naming both (GOVERNOR_PERIOD_RULE); a custom range missing a date, the latest year to
 * date (the default period, as for dates without `period=custom`). `period` is null before any half term has ended
 * (the notice says when the first ends). `asked`: the period the URL named, as resolved for
 * staff (its dates and label), for the notice.
 */
export function resolveGovernorPeriod(
  halfTerms: readonly HalfTerm[],
  request: GovernorPeriodRequest,
  asked: { from: string; to: string; label: string } | null,
): { period: GovernorPeriod | null; notice: string | null } {
  const choices = governorChoices(halfTerms, request.today);
  const ended = endedHalfTerms(halfTerms, request.today);
  if (ended.length === 0) {
    const first = halfTerms.find((h) => h.to >= request.today);
    return {
      period: null,
      notice: `Governors see figures for whole half terms once they have ended${first ? `: the first, ${halfTermWords(first.key)}, ends on ${format(parseISO(first.to), "d MMMM yyyy")}` : ""}.`,
    };
  }
  const make = (name: GovernorName, choice: GovernorChoice): GovernorPeriod => {
    const keys = name === "half-term" ? [choice.key] : halfTermsInside(ended, choice).map((h) => h.key);
    const academicYear = ended.find((h) => h.key === keys.at(-1))!.academicYear;
    return { name, key: choice.key, label: choice.label, from: choice.from, to: choice.to, academicYear, halfTerms: keys };
  };
  const keyOf = (name: GovernorName) => (name === "term" ? request.term : name === "academic-year" ? request.year : request.half);
  if (isGovernorName(request.name)) {
    const list = choices[request.name];
    const key = keyOf(request.name);
    if (key === undefined) return { period: make(request.name, list[0]), notice: null };
    const found = list.find((c) => c.key === key);
    if (found) return { period: make(request.name, found), notice: null };
    const fallback = make(request.name, list[0]);
    return { period: fallback, notice: `${GOVERNOR_PERIOD_RULE} ${notAppliedPeriodWords(notOffered(request.name, key), fallback.label)}` };
  }
  // A custom range missing a date: the default period, the year to date, as dates given without
  // `period=custom` fall back (and as staff's pages answer a half-filled range) — not the latest
  // half term, which `?from=…` alone never gave.
  if (request.name === "custom" && !asked && !(request.from && request.to)) {
    const fallback = make("ytd", choices.ytd[0]);
    const day = (iso: string) => format(parseISO(iso), "d MMM yyyy");
    const what = request.from
      ? `a custom range from ${day(request.from)} with no end date`
      : request.to
        ? `a custom range to ${day(request.to)} with no start date`
        : "a custom range with no dates";
    return { period: fallback, notice: `${GOVERNOR_PERIOD_RULE} ${notAppliedPeriodWords(`Period (${what})`, fallback.label)}` };
  }
  // A week, a month or a custom range: the ended half term holding its last day, else the latest.
  const end = asked?.to ?? request.to;
  const holding = end ? ended.find((h) => h.from <= end && end <= h.to) : undefined;
  const nearest = make("half-term", choices["half-term"].find((c) => c.key === (holding ?? ended.at(-1)!).key)!);
  const what = request.name === "custom" && request.from && request.to ? rangeWords(request.from, request.to) : (asked?.label ?? request.name);
  return { period: nearest, notice: `${GOVERNOR_PERIOD_RULE} ${notAppliedPeriodWords(`Period (${what})`, nearest.label)}` };
}


/** The governors' period kinds in the plural, for "… not among the terms governors can choose". */
const PLURAL_WORDS: Record<GovernorName, string> = { "half-term": "half terms", term: "terms", ytd: "years to date", "academic-year": "academic years" };

/** "Half term (Autumn 2 2026)", "Term (Summer 2027)", "Year to date (to the end of Autumn 1 2026)": a period asked for by its key. */
export function keyedPeriodWords(name: GovernorName, key: string): string {
  const what = name === "academic-year" ? key : formatTermKey(key);
  return name === "half-term" ? `Half term (${what})` : name === "term" ? `Term (${what})` : name === "ytd" ? `Year to date (to the end of ${what})` : `Academic year (${what})`;
}

/** 'Half term (Autumn 2 2026), not among the half terms governors can choose', for notAppliedPeriodWords. */
function notOffered(name: GovernorName, key: string): string {
  // Neither "yet" nor "any more": the key may be a year before the register or one to come.
  return `${keyedPeriodWords(name, key)}, not among the ${PLURAL_WORDS[name]} governors can choose`;
}

/**
 * The same period a year earlier for a governor's "same period last year": the same half
 * terms of the year before (autumn-1-2025 for autumn-1-2026), from the first school day of
 * the first to the last of the last, so it is whole half terms too; those the calendar lacks
 * are left out. Null when the calendar has none of them: a governor is then given no figures
 * for last year (issue 13, cases 8–9). Why not the same dates a year earlier: marks are
 * imported for a year without its calendar (analytics/import/checks-marks.ts), and such
 * dates are no union of half terms, read with no half terms (each span's groups at its own
 * end, no cell withheld in a half term carried into the spans containing it); so last year's
 * 3A over the autumn term's dates less over its half terms' gave the sessions of a pupil who
 * moved into 3A at the half term (test/governor-break.test.ts).
 * `period.halfTerms`: its half terms' keys (by default those wholly inside its dates).
 */
export function governorLastYear(halfTerms: readonly HalfTerm[], period: { from: string; to: string; halfTerms?: readonly string[] }): { from: string; to: string } | null {
  const own = period.halfTerms ?? halfTermsInside(halfTerms, period).map((h) => h.key);
  const keys = new Set(own.map(halfTermAYearEarlier));
  const found = halfTerms.filter((h) => keys.has(h.key));
  if (found.length === 0) return null;
  // The same shape (sameSpanLastYear): a year to date or academic year from 1 August is
  // compared from 1 August a year earlier, not from last year's first school day.
  return { from: startsItsYear(period.from) ? samePeriodLastYear(period).from : found[0].from, to: found.at(-1)!.to };
}

/** "autumn-1-2025" of "autumn-1-2026". */
const halfTermAYearEarlier = (key: string) => key.replace(/-(\d{4})$/, (_m, y: string) => `-${Number(y) - 1}`);

/** Whether an ISO date is the first day (1 August) of its academic year. */
const startsItsYear = (date: string) => date === academicYearBounds(academicYearOf(date)).from;

/**
 * "Same period last year" for every page, pack and export (issue 13, a fresh-clone trial: the
 * governors' Overview compared 1 Aug – 23 Oct 2026 with 3 Sep – 24 Oct 2025): the span at the
 * same place in the academic year a year earlier, end by end — a span starting on 1 August
 * (a year to date, an academic year) from 1 August a year earlier; an end that is a half
 * term's first or last school day at the same half term's first or last school day a year
 * earlier (Autumn 1 2026, 3 Sep – 23 Oct, against Autumn 1 2025, 3 Sep – 24 Oct: half terms
 * do not fall on the same dates each year); any other end (today, a month's first day) the
 * same date a year earlier (samePeriodLastYear), as is an end whose half term the calendar
 * lacks for last year; a week (from a Monday, at most seven days) or one day the same weekdays 52 weeks earlier. `halfTerms`: the school's (halfTermsOf). A governor's period, made of
 * whole half terms, reads governorLastYear, which gives the same span where the calendar has
 * last year's half terms and no figures where it has none. ISO dates in and out.
 */
export function sameSpanLastYear(halfTerms: readonly HalfTerm[], period: { from: string; to: string }): { from: string; to: string } {
  // A week (this week, last week: from a Monday, at most seven days) or one day: the same
  // weekdays 52 weeks earlier, so Monday–Wednesday is compared with Monday–Wednesday (a trial's
  // "this week" against Sunday–Tuesday a year earlier: two school days against three) and a
  // Friday with a Friday (the same date fell on a Thursday, or after a 29 February on a Sunday,
  // with no register). A month's first days keep the same dates.
  const days = differenceInCalendarDays(parseISO(period.to), parseISO(period.from));
  if (days === 0 || (parseISO(period.from).getDay() === 1 && days < 7)) {
    const back = (date: string) => format(subDays(parseISO(date), 364), "yyyy-MM-dd");
    return { from: back(period.from), to: back(period.to) };
  }
  const shifted = samePeriodLastYear(period);
  const byKey = new Map(halfTerms.map((h) => [h.key, h]));
  const earlierOf = (h: HalfTerm | undefined) => (h ? byKey.get(halfTermAYearEarlier(h.key)) : undefined);
  const from = startsItsYear(period.from) ? shifted.from : (earlierOf(halfTerms.find((h) => h.from === period.from))?.from ?? shifted.from);
  const to = earlierOf(halfTerms.find((h) => h.to === period.to))?.to ?? shifted.to;
  return { from, to };
}
