/**
 * Turns a request's URL into the view a loader computes: the resolved reporting period, the
 * measure query (period + pupil filters), the same query a year earlier, and the settings.
 * Every dashboard loader starts here so all pages read the URL the same way.
 */
import type { Connection } from "../../analytics/db.ts";
import { governorQuery, type MeasureQuery } from "../../analytics/measures.ts";
import { customRangeWithinRegisterYears, registerMarkSpan, type ResolvedPeriod } from "../../analytics/periods.ts";
import { formatDate } from "./format";
import type { Settings } from "../../analytics/settings.ts";
import {
  currentMoment,
  lastDueSession,
  type DueSession,
  filterOptions as storedFilterOptions,
  getSettings,
  resolvePeriod,
  type FilterOptions,
} from "./analytics.server";
import { redirect } from "@remix-run/node";
import { canonicalAddress } from "./address-filters.server";
import { noteRegisterCloses } from "./page-version.server";
import { restrictGovernorFilter, type GovernorPage } from "../../analytics/governor-lattice.ts";
import {
  governorChoices,
  governorHorizon,
  governorLastYear,
  halfTermsOf,
  resolveGovernorPeriod,
  keyedPeriodWords,
  sameSpanLastYear,
  type GovernorChoices,
} from "../../analytics/governor-periods.ts";
import { academicYearBounds, academicYearOf, isGovernorPeriodName, notAppliedPeriodWords } from "../../analytics/period-names.ts";
import { lastMarkedDay, markedPartOf, marksImported } from "../../analytics/unmarked-days.ts";
import { groupsInPeriod } from "../../analytics/options.ts";
import { describeFilterValue, FILTER_LABELS, hasPupilFilters, pupilFilterOf, readFilters, repeatedWords, unknownFilterWords, governorUnknownFilterWords, unreadValues, unreadWords, unusedPeriodWords, periodNameSlipWords, VIEW_PARAMS, type GovernorRule, type PupilFilterKey, type ViewFilters } from "./filters";

export interface View {
  filters: ViewFilters;
  period: ResolvedPeriod;
  query: MeasureQuery;
  lastYearQuery: MeasureQuery;
  /**
   * False when a governor's same period last year is not in the school's calendar (last
   * year's register imported without it): its dates are only words, and no figure is read
   * for them (analytics/governor-periods.ts governorLastYear). True for staff.
   */
  lastYearFigures: boolean;
  /**
   * Why there are no figures for last year when `lastYearFigures` is false, in words that
   * follow "Last year means the …": a governor's calendar without last year, or a range longer
   * than a year (its year-earlier span would overlap it: 1990–2030 read "±0.0 pts, the same"
   * against itself). Null when there are figures.
   */
  lastYearWhy: string | null;
  /**
   * A one-day period whose afternoon has no marks yet (its register open, or not yet imported):
   * last year's same day is read by its morning only (`lastYearQuery.slice`), like for like
   * (trial 29: this morning's 95.0 % against all of that day last year, called better). False
   * otherwise.
   */
  lastYearMorningOnly: boolean;
  /**
   * A period of more than one day whose last marked day (ISO), inside it, has only its morning
   * marked: last year's span reads that day whole, which the page says. Null otherwise.
   */
  morningOnlyDay: string | null;
  settings: Settings;
  today: string;
  /**
   * The last session whose register has closed now (analytics/register-due.ts lastDueSession):
   * a session after it is not yet missing (Register checks, the pupil page's part months).
   */
  due: DueSession;
  /**
   * Why the URL's view could not be used as asked (a custom range without dates; for a
   * governor, filters the page does not combine), or null.
   */
  notice: string | null;
  /**
   * For a governor: which filters the page combines, in plain words (GOVERNOR_FILTER_RULES),
   * and the kind of page (the picker offers only what the page applies); else null.
   */
  governorRule: GovernorRule | null;
  /**
   * For a governor: the periods the picker offers (whole half terms that have ended, and the
   * terms, years and years to date made of them: analytics/governor-periods.ts); else null.
   */
  governorPeriods: GovernorChoices | null;
  /**
   * The last day a governor's figures reach (the end of the last half term that has ended:
   * analytics/governor-periods.ts governorHorizon; null before one has); for staff, today.
   */
  horizon: string | null;
  /**
   * The register stops before the period does (analytics/unmarked-days.ts marksImported: a
   * school day of the period before today after the register's last marked day), in words —
   * "Marks imported up to Fri 23 Oct 2026; the 23 school days since have none yet — import the
   * latest register." — or null. The period picker says it once on every page that returns it
   * (a register ending on 31 Oct read "96.0 % to 3 Dec" with no word of November: a trial).
   */
  registerNotice: string | null;
}

