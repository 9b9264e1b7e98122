/**
 * When a sign-in lockout lifts, in the words the sign-in and Account pages give with their 429:
 * "Try again after 3 December 2026, 22:41 GMT, or ask your Rollcall administrator to clear it
 * (rollcall users unlock)." The time is London wall-clock time (analytics/time.ts, as every page
 * prints a time), rounded up to the whole minute so that trying at the time said is never still
 * refused. A bare "Wait 15 minutes" had not said from when (trial 26). Pure and client-safe.
 */
import { londonDateTime } from "../time.ts";

/**
 * The instant a lock is said to lift: `until` (ISO, store.ts lockoutWait or listLockouts, the
 * instant it does lift) rounded up to the whole minute. The sign-in page, the Account page, the
 * Users page and `rollcall users lockouts` all say this one instant: the sign-in page had worked
 * it out from the Retry-After seconds and rounded up, the Users page dropped the seconds, so they
 * named different minutes for one lock (trial 26). An `until` that is not a time is returned as is.
 */
export function lockoutLiftsAt(until: string): Date {
  const ms = Date.parse(until);
  return new Date(Number.isNaN(ms) ? until : Math.ceil(ms / 60_000) * 60_000);
}

/** The sentence for a 429: `until` as lockoutLiftsAt takes it. */
export function lockoutLiftsWords(until: string): string {
  return `Try again after ${londonDateTime(lockoutLiftsAt(until))}, or ask your Rollcall administrator to clear it (rollcall users unlock).`;
}
