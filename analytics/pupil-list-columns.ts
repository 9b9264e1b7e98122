/**
 * The Pupils list's sort columns and trend words (client-safe data; the SQL of each column
 * is in analytics/pupil-list.ts). Text columns sort A→Z first, figures highest first.
 */
import { format, parseISO } from "date-fns";
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

/**
 * A pupil's marked sessions in the trend's two windows beside the windows' school sessions and
 * the school sessions the pupil was on roll for (analytics/pupil-list.ts): a pupil who left or
 * joined has fewer sessions on roll than the school, none in a window they were off roll for.
 */
export interface TrendMarkedSessions {
  recent: number;
  recent_school: number;
  recent_on_roll: number;
  earlier: number;
  earlier_school: number;
  earlier_on_roll: number;
}

/** The pupil's roll dates the trend's words name (ISO dates; leaving null while on roll). */
export interface TrendRoll {
  admission_date: string;
  leaving_date: string | null;
}

/**
 * Whether a pupil's trend can be judged: at least half of the sessions they were on roll in
 * each window marked (TREND_MIN_MARKED_SHARE; the SQL that gives trend_pts applies the same
 * rule), and some session on roll in each. True with no windows (nothing to say: the list has
 * no trend).
 */
export function trendJudged(marked: TrendMarkedSessions | null): boolean {
  if (!marked) return true;
  const enough = (own: number, onRoll: number) => onRoll > 0 && own > 0 && own >= TREND_MIN_MARKED_SHARE * onRoll;
  return enough(marked.recent, marked.recent_on_roll) && enough(marked.earlier, marked.earlier_on_roll);
}

const day = (iso: string) => format(parseISO(iso), "d MMM yyyy");

/**
 * Why a pupil with no trend has none when they were off roll for a whole window (the school had
 * sessions in it, the pupil none on roll): "Left 12 Jun 2026: not on roll for the last four
 * school weeks", "Joined 3 Nov 2026: not on roll for the four school weeks before"; null when
 * they were on roll some session of each window (their marks decide: trendTooFewWords).
 */
export function trendOffRollWords(marked: TrendMarkedSessions, roll: TrendRoll): string | null {
  const recentOff = marked.recent_school > 0 && marked.recent_on_roll === 0;
  const earlierOff = marked.earlier_school > 0 && marked.earlier_on_roll === 0;
  if (!recentOff && !earlierOff) return null;
  const span = recentOff && earlierOff ? "the last eight school weeks" : recentOff ? "the last four school weeks" : "the four school weeks before";
  // Off roll in the recent window: they left (or joined after it); in the earlier one only: they joined.
  const event = recentOff && roll.leaving_date ? `Left ${day(roll.leaving_date)}` : `Joined ${day(roll.admission_date)}`;
  return `${event}: not on roll for ${span}`;
}

/**
 * Why a pupil has no trend, for the list's cell title and the CSV: too few marks — "too few
 * marked sessions to judge: 10 of 40 sessions marked in the last four school weeks, 40 of 40
 * in the four before (a trend needs half of each)", of the sessions they were on roll ("6 of 20
 * sessions on roll marked …") — or off roll for a window (trendOffRollWords). `capital` for
 * the start of a cell.
 */
export function trendNotJudgedWords(marked: TrendMarkedSessions, roll: TrendRoll, capital = false): string {
  const offRoll = trendOffRollWords(marked, roll);
  if (offRoll) return capital ? offRoll : offRoll[0].toLowerCase() + offRoll.slice(1);
  const of = (own: number, onRoll: number) => `${own.toLocaleString("en-GB")} of ${onRoll.toLocaleString("en-GB")}`;
  const part = marked.recent_on_roll < marked.recent_school || marked.earlier_on_roll < marked.earlier_school;
  return `${capital ? "T" : "t"}oo few marked sessions to judge: ${of(marked.recent, marked.recent_on_roll)} sessions ${part ? "on roll " : ""}marked in the last four school weeks, ${of(marked.earlier, marked.earlier_on_roll)} in the four before (a trend needs half of each)`;
}
