/**
 * Named reporting periods (the period picker, pack periods, CLI options) resolved against
 * the school's calendar. All dates are ISO strings.
 */
import { cliEnv } from "./cli/context.ts";
import { addDays, addYears, endOfMonth, format, isValid, parseISO, startOfISOWeek, subWeeks } from "date-fns";
import type { Connection } from "./db.ts";
import { momentOf, type SchoolMoment } from "./register-due.ts";
import { cachedOne, cachedRows } from "./db.ts";
import {
  MONTH_KEY,
  PERIOD_LABELS,
  TERM_KEY,
  academicYearBounds,
  academicYearOf,
  formatTermKey,
  type PeriodName,
} from "./period-names.ts";

export * from "./period-names.ts";

export interface ResolvedPeriod {
  name: PeriodName;
  from: string;
  to: string;
  label: string;
  academicYear: string;
}

const iso = (date: Date) => format(date, "yyyy-MM-dd");
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const min = (a: string, b: string) => (a < b ? a : b);
const max = (a: string, b: string) => (a > b ? a : b);

/**
 * Today in England, or ROLLCALL_TODAY's date (so a demo built for a fixed date reads the same;
 * "YYYY-MM-DDTHH:MM" fixes the time of day too: currentMoment).
 */
export function currentDate(): string {
  return currentMoment().date;
}

/**
 * The moment now (analytics/register-due.ts momentOf): ROLLCALL_TODAY, as the CLI relays it,
 * or London's clock. Which sessions are due (can be missing) follows from it.
 */
export function currentMoment(): SchoolMoment {
  // A command relayed to the running dashboard (analytics/cli/remote.ts) keeps its caller's
  // ROLLCALL_TODAY: the server's own environment answered, so a report asked for 20 Sep ran to
  // today instead (trial18b). Never set in process.env there: pages run beside it.
  return momentOf(cliEnv("ROLLCALL_TODAY") ?? process.env.ROLLCALL_TODAY);
}

/** The calendar period (half term or term) containing `today`, or else the latest before it. */
async function calendarSpan(connection: Connection, column: "half_term" | "term", today: string) {
  return cachedOne<{ key: string; from: string; to: string }>(
    connection,
    `WITH spans AS (
       SELECT ${column} AS key, min(date) AS first_day, max(date) AS last_day FROM school_days GROUP BY ${column})
     SELECT key, strftime(first_day, '%Y-%m-%d') AS "from", strftime(last_day, '%Y-%m-%d') AS "to"
     FROM spans WHERE first_day <= $today::DATE ORDER BY first_day DESC LIMIT 1`,
    { today },
  );
}

export interface PeriodRequest {
  name: PeriodName;
  today: string;
  /** For custom ranges. */
  from?: string;
  to?: string;
  /** For academic-year: which year, default the one containing today. */
  academicYear?: string;
}

export async function resolvePeriod(connection: Connection, request: PeriodRequest): Promise<ResolvedPeriod> {
  const { name, today } = request;
  const todayDate = parseISO(today);
  const make = (from: string, to: string, label: string): ResolvedPeriod => ({
    name,
    from,
    to,
    label,
    academicYear: academicYearOf(to),
  });
  switch (name) {
    case "this-week": {
      const monday = startOfISOWeek(todayDate);
      return make(iso(monday), min(today, iso(addDays(monday, 4))), PERIOD_LABELS[name]);
    }
    case "last-week": {
      const monday = startOfISOWeek(subWeeks(todayDate, 1));
      return make(iso(monday), iso(addDays(monday, 4)), PERIOD_LABELS[name]);
    }
    case "this-month":
      return make(`${today.slice(0, 7)}-01`, today, format(todayDate, "MMMM yyyy"));
    case "last-month": {
      const first = parseISO(`${today.slice(0, 7)}-01`);
      const previous = addDays(first, -1);
      return make(iso(parseISO(`${iso(previous).slice(0, 7)}-01`)), iso(endOfMonth(previous)), format(previous, "MMMM yyyy"));
    }
    case "half-term":
    case "term": {
      const span = await calendarSpan(connection, name === "term" ? "term" : "half_term", today);
      if (!span) return make(academicYearBounds(academicYearOf(today)).from, today, PERIOD_LABELS.ytd);
      return make(span.from, min(span.to, today), formatTermKey(span.key));
    }
    case "ytd": {
      const year = academicYearOf(today);
      return make(academicYearBounds(year).from, today, `${year} to date`);
    }
    case "academic-year": {
      const year = request.academicYear ?? academicYearOf(today);
      const bounds = academicYearBounds(year);
      return { ...make(bounds.from, min(bounds.to, today < bounds.from ? bounds.to : today), year), academicYear: year };
    }
    case "custom": {
      const from = request.from ?? "";
      const to = request.to ?? "";
      const problem = customRangeProblem(from, to);
      if (problem) throw new Error(problem);
      return make(from, to, `${format(parseISO(from), "d MMM yyyy")} – ${format(parseISO(to), "d MMM yyyy")}`);
    }
  }
}

