/**
 * The periods a pack can be made for: months (SLT) that have started by today and terms
 * (FGB) with a half term that has ended, newest first, and the sensible default of each — last month (the first strategy
 * meeting of a month reviews the month before) and the current term. A period is offered only
 * if its pack can be made (packPeriodRefusal, the one rule the packs themselves refuse by): a
 * month or term before the register's first marks, or with no school day by today (August), never
 * is; a register with no marks offers none (each page says so).
 */
import { endOfMonth, format, parseISO } from "date-fns";
import { enGB } from "date-fns/locale";
import type { Connection, Row } from "../db.ts";
import { cachedRows } from "../db.ts";
import { formatTermKey } from "../periods.ts";
import { endedHalfTerms, halfTermShort, halfTermsOf } from "../governor-periods.ts";
import { academicYearBounds, academicYearOf } from "../period-names.ts";

export interface PackPeriodOption {
  key: string;
  label: string;
}

export interface PackPeriodOptions {
  months: PackPeriodOption[];
  terms: PackPeriodOption[];
  defaultMonth: string | null;
  defaultTerm: string | null;
  /** Whether the register has any marks (without, neither pack can be made and none is offered). */
  hasMarks: boolean;
  /** Why no month is offered, in words for the page; null when one is. */
  noMonths: string | null;
  /** Why no term is offered, in words for the page; null when one is. */
  noTerms: string | null;
}

/** What the rule reads: the register's first marked day (null: no marks) and the calendar's school days (ISO dates, in order). */
export interface PackPeriodFacts {
  first: string | null;
  schoolDays: readonly string[];
}

/** One read of the facts the rule needs (cached with the register). */
export async function packPeriodFacts(connection: Connection): Promise<PackPeriodFacts> {
  const rows = await cachedRows<Row & { first: string | null; date: string | null }>(
    connection,
    `SELECT f.first, strftime(s.date, '%Y-%m-%d') AS date
     FROM (SELECT strftime(min(date), '%Y-%m-%d') AS first FROM mark_days) f LEFT JOIN school_days s ON true
     ORDER BY s.date`,
  );
  return { first: rows[0]?.first ?? null, schoolDays: rows.flatMap((r) => (r.date === null ? [] : [r.date])) };
}

/**
 * The span a month's SLT pack covers: the month, cut to `today` (inclusive ISO dates), and
 * whether the month is over by then (`over`: the span runs to its last day; a month not over is
 * named by where its figures stop).
 */
export function monthPackSpan(month: string, today: string): { from: string; to: string; over: boolean } {
  const from = `${month}-01`;
  const last = format(endOfMonth(parseISO(from)), "yyyy-MM-dd");
  return { from, to: last < today ? last : today, over: last <= today };
}

/** "March 2026" for "2026-03": a month as the SLT pack and its picker name it. */
export const monthPackName = (month: string) => format(parseISO(`${month}-01`), "MMMM yyyy", { locale: enGB });

/** The span a term's governors' pack is judged by: the term's school days (`bounds`), cut to `today`. */
export function termPackSpan(bounds: { from: string; to: string }, today: string): { from: string; to: string } {
  return { from: bounds.from, to: bounds.to < today ? bounds.to : today };
}

/**
 * The one rule of whether a pack can be made for a period: null when it can, else why not in
 * words. Refused: a register with no marks yet; a `period` (inclusive ISO dates, already cut
 * to today: monthPackSpan, termPackSpan) that ends before the register's first marked day
 * ("January 1999 is before the register starts …": its pack was 11 pages of empty tables, a
 * fresh-clone trial); or one holding no school day of the calendar (August). A school with no
 * calendar imported is not refused for want of school days. `label`: the month or term as the
 * reader named it ("January 1999", "Autumn 2024"). The Packs pages offer only periods it
 * accepts (packPeriodOptions), and every form of both packs builds through it
 * (refuseEmptyPackPeriod).
 */
