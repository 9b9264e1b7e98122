/**
 * The Casework page's request, read once for the page (routes/casework.tsx) and its CSV
 * (routes/casework[.]csv.tsx): the as-of date, the rule, the pupil filters, and — for one
 * rule's list — its sort and page; and the one analytics call that answers them
 * (analytics/casework/lists.ts, `caseworkLists`).
 */
import type { Connection } from "../../analytics/db.ts";
import { CASEWORK_PREVIEW_ROWS, CASEWORK_SORT_COLUMNS, type CaseworkSort } from "../../analytics/casework/list-columns.ts";
import type { CaseworkList, CaseworkPaging } from "../../analytics/casework/lists.ts";
import { PAGE_SIZE, appliedOrder, pageNumber, unreadDirection, unsortableNote } from "../../analytics/list-paging.ts";
import { RULE_IDS } from "../../analytics/casework/rules.ts";
import { policyTitle } from "../../analytics/casework/policy-title.ts";
import { caseworkLists, currentDate, getSettings, isRuleId, ladderPolicyOf, type RuleId } from "./analytics.server";
// The views' own date check (a "2025-13-45" once threw a RangeError here: a 500 page).
import { PUPIL_FILTER_KEYS, pupilFilterOf, readAsOf, readFilters, repeatedWords, unknownFilterWords, unreadValues, unreadWords, type UnreadValue } from "./filters";
import { filterRefusal, unreadRefusal } from "./address-filters.server";
import type { FilterOptions } from "../../analytics/options.ts";
import { formatDate } from "./format";
import { marksImported } from "../../analytics/unmarked-days.ts";
import { academicYearBounds, academicYearOf } from "../../analytics/period-names.ts";


export interface CaseworkRequest {
  asOf: string;
  today: string;
  /** A date after today that was asked for (and not used), else null. */
  future: string | null;
  /** A date before the register's first marks that was asked for (and not used), else null. */
  early: string | null;
  /** The register's first marked day, null with no marks (readAsOf). */
  registerStarts: string | null;
  rule: RuleId | null;
  filters: ReturnType<typeof pupilFilterOf>;
  /** Sort and page: only for one rule's list (every list otherwise shows its first page, worst first). */
  paging: CaseworkPaging | undefined;
  /** Said beside the list when the URL asked for a sort it does not have (unsortableNote). */
  sortNotice: string | null;
  /**
   * The non-empty values of the address the page could not use, as the other pages list them
   * (filters.ts unreadValues): a date that is not one, a rule it does not have, a page that is
   * not a page number, a pupil filter value it does not know. Said by `caseworkNotice`.
   */
  unread: UnreadValue[];
  /** The page number asked for, when one rule's list was asked for (to say when it is past the last). */
  askedPage: number | null;
  /** Parameters the page reads given more than once, in words (filters.ts repeatedWords), or null. */
  repeated: string | null;
  /**
   * What the lists applied beyond the as-of date, as [name, value] for the CSV's file name
   * (analytics/download-names.ts): the rule, the pupil filters read, and one rule's order when
   * a sort was read — never a value of the address that was not used.
   */
  applied: Array<[string, string]>;
}

/**
 * Reads the URL: a bad date (or one after today or before `registerStarts`, the register's first
 * marked day: readAsOf) means today, an unknown rule every rule, an unknown sort column worst first.
 */
export function readCaseworkRequest(request: Request, registerStarts: string | null): CaseworkRequest {
  const search = new URL(request.url).searchParams;
  const today = currentDate();
  const rawRule = search.get("rule")?.trim() ?? "";
  const rule: RuleId | null = isRuleId(rawRule) ? rawRule : null;
  let paging: CaseworkPaging | undefined;
  if (rule) {
    const rawSort = search.get("sort") ?? "";
    const sort = Object.prototype.hasOwnProperty.call(CASEWORK_SORT_COLUMNS, rawSort) ? (rawSort as CaseworkSort) : undefined;
    const rawDir = search.get("dir");
    paging = {
      sort,
      dir: sort && (rawDir === "asc" || rawDir === "desc") ? rawDir : undefined,
      page: pageNumber(search.get("page")?.trim() || "1") ?? 1,
    };
  }
  // The pupil filters read exactly as on every other page (unknown values are dropped).
  // A date after today: the lists stop at today and say so (readAsOf).
  const { asOf, future, early, unread: asOfUnread } = readAsOf(search, today, registerStarts);
  const sortNotice = rule ? unsortableNote(search.get("sort"), CASEWORK_SORT_COLUMNS) : null;
  const unread: UnreadValue[] = asOfUnread ? [asOfUnread] : [];
  if (rawRule && !rule) unread.push({ name: "rule", value: rawRule, expected: `one of ${RULE_IDS.join(", ")}` });
  const rawPage = search.get("page")?.trim() ?? "";
  const pageRead = Boolean(rule && rawPage && paging && paging.page === Number(rawPage));
  if (rule && rawPage && !pageRead) unread.push({ name: "page", value: rawPage, expected: "a page number such as 2" });
  const badDir = rule ? unreadDirection(search) : null;
  if (badDir) unread.push(badDir);
  unread.push(...unreadValues(search).filter((item) => (PUPIL_FILTER_KEYS as readonly string[]).includes(item.name)));
  const askedPage = pageRead ? Number(rawPage) : null;
  const repeated = repeatedWords(search, ["asOf", "rule", "sort", "dir", "page", ...PUPIL_FILTER_KEYS]);
  const filters = pupilFilterOf(readFilters(search));
  const applied: Array<[string, string]> = [
    ...(rule ? [["rule", rule] as [string, string]] : []),
    ...PUPIL_FILTER_KEYS.flatMap((key): Array<[string, string]> => (filters[key] ? [[key, filters[key] as string]] : [])),
    ...(paging ? appliedOrder(paging, CASEWORK_SORT_COLUMNS) : []),
  ];
  return { asOf, today, future, early, registerStarts, rule, filters, paging, sortNotice, unread, askedPage, repeated, applied };
}

