/**
 * The casework lists' sort columns (client-safe data; their SQL is in lists.ts). Without a
 * sort, each list is worst first: lowest attendance for the attendance rules, the largest
 * figure for the others; every sort's ties are broken by surname, forename, then UPN.
 */
import type { SortDirection } from "../list-paging.ts";

export const CASEWORK_SORT_COLUMNS = {
  name: { defaultDir: "asc" },
  upn: { defaultDir: "asc" },
  year_group: { defaultDir: "asc" },
  reg_group: { defaultDir: "asc" },
  value: { defaultDir: "desc" },
  since: { defaultDir: "asc" },
} as const satisfies Record<string, { defaultDir: SortDirection }>;

export type CaseworkSort = keyof typeof CASEWORK_SORT_COLUMNS;

/**
 * Pupils each list shows on the Casework page with every rule (its first rows, worst first,
 * beside the list's whole count); one rule's list (`?rule=`) shows PAGE_SIZE a page, and the
 * CSV every pupil.
 */
export const CASEWORK_PREVIEW_ROWS = 10;