export function packPeriodRefusal(facts: PackPeriodFacts, period: { from: string; to: string }, label: string): string | null {
  if (facts.first === null) return `No register marks have been imported yet: there is nothing to report for ${label}.`;
  if (period.to < facts.first) {
    return `${label} is before the register starts (its first marks are on ${format(parseISO(facts.first), "EEE d MMM yyyy", { locale: enGB })}): there is nothing to report.`;
  }
  if (facts.schoolDays.length > 0 && !facts.schoolDays.some((d) => d >= period.from && d <= period.to)) {
    return `${label} has no school days in the school's calendar: there is nothing to report.`;
  }
  return null;
}

/** Throws packPeriodRefusal's words when a pack cannot be made for `period`. One cached read. */
export async function refuseEmptyPackPeriod(connection: Connection, period: { from: string; to: string }, label: string): Promise<void> {
  const why = packPeriodRefusal(await packPeriodFacts(connection), period, label);
  if (why !== null) throw new Error(why);
}

/**
 * A period offered, with the span its pack covers (inclusive ISO dates): a month cut to today, a
 * term's ended half terms; `ended`: the span is all of its period that will ever be (a month
 * over by today, named without "to …"; a term's pack, which covers only half terms ended).
 */
export type PackPeriodSpan = PackPeriodOption & { from: string; to: string; ended: boolean };

/**
 * The periods the Packs pages offer (newest first), each with the span its pack covers: the
 * SLT pack's months that have started by today, the governors' pack's terms with a half term
 * ended (the term's start to its last ended half term's end, as analytics/packs/fgb.ts
 * fgbPeriods reads it). One list for packPeriodOptions and packsCovering.
 */
async function packPeriodSpans(connection: Connection, today: string): Promise<{ facts: PackPeriodFacts; ended: number; months: PackPeriodSpan[]; terms: PackPeriodSpan[] }> {
  const facts = await packPeriodFacts(connection);
  const makeable = (period: { from: string; to: string }, label: string) => packPeriodRefusal(facts, period, label) === null;
  // Months with a school day by today, newest first, whose pack can be made.
  const started = [...new Set(facts.schoolDays.filter((d) => d <= today).map((d) => d.slice(0, 7)))].reverse();
  const months: PackPeriodSpan[] = [];
  for (const month of started) {
    const span = monthPackSpan(month, today);
    if (!makeable(span, monthPackName(month))) continue;
    // A month not over is offered by what its pack covers, as its title says (slt.ts sltPeriods).
    months.push({ key: month, label: span.over ? monthPackName(month) : `${monthPackName(month)} to ${format(parseISO(today), "d MMM yyyy", { locale: enGB })}`, from: span.from, to: span.to, ended: span.over });
  }
  // The governors' pack covers whole half terms that have ended (analytics/governor-periods.ts):
  // a term is offered once its first half term has ended, and its pack can be made.
  const halfTerms = await halfTermsOf(connection);
  const ended = endedHalfTerms(halfTerms, today);
  // A term not over is offered by what its pack covers (analytics/packs/fgb.ts fgbPeriods): "Autumn 2026 to the end of Autumn 1".
  const termSpan = (term: string) => {
    const last = ended.filter((h) => h.term === term).at(-1)!;
    const over = !halfTerms.some((h) => h.term === term && h.to > last.to);
    return { label: over ? formatTermKey(term) : `${formatTermKey(term)} to the end of ${halfTermShort(last.key)}`, to: last.to };
  };
  const termBounds = (term: string) => {
    const of = halfTerms.filter((h) => h.term === term);
    return { from: of[0]!.from, to: of.at(-1)!.to };
  };
  const terms = [...new Set(ended.map((h) => h.term))]
    .reverse()
    .filter((term) => makeable(termPackSpan(termBounds(term), today), formatTermKey(term)))
    .map((term) => ({ key: term, ...termSpan(term), from: termBounds(term).from, ended: true }));
  return { facts, ended: ended.length, months, terms };
}

