/**
 * The slow pages kept (scripts/page-cache.js; issue 11, item 4): a pupil's own page made once
 * per role with its view's audit entry held back and recorded for every reader it is sent to
 * (AUDITED, app/lib/audit.server.ts auditView), and the Audit, Users and Trust pages kept while
 * their version holds (app/lib/page-version.server.ts). What must not change: every view of a
 * pupil's page is in the audit trail, under the reader who was sent it, each time; a role that
 * may not see pupils never gets one; the audit trail and the Users page show what happened at
 * once (a view, a refused sign-in's lockout, an account added).
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances, withConnection } from "../../analytics/db.ts";
import { LOCKOUT_FAILURES, createSession, createUser, sessionSecret } from "../../analytics/users/store.ts";
import { signedSessionCookie, TEST_PASSWORD } from "../helpers/auth.ts";
import { cliOn, writeSmallRegister, initSchool } from "../helpers/cli.ts";
import { removeDb, tempDbPath } from "../helpers/db.ts";
import { startAppServer } from "../setup/app-server.ts";
import { getPage, type PageAnswer } from "../helpers/page-answer.ts";

const db = tempDbPath("page-audited");
const rollcall = cliOn(db);
const { calendar, pupils, marks } = writeSmallRegister(path.dirname(db));
const ADA = "A123456789012"; // Ada Lovelace, in the small register

interface Reader {
  name: string;
  email: string;
  cookie: string;
}
let readers: Record<"hana" | "hugo" | "gwen" | "alex" | "orla" | "pia", Reader>;
let server: Awaited<ReturnType<typeof startAppServer>> | undefined;

const get = (url: string, reader: Reader): Promise<PageAnswer> => getPage(server!.url, url, reader.cookie);

/** The audit trail's rows matching `search`, as the administrator's Audit page counts them. */
async function auditTotal(search: string): Promise<number> {
  const page = await get(`/audit?${search}`, readers.alex);
  expect(page.status).toBe(200);
  return countIn(page.body);
}

/** The Audit page's "… of N." (React puts comments between the text's parts), or 0 when it lists none. */
function countIn(body: string): number {
  const match = /of (?:<!-- -->)?([\d,]+)(?:<!-- -->)?\./.exec(body);
  return match ? Number(match[1].replace(/,/g, "")) : 0;
}

/** Pupil views of Ada recorded under `reader`'s e-mail. */
const viewsOfAda = (reader: Reader) => auditTotal(new URLSearchParams({ action: "pupil_view", actor: reader.email }).toString());

beforeAll(async () => {
  await initSchool(db);
  expect((await rollcall("import", "--calendar", calendar, "--pupils", pupils, "--marks", marks, "--as-of", "2025-09-01")).code).toBe(0);
  readers = await withConnection(db, async (c) => {
    const secret = await sessionSecret(c);
    const make = async (name: string, email: string, role: string): Promise<Reader> => {
      const user = await createUser(c, { email, name, role, password: TEST_PASSWORD });
      const { sessionId } = await createSession(c, user.id);
      return { name, email, cookie: await signedSessionCookie(secret, sessionId) };
    };
    return {
      hana: await make("Hana Head", "hana@test.rollcall.example", "head"),
      hugo: await make("Hugo Head", "hugo@test.rollcall.example", "head"),
      gwen: await make("Gwen Governor", "gwen@test.rollcall.example", "governor"),
      alex: await make("Alex Admin", "alex@test.rollcall.example", "admin"),
      // An apostrophe: never given a role's page (scripts/page-cache.js PLAIN), so hers is made for her.
      orla: await make("Orla O'Brien", "orla@test.rollcall.example", "head"),
      pia: await make("Pia Head", "pia@test.rollcall.example", "head"),
    };
  });
  await closeAllInstances();
  server = await startAppServer(db, { ROLLCALL_TODAY: "2026-03-04", ROLLCALL_WARM_UP: "0" });
});

afterAll(async () => {
  await server?.stop();
  removeDb(db);
});

