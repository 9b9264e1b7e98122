/**
 * How a figure withheld from governors is shown — on a card, in a table cell, in a CSV cell
 * and on a chart — in one way everywhere (issue 13, "charts and lists that do not mislead").
 * A withheld figure never reads as "no data", as a blank or as zero: it says "withheld". Every
 * figure withheld by the small-group rule, or so that such a figure cannot be worked out, reads
 * the same word, so a reader cannot tell the two apart (analytics/suppression.ts
 * WITHHELD_TEXT); why figures are withheld is said once (withheldExplanation). Only a figure
 * never given at all says more ("not given for a pupil group within a class"). Which figures are withheld
 * is decided on the server (analytics/governor-view.ts, analytics/suppression.ts); this
 * module only carries that decision to the places that print figures. Client-safe.
 *
 * Rows of charts and their tables (`ChartRow`s) carry the decision beside the figures:
 * - the whole row: the field `withheld` holds the reason (every figure of the row is withheld);
 * - one figure: the field `withheldKey(key)` (e.g. "pa_pct__withheld") holds the reason.
 * The withheld figure itself is null (the server never sends it).
 */

import { withheldRuleSentence } from "../../analytics/withheld-rule.ts";
/** The word that starts every withheld figure's text. */
export const WITHHELD = "withheld";

/** In place of persistent or severe absence over fewer than 20 school days (analytics/pa-span.ts PA_NOT_GIVEN_TEXT). */
export const PA_NOT_GIVEN = "not given";

/** The row field that withholds every figure of a row. */
export const ROW_WITHHELD = "withheld";

/**
 * The column of a chart's figures that says a whole row is withheld from governors, and why:
 * always in the chart's CSV, empty where nothing is withheld, so the file's header is the same
 * whatever the rows (as every CSV's header is its columns'); in the table on screen only when
 * some row is withheld (`onScreenWhenFilled`).
 */
export const WITHHELD_COLUMN = { key: ROW_WITHHELD, label: "Withheld for governors", onScreenWhenFilled: true } as const;

/** The row field that marks one figure (by its field name) as withheld. */
export function withheldKey(key: string): string {
  return `${key}__withheld`;
}

type RowValue = string | number | boolean | null | undefined;

/**
 * Why a row's figure `key` is withheld, or null when it is shown: the figure's own mark, else
 * the whole row's. A field that is the row's label (not a figure) is never withheld by the
 * row's mark: pass `figure: false` for it.
 */
export function withheldReason(row: Record<string, RowValue>, key: string, figure = true): string | null {
  const own = row[withheldKey(key)];
  if (typeof own === "string" && own) return own;
  const whole = row[ROW_WITHHELD];
  return figure && typeof whole === "string" && whole ? whole : null;
}

/**
 * What a withheld figure's text says beyond the word "withheld", or null when it is the word
 * alone (every figure the small-group rule or subtraction withholds): "not given for a pupil
 * group within a class" as it is; "withheld (x)" → "x".
 */
export function withheldBecause(reason: string): string | null {
  if (reason.trim() === WITHHELD) return null;
  const nested = /^withheld\s*\((.*)\)$/.exec(reason);
  return nested ? nested[1] : reason;
}

/**
 * Why figures are withheld from governors, said once on a page (its footnote, a notice),
 * never figure by figure. `min`: the school's small-group minimum, when known.
 */
export function withheldExplanation(min?: number): string {
  // A count of 0 is shown (it names no pupil; analytics/suppression.ts isSmallCount): the words
  // say 1 to min − 1, as "fewer than 5" read as if "0" had been let through (a fresh-clone trial).
  if (min) return withheldRuleSentence(min);
  return "Figures for groups and counts of pupils under the school's minimum (a count of 0 names no one and is shown, withheld only where it would let another figure be worked out) are withheld from governors, and so are figures from which one could be worked out by subtraction (from a total, another group or another period) or from the sessions missed beside them. Both read “withheld”, so neither can be told from the other.";
}

/**
 * Why a page of absence in slices of a period (weeks, days, codes) is withheld when the
 * period's pupils absent at least once are: the slices add up to the period's absent
 * sessions, which bound the count (analytics/governor-view.ts absenceWithheldOf). `count`:
 * the count's printed text ("fewer than 5").
 */
export function absenceWithheldBecause(count: string): string {
  const because = withheldBecause(count);
  return `the count of pupils absent at least once is withheld${because ? ` (${because})` : ""}, and a count of absent sessions would give it away`;
}

/**
 * The words of a figure never given to governors, as the server gives them ("not given for a
 * pupil group": analytics/governor-lattice.ts BY_GROUP_TEXT, the words every page, the packs
 * and the head's report print; "not given" over fewer than 20 school days), or null for a
 * figure withheld (a small count, or one that would give a small count away). A card says
 * "Not given" for such a figure, not "Withheld", which reads as a small number (trial19's
 * SEN-filtered Overview).
 */
export function notGivenWords(reason: string): string | null {
  return /^not given\b/.test(reason.trim()) ? reason.trim() : null;
}

/** The text printed in place of a withheld figure: "withheld", or "withheld (not given for …)". */
export function withheldWords(reason: string): string {
  // Persistent absence over too short a span is not withheld but not measured: said as such.
  if (reason === PA_NOT_GIVEN) return PA_NOT_GIVEN;
  const because = withheldBecause(reason);
  // A reason that already says it is not wrapped again: "withheld (withheld (…))" never.
  if (because === null || (because === reason && /^withheld\b/.test(reason))) return because ?? WITHHELD;
  return `${WITHHELD} (${because})`;
}

/**
 * Marks for a row whose figures `keys` are withheld for `reason` (nothing when reason is
 * null), to spread into the row: `{ ...figures, ...withheldMarks(["pa_pct", "pa_pupils"], w.pa) }`.
 */
export function withheldMarks(keys: string[], reason: string | null | undefined): Record<string, string> {
  if (!reason) return {};
  return Object.fromEntries(keys.map((key) => [withheldKey(key), reason]));
}

/**
 * The figures of a group's absence in sessions, withheld together with its row shown
 * (Withheld.absence: beside a withheld count of pupils absent at least once, analytics/
 * governor-view.ts applyAbsentWithheld): every rate made from the absent sessions, and the
 * sessions present, attended elsewhere and absent. The pupils and possible sessions stay.
 */
export const ABSENCE_KEYS = ["attendance_pct", "absence_pct", "authorised_pct", "unauthorised_pct", "present_sessions", "aea_sessions", "authorised_sessions", "unauthorised_sessions"] as const;

/** A CSV row's counts without the absence sessions when they are withheld (ABSENCE_KEYS). */
export function withoutAbsence<T extends Record<string, unknown>>(counts: T, reason: string | null | undefined): T {
  if (!reason) return counts;
  const kept = { ...counts };
  for (const key of Object.keys(kept)) if ((ABSENCE_KEYS as readonly string[]).some((k) => key.endsWith(k))) delete kept[key];
  return kept;
}