/**
 * Why `from`–`to` (the address's custom range) cannot be read, in words that follow a page's
 * "Not understood"-style sentence start ("a custom range needs from and to dates
 * (YYYY-MM-DD)", "the range starts (2027-01-01) after it ends (2026-01-01)"), or null.
 */
export function customRangeProblem(from: string, to: string): string | null {
  // parseISO refuses a day past its month's end (2026-09-31), which the pattern alone lets through.
  if (![from, to].every((d) => ISO_DATE.test(d) && isValid(parseISO(d)))) return "a custom range needs from and to dates (YYYY-MM-DD)";
  if (from > to) return `the range starts (${from}) after it ends (${to})`;
  return null;
}

/**
 * Why `termKey` is not a term key ("a term looks like autumn-2026, …"), or null when it is one:
 * the words of every refusal of a term (CLI --term, the FGB pack, termBounds).
 */
export function termKeyFault(termKey: string): string | null {
  return TERM_KEY.test(termKey) ? null : `a term looks like autumn-2026, spring-2027 or summer-2027 (got "${termKey}")`;
}

/** Why `month` is not a month key YYYY-MM ("a month looks like 2026-03 …"), or null: the SLT pack's and the CLI's words. */
export function monthKeyFault(month: string): string | null {
  return MONTH_KEY.test(month) ? null : `a month looks like 2026-03 (got "${month}")`;
}

/** First and last school day of a term key such as 'autumn-2026' (CLI --term, FGB pack). */
export async function termBounds(connection: Connection, termKey: string): Promise<{ from: string; to: string } | undefined> {
  const fault = termKeyFault(termKey);
  if (fault) throw new Error(fault);
  const row = await cachedOne<{ from: string | null; to: string | null }>(
    connection,
    `SELECT strftime(min(date), '%Y-%m-%d') AS "from", strftime(max(date), '%Y-%m-%d') AS "to" FROM school_days WHERE term = $term`,
    { term: termKey },
  );
  return row?.from && row.to ? { from: row.from, to: row.to } : undefined;
}

/**
 * A custom range (inclusive ISO dates) cut to the academic years the register could hold
 * marks in: from the start of the year of its first mark (`span.first`; today's year with no
 * marks) to the end of the year of its last mark or of today, whichever is later. A range
 * wholly outside those years keeps its own end nearer them and is cut to one academic year
 * (it has no marks either way). The figures are unchanged (no marks lie outside); what is cut
 * is the work of the pages that go day by day, week by week or month by month over the range
 * (trial 30: a pupil's page for 0001-01-01 to 9999-12-31 ran for four minutes and failed).
 * Returns the range itself (same object) when nothing is cut.
 */
export function customRangeWithinRegisterYears(range: { from: string; to: string }, span: { first: string; last: string } | null, today: string): { from: string; to: string } {
  const first = academicYearBounds(academicYearOf(span?.first ?? today)).from;
  const last = academicYearBounds(academicYearOf(span && span.last > today ? span.last : today)).to;
  const cut =
    range.from > last
      ? { from: range.from, to: min(range.to, academicYearBounds(academicYearOf(range.from)).to) }
      : range.to < first
        ? { from: max(range.from, academicYearBounds(academicYearOf(range.to)).from), to: range.to }
        : { from: max(range.from, first), to: min(range.to, last) };
  return cut.from === range.from && cut.to === range.to ? range : cut;
}

/** The register's first and last marked day (ISO dates), or null with no marks. */
export async function registerMarkSpan(connection: Connection): Promise<{ first: string; last: string } | null> {
  const rows = await cachedRows<{ first: string | null; last: string | null }>(
    connection,
    `SELECT strftime(min(date), '%Y-%m-%d') AS first, strftime(max(date), '%Y-%m-%d') AS last FROM mark_store`,
  );
  const { first, last } = rows[0] ?? { first: null, last: null };
  return first && last ? { first, last } : null;
}

/**
 * Whether the register holds a mark on any day from `from` to `to` (inclusive ISO dates): a
 * range inside the register's span may still hold none (a summer holiday, 1–31 Aug).
 */
export async function anyMarkIn(connection: Connection, from: string, to: string): Promise<boolean> {
  const rows = await cachedRows<{ found: boolean }>(
    connection,
    "SELECT EXISTS (SELECT 1 FROM mark_store WHERE date BETWEEN $from::DATE AND $to::DATE) AS found",
    { from, to },
  );
  return Boolean(rows[0]?.found);
}

/** The register's first marked day (ISO), null with no marks: where an as-of date or pack period can start. */
export async function registerStarts(connection: Connection): Promise<string | null> {
  return (await registerMarkSpan(connection))?.first ?? null;
}

/** Academic years that have any marks, newest first. */
export async function academicYearsWithMarks(connection: Connection): Promise<string[]> {
  const span = await registerMarkSpan(connection);
  if (!span) return [];
  const { first, last } = span;
  const years: string[] = [];
  for (let year = academicYearOf(last); ; ) {
    years.push(year);
    if (year === academicYearOf(first)) break;
    const start = Number(year.slice(0, 4)) - 1;
    year = `${start}/${String((start + 1) % 100).padStart(2, "0")}`;
  }
  return years;
}
