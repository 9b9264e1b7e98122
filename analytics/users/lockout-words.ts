/**
 * When a sign-in lockout lifts, in the words the sign-in and Account pages give with their 429:
 * "Try again after 3 December 2026, 22:41 GMT, or ask your Rollcall administrator to clear it."
 * How they clear it is the administrator's to read (the Users page's lockouts, README "Sign-in"),
 * not the locked-out reader's: the command it had named meant nothing to a governor (trial 53). The time is London wall-clock time (analytics/time.ts, as every page
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
  return `Try again after ${londonDateTime(lockoutLiftsAt(until))}, or ask your Rollcall administrator to clear it.`;
}

/**
 * The warning on the last try before a lock (`left` as store.ts failuresLeft gives it after a
 * refusal: one more failure locks), or null with more tries left: "One more wrong password for
 * this e-mail address from here locks its sign-in for up to 15 minutes." (a lock of the account from
 * the address), or "… from here locks sign-in from here, for every account, …" (the address's
 * lock). Said alike for an e-mail of no account, as failuresLeft counts it alike.
 */
export function lastTryWords(left: { failures: number; scope: "account" | "address" }, minutes: number): string | null {
  if (left.failures !== 1) return null;
  return left.scope === "account"
    ? `One more wrong password for this e-mail address from here locks its sign-in for up to ${minutes} minutes.`
    : `One more failed sign-in from here locks sign-in from here, for every account, for up to ${minutes} minutes.`;
}
