/**
 * The periods a pack can be made for: months (SLT) that have started by today and terms
 * (FGB) with a half term that has ended, newest first, and the sensible default of each — last month (the first strategy
 * meeting of a month reviews the month before) and the current term. Only months with at
 * least one school day by today are offered: August (no school days) never is.
 */
import { endOfMonth, format, parseISO } from "date-fns";
import { enGB } from "date-fns/locale";
import type { Connection, Row } from "../db.ts";
import { cachedRows } from "../db.ts";
import { academicYearBounds, academicYearsWithMarks, formatTermKey } from "../periods.ts";
import { endedHalfTerms, halfTermShort, halfTermsOf } from "../governor-periods.ts";

export interface PackPeriodOption {
  key: string;
  label: string;
}

export interface PackPeriodOptions {
  months: PackPeriodOption[];
  terms: PackPeriodOption[];
  defaultMonth: string | null;
  defaultTerm: string | null;
}

export async function packPeriodOptions(connection: Connection, today: string): Promise<PackPeriodOptions> {
  const years = await academicYearsWithMarks(connection);
  const months: PackPeriodOption[] = [];
  if (years.length > 0) {
    const first = academicYearBounds(years[years.length - 1]).from;
    const schoolMonths = await cachedRows<Row & { month: string }>(
      connection,
      `SELECT DISTINCT strftime(date, '%Y-%m') AS month FROM school_days WHERE date BETWEEN $first::DATE AND $today::DATE ORDER BY month DESC`,
      { first, today },
    );
    // A month not over is offered by what its pack covers, as its title says (slt.ts sltPeriods).
    for (const { month } of schoolMonths) {
      const name = format(parseISO(`${month}-01`), "MMMM yyyy", { locale: enGB });
      const over = format(endOfMonth(parseISO(`${month}-01`)), "yyyy-MM-dd") <= today;
      months.push({ key: month, label: over ? name : `${name} to ${format(parseISO(today), "d MMM yyyy", { locale: enGB })}` });
    }
  }
  // The governors' pack covers whole half terms that have ended (analytics/governor-periods.ts):
  // a term is offered once its first half term has ended.
  const halfTerms = await halfTermsOf(connection);
  const ended = endedHalfTerms(halfTerms, today);
  // A term not over is offered by what its pack covers (analytics/packs/fgb.ts fgbPeriods): "Autumn 2026 to the end of Autumn 1".
  const termLabel = (term: string) => {
    const last = ended.filter((h) => h.term === term).at(-1)!;
    const over = !halfTerms.some((h) => h.term === term && h.to > last.to);
    return over ? formatTermKey(term) : `${formatTermKey(term)} to the end of ${halfTermShort(last.key)}`;
  };
  const terms = [...new Set(ended.map((h) => h.term))].reverse().map((term) => ({ key: term, label: termLabel(term) }));
  return {
    months,
    terms,
    defaultMonth: months[1]?.key ?? months[0]?.key ?? null,
    defaultTerm: terms[0]?.key ?? null,
  };
}

/**
 * Refuses, in words, a pack period with nothing to report, as a month or term not begun is
 * refused: throws when `period` (inclusive ISO dates, already cut to today) ends before the
 * register's first marked day ("January 1999 is before the register starts …": its pack was
 * 11 pages of empty tables, a fresh-clone trial), or holds no school day of the calendar
 * (August). A register with no marks yet, or no calendar, is not refused here (each page says
 * so). `label`: the month or term as the reader named it ("January 1999", "Autumn 2024").
 * One query. Every form of both packs (page, PDF, workbook, HTML, CLI) builds through this.
 */
export async function refuseEmptyPackPeriod(connection: Connection, period: { from: string; to: string }, label: string): Promise<void> {
  const [row] = await cachedRows<Row & { first: string | null; days: number; calendar: number }>(
    connection,
    `SELECT (SELECT strftime(min(date), '%Y-%m-%d') FROM mark_days) AS first,
            (SELECT count(*) FROM school_days WHERE date BETWEEN $from::DATE AND $to::DATE)::INTEGER AS days,
            (SELECT count(*) FROM school_days)::INTEGER AS calendar`,
    { from: period.from, to: period.to },
  );
  const first = row?.first ?? null;
  if (first !== null && period.to < first) {
    throw new Error(`${label} is before the register starts (its first marks are on ${format(parseISO(first), "EEE d MMM yyyy", { locale: enGB })}): there is nothing to report.`);
  }
  if (Number(row?.calendar ?? 0) > 0 && Number(row?.days ?? 0) === 0) {
    throw new Error(`${label} has no school days in the school's calendar: there is nothing to report.`);
  }
}
