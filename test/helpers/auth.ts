/**
 * Test accounts and sessions made directly in the database (the Epic Stack's pattern): one
 * user per role with a known password, and a live session for each whose signed cookie the
 * browser tests send, so a test signs in without clicking through the form. Run before the
 * app server opens the file (DuckDB lets one process write it).
 */
import { createCookieSessionStorage } from "@remix-run/node";
import { withConnection } from "../../analytics/db.ts";
import { ROLES, type Role } from "../../analytics/users/roles.ts";
import { createSession, createUser, sessionSecret } from "../../analytics/users/store.ts";

export interface TestAccount {
  email: string;
  password: string;
  /** `name=value` of a signed-in session cookie. */
  cookie: string;
}

export const TEST_PASSWORD = "correct horse battery staple";
export const testEmail = (role: Role) => `${role.replace("_", "-")}@test.rollcall.example`;

/** The signed `rollcall_session` cookie (name=value) for a session id, as app/lib/auth.server.ts signs it. */
export async function signedSessionCookie(secret: string, sessionId: string): Promise<string> {
  const storage = createCookieSessionStorage({ cookie: { name: "rollcall_session", secrets: [secret], path: "/", httpOnly: true, sameSite: "lax" } });
  const session = await storage.getSession();
  session.set("sid", sessionId);
  return (await storage.commitSession(session)).split(";")[0];
}

/** Creates one account per role (password TEST_PASSWORD) with a live session each. */
export async function createTestAccounts(db: string): Promise<Record<Role, TestAccount>> {
  return withConnection(db, async (c) => {
    const secret = await sessionSecret(c);
    const accounts = {} as Record<Role, TestAccount>;
    for (const role of ROLES) {
      const email = testEmail(role);
      const user = await createUser(c, { email, name: `Test ${role.replace("_", " ")}`, role, password: TEST_PASSWORD });
      const { sessionId } = await createSession(c, user.id);
      accounts[role] = { email, password: TEST_PASSWORD, cookie: await signedSessionCookie(secret, sessionId) };
    }
    return accounts;
  });
}

/** A signed-in account made directly in `db`: its user id, session id and signed cookie (name=value). */
export interface SignedIn {
  userId: number;
  sessionId: string;
  cookie: string;
}

/** Creates the head "Ann Head" (head@school.test, password TEST_PASSWORD) with a live session. */
export async function signInHead(db: string): Promise<SignedIn> {
  return withConnection(db, async (c) => {
    const user = await createUser(c, { email: "head@school.test", name: "Ann Head", role: "head", password: TEST_PASSWORD });
    const { sessionId } = await createSession(c, user.id);
    return { userId: user.id, sessionId, cookie: await signedSessionCookie(await sessionSecret(c), sessionId) };
  });
}
