/**
 * The view a page shows (reporting period and pupil filters), read from and written to the
 * URL so every view is bookmarkable and survives navigation. Client-safe: no database here.
 *
 * Invalid or unknown values are dropped, never an error: a hand-edited or stale bookmark still
 * opens a sensible page (the default period, no filter). What was dropped is said on the page
 * (unreadValues, shown by resolveView's notice), so a mistyped period never silently becomes
 * the year to date.
 */
import { withArticle } from "../../analytics/article.ts";
import { firstOfEach } from "../../analytics/list-paging.ts";
import { formatDate } from "./format";
import { isDfeEthnicityCode } from "../../analytics/ethnicity.ts";
import { isLeaversGroup, leaversLabel } from "../../analytics/leavers.ts";
import { CODED_FILTER_KEYS, CODED_SPELLINGS, FILTER_LABELS, PUPIL_FILTER_KEYS, describeFilterValue, type CodedFilterKey, type PupilFilterKey } from "../../analytics/characteristic-words.ts";
import { GOVERNOR_PERIOD_NAMES, MONTH_KEY, PERIOD_NAMES, TERM_KEY, academicYearBounds, academicYearKey, isPeriodName, notAppliedPeriodWords, type PeriodName } from "../../analytics/period-names.ts";

export interface ViewFilters {
  period: PeriodName;
  /** Custom range bounds, ISO dates (only meaningful with period "custom"). */
  from?: string;
  to?: string;
  /** Academic year such as "2025/26", for period "academic-year". */
  year?: string;
  /**
   * A half term's key such as "autumn-1-2026": for a governor, the half term (period
   * "half-term") or the end of the year to date (period "ytd"); analytics/governor-periods.ts.
   */
  half?: string;
  /** A term's key such as "autumn-2026": for a governor, the term (period "term"). */
  term?: string;
  year_group?: string;
  reg_group?: string;
  sen?: string;
  fsm?: string;
  eal?: string;
  lac?: string;
  sex?: string;
  ethnicity?: string;
}

export const DEFAULT_PERIOD: PeriodName = "ytd";

export { PUPIL_FILTER_KEYS, type PupilFilterKey } from "../../analytics/characteristic-words.ts";

/** The pupil characteristics among them (SEN, FSM, …): every filter but the year group and class. */
export const CHARACTERISTIC_FILTER_KEYS = PUPIL_FILTER_KEYS.filter((key) => key !== "year_group" && key !== "reg_group");

/** What a governor's page combines (app/lib/view.server.ts GOVERNOR_FILTER_RULES), for the picker. */
export interface GovernorRule {
  /** The kind of page (analytics/governor-lattice.ts GovernorPage). */
  page: "classes" | "groups" | "periods";
  /** The rule in plain words. */
  text: string;
}

export function isGovernorRule(value: unknown): value is GovernorRule {
  const candidate = value as Partial<GovernorRule> | null;
  return Boolean(candidate && typeof candidate.text === "string" && (candidate.page === "classes" || candidate.page === "groups" || candidate.page === "periods"));
}

/**
 * Whether the picker offers a governor the filter `key` on a page of this kind, given the class
 * chosen in it: the server applies nothing else (analytics/governor-lattice.ts
 * restrictGovernorFilter drops the rest, and says so). The Groups page is for the whole school
 * or one year group (it compares the characteristics itself); on Year groups & classes a class
 * is shown without characteristics. "hidden": never offered on this page; "disabled": not with
 * the class chosen; "offered".
 */
export function governorOffer(rule: GovernorRule, key: PupilFilterKey, classChosen: boolean): "offered" | "disabled" | "hidden" {
  if (rule.page === "groups") return key === "year_group" ? "offered" : "hidden";
  if (rule.page === "classes" && classChosen && (CHARACTERISTIC_FILTER_KEYS as readonly string[]).includes(key)) return "disabled";
  return "offered";
}

/** The session-level breakdowns a drill-down can slice the Pupils page by. */
export const SESSION_DRILL_KEYS = ["weekday", "session", "date", "week", "month", "half_term", "term", "academic_year"] as const;

/**
 * Characteristics with a closed set of codes (the pupils file's codes: README, "The register
 * files"); anything else is dropped. The server first reads a typed spelling as the importer
 * does (app/lib/address-filters.server.ts: `fsm=yes` is Y), so only a value that reads as none
 * of them is dropped here.
 */
