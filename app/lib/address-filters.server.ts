/**
 * The pupil filters of a page's or a download's address read as the CLI's `summary --filter`
 * reads them (analytics/filter-values.ts readFilterValue, the importer's readers): `fsm=yes`,
 * `year_group=Y5` or `Year 5`, `sex=Female`, `reg_group=5a` for 5A, `ethnicity=apkn`. Trial22:
 * the web refused `fsm=yes`, said "Year 5" was no year group of the school while listing it, and
 * `/pupils.csv?reg_group=5a` sent an empty file.
 *
 * A typed spelling is answered with a redirect to the stored one (canonicalAddress), so one
 * group has one address: its links, the picker's chosen value and the page cache's key agree.
 * A download whose filter names no value of the school is refused (filterRefusal), never an
 * empty file.
 */
import { redirect } from "@remix-run/node";
import { refusalResponse } from "./refusal-page.server";
import { ALL_CODES } from "../../analytics/codes.ts";
import type { Connection } from "../../analytics/db.ts";
import { filterReading, readFilterValue } from "../../analytics/filter-values.ts";
import { filterOptions, type FilterOptions } from "../../analytics/options.ts";
import { PUPIL_FILTER_KEYS, pupilFilterOf, readDrillParam, readFilters, repeatedRefusalWords, unknownFilterWords, unreadValues, unreadWords, type PupilFilterKey, type UnreadValue } from "./filters";
import { anyMarkIn, customRangeProblem, registerMarkSpan } from "../../analytics/periods.ts";
import { formatDate } from "./format";
import { capitalise } from "../../analytics/packs/format.ts";
import { firstOfEach } from "../../analytics/list-paging.ts";

/**
 * The values a filter's typed value is read against: the school's (every pupil ever recorded),
 * as the CLI's --filter reads them (storedFilterValue). A coded value no pupil has (fsm=Y in a
 * school with no FSM pupil) falls back to the importer's reading in canonicalValue, then is
 * said by unknownFilterWords (a page) or refused (a download, filterRefusal; the CLI).
 */
function knownValues(key: PupilFilterKey, options: FilterOptions): readonly string[] {
  if (key === "year_group") return options.yearGroups;
  if (key === "reg_group") return options.regGroups;
  if (key === "ethnicity") return options.ethnicities;
  return options.coded[key];
}

/**
 * The value `typed` stands for: the school's value (or code) it reads as, else the importer's
 * reading of it ("Y9" is 9 in a school without a Year 9: then said to be no year group of the
 * school, as 9 is), else `typed` trimmed (said, or dropped, by the page as before).
 */
function canonicalValue(key: PupilFilterKey, typed: string, options: FilterOptions): string {
  return readFilterValue(key, typed, knownValues(key, options)) ?? filterReading(key, typed) ?? typed.trim();
}

/**
 * The address `request` should be read at — its path and query with each pupil filter's value
 * (the first given, the one read) and a pupil drill-down's (`drill=reg_group:5a`) in its stored
 * spelling — or null when it already is. Single fetch's `_routes` is left out: the address is
 * the page's. The caller answers with a redirect to it (throwIfTyped).
 */
export async function canonicalAddress(connection: Connection, request: Request): Promise<string | null> {
  const url = new URL(request.url);
  const search = url.searchParams;
  const asked = PUPIL_FILTER_KEYS.filter((key) => (search.get(key)?.trim() ?? "") !== "");
  const drill = search.get("drill") ?? "";
  const drillBy = drill.slice(0, Math.max(0, drill.indexOf(":"))) as PupilFilterKey;
  const drillPupil = (PUPIL_FILTER_KEYS as readonly string[]).includes(drillBy) && drill.slice(drillBy.length + 1).trim() !== "";
  if (asked.length === 0 && !drillPupil) return null;
  const options = await filterOptions(connection);
  const wanted = new Map<string, string>();
  for (const key of asked) {
    const value = search.get(key)!;
    const canonical = canonicalValue(key, value, options);
    if (canonical !== value) wanted.set(key, canonical);
  }
  if (drillPupil) {
    const canonical = `${drillBy}:${canonicalValue(drillBy, drill.slice(drillBy.length + 1), options)}`;
    if (canonical !== drill) wanted.set("drill", canonical);
  }
  if (wanted.size === 0) return null;
  const next = new URLSearchParams();
  for (const [name, value] of search) {
    if (name === "_routes") continue;
    // Only the first of a repeated parameter is read (filters.ts repeatedWords says the rest).
    const replacement = wanted.get(name);
    wanted.delete(name);
    next.append(name, replacement ?? value);
  }
  return `${url.pathname}?${next.toString()}`;
}

