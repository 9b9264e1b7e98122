/**
 * What the overview's "Last year means the …" names, in words: the span last year's figures
 * read (View.lastYearQuery, ISO dates), with the weekday beside a single day, as the morning's
 * words and the range notices give it: a day is compared with the same weekday 52 weeks earlier
 * (analytics/governor-periods.ts sameSpanLastYear), and "28 Nov 2025 to 28 Nov 2025" hid that it
 * was a Friday like this one (trial 31b). Safe in browser code.
 */
import { formatDate } from "./format";

export function lastYearWords(span: { from: string; to: string }, morningOnly: boolean): string {
  const day = formatDate(span.from, "EEE d MMM yyyy");
  if (morningOnly) return `morning of the same day last year (${day}), as this afternoon's register has no marks yet`;
  if (span.from === span.to) return `same day last year (${day}, the same weekday 52 weeks earlier)`;
  return `same period last year (${formatDate(span.from)} to ${formatDate(span.to)})`;
}
