/**
 * The time grains a chart can group by, with how each group key reads in words.
 * Client-safe: keys come from the measures' session dimensions (ISO weeks and months, term keys).
 */
import { periodGroupWords } from "../../analytics/period-group-words.ts";
import { listWords } from "../../analytics/list-words.ts";
import { unreadWords, type UnreadValue } from "./filters";

export const TIME_GRAINS = ["week", "month", "half_term", "term", "academic_year"] as const;
export type TimeGrain = (typeof TIME_GRAINS)[number];

export const GRAIN_LABELS: Record<TimeGrain, string> = {
  week: "Week",
  month: "Month",
  half_term: "Half term",
  term: "Term",
  academic_year: "Academic year",
};

/**
 * The grain an address names, spelled as the page's own links spell it ("half_term") or as a
 * person types it ("half-term", "Half term"), or `fallback` when it names none of `allowed`.
 */
export function readGrain<T extends TimeGrain>(value: string | null, allowed: readonly T[], fallback: T): T {
  const key = grainKey(value);
  return key && (allowed as readonly string[]).includes(key) ? (key as T) : fallback;
}

/** "Half-term", "half term", " HALF_TERM " → "half_term": the words a grain is typed in, as its key. */
function grainKey(value: string | null): string {
  return (value ?? "").trim().toLowerCase().replace(/[\s-]+/g, "_");
}

/**
 * The page's notice with a `by=` it could not read named after it (a mistyped grain is said,
 * not silently replaced by the default: app/lib/filters.ts unreadWords), and a `grain=` (no
 * parameter of these pages, whose grain is `by=`: `grain=decade` had been dropped without a
 * word, trial 26), or the notice as it was. `search`: the page's address's query.
 */
export function withGrainNotice(notice: string | null, search: URLSearchParams, allowed: readonly TimeGrain[], fallback: TimeGrain): string | null {
  const raw = search.get("by")?.trim() ?? "";
  const unread: UnreadValue[] = [];
  // The grains in words ("half term", which readGrain reads as typed), not the keys
  // ("half_term") the notice had listed (trial 26).
  const choices = listWords(allowed.map((grain) => GRAIN_LABELS[grain].toLowerCase()), "or");
  if (raw && !(allowed as readonly string[]).includes(grainKey(raw))) unread.push({ name: "by", value: raw, expected: choices });
  const grainGiven = search.get("grain")?.trim() ?? "";
  // The parameter is by=: said as the address would carry it ("by=week, by=month or …"); "by=
  // to choose how the page groups time: …" had read as if "by=" were the value wanted (trial 27).
  if (grainGiven) unread.push({ name: "grain", value: grainGiven.slice(0, 40), expected: listWords(allowed.map((grain) => `by=${grain}`), "or") });
  if (unread.length === 0) return notice;
  const shown = readGrain(raw || null, allowed, fallback);
  const words = `Not understood in the address: ${unreadWords(unread)}. Showing it by ${GRAIN_LABELS[shown].toLowerCase()}.`;
  return notice ? `${notice} ${words}` : words;
}

/** "w/c 7 Sep 2026", "Sep 2026", "Autumn 1 2026", "2025/26": as the CLI says them (analytics/period-group-words.ts). */
export function describeGroup(grain: TimeGrain, key: string, short = false): string {
  return periodGroupWords(grain, key, short);
}
