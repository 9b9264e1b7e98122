/**
 * Dashboard pages made once for every reader of a role (scripts/page-cache.js `sendForRole`,
 * app/lib/shared-render.server.ts; issue 11, item 4): the first head to open a page makes it,
 * every other head gets a copy with their own name, email, CSRF token and CSP nonce put back —
 * never the first head's — and keeps it as their session's own. A reader whose name needs
 * escaping, another role, a header forged from outside and a change of data each get a page
 * made for them, as before.
 */
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances, withConnection } from "../../analytics/db.ts";
import { createSession, createUser, listUsers, sessionSecret } from "../../analytics/users/store.ts";
import { signedSessionCookie, TEST_PASSWORD } from "../helpers/auth.ts";
import { cliOn, writeSmallRegister, initSchool } from "../helpers/cli.ts";
import { removeDb, tempDbPath } from "../helpers/db.ts";
import { startAppServer } from "../setup/app-server.ts";
import { getPage, namedTiming, type PageAnswer } from "../helpers/page-answer.ts";

const db = tempDbPath("page-share");
const rollcall = cliOn(db);
const { calendar, pupils, marks } = writeSmallRegister(path.dirname(db));

interface Reader {
  name: string;
  email: string;
  cookie: string;
  csrfToken: string;
}
let readers: Record<"ada" | "ben" | "siobhan" | "gwen" | "amy" | "amyAgain" | "abe", Reader>;
let server: Awaited<ReturnType<typeof startAppServer>> | undefined;

type Answer = PageAnswer;
const get = (url: string, reader: Reader, headers: Record<string, string> = {}): Promise<Answer> => getPage(server!.url, url, reader.cookie, headers);