/**
 * What a governor may combine on each kind of page (analytics/governor-lattice.ts), in plain
 * words: the filter picker says it, and a refused combination is named beside it.
 */
export const GOVERNOR_FILTER_RULES: Record<GovernorPage, string> = {
  periods: "Governors see one filter at a time (a year group, a class or one pupil characteristic), so that small groups stay hidden.",
  classes: "Governors see one pupil characteristic at a time here, for the whole school or one year group (never within a class), so that small groups stay hidden.",
  groups: "Governors see this page for the whole school or one year group (it compares every pupil characteristic itself; pupil groups within a class are not given), so that small groups stay hidden.",
};

/** "Not applied: Year group (Year 4), SEN (SEN support)." */
function droppedWords(filters: ViewFilters, dropped: readonly string[]): string {
  const words = dropped
    .filter((key): key is PupilFilterKey => key in FILTER_LABELS)
    .map((key) => `${FILTER_LABELS[key]} (${describeFilterValue(key, filters[key] as string)})`);
  return `Not applied: ${words.join(", ")}.`;
}

/**
 * The view a request asks for. `governorPage`: the reader is a governor and the page is of
 * this kind — filters it does not combine are dropped here, on the server, before any figure
 * is computed (restrictGovernorFilter), and the notice says which. `reads`: the page's own
 * address parameters beyond the view's (drill, sort, by, …), so that one given twice is said
 * (repeatedWords) like a view's own. A pupil filter no pupil of the school has ever had
 * (year_group=99) is applied and said (unknownFilterWords). Throws a redirect when the address
 * spells a filter's value otherwise than it is stored (app/lib/address-filters.server.ts).
 */
