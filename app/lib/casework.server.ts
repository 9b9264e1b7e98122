/**
 * The Casework page's request, read once for the page (routes/casework.tsx) and its CSV
 * (routes/casework[.]csv.tsx): the as-of date, the rule, the pupil filters, and — for one
 * rule's list — its sort and page; and the one analytics call that answers them
 * (analytics/casework/lists.ts, `caseworkLists`).
 */
import type { Connection } from "../../analytics/db.ts";
import { CASEWORK_PREVIEW_ROWS, CASEWORK_SORT_COLUMNS, type CaseworkSort } from "../../analytics/casework/list-columns.ts";
import type { CaseworkList, CaseworkPaging } from "../../analytics/casework/lists.ts";
import { PAGE_SIZE, unsortableNote } from "../../analytics/list-paging.ts";
import { caseworkLists, currentDate, getSettings, isRuleId, ladderPolicyOf, type RuleId } from "./analytics.server";
import { pupilFilterOf, readFilters } from "./filters";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isIsoDate = (value: string) => ISO_DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

export interface CaseworkRequest {
  asOf: string;
  today: string;
  /** A date after today that was asked for (and not used), else null. */
  future: string | null;
  rule: RuleId | null;
  filters: ReturnType<typeof pupilFilterOf>;
  /** Sort and page: only for one rule's list (every list otherwise shows its first page, worst first). */
  paging: CaseworkPaging | undefined;
  /** Said beside the list when the URL asked for a sort it does not have (unsortableNote). */
  sortNotice: string | null;
}

/** Reads the URL: a bad date means today, an unknown rule every rule, an unknown sort column worst first. */
export function readCaseworkRequest(request: Request): CaseworkRequest {
  const search = new URL(request.url).searchParams;
  const today = currentDate();
  const rawAsOf = search.get("asOf")?.trim() ?? "";
  const rawRule = search.get("rule")?.trim() ?? "";
  const rule: RuleId | null = isRuleId(rawRule) ? rawRule : null;
  let paging: CaseworkPaging | undefined;
  if (rule) {
    const rawSort = search.get("sort") ?? "";
    const sort = Object.prototype.hasOwnProperty.call(CASEWORK_SORT_COLUMNS, rawSort) ? (rawSort as CaseworkSort) : undefined;
    const rawDir = search.get("dir");
    const page = Number(search.get("page") ?? "1");
    paging = {
      sort,
      dir: sort && (rawDir === "asc" || rawDir === "desc") ? rawDir : undefined,
      page: Number.isInteger(page) && page >= 1 && page <= 1_000_000 ? page : 1,
    };
  }
  // The pupil filters read exactly as on every other page (unknown values are dropped).
  // The register has no marks after today: a later date would judge steps late and
  // attendance on data that does not exist yet, so the lists stop at today and say so.
  const asked = isIsoDate(rawAsOf) ? rawAsOf : today;
  const future = asked > today ? asked : null;
  const sortNotice = rule ? unsortableNote(search.get("sort"), CASEWORK_SORT_COLUMNS) : null;
  return { asOf: future ? today : asked, today, future, rule, filters: pupilFilterOf(readFilters(search)), paging, sortNotice };
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
): Promise<{ lists: CaseworkList[]; policyName: string }> {
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
  return { lists, policyName: settings.policy.preset_name };
}
