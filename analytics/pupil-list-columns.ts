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

/**
 * The share of a trend window's school sessions a pupil must have marked (possible sessions:
 * present, AEA or absent) in each window before the list gives them a trend: half. A pupil
 * whose marks stop, or whose weeks are part-marked, read "Down 20.0 pts" from 10 sessions of
 * the 40 in the last four weeks and was picked by "falling only" (a fresh-clone trial). A
 * share, not a count, so a list drilled to a weekday (four Fridays: 8 sessions a window)
 * judges by the same rule as the whole list (40 a window): half its school sessions.
 * docs/DEFINITIONS.md says it in users' words. Applied in SQL (analytics/pupil-list.ts:
 * trend_pts and the falling filter) and by trendJudged below.
 */
export const TREND_MIN_MARKED_SHARE = 0.5;

/** A pupil's marked sessions in the trend's two windows beside the windows' school sessions (analytics/pupil-list.ts). */
export interface TrendMarkedSessions {
  recent: number;
  recent_school: number;
  earlier: number;
  earlier_school: number;
}

/**
 * Whether a pupil's trend can be judged: at least half of each window's school sessions marked
 * for them (analytics/pupil-list.ts TREND_MIN_MARKED_SHARE; the SQL that gives trend_pts
 * applies the same rule). True with no windows (nothing to say: the list has no trend).
 */
export function trendJudged(marked: TrendMarkedSessions | null): boolean {
  if (!marked) return true;
  const enough = (own: number, school: number) => own > 0 && own >= TREND_MIN_MARKED_SHARE * school;
  return enough(marked.recent, marked.recent_school) && enough(marked.earlier, marked.earlier_school);
}

/**
 * Why a pupil has no trend, for the list's cell and the CSV: "too few marked sessions to judge:
 * 10 of 40 sessions marked in the last four school weeks, 40 of 40 in the four before (a trend
 * needs half of each)". `capital` for the start of a cell.
 */
export function trendTooFewWords(marked: TrendMarkedSessions, capital = false): string {
  const of = (own: number, school: number) => `${own.toLocaleString("en-GB")} of ${school.toLocaleString("en-GB")}`;
  return `${capital ? "T" : "t"}oo few marked sessions to judge: ${of(marked.recent, marked.recent_school)} sessions marked in the last four school weeks, ${of(marked.earlier, marked.earlier_school)} in the four before (a trend needs half of each)`;
}
