/**
 * Register checks' N-code lists: their sort columns (client-safe data; the SQL of each is in
 * analytics/quality.ts). Default: oldest session first.
 */
import type { SortDirection } from "./list-paging.ts";

export const N_CODE_SORT_COLUMNS = {
  date: { defaultDir: "asc" },
  name: { defaultDir: "asc" },
  school_days_open: { defaultDir: "desc" },
} as const satisfies Record<string, { defaultDir: SortDirection }>;

export type NCodeSort = keyof typeof N_CODE_SORT_COLUMNS;