/**
 * Whether a change to the register on one of `dates` (ISO) reaches the figures of a pack whose
 * period ends on `to` (ISO): every pack reads its academic year to date (the SLT pack's
 * thresholds and pupils' year to date, the governors' to-date tabs), so a date from that year's
 * 1 August to `to` reaches it — not only a date inside the pack's own month or term (trial 49b:
 * an amended 7 October changed November's SLT pack, which the Import page had not named). With
 * `lastYearToo` (the governors' pack, which sets its figures beside the same period last year),
 * a date of the academic year before reaches it too. Pure.
 */
export function packReachedBy(dates: readonly string[], to: string, lastYearToo: boolean): boolean {
  const { from } = academicYearBounds(academicYearOf(to));
  const earliest = lastYearToo ? `${String(Number(from.slice(0, 4)) - 1).padStart(4, "0")}${from.slice(4)}` : from;
  return dates.some((d) => d >= earliest && d <= to);
}

/**
 * The periods offered (packPeriodSpans) whose pack's figures a change to the register on one of
 * `dates` (ISO) reaches (packReachedBy: its own period, the year to date before it, and for the
 * governors' pack the year before): after an import amends marks, the Import page names them
 * (analytics/import/amended-periods.ts). Newest first, as offered.
 */
export async function packsCovering(
  connection: Connection,
  dates: readonly string[],
  today: string,
  /**
   * `ended`: only periods whose span has ended (PackPeriodSpan.ended), not a month "to" today;
   * `held`: only periods whose academic year to date reads one of these dates (ISO) — the days
   * the register held marks on before the change, so a pack that read nothing then (a new
   * year's months before its first import) is not named as changed.
   */
  only: { ended?: boolean; held?: readonly string[] } = {},
): Promise<{ months: PackPeriodReached[]; terms: PackPeriodReached[] }> {
  const { months, terms } = await packPeriodSpans(connection, today);
  // Held marks of the pack's own academic year: a governors' pack with only last year's beside an empty year showed nothing of its own.
  const kept = (p: PackPeriodSpan) => (!only.ended || p.ended) && (only.held === undefined || packReachedBy(only.held, p.to, false));
  const option = ({ key, label, to }: PackPeriodSpan) => ({ key, label, to });
  return {
    months: months.filter((p) => kept(p) && packReachedBy(dates, p.to, false)).map(option),
    terms: terms.filter((p) => kept(p) && packReachedBy(dates, p.to, true)).map(option),
  };
}

/** A period packsCovering names, with the last day its pack covers (ISO). */
export type PackPeriodReached = PackPeriodOption & { to: string };

export async function packPeriodOptions(connection: Connection, today: string): Promise<PackPeriodOptions> {
  const spans = await packPeriodSpans(connection, today);
  const { facts } = spans;
  const months = spans.months.map(({ key, label }) => ({ key, label }));
  const terms = spans.terms.map(({ key, label }) => ({ key, label }));
  const firstWords = facts.first === null ? "" : format(parseISO(facts.first), "EEE d MMM yyyy", { locale: enGB });
  const noMarks = "No register marks have been imported yet, so there is nothing to report.";
  return {
    months,
    terms,
    defaultMonth: months[1]?.key ?? months[0]?.key ?? null,
    defaultTerm: terms[0]?.key ?? null,
    hasMarks: facts.first !== null,
    noMonths:
      months.length > 0 ? null
      : facts.first === null ? noMarks
      : `No month of the school's calendar up to today has school days on or after the register's first marks (${firstWords}), so there is no month to report on: import the calendar for the months the register covers.`,
    noTerms:
      terms.length > 0 ? null
      : facts.first === null ? noMarks
      : spans.ended === 0 ? "No half term of the imported calendar has ended yet, so there is nothing to report on: the governors' pack covers whole half terms that have ended."
      : `Every term with a half term that has ended is before the register's first marks (${firstWords}), so there is nothing to report on yet: the governors' pack covers whole half terms that have ended.`,
  };
}
