/**
 * The leavers' group of a governor's figures over several half terms (issue 13; definitions:
 * docs/DEFINITIONS.md "Pupils who left before the last half term").
 *
 * Under half-term membership (analytics/measures.ts MeasureQuery.membership) a pupil is
 * counted once over a span. Over a span of more than one half term, a pupil with no marks in
 * the span's last half term (left the school, or off roll, before it) is counted — in the
 * counts of pupils only: pupils, persistently absent, severely absent, absent at least once —
 * in a group of their own, "Left before Autumn 2", in every breakdown (class, year group,
 * every characteristic), not in the last class or characteristic they had. Counted in their
 * last group, a class's count over a term was at least its count over the term's last half
 * term (published), and with the school's total that pinned a withheld class's count
 * (test/governor-break.test.ts "counts of pupils over a term against its last half term's").
 * Their sessions stay where they were (each half term's sessions in that half term's group).
 *
 * The group's value stands in every pupil-level column of the finest groups: it starts with a
 * control character (U+001F), which no imported value can hold (analytics/import/limits.ts
 * textProblem refuses them) and no URL filter value can either (app/lib/filters.ts OPEN_VALUE),
 * so it never meets a real class, year group or characteristic, and no filter chooses it.
 * Client-safe: no database here.
 */

const PREFIX = "\u001Fleft-before:";

/** The leavers' group value over a span whose last half term is `halfTermKey` ("autumn-2-2024"). */
export function leaversGroup(halfTermKey: string): string {
  return `${PREFIX}${halfTermKey}`;
}

/** The prefix as SQL builds the value (`'…' || member`). */
export const LEAVERS_PREFIX = PREFIX;

/** Whether a group value is the leavers' group. */
export function isLeaversGroup(value: string): boolean {
  return value.startsWith(PREFIX);
}

/**
 * "Left before Autumn 2" for the leavers' group of a span whose last half term is Autumn 2
 * (the half term's name without its year: the span says which year). Throws for a value that
 * is not the leavers' group.
 */
export function leaversLabel(value: string): string {
  if (!isLeaversGroup(value)) throw new Error("not the leavers' group");
  const key = value.slice(PREFIX.length);
  const match = /^(autumn|spring|summer)-([12])-\d{4}$/.exec(key);
  const name = match ? `${match[1].charAt(0).toUpperCase()}${match[1].slice(1)} ${match[2]}` : "the last half term";
  return `Left before ${name}`;
}

/** A group value in words when it is the leavers' group, otherwise as `otherwise` gives it. */
export function groupWords(value: string, otherwise: (value: string) => string): string {
  return isLeaversGroup(value) ? leaversLabel(value) : otherwise(value);
}
