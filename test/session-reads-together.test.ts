/**
 * Sessions checked together (analytics/users/store.ts readSessions; app/lib/auth.server.ts reads
 * the sessions asked for in one turn of the event loop in one statement): each id gets exactly
 * what readSession gives it alone — its own live session and user, or nothing for a session
 * unknown, signed out, idle 8 hours (ended then) or of a disabled account — and each live one's
 * activity is recorded. Real DuckDB file, times by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, withConnection } from "../analytics/db.ts";
import { IDLE_LIMIT_MS, createSession, createUser, endSession, readSession, readSessions, sessionSecret, setDisabled } from "../analytics/users/store.ts";
import { signedSessionCookie, TEST_PASSWORD } from "./helpers/auth.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { countStatements } from "./helpers/statement-count.ts";

const db = tempDbPath("session-reads-together");
process.env.ROLLCALL_DB = db;
afterAll(() => removeDb(db));

const { getUser } = await import("../app/lib/auth.server.ts");

const T0 = new Date("2026-11-23T08:00:00Z");
const ADMIN = { actor: { email: "it@school.test", name: "Sam Admin" }, role: "admin", ip: "10.0.0.1" };
const ids: Record<string, string> = {};
const cookies: Record<string, string> = {};
const live: Record<string, string> = {};

beforeAll(async () => {
  await withConnection(db, async (c) => {
    const ann = await createUser(c, { email: "ann@school.test", name: "Ann Head", role: "head", password: TEST_PASSWORD });
    const ben = await createUser(c, { email: "ben@school.test", name: "Ben Teacher", role: "slt", password: TEST_PASSWORD });
    const cat = await createUser(c, { email: "cat@school.test", name: "Cat Office", role: "attendance_lead", password: TEST_PASSWORD });
    const dan = await createUser(c, { email: "dan@school.test", name: "Dan Gone", role: "slt", password: TEST_PASSWORD });
    ids.ann = (await createSession(c, ann.id, T0)).sessionId;
    ids.annOld = (await createSession(c, ann.id, new Date(T0.getTime() - IDLE_LIMIT_MS))).sessionId;
    ids.ben = (await createSession(c, ben.id, T0)).sessionId;
    ids.benOut = (await createSession(c, ben.id, T0)).sessionId;
    await endSession(c, ids.benOut, T0);
    ids.cat = (await createSession(c, cat.id, new Date(T0.getTime() + 5 * 60_000))).sessionId;
    ids.dan = (await createSession(c, dan.id, T0)).sessionId;
    // Sessions of now, for getUser (which reads at the clock's time).
    const secret = await sessionSecret(c);
    for (const [who, user] of Object.entries({ ann, ben, benOut: ben, cat, dan })) cookies[who] = await signedSessionCookie(secret, (live[who] = (await createSession(c, user.id)).sessionId));
    await endSession(c, live.benOut);
    await setDisabled(c, "dan@school.test", true, ADMIN, T0);
  });
});

const lastSeen = (id: string) =>
  withConnection(db, async (c) => (await queryRows<{ at: string; ended: boolean }>(c, "SELECT strftime(last_seen_at, '%Y-%m-%dT%H:%M:%S') AS at, ended_at IS NOT NULL AS ended FROM user_sessions WHERE session_id = $id", { id }))[0]);

describe("readSessions", () => {
  it("gives each id what readSession gives it alone, records the activity of the live ones due a touch, and ends the idle one", async () => {
    const now = new Date(T0.getTime() + 10 * 60_000); // 08:10
    const asked = [ids.ann, ids.annOld, ids.ben, ids.benOut, ids.cat, ids.dan, "no-such-session", ids.ann];
    const together = await withConnection(db, (c) => readSessions(c, asked, now));
    expect([...together.keys()].sort()).toEqual([...new Set(asked)].sort());
    const summary = Object.fromEntries(Object.entries(ids).map(([who, id]) => [who, together.get(id) ? `${together.get(id)!.user.email} ${together.get(id)!.sessionId === id}` : null]));
    expect(summary).toEqual({ ann: "ann@school.test true", annOld: null, ben: "ben@school.test true", benOut: null, cat: "cat@school.test true", dan: null });
    expect(together.get("no-such-session")).toBeUndefined();
    // Ann's and Ben's were last seen at 08:00 and Cat's at 08:05, each a minute or more before 08:10: all touched.
    expect(await lastSeen(ids.ann)).toEqual({ at: "2026-11-23T08:10:00", ended: false });
    expect(await lastSeen(ids.ben)).toEqual({ at: "2026-11-23T08:10:00", ended: false });
    expect(await lastSeen(ids.cat)).toEqual({ at: "2026-11-23T08:10:00", ended: false });
    // Idle 8 hours and 10 minutes: ended, as readSession ends it; the signed-out one stays as it was.
    expect(await lastSeen(ids.annOld)).toMatchObject({ ended: true });
    expect(await lastSeen(ids.benOut)).toEqual({ at: "2026-11-23T08:00:00", ended: true });
    // Each the same as read alone, 30 s later (no touch due: the records only).
    const later = new Date(now.getTime() + 30_000);
    const again = await withConnection(db, (c) => readSessions(c, Object.values(ids), later));
    for (const id of Object.values(ids)) expect(again.get(id)).toEqual(await withConnection(db, (c) => readSession(c, id, later)));
    expect(await lastSeen(ids.ann)).toEqual({ at: "2026-11-23T08:10:00", ended: false });
  });
});

describe("readSessions with idle sessions among them (review 54)", () => {
  it("answers the live readers when an idle one's row is being written by another transaction (a sign-out, an account disabled)", async () => {
    const file = tempDbPath("session-reads-conflict");
    try {
      const [idle, fresh] = await withConnection(file, async (c) => {
        const eve = await createUser(c, { email: "eve@school.test", name: "Eve Idle", role: "slt", password: TEST_PASSWORD });
        const fay = await createUser(c, { email: "fay@school.test", name: "Fay Fresh", role: "slt", password: TEST_PASSWORD });
        return [(await createSession(c, eve.id, new Date(T0.getTime() - IDLE_LIMIT_MS))).sessionId, (await createSession(c, fay.id, T0)).sessionId];
      });
      const read = await withConnection(file, async (writer) => {
        await writer.run("BEGIN TRANSACTION");
        await writer.run("UPDATE user_sessions SET ended_at = now()::TIMESTAMP WHERE session_id = $id", { id: idle });
        try {
          return await withConnection(file, (c) => readSessions(c, [idle, fresh], new Date(T0.getTime() + 60_000)));
        } finally {
          await writer.run("COMMIT");
        }
      });
      expect(read.get(fresh)?.user.email).toBe("fay@school.test");
      expect(read.get(idle)).toBeUndefined();
    } finally {
      await removeDb(file);
    }
  });

  it("ends every idle session of the batch in one statement, not one each", async () => {
    const file = tempDbPath("session-reads-idle");
    try {
      const asked = await withConnection(file, async (c) => {
        const out: string[] = [];
        for (let k = 0; k < 10; k++) {
          const user = await createUser(c, { email: `idle${k}@school.test`, name: `Idle ${k}`, role: "slt", password: TEST_PASSWORD });
          out.push((await createSession(c, user.id, new Date(T0.getTime() - IDLE_LIMIT_MS))).sessionId);
        }
        return out;
      });
      const { value, statements } = await withConnection(file, (c) => countStatements(c, () => true, () => readSessions(c, asked, new Date(T0.getTime() + 60_000))));
      expect([...value.values()].every((record) => record === undefined)).toBe(true);
      expect(statements).toBeLessThanOrEqual(3);
      const ended = await withConnection(file, (c) => queryRows<{ n: number }>(c, "SELECT count(*)::INTEGER AS n FROM user_sessions WHERE ended_at IS NOT NULL"));
      expect(ended[0].n).toBe(10);
    } finally {
      await removeDb(file);
    }
  });
});

describe("getUser for readers who come at once", () => {
  it("gives each request its own reader (or none), their sessions read together", async () => {
    const request = (cookie: string) => new Request("http://localhost/", { headers: { Cookie: cookie } });
    const order = ["ben", "dan", "ann", "benOut", "cat", "ann", "ben"];
    const users = await Promise.all(order.map((who) => getUser(request(cookies[who]))));
    expect(users.map((user, k) => (user ? `${user.email} ${user.role} ${user.sessionId === live[order[k]]}` : null))).toEqual([
      "ben@school.test slt true",
      null,
      "ann@school.test head true",
      null,
      "cat@school.test attendance_lead true",
      "ann@school.test head true",
      "ben@school.test slt true",
    ]);
  });
});
