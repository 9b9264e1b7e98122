/**
 * The sign-in lockout's 429 says when the lock lifts, in London time, not "Wait 15 minutes"
 * (trial 26): analytics/users/lockout-words.ts, on the time formatter every page uses.
 */
import { describe, expect, it } from "vitest";
import { lockoutLiftsWords } from "../analytics/users/lockout-words.ts";

describe("lockoutLiftsWords", () => {
  it("gives the London time the lock lifts, rounded up to the minute", () => {
    // 22:15:42 UTC on 3 Dec 2026 (GMT) + 900 s = 22:30:42, said as 22:31.
    expect(lockoutLiftsWords(900, new Date("2026-12-03T22:15:42Z"))).toBe(
      "Try again after 3 December 2026, 22:31 GMT, or ask your Rollcall administrator to clear it (rollcall users unlock).",
    );
    // Summer: BST, an hour ahead of UTC; on the minute stays on it.
    expect(lockoutLiftsWords(600, new Date("2026-07-01T14:05:00Z"))).toBe(
      "Try again after 1 July 2026, 15:15 BST, or ask your Rollcall administrator to clear it (rollcall users unlock).",
    );
    // Across midnight in London.
    expect(lockoutLiftsWords(120, new Date("2026-12-31T23:59:30Z"))).toMatch(/^Try again after 1 January 2027, 00:02 GMT,/);
  });
});