/** Throws a redirect to the address in its stored spelling when `request` typed another (canonicalAddress). */
export async function throwIfTyped(connection: Connection, request: Request): Promise<void> {
  const canonical = await canonicalAddress(connection, request);
  if (canonical !== null) throw redirect(canonical);
}

/**
 * Why a download of pupils' rows filtered by `request`'s address is refused, or null: a pupil
 * filter (or pupil drill-down) whose value is none of the school's — a year group, class or
 * ethnicity no pupil has had, in the words a page says it with (filters.ts unknownFilterWords,
 * the school's values listed) — or a coded value (SEN, FSM, …) that reads as none of its codes
 * (filters.ts unreadValues). Either would give a file of no pupil, or of pupils not asked for.
 * Read after canonicalAddress, so `reg_group=5a` is 5A here. `drill`: the download reads a
 * drill-down too (the Pupils list's); one to a pupil characteristic is checked the same way.
 * `period`: the download reads the view's period, so a custom range it cannot read (no dates,
 * or a start after its end) is refused too. Shape: "Not downloaded: Class "5Z":
 * no pupil of the school has one (the school's: 5A, 5B), so no file is made."
 */
export async function filterRefusal(connection: Connection, request: Request, options: { drill?: boolean; period?: boolean } = {}): Promise<string | null> {
  const search = new URL(request.url).searchParams;
  // A custom range the page cannot read: the page says so and shows the year to date; a file
  // of the year to date named for no period read as the range asked for (trial25).
  const range = options.period && search.get("period") === "custom" ? customRangeProblem(search.get("from") ?? "", search.get("to") ?? "") : null;
  const known = await filterOptions(connection);
  const unread = unreadValues(search).filter((item) => (PUPIL_FILTER_KEYS as readonly string[]).includes(item.name));
  // A parameter given twice: the page reads the first and says so; a file cannot (trial 26).
  const outside = options.period && search.get("period") === "custom" && !range ? await rangeOutsideRegister(connection, search.get("from") ?? "", search.get("to") ?? "") : null;
  const words = [repeatedRefusalWords(search), range ? `${capitalise(range)}, so no file is made.` : outside, unknownFilterWords(pupilFilterOf(readFilters(search)), known, "so no file is made")];
  // A drill-down to sessions (weekday:Funday) is the list's own, said and dropped as on the page.
  const drill = options.drill ? readDrillParam(search, ALL_CODES) : null;
  const pupilDrill = (by: string) => (PUPIL_FILTER_KEYS as readonly string[]).includes(by);
  if (drill && "unread" in drill && pupilDrill(drill.unread.value.split(":")[0])) unread.push(drill.unread);
  else if (drill && "by" in drill && pupilDrill(drill.by)) words.push(unknownFilterWords({ [drill.by]: drill.value }, known, "so no file is made"));
  if (unread.length > 0) words.push(`Not understood in the address: ${unreadWords(unread)}, so no file is made.`);
  const said = words.filter(Boolean);
  return said.length > 0 ? `Not downloaded: ${said.join(" ")}` : null;
}

/**
 * What a page says beside its CSV link when that file would be refused (`refusal`: the words
 * the download answers with, "Not downloaded: …, so no file is made."): the same reason, so the
 * page never gives one of its own ("No CSV for this address: The register has no marks from …").
 * A page had said "a value in the address is not one the school has or not understood" for a
 * range wholly after the register's last mark, where nothing in the address was either (trial).
 * Null when the file would be made.
 */
