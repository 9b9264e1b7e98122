/**
 * Pages kept in memory while nothing changed under them (scripts/page-cache.js; issue 11,
 * item 5) on the real production server: a page read again by the same session is the kept
 * one, byte for byte (the same CSP header and nonce: a replay, see the top of the file),
 * compressed once and sent with its length; a change relayed from the CLI, a sign-out, an
 * account disabled or given another role and another person each get a freshly made page (with
 * a new nonce) or none, never another session's or an older one; downloads are never kept.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances } from "../../analytics/db.ts";
import { createTestAccounts, type TestAccount } from "../helpers/auth.ts";
import { cliOn, fileWriter, writeSmallRegister, initSchool } from "../helpers/cli.ts";
import { removeDb, tempDbPath } from "../helpers/db.ts";
import { startAppServer } from "../setup/app-server.ts";
import { getPage, type PageAnswer } from "../helpers/page-answer.ts";
import type { Role } from "../../app/lib/permissions.ts";

const db = tempDbPath("page-cache");
const dir = path.dirname(db);
const rollcall = cliOn(db);
const { calendar, pupils, marks } = writeSmallRegister(dir);
// Ben's Wednesday morning: present (/) in the register, then corrected to O (unauthorised).
const correction = fileWriter(dir)("correction.csv", ["upn,date,session,code", "B123456789012,2026-03-04,AM,O"]);
// Ada's Monday afternoon: present (\) in the register, then corrected to O through the Import page.
const adaCorrection = fileWriter(dir)("ada-correction.csv", ["upn,date,session,code", "A123456789012,2026-03-02,PM,O"]);
let accounts: Record<Role, TestAccount>;
let server: Awaited<ReturnType<typeof startAppServer>> | undefined;

type Answer = PageAnswer;
const get = (url: string, cookie: string): Promise<Answer> => getPage(server!.url, url, cookie);

/** A GET with this Accept-Encoding, its bytes as sent (fetch would decode them). */
function getRaw(url: string, cookie: string, acceptEncoding: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${server!.url}${url}`, { headers: { Cookie: cookie, "Accept-Encoding": acceptEncoding } }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, bytes: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

/** The session's CSRF token, as its pages carry it. */
const tokenOf = (answer: Answer) => /name="csrf-token" content="([^"]+)"/.exec(answer.body)?.[1] ?? "";

/** The Import page's POST of one marks file with `fields` (a preview, or the import with the preview's fingerprint), as a browser without scripts sends it. */
async function postImport(cookie: string, file: string, fields: Record<string, string>): Promise<{ status: number; html: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set("marks", new Blob([fs.readFileSync(file)], { type: "text/csv" }), path.basename(file));
  const response = await fetch(`${server!.url}/import`, { method: "POST", headers: { Cookie: cookie, Origin: server!.url }, body: form });
  return { status: response.status, html: await response.text() };
}

/** The page's text with its nonces taken out, to compare two answers of one page. */
const withoutNonce = (answer: Answer) => answer.body.split(answer.nonce ?? "\u0000").join("NONCE");

beforeAll(async () => {
  await initSchool(db);
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
  it("answers a page read again by the same session from memory: the same bytes, CSP header and nonce", async () => {
    const url = "/pupils";
    const first = await get(url, accounts.head.cookie);
    const second = await get(url, accounts.head.cookie);
    expect(first.status).toBe(200);
    expect(first.cache).toBe("miss");
    expect(second.status).toBe(200);
    expect(second.cache).toBe("hit");
    // A replay of what this session was sent: nothing in it is new, so neither is its nonce.
    expect(second.body).toBe(first.body);
    expect(second.csp).toBe(first.csp);
    expect(second.nonce).toBe(first.nonce);
    expect(second.body).toContain(`nonce="${second.nonce}"`);
    // Made afresh (after a drop: any command relayed from the CLI that may write, here a role
    // given again), the page has a nonce of its own again.
    expect((await rollcall("users", "set-role", "--email", accounts.head.email, "--role", "head")).code).toBe(0);
    const afresh = await get(url, accounts.head.cookie);
    expect(afresh.cache).toBe("miss");
    expect(afresh.nonce).not.toBe(first.nonce);
    expect(afresh.body).toContain(`nonce="${afresh.nonce}"`);
    expect(afresh.body).not.toContain(first.nonce!);
  });

  it("sends a kept page compressed once, as the client accepts it, with its length", async () => {
    const url = "/casework";
    const made = await get(url, accounts.head.cookie);
    expect(made.cache).toBe("miss");
    const gzip = await getRaw(url, accounts.head.cookie, "gzip, deflate");
    // A copy of the role's page is kept in gzip (put together without compressing it:
    // page-cache.js sendForRole), so a browser that prefers brotli is sent that; a client that
    // takes brotli only gets brotli, compressed once.
    const chromium = await getRaw(url, accounts.head.cookie, "gzip, deflate, br, zstd");
    const br = await getRaw(url, accounts.head.cookie, "br");
    const plain = await getRaw(url, accounts.head.cookie, "identity");
    for (const answer of [gzip, chromium, br, plain]) {
      expect(answer.status).toBe(200);
      expect(answer.headers["server-timing"]).toContain('desc="hit"');
      // Sent whole with its length, not streamed through the compressor again.
      expect(answer.headers["content-length"]).toBe(String(answer.bytes.length));
      expect(answer.headers["transfer-encoding"]).toBeUndefined();
    }
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(gzip.bytes).toString()).toBe(made.body);
    expect(chromium.headers["content-encoding"]).toBe("gzip");
    expect(chromium.bytes.equals(gzip.bytes)).toBe(true);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(zlib.brotliDecompressSync(br.bytes).toString()).toBe(made.body);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.bytes.toString()).toBe(made.body);
    expect(gzip.headers.vary).toMatch(/Accept-Encoding/i);
    // The same compressed bytes again.
    expect((await getRaw(url, accounts.head.cookie, "gzip")).bytes.equals(gzip.bytes)).toBe(true);
    expect((await getRaw(url, accounts.head.cookie, "br")).bytes.equals(br.bytes)).toBe(true);
  });

  it("makes a page once when the same session asks for it several times at once", async () => {
    // Five requests at once for a page nothing has kept: one makes it, the others wait for it
    // (desc="shared") or find it kept ("hit"), and all get the same page, nonce and all.
    const url = "/groups";
    const answers = await Promise.all(Array.from({ length: 5 }, () => get(url, accounts.head.cookie)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.cache === "miss")).toHaveLength(1);
    expect(answers.every((a) => ["miss", "shared", "hit"].includes(a.cache ?? ""))).toBe(true);
    const made = answers.find((a) => a.cache === "miss")!;
    for (const answer of answers) {
      expect(answer.body).toBe(made.body);
      expect(answer.csp).toBe(made.csp);
      expect(answer.body).toContain(`nonce="${answer.nonce}"`);
    }
    // Another person asking at the same moment never waits for (or gets) the head's page, nor its nonce.
    const [head, governor] = await Promise.all([get("/codes", accounts.head.cookie), get("/codes", accounts.governor.cookie)]);
    expect([head.cache, governor.cache]).toEqual(["miss", "miss"]);
    expect(governor.nonce).not.toBe(head.nonce);
    expect(withoutNonce(governor)).not.toContain(head.nonce!);
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

  it("keeps every page through a relayed command that only reads (summary, settings shown, an import's dry run), and drops them for one that writes", async () => {
    const url = "/pupils?q=Lovelace";
    await get(url, accounts.head.cookie);
    expect((await get(url, accounts.head.cookie)).cache).toBe("hit");
    const summary = await rollcall("summary", "--from", "2026-03-02", "--to", "2026-03-06", "--json");
    expect(summary.code).toBe(0);
    // Relayed: run inside the server (its file is held), as the dashboard's own command.
    expect(JSON.parse(summary.stdout)).toHaveProperty("possible_sessions");
    expect((await rollcall("settings")).code).toBe(0);
    // A dry run checks and merges Ada's correction, then rolls back: nothing changed.
    const dryRun = await rollcall("import", "--marks", adaCorrection, "--dry-run");
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain("Dry run: nothing was imported");
    expect((await get(url, accounts.head.cookie)).cache).toBe("hit");
    // A command that may write (here a role given again, the same role: no change of data) drops them.
    expect((await rollcall("users", "set-role", "--email", accounts.slt.email, "--role", "slt")).code).toBe(0);
    expect((await get(url, accounts.head.cookie)).cache).toBe("miss");
  });

  it("keeps every page through a CSV's report and the Import form's preview (they change pages only by a commit or an audit row); an import that changes the register drops them", async () => {
    const url = "/pupils?q=Lovelace";
    const first = await get(url, accounts.head.cookie);
    // Ada: 5 of 6 sessions attended (the Wednesday afternoon an illness, I).
    expect(first.body).toContain("83.3");
    const csrf = tokenOf(first);
    expect(csrf).not.toBe("");
    expect((await get(url, accounts.head.cookie)).cache).toBe("hit");
    const reported = await fetch(`${server!.url}/audit/exports`, {
      method: "POST",
      headers: { Cookie: accounts.head.cookie, Origin: server!.url, "Content-Type": "application/x-www-form-urlencoded" },
      // A chart's CSV from a page the head may open (a report of any other file is refused: audit_.exports.tsx).
      body: new URLSearchParams({ csrf, file: "attendance-by-week_staff.csv", rows: "1", page: "/trends" }).toString(),
    });
    expect(reported.status).toBe(204);
    expect((await get(url, accounts.head.cookie)).cache).toBe("hit");
    const preview = await postImport(accounts.head.cookie, adaCorrection, { csrf, intent: "preview" });
    const fingerprint = /name="fingerprint" value="([0-9a-f]{64})"/.exec(preview.html)?.[1];
    expect(fingerprint, preview.html.slice(0, 500)).toBeTruthy();
    const kept = await get(url, accounts.head.cookie);
    expect(kept.cache).toBe("hit");
    expect(kept.body).toContain("83.3");
    // The import itself commits: every kept page goes, and the next shows the change (4 of 6).
    const done = await postImport(accounts.head.cookie, adaCorrection, { csrf, intent: "import", fingerprint: fingerprint! });
    expect(done.html).toContain('data-testid="import-done"');
    const after = await get(url, accounts.head.cookie);
    expect(after.cache).toBe("miss");
    expect(after.body).toContain("66.7");
    expect(after.body).not.toContain("83.3");
  });

  it("keeps a pupil's page only as one made for the role, and records every view of it (test/browser/page-audited.test.ts)", async () => {
    const url = "/pupils/A123456789012";
    expect((await get(url, accounts.head.cookie)).cache).toBe("miss");
    expect((await get(url, accounts.head.cookie)).cache).toBe("hit");
  });

  it("serves nothing kept to a session that has signed out", async () => {
    const cookie = accounts.attendance_lead.cookie;
    const page = await get("/", cookie);
    expect((await get("/", cookie)).cache).toBe("hit");
    // A download, which the page cache sends to Remix handed the reader whose session it checked
    // (scripts/page-cache.js handsCheckedSession): given while signed in, refused once signed out.
    expect((await get("/pupils.csv", cookie)).status).toBe(200);
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
    expect((await get("/pupils.csv", cookie)).status).toBe(401);
  });

  it("serves nothing kept to a session whose account is disabled through the CLI", async () => {
    const cookie = accounts.slt.cookie;
    await get("/trends", cookie);
    expect((await get("/trends", cookie)).cache).toBe("hit");
    expect((await get("/trends", cookie)).cache).toBe("hit"); // the session's check kept in memory too
    const disabled = await rollcall("users", "disable", "--email", accounts.slt.email);
    expect(disabled.code).toBe(0);
    const after = await get("/trends", cookie);
    expect(after.status).toBe(302);
    expect(after.location).toMatch(/^\/login/);
    expect(after.cache).toBeNull();
    // Enabled again, the account's old session stays ended (disabling ended it).
    expect((await rollcall("users", "enable", "--email", accounts.slt.email)).code).toBe(0);
    expect((await get("/trends", cookie)).status).toBe(302);
  });

  it("answers a session by its new role at once after the role is changed through the CLI", async () => {
    const cookie = accounts.head.cookie;
    await get("/casework", cookie);
    expect((await get("/casework", cookie)).cache).toBe("hit");
    const changed = await rollcall("users", "set-role", "--email", accounts.head.email, "--role", "governor");
    expect(changed.code).toBe(0);
    // A governor may not open the casework list: refused, never the head's kept page.
    const after = await get("/casework", cookie);
    expect(after.status).toBe(403);
    expect(after.cache).not.toBe("hit");
    expect((await rollcall("users", "set-role", "--email", accounts.head.email, "--role", "head")).code).toBe(0);
    expect((await get("/casework", cookie)).status).toBe(200);
  });

  it("never keeps a download (each one is made and audited afresh)", async () => {
    const first = await get("/pupils.csv", accounts.head.cookie);
    const second = await get("/pupils.csv", accounts.head.cookie);
    expect(first.status).toBe(200);
    expect(first.cache).toBeNull();
    expect(second.cache).toBeNull();
  });
});
