/**
 * The Trust page's data: the lake the trust's schools export to (ROLLCALL_TRUST_LAKE, see
 * README "The register as Parquet"), each school's year-to-date figures (analytics/trust.ts)
 * and the national figures of one release for the year (findBenchmarkSet, as on Benchmarks), with
 * why they are for reference only where they cover another period (trust-national.ts).
 */
import path from "node:path";
import { academicYearBounds, academicYearKey, academicYearOf } from "../../analytics/period-names.ts";
import { currentDate } from "../../analytics/periods.ts";
import { lakeMarkYears } from "../../analytics/lake.ts";
import { lakeScoped } from "../../analytics/lake-listing.ts";
import { LakeUnreadableError, TRUST_BREAKDOWNS, isTrustBreakdown, registersEndingEarly, trustRollup } from "../../analytics/trust.ts";
import { can, type Role } from "./permissions";
import { findBenchmarkSet, toNationalFigure } from "../../analytics/benchmarks/index.ts";
import { trustNationalCaveat } from "../../analytics/trust-national.ts";
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
 * The Trust page's data for the address's `year`, `school` and `by` (see the page), as `role`
 * may see it: the lake read through one listing of its folders (analytics/lake-listing.ts: the
 * request's, which the page cache's version already made), for the years offered and the
 * roll-up alike. `lake`, the lake's directory on the server (absolute), only where the page
 * needs it — the empty lake's hint saying where to export — and only for a role that can act on
 * it (mayRunCli); null otherwise. A lake whose files kept changing under the read, or cannot be
 * read (analytics/trust.ts LakeUnreadableError), is thrown as a 503 Response with its message
 * (which names no server path; DuckDB's error goes to the server's log).
 */
export async function loadTrust(search: URLSearchParams, role: Role) {
  try {
    return await lakeScoped(() => trustData(search, role));
  } catch (error) {
    if (!(error instanceof LakeUnreadableError)) throw error;
    console.error(`[rollcall] /trust: ${error.message}`, error.cause);
    throw new Response(error.message, { status: 503, headers: { "Retry-After": "2", "Cache-Control": "no-store" } });
  }
}

/**
 * Whether `role` may be told where the lake is on the server. A path on the server is no
 * reader's business: the one use of it is running `rollcall export parquet --out DIR` there,
 * which needs a shell on the server and the school's database file — the administrator's, who
 * installs Rollcall and makes the first accounts with the same CLI (README "First time"); the
 * other staff roles who see this page cannot act on it, and are told to ask.
 */
const mayRunCli = (role: Role) => can(role, "manage_users");

async function trustData(search: URLSearchParams, role: Role) {
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
  const pa = figure("persistent_absence_pct");
  const national = {
    absence,
    pa,
    note: absence ? null : `No national figure is published for ${academicYear} yet.`,
    // Another period's (or phase's) figure is for reference only, as on Benchmarks (one rule).
    caveat: trustNationalCaveat({ academicYear, to, complete: to >= bounds.to }, [absence, pa]),
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
  const lake = schools.length === 0 && mayRunCli(role) ? path.resolve(dir) : null;
  return { configured: true as const, lake, period: { academicYear, from: period.from, to }, years, schools, endsEarly, national, opened, unknownSchool, notice, breakdowns: [...TRUST_BREAKDOWNS] };
}