describe("a pupil's page kept per role", () => {
  it("is made once for the role, and every view — first, replayed, another reader's copy — is recorded under the reader sent it", async () => {
    const url = `/pupils/${ADA}`;
    const first = await get(url, readers.hana);
    expect(first.status).toBe(200);
    expect(first.cache).toBe("miss");
    expect(first.body).toContain("Lovelace");
    expect(first.body).toContain("Hana Head");
    expect(await viewsOfAda(readers.hana)).toBe(1);

    const again = await get(url, readers.hana);
    expect(again.cache).toBe("hit");
    expect(again.body).toContain("Lovelace");
    expect(await viewsOfAda(readers.hana)).toBe(2);

    // Another head: the page made for the role, with his own name, recorded as his view.
    const hugo = await get(url, readers.hugo);
    expect(hugo.cache).toBe("role");
    expect(hugo.body).toContain("Hugo Head");
    expect(hugo.body).not.toContain("Hana Head");
    expect(hugo.body).not.toMatch(/rcph[a-z0-9]{32}/);
    expect(await viewsOfAda(readers.hugo)).toBe(1);
    expect(await viewsOfAda(readers.hana)).toBe(2);

    // The single-fetch data of the same page (an in-app navigation) is a view too.
    const data = await get(`${url}.data`, readers.hugo);
    expect(data.status).toBe(200);
    expect(await viewsOfAda(readers.hugo)).toBe(2);
    expect((await get(`${url}.data`, readers.hugo)).cache).toBe("hit");
    expect(await viewsOfAda(readers.hugo)).toBe(3);

    // Each row says what a pupil view says: the UPN, the period and the reader's name.
    const trail = await get(`/audit?${new URLSearchParams({ action: "pupil_view", actor: readers.hugo.email })}`, readers.alex);
    expect(trail.body).toContain(ADA);
    expect(trail.body).toContain("Hugo Head");
    expect(trail.body).not.toContain("rcph");
  });

  it("is never given to a role that may not see pupils, and that refusal is not recorded as a view", async () => {
    const url = `/pupils/${ADA}`;
    await get(url, readers.hana);
    expect((await get(url, readers.hana)).cache).toBe("hit");
    for (let i = 0; i < 2; i++) {
      const governor = await get(url, readers.gwen);
      expect(governor.status).toBe(403);
      expect(governor.body).not.toContain("Lovelace");
      expect(governor.cache).not.toBe("hit");
      expect(governor.cache).not.toBe("role");
    }
    expect(await viewsOfAda(readers.gwen)).toBe(0);
  });
});

describe("the pages that list pupils by name", () => {
  it("record every view — made afresh or sent again from the cache — under the reader, with the address viewed (trial19a: only a pupil's own page was recorded)", async () => {
    const listViews = (reader: Reader) => auditTotal(new URLSearchParams({ action: "pupil_list_view", actor: reader.email }).toString());
    expect(await listViews(readers.hana)).toBe(0);
    // The SLT pack on screen: its document (the page's frame) names pupils and is recorded.
    const pages = ["/pupils", "/casework", "/interventions", "/early-warning", "/quality", "/packs/slt/html?month=2026-03"];
    for (const url of pages) {
      const page = await get(url, readers.hana);
      expect(page.status, url).toBe(200);
    }
    expect(await listViews(readers.hana)).toBe(pages.length);
    const again = await get("/pupils", readers.hana);
    expect(again.cache).toBe("hit");
    expect(again.body).toContain("Lovelace");
    expect(await listViews(readers.hana)).toBe(pages.length + 1);
    // Another head is sent the role's page: recorded as his.
    const hugo = await get("/pupils?sort=name", readers.hugo);
    expect(hugo.status).toBe(200);
    expect(await listViews(readers.hugo)).toBe(1);
    const trail = await get(`/audit?${new URLSearchParams({ action: "pupil_list_view", actor: readers.hugo.email })}`, readers.alex);
    expect(trail.body).toContain("Viewed pupils by name");
    expect(trail.body).toContain("/pupils?sort=name");
    expect(trail.body).toMatch(/Pupils list, \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}: \d+ of \d+ pupils named/);
    // A governor may not open them, and is recorded as viewing none.
    expect((await get("/pupils", readers.gwen)).status).toBe(403);
    expect((await get("/packs/slt/html?month=2026-03", readers.gwen)).status).toBe(403);
    expect(await listViews(readers.gwen)).toBe(0);
  });

  it("records an import's page that names pupils (its amended marks) each time it is sent, made afresh, again or as the role's copy, though its address is not a list's (trial 27: the entry its loader held back was dropped)", async () => {
    const dir = path.dirname(db);
    const amended = path.join(dir, "amended-marks.csv");
    fs.writeFileSync(amended, "upn,date,session,code\r\nA123456789012,2026-03-04,PM,M\r\n");
    expect((await rollcall("import", "--marks", amended)).code).toBe(0);
    const history = await get("/imports", readers.alex);
    const id = Math.max(...[...history.body.matchAll(/href="\/imports\/(\d+)"/g)].map((m) => Number(m[1])));
    const url = `/imports/${id}`;
    const views = (reader: Reader) => auditTotal(new URLSearchParams({ action: "pupil_list_view", actor: reader.email, from: "2000-01-01" }).toString());
    const trail = async (reader: Reader) => (await get(`/audit?${new URLSearchParams({ action: "pupil_list_view", actor: reader.email })}`, readers.alex)).body;
    const [hana, hugo] = [await views(readers.hana), await views(readers.hugo)];
    const first = await get(url, readers.hana);
    expect(first.status).toBe(200);
    expect(first.body).toContain("Lovelace");
    expect(await views(readers.hana)).toBe(hana + 1);
    expect((await get(url, readers.hana)).cache).toBe("hit");
    expect(await views(readers.hana)).toBe(hana + 2);
    const copy = await get(url, readers.hugo);
    expect(copy.cache).toBe("role");
    expect(await views(readers.hugo)).toBe(hugo + 1);
    expect(await trail(readers.hugo)).toContain(`Import ${id} (amended-marks.csv): 1 of 1 amended marks named`);
  });

  it("records the SLT pack on screen each time its document is sent, not its page, which names no pupil (the page carried the whole document twice before)", async () => {
    const listViews = () => auditTotal(new URLSearchParams({ action: "pupil_list_view", actor: readers.hugo.email }).toString());
    const before = await listViews();
    const page = await get("/packs/slt?month=2026-03", readers.hugo);
    expect(page.status).toBe(200);
    expect(page.body).toContain('src="/packs/slt/html?month=2026-03"');
    const document = await get("/packs/slt/html?month=2026-03", readers.hugo);
    expect(document.status).toBe(200);
    // The document names the pupil the page does not (a pupil absent in March).
    const named = /Lovelace|Jonson/.exec(document.body)?.[0];
    expect(named).toBeDefined();
    expect(page.body).not.toContain(named);
    expect(await listViews()).toBe(before + 1);
    // Sent again (kept for the register's state): recorded again.
    const again = await get("/packs/slt/html?month=2026-03", readers.hugo);
    expect(again.body).toBe(document.body);
    expect(await listViews()).toBe(before + 2);
    const trail = await get(`/audit?${new URLSearchParams({ action: "pupil_list_view", actor: readers.hugo.email })}`, readers.alex);
    expect(trail.body).toContain("SLT pack on screen, March 2026");
  });
});

