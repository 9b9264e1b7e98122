/**
 * Accounts, sessions and the sign-in lockout, in the school's DuckDB file.
 *
 * - Accounts: e-mail (stored lower-case, unique), name, role, scrypt hash; disabled accounts
 *   are kept (their name stays on the audit trail) but cannot sign in.
 * - Sessions: a random id in a signed cookie; a session ends when signed out, when the
 *   account is disabled or its password reset, or after IDLE_LIMIT_MS without a request.
 * - Lockout (sign-in throttling): 5 failed sign-ins for one e-mail from one address within
 *   15 minutes lock that e-mail from that address only; 30 from one address, whatever the
 *   e-mails, lock that address (password spraying). Each lifts once fewer than 5 (or 30) of
 *   its failures are inside the last 15 minutes — 15 minutes after the first of the five that
 *   set it — or when an administrator clears it (the Users page or `rollcall users unlock`, clearLockout).
 *
 * Times are UTC, stored as TIMESTAMP; every function takes `now` so tests can move the clock.
 *
 * - Changing one's own password (changeOwnPassword, the Account page): the current password is
 *   checked as a sign-in is, a wrong one counting towards the same lockout; other sessions end.
 *   A password an administrator set (the Users page, `rollcall users reset-password`) marks the
 *   account "must change password" until its holder chooses their own.
 *
 * Every change to an account (added, role changed, disabled, enabled, password reset or changed) is
 * written to the audit trail with who made it, their role and from where, in the same
 * transaction as the change (issue 9, item 5): the CLI and the Users page pass `by`.
 */
import { randomBytes } from "node:crypto";
import { listValue } from "@duckdb/node-api";
import { inTransaction, queryOne, queryRows, tableExists, type Connection } from "../db.ts";
import { MIN_PASSWORD_LENGTH, decoyHash, hashPassword, verifyPassword } from "./password.ts";
import { ROLES, isRole, roleLabel, type Role } from "./roles.ts";

/** The demo accounts' names after "Demo ": each role as a person is called ("Demo slt" read as a typo). */
const DEMO_NAMES: Record<Role, string> = {
  governor: "governor",
  slt: "SLT member",
  attendance_lead: "attendance lead",
  head: "headteacher",
  admin: "administrator",
};
import { USERS_DDL } from "./schema.ts";
import { recordAudit, type AuditAction, type AuditActor } from "../audit.ts";
import { keepMeta } from "../key-values.ts";

/** Sessions end after 8 hours without a request (issue 9). */
export const IDLE_LIMIT_MS = 8 * 60 * 60 * 1000;
/** last_seen_at is written at most once a minute per session, not on every request. */
const TOUCH_EVERY_MS = 60 * 1000;
/**
 * Failures for one account from one address that lock that account from that address. Counted
 * per account-and-address, not per account alone: a lock per account lets anyone who knows
 * (or guesses) an e-mail lock its owner out from everywhere (OWASP Testing Guide, "Testing for
 * DoS Locking Customer Accounts"), and a lock per address alone let one person's typos lock
 * every account of a school whose staff share one public address.
 */
export const LOCKOUT_FAILURES = 5;
/**
 * Failures from one address, whatever the accounts, that lock the address: far above what a
 * staff room's typos reach, only against password spraying (a few common passwords tried on
 * many accounts, which a per-account count never sees).
 */
export const ADDRESS_LOCKOUT_FAILURES = 30;
export const LOCKOUT_WINDOW_MS = 15 * 60 * 1000;

export class AccountError extends Error {
  override name = "AccountError";
}

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  /** The password was set by an administrator: its holder is sent to change it at sign-in. */
  mustChangePassword: boolean;
}

/** Who changed an account, for the audit trail: the signed-in admin, or the CLI's user. */
export interface ChangedBy {
  actor: AuditActor;
  /** Their role (`admin`), or `CLI`. */
  role: string;
  /** The client's address, or `cli`. */
  ip?: string | null;
}

/** Appends the change's audit row (inside the caller's transaction). Never records a password. */
function auditChange(connection: Connection, by: ChangedBy, action: AuditAction, email: string, detail: string): Promise<void> {
  return recordAudit(connection, { actor: by.actor, role: by.role, ip: by.ip ?? null, action, target: email, detail });
}