export async function resolveView(connection: Connection, request: Request, options: { governorPage?: GovernorPage; reads?: readonly string[] } = {}): Promise<View> {
  // A filter typed in another spelling (year_group=Y5, fsm=yes, reg_group=5a) is read as the CLI
  // reads it: a page is answered with a redirect to the stored one, so one group has one
  // address; a form's post is read at it.
  const canonical = await canonicalAddress(connection, request);
  if (canonical !== null && (request.method === "GET" || request.method === "HEAD")) throw redirect(canonical);
  const search = new URL(canonical ?? request.url, request.url).searchParams;
  const asked = readFilters(search);
  // What the address asked for and could not be read is said, never silently replaced.
  const unread = unreadValues(search, { governor: Boolean(options.governorPage) });
  // Readable period parameters the chosen period does not read: said, not silently dropped.
  let filters = asked;
  let governorNotice: string | null = null;
  if (options.governorPage) {
    const { dropped } = restrictGovernorFilter(pupilFilterOf(asked), options.governorPage);
    if (dropped.length > 0) {
      filters = { ...asked };
      for (const key of dropped) delete filters[key as PupilFilterKey];
      governorNotice = `${GOVERNOR_FILTER_RULES[options.governorPage]} ${droppedWords(asked, dropped)}`;
    }
  }
  const moment = currentMoment();
  const today = moment.date;
  const settings = await getSettings(connection);
  let period: ResolvedPeriod;
  let lastYear: { from: string; to: string };
  // Why last year has no figures (View.lastYearWhy), or null: there are figures.
  let lastYearWhy: string | null = null;
  let notice: string | null = null;
  let governorPeriods: GovernorChoices | null = null;
  let horizon: string | null = today;
  if (options.governorPage) {
    // Governors: whole half terms that have ended, and periods made of them, decided here on
    // the server whatever the URL asks (analytics/governor-periods.ts); anything else is
    // answered with the nearest such period and a notice saying so.
    const halfTerms = await halfTermsOf(connection);
    const asked = isGovernorPeriodName(filters.period) ? null : await resolvePeriod(connection, { name: filters.period, today, from: filters.from, to: filters.to }).catch(() => null);
    const resolved = resolveGovernorPeriod(halfTerms, { name: filters.period, today, half: filters.half, term: filters.term, year: filters.year, from: filters.from, to: filters.to }, asked);
    notice = resolved.notice;
    governorPeriods = governorChoices(halfTerms, today);
    horizon = governorHorizon(halfTerms, today);
    filters = { ...filters };
    for (const key of ["from", "to", "half", "term", "year"] as const) delete filters[key];
    if (resolved.period) {
      period = resolved.period;
      filters.period = resolved.period.name;
      if (period.name === "term") filters.term = resolved.period.key;
      else if (period.name === "academic-year") filters.year = resolved.period.key;
      else filters.half = resolved.period.key;
      const sameHalfTerms = governorLastYear(halfTerms, resolved.period);
      if (sameHalfTerms === null) lastYearWhy = "governors are given figures for the same half terms of last year only when last year's calendar has been imported, and it has not";
      lastYear = sameHalfTerms ?? sameSpanLastYear(halfTerms, period);
    } else {
      // No half term has ended: a span of no school day (the summer holiday), so no figures.
      const start = academicYearBounds(academicYearOf(today)).from;
      period = { name: "half-term", from: start, to: start, label: "No half term has ended yet", academicYear: academicYearOf(today) };
      filters.period = "half-term";
      lastYear = sameSpanLastYear(halfTerms, period);
    }
  } else if (staffKeyedPeriod(filters)) {
    // A governor's link opened by staff (?period=ytd&half=autumn-1-2026, ?period=term&term=…):
    // the same whole half terms, so the head can check the figure governors read (trial18a:
    // the half term was "not used" and the page showed staff's current one). Last year's span
    // as for any period; staff's own group membership (each pupil in their last group).
    const halfTerms = await halfTermsOf(connection);
    const resolved = resolveGovernorPeriod(halfTerms, { name: filters.period, today, half: filters.half, term: filters.term, year: filters.year, from: filters.from, to: filters.to }, null);
    const key = filters.period === "term" ? filters.term : filters.half;
    if (resolved.period && key !== undefined && resolved.period.key !== key) {
      // A key governors are not offered (a term to come, one before the register, none such):
      // staff's own period of that kind to date, said in staff's words, not the governors' rule
      // and its period cut at a half term (trial 28b: ?period=term&term=autumn-2099 gave the head
      // "Governors see whole half terms … Showing Autumn 2026, to the end of Autumn 1").
      const kind = filters.period === "term" ? "term" : filters.period === "ytd" ? "ytd" : "half-term";
      period = await resolvePeriod(connection, { name: kind, today });
      // The half term or term asked for, in the calendar: the current one (begun, not ended)
      // is staff's own period to date, as asked; any other has no school days to date here.
      const span = halfTerms.filter((h) => (kind === "term" ? h.term === key : h.key === key));
      const current = span.length > 0 && span[0].from <= today && today <= span.at(-1)!.to;
      notice = current ? null : notAppliedPeriodWords(`${keyedPeriodWords(kind, key)}, which has no school days to date in the school's calendar`, period.label);
      for (const name of ["half", "term"] as const) delete filters[name];
    } else {
      // No half term has ended yet: staff's own period, and the reason said.
      period = resolved.period ?? (await resolvePeriod(connection, { name: "ytd", today }));
      notice = resolved.notice;
    }
    lastYear = sameSpanLastYear(halfTerms, await markedPartOf(connection, period, today));
  } else {
    try {
      period = await resolvePeriod(connection, {
        name: filters.period,
        today,
        from: filters.from,
        to: filters.to,
        academicYear: filters.year,
      });
    } catch (error) {
      // A half-filled custom range is a user slip, not a failure: say so and show the default.
      // The address's unread values are said with the period shown (below): said once.
      const message = (error as Error).message;
      notice = `${message.charAt(0).toUpperCase()}${message.slice(1)}.${unread.length > 0 ? "" : " Showing the year to date instead."}`;
      period = await resolvePeriod(connection, { name: "ytd", today });
    }
    // The register's first and last marked days, for a custom range: what it is cut to and said beside.
    const span = period.name === "custom" ? await registerMarkSpan(connection) : null;
    // A custom range cut to the register's academic years (customRangeWithinRegisterYears), in words.
    let rangeCut: string | null = null;
    if (period.name === "custom") {
      // Cut to the academic years the register could have marks in: the figures are the same,
      // and a page that goes day by day over 0001–9999 no longer runs for minutes (trial 30).
      const asked = period;
      const cut = customRangeWithinRegisterYears(asked, span, today);
      if (cut !== asked) {
        period = await resolvePeriod(connection, { name: "custom", today, from: cut.from, to: cut.to });
        const day = (iso: string) => formatDate(iso, "d MMM yyyy");
        // Wholly outside the register's years, the part shown is only the academic year nearest them (trial 30b).
        const outside = span === null || cut.to < span.first || cut.from > (span.last > today ? span.last : today);
        rangeCut = outside
          ? `The range asked for (${day(asked.from)} to ${day(asked.to)}) lies outside the years the register holds marks in, so only its academic year nearest them is shown, ${day(cut.from)} to ${day(cut.to)}.`
          : `The range asked for (${day(asked.from)} to ${day(asked.to)}) reaches years the register holds no marks in, so it is shown from ${day(cut.from)} to ${day(cut.to)}.`;
      }
    }
    // Last year at the same place in the academic year (analytics/governor-periods.ts), to the
    // same point as this year's marks (markedPartOf: a register that stops early).
    // A range past today holds no marks after today: last year's span stops at the same date
    // (a trial's 1 Sep 2026 – 1 Mar 2027, on 3 Dec, was compared with 1 Sep 2025 – 1 Mar 2026).
    // A range wholly after today has no marks yet, and no part of it to set last year beside:
    // cut to today it would end before it starts (a trial's 7–18 Dec 2026, asked on 4 Dec, failed
    // the Overview comparing 8 Dec 2025 with 5 Dec 2025).
    const begun = period.from <= today;
    const upToToday = period.to > today ? { from: period.from, to: today } : period;
    lastYear = sameSpanLastYear(await halfTermsOf(connection), begun ? await markedPartOf(connection, upToToday, today) : period);
    if (!begun) lastYearWhy = `this range begins after today (${formatDate(today, "EEE d MMM yyyy")}), so it has no marks to compare yet`;
    if (period.name === "custom") {
      // A range reaching before the register's first mark or past today reads only the days
      // the register has: said beside it (a trial's 1990–2030 was shown as asked, unremarked).
      if (rangeCut) notice = notice ? `${notice} ${rangeCut}` : rangeCut;
      if (span && !begun) {
        const words = `This range begins after today: the register has no marks for it yet (its marks run from ${formatDate(span.first, "EEE d MMM yyyy")} to ${formatDate(span.last, "EEE d MMM yyyy")}).`;
        notice = notice ? `${notice} ${words}` : words;
      } else if (span && period.to < span.first) {
        // Wholly before the first mark: none of its days are the register's (not "its days within them").
        const words = `This range ends before the register begins: it has no marks (the register's marks run from ${formatDate(span.first, "EEE d MMM yyyy")} to ${formatDate(span.last, "EEE d MMM yyyy")}).`;
        notice = notice ? `${notice} ${words}` : words;
      } else if (span && (period.from < span.first || period.to > today)) {
        const words = `The register's marks run from ${formatDate(span.first, "EEE d MMM yyyy")} to ${formatDate(span.last, "EEE d MMM yyyy")}: the figures are this range's days within them.`;
        notice = notice ? `${notice} ${words}` : words;
      }
      if (begun && lastYear.to >= period.from) lastYearWhy = "it overlaps this range, which is longer than a year, so no figures are compared with it";
    }
  }
  // Readable period parameters the chosen period does not read: said, not silently dropped; a
  // governor's with the period shown instead, unless the notice already names it.
  const unused = unusedPeriodWords(asked, Boolean(options.governorPage), options.governorPage && !notice ? period.label : undefined);
  const filter = pupilFilterOf(filters);
  // A governor's figures count each half term's sessions in the group the pupil was in at its
  // end (analytics/measures.ts governorQuery), so a pupil who changes group cannot be worked out.
  const asRead = (q: MeasureQuery) => (options.governorPage ? governorQuery(q) : q);
  const query: MeasureQuery = asRead({ from: period.from, to: period.to, filter });
  // One day with only its morning marked: last year's day by its morning too. Staff only
  // (governors read whole half terms, never a day).
  const lastDay = !options.governorPage ? await lastMarkedDay(connection) : null;
  const partDay = lastDay !== null && lastDay.morningOnly && lastDay.date >= period.from && lastDay.date <= period.to ? lastDay.date : null;
  // One day as the register has it: a range from today into days to come is today alone
  // (trial 29b: 4–18 Dec, asked on 4 Dec, read this morning against all of 4 Dec 2025).
  const lastYearMorningOnly = partDay !== null && period.from === (period.to > today ? today : period.to);
  const morningOnlyDay = partDay !== null && !lastYearMorningOnly && lastYearWhy === null ? partDay : null;
  const lastYearQuery: MeasureQuery = asRead({ from: lastYear.from, to: lastYear.to, filter, ...(lastYearMorningOnly ? { slice: { by: "session" as const, value: "AM" } } : {}) });
  if (governorNotice) notice = notice ? `${notice} ${governorNotice}` : governorNotice;
  if (unread.length > 0) {
    const words = `Not understood in the address: ${unreadWords(unread)}. Showing ${period.label}${hasPupilFilters(filters) ? " with the other filters" : ""}.`;
    notice = notice ? `${words} ${notice}` : words;
  }
  // What the address asked for twice, and filters no pupil of the school has: said, not silently applied or dropped.
  const repeated = repeatedWords(search, [...VIEW_PARAMS, ...(options.reads ?? [])]);
  // Governors: only a value that is no value of its filter is said, never that no pupil has one
  // (governorUnknownFilterWords); the figures then read withheld, as a small group's.
  const unknown = !hasPupilFilters(filters) ? null : options.governorPage ? governorUnknownFilterWords(filter, await storedFilterOptions(connection)) : unknownFilterWords(filter, await storedFilterOptions(connection));
  // A period by a name no page reads (academic_year=2024-25): said, with the address's own form.
  const slip = periodNameSlipWords(search);
  notice = [notice, unused, unknown, repeated, slip].filter(Boolean).join(" ") || null;
  const governorRule = options.governorPage ? { page: options.governorPage, text: GOVERNOR_FILTER_RULES[options.governorPage] } : null;
  const registerNotice = (await marksImported(connection, period, today))?.words ?? null;
  noteRegisterCloses(settings.register_closes);
  return { filters, period, query, lastYearQuery, lastYearFigures: lastYearWhy === null, lastYearWhy, lastYearMorningOnly, morningOnlyDay, settings, today, due: lastDueSession(moment, settings.register_closes), notice, governorRule, governorPeriods, horizon, registerNotice };
}

