/**
 * The sign-in lockout's 429 says when the lock lifts, in London time, not "Wait 15 minutes"
 * (trial 26), and the sign-in page, the Users page and `rollcall users lockouts` say the same
 * minute for one lock (trial 26: they differed by a minute): analytics/users/lockout-words.ts. It
 * names no command (trial 53), and the last try before a lock is warned (store.ts failuresLeft).
 */
import { describe, expect, it } from "vitest";
import { lastTryWords, lockoutLiftsAt, lockoutLiftsWords } from "../analytics/users/lockout-words.ts";
import { londonDateTime, londonStamp } from "../analytics/time.ts";
import { withConnection } from "../analytics/db.ts";
import { createUser, listLockouts, signIn } from "../analytics/users/store.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

describe("lockoutLiftsWords", () => {
  it("gives the London time the lock lifts, rounded up to the minute", () => {
    // Lifts at 22:30:42 UTC on 3 Dec 2026 (GMT): said as 22:31.
    expect(lockoutLiftsWords("2026-12-03T22:30:42.000Z")).toBe(
      "Try again after 3 December 2026, 22:31 GMT, or ask your Rollcall administrator to clear it.",
    );
    // Summer: BST, an hour ahead of UTC; on the minute stays on it.
    expect(lockoutLiftsWords("2026-07-01T14:15:00.000Z")).toBe(
      "Try again after 1 July 2026, 15:15 BST, or ask your Rollcall administrator to clear it.",
    );
    // Across midnight in London.
    expect(lockoutLiftsWords("2027-01-01T00:01:30.000Z")).toMatch(/^Try again after 1 January 2027, 00:02 GMT,/);
    // No command a governor cannot run (trial 53: "(rollcall users unlock)"): how an administrator clears it is the Users page's to say.
    expect(lockoutLiftsWords("2026-12-07T18:47:10.000Z")).not.toMatch(/rollcall|unlock/);
  });
});

describe("the last try before a lock (trial 53)", () => {
  it("is warned on the fourth wrong password for an e-mail from an address, alike for an e-mail of no account, and not before", async () => {
    const file = tempDbPath("last-try");
    try {
      await withConnection(file, async (c) => {
        await createUser(c, { email: "lead@school.example", name: "Lead", role: "attendance_lead", password: "a long enough passphrase" });
        const t0 = Date.parse("2026-12-07T18:30:00.000Z");
        for (const email of ["lead@school.example", "nobody@school.example"]) {
          const said: Array<string | null> = [];
          for (let i = 0; i < 4; i++) {
            const refused = await signIn(c, { email, password: "wrong password!", address: "203.0.113.10" }, new Date(t0 + i * 1000));
            if (refused.outcome !== "refused") throw new Error(`not refused: ${refused.outcome}`);
            said.push(lastTryWords(refused.left, 15));
          }
          expect(said).toEqual([null, null, null, "One more wrong password for this e-mail address from here locks its sign-in for up to 15 minutes."]);
          // And the fifth locks, as said.
          expect((await signIn(c, { email, password: "wrong password!", address: "203.0.113.10" }, new Date(t0 + 5000))).outcome).toBe("refused");
          expect((await signIn(c, { email, password: "a long enough passphrase", address: "203.0.113.10" }, new Date(t0 + 6000))).outcome).toBe("locked");
        }
      });
    } finally {
      await removeDb(file);
    }
  });

  it("is warned for the address's lock when it is the nearer: the 29th failure from one address, whatever the e-mails", async () => {
    const file = tempDbPath("last-try-address");
    try {
      await withConnection(file, async (c) => {
        const t0 = Date.parse("2026-12-07T18:30:00.000Z");
        let last = null as ReturnType<typeof lastTryWords>;
        for (let i = 0; i < 29; i++) {
          const refused = await signIn(c, { email: `guess${i}@school.example`, password: "wrong password!", address: "198.51.100.7" }, new Date(t0 + i * 1000));
          if (refused.outcome !== "refused") throw new Error(`not refused: ${refused.outcome}`);
          last = lastTryWords(refused.left, 15);
          if (i < 28) expect(last).toBeNull();
        }
        expect(last).toBe("One more failed sign-in from here locks sign-in from here, for every account, for up to 15 minutes.");
      });
    } finally {
      await removeDb(file);
    }
  });
});

describe("one lock, one minute on every page", () => {
  it("the sign-in's refusal and the listing of locks (Users page, CLI) start from the same instant and say the same minute", async () => {
    const file = tempDbPath("lockout");
    try {
      await withConnection(file, async (c) => {
        await createUser(c, { email: "lead@school.example", name: "Lead", role: "attendance_lead", password: "a long enough passphrase" });
        // Failures at 09:00:17.250 and after: the lock lifts at 09:15:17.250, said as 09:16 everywhere.
        const t0 = Date.parse("2026-11-23T09:00:17.250Z");
        for (let i = 0; i < 5; i++) {
          await signIn(c, { email: "lead@school.example", password: "wrong password!", address: "203.0.113.10" }, new Date(t0 + i * 1000));
        }
        const refused = await signIn(c, { email: "lead@school.example", password: "a long enough passphrase", address: "203.0.113.10" }, new Date(t0 + 90_500));
        expect(refused).toMatchObject({ outcome: "locked", until: "2026-11-23T09:15:17.250Z", retryAfterSeconds: 810 });
        const [lock] = await listLockouts(c, new Date(t0 + 90_500));
        expect(lock.until).toBe("2026-11-23T09:15:17.250Z");
        if (refused.outcome !== "locked") throw new Error("not locked");
        // The sign-in page's words, the Users page's cell, the CLI's column.
        expect(lockoutLiftsWords(refused.until)).toContain("23 November 2026, 09:16 GMT");
        expect(londonDateTime(lockoutLiftsAt(lock.until))).toBe("23 November 2026, 09:16 GMT");
        expect(londonStamp(lockoutLiftsAt(lock.until))).toBe("2026-11-23 09:16:00 GMT");
      });
    } finally {
      await removeDb(file);
    }
  });
});