/**
 * Why the Casework CSV of this address is not made, or null: a pupil filter no pupil of the
 * school has (filterRefusal), or an as-of date or rule it could not read (unreadRefusal), which
 * the page shows as today's or every rule's while saying so, where a file would not (trial 25:
 * `rule=nope` gave all 141 entries). The order is no refusal, as on the Pupils list: a
 * direction it cannot read is the column's own, and the file holds every page.
 */
export async function caseworkCsvRefusal(connection: Connection, request: Request, read: CaseworkRequest): Promise<string | null> {
  return (await filterRefusal(connection, request)) ?? unreadRefusal(read.unread.filter((u) => u.name === "asOf" || u.name === "rule"));
}

/**
 * What the page says it did not do as asked, or null: the address's values it could not use
 * ("Not understood in the address: asOf "garbage" (expected a date such as 2026-09-01). Showing
 * the lists as of 23 Nov 2026."), and a page past the list's last ("There is no page 9 of this
 * list: it has 1 page (28 pupils). Showing page 1, the last."). `lists`: what was loaded.
 */
export function caseworkNotice(request: CaseworkRequest, lists: readonly Pick<CaseworkList, "page" | "pages" | "count">[], known?: FilterOptions): string | null {
  const said: string[] = [];
  // A filter no pupil of the school has (year_group=99): applied, and said (filters.ts unknownFilterWords).
  const unknown = known ? unknownFilterWords(request.filters, known, "so no pupil is listed") : null;
  if (unknown) said.push(unknown);
  if (request.repeated) said.push(request.repeated);
  if (request.unread.length > 0) {
    const showing: string[] = [];
    if (request.unread.some((u) => u.name === "asOf")) showing.push(`as of today, ${formatDate(request.asOf)}`);
    if (request.unread.some((u) => u.name === "rule")) showing.push("for every rule");
    if (request.unread.some((u) => u.name === "page")) showing.push("from the first page");
    if (request.unread.some((u) => u.name === "dir")) showing.push("in the sort's own direction");
    if (request.unread.some((u) => (PUPIL_FILTER_KEYS as readonly string[]).includes(u.name))) showing.push("without that filter");
    said.push(`Not understood in the address: ${unreadWords(request.unread)}. Showing the lists ${showing.join(", ")}.`);
  }
  const list = request.rule ? lists[0] : undefined;
  if (list && request.askedPage !== null && request.askedPage > list.pages) {
    const pages = `${list.pages} page${list.pages === 1 ? "" : "s"}`;
    said.push(`There is no page ${request.askedPage} of this list: it has ${pages} (${list.count} pupil${list.count === 1 ? "" : "s"}). Showing page ${list.page}, the last.`);
  }
  return said.length ? said.join(" ") : null;
}

/**
 * The lists the request asks for, each pupil with their ladder standing: one rule's list a
 * page (PAGE_SIZE) at a time; with every rule, each list's first CASEWORK_PREVIEW_ROWS
 * pupils (worst first) beside its whole count; or, with `pageSize` null, every pupil (the CSV).
 */
export async function loadCaseworkLists(
  connection: Connection,
  request: CaseworkRequest,
  pageSize?: number | null,
): Promise<{ lists: CaseworkList[]; policyName: string; registerNotice: string | null }> {
  const settings = await getSettings(connection);
  if (pageSize === undefined) pageSize = request.rule ? PAGE_SIZE : CASEWORK_PREVIEW_ROWS;
  const lists = await caseworkLists(connection, {
    asOf: request.asOf,
    policy: settings.policy,
    filter: request.filters,
    rules: request.rule ? [request.rule] : undefined,
    ladder: ladderPolicyOf(settings),
    paging: request.paging,
    pageSize,
  });
  // The lists read the academic year to the as-of date: the register stopping inside it is said
  // on the page and in every row of the CSV, as pages and packs say it (analytics/unmarked-days.ts).
  const year = academicYearBounds(academicYearOf(request.asOf));
  const registerNotice = (await marksImported(connection, { from: year.from, to: request.asOf }, request.today))?.words ?? null;
  // "the Ludlow Junior School policy", saying so while it is only the default (policyTitle).
  return { lists, policyName: policyTitle(settings.policy), registerNotice };
}
