/**
 * The Pupils list's sort columns and trend words (client-safe data; the SQL of each column
 * is in analytics/pupil-list.ts). Text columns sort A→Z first, figures highest first.
 */
import type { SortDirection } from "./list-paging.ts";

export const PUPIL_SORT_COLUMNS = {
  name: { defaultDir: "asc" },
  upn: { defaultDir: "asc" },
  year_group: { defaultDir: "asc" },
  reg_group: { defaultDir: "asc" },
  sen: { defaultDir: "asc" },
  fsm: { defaultDir: "desc" },
  eal: { defaultDir: "desc" },
  lac: { defaultDir: "desc" },
  possible_sessions: { defaultDir: "desc" },
  attendance_pct: { defaultDir: "desc" },
  authorised_pct: { defaultDir: "desc" },
  unauthorised_pct: { defaultDir: "desc" },
  absence_spells: { defaultDir: "desc" },
  late_sessions: { defaultDir: "desc" },
  flag: { defaultDir: "desc" },
  trend_pts: { defaultDir: "desc" },
} as const satisfies Record<string, { defaultDir: SortDirection }>;

export type PupilSort = keyof typeof PUPIL_SORT_COLUMNS;

/** Surname, then forename, then UPN: the list's default order and every sort's tie-break. */
export const DEFAULT_PUPIL_SORT: PupilSort = "name";

/** Changes in attendance within this many points are "steady": a session or two either way. */
export const STEADY_POINTS = 1;

export function trendWord(points: number | null): "down" | "up" | "steady" | null {
  if (points === null) return null;
  if (points <= -STEADY_POINTS) return "down";
  if (points >= STEADY_POINTS) return "up";
  return "steady";
}