export const CLOSED_VALUES: Partial<Record<PupilFilterKey, readonly string[]>> = {
  sen: ["E", "K", "N"],
  fsm: ["Y", "N"],
  eal: ["Y", "N"],
  lac: ["Y", "N"],
  sex: ["M", "F"],
};

/** Year groups, classes and ethnicity codes are the school's own: short, plain text only. */
const OPEN_VALUE = /^[A-Za-z0-9][A-Za-z0-9 ._/&()'-]{0,39}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const HALF_TERM_KEY = /^(autumn|spring|summer)-[12]-\d{4}$/;
/** Term and month keys: one pattern each, the analytics' own (analytics/period-names.ts). */
export { MONTH_KEY, TERM_KEY };

/** A real calendar date written YYYY-MM-DD ("2025-13-45" fits the pattern but is no date). */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** An as-of date read from an address (readAsOf). */
export interface AsOfRead {
  /** The date the page is as of (YYYY-MM-DD). */
  asOf: string;
  /** A date after today that was asked for (and not used), else null. */
  future: string | null;
  /** A date before the register's first marks that was asked for (and not used), else null. */
  early: string | null;
  /** The register's first marked day (YYYY-MM-DD), null with no marks. */
  registerStarts: string | null;
  /** A value that is no date, else null. */
  unread: UnreadValue | null;
}

/**
 * The as-of date of a page that reads one (Casework, Early warning) from the address's `asOf`
 * (YYYY-MM-DD): the date asked for; today when none is given or it is not a date (`unread`, said
 * as every unread value is), or it is after today (`future`: the register has no marks after
 * today, so a later date would judge steps late and attendance on data that does not exist
 * yet), or before the register's first marks, `registerStarts` (`early`: there is nothing to
 * judge — Early warning as of 1999 gave a verdict with no figure, trial 26). Both said by
 * asOfNotUsedWords. Early warning had ignored `asOf=2030-01-01` without a word (trial 26).
 */
export function readAsOf(search: URLSearchParams, today: string, registerStarts: string | null): AsOfRead {
  const raw = search.get("asOf")?.trim() ?? "";
  const date = isIsoDate(raw);
  const future = date && raw > today ? raw : null;
  const early = date && !future && registerStarts !== null && raw < registerStarts ? raw : null;
  return {
    asOf: date && !future && !early ? raw : today,
    future,
    early,
    registerStarts,
    unread: raw && !date ? { name: "asOf", value: raw, expected: "a date such as 2026-09-01" } : null,
  };
}

/**
 * What a page says of an as-of date it did not use (readAsOf's `future` or `early`): `what`
 * ("the lists", "the page") are as of today. Null when the date asked for was used.
 */
export function asOfNotUsedWords(read: Pick<AsOfRead, "future" | "early" | "registerStarts">, what: string): string | null {
  const are = `${what} ${what.endsWith("s") ? "are" : "is"} as of today`;
  if (read.future) return `${formatDate(read.future)} is after today: the register has no marks after today, so ${are}.`;
  if (read.early && read.registerStarts) return `${formatDate(read.early)} is before the register starts (its first marks are on ${formatDate(read.registerStarts)}), so ${are}.`;
  return null;
}

function validPupilValue(key: PupilFilterKey, value: string): boolean {
  const closed = CLOSED_VALUES[key];
  return closed ? closed.includes(value) : OPEN_VALUE.test(value);
}

export function readFilters(search: URLSearchParams): ViewFilters {
  const rawPeriod = search.get("period") ?? "";
  const filters: ViewFilters = { period: isPeriodName(rawPeriod) ? rawPeriod : DEFAULT_PERIOD };
  const from = search.get("from")?.trim() ?? "";
  const to = search.get("to")?.trim() ?? "";
  if (isIsoDate(from)) filters.from = from;
  if (isIsoDate(to)) filters.to = to;
  // 2025/26, or 2025-26 as the trust lake's folders write it (academicYearKey), kept as 2025/26.
  const year = academicYearKey(search.get("year") ?? "");
  if (year) filters.year = year;
  const half = search.get("half")?.trim() ?? "";
  if (HALF_TERM_KEY.test(half)) filters.half = half;
  const term = search.get("term")?.trim() ?? "";
  if (TERM_KEY.test(term)) filters.term = term;
  for (const key of PUPIL_FILTER_KEYS) {
    const value = search.get(key)?.trim() ?? "";
    if (value && validPupilValue(key, value)) filters[key] = value;
  }
  return filters;
}

/** A value in the address that readFilters could not use, and what such a value looks like. */
export interface UnreadValue {
  name: string;
  value: string;
  expected: string;
}

/** What a value of each of the views' address parameters looks like, for unreadWords. */
export const EXPECTED_VALUES: Record<string, string> = {
  period: `one of ${PERIOD_NAMES.join(", ")}`,
  from: "a date such as 2025-09-01",
  to: "a date such as 2025-09-01",
  year: "an academic year such as 2025/26 or 2025-26",
  half: "a half term such as autumn-1-2025",
  term: "a term such as autumn-2025",
  month: "a month such as 2026-03",
};

/**
 * The non-empty values of the address that readFilters dropped, in the order readFilters reads
 * them: `[{ name: "period", value: "half", expected: "one of this-week, …" }]`. Empty values
 * (a blank form field) are not listed: they ask for nothing. `governor`: the reader is a
 * governor, whose periods are whole half terms and what is made of them
 * (analytics/governor-periods.ts), so a period is expected as one of those only — never one
 * they cannot choose.
 */
export function unreadValues(search: URLSearchParams, options: { governor?: boolean } = {}): UnreadValue[] {
  const read = readFilters(search) as unknown as Record<string, string | undefined>;
  const unread: UnreadValue[] = [];
  for (const name of VIEW_PARAMS) {
    const value = search.get(name)?.trim() ?? "";
    // A year read in its other spelling (2025-26 for 2025/26) is read, not said.
    const readAs = name === "year" ? academicYearKey(value) : value;
    if (value && read[name] !== readAs) {
      const expected = name === "period" && options.governor ? `one of ${GOVERNOR_PERIOD_NAMES.join(", ")}` : (EXPECTED_VALUES[name] ?? expectedPupilValue(name as PupilFilterKey));
      unread.push({ name, value, expected });
    }
  }
  return unread;
}

function expectedPupilValue(key: PupilFilterKey): string {
  // A coded value in the spellings it is read from (trial: `fsm=maybe` was told "one of Y, N" though "yes" reads).
  const spellings = (CODED_FILTER_KEYS as readonly string[]).includes(key) ? CODED_SPELLINGS[key as CodedFilterKey] : null;
  return spellings ?? `${withArticle(FILTER_LABELS[key].toLowerCase())} in plain letters and digits`;
}

/** The parameters every view reads (readFilters): the period's and the pupil filters. */
/** The address's parameters that choose the period. */
export const PERIOD_PARAMS = ["period", "from", "to", "year", "half", "term"] as const;
export const VIEW_PARAMS: readonly string[] = [...PERIOD_PARAMS, ...PUPIL_FILTER_KEYS];

/**
 * The part of an address's query (`search`, "?…" or "") the section links carry: the period's
 * and the pupil filters' parameters (VIEW_PARAMS), non-empty, each once (its first value, as
 * read: firstOfEach), in the order given; "" for none.
 * A page's own parameters stay on it: the Account page's `redirectTo` made every section link
 * `/pupils?redirectTo=…` (a trial), and a list's sort, page or drill-down meant nothing elsewhere.
 */
export function navSearch(search: string): string {
  const kept = new URLSearchParams();
  for (const [name, value] of firstOfEach(search)) if (VIEW_PARAMS.includes(name) && value.trim() !== "") kept.append(name, value);
  const text = kept.toString();
  return text ? `?${text}` : "";
}

/**
 * Words for the parameters among `names` (those the page reads) that the address gives more
 * than once — `?year=2025/26&year=2024/25`, `?drill=a&drill=b` — or null when none is: every
 * page reads only the first of each (URLSearchParams.get), so the others were dropped without
 * a word. "Given more than once in the address: year 2 times ("2025/26", "2024/25"). Only the
 * first of each is read." Values are cut to 40 characters, as in every message.
 */
export function repeatedWords(search: URLSearchParams, names: readonly string[]): string | null {
  const parts = repeatedParts(search, names);
  return parts.length > 0 ? `Given more than once in the address: ${parts.join("; ")}. Only the first of each is read.` : null;
}

/**
 * A download's refusal of an address giving a parameter more than once (any of them: a file
 * cannot say which it used, as a page says "only the first of each is read"), or null: "Given
 * more than once in the address: year_group 2 times ("4", "5"), so no file is made."
 */
export function repeatedRefusalWords(search: URLSearchParams): string | null {
  const parts = repeatedParts(search, [...search.keys()]);
  return parts.length > 0 ? `Given more than once in the address: ${parts.join("; ")}, so no file is made.` : null;
}

/** Each of `names` given more than once in `search`: "year_group 2 times ("4", "5")". */
function repeatedParts(search: URLSearchParams, names: readonly string[]): string[] {
  const parts: string[] = [];
  for (const name of new Set(names)) {
    const values = search.getAll(name);
    if (values.length < 2) continue;
    const shown = values.slice(0, 5).map((value) => (value.trim() ? `"${clip(value.trim())}"` : "blank"));
    parts.push(`${clip(name)} ${values.length} times (${shown.join(", ")}${values.length > 5 ? ", …" : ""})`);
  }
  return parts;
}

/**
 * For a page that reads no period or pupil filter (Early warning: the whole school's year as of
 * today): words naming those the address gives anyway, or null — they are not used, and the
 * page says so rather than look as if it had applied them.
 */
export function notUsedWords(search: URLSearchParams, what: string): string | null {
  const given = VIEW_PARAMS.filter((name) => search.getAll(name).some((value) => value.trim()));
  if (given.length === 0) return null;
  return `This page is ${what}: ${given.join(", ")} in the address ${given.length === 1 ? "is" : "are"} not used.`;
}

/**
 * A period asked for by a name no page reads (a hand-typed link, or one from another tool:
 * `/pupils?academic_year=2024-25` showed the year to date without a word): each named with the
 * address's own form, or null. Pages read an academic year as `period=academic-year&year=…`
 * and a half term as `period=half-term&half=…` (the period picker's choices).
 */
export function periodNameSlipWords(search: URLSearchParams): string | null {
  const slips: Record<string, (value: string) => string> = {
    academic_year: (value) => `an academic year is chosen as period=academic-year&year=${value}`,
    "academic-year": (value) => `an academic year is chosen as period=academic-year&year=${value}`,
    half_term: (value) => `a half term is chosen as period=half-term&half=${value}`,
    "half-term": (value) => `a half term is chosen as period=half-term&half=${value}`,
  };
  const parts = Object.keys(slips)
    .filter((name) => search.get(name)?.trim())
    .map((name) => {
      const value = clip(search.get(name)!.trim());
      return `${name} "${value}" (${slips[name](encodeURIComponent(value))})`;
    });
  return parts.length > 0 ? `Not read in the address: ${parts.join("; ")}.` : null;
}

/**
 * The period parameters the address gives, readable, that the chosen period does not read — a
 * half term on a month (`?period=this-month&half=summer-2-2026`), `?period=ytd&to=2026-09-15`
 * (only a custom range reads dates) — in words for the page's notice, or null. Each was dropped without a word before.
 * A governor's read "Not applied: …", and "Showing <shown> instead." where `shown` is given.
 * `filters`: as readFilters read them (only readable values: unreadable ones are said by
 * unreadValues); `governor`: the reader is a governor (analytics/governor-periods.ts: half terms,
 * terms and years by key, never dates).
 */
export function unusedPeriodWords(filters: ViewFilters, governor: boolean, shown?: string): string | null {
  const period = filters.period;
  const reads: Record<"from" | "to" | "year" | "half" | "term", boolean> = governor
    ? { from: period === "custom", to: period === "custom", year: period === "academic-year", half: period === "half-term" || period === "ytd", term: period === "term" }
    : { from: period === "custom", to: period === "custom", year: period === "academic-year", half: period === "half-term" || period === "ytd", term: period === "term" };
  const why: Record<keyof typeof reads, string> = governor
    ? {
        from: "governors' periods are whole half terms, chosen in the period picker, not dates",
        to: "governors' periods are whole half terms, chosen in the period picker, not dates",
        year: "only an academic year reads a year",
        half: "only a half term and the year to date read a half term",
        term: "only a term reads a term",
      }
    : {
        from: "only a custom range reads dates",
        to: "only a custom range reads dates",
        year: "only an academic year reads a year",
        half: "only a half term and the year to date read a half term",
        term: "only a term reads a term",
      };
  const unused = (Object.keys(reads) as Array<keyof typeof reads>).filter((name) => filters[name] !== undefined && !reads[name]);
  if (unused.length === 0) return null;
  const words = unused.map((name) => `${name} "${clip(filters[name]!)}" (${why[name]})`).join("; ");
  // A governor's period is decided on the server (a governor asked for dates is given a whole
  // half term's period): said as a refused filter is, with the period shown instead.
  if (governor) return shown ? notAppliedPeriodWords(words, shown) : `Not applied: ${words}.`;
  return `Not used for this period: ${words}.`;
}

/**
 * A value as messages quote it: at most 40 characters, each control character shown by its
 * picture (U+0000 as "␀", U+2400–U+2421), so what was typed is what is read: a NUL (`%00` in an
 * address) had been echoed raw into a plain-text refusal and dropped from a page, which then
 * quoted `month ""` as if the month were empty (trial 29).
 */
export function clip(value: string): string {
  const shown = value.replace(/[\u0000-\u001f\u007f]/g, (c) => String.fromCharCode(c === "\u007f" ? 0x2421 : 0x2400 + c.charCodeAt(0)));
  return shown.length > 40 ? `${shown.slice(0, 40)}…` : shown;
}

/**
 * A year group, class or ethnicity as a refusal quotes it and lists the school's: a year group
 * in words ("Year 5", "Reception"), a class or an ethnicity as its code ("5A", "APKN"). Each is a
 * spelling the address reads (analytics/filter-values.ts), so the list offers what to type, and
 * the quoted value is in the list's form (trial22: `Year group "5"` beside "Year 5" in the list).
 */
export function filterValueForm(key: PupilFilterKey, value: string): string {
  return key === "year_group" ? describeFilterValue(key, value) : value;
}

/**
 * Words for pupil filters the school has no pupil with (`year_group=99`, a class it never had),
 * read against the values of every pupil ever recorded (`known`, the picker's choices), or null:
 * the filter is applied — the figures are for no pupil — and said, never an empty page without
 * a reason. Each value is quoted, and the school's listed, in one form (filterValueForm: `Year
 * group "Year 99": … (the school's: Year 3, Year 4)`; an ethnicity's name beside its code).
 * `filter`'s values are as the server read them (app/lib/address-filters.server.ts: `Y5` is 5).
 * Coded values (SEN, FSM, …) are checked the same way against the school's stored ones when
 * `known.coded` gives them (`fsm=Y` in a school with no FSM pupil: said here, refused by a
 * download and by the CLI, one rule — it was an empty page on the web and refused by the CLI).
 */
export function unknownFilterWords(
  filter: Partial<Record<PupilFilterKey, string>>,
  known: { yearGroups: readonly string[]; regGroups: readonly string[]; ethnicities: readonly string[]; coded?: Partial<Record<CodedFilterKey, readonly string[]>> },
  how = "so no pupil is shown",
): string | null {
  const lists: Partial<Record<PupilFilterKey, readonly string[]>> = { year_group: known.yearGroups, reg_group: known.regGroups, ethnicity: known.ethnicities, ...known.coded };
  const words: string[] = [];
  for (const key of PUPIL_FILTER_KEYS) {
    const value = filter[key];
    const list = lists[key];
    if (value === undefined || list === undefined || list.includes(value)) continue;
    const coded = (CODED_FILTER_KEYS as readonly string[]).includes(key);
    const form = (v: string) => ((key === "ethnicity" || coded) && describeFilterValue(key, v) !== v ? `${v} (${describeFilterValue(key, v)})` : filterValueForm(key, v));
    // A long list is counted, not printed: "14 recorded, in the picker" (it read "14 of them").
    const theirs = list.length <= 12 ? list.map(form).join(", ") : `${list.length} recorded, in the picker`;
    words.push(`${FILTER_LABELS[key]} "${clip(filterValueForm(key, value))}": no pupil of the school has one (the school's: ${theirs || "none yet"})`);
  }
  return words.length > 0 ? `${words.join("; ")}, ${how}.` : null;
}

/**
 * For a governor, in place of unknownFilterWords: words only for a value that is no value of
 * its filter at all — a year group or class the school has never recorded (the picker lists
 * every one it has: saying so tells nothing more), or an ethnicity that is no DfE code
 * ("XXXX") — or null. A DfE ethnicity code no pupil has is not said: a value with no pupil
 * must read as one with 1 to 4 (the page's figures withheld, analytics/governor-lattice.ts),
 * and "no pupil of the school has one" told a governor that none did (trial, session 21).
 */
export function governorUnknownFilterWords(filter: Partial<Record<PupilFilterKey, string>>, known: { yearGroups: readonly string[]; regGroups: readonly string[] }): string | null {
  const words: string[] = [];
  for (const key of ["year_group", "reg_group", "ethnicity"] as const) {
    const value = filter[key];
    if (value === undefined) continue;
    if (key === "ethnicity" ? isDfeEthnicityCode(value) : (key === "year_group" ? known.yearGroups : known.regGroups).includes(value)) continue;
    words.push(`${FILTER_LABELS[key]} "${clip(filterValueForm(key, value))}": not ${key === "ethnicity" ? "a DfE ethnicity code" : `${withArticle(FILTER_LABELS[key].toLowerCase())} of the school`}`);
  }
  return words.length > 0 ? `${words.join("; ")}, so its figures are withheld.` : null;
}

/** unreadValues in words for a notice: 'period "half" (one of …)' joined by semicolons. */
export function unreadWords(unread: readonly UnreadValue[]): string {
  return unread.map((item) => `${item.name} "${clip(item.value)}" (expected ${item.expected})`).join("; ");
}

/** The inverse of readFilters, omitting empty values, in a stable order. */
export function filtersToSearch(filters: ViewFilters): URLSearchParams {
  const search = new URLSearchParams();
  search.set("period", filters.period);
  for (const key of ["from", "to", "year", "half", "term", ...PUPIL_FILTER_KEYS] as const) {
    const value = filters[key];
    if (value) search.set(key, value);
  }
  return search;
}

/** The pupil filters of a view, as the measures' PupilFilter (only the keys that are set). */
export function pupilFilterOf(filters: ViewFilters): Partial<Record<PupilFilterKey, string>> {
  const filter: Partial<Record<PupilFilterKey, string>> = {};
  for (const key of PUPIL_FILTER_KEYS) if (filters[key]) filter[key] = filters[key];
  return filter;
}

/** True when any pupil filter narrows the view (pages say "filtered" next to their figures). */
export function hasPupilFilters(filters: ViewFilters): boolean {
  return PUPIL_FILTER_KEYS.some((key) => Boolean(filters[key]));
}

/**
 * A link to the Pupils page for one group of a breakdown. Pupil dimensions become filters
 * of the view (so the Pupils page keeps them in its picker); session dimensions travel as a
 * `drill=by:value` slice the Pupils page applies to the measures.
 */
export function drillDownHref(filters: ViewFilters, drill: { by: string; value: string }): string {
  const search = filtersToSearch(filters);
  if ((PUPIL_FILTER_KEYS as readonly string[]).includes(drill.by)) {
    search.set(drill.by, drill.value);
  } else {
    search.set("drill", `${drill.by}:${drill.value}`);
  }
  return `/pupils?${search.toString()}`;
}

/** The school days a weekday drill can name (dayname() in analytics/measures.ts). */
const DRILL_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

/** What each drill-down's value looks like, for the notice when one cannot be read. */
const DRILL_EXPECTED: Record<string, string> = {
  weekday: `a school day: ${DRILL_WEEKDAYS.map((day) => `weekday:${day}`).join(", ")}`,
  session: "session:AM or session:PM",
  date: "a date such as date:2026-10-05",
  week: "the Monday a week begins, such as week:2026-10-05",
  month: "a month such as month:2026-10",
  half_term: "a half term such as half_term:autumn-1-2026",
  term: "a term such as term:autumn-2026",
  academic_year: "an academic year such as academic_year:2025/26",
  code: "a register code such as code:U",
};

/** A drill-down's value checked against what its breakdown can give; codes by the caller's catalogue. */
function drillValueReads(by: string, value: string, codes: readonly string[]): boolean {
  switch (by) {
    case "weekday":
      return DRILL_WEEKDAYS.includes(value);
    case "session":
      return value === "AM" || value === "PM";
    case "date":
      return isIsoDate(value);
    case "week":
      return isIsoDate(value) && new Date(`${value}T00:00:00Z`).getUTCDay() === 1;
    case "month":
      return MONTH_KEY.test(value);
    case "half_term":
      return HALF_TERM_KEY.test(value);
    case "term":
      return TERM_KEY.test(value);
    case "academic_year":
      // As every typed year is read (analytics/period-names.ts academicYearKey): 2025/26 or 2025-26.
      return academicYearKey(value) !== null;
    case "code":
      return codes.includes(value);
    default:
      return (PUPIL_FILTER_KEYS as readonly string[]).includes(by) && validPupilValue(by as PupilFilterKey, value);
  }
}

/**
 * Reads `drill=by:value` (drillDownHref writes it): the breakdown and its value when the value
 * is one the breakdown can give — a school weekday, AM or PM, a real date, a week's Monday, a
 * month, a term key, an academic year, a pupil characteristic's value, a register code in
 * `codes` — else `unread` saying what such a value looks like ("weekday:Funday" names no day,
 * and was silently applied, giving an empty list). No drill= gives neither.
 */
export function readDrillParam(search: URLSearchParams, codes: readonly string[]): { by: string; value: string } | { unread: UnreadValue } | null {
  const raw = search.get("drill")?.trim() ?? "";
  if (!raw) return null;
  const colon = raw.indexOf(":");
  const by = colon > 0 ? raw.slice(0, colon) : "";
  const value = colon > 0 ? raw.slice(colon + 1).trim() : "";
  // Own keys only: `in` finds the prototype's (drill=constructor:x said "expected function Object() …").
  const known = Object.hasOwn(DRILL_EXPECTED, by) || (PUPIL_FILTER_KEYS as readonly string[]).includes(by);
  // A year is kept in the spelling its figures are keyed by (2025-26 → 2025/26).
  if (known && value && drillValueReads(by, value, codes)) return { by, value: by === "academic_year" ? academicYearKey(value)! : value };
  const expected = known ? (DRILL_EXPECTED[by] ?? `${by}: ${expectedPupilValue(by as PupilFilterKey)}`) : "a breakdown and its value, such as weekday:Friday, month:2026-10 or year_group:5";
  return { unread: { name: "drill", value: raw, expected } };
}

/** Every period name, for pickers that list them. */
export const VIEW_PERIODS: readonly PeriodName[] = PERIOD_NAMES;

export { FILTER_LABELS, FILTER_VALUE_LABELS, describeFilterValue } from "../../analytics/characteristic-words.ts";

/**
 * A group's value as an HTML attribute or React key: the value itself, or "left-before" for
 * the leavers' row (its value holds a control character: analytics/leavers.ts).
 */
export function groupAttribute(value: string): string {
  return isLeaversGroup(value) ? "left-before" : value;
}

/**
 * What a governor's page says of the leavers' row when its breakdowns have one
 * (analytics/leavers.ts; docs/DEFINITIONS.md "Pupils who left before the last half term"),
 * or null.
 */
export function leaversSentence(groups: readonly string[]): string | null {
  const value = groups.find(isLeaversGroup);
  if (!value) return null;
  const label = leaversLabel(value);
  return `Pupils who left before the period's last half term are counted in a row of their own (“${label}”), not in their last group; their attendance stays with the groups they were in.`;
}

/** Whether a breakdown's row is a group with sessions of its own to chart (not the leavers' row, which has none). */
export function chartsGroup(value: string): boolean {
  return !isLeaversGroup(value);
}

/** The recorded code on hover ("Code WBRI") where a value is shown by its name; nothing otherwise. */
export function filterValueTitle(key: PupilFilterKey, value: string): string | undefined {
  if (isLeaversGroup(value)) return undefined;
  return key !== "year_group" && key !== "reg_group" && describeFilterValue(key, value) !== value ? `Code ${value}` : undefined;
}

/** The active pupil filters in words, e.g. "Year 5, SEN support"; empty when none. */
export function describePupilFilters(filters: Partial<Record<PupilFilterKey, string>>): string {
  return PUPIL_FILTER_KEYS.filter((key) => filters[key])
    .map((key) => describeFilterValue(key, filters[key] as string))
    .join(", ");
}
