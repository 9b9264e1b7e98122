/**
 * The academic year the Benchmarks page opens on, read from the address. The page compares
 * whole academic years and their terms, as the DfE publishes its figures, so a period carried
 * in from another page (a term, a half term, a custom range) opens the academic year holding
 * it, and the page says so; a value it cannot read is said too, never silently replaced.
 * Client-safe: no database here.
 */
import { academicYearOf, formatTermKey, PERIOD_LABELS } from "../../analytics/period-names.ts";
import { readFilters, unreadValues, unreadWords } from "./filters";

export interface BenchmarkYear {
  /** "2025/26", or null for the page's default (the latest year with figures). */
  year: string | null;
  /** Words for the page: what was not understood, or which year stands for the period chosen. */
  notice: string | null;
  /**
   * The term ("autumn-2024") whose groups the page shows, for a term or half term carried in:
   * the report's groups period (analytics/benchmarks/report.ts), or null for its default.
   */
  groups?: string | null;
}

/** A date inside the term or half term of a key such as "autumn-2025" or "spring-1-2026". */
function dateInTerm(key: string): string {
  const season = key.split("-")[0];
  const calendarYear = key.slice(-4);
  return `${calendarYear}-${season === "autumn" ? "10" : season === "spring" ? "02" : "06"}-01`;
}

/**
 * `search`: the page's query string (year=, or the period= and its keys the navigation carries;
 * app/lib/filters.ts); `governor`: the reader is a governor (a period is expected as one of
 * theirs: filters.ts unreadValues). Returns the year and a notice (both null when nothing needs saying).
 */
export function benchmarkYear(search: URLSearchParams, options: { governor?: boolean } = {}): BenchmarkYear {
  const rawYear = search.get("year")?.trim() ?? "";
  if (rawYear) {
    // The views' own reading of year= (filters.ts readFilters), and its words when it fails.
    const unreadYear = unreadValues(search).filter((item) => item.name === "year");
    if (unreadYear.length === 0) return { year: readFilters(search).year ?? rawYear, notice: null };
    return { year: null, notice: `Not understood in the address: ${unreadWords(unreadYear)}. Showing the latest year instead.` };
  }
  const unread = unreadValues(search, options).filter((item) => ["period", "from", "to", "half", "term"].includes(item.name));
  if (unread.length > 0) return { year: null, notice: `Not understood in the address: ${unreadWords(unread)}. Showing the latest year instead.` };
  const view = readFilters(search);
  if (!search.get("period") || view.period === "ytd" || view.period === "academic-year") return { year: null, notice: null };
  let year: string | null = null;
  let chosen: string = PERIOD_LABELS[view.period];
  let groups: string | null = null;
  if (view.period === "term" && view.term) [year, chosen, groups] = [academicYearOf(dateInTerm(view.term)), formatTermKey(view.term), view.term];
  else if (view.period === "half-term" && view.half) [year, chosen, groups] = [academicYearOf(dateInTerm(view.half)), formatTermKey(view.half), view.half.replace(/-[12]-/, "-")];
  else if (view.period === "custom" && view.from && view.to) [year, chosen] = [academicYearOf(view.to), `${view.from} to ${view.to}`];
  const which = year ? `showing ${year}, the academic year of the period you chose (${chosen})${groups ? `, with its groups over ${formatTermKey(groups)}` : ""}` : `the period you chose (${chosen}) is within the latest year shown`;
  return { year, notice: `Benchmarks compare academic years and their terms, as the DfE publishes its figures: ${which}.`, groups };
}
