/**
 * Accounts, password hashes, sessions and the lockout on a real DuckDB file
 * (analytics/users/store.ts), with the clock moved by hand.
 */
import { afterAll, describe, expect, it } from "vitest";
import { queryRows, withConnection } from "../analytics/db.ts";
import { hashPassword, verifyPassword } from "../analytics/users/password.ts";
import { can, ROLES } from "../analytics/users/roles.ts";
import {
  ADDRESS_LOCKOUT_FAILURES,
  AccountError,
  IDLE_LIMIT_MS,
  LOCKOUT_WINDOW_MS,
  accountsVersion,
  clearLockout,
  listLockouts,
  createDemoAccounts,
  createSession,
  createUser,
  isDemoDatabase,
  readSession,
  resetPassword,
  setDisabled,
  setRole,
  signIn,
} from "../analytics/users/store.ts";
import { queryAudit } from "../analytics/audit.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("users");
afterAll(() => removeDb(db));
const PASSWORD = "a long enough passphrase";
/** The admin making changes, as the Users page passes them. */
const ADMIN = { actor: { email: "it@school.example", name: "Sam Admin" }, role: "admin", ip: "10.0.0.1" };

describe("password hashes", () => {
  it("are salted scrypt with their parameters, and verify only the right password", async () => {
    const a = await hashPassword(PASSWORD);
    const b = await hashPassword(PASSWORD);
    expect(a).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b); // a fresh salt each time
    expect(await verifyPassword(PASSWORD, a)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}!`, a)).toBe(false);
    expect(await verifyPassword(PASSWORD, "scrypt$1$1$1$$")).toBe(false);
    expect(await verifyPassword(PASSWORD, "plain text")).toBe(false);
  });

  it("are all a stored row holds: no column contains the password", async () => {
    await withConnection(db, (c) => createUser(c, { email: "Head@School.example", name: "Jo Head", role: "head", password: PASSWORD }));
    const rows = await withConnection(db, (c) => queryRows(c, "SELECT * FROM users WHERE email = 'head@school.example'"));
    expect(rows).toHaveLength(1);
    for (const value of Object.values(rows[0])) expect(String(value)).not.toContain(PASSWORD);
    expect(String(rows[0].password_hash)).toMatch(/^scrypt\$/);
  });
});

describe("accounts", () => {
  it("refuse short passwords, unknown roles, bad e-mails and duplicates", async () => {
    await withConnection(db, async (c) => {
      await expect(createUser(c, { email: "x@school.example", name: "X", role: "head", password: "elevenchars" })).rejects.toThrow(/at least 12/);
      await expect(createUser(c, { email: "x@school.example", name: "X", role: "caretaker", password: PASSWORD })).rejects.toThrow(AccountError);
      await expect(createUser(c, { email: "not an address", name: "X", role: "slt", password: PASSWORD })).rejects.toThrow(/e-mail/);
      await expect(createUser(c, { email: "HEAD@school.example", name: "Again", role: "slt", password: PASSWORD })).rejects.toThrow(/already/);
    });
  });

  it("change role, and a disabled account can no longer sign in", async () => {
    await withConnection(db, async (c) => {
      await createUser(c, { email: "gov@school.example", name: "Gov", role: "governor", password: PASSWORD });
      const { previous, user } = await setRole(c, "gov@school.example", "slt", ADMIN);
      expect([previous, user.role]).toEqual(["governor", "slt"]);
      expect((await signIn(c, { email: "gov@school.example", password: PASSWORD, address: "10.0.0.9" })).outcome).toBe("signed_in");
      await setDisabled(c, "gov@school.example", true, ADMIN);
      expect((await signIn(c, { email: "gov@school.example", password: PASSWORD, address: "10.0.0.9" })).outcome).toBe("refused");
    });
  });
});

describe("account changes on the audit trail", () => {
  it("records who added an account, changed a role, disabled, enabled and reset a password, their role and from where — never the password", async () => {
    const file = tempDbPath("users-audit");
    try {
      await withConnection(file, async (c) => {
        const CLI = { actor: "sam", role: "CLI", ip: "cli" };
        await createUser(c, { email: "Teacher@school.example", name: "Tia Teacher", role: "governor", password: PASSWORD }, ADMIN);
        await setRole(c, "teacher@school.example", "slt", ADMIN);
        await setDisabled(c, "teacher@school.example", true, CLI);
        await setDisabled(c, "teacher@school.example", false, ADMIN);
        await resetPassword(c, "teacher@school.example", "a brand new passphrase", ADMIN);
        // A refused change records nothing.
        await expect(setRole(c, "teacher@school.example", "caretaker", ADMIN)).rejects.toThrow(AccountError);
        await expect(setDisabled(c, "nobody@school.example", true, ADMIN)).rejects.toThrow(AccountError);
        const { rows, total } = await queryAudit(c);
        expect(total).toBe(5);
        const oldestFirst = [...rows].sort((a, b) => Number(a.id) - Number(b.id));
        expect(oldestFirst.map((r) => [r.actor, r.role, r.action, r.target, r.detail, r.ip])).toEqual([
          ["it@school.example", "admin", "user_add", "teacher@school.example", "added Tia Teacher as Governor", "10.0.0.1"],
          ["it@school.example", "admin", "role_change", "teacher@school.example", "role: Governor → Senior leadership team", "10.0.0.1"],
          ["sam", "CLI", "user_change", "teacher@school.example", "disabled (Senior leadership team); sessions ended", "cli"],
          ["it@school.example", "admin", "user_change", "teacher@school.example", "enabled (Senior leadership team)", "10.0.0.1"],
          ["it@school.example", "admin", "user_change", "teacher@school.example", "password reset (Senior leadership team); sessions ended", "10.0.0.1"],
        ]);
        expect(oldestFirst[0].actor_name).toBe("Sam Admin");
        expect(JSON.stringify(rows)).not.toContain("passphrase");
      });
    } finally {
      removeDb(file);
    }
  });
});

describe("the lockout", () => {
  it("locks one account from one address after 5 failures: the same address still signs in other accounts, the account still signs in elsewhere", async () => {
    // The trial's case: a school whose staff share one public address; one person mistypes six times.
    await withConnection(db, async (c) => {
      await createUser(c, { email: "lead@school.example", name: "Lead", role: "attendance_lead", password: PASSWORD });
      const t0 = Date.parse("2026-11-23T09:00:00Z");
      const at = (minutes: number) => new Date(t0 + minutes * 60_000);
      const school = "203.0.113.10";
      for (let i = 0; i < 5; i++) {
        expect((await signIn(c, { email: "lead@school.example", password: "wrong password!", address: school }, at(i))).outcome).toBe("refused");
      }
      // The sixth, even with the right password: locked until 09:00 + 15 min, from this address.
      expect(await signIn(c, { email: "lead@school.example", password: PASSWORD, address: school }, at(5))).toEqual({
        outcome: "locked",
        retryAfterSeconds: 10 * 60,
        until: "2026-11-23T09:15:00.000Z",
        scope: "account",
      });
      // Everyone else at the school signs in from the same address.
      expect((await signIn(c, { email: "head@school.example", password: PASSWORD, address: school }, at(5))).outcome).toBe("signed_in");
      // Five failures from five addresses lock nothing: nobody can lock an account out from everywhere.
      for (let i = 0; i < 5; i++) await signIn(c, { email: "lead@school.example", password: "wrong password!", address: `10.0.1.${i}` }, at(6));
      expect((await signIn(c, { email: "lead@school.example", password: PASSWORD, address: "10.0.2.1" }, at(6))).outcome).toBe("signed_in");
      // Still locked from the school's address until the first of its five failures is 15 minutes old.
      expect((await signIn(c, { email: "lead@school.example", password: PASSWORD, address: school }, at(14))).outcome).toBe("locked");
      expect((await signIn(c, { email: "lead@school.example", password: PASSWORD, address: school }, new Date(t0 + 15 * 60_000 + 1000))).outcome).toBe(
        "signed_in",
      );
    });
  });

  it("moves the Users page's version on with every failure and when the oldest failure in the window leaves it, not before", async () => {
    // The page cache keeps the Users page while this holds (app/lib/page-version.server.ts).
    const file = tempDbPath("users-version");
    try {
      await withConnection(file, async (c) => {
        await createUser(c, { email: "head@school.example", name: "Head", role: "head", password: PASSWORD });
        const first = new Date("2026-11-23T09:00:00Z");
        const later = new Date("2026-11-23T09:04:00Z");
        await signIn(c, { email: "head@school.example", password: "wrong password!", address: "203.0.113.10" }, first);
        await listLockouts(c, first); // what a Users page made now lists
        const listed = accountsVersion(first.getTime());
        expect(accountsVersion(first.getTime() + LOCKOUT_WINDOW_MS - 1)).toBe(listed);
        // The 09:00 failure leaves the window at 09:15: the page may show another count then.
        expect(accountsVersion(first.getTime() + LOCKOUT_WINDOW_MS)).not.toBe(listed);
        // A failure at 09:04 moves it on at once; the 09:00 one still leaves the window first.
        await signIn(c, { email: "head@school.example", password: "wrong password!", address: "203.0.113.10" }, later);
        const afterSecond = accountsVersion(later.getTime());
        expect(afterSecond).not.toBe(listed);
        expect(accountsVersion(first.getTime() + LOCKOUT_WINDOW_MS - 1)).toBe(afterSecond);
        expect(accountsVersion(first.getTime() + LOCKOUT_WINDOW_MS)).not.toBe(afterSecond);
        // A listing after 09:15 counts from the 09:04 failure: stable until 09:19.
        const quarterPast = new Date(first.getTime() + LOCKOUT_WINDOW_MS + 1000);
        await listLockouts(c, quarterPast);
        const relisted = accountsVersion(quarterPast.getTime());
        expect(accountsVersion(later.getTime() + LOCKOUT_WINDOW_MS - 1)).toBe(relisted);
        expect(accountsVersion(later.getTime() + LOCKOUT_WINDOW_MS)).not.toBe(relisted);
        // A sign-in that succeeds clears failures and an account's change is a write too.
        await signIn(c, { email: "head@school.example", password: PASSWORD, address: "203.0.113.10" }, quarterPast);
        expect(accountsVersion(quarterPast.getTime())).not.toBe(relisted);
        const beforeRole = accountsVersion(quarterPast.getTime());
        await setRole(c, "head@school.example", "slt", ADMIN);
        expect(accountsVersion(quarterPast.getTime())).not.toBe(beforeRole);
      });
    } finally {
      removeDb(file);
    }
  });

  it("is cleared by an administrator at once, on the audit trail; the locks in force are listed", async () => {
    const file = tempDbPath("users-unlock");
    try {
      await withConnection(file, async (c) => {
        await createUser(c, { email: "admin@school.example", name: "Admin", role: "admin", password: PASSWORD });
        const now = new Date("2026-11-23T09:05:00Z");
        for (let i = 0; i < 6; i++) await signIn(c, { email: "admin@school.example", password: "wrong password!", address: "203.0.113.10" }, now);
        expect(await listLockouts(c, now)).toEqual([
          { email: "admin@school.example", address: "203.0.113.10", failures: 5, until: "2026-11-23T09:20:00.000Z" },
        ]);
        expect((await signIn(c, { email: "admin@school.example", password: PASSWORD, address: "203.0.113.10" }, now)).outcome).toBe("locked");
        await expect(clearLockout(c, {}, { actor: "sam", role: "CLI", ip: "cli" })).rejects.toThrow(AccountError);
        expect(await clearLockout(c, { email: "Admin@School.example" }, { actor: "sam", role: "CLI", ip: "cli" })).toBe(5);
        expect(await listLockouts(c, now)).toEqual([]);
        expect((await signIn(c, { email: "admin@school.example", password: PASSWORD, address: "203.0.113.10" }, now)).outcome).toBe("signed_in");
        // Nothing to clear records nothing.
        expect(await clearLockout(c, { address: "198.51.100.1" }, { actor: "sam", role: "CLI", ip: "cli" })).toBe(0);
        const { rows } = await queryAudit(c);
        expect(rows.map((r) => [r.actor, r.role, r.action, r.target, r.detail, r.ip])).toEqual([
          ["sam", "CLI", "sign_in_unlock", "admin@school.example", "cleared 5 failed sign-ins for admin@school.example from every address", "cli"],
        ]);
      });
    } finally {
      removeDb(file);
    }
  });

  it(`locks an address after ${ADDRESS_LOCKOUT_FAILURES} failures across many accounts (password spraying), and not before`, async () => {
    await withConnection(db, async (c) => {
      const t0 = Date.parse("2026-11-23T10:00:00Z");
      const spray = (i: number) => signIn(c, { email: `staff${i}@school.example`, password: "Password1234", address: "192.0.2.7" }, new Date(t0 + i * 1000));
      for (let i = 0; i < ADDRESS_LOCKOUT_FAILURES - 1; i++) expect((await spray(i)).outcome).toBe("refused");
      // One short of the limit: a staff room's worth of typos locks nobody else.
      expect((await signIn(c, { email: "head@school.example", password: PASSWORD, address: "192.0.2.7" }, new Date(t0 + 60_000))).outcome).toBe("signed_in");
      expect((await spray(ADDRESS_LOCKOUT_FAILURES)).outcome).toBe("refused");
      const result = await signIn(c, { email: "head@school.example", password: PASSWORD, address: "192.0.2.7" }, new Date(t0 + 61_000));
      expect(result).toMatchObject({ outcome: "locked", scope: "address" });
      // Another address is not affected.
      expect((await signIn(c, { email: "head@school.example", password: PASSWORD, address: "192.0.2.8" }, new Date(t0 + 61_000))).outcome).toBe("signed_in");
      // Cleared for the address, every account signs in from it again.
      expect(await clearLockout(c, { address: "192.0.2.7" }, ADMIN)).toBe(ADDRESS_LOCKOUT_FAILURES);
      expect((await signIn(c, { email: "head@school.example", password: PASSWORD, address: "192.0.2.7" }, new Date(t0 + 62_000))).outcome).toBe("signed_in");
    });
  });
});

describe("sessions", () => {
  it("expire after 8 hours idle, however the cookie was kept, and activity keeps them alive", async () => {
    await withConnection(db, async (c) => {
      const user = (await signIn(c, { email: "head@school.example", password: PASSWORD, address: "10.0.3.1" })).outcome;
      expect(user).toBe("signed_in");
      const t0 = new Date("2026-11-23T08:00:00Z");
      const [head] = await queryRows<{ user_id: number }>(c, "SELECT user_id FROM users WHERE email = 'head@school.example'");
      const { sessionId } = await createSession(c, head.user_id, t0);
      // Active at 15:00 (7 hours in): alive, and the activity is recorded.
      expect((await readSession(c, sessionId, new Date(t0.getTime() + 7 * 3600_000)))?.user.email).toBe("head@school.example");
      // 14:59 after that last request: still alive.
      expect(await readSession(c, sessionId, new Date(t0.getTime() + 7 * 3600_000 + IDLE_LIMIT_MS - 60_000))).toBeDefined();
      // Then 8 hours with nothing: gone, and it stays gone.
      const late = t0.getTime() + 7 * 3600_000 + IDLE_LIMIT_MS - 60_000 + IDLE_LIMIT_MS;
      expect(await readSession(c, sessionId, new Date(late))).toBeUndefined();
      expect(await readSession(c, sessionId, new Date(late - IDLE_LIMIT_MS))).toBeUndefined();
    });
  });

  it("survive many requests of one session at once (a page's parallel loaders all touch the row)", async () => {
    const t0 = new Date("2026-11-23T08:00:00Z");
    const sessionId = await withConnection(db, async (c) => {
      const [head] = await queryRows<{ user_id: number }>(c, "SELECT user_id FROM users WHERE email = 'head@school.example'");
      return (await createSession(c, head.user_id, t0)).sessionId;
    });
    // Two minutes on, each request is due to record the activity; eight at the same instant,
    // each on its own connection as the app's loaders are.
    const later = new Date(t0.getTime() + 120_000);
    const reads = await Promise.all(Array.from({ length: 8 }, () => withConnection(db, (c) => readSession(c, sessionId, later))));
    expect(reads.map((r) => r?.user.email)).toEqual(Array(8).fill("head@school.example"));
    const [row] = await withConnection(db, (c) =>
      queryRows<{ seen: string }>(c, "SELECT strftime(last_seen_at, '%H:%M') AS seen FROM user_sessions WHERE session_id = $id", { id: sessionId }),
    );
    expect(row.seen).toBe("08:02");
  });

  it("end when the password is reset", async () => {
    await withConnection(db, async (c) => {
      const [head] = await queryRows<{ user_id: number }>(c, "SELECT user_id FROM users WHERE email = 'head@school.example'");
      const { sessionId } = await createSession(c, head.user_id);
      expect(await readSession(c, sessionId)).toBeDefined();
      await resetPassword(c, "head@school.example", "another long passphrase", ADMIN);
      expect(await readSession(c, sessionId)).toBeUndefined();
    });
  });
});

describe("demo accounts", () => {
  it("are made only in a database marked as the demo school, once", async () => {
    const plain = tempDbPath("users-plain");
    try {
      expect(await withConnection(plain, (c) => createDemoAccounts(c, () => "generated password 1"))).toEqual([]);
      await withConnection(plain, (c) => c.run("INSERT INTO key_values VALUES ('meta', 'demo_school', '2026-11-23')"));
      expect(await withConnection(plain, (c) => isDemoDatabase(c))).toBe(true);
      const made = await withConnection(plain, (c) => createDemoAccounts(c, () => "generated password 1"));
      expect(made.map((a) => a.role)).toEqual([...ROLES]);
      expect(await withConnection(plain, (c) => createDemoAccounts(c, () => "generated password 2"))).toEqual([]);
    } finally {
      await removeDb(plain);
    }
  });
});

describe("roles", () => {
  it("give governors aggregates only, leaders pupils, data leads imports and settings, admin users", () => {
    expect(can("governor", "view_aggregates") && can("governor", "view_fgb_pack") && can("governor", "view_benchmarks")).toBe(true);
    for (const p of ["view_pupils", "view_slt_pack", "import", "amend", "change_settings", "manage_users"] as const) expect(can("governor", p)).toBe(false);
    expect(can("slt", "view_pupils") && !can("slt", "import") && !can("slt", "change_settings")).toBe(true);
    for (const role of ["attendance_lead", "head", "admin"]) {
      for (const p of ["import", "amend", "record_interventions", "change_settings"] as const) expect(can(role, p)).toBe(true);
    }
    expect(ROLES.filter((r) => can(r, "manage_users"))).toEqual(["admin"]);
    expect(can("caretaker", "view_aggregates")).toBe(false);
  });
});