describe("the audit trail and the Users page kept while nothing they show changed", () => {
  it("keeps the audit trail until a row is written, and shows that row at once", async () => {
    const search = new URLSearchParams({ action: "pupil_view" }).toString();
    await get(`/audit?${search}`, readers.alex);
    const kept = await get(`/audit?${search}`, readers.alex);
    expect(kept.cache).toBe("hit");
    const before = countIn(kept.body);
    expect(before).toBeGreaterThan(0);
    await get(`/pupils/${ADA}`, readers.hugo); // a view: one row, written without a commit
    const after = await get(`/audit?${search}`, readers.alex);
    expect(after.cache).toBe("miss");
    expect(countIn(after.body)).toBe(before + 1);
  });

  it("keeps the Users page and shows a lockout from refused sign-ins, and an account added, at once", async () => {
    const lockRow = (email: string) => `<td data-label="Account">${email}</td>`;
    const locked = "hugo@test.rollcall.example";
    // The first listing after start-up learns when the lockout window next changes: made twice.
    await get("/users", readers.alex);
    await get("/users", readers.alex);
    const kept = await get("/users", readers.alex);
    expect(kept.cache).toBe("hit");
    expect(kept.body).not.toContain(lockRow(locked));
    // Refused sign-ins (POSTs that only forget the session checks) lock the account from this address.
    for (let i = 0; i < LOCKOUT_FAILURES; i++) {
      const refused = await fetch(`${server!.url}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { Origin: server!.url, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: locked, password: "not the password at all" }),
      });
      await refused.text();
    }
    const after = await get("/users", readers.alex);
    expect(after.status).toBe(200);
    expect(after.cache).toBe("miss");
    expect(after.body).toContain(lockRow(locked));
    expect((await get("/users", readers.alex)).cache).toBe("hit");

    // An account added through the CLI (relayed to the server) is listed on the next request.
    process.env.ROLLCALL_PASSWORD = TEST_PASSWORD;
    const added = await rollcall("users", "add", "--email", "new.teacher@test.rollcall.example", "--name", "New Teacher", "--role", "slt");
    expect(added.code, added.stderr).toBe(0);
    const listed = await get("/users", readers.alex);
    expect(listed.cache).toBe("miss");
    expect(listed.body).toContain("new.teacher@test.rollcall.example");
  });
});

describe("the packs' documents kept as the pages are (issue 11: the SLT pack's was made for every view, 1.01× the plain scan)", () => {
  const SLT = "/packs/slt/html?month=2026-03";
  const listViews = (reader: Reader) => auditTotal(new URLSearchParams({ action: "pupil_list_view", actor: reader.email }).toString());
  /** The document without its "Produced by Rollcall on <time>" line, which a file made again changes. */
  const content = (body: string) => body.replace(/<p class="generated">Produced by Rollcall on [^.]*\./, "");
  /** The answer as sent on the wire, its gzip bytes not decoded (fetch would decode them). */
  const raw = (url: string, reader: Reader): Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: Buffer }> =>
    new Promise((resolve, reject) => {
      http
        .get(`${server!.url}${url}`, { headers: { Cookie: reader.cookie, "Accept-Encoding": "gzip" } }, (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, bytes: Buffer.concat(chunks) }));
        })
        .on("error", reject);
    });

  it("sends the SLT pack's document again from memory, the same bytes as Remix makes, each view recorded under its reader", async () => {
    const [pia, hugo, orla] = [await listViews(readers.pia), await listViews(readers.hugo), await listViews(readers.orla)];
    const first = await get(SLT, readers.pia);
    expect(first.status).toBe(200);
    // Made now, or the head's page made for an earlier reader of the role.
    expect(["miss", "role"]).toContain(first.cache);
    expect(first.body).toMatch(/Lovelace|Jonson/);
    const again = await get(SLT, readers.pia);
    expect(again.cache).toBe("hit");
    expect(again.body).toBe(first.body);
    // Another head: the page made for the role, the same document.
    const copy = await get(SLT, readers.hugo);
    expect(copy.cache).toBe("role");
    expect(copy.body).toBe(first.body);
    // A reader who cannot be given a role's page gets it made by Remix for her alone, never kept: the same bytes.
    const own = await get(SLT, readers.orla);
    expect([own.status, own.cache]).toEqual([200, null]);
    expect(own.body).toBe(first.body);
    expect([await listViews(readers.pia), await listViews(readers.hugo), await listViews(readers.orla)]).toEqual([pia + 2, hugo + 1, orla + 1]);
    const trail = await get(`/audit?${new URLSearchParams({ action: "pupil_list_view", actor: readers.pia.email })}`, readers.alex);
    expect(trail.body).toContain("SLT pack on screen, March 2026");
    expect(trail.body).toContain(SLT.replace("&", "&amp;"));

    // On the wire: a replay is the same gzip bytes, with the document's own headers (framed by Rollcall only, no script).
    const sent = await raw(SLT, readers.pia);
    const replay = await raw(SLT, readers.pia);
    expect([sent.status, sent.headers["content-encoding"], replay.headers["content-encoding"]]).toEqual([200, "gzip", "gzip"]);
    expect(replay.bytes.equals(sent.bytes)).toBe(true);
    expect(gunzipSync(sent.bytes).toString("utf8")).toBe(first.body);
    expect(Number(sent.headers["content-length"])).toBe(sent.bytes.length);
    expect(replay.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(replay.headers["content-disposition"]).toMatch(/^inline; filename="rollcall-slt-pack-2026-03[a-z0-9-]*\.html"$/);
    expect(replay.headers["content-security-policy"]).toContain("script-src 'none'");
    expect(replay.headers["content-security-policy"]).toContain("frame-ancestors 'self'");
    expect(replay.headers["x-frame-options"]).toBe("SAMEORIGIN");
    expect(replay.headers["cache-control"]).toBe("no-store");
    // What the route said of making its file is not replayed as if it were true of this answer.
    expect(replay.headers["server-timing"]).toMatch(/^page-cache;desc="hit", app;dur=[\d.]+$/);
    expect(await listViews(readers.pia)).toBe(pia + 4);
  });

  it("never gives a governor the SLT pack's document, kept for a head or not, nor records it as a view", async () => {
    expect((await get(SLT, readers.pia)).cache).toBe("hit");
    const gwen = await listViews(readers.gwen);
    for (let i = 0; i < 2; i++) {
      const refused = await get(SLT, readers.gwen);
      expect(refused.status).toBe(403);
      expect(refused.body).not.toMatch(/Lovelace|Jonson/);
      expect(refused.cache).not.toBe("hit");
      expect(refused.cache).not.toBe("role");
    }
    expect(await listViews(readers.gwen)).toBe(gwen);
  });

  it("makes a new document after an import (the commentary's save: test/browser/pack-documents-kept.test.ts)", async () => {
    const kept = await get(SLT, readers.pia);
    expect(kept.cache).toBe("hit");
    const amended = path.join(path.dirname(db), "amended-march.csv");
    fs.writeFileSync(amended, "upn,date,session,code\r\nB123456789012,2026-03-04,AM,O\r\n");
    expect((await rollcall("import", "--marks", amended)).code).toBe(0);
    const imported = await get(SLT, readers.pia);
    expect([imported.status, imported.cache]).toEqual([200, "miss"]);
    expect(content(imported.body)).not.toBe(content(kept.body));
    expect((await get(SLT, readers.hugo)).body).toBe(imported.body);
  });
});
