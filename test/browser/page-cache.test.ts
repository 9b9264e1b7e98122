/**
 * Pages kept in memory while nothing changed under them (scripts/page-cache.js; issue 11,
 * item 5) on the real production server: a page read again by the same session is the kept
 * one (with a fresh CSP nonce); a change relayed from the CLI, a sign-out and another person
 * each get a freshly made page, never another session's or an older one; downloads are never
 * kept.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances } from "../../analytics/db.ts";
import { createTestAccounts, type TestAccount } from "../helpers/auth.ts";
import { cliOn, fileWriter, writeSmallRegister } from "../helpers/cli.ts";
import { removeDb, tempDbPath } from "../helpers/db.ts";
import { startAppServer } from "../setup/app-server.ts";
import type { Role } from "../../app/lib/permissions.ts";

const db = tempDbPath("page-cache");
const dir = path.dirname(db);
const rollcall = cliOn(db);
const { calendar, pupils, marks } = writeSmallRegister(dir);
// Ben's Wednesday morning: present (/) in the register, then corrected to O (unauthorised).
const correction = fileWriter(dir)("correction.csv", ["upn,date,session,code", "B123456789012,2026-03-04,AM,O"]);
let accounts: Record<Role, TestAccount>;
let server: Awaited<ReturnType<typeof startAppServer>> | undefined;

interface Answer {
  status: number;
  body: string;
  /** "hit", "miss", "shared" (made once for requests at the same moment) or null (never considered). */
  cache: string | null;
  /** The nonce the Content-Security-Policy header allows scripts with. */
  nonce: string | null;
  location: string | null;
}

async function get(url: string, cookie: string): Promise<Answer> {
  const response = await fetch(`${server!.url}${url}`, { headers: { Cookie: cookie }, redirect: "manual" });
  const timing = response.headers.get("Server-Timing") ?? "";
  const csp = response.headers.get("Content-Security-Policy") ?? "";
  return {
    status: response.status,
    body: await response.text(),
    cache: /page-cache;desc="(\w+)"/.exec(timing)?.[1] ?? null,
    nonce: /'nonce-([^']+)'/.exec(csp)?.[1] ?? null,
    location: response.headers.get("Location"),
  };
}

/** The page's text with its nonces taken out, to compare two answers of one page. */
const withoutNonce = (answer: Answer) => answer.body.split(answer.nonce ?? "\u0000").join("NONCE");

beforeAll(async () => {
  expect((await rollcall("import", "--calendar", calendar, "--pupils", pupils, "--marks", marks, "--as-of", "2025-09-01")).code).toBe(0);
  accounts = await createTestAccounts(db);
  await closeAllInstances();
  // No background warm-up: its renders would only make the timing of this test harder to read.
  server = await startAppServer(db, { ROLLCALL_TODAY: "2026-03-04", ROLLCALL_WARM_UP: "0" });
});

afterAll(async () => {
  await server?.stop();
  removeDb(db);
});

describe("pages kept in memory", () => {
  it("answers a page read again by the same session from memory, the same page with a new nonce", async () => {
    const url = "/pupils";
    const first = await get(url, accounts.head.cookie);
    const second = await get(url, accounts.head.cookie);
    expect(first.status).toBe(200);
    expect(first.cache).toBe("miss");
    expect(second.status).toBe(200);
    expect(second.cache).toBe("hit");
    expect(withoutNonce(second)).toBe(withoutNonce(first));
    // Each answer's scripts carry that answer's nonce, never the kept page's.
    expect(second.nonce).not.toBe(first.nonce);
    expect(second.body).toContain(`nonce="${second.nonce}"`);
    expect(second.body).not.toContain(first.nonce!);
  });

  it("makes a page once when the same session asks for it several times at once", async () => {
    // Five requests at once for a page nothing has kept: one makes it, the others wait for it
    // (desc="shared") or find it kept ("hit"), and all get the same page with their own nonce.
    const url = "/groups";
    const answers = await Promise.all(Array.from({ length: 5 }, () => get(url, accounts.head.cookie)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.cache === "miss")).toHaveLength(1);
    expect(answers.every((a) => ["miss", "shared", "hit"].includes(a.cache ?? ""))).toBe(true);
    const made = answers.find((a) => a.cache === "miss")!;
    for (const answer of answers) {
      expect(withoutNonce(answer)).toBe(withoutNonce(made));
      expect(answer.body).toContain(`nonce="${answer.nonce}"`);
    }
    expect(new Set(answers.map((a) => a.nonce)).size).toBe(5);
    // Another person asking at the same moment never waits for (or gets) the head's page.
    const [head, governor] = await Promise.all([get("/codes", accounts.head.cookie), get("/codes", accounts.governor.cookie)]);
    expect([head.cache, governor.cache]).toEqual(["miss", "miss"]);
  });

  it("never gives one person's kept page to another", async () => {
    await get("/", accounts.head.cookie);
    expect((await get("/", accounts.head.cookie)).cache).toBe("hit");
    const governor = await get("/", accounts.governor.cookie);
    expect(governor.status).toBe(200);
    expect(governor.cache).toBe("miss");
  });

  it("makes the page afresh after a change relayed from the CLI, showing the change", async () => {
    // Ben: G G O \ / \ is 3 of 6 sessions attended (50.0 %); with Wednesday morning corrected
    // to O, 2 of 6 (33.3 %).
    const url = "/pupils?q=Jonson";
    await get(url, accounts.head.cookie);
    const before = await get(url, accounts.head.cookie);
    expect(before.cache).toBe("hit");
    expect(before.body).toContain("50.0");
    expect(before.body).not.toContain("33.3");
    const imported = await rollcall("import", "--marks", correction, "--user", "Office", "--reason", "Register corrected");
    expect(imported.code).toBe(0);
    const after = await get(url, accounts.head.cookie);
    expect(after.cache).toBe("miss");
    expect(after.body).toContain("33.3");
  });

  it("never keeps a pupil's page: every view of it is recorded", async () => {
    const url = "/pupils/A123456789012";
    expect((await get(url, accounts.head.cookie)).cache).toBeNull();
    expect((await get(url, accounts.head.cookie)).cache).toBeNull();
  });

  it("serves nothing kept to a session that has signed out", async () => {
    const cookie = accounts.attendance_lead.cookie;
    const page = await get("/", cookie);
    expect((await get("/", cookie)).cache).toBe("hit");
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];
    expect(csrf).toBeTruthy();
    const signOut = await fetch(`${server!.url}/logout`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: server!.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf: csrf! }).toString(),
      redirect: "manual",
    });
    expect(signOut.status).toBe(302);
    const after = await get("/", cookie);
    expect(after.status).toBe(302);
    expect(after.location).toMatch(/^\/login/);
    expect(after.cache).toBeNull();
  });

  it("never keeps a download (each one is made and audited afresh)", async () => {
    const first = await get("/pupils.csv", accounts.head.cookie);
    const second = await get("/pupils.csv", accounts.head.cookie);
    expect(first.status).toBe(200);
    expect(first.cache).toBeNull();
    expect(second.cache).toBeNull();
  });
});