/** A GET with this Accept-Encoding, its bytes as sent (fetch would decode them). */
function getRaw(url: string, reader: Reader, acceptEncoding: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${server!.url}${url}`, { headers: { Cookie: reader.cookie, "Accept-Encoding": acceptEncoding } }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, bytes: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

/** The page's CSRF token as its meta tag and every form carry it. */
const tokensIn = (body: string) => [...body.matchAll(/name="csrf-token" content="([^"]+)"|name="csrf" value="([^"]+)"/g)].map((m) => m[1] ?? m[2]);

beforeAll(async () => {
  await initSchool(db);
  expect((await rollcall("import", "--calendar", calendar, "--pupils", pupils, "--marks", marks, "--as-of", "2025-09-01")).code).toBe(0);
  readers = await withConnection(db, async (c) => {
    const secret = await sessionSecret(c);
    const make = async (name: string, email: string, role: string): Promise<Reader> => {
      const user = await createUser(c, { email, name, role, password: TEST_PASSWORD });
      const { sessionId, csrfToken } = await createSession(c, user.id);
      return { name, email, cookie: await signedSessionCookie(secret, sessionId), csrfToken };
    };
    const made = {
      ada: await make("Ada Head", "ada@test.rollcall.example", "head"),
      ben: await make("Ben Deputy-Head", "ben@test.rollcall.example", "head"),
      // An apostrophe is escaped in HTML (&#x27;): her pages are made for her own session.
      siobhan: await make("Siobhan O'Neill", "siobhan@test.rollcall.example", "head"),
      gwen: await make("Gwen Governor", "gwen@test.rollcall.example", "governor"),
      amy: await make("Amy Admin", "amy@test.rollcall.example", "admin"),
      abe: await make("Abe Admin", "abe@test.rollcall.example", "admin"),
    };
    // Amy signed in a second time (another tab or machine): a session of her own, the same account.
    const amy = (await listUsers(c)).find((u) => u.email === made.amy.email)!;
    const { sessionId, csrfToken } = await createSession(c, amy.id);
    return { ...made, amyAgain: { ...made.amy, cookie: await signedSessionCookie(secret, sessionId), csrfToken } };
  });
  await closeAllInstances();
  server = await startAppServer(db, { ROLLCALL_TODAY: "2026-03-04", ROLLCALL_WARM_UP: "0" });
});

afterAll(async () => {
  await server?.stop();
  removeDb(db);
});

describe("a dashboard page made once for every reader of a role", () => {
  it("gives the second head the first head's page with their own name, email, token and nonce", async () => {
    const ada = await get("/trends", readers.ada);
    expect(ada.status).toBe(200);
    expect(ada.cache).toBe("miss");
    expect(ada.body).toContain("Ada Head");
    expect(new Set(tokensIn(ada.body))).toEqual(new Set([readers.ada.csrfToken]));
    expect(ada.body).toContain(`nonce="${ada.nonce}"`);

    const ben = await get("/trends", readers.ben);
    expect(ben.status).toBe(200);
    expect(ben.cache).toBe("role");
    expect(ben.body).toContain("Ben Deputy-Head");
    expect(ben.body).not.toContain("Ada Head");
    expect(ben.body).not.toContain("ada@test");
    expect(ben.body).not.toContain(readers.ada.csrfToken);
    expect(ben.body).not.toMatch(/rcph[a-z0-9]{32}/);
    expect(tokensIn(ben.body).length).toBeGreaterThan(0);
    expect(new Set(tokensIn(ben.body))).toEqual(new Set([readers.ben.csrfToken]));
    expect(ben.nonce).not.toBe(ada.nonce);
    expect(ben.body).toContain(`nonce="${ben.nonce}"`);
    expect(ben.body).not.toContain(ada.nonce!);
    // The same page otherwise, byte for byte.
    const plain = (a: Answer, r: Reader) =>
      a.body.split(a.nonce!).join("NONCE").split(r.name).join("NAME").split(r.email).join("EMAIL").split(r.csrfToken).join("TOKEN");
    expect(plain(ben, readers.ben)).toBe(plain(ada, readers.ada));
    // Kept as Ben's own: read again, the same bytes.
    const again = await get("/trends", readers.ben);
    expect(again.cache).toBe("hit");
    expect(again.body).toBe(ben.body);
  });

  it("shares the Import form, the import history and Settings too (their loaders read only the role), not Users", async () => {
    for (const url of ["/import", "/imports", "/settings"]) {
      await get(url, readers.ada);
      const ben = await get(url, readers.ben);
      expect([ben.status, ben.cache], url).toEqual([200, "role"]);
      expect(ben.body).toContain("Ben Deputy-Head");
      expect(ben.body).not.toContain("Ada Head");
      expect(new Set(tokensIn(ben.body)), url).toEqual(new Set([readers.ben.csrfToken]));
    }
  });

  it("makes the Users page once per account: another session of the same administrator gets a copy with its own token, another administrator a page of their own", async () => {
    /** The Users table's row of `email`, and whether it offers to disable (or enable) that account. */
    const rowOf = (body: string, email: string) => body.split("<tr").find((row) => row.includes(`<td data-label="E-mail">${email}</td>`)) ?? "";
    const offersDisable = (body: string, email: string) => /name="intent" value="(disable|enable)"/.test(rowOf(body, email));
    // The first listing after start-up learns when the lockouts next change: its page is made again once.
    await get("/users", readers.amy);
    const amy = await get("/users", readers.amy);
    expect([amy.status, amy.cache]).toEqual([200, "miss"]);
    const again = await get("/users", readers.amyAgain);
    expect([again.status, again.cache]).toEqual([200, "role"]);
    expect(new Set(tokensIn(again.body))).toEqual(new Set([readers.amyAgain.csrfToken]));
    expect(again.body).not.toContain(readers.amy.csrfToken);
    expect(again.body).not.toMatch(/rcph[a-z0-9]{32}/);
    expect(again.nonce).not.toBe(amy.nonce);
    expect(again.body).not.toContain(amy.nonce!);
    // Her own row offers no Disable button, on either session's page; Abe's does.
    for (const page of [amy, again]) {
      expect(rowOf(page.body, readers.amy.email)).not.toBe("");
      expect(offersDisable(page.body, readers.amy.email)).toBe(false);
      expect(offersDisable(page.body, readers.abe.email)).toBe(true);
    }
    // Another administrator: a page made for his account, with his row the one without the button.
    const abe = await get("/users", readers.abe);
    expect([abe.status, abe.cache]).toEqual([200, "miss"]);
    expect(abe.body).toContain("Abe Admin");
    expect(new Set(tokensIn(abe.body))).toEqual(new Set([readers.abe.csrfToken]));
    expect(offersDisable(abe.body, readers.abe.email)).toBe(false);
    expect(offersDisable(abe.body, readers.amy.email)).toBe(true);
  });

  it("makes the Account page once per account: another session of the same account gets a copy with its own token, another account a page of its own", async () => {
    const amy = await get("/account", readers.amy);
    expect([amy.status, amy.cache]).toEqual([200, "miss"]);
    expect(amy.body).toContain(readers.amy.email);
    const again = await get("/account", readers.amyAgain);
    expect([again.status, again.cache]).toEqual([200, "role"]);
    expect(again.body).toContain(readers.amy.email);
    expect(new Set(tokensIn(again.body))).toEqual(new Set([readers.amyAgain.csrfToken]));
    expect(again.body).not.toContain(readers.amy.csrfToken);
    expect(again.body).not.toMatch(/rcph[a-z0-9]{32}/);
    expect(again.nonce).not.toBe(amy.nonce);
    // Kept as that session's own: read again, the same bytes.
    const replay = await get("/account", readers.amyAgain);
    expect([replay.cache, replay.body]).toEqual(["hit", again.body]);
    // Another administrator: a page made for his account, with his name and e-mail, none of hers.
    const abe = await get("/account", readers.abe);
    expect([abe.status, abe.cache]).toEqual([200, "miss"]);
    expect(abe.body).toContain("Abe Admin");
    expect(abe.body).toContain(readers.abe.email);
    expect(abe.body).not.toContain(readers.amy.email);
    expect(new Set(tokensIn(abe.body))).toEqual(new Set([readers.abe.csrfToken]));
  });

  it("sends a reader's copy in gzip, put together without compressing, to a browser that prefers brotli, and its replays too; a page made for one session alone in brotli", async () => {
    const chromium = "gzip, deflate, br, zstd";
    await get("/benchmarks", readers.ada);
    const copy = await getRaw("/benchmarks", readers.ben, chromium);
    expect([copy.status, namedTiming(copy.headers["server-timing"])]).toEqual([200, 'page-cache;desc="role"']);
    expect(copy.headers["content-encoding"]).toBe("gzip");
    expect(copy.headers["content-length"]).toBe(String(copy.bytes.length));
    const page = zlib.gunzipSync(copy.bytes).toString();
    expect(page).toContain("Ben Deputy-Head");
    expect(new Set(tokensIn(page))).toEqual(new Set([readers.ben.csrfToken]));
    const replay = await getRaw("/benchmarks", readers.ben, chromium);
    expect([namedTiming(replay.headers["server-timing"]), replay.headers["content-encoding"]]).toEqual(['page-cache;desc="hit"', "gzip"]);
    expect(replay.bytes.equals(copy.bytes)).toBe(true);
    // A client that does not take gzip gets the copy in brotli.
    const brOnly = await getRaw("/benchmarks", readers.ben, "br");
    expect(brOnly.headers["content-encoding"]).toBe("br");
    expect(zlib.brotliDecompressSync(brOnly.bytes).toString()).toBe(page);
    // Siobhan's pages are made for her session alone (her name needs escaping): brotli, as the browser prefers.
    const own = await getRaw("/benchmarks", readers.siobhan, chromium);
    expect([namedTiming(own.headers["server-timing"]), own.headers["content-encoding"]]).toEqual(['page-cache;desc="miss"', "br"]);
    expect(zlib.brotliDecompressSync(own.bytes).toString()).toContain("Siobhan O&#x27;Neill");
  });

  it("keeps the role's page through sign-ins (a refused one from anybody included); a sign-out still ends that session's kept pages", async () => {
    await get("/interventions", readers.ada);
    const signIn = (email: string) =>
      fetch(`${server!.url}/login`, { method: "POST", redirect: "manual", headers: { Origin: server!.url }, body: new URLSearchParams({ email, password: "not the passphrase" }) });
    // Before: every POST dropped every kept page, so each person signing in (or anyone at all
    // sending a refused sign-in) emptied the pages made for every role.
    expect((await signIn("nobody@test.rollcall.example")).status).toBe(401);
    expect((await signIn(readers.gwen.email)).status).toBe(401);
    const ben = await get("/interventions", readers.ben);
    expect(ben.cache).toBe("role");
    // Ada's own kept page is hers still.
    expect((await get("/interventions", readers.ada)).cache).toBe("hit");
  });

  it("gives a page whose token works: Ben signs out with the token his copy carries", async () => {
    const ben = await get("/codes", readers.ada).then(() => get("/codes", readers.ben));
    expect(ben.cache).toBe("role");
    const token = tokensIn(ben.body)[0];
    const signOut = await fetch(`${server!.url}/logout`, {
      method: "POST",
      headers: { Cookie: readers.ben.cookie, Origin: server!.url, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf: token }).toString(),
      redirect: "manual",
    });
    expect(signOut.status).toBe(302);
    // Signed out: nothing kept or made for his role reaches him.
    const after = await get("/codes", readers.ben);
    expect(after.status).toBe(302);
    expect(after.cache).toBeNull();
  });

  it("makes her own page for a reader whose name needs escaping, and for another role", async () => {
    await get("/groups", readers.ada);
    const siobhan = await get("/groups", readers.siobhan);
    expect(siobhan.cache).toBe("miss");
    expect(siobhan.body).toContain("Siobhan O&#x27;Neill");
    expect(siobhan.body).not.toContain("Ada Head");
    const gwen = await get("/groups", readers.gwen);
    expect(gwen.cache).toBe("miss");
    expect(gwen.body).toContain("Gwen Governor");
    expect(gwen.body).not.toContain("Ada Head");
  });

  it("ignores the placeholder header sent from outside", async () => {
    const forged = `${"x".repeat(32)} rcph${"a".repeat(32)} rcph${"b".repeat(32)} rcph${"c".repeat(32)}`;
    const answer = await get("/patterns", readers.siobhan, { "x-rollcall-shared-render": forged });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain("Siobhan O&#x27;Neill");
    expect(answer.body).not.toContain(`rcph${"a".repeat(32)}`);
  });

  it("makes the role's page afresh after a change relayed from the CLI", async () => {
    await get("/classes", readers.ada);
    // A command that may write (a role given again, the same one); one that only reads keeps pages (page-cache.test.ts).
    expect((await rollcall("users", "set-role", "--email", readers.abe.email, "--role", "admin")).code).toBe(0);
    const afresh = await get("/classes", readers.gwen).then(() => get("/classes", readers.ada));
    expect(afresh.cache).toBe("miss");
  });
});
