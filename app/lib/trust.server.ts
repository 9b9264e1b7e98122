/**
 * The Trust page's data: the lake the trust's schools export to (ROLLCALL_TRUST_LAKE, see
 * README "The register as Parquet"), each school's year-to-date figures (analytics/trust.ts)
 * and the national figures of one release for the year (findBenchmarkSet, as on Benchmarks).
 */
import { academicYearBounds, academicYearKey, academicYearOf } from "../../analytics/period-names.ts";
import { currentDate } from "../../analytics/periods.ts";
import { lakeMarkYears } from "../../analytics/lake.ts";
import { lakeScoped } from "../../analytics/lake-listing.ts";
import { TRUST_BREAKDOWNS, isTrustBreakdown, registersEndingEarly, trustRollup } from "../../analytics/trust.ts";
import { findBenchmarkSet, toNationalFigure } from "../../analytics/benchmarks/index.ts";
import { withDb } from "./db.server";
import { repeatedWords, unreadWords, type UnreadValue } from "./filters";

/**
 * The years the page offers, latest first: those in which some school of the lake has marks, to
 * today's (trial 28: 2024/25 and 2025/26 were offered, and shown empty, when no school had
 * marks in them); the current year alone when no school has any.
 */
function yearsOffered(dir: string, today: string): string[] {
  const current = academicYearOf(today);
  const marked = lakeMarkYears(dir).filter((year) => year <= current);
  return marked.length > 0 ? marked : [current];
}

/**
 * The Trust page's data for the address's `year`, `school` and `by` (see the page): the lake
 * read through one listing of its folders (analytics/lake-listing.ts: the request's, which the
 * page cache's version already made), for the years offered and the roll-up alike.
 */
export function loadTrust(search: URLSearchParams) {
  return lakeScoped(() => trustData(search));
}

async function trustData(search: URLSearchParams) {
  const dir = process.env.ROLLCALL_TRUST_LAKE;
  if (!dir) return { configured: false as const };
  const today = currentDate();
  const years = yearsOffered(dir, today);
  const asked = search.get("year") ?? "";
  // 2025/26, or 2025-26 as the lake's folders are written (academicYearKey).
  const askedYear = academicYearKey(asked);
  const academicYear = askedYear && years.includes(askedYear) ? askedYear : years[0];
  const bounds = academicYearBounds(academicYear);
  const to = today < bounds.to ? today : bounds.to;
  const period = { from: bounds.from, to };
  const urn = search.get("school") ?? "";
  const byAsked = search.get("by") ?? "";
  const by = isTrustBreakdown(byAsked) ? byAsked : "year_group";
  // The lake read once: each school opened once, the school asked for broken down while open.
  const { schools, opened } = await trustRollup(dir, period, urn ? { urn, by } : undefined);
  const found = await withDb((connection) =>
    findBenchmarkSet(
      connection,
      { academicYear, period: "year-to-date", asOf: to, yearComplete: to >= bounds.to, allowEarlierYear: true },
      ["overall_absence_pct", "persistent_absence_pct"],
    ),
  );
  const figure = (measure: "overall_absence_pct" | "persistent_absence_pct") => {
    const benchmark = found.get(measure);
    return benchmark ? toNationalFigure(benchmark) : null;
  };
  const absence = figure("overall_absence_pct");
  const national = {
    absence,
    pa: figure("persistent_absence_pct"),
    note: absence ? null : `No national figure is published for ${academicYear} yet.`,
  };
  // A URN asked for that the lake does not hold is said, not silently ignored; so are a year
  // or breakdown it cannot show and a parameter given twice (filters.ts, as every page).
  const unknownSchool = urn && !opened ? urn.slice(0, 12) : null;
  const unread: UnreadValue[] = [];
  if (asked.trim() && !(askedYear && years.includes(askedYear))) unread.push({ name: "year", value: asked.trim(), expected: `one of ${years.join(", ")}` });
  if (byAsked.trim() && !isTrustBreakdown(byAsked)) unread.push({ name: "by", value: byAsked.trim(), expected: `one of ${TRUST_BREAKDOWNS.join(", ")}` });
  const notice = [unread.length > 0 ? `Not understood in the address: ${unreadWords(unread)}. Showing ${academicYear}${byAsked && !isTrustBreakdown(byAsked) ? " by year group" : ""}.` : null, repeatedWords(search, ["year", "school", "by"])].filter(Boolean).join(" ") || null;
  // A school exported earlier than the others is counted to an earlier day (trial20b): named.
  const endsEarly = Object.fromEntries(registersEndingEarly(schools));
  return { configured: true as const, lake: dir, period: { academicYear, from: period.from, to }, years, schools, endsEarly, national, opened, unknownSchool, notice, breakdowns: [...TRUST_BREAKDOWNS] };
}