/** TIMESTAMP text for a JS date, in UTC. */
export function sqlTime(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

/**
 * What the Users page shows can change without a commit (a refused sign-in's failure, a
 * success clearing them) and with time alone (a failure leaving the 15-minute window lifts or
 * shortens a lock): `writes` counts this process's writes to the accounts and the failures
 * (every copy of this module: the web bundle and a CLI command relayed through tsx share it on
 * the process; the server is the file's only writer while it runs), and `stableUntil` is when
 * the oldest failure in the window, as the last listing of lockouts found it at `writes` =
 * `stableWrites`, leaves it (ms since the epoch; Infinity with none).
 */
interface AccountsState {
  writes: number;
  stableWrites: number;
  stableUntil: number;
}
const ACCOUNTS_STATE = Symbol.for("rollcall.analytics.users.accountsState");
const accountsState = ((globalThis as Record<symbol, unknown>)[ACCOUNTS_STATE] ??= { writes: 0, stableWrites: -1, stableUntil: Infinity }) as AccountsState;

/**
 * Called on every write to `users` or `sign_in_failures`: once it has returned, or inside its
 * transaction (whose commit drops every kept page anyway, analytics/db.ts onDataChanged).
 * `failedAt`: the time of a failure it added, which may be the window's new oldest; a write
 * that removes failures can only put the next change later, so the one known stays (at worst
 * early: a page made again for nothing, never one kept past a change).
 */
function accountsWritten(failedAt?: Date): void {
  const known = accountsState.stableWrites === accountsState.writes;
  accountsState.writes += 1;
  if (!known) return;
  accountsState.stableWrites = accountsState.writes;
  if (failedAt) accountsState.stableUntil = Math.min(accountsState.stableUntil, failedAt.getTime() + LOCKOUT_WINDOW_MS);
}

/**
 * The version of what the Users page shows (listUsers, listLockouts) at `nowMs`: while it is
 * the same, so are they (app/lib/page-version.server.ts keeps the page by it). It moves on with
 * every write to the accounts or the failures, and when the oldest failure in the lockout
 * window leaves it; until a listing has first counted the failures (after start-up), it says
 * so ("?"), and that listing moves it on.
 */
export function accountsVersion(nowMs = Date.now()): string {
  const { writes, stableWrites, stableUntil } = accountsState;
  if (stableWrites !== writes) return `${writes}|?`;
  return `${writes}|${stableUntil}|${nowMs >= stableUntil ? "passed" : "before"}`;
}

/**
 * inTransaction for a write to the accounts or the sign-in failures: kept Users pages see it at
 * once (accountsVersion), and its commit drops every kept page too.
 */
function accountsTransaction<T>(connection: Connection, work: () => Promise<T>): Promise<T> {
  return inTransaction(connection, async () => {
    accountsWritten();
    return work();
  });
}

/** The tables USERS_DDL makes. */
const USER_TABLES = ["users", "user_sessions", "sign_in_failures"] as const;

/**
 * Creates the sign-in tables if this database file predates them. Every read and write of
 * accounts, sessions and lockouts calls it, so the check is a cached read (tableExists: from
 * memory in the web server) and the DDL runs only when a table is missing: running the four
 * CREATE … IF NOT EXISTS statements every time had cost the Users page eight DuckDB round trips
 * a view (issue 11, item 4).
 */
export async function ensureUserTables(connection: Connection): Promise<void> {
  for (const table of USER_TABLES) {
    if (!(await tableExists(connection, table))) {
      for (const statement of USERS_DDL) await connection.run(statement);
      return;
    }
  }
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkAccountInput(input: { email?: string; name?: string; role?: string; password?: string }): void {
  if (input.email !== undefined && !EMAIL.test(normaliseEmail(input.email))) throw new AccountError(`"${input.email}" is not an e-mail address`);
  if (input.name !== undefined && input.name.trim() === "") throw new AccountError("a name is required");
  if (input.role !== undefined && !isRole(input.role)) throw new AccountError(`"${input.role}" is not a role: use one of ${ROLES.join(", ")}`);
  if (input.password !== undefined && [...input.password].length < MIN_PASSWORD_LENGTH) {
    throw new AccountError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
}

interface UserRow extends Record<string, string | number | boolean | null> {
  user_id: number;
  email: string;
  name: string;
  role: string;
  created_at: string;
  disabled_at: string | null;
  must_change_password: boolean | null;
}

function toUser(row: UserRow): User {
  return {
    id: row.user_id,
    email: row.email,
    name: row.name,
    role: isRole(row.role) ? row.role : "governor",
    disabled: row.disabled_at !== null,
    createdAt: row.created_at,
    mustChangePassword: row.must_change_password === true,
  };
}

const USER_COLUMNS =
  "user_id, email, name, role, created_at::VARCHAR AS created_at, disabled_at::VARCHAR AS disabled_at, coalesce(must_change_password, false) AS must_change_password";

/**
 * Adds an account. Throws AccountError for a bad e-mail, empty name, unknown role, a password
 * under 12 characters, or an e-mail already in use. `mustChangePassword`: the password was
 * chosen by an administrator for someone else (the Users page), so its holder is asked to
 * change it at sign-in.
 */
export async function createUser(
  connection: Connection,
  input: { email: string; name: string; role: string; password: string; mustChangePassword?: boolean },
  by?: ChangedBy,
  now = new Date(),
): Promise<User> {
  checkAccountInput(input);
  await ensureUserTables(connection);
  const email = normaliseEmail(input.email);
  if (await findUserByEmail(connection, email)) throw new AccountError(`there is already an account for ${email}`);
  const hash = await hashPassword(input.password);
  return accountsTransaction(connection, async () => {
    const row = await queryOne<UserRow>(
      connection,
      `INSERT INTO users (email, name, role, password_hash, created_at, password_changed_at, must_change_password)
       VALUES ($email, $name, $role, $hash, $now::TIMESTAMP, $now::TIMESTAMP, $must)
       RETURNING ${USER_COLUMNS}`,
      { email, name: input.name.trim(), role: input.role, hash, now: sqlTime(now), must: input.mustChangePassword === true },
    );
    const user = toUser(row!);
    const told = user.mustChangePassword ? "; must change the password at sign-in" : "";
    if (by) await auditChange(connection, by, "user_add", user.email, `added ${user.name} as ${roleLabel(user.role)}${told}`);
    return user;
  });
}

export async function findUserByEmail(connection: Connection, email: string): Promise<User | undefined> {
  await ensureUserTables(connection);
  const row = await queryOne<UserRow>(connection, `SELECT ${USER_COLUMNS} FROM users WHERE email = $email`, { email: normaliseEmail(email) });
  return row ? toUser(row) : undefined;
}

export async function findUserById(connection: Connection, id: number): Promise<User | undefined> {
  await ensureUserTables(connection);
  const row = await queryOne<UserRow>(connection, `SELECT ${USER_COLUMNS} FROM users WHERE user_id = $id`, { id });
  return row ? toUser(row) : undefined;
}

/** Every account, enabled first, then by role and name. */
export async function listUsers(connection: Connection): Promise<User[]> {
  await ensureUserTables(connection);
  const rows = await queryRows<UserRow>(connection, `SELECT ${USER_COLUMNS} FROM users ORDER BY disabled_at IS NOT NULL, role, name, email`);
  return rows.map(toUser);
}

/**
 * The accounts with a live session at `now` (not ended, used within IDLE_LIMIT_MS), enabled and
 * not asked to change their password, most recently active first, at most `limit`: { userId,
 * role } each (role as stored). What the web server's warm-up makes each account's own pages
 * for (app/lib/warm-up-opened.server.ts): the people who may open them next without signing in.
 */
export async function liveSessionAccounts(connection: Connection, limit: number, now = new Date()): Promise<Array<{ userId: number; role: string }>> {
  await ensureUserTables(connection);
  const rows = await queryRows<{ user_id: number; role: string }>(
    connection,
    `SELECT u.user_id, u.role
     FROM user_sessions s JOIN users u USING (user_id)
     WHERE s.ended_at IS NULL AND s.last_seen_at > $since::TIMESTAMP AND u.disabled_at IS NULL AND NOT coalesce(u.must_change_password, false)
     GROUP BY u.user_id, u.role
     ORDER BY max(s.last_seen_at) DESC, u.user_id
     LIMIT $limit`,
    { since: sqlTime(new Date(now.getTime() - IDLE_LIMIT_MS)), limit },
  );
  return rows.map((row) => ({ userId: Number(row.user_id), role: row.role }));
}

/**
 * True when the database has at least one enabled account (a new school's has none until an
 * administrator adds the first with `rollcall users add`: the sign-in page and `npm start` say so).
 */
export async function hasEnabledAccount(connection: Connection): Promise<boolean> {
  await ensureUserTables(connection);
  return (await queryOne(connection, "SELECT 1 AS yes FROM users WHERE disabled_at IS NULL LIMIT 1")) !== undefined;
}

async function requireAccount(connection: Connection, email: string): Promise<User> {
  const user = await findUserByEmail(connection, email);
  if (!user) throw new AccountError(`there is no account for ${normaliseEmail(email)}`);
  return user;
}

/**
 * Changes an account's role; takes effect on its next request. Returns the role it had.
 * Audited as `role_change` ("role: governor → slt"). Throws AccountError for an unknown
 * role or account.
 */
export async function setRole(connection: Connection, email: string, role: string, by: ChangedBy): Promise<{ user: User; previous: Role }> {
  checkAccountInput({ role });
  const user = await requireAccount(connection, email);
  await accountsTransaction(connection, async () => {
    await connection.run("UPDATE users SET role = $role WHERE user_id = $id", { role, id: user.id });
    await auditChange(connection, by, "role_change", user.email, `role: ${roleLabel(user.role)} → ${roleLabel(role)}`);
  });
  return { user: { ...user, role: role as Role }, previous: user.role };
}

/** Disables (or re-enables) an account; disabling ends its sessions at once. Audited as `user_change`. */
export async function setDisabled(connection: Connection, email: string, disabled: boolean, by: ChangedBy, now = new Date()): Promise<User> {
  const user = await requireAccount(connection, email);
  await accountsTransaction(connection, async () => {
    await connection.run("UPDATE users SET disabled_at = CASE WHEN $disabled THEN $now::TIMESTAMP ELSE NULL END WHERE user_id = $id", {
      disabled,
      now: sqlTime(now),
      id: user.id,
    });
    if (disabled) await endUserSessions(connection, user.id, now);
    await auditChange(connection, by, "user_change", user.email, disabled ? `disabled (${roleLabel(user.role)}); sessions ended` : `enabled (${roleLabel(user.role)})`);
  });
  return { ...user, disabled };
}

/**
 * Sets a new password (at least 12 characters) and ends the account's sessions. Audited as
 * `user_change` (never the password). `mustChange`: an administrator chose it for someone
 * else, so the account is marked to be sent to change it at sign-in (cleared by
 * changeOwnPassword); false clears the mark (the holder set their own, e.g. at the CLI).
 */
export async function resetPassword(connection: Connection, email: string, password: string, by: ChangedBy, now = new Date(), mustChange = false): Promise<User> {
  checkAccountInput({ password });
  const user = await requireAccount(connection, email);
  const hash = await hashPassword(password);
  await accountsTransaction(connection, async () => {
    await connection.run("UPDATE users SET password_hash = $hash, password_changed_at = $now::TIMESTAMP, must_change_password = $must WHERE user_id = $id", {
      hash,
      now: sqlTime(now),
      id: user.id,
      must: mustChange,
    });
    await endUserSessions(connection, user.id, now);
    const told = mustChange ? "; must change it at sign-in" : "";
    await auditChange(connection, by, "user_change", user.email, `password reset (${roleLabel(user.role)}); sessions ended${told}`);
  });
  return { ...user, mustChangePassword: mustChange };
}

export type ChangeOwnPasswordResult =
  | { outcome: "changed"; user: User; sessionsEnded: number; session: { sessionId: string; csrfToken: string } }
  | { outcome: "refused"; left: FailuresLeft }
  | { outcome: "locked"; retryAfterSeconds: number; until: string; scope: LockScope };

/**
 * A signed-in user changes their own password (the Account page). `sessionId`: the request's
 * session, which must be live and its account enabled (else AccountError: sign in again); the
 * account is the session's, never one named by the form. `address`: the client's, as signIn
 * takes it.
 *
 * - A new password under 12 characters: AccountError, before anything else is looked at.
 * - The current password is checked as signIn checks it, under the same lockout (lockoutWait:
 *   5 failures for the account from the address, or 30 from the address, in 15 minutes): a
 *   wrong one is `refused` and recorded in sign_in_failures like a failed sign-in, so guessing
 *   it from a session left open costs what guessing at the sign-in page does; while locked,
 *   `locked` with the wait, even with the right password.
 * - Changed: the new hash, password_changed_at = now, the "must change" mark cleared, every
 *   session of the account ended — this one too — and a new one started for this browser
 *   (`session`: its id for the cookie and its CSRF token), so no session id known before the
 *   change outlives it; that e-mail's failures from the address cleared (as a sign-in does), and
 *   a `user_change` audit row by the user ("password changed by the user; N other sessions
 *   ended", N not counting this browser's, never the password), all in one transaction.
 */
export async function changeOwnPassword(
  connection: Connection,
  input: { sessionId: string; current: string; password: string; address: string },
  now = new Date(),
): Promise<ChangeOwnPasswordResult> {
  checkAccountInput({ password: input.password });
  await ensureUserTables(connection);
  const row = await queryOne<UserRow & { password_hash: string }>(
    connection,
    `SELECT u.user_id, u.email, u.name, u.role, u.created_at::VARCHAR AS created_at, u.disabled_at::VARCHAR AS disabled_at,
            coalesce(u.must_change_password, false) AS must_change_password, u.password_hash
     FROM user_sessions s JOIN users u USING (user_id)
     WHERE s.session_id = $id AND s.ended_at IS NULL AND u.disabled_at IS NULL`,
    { id: input.sessionId },
  );
  if (!row) throw new AccountError("your session has ended: sign in again to change your password");
  const user = toUser(row);
  const wait = await lockoutWait(connection, user.email, input.address, now);
  if (wait.seconds > 0) return { outcome: "locked", retryAfterSeconds: wait.seconds, until: wait.until, scope: wait.scope };
  if (!(await verifyPassword(input.current, row.password_hash))) {
    await recordSignInFailure(connection, user.email, input.address, now);
    return { outcome: "refused", left: await failuresLeft(connection, user.email, input.address, now) };
  }
  const hash = await hashPassword(input.password);
  const by: ChangedBy = { actor: { email: user.email, name: user.name }, role: user.role, ip: input.address };
  const changed = await accountsTransaction(connection, async () => {
    await connection.run(
      "UPDATE users SET password_hash = $hash, password_changed_at = $now::TIMESTAMP, must_change_password = false WHERE user_id = $id",
      { hash, now: sqlTime(now), id: user.id },
    );
    // Every session ends, this one too, and this browser gets a new one: a session id that was
    // known before the change (seen over a shoulder, fixed by an attacker before sign-in) is
    // worth nothing after it (OWASP Session Management: renew the id on a privilege or
    // credential change).
    const n = (await endUserSessions(connection, user.id, now)) - 1;
    const session = await insertSession(connection, user.id, now);
    await clearSignInFailures(connection, user.email, input.address);
    await auditChange(connection, by, "user_change", user.email, `password changed by the user; ${n} other session${n === 1 ? "" : "s"} ended`);
    return { n, session };
  });
  return { outcome: "changed", user: { ...user, mustChangePassword: false }, sessionsEnded: changed.n, session: changed.session };
}

// ── Sign-in and lockout ─────────────────────────────────────────────────────────────────

export type LockScope = "account" | "address";

export type SignInResult =
  | { outcome: "signed_in"; user: User }
  | { outcome: "refused"; user?: User; left: FailuresLeft }
  | { outcome: "locked"; retryAfterSeconds: number; until: string; scope: LockScope };

/** How many more failures a lock allows (`failures`, 1 on the last try before it) and which lock it is. */
export interface FailuresLeft {
  failures: number;
  scope: LockScope;
}

/**
 * How many more failed sign-ins for this e-mail from this address, inside the 15 minutes, set a
 * lock (lockoutWait's two rules): the fewer of LOCKOUT_FAILURES less this e-mail's failures from
 * the address and ADDRESS_LOCKOUT_FAILURES less the address's, with the lock it would be
 * (`account` when both are as near). Counted for any e-mail, an account's or not, so what it
 * says (the sign-in page's warning on the last try) tells nothing of which accounts exist.
 */
export async function failuresLeft(connection: Connection, email: string, address: string, now = new Date()): Promise<FailuresLeft> {
  const since = sqlTime(new Date(now.getTime() - LOCKOUT_WINDOW_MS));
  const row = await queryOne<{ account: number; address: number }>(
    connection,
    `SELECT count(*) FILTER (WHERE email = $email)::INTEGER AS account, count(*)::INTEGER AS address
     FROM sign_in_failures WHERE address = $address AND failed_at > $since::TIMESTAMP`,
    { email: normaliseEmail(email), address, since },
  );
  const account = LOCKOUT_FAILURES - (row?.account ?? 0);
  const spray = ADDRESS_LOCKOUT_FAILURES - (row?.address ?? 0);
  return spray < account ? { failures: Math.max(spray, 0), scope: "address" } : { failures: Math.max(account, 0), scope: "account" };
}

/**
 * How long a sign-in for this e-mail from this address must wait: `seconds` 0 when neither
 * this e-mail has LOCKOUT_FAILURES (5) failures from this address, nor the address has
 * ADDRESS_LOCKOUT_FAILURES (30) failures for any e-mails, inside the last 15 minutes. `scope`
 * says which lock holds (the longer wait when both do); `until`, the ISO instant (UTC) it lifts,
 * as listLockouts gives it (now when nothing holds), so every place that says when a lock lifts
 * starts from the same instant (lockout-words.ts lockoutLiftsAt).
 */
export async function lockoutWait(connection: Connection, email: string, address: string, now = new Date()): Promise<{ seconds: number; until: string; scope: LockScope }> {
  await ensureUserTables(connection);
  const since = sqlTime(new Date(now.getTime() - LOCKOUT_WINDOW_MS));
  let wait = { seconds: 0, until: now.toISOString(), scope: "account" as LockScope };
  for (const lock of [
    { scope: "account" as const, where: "email = $email AND address = $address", limit: LOCKOUT_FAILURES },
    { scope: "address" as const, where: "address = $address", limit: ADDRESS_LOCKOUT_FAILURES },
  ]) {
    // The limit-th most recent failure in the window: the lock lifts 15 minutes after it.
    const row = await queryOne<{ t: string | null }>(
      connection,
      `SELECT strftime(failed_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS t FROM sign_in_failures
       WHERE ${lock.where} AND failed_at > $since::TIMESTAMP
       ORDER BY failed_at DESC LIMIT 1 OFFSET ${lock.limit - 1}`,
      lock.scope === "account" ? { email: normaliseEmail(email), address, since } : { address, since },
    );
    const until = row?.t ? Date.parse(row.t) + LOCKOUT_WINDOW_MS : now.getTime();
    const seconds = Math.ceil((until - now.getTime()) / 1000);
    if (seconds > wait.seconds) wait = { seconds, until: new Date(until).toISOString(), scope: lock.scope };
  }
  return wait;
}

/**
 * Checks an e-mail and password. Refused when the account is unknown, disabled or the
 * password is wrong (one answer for all three, so it cannot be used to find accounts; an
 * unknown e-mail still costs one scrypt). Locked while lockoutWait says so, even with the
 * right password. A failure is recorded with the e-mail and address; a success clears that
 * e-mail's failures from that address. A refusal says how many more failures lock (`left`,
 * failuresLeft: the same for an unknown e-mail as for an account's).
 */
export async function signIn(connection: Connection, input: { email: string; password: string; address: string }, now = new Date()): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  const wait = await lockoutWait(connection, email, input.address, now);
  if (wait.seconds > 0) return { outcome: "locked", retryAfterSeconds: wait.seconds, until: wait.until, scope: wait.scope };
  const row = await queryOne<UserRow & { password_hash: string }>(connection, `SELECT ${USER_COLUMNS}, password_hash FROM users WHERE email = $email`, {
    email,
  });
  const matches = await verifyPassword(input.password, row?.password_hash ?? (await decoyHash()));
  if (row && matches && row.disabled_at === null) {
    await clearSignInFailures(connection, email, input.address);
    accountsWritten();
    return { outcome: "signed_in", user: toUser(row) };
  }
  await recordSignInFailure(connection, email, input.address, now);
  return { outcome: "refused", user: row ? toUser(row) : undefined, left: await failuresLeft(connection, email, input.address, now) };
}

/** A lock in force: an account from an address (`email` set), or a whole address (`email` null). */
export interface Lockout {
  email: string | null;
  address: string;
  failures: number;
  /** ISO instant (UTC) the lock lifts by itself. */
  until: string;
}

/** The locks in force now, longest-lasting first (what `rollcall users unlock` can clear). */
export async function listLockouts(connection: Connection, now = new Date()): Promise<Lockout[]> {
  await ensureUserTables(connection);
  const writes = accountsState.writes;
  const since = sqlTime(new Date(now.getTime() - LOCKOUT_WINDOW_MS));
  // When the listing can next change by time alone: the oldest failure in the window leaves it.
  const oldest = await queryOne<{ t: string | null }>(
    connection,
    "SELECT strftime(min(failed_at), '%Y-%m-%dT%H:%M:%S.%gZ') AS t FROM sign_in_failures WHERE failed_at > $since::TIMESTAMP",
    { since },
  );
  const rows = await queryRows<{ email: string | null; address: string; failures: number; nth: string }>(
    connection,
    `WITH recent AS (SELECT * FROM sign_in_failures WHERE failed_at > $since::TIMESTAMP),
     per_account AS (
       SELECT email, address, count(*) OVER w AS failures, row_number() OVER w AS n, failed_at FROM recent
       WINDOW w AS (PARTITION BY email, address ORDER BY failed_at DESC ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)),
     per_address AS (
       SELECT NULL::VARCHAR AS email, address, count(*) OVER w AS failures, row_number() OVER w AS n, failed_at FROM recent
       WINDOW w AS (PARTITION BY address ORDER BY failed_at DESC ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
     SELECT email, address, failures::INTEGER AS failures, strftime(failed_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS nth FROM per_account WHERE n = $account
     UNION ALL
     SELECT email, address, failures::INTEGER, strftime(failed_at, '%Y-%m-%dT%H:%M:%S.%gZ') FROM per_address WHERE n = $spray
     ORDER BY 4 DESC, 2, 1`,
    { since, account: LOCKOUT_FAILURES, spray: ADDRESS_LOCKOUT_FAILURES },
  );
  // Only a listing no write came during says what the failures are at `writes` (accountsVersion).
  if (accountsState.writes === writes) {
    accountsState.stableWrites = writes;
    accountsState.stableUntil = oldest?.t ? Date.parse(oldest.t) + LOCKOUT_WINDOW_MS : Infinity;
  }
  return rows.map((r) => ({ email: r.email, address: r.address, failures: r.failures, until: new Date(Date.parse(r.nth) + LOCKOUT_WINDOW_MS).toISOString() }));
}

/**
 * An administrator clears a lockout: forgets the failed sign-ins for `email` (from every
 * address, or from `address` only), or from `address` (for every e-mail), so the lock they
 * set lifts at once. Returns how many failures were forgotten. Audited as `sign_in_unlock`
 * (in the same transaction) when any were. Throws AccountError when neither is given.
 */
export async function clearLockout(connection: Connection, target: { email?: string; address?: string }, by: ChangedBy): Promise<number> {
  if (!target.email && !target.address) throw new AccountError("say whose lockout to clear: an e-mail, an address, or both");
  await ensureUserTables(connection);
  const email = target.email ? normaliseEmail(target.email) : null;
  const address = target.address ?? null;
  return accountsTransaction(connection, async () => {
    const where = "($email::VARCHAR IS NULL OR email = $email) AND ($address::VARCHAR IS NULL OR address = $address)";
    const row = await queryOne<{ n: number }>(connection, `SELECT count(*)::INTEGER AS n FROM sign_in_failures WHERE ${where}`, { email, address });
    await connection.run(`DELETE FROM sign_in_failures WHERE ${where}`, { email, address });
    const cleared = row?.n ?? 0;
    if (cleared > 0) {
      const scope = email && address ? `${email} from ${address}` : email ? `${email} from every address` : `every account from ${address}`;
      await recordAudit(connection, {
        actor: by.actor,
        role: by.role,
        ip: by.ip ?? null,
        action: "sign_in_unlock",
        target: email ?? address!,
        detail: `cleared ${cleared} failed sign-in${cleared === 1 ? "" : "s"} for ${scope}`,
      });
    }
    return cleared;
  });
}

/**
 * What clearing a lockout did, in words for the CLI and the Users page alike: "Cleared 5
 * failed sign-ins for head@school.example from 127.0.0.1: it can sign in again." (`cleared`
 * as clearLockout returns it; the e-mail shown as stored, lower-case).
 */
export function unlockMessage(cleared: number, target: { email?: string | null; address?: string | null }): string {
  const whose = [target.email ? `for ${normaliseEmail(target.email)}` : "", target.address ? `from ${target.address}` : ""].filter(Boolean).join(" ");
  return cleared === 0
    ? `No failed sign-ins recorded ${whose}: nothing was locked.`
    : `Cleared ${cleared} failed sign-in${cleared === 1 ? "" : "s"} ${whose}: it can sign in again.`;
}

/** The lockout rule in words (CLI help, the Users page): from LOCKOUT_FAILURES, ADDRESS_LOCKOUT_FAILURES and LOCKOUT_WINDOW_MS. */
export const LOCKOUT_RULE = `Sign-in locks after ${LOCKOUT_FAILURES} failures for one account from one address, or ${ADDRESS_LOCKOUT_FAILURES} from one address, within ${LOCKOUT_WINDOW_MS / 60_000} minutes`;

// ── Sessions ────────────────────────────────────────────────────────────────────────────

export interface SessionRecord {
  sessionId: string;
  csrfToken: string;
  user: User;
}

const randomToken = () => randomBytes(32).toString("base64url");

/** Starts a session for a signed-in user. Returns its id (for the cookie) and CSRF token. */
export async function createSession(connection: Connection, userId: number, now = new Date()): Promise<{ sessionId: string; csrfToken: string }> {
  await ensureUserTables(connection);
  return insertSession(connection, userId, now);
}

/** A new session row for the user (the tables exist): a random id and CSRF token. */
async function insertSession(connection: Connection, userId: number, now: Date): Promise<{ sessionId: string; csrfToken: string }> {
  const session = { sessionId: randomToken(), csrfToken: randomToken() };
  await connection.run(
    "INSERT INTO user_sessions VALUES ($id, $user, $csrf, $now::TIMESTAMP, $now::TIMESTAMP, NULL)",
    { id: session.sessionId, user: userId, csrf: session.csrfToken, now: sqlTime(now) },
  );
  return session;
}

/**
 * The live session with this id and its (enabled) user, or undefined when it is unknown,
 * signed out, idle for 8 hours or more, or its account is disabled. Records the activity.
 */
export async function readSession(connection: Connection, sessionId: string, now = new Date()): Promise<SessionRecord | undefined> {
  return (await readSessions(connection, [sessionId], now)).get(sessionId);
}

/**
 * readSession for several sessions in one statement: each id (duplicates read once) to its live
 * session and (enabled) user, or to undefined when it is unknown, signed out, idle for 8 hours or
 * more (then ended, as readSession ends it) or its account is disabled; the activity of each live
 * one recorded, those due a touch in one UPDATE. For the web server's checks of sessions that
 * come at once (app/lib/auth.server.ts): a statement costs DuckDB's parsing, planning and
 * scheduling whatever it reads, ≈ 2 ms of CPU for one session's row on this machine, so 50
 * readers signing in together had cost 100–150 ms of it one session at a time, about 5 in two
 * statements of 25.
 */
export async function readSessions(connection: Connection, sessionIds: readonly string[], now = new Date()): Promise<Map<string, SessionRecord | undefined>> {
  const ids = [...new Set(sessionIds)];
  const found = new Map<string, SessionRecord | undefined>(ids.map((id) => [id, undefined]));
  if (ids.length === 0) return found;
  // No ensureUserTables here: a session exists only where createSession made the tables, and
  // the web app makes them once at start (app/lib/db.server.ts prepare). Read on every request,
  // the five CREATE … IF NOT EXISTS statements cost more than the session read itself.
  const rows = await queryRows<UserRow & { session_id: string; csrf_token: string; last_seen: string }>(
    connection,
    `SELECT s.session_id, s.csrf_token, strftime(s.last_seen_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS last_seen,
            u.user_id, u.email, u.name, u.role, u.created_at::VARCHAR AS created_at, u.disabled_at::VARCHAR AS disabled_at,
            coalesce(u.must_change_password, false) AS must_change_password
     FROM user_sessions s JOIN users u USING (user_id)
     WHERE list_contains($ids, s.session_id) AND s.ended_at IS NULL AND u.disabled_at IS NULL`,
    { ids: listValue(ids) },
  );
  const touch: string[] = [];
  const idleOnes: string[] = [];
  for (const row of rows) {
    const idle = now.getTime() - Date.parse(row.last_seen);
    // Ended below, all in one statement: a morning's readers each back with yesterday's session
    // had ended theirs one by one, 41 statements for 10 ahead of every live reader (review 54).
    if (idle >= IDLE_LIMIT_MS) {
      idleOnes.push(row.session_id);
      continue;
    }
    if (idle >= TOUCH_EVERY_MS) touch.push(row.session_id);
    found.set(row.session_id, { sessionId: row.session_id, csrfToken: row.csrf_token, user: toUser(row) });
  }
  // An idle session is refused whether or not its end is written now: one a sign-out or an
  // administrator is ending at the same instant (a write conflict) is ended by them, and the
  // conflict must not fail the other readers of the batch (review 54).
  await eachTogether(idleOnes, (ids) => endSessions(connection, ids, now));
  await eachTogether(touch, (ids) => touchSessions(connection, ids, now));
  return found;
}

/**
 * Writes `write` for all of `ids` in one statement; where another request wrote one of their
 * rows at the same instant (a write conflict), each on its own, the conflicting ones left to the
 * other writer (its touch or end is what this one would have written).
 */
async function eachTogether(ids: readonly string[], write: (ids: readonly string[]) => Promise<void>): Promise<void> {
  if (ids.length === 0) return;
  try {
    await write(ids);
  } catch (error) {
    if (!isUpdateConflict(error)) throw error;
    if (ids.length > 1) for (const id of ids) await write([id]).catch((e) => { if (!isUpdateConflict(e)) throw e; });
  }
}

/** Records activity now on the sessions `ids` (their last_seen_at). */
async function touchSessions(connection: Connection, ids: readonly string[], now: Date): Promise<void> {
  await connection.run("UPDATE user_sessions SET last_seen_at = $now::TIMESTAMP WHERE list_contains($ids, session_id)", { ids: listValue([...ids]), now: sqlTime(now) });
}

/** Ends the sessions `ids` now (idle past IDLE_LIMIT_MS), those not ended already. */
async function endSessions(connection: Connection, ids: readonly string[], now: Date): Promise<void> {
  await connection.run("UPDATE user_sessions SET ended_at = $now::TIMESTAMP WHERE list_contains($ids, session_id) AND ended_at IS NULL", { ids: listValue([...ids]), now: sqlTime(now) });
}

/**
 * DuckDB's refusal of a second write to a row another transaction wrote at the same instant
 * (two requests of one session touching it at once: a page's parallel loaders, two tabs). The
 * other one recorded the activity, which is all a touch is for.
 */
function isUpdateConflict(error: unknown): boolean {
  return error instanceof Error && /Conflict on update/i.test(error.message);
}

export async function endSession(connection: Connection, sessionId: string, now = new Date()): Promise<void> {
  await ensureUserTables(connection);
  await connection.run("UPDATE user_sessions SET ended_at = $now::TIMESTAMP WHERE session_id = $id AND ended_at IS NULL", {
    id: sessionId,
    now: sqlTime(now),
  });
}

/**
 * Why a session is no longer signed in, for the sign-in page its holder is sent to (trial 53:
 * a session ended by an administrator landed on a plain "Sign in"):
 * - `expired`: IDLE_LIMIT_MS (8 hours) without a request, ended by readSession or not yet;
 * - `password_changed`: its account's password was changed at the instant it ended — by an
 *   administrator (`administrator`, the account then marked to choose its own) or by its holder
 *   elsewhere (the Account page in another browser, `rollcall users reset-password` without the mark);
 * - `administrator`: otherwise ended while its account was disabled, or disabled and enabled
 *   again since (setDisabled ends every session of the account);
 * - null: no such session, or one still live.
 * A sign-out (endSession for the browser's own session) is not told apart here: the sign-out's
 * own response says it (app/lib/auth.server.ts). Reads only the session the caller's signed
 * cookie names, so it says nothing of any other account.
 */
export type SessionEnding = "expired" | "password_changed" | "administrator";

export async function sessionEnding(connection: Connection, sessionId: string, now = new Date()): Promise<SessionEnding | null> {
  await ensureUserTables(connection);
  const row = await queryOne<{ ended: string | null; last_seen: string; changed: string; disabled: boolean; must_change: boolean }>(
    connection,
    `SELECT strftime(s.ended_at, '%Y-%m-%dT%H:%M:%S.%fZ') AS ended, strftime(s.last_seen_at, '%Y-%m-%dT%H:%M:%S.%fZ') AS last_seen,
            strftime(u.password_changed_at, '%Y-%m-%dT%H:%M:%S.%fZ') AS changed, u.disabled_at IS NOT NULL AS disabled,
            coalesce(u.must_change_password, false) AS must_change
     FROM user_sessions s JOIN users u USING (user_id) WHERE s.session_id = $id`,
    { id: sessionId },
  );
  if (!row) return null;
  const lastSeen = Date.parse(row.last_seen);
  if (row.ended === null) return row.disabled ? "administrator" : now.getTime() - lastSeen >= IDLE_LIMIT_MS ? "expired" : null;
  if (Date.parse(row.ended) - lastSeen >= IDLE_LIMIT_MS) return "expired";
  if (row.ended === row.changed) return row.must_change ? "administrator" : "password_changed";
  return "administrator";
}

/** Ends the account's live sessions; returns how many ended. */
async function endUserSessions(connection: Connection, userId: number, now: Date): Promise<number> {
  const ended = await queryRows(
    connection,
    "UPDATE user_sessions SET ended_at = $now::TIMESTAMP WHERE user_id = $id AND ended_at IS NULL RETURNING session_id",
    { id: userId, now: sqlTime(now) },
  );
  return ended.length;
}

/** A failed sign-in (or a wrong current password) for the e-mail from the address, counted by lockoutWait. */
async function recordSignInFailure(connection: Connection, email: string, address: string, now: Date): Promise<void> {
  await connection.run("INSERT INTO sign_in_failures VALUES ($email, $address, $now::TIMESTAMP)", { email: email.slice(0, 320), address, now: sqlTime(now) });
  accountsWritten(now);
}

/** That e-mail's failures from the address forgotten (a sign-in or a password change succeeded). */
async function clearSignInFailures(connection: Connection, email: string, address: string): Promise<void> {
  await connection.run("DELETE FROM sign_in_failures WHERE email = $email AND address = $address", { email, address });
}

// ── The session secret and demo accounts ────────────────────────────────────────────────

/**
 * The secret that signs session cookies: ROLLCALL_SESSION_SECRET when set, else one made
 * at random the first time and kept in `meta`, so restarts keep everyone signed in.
 */
export async function sessionSecret(connection: Connection): Promise<string> {
  const fromEnv = process.env.ROLLCALL_SESSION_SECRET;
  if (fromEnv) return fromEnv;
  const kept = await queryOne<{ value: string }>(connection, "SELECT value FROM meta WHERE key = 'session_secret'");
  if (kept) return kept.value;
  const secret = randomBytes(32).toString("base64url");
  await keepMeta(connection, "session_secret", secret);
  return (await queryOne<{ value: string }>(connection, "SELECT value FROM meta WHERE key = 'session_secret'"))!.value;
}

/** `meta` key set by `rollcall demo`: only such a database ever gets demo accounts. */
export const DEMO_MARKER = "demo_school";

export async function isDemoDatabase(connection: Connection): Promise<boolean> {
  const row = await queryOne(connection, "SELECT 1 AS yes FROM meta WHERE key = $key", { key: DEMO_MARKER });
  return row !== undefined;
}

export const DEMO_EMAIL_DOMAIN = "demo.rollcall.example";

/**
 * One account per role for the demo school, with generated passwords, returned so the
 * caller can print them once. Does nothing (returns []) unless the database was made by
 * `rollcall demo` and has no accounts yet.
 */
export async function createDemoAccounts(
  connection: Connection,
  generate: () => string,
): Promise<Array<{ email: string; role: Role; password: string }>> {
  await ensureUserTables(connection);
  if (!(await isDemoDatabase(connection))) return [];
  const existing = await queryOne<{ n: number }>(connection, "SELECT count(*)::INTEGER AS n FROM users");
  if ((existing?.n ?? 0) > 0) return [];
  const created: Array<{ email: string; role: Role; password: string }> = [];
  for (const role of ROLES) {
    const email = `${role.replace("_", "-")}@${DEMO_EMAIL_DOMAIN}`;
    const password = generate();
    await createUser(connection, { email, name: `Demo ${DEMO_NAMES[role]}`, role, password }, { actor: "rollcall demo", role: "script", ip: null });
    created.push({ email, role, password });
  }
  return created;
}
