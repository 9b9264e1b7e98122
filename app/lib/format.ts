/** Display formats shared by pages: UK dates, percentages to one decimal, "—" for no figure. */
import { format, parseISO } from "date-fns";
import { enGB } from "date-fns/locale";
import { decimalsBesideLines } from "../../analytics/thresholds.ts";

export const NO_FIGURE = "—";

export function formatPct(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || Number.isNaN(value) ? NO_FIGURE : `${value.toFixed(digits)}%`;
}

/**
 * A pupil's rate beside the school's attendance lines (analytics/thresholds.ts
 * decimalsBesideLines): one decimal, or as many as keep it from reading as a line it is not on
 * ("95.97%", not "96.0%", under 96 %). `lines`: percent 0–100.
 */
export function formatPctBesideLines(value: number | null | undefined, lines: readonly number[]): string {
  return value === null || value === undefined || Number.isNaN(value) ? formatPct(value) : `${value.toFixed(decimalsBesideLines(value, lines))}%`;
}

/** A difference in percentage points with its sign, e.g. "+1.2 pts". */
export function formatPoints(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return NO_FIGURE;
  const rounded = Number(value.toFixed(digits));
  const sign = rounded > 0 ? "+" : rounded < 0 ? "−" : "±";
  return `${sign}${Math.abs(rounded).toFixed(digits)} pts`;
}

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? NO_FIGURE : value.toLocaleString("en-GB");
}

/** A count with its noun, singular for one: "1 session", "1,029 sessions" ("—" for no figure). */
export function formatCountOf(value: number | null | undefined, singular: string, plural = `${singular}s`): string {
  return value === null || value === undefined ? NO_FIGURE : `${formatCount(value)} ${value === 1 ? singular : plural}`;
}

/** Dates already formatted, by pattern and ISO date: long lists show the same few dates many times. */
const formattedDates = new Map<string, string>();
const FORMATTED_DATES_LIMIT = 5000;

/** 2026-11-23 -> 23 Nov 2026 (or another date-fns pattern). Pure, so answers are remembered. */
export function formatDate(iso: string | null | undefined, pattern = "d MMM yyyy"): string {
  if (!iso) return NO_FIGURE;
  const key = `${pattern}\u0000${iso}`;
  let text = formattedDates.get(key);
  if (text === undefined) {
    text = format(parseISO(iso), pattern, { locale: enGB });
    if (formattedDates.size >= FORMATTED_DATES_LIMIT) formattedDates.clear();
    formattedDates.set(key, text);
  }
  return text;
}

/**
 * A period in words: its label, and its dates ("3 Sep 2026 to 23 Oct 2026") only when the
 * label does not say them already — a custom range's label is its dates ("1 Sep 2026 – 5 Sep
 * 2026"), and "1 Sep 2026 – 5 Sep 2026 (1 Sep 2026 to 5 Sep 2026)" says them twice.
 */
export function periodWords(period: { label: string; from: string; to: string }): { label: string; dates: string | null } {
  const from = formatDate(period.from);
  const to = formatDate(period.to);
  return { label: period.label, dates: period.label.includes(from) && period.label.includes(to) ? null : `${from} to ${to}` };
}

/**
 * A period's label inside a sentence ("By type, this term"): only a label that starts with a
 * common word ("This week", "Last month", "Year to date") is lowered; a month, a term and a
 * custom range keep their capitals ("By type, November 2026", "1 Aug 2024 – 31 Jul 2027", where
 * the whole label lowered read "1 aug 2024 – 31 jul 2027": trial 30b).
 */
export function periodInSentence(label: string): string {
  return /^(This|Last|Year) /.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}
