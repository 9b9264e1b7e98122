/**
 * How a figure withheld from governors is shown — on a card, in a table cell, in a CSV cell
 * and on a chart — in one way everywhere (issue 13, "charts and lists that do not mislead").
 * A withheld figure never reads as "no data", as a blank or as zero: it says "withheld" and
 * why ("fewer than 5", "so that a small group elsewhere cannot be worked out"). Which figures are withheld
 * is decided on the server (analytics/governor-view.ts, analytics/suppression.ts); this
 * module only carries that decision to the places that print figures. Client-safe.
 *
 * Rows of charts and their tables (`ChartRow`s) carry the decision beside the figures:
 * - the whole row: the field `withheld` holds the reason (every figure of the row is withheld);
 * - one figure: the field `withheldKey(key)` (e.g. "pa_pct__withheld") holds the reason.
 * The withheld figure itself is null (the server never sends it).
 */

/** The word that starts every withheld figure's text. */
export const WITHHELD = "withheld";

/** The row field that withholds every figure of a row. */
export const ROW_WITHHELD = "withheld";

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
 * The reason alone, without the word "withheld" a printed text may already carry (the texts
 * of analytics/suppression.ts): "withheld (so that a small group elsewhere cannot be worked
 * out)" → "so that a small group elsewhere cannot be worked out", "fewer than 5 pupils —
 * withheld" → "fewer than 5 pupils", "fewer than 5" as it is.
 */
export function withheldBecause(reason: string): string {
  const nested = /^withheld\s*\((.*)\)$/.exec(reason);
  if (nested) return nested[1];
  const trailing = /^(.*\S)\s+—\s+withheld$/.exec(reason);
  return trailing ? trailing[1] : reason;
}

/**
 * Why a page of absence in slices of a period (weeks, days, codes) is withheld when the
 * period's pupils absent at least once are: the slices add up to the period's absent
 * sessions, which bound the count (analytics/governor-view.ts absenceWithheldOf). `count`:
 * the count's printed text ("fewer than 5").
 */
export function absenceWithheldBecause(count: string): string {
  return `the pupils absent at least once are ${count}, and a count of absent sessions would give them away`;
}

/** "withheld (fewer than 5)": the text printed in place of a withheld figure. */
export function withheldWords(reason: string): string {
  // A reason that already says it is not wrapped again: "withheld (withheld (…))" never.
  const because = withheldBecause(reason);
  if (because === reason && /^withheld\b/.test(reason)) return reason;
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