export function csvRefusalNote(refusal: string | null): string | null {
  return refusal === null ? null : `No CSV for this address: ${refusal.replace(/^Not downloaded: /, "")}`;
}

/**
 * Why a custom range (inclusive ISO dates, already read) makes no file: it holds none of the
 * register's marked days, being wholly before its first or after its last, or falling between
 * them where nothing is marked (a summer holiday) ("The register has no marks from Mon 1 Jan
 * 2018 to Fri 30 Mar 2018 (its marks run from … to …), so no file is made."); null when some
 * marked day is in it. A file with a header and no rows had read as "no pupil" for a period the
 * register does not reach (trial 29); one of every pupil on roll with no sessions, for 1–31 Aug
 * 2026 inside the register's span (trial 32).
 */
async function rangeOutsideRegister(connection: Connection, from: string, to: string): Promise<string | null> {
  const span = await registerMarkSpan(connection);
  if (span && to >= span.first && from <= span.last && (await anyMarkIn(connection, from, to))) return null;
  const day = (iso: string) => formatDate(iso, "EEE d MMM yyyy");
  const held = span ? `its marks run from ${day(span.first)} to ${day(span.last)}` : "none are imported yet";
  return `The register has no marks from ${day(from)} to ${day(to)} (${held}), so no file is made.`;
}

/**
 * The request for the address a page's CSV link gives (each parameter once, its first value:
 * firstOfEach), so the page judges whether that file would be refused, not its own address
 * (which may repeat a filter the link does not).
 */
export function csvLinkRequest(request: Request): Request {
  const url = new URL(request.url);
  url.search = firstOfEach(url.searchParams).toString();
  return new Request(url, { headers: request.headers });
}

/**
 * Why a list's CSV of this address is not made when the list could not read one of its own
 * values (`unread`: the Pupils list's attendance, trend or drill-down; Casework's as-of date,
 * rule or direction), in the words of a refused filter value ("Not downloaded: Not understood
 * in the address: …, so no file is made."); null when it read them all. A file of every pupil
 * beside a page saying the value was not understood read as the filtered list (trial 24b:
 * `/pupils.csv?attendance=below-90`; trial 25: `/casework.csv?rule=nope`, all 141 entries).
 */
export function unreadRefusal(unread: readonly UnreadValue[]): string | null {
  return unread.length === 0 ? null : `Not downloaded: Not understood in the address: ${unreadWords(unread)}, so no file is made.`;
}

/**
 * A download refused because its address asks for something there is no file of (a pack's
 * month not begun or before the register, a report's area with no figures): `why` (the
 * builder's own message, with or without its full stop) as the refusal's words — "Not
 * downloaded: January 2030 has not started yet (today is 23 Nov 2026), so no file is made."
 */
export function whyRefusal(why: string): string {
  return `Not downloaded: ${capitalise(why.trim().replace(/\.$/, ""))}, so no file is made.`;
}

/**
 * The refusal as a download's answer: 400, never cached. To a browser opening the address as a page (Sec-Fetch-Dest:
 * document: a CSV link the page gives without `download` when it would be refused, or the
 * address typed) a page in the app's look — its stylesheet, header and the layout of its error
 * pages (app/root.tsx ErrorBoundary) — with the words and a link back to `back` (the list's
 * page with the same address), since a refused download clicked in the browser read only
 * "Failed"; to anything else (curl, a script, fetch) the words as plain text, as before. Text is
 * escaped by the one escape the app's generated HTML uses (escapeXml).
 */
export function refusedDownload(words: string, request?: Request, back?: { href: string; label: string }): Response {
  return refusalResponse(400, words, request, back);
}

/** The list page a download's address belongs to (`/pupils.csv?…` → `/pupils?…`), for refusedDownload's link back. */
export function pageOfDownload(request: Request, label: string): { href: string; label: string } {
  const url = new URL(request.url);
  return { href: `${url.pathname.replace(/\.csv$/, "")}${url.search}`, label };
}