/**
 * The filter picker's choices for the period a page shows: year groups and classes only those
 * pupils on roll in the period are counted in (analytics/options.ts groupsInPeriod), in the
 * stored lists' spellings and order, so no choice is one that lists no pupil (trial 24: "Not
 * assigned" offered in 2026/27 gave "No pupils were on roll…"); the value `filters` chose is
 * kept, so the picker shows what is applied. The other lists are every stored value. Checking an
 * address's values stays on every stored value (storedFilterOptions): a class of another year
 * is a class the school has.
 * A governor's picker (`governorRule` set: the view of a governor's page) offers every stored
 * value, as before: offering only the groups with pupils would tell a governor which class or
 * year has none in the period, which a governor's filter to it is built not to tell (a value with
 * no pupil reads as one with one pupil: test governor-empty-values).
 */
export async function filterOptions(
  connection: Connection,
  shown: { period: { from: string; to: string }; filters: Partial<Record<PupilFilterKey, string | undefined>>; governorRule?: GovernorRule | null },
): Promise<FilterOptions> {
  if (shown.governorRule) return storedFilterOptions(connection);
  const [stored, inPeriod] = await Promise.all([storedFilterOptions(connection), groupsInPeriod(connection, shown.period)]);
  const offered = (values: string[], held: Set<string>, chosen: string | undefined) => values.filter((value) => held.has(value) || value === chosen);
  return {
    ...stored,
    yearGroups: offered(stored.yearGroups, inPeriod.yearGroups, shown.filters.year_group),
    regGroups: offered(stored.regGroups, inPeriod.regGroups, shown.filters.reg_group),
  };
}

/**
 * Whether a staff reader's address names a whole half term or term by key, as a governor's
 * period does (period=half-term or ytd with half=, period=term with term=): then it is read
 * as the governor's (analytics/governor-periods.ts resolveGovernorPeriod); without a key,
 * staff's "this half term" and "this term" stay the current ones.
 */
function staffKeyedPeriod(filters: ViewFilters): boolean {
  return (filters.half !== undefined && (filters.period === "half-term" || filters.period === "ytd")) || (filters.term !== undefined && filters.period === "term");
}
