/**
 * Why a session ended, for the sign-in page its holder lands on (trial 53: after the
 * administrator disabled an account or reset its password, the holder's next click landed on a
 * plain "Sign in"): analytics/users/store.ts sessionEnding on real DuckDB, with the clock moved
 * by hand, and the words (session-end-words.ts). Nothing in them names another account or says
 * an account is disabled; a disabled account's sign-in still gets the one refusal for all.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withConnection, type Connection } from "../analytics/db.ts";
import { changeOwnPassword, createSession, createUser, readSession, resetPassword, sessionEnding, setDisabled, signIn } from "../analytics/users/store.ts";
import { sessionEndWords } from "../analytics/users/session-end-words.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const T0 = new Date("2026-12-07T09:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const ADMIN = { actor: { email: "admin@school.example", name: "Admin" }, role: "admin", ip: "203.0.113.1" };
let file: string;

beforeEach(() => {
  file = tempDbPath("session-ending");
});
afterEach(async () => {
  await removeDb(file);
});

async function withHolder(run: (c: Connection, session: string) => Promise<void>) {
  await withConnection(file, async (c) => {
    await createUser(c, { email: "jo@school.example", name: "Jo", role: "attendance_lead", password: "jo's own passphrase" }, undefined, T0);
    const { sessionId } = await createSession(c, (await readUserId(c))!, at(1));
    await run(c, sessionId);
  });
}
async function readUserId(c: Connection): Promise<number | undefined> {
  const reader = await c.runAndReadAll("SELECT user_id FROM users WHERE email = 'jo@school.example'");
  return reader.getRowObjects()[0]?.user_id as number | undefined;
}

describe("sessionEnding", () => {
  it("a live session, or one the database does not hold, has nothing to say", async () => {
    await withHolder(async (c, session) => {
      expect(await sessionEnding(c, session, at(2))).toBeNull();
      expect(await sessionEnding(c, "no-such-session", at(2))).toBeNull();
    });
  });

  it("an account disabled by an administrator: ended by an administrator; its holder's sign-in is refused as any wrong one", async () => {
    await withHolder(async (c, session) => {
      await setDisabled(c, "jo@school.example", true, ADMIN, at(5));
      expect(await readSession(c, session, at(6))).toBeUndefined();
      expect(await sessionEnding(c, session, at(6))).toBe("administrator");
      // Enabled again later: the session was still ended by the administrator.
      await setDisabled(c, "jo@school.example", false, ADMIN, at(7));
      expect(await sessionEnding(c, session, at(8))).toBe("administrator");
      await setDisabled(c, "jo@school.example", true, ADMIN, at(9));
      expect(await signIn(c, { email: "jo@school.example", password: "jo's own passphrase", address: "203.0.113.9" }, at(10))).toMatchObject({ outcome: "refused" });
    });
  });

  it("a password an administrator reset (to be changed at sign-in): ended by an administrator; one set without that mark: the password changed", async () => {
    await withHolder(async (c, session) => {
      await resetPassword(c, "jo@school.example", "a passphrase the admin chose", ADMIN, at(5), true);
      expect(await sessionEnding(c, session, at(6))).toBe("administrator");
    });
    await removeDb(file);
    file = tempDbPath("session-ending");
    await withHolder(async (c, session) => {
      // `rollcall users reset-password` for one's own account (the holder set it: no mark).
      await resetPassword(c, "jo@school.example", "jo's own new passphrase", { actor: { email: "cli", name: "CLI" }, role: "CLI", ip: "cli" }, at(5), false);
      expect(await sessionEnding(c, session, at(6))).toBe("password_changed");
    });
  });

  it("the holder changed their own password in another browser: this session's ending says so", async () => {
    await withHolder(async (c, session) => {
      const other = await createSession(c, (await readUserId(c))!, at(2));
      const changed = await changeOwnPassword(c, { sessionId: other.sessionId, current: "jo's own passphrase", password: "jo's newer passphrase", address: "203.0.113.9" }, at(5));
      expect(changed.outcome).toBe("changed");
      expect(await sessionEnding(c, session, at(6))).toBe("password_changed");
    });
  });

  it("8 hours unused: expired, whether or not a request has ended it yet", async () => {
    await withHolder(async (c, session) => {
      // Not yet read since: still open in the table, but past the limit.
      expect(await sessionEnding(c, session, at(1 + 8 * 60))).toBe("expired");
      // Read (a click): readSession ends it; the ending still reads as expired, later too.
      expect(await readSession(c, session, at(1 + 8 * 60 + 1))).toBeUndefined();
      expect(await sessionEnding(c, session, at(1 + 9 * 60))).toBe("expired");
    });
  });
});

describe("sessionEndWords", () => {
  it("says why, about the reader's own session only", () => {
    expect(sessionEndWords("signed_out", 8)).toBe("You have signed out.");
    expect(sessionEndWords("administrator", 8)).toBe(
      "You were signed out: your session was ended by an administrator. Sign in again, or ask your Rollcall administrator if you cannot.",
    );
    expect(sessionEndWords("password_changed", 8)).toBe("You were signed out because your password was changed. Sign in with the new one.");
    expect(sessionEndWords("expired", 8)).toBe("You were signed out because Rollcall was not used for 8 hours. Sign in again to go on.");
    // Never that an account is disabled (which would tell whoever holds the cookie which accounts are).
    for (const ending of ["signed_out", "administrator", "password_changed", "expired"] as const) expect(sessionEndWords(ending, 8)).not.toMatch(/disabled|exist/i);
  });
});
