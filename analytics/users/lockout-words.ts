/**
 * When a sign-in lockout lifts, in the words the sign-in and Account pages give with their 429:
 * "Try again after 3 December 2026, 22:41 GMT, or ask your Rollcall administrator to clear it
 * (rollcall users unlock)." The time is London wall-clock time (analytics/time.ts, as every page
 * prints a time), rounded up to the whole minute so that trying at the time said is never still
 * refused. A bare "Wait 15 minutes" had not said from when (trial 26). Pure and client-safe.
 */
import { londonDateTime } from "../time.ts";

/** `retryAfterSeconds`: store.ts lockoutWait's wait (the 429's Retry-After); `now`: when it was answered. */
export function lockoutLiftsWords(retryAfterSeconds: number, now: Date = new Date()): string {
  const lifts = new Date(Math.ceil((now.getTime() + Math.max(0, retryAfterSeconds) * 1000) / 60_000) * 60_000);
  return `Try again after ${londonDateTime(lifts)}, or ask your Rollcall administrator to clear it (rollcall users unlock).`;
}
