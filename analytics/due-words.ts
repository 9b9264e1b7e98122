/**
 * Words for a due date the school calendar cannot give yet. A step's "due by" is the day it
 * fell due plus the ladder's grace in school days (analytics/interventions/ladder.ts); when the
 * imported calendar ends first (at a year's end, before next year's term dates are imported),
 * the school days of grace are not known, so neither is the date, and the step cannot be late.
 * Client-safe (no imports): the pages, the CSV and the SLT pack print the same words.
 */
export const DUE_BY_UNKNOWN = "not known yet: the school calendar ends before the school days of grace do";

/**
 * DUE_BY_UNKNOWN for a casework row (analytics/casework/lists.ts CaseworkLadder) whose step is
 * dated but has no due-by date: one due, or one not yet due as of a past date (the register
 * showed it only after; its grace runs past the calendar just the same: review 50, where the
 * CSV and the SLT pack printed nothing for it and the page "—"). Null otherwise (a late step
 * always has a date; nothing due has none to give). The page, its CSV and the SLT pack alike.
 */
export function unknownDueBy(row: { status: string | null; due_by: string | null }): string | null {
  return row.due_by === null && (row.status === "due" || row.status === "not yet due") ? DUE_BY_UNKNOWN : null;
}

/** A due-by date as printed (formatted by `format`), or DUE_BY_UNKNOWN when it is not known (null). */
export function dueByWords(dueBy: string | null, format: (iso: string) => string): string {
  return dueBy === null ? DUE_BY_UNKNOWN : format(dueBy);
}

/**
 * Why a step is due from later than its rule was met, in one sentence (ShownLate of
 * analytics/interventions/ladder.ts, dates formatted by `format`): "Due from 30 Nov 2026, when
 * the register first showed it; the line was crossed on 14 Oct 2026." Null without one (or
 * without `due_from`: a casework list's standing has it only beside `shown_late`).
 * `today`: today's date, given where the view is of today: a step due from today says "Due from
 * today", so the row does not name today's date twice (trial 50 read "due by 14 Dec · Due as of
 * 7 Dec · Due from 7 Dec"). Not "that day": after "14 Dec 2026 · Due as of 7 Dec 2026" it read
 * as 14 Dec (trial 50b). A view of another date names the date.
 */
export function shownLateWords(
  item: { due_from?: string; shown_late?: { met_on: string; rule: "line" | "threshold" } } | null | undefined,
  format: (iso: string) => string,
  today?: string,
): string | null {
  const late = item?.shown_late;
  if (!item?.due_from || !late) return null;
  const met = late.rule === "line" ? "the line was crossed" : "the penalty-notice threshold was met";
  const from = item.due_from === today ? "today" : format(item.due_from);
  return `Due from ${from}, when the register first showed it; ${met} on ${format(late.met_on)}.`;
}
