/**
 * A signed-in user changing their own password (analytics/users/store.ts changeOwnPassword),
 * and the "must change password" mark an administrator's password sets, on a real DuckDB file
 * with the clock moved by hand.
 */
import { afterAll, describe, expect, it } from "vitest";
import { queryRows, withConnection } from "../analytics/db.ts";
import { queryAudit } from "../analytics/audit.ts";
import {
  AccountError,
  LOCKOUT_FAILURES,
  changeOwnPassword,
  createSession,
  createUser,
  findUserByEmail,
  readSession,
  resetPassword,
  signIn,
} from "../analytics/users/store.ts";
import { copyDatabase, removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("own-password");
const old = tempDbPath("own-password-old");
afterAll(async () => {
  await removeDb(db);
  await removeDb(old);
});
const FIRST = "the administrator's choice";
const MINE = "my own long passphrase";
const ADMIN = { actor: { email: "it@school.example", name: "Sam Admin" }, role: "admin", ip: "10.0.0.1" };
const AT = "10.0.9.9";

describe("changing one's own password", () => {
  it("refuses a short new password and a wrong current one (counted as a failed sign-in), and changes nothing", async () => {
    await withConnection(db, async (c) => {
      const jo = await createUser(c, { email: "jo@school.example", name: "Jo Lead", role: "attendance_lead", password: FIRST });
      const { sessionId } = await createSession(c, jo.id);
      await expect(changeOwnPassword(c, { sessionId, current: FIRST, password: "elevenchars", address: AT })).rejects.toThrow(/at least 12/);
      expect(await changeOwnPassword(c, { sessionId, current: "not my password", password: MINE, address: AT })).toEqual({ outcome: "refused", left: { failures: 4, scope: "account" } });
      // The wrong current password is a failed sign-in for the account from that address.
      const failures = await queryRows<{ n: number }>(c, "SELECT count(*)::INTEGER AS n FROM sign_in_failures WHERE email = 'jo@school.example' AND address = $a", { a: AT });
      expect(failures[0].n).toBe(1);
      // Nothing changed: the first password still signs in, the new one does not.
      expect((await signIn(c, { email: "jo@school.example", password: MINE, address: "10.0.9.8" })).outcome).toBe("refused");
      expect((await signIn(c, { email: "jo@school.example", password: FIRST, address: "10.0.9.8" })).outcome).toBe("signed_in");
      // An ended session changes nothing either.
      const ended = await createSession(c, jo.id);
      await c.run("UPDATE user_sessions SET ended_at = now() WHERE session_id = $id", { id: ended.sessionId });
      await expect(changeOwnPassword(c, { sessionId: ended.sessionId, current: FIRST, password: MINE, address: AT })).rejects.toThrow(AccountError);
    });
  });

  it(`locks after ${LOCKOUT_FAILURES} wrong current passwords from one address, as sign-in does, even with the right one`, async () => {
    await withConnection(db, async (c) => {
      const kim = await createUser(c, { email: "kim@school.example", name: "Kim", role: "slt", password: FIRST });
      const { sessionId } = await createSession(c, kim.id);
      const t0 = new Date("2026-12-01T09:00:00Z");
      for (let i = 0; i < LOCKOUT_FAILURES; i++) {
        const r = await changeOwnPassword(c, { sessionId, current: `wrong guess ${i}`, password: MINE, address: AT }, new Date(t0.getTime() + i * 1000));
        expect(r.outcome).toBe("refused");
      }
      const locked = await changeOwnPassword(c, { sessionId, current: FIRST, password: MINE, address: AT }, new Date(t0.getTime() + 10_000));
      expect(locked.outcome).toBe("locked");
      // The sign-in page is locked for that account from that address too: one count.
      expect((await signIn(c, { email: "kim@school.example", password: FIRST, address: AT }, new Date(t0.getTime() + 11_000))).outcome).toBe("locked");
    });
  });

  it("with the right current password: changes it, clears the mark, ends every session and starts a new one for this browser, and is on the audit trail (never the password)", async () => {
    await withConnection(db, async (c) => {
      await createUser(c, { email: "sam@school.example", name: "Sam Head", role: "head", password: "a first passphrase" });
      // The administrator sets a password for Sam: marked for changing.
      await resetPassword(c, "sam@school.example", FIRST, ADMIN, new Date(), true);
      const sam = (await findUserByEmail(c, "sam@school.example"))!;
      expect(sam.mustChangePassword).toBe(true);
      expect((await signIn(c, { email: "sam@school.example", password: FIRST, address: AT })).outcome).toBe("signed_in");
      const here = await createSession(c, sam.id);
      const laptop = await createSession(c, sam.id);
      const phone = await createSession(c, sam.id);
      const result = await changeOwnPassword(c, { sessionId: here.sessionId, current: FIRST, password: MINE, address: AT });
      expect(result).toMatchObject({ outcome: "changed", sessionsEnded: 2, user: { email: "sam@school.example", mustChangePassword: false } });
      // This browser's session is renewed: the id held before the change is ended, the new one is Sam's.
      expect(await readSession(c, here.sessionId)).toBeUndefined();
      if (result.outcome !== "changed") throw new Error("not changed");
      expect(result.session.sessionId).not.toBe(here.sessionId);
      expect((await readSession(c, result.session.sessionId))?.user.email).toBe("sam@school.example");
      expect((await readSession(c, result.session.sessionId))?.csrfToken).toBe(result.session.csrfToken);
      expect(await readSession(c, laptop.sessionId)).toBeUndefined();
      expect(await readSession(c, phone.sessionId)).toBeUndefined();
      expect((await findUserByEmail(c, "sam@school.example"))!.mustChangePassword).toBe(false);
      expect((await signIn(c, { email: "sam@school.example", password: FIRST, address: "10.0.9.7" })).outcome).toBe("refused");
      expect((await signIn(c, { email: "sam@school.example", password: MINE, address: "10.0.9.7" })).outcome).toBe("signed_in");

      const trail = await queryAudit(c, { action: "user_change" });
      const mine = trail.rows.filter((r) => r.target === "sam@school.example");
      expect(mine.map((r) => [r.actor, r.role, r.detail, r.ip])).toEqual([
        ["sam@school.example", "head", "password changed by the user; 2 other sessions ended", AT],
        ["it@school.example", "admin", "password reset (Headteacher); sessions ended; must change it at sign-in", "10.0.0.1"],
      ]);
      for (const row of trail.rows) expect(JSON.stringify(row)).not.toContain(MINE);
    });
  });

  it("an account added with an administrator's password is marked; one reset without the mark is not", async () => {
    await withConnection(db, async (c) => {
      const added = await createUser(c, { email: "new@school.example", name: "New", role: "governor", password: FIRST, mustChangePassword: true }, ADMIN);
      expect(added.mustChangePassword).toBe(true);
      const signedIn = await signIn(c, { email: "new@school.example", password: FIRST, address: AT });
      expect(signedIn.outcome === "signed_in" && signedIn.user.mustChangePassword).toBe(true);
      await resetPassword(c, "new@school.example", MINE, ADMIN);
      expect((await findUserByEmail(c, "new@school.example"))!.mustChangePassword).toBe(false);
    });
  });
});

describe("a file made before the mark", () => {
  it("gets the column on opening, every account unmarked, and the mark works", async () => {
    await withConnection(db, async (c) => {
      await createUser(c, { email: "older@school.example", name: "Older", role: "slt", password: FIRST });
    });
    await copyDatabase(db, old, async (c) => {
      await c.run("ALTER TABLE o.users DROP COLUMN must_change_password");
    });
    await withConnection(old, async (c) => {
      const cols = await queryRows<{ n: number }>(c, "SELECT count(*)::INTEGER AS n FROM pragma_table_info('users') WHERE name = 'must_change_password'");
      expect(cols[0].n).toBe(1);
      expect((await findUserByEmail(c, "older@school.example"))!.mustChangePassword).toBe(false);
      await resetPassword(c, "older@school.example", MINE, ADMIN, new Date(), true);
      expect((await findUserByEmail(c, "older@school.example"))!.mustChangePassword).toBe(true);
    });
  });
});
