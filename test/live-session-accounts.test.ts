/**
 * The accounts whose own pages the web server's warm-up makes ahead (analytics/users/store.ts
 * liveSessionAccounts; app/lib/warm-up-opened.server.ts): those with a live session, on a real
 * DuckDB file, the clock given by hand.
 */
import { afterAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { IDLE_LIMIT_MS, createSession, createUser, endSession, liveSessionAccounts, setDisabled } from "../analytics/users/store.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("live-session-accounts");
afterAll(() => removeDb(db));
const PASSWORD = "a long enough passphrase";
const ADMIN = { actor: { email: "it@school.example", name: "Sam Admin" }, role: "admin", ip: "10.0.0.1" };
const NOW = new Date("2026-11-23T12:00:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const HOUR = 3_600_000;

describe("accounts with a live session", () => {
  it("are the enabled accounts, not asked to change their password, with a session neither ended nor idle, most recently active first, once each, at most the limit", async () => {
    await withConnection(db, async (c) => {
      const made = async (email: string, role: string, mustChangePassword = false) => (await createUser(c, { email, name: email.split("@")[0], role, password: PASSWORD, mustChangePassword })).id;
      const admin = await made("admin@school.example", "admin");
      const head = await made("head@school.example", "head");
      const idle = await made("idle@school.example", "slt");
      const ended = await made("ended@school.example", "attendance_lead");
      const disabled = await made("disabled@school.example", "governor");
      const newcomer = await made("new@school.example", "slt", true);
      const governor = await made("governor@school.example", "governor");
      // The administrator 2 hours ago; the head in two sessions, one 30 minutes ago (the latest).
      await createSession(c, admin, ago(2 * HOUR));
      await createSession(c, head, ago(7 * HOUR));
      await createSession(c, head, ago(0.5 * HOUR));
      // A governor 7 hours 59 minutes ago: still live (idle for under 8 hours).
      await createSession(c, governor, ago(IDLE_LIMIT_MS - 60_000));
      // Idle 8 hours; signed out; disabled; must change the password first: none.
      await createSession(c, idle, ago(IDLE_LIMIT_MS));
      await endSession(c, (await createSession(c, ended, ago(HOUR))).sessionId, ago(0.9 * HOUR));
      await createSession(c, disabled, ago(HOUR));
      await setDisabled(c, "disabled@school.example", true, ADMIN);
      await createSession(c, newcomer, ago(HOUR));
      expect(await liveSessionAccounts(c, 20, NOW)).toEqual([
        { userId: head, role: "head" },
        { userId: admin, role: "admin" },
        { userId: governor, role: "governor" },
      ]);
      expect(await liveSessionAccounts(c, 2, NOW)).toEqual([
        { userId: head, role: "head" },
        { userId: admin, role: "admin" },
      ]);
    });
  });
});
