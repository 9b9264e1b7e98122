/**
 * The kept pages' bookkeeping (scripts/page-cache.js): which paths may be kept, how long an
 * entry lives, that a drop during a request stops its page being kept, that the oldest go
 * first when the bytes run out (compressed forms counted too), which content coding a client
 * gets, and the session checks kept in memory (how long, and that every drop forgets them). The
 * server's use of it is tested end to end in test/browser/page-cache.test.ts.
 */
import { deflateRawSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { worthMakingAgain } from "../app/lib/page-addresses.ts";
import { DEFLATE_CHUNK, DEFLATE_SMALL_CHUNK, PageCache, SYNC_DEFLATE_BYTES, auditedPath, handsCheckedSession, versionServes, cacheablePath, chooseEncoding, copyLength, deflateTemplate, gzipCopy, personalise, shareKey, shareableFor, templateOf } from "../scripts/page-cache.js";

const page = (body: string) => ({ status: 200, statusText: "OK", headers: [["content-type", "text/html"]], body: Buffer.from(body), csp: "script-src 'nonce-n0'" });
/** The Express request fields sessionIdFor reads. */
const request = (cookie?: string) => ({ protocol: "http", headers: cookie === undefined ? {} : { cookie } });

describe("kept pages", () => {
  it("keeps only pages that change by a commit, a form sent to them or their version (the audit trail, Users, Trust), a pupil's page, the pages listing pupils and the SLT pack's document only as audited ones, never a download (each audited) or sign-in", () => {
    for (const path of ["/", "/_root.data", "/pupils", "/pupils.data", "/casework", "/packs/fgb", "/definitions", "/import", "/imports", "/imports/3", "/settings", "/audit", "/trust", "/users", "/users.data", "/pupils/A123456789012", "/pupils/A123456789012.data", "/packs/slt/html", "/packs/fgb/html"]) {
      expect(cacheablePath(path), path).toBe(true);
    }
    for (const path of ["/pupils.csv", "/casework.csv", "/packs/slt/pdf", "/packs/fgb/xlsx", "/packs/slt/html.data", "/packs/slt/html/x", "/benchmarks/report/xlsx", "/import/progress", "/imports/3/rows.csv", "/audit.csv", "/audit/exports", "/login", "/logout", "/pupils/A1/x"]) {
      expect(cacheablePath(path), path).toBe(false);
    }
    // Every view of a pupil's page is recorded, kept or not (the server records each reader's).
    expect(auditedPath("/pupils/A123456789012")).toBe(true);
    expect(auditedPath("/pupils/A123456789012.data")).toBe(true);
    // So is every view of a page that lists pupils by name (trial19a: only a pupil's page was).
    for (const path of ["/pupils", "/pupils.data", "/casework", "/interventions", "/early-warning", "/quality"]) expect(auditedPath(path), path).toBe(true);
    // The SLT pack's page names no pupil; its document does (the governors' pack's names none).
    expect(auditedPath("/packs/slt/html")).toBe(true);
    for (const path of ["/", "/trends", "/groups", "/classes", "/packs/fgb", "/packs", "/benchmarks", "/packs/slt", "/packs/slt.data", "/packs/fgb/html"]) expect(auditedPath(path), path).toBe(false);
  });

  it("serves an entry only at the version it was made at, and drops it at another", () => {
    const cache = new PageCache();
    const key = cache.key("s1", "/audit");
    expect(cache.set(key, { ...page("<p>7 rows</p>"), version: "audit 7" }, cache.epoch)).not.toBeNull();
    expect(cache.get(key, "audit 7")?.body.toString()).toBe("<p>7 rows</p>");
    expect(cache.get(key, "audit 8")).toBeUndefined();
    expect(cache.get(key, "audit 7")).toBeUndefined(); // dropped, not kept beside the newer one
    // A page with no version is served to requests reading none ("").
    expect(cache.set(key, page("<p>x</p>"), cache.epoch)).not.toBeNull();
    expect(cache.get(key)?.body.toString()).toBe("<p>x</p>");
    expect(cache.get(key, "audit 9")).toBeUndefined();
  });

  it("serves an entry made at a count (the audit trail's rows) to requests begun at that count or an earlier one, never a later one", () => {
    expect(versionServes("audit #8", "audit #7")).toBe(true);
    expect(versionServes("audit #7", "audit #7")).toBe(true);
    expect(versionServes("audit #7", "audit #8")).toBe(false);
    expect(versionServes("audit #10", "audit #9")).toBe(true); // by number, not by text
    expect(versionServes("audit #9", "audit #10")).toBe(false);
    expect(versionServes("lake #9", "audit #7")).toBe(false); // another thing counted
    // Versions that are no count: only the same one.
    expect(versionServes("accounts 3|before", "accounts 2|before")).toBe(false);
    expect(versionServes("audit 8", "audit 7")).toBe(false);
    expect(versionServes(undefined, "")).toBe(true);
    expect(versionServes("audit #8", "")).toBe(false);
    const cache = new PageCache();
    const key = cache.key("s1", "/audit");
    cache.set(key, { ...page("<p>8 rows</p>"), version: "audit #8" }, cache.epoch);
    expect(cache.get(key, "audit #7")?.body.toString()).toBe("<p>8 rows</p>");
    expect(cache.get(key, "audit #8")?.body.toString()).toBe("<p>8 rows</p>");
    expect(cache.get(key, "audit #9")).toBeUndefined();
    expect(cache.get(key, "audit #8")).toBeUndefined(); // dropped once a later count asked for it
  });

  it("serves an entry until it is a minute old, and not after", () => {
    let now = Date.parse("2026-03-04T10:00:00Z");
    const cache = new PageCache({ maxAgeMs: 60_000, now: () => now });
    const key = cache.key("s1", "/");
    expect(cache.set(key, page("<p>1</p>"), cache.epoch)).not.toBeNull();
    now += 59_999;
    expect(cache.get(key)?.body.toString()).toBe("<p>1</p>");
    now += 1;
    expect(cache.get(key)).toBeUndefined();
  });

  it("keys by session, address and the day in London", () => {
    let now = Date.parse("2026-03-04T23:30:00Z"); // 23:30 GMT, still 4 March in London
    const cache = new PageCache({ now: () => now });
    expect(cache.key("s1", "/")).not.toBe(cache.key("s2", "/"));
    expect(cache.key("s1", "/")).not.toBe(cache.key("s1", "/?period=month"));
    const march4 = cache.key("s1", "/");
    now = Date.parse("2026-07-04T23:30:00Z"); // 00:30 BST on 5 July
    expect(cache.key("s1", "/")).toContain("2026-07-05");
    expect(march4).toContain("2026-03-04");
  });

  it("knows the day in London at every moment, across midnight and the clock changes, formatting it once a minute", () => {
    const london = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" });
    let now = 0;
    const cache = new PageCache({ now: () => now });
    // The nights the clocks go forward (29 March 2026) and back (25 October 2026), and a winter and a summer midnight.
    for (const evening of ["2026-03-28T22:00:00Z", "2026-10-24T22:00:00Z", "2026-01-01T22:00:00Z", "2026-07-04T22:00:00Z"]) {
      for (let t = Date.parse(evening); t < Date.parse(evening) + 30 * 3600_000; t += 7_919) {
        now = t;
        expect(cache.day(), new Date(t).toISOString()).toBe(london.format(t));
      }
    }
    now = Date.parse("2026-07-04T22:59:59.999Z"); // 23:59:59.999 BST
    expect(cache.day()).toBe("2026-07-04");
    now += 1;
    expect(cache.day()).toBe("2026-07-05");
  });

  it("does not keep a page whose request began before a drop", () => {
    const cache = new PageCache();
    const began = cache.epoch;
    cache.clear();
    expect(cache.set(cache.key("s1", "/"), page("old"), began)).toBeNull();
    expect(cache.get(cache.key("s1", "/"))).toBeUndefined();
  });

  it("lets the oldest entries go when the bytes run out", () => {
    const cache = new PageCache({ maxBytes: 8 * 1000 });
    const body = "x".repeat(800); // 800 bytes, within an eighth of the limit
    for (let i = 0; i < 12; i++) cache.set(cache.key("s", `/p${i}`), page(body), cache.epoch);
    expect(cache.bytes).toBeLessThanOrEqual(8000);
    expect(cache.get(cache.key("s", "/p0"))).toBeUndefined();
    expect(cache.get(cache.key("s", "/p11"))?.body.toString()).toBe(body);
  });

  it("lets sessions' copies go before the pages made for a role, which cost a whole render each", () => {
    const cache = new PageCache({ maxBytes: 8 * 1000 });
    const body = "x".repeat(800);
    cache.set(cache.roleKey("head", "/"), page(body), cache.epoch);
    cache.set(cache.roleKey("admin#7", "/users"), page(body), cache.epoch);
    for (let i = 0; i < 12; i++) cache.set(cache.key(`s${i}`, "/"), page(body), cache.epoch);
    expect(cache.bytes).toBeLessThanOrEqual(8000);
    expect(cache.get(cache.roleKey("head", "/"))).toBeDefined();
    expect(cache.get(cache.roleKey("admin#7", "/users"))).toBeDefined();
    expect(cache.get(cache.key("s0", "/"))).toBeUndefined();
    expect(cache.get(cache.key("s11", "/"))).toBeDefined();
    // Role pages alone past the limit: the oldest of them go.
    for (let i = 0; i < 12; i++) cache.set(cache.roleKey("slt", `/p${i}`), page(body), cache.epoch);
    expect(cache.bytes).toBeLessThanOrEqual(8000);
    expect(cache.get(cache.roleKey("head", "/"))).toBeUndefined();
    expect(cache.get(cache.roleKey("slt", "/p11"))).toBeDefined();
  });

  it("compresses a kept page once per coding, keeps the bytes with it and counts them", async () => {
    const cache = new PageCache();
    const body = `<p>${"Year 3 attendance 94.1 % ".repeat(200)}</p>`;
    const entry = cache.set(cache.key("s1", "/"), page(body), cache.epoch)!;
    expect(cache.bytes).toBe(Buffer.byteLength(body));
    const first = cache.encoded(entry, "gzip");
    expect(cache.encoded(entry, "gzip")).toBe(first); // the same bytes again, not compressed again
    const gzipped = await first;
    expect(gunzipSync(gzipped).toString()).toBe(body);
    expect(cache.bytes).toBe(Buffer.byteLength(body) + gzipped.length);
    // A drop forgets the page and its compressed forms; a form made for a page no longer kept is not counted.
    const late = cache.encoded(entry, "br");
    cache.clear();
    await late;
    expect(cache.bytes).toBe(0);
  });

  it("answers in brotli or gzip as the client rates them, brotli on a tie, else as it is", () => {
    expect(chooseEncoding(undefined)).toBe("identity");
    expect(chooseEncoding("")).toBe("identity");
    expect(chooseEncoding("gzip, deflate")).toBe("gzip"); // Node's fetch over http
    expect(chooseEncoding("gzip, deflate, br, zstd")).toBe("br"); // Chromium
    expect(chooseEncoding("br;q=0.5, gzip")).toBe("gzip");
    expect(chooseEncoding("gzip;q=0, br;q=0")).toBe("identity");
    expect(chooseEncoding("deflate")).toBe("identity");
    expect(chooseEncoding("identity")).toBe("identity");
    expect(chooseEncoding("*")).toBe("br");
    expect(chooseEncoding("*;q=0.2, gzip;q=0.5")).toBe("gzip");
    expect(chooseEncoding("*, br;q=0")).toBe("gzip");
  });
});

describe("session checks kept in memory", () => {
  it("accepts a cookie the full check passed again without it for the recheck time, then checks afresh", async () => {
    let now = Date.parse("2026-03-04T10:00:00Z");
    const cache = new PageCache({ sessionRecheckMs: 60_000, now: () => now });
    const checked: string[] = [];
    const check = (id: string | null) => async () => (checked.push(String(id)), id);
    expect(await cache.sessionIdFor(request("rollcall_session=a"), check("s1"))).toBe("s1");
    now += 59_999;
    expect(await cache.sessionIdFor(request("rollcall_session=a"), check("never asked"))).toBe("s1");
    // Another cookie is checked on its own.
    expect(await cache.sessionIdFor(request("rollcall_session=b"), check("s2"))).toBe("s2");
    now += 1;
    expect(await cache.sessionIdFor(request("rollcall_session=a"), check(null))).toBeNull();
    expect(checked).toEqual(["s1", "s2", "null"]);
  });

  it("never keeps a refusal, a request without a cookie, or a check a drop came during", async () => {
    const cache = new PageCache();
    const checked: string[] = [];
    const check = (id: string | null) => async () => (checked.push(String(id)), id);
    expect(await cache.sessionIdFor(request("rollcall_session=x"), check(null))).toBeNull();
    expect(await cache.sessionIdFor(request("rollcall_session=x"), check("s1"))).toBe("s1"); // asked again, not a kept refusal
    expect(await cache.sessionIdFor(request(), check(null))).toBeNull();
    expect(await cache.sessionIdFor(request(), check(null))).toBeNull();
    // A sign-out (a POST: a drop) while a request's check runs: that check is not kept.
    const during = await cache.sessionIdFor(request("rollcall_session=y"), async () => {
      cache.clear();
      return "s2";
    });
    expect(during).toBe("s2");
    expect(await cache.sessionIdFor(request("rollcall_session=y"), check(null))).toBeNull();
    expect(checked).toEqual(["null", "s1", "null", "null", "null"]);
  });

  it("runs one full check for requests of one cookie at once, the others taking its answer; one that waits across a drop checks afresh", async () => {
    const cache = new PageCache();
    const checked: string[] = [];
    // Checks that answer when told (`finish`: every one begun and not yet answered).
    let waiting: Array<(id: string | null) => void> = [];
    const finish = (id: string | null) => {
      for (const resolve of waiting.splice(0)) resolve(id);
    };
    const slow = (name: string) => () => (checked.push(name), new Promise<string | null>((resolve) => waiting.push(resolve)));
    // 50 readers of one session ask at once: one check, every request its answer.
    const many = Array.from({ length: 50 }, () => cache.sessionIdFor(request("rollcall_session=a"), slow("a")));
    const other = cache.sessionIdFor(request("rollcall_session=b"), async () => (checked.push("b"), "s2"));
    finish("s1");
    expect(await Promise.all(many)).toEqual(Array(50).fill("s1"));
    expect(await other).toBe("s2");
    expect(checked).toEqual(["a", "b"]);
    expect(cache.stats.sessionChecks).toBe(2);
    // A drop (a sign-out) while a request waits for another's check: it checks afresh.
    cache.clear();
    checked.length = 0;
    const first = cache.sessionIdFor(request("rollcall_session=c"), slow("c1"));
    const joined = cache.sessionIdFor(request("rollcall_session=c"), async () => (checked.push("c2"), null));
    cache.clear();
    finish("s3");
    expect(await first).toBe("s3"); // the request whose check it was, as before
    expect(await joined).toBeNull(); // checked again after the drop: signed out
    // A request that comes after the drop does not join the check begun before it.
    const before = cache.sessionIdFor(request("rollcall_session=d"), slow("d1"));
    cache.forgetSessions();
    const after = cache.sessionIdFor(request("rollcall_session=d"), async () => (checked.push("d2"), null));
    expect(await after).toBeNull();
    finish("s4");
    expect(await before).toBe("s4");
    expect(checked).toEqual(["c1", "c2", "d1", "d2"]);
  });

  it("forgets every session check on a drop (a sign-out, a role changed, an account disabled, a relayed command)", async () => {
    const cache = new PageCache();
    expect(await cache.sessionIdFor(request("rollcall_session=a"), async () => "s1")).toBe("s1");
    cache.clear();
    expect(await cache.sessionIdFor(request("rollcall_session=a"), async () => null)).toBeNull();
  });

  it("hands the reader it checked to every GET with a cookie it sends to Remix (a pack's document, a download), never to a form, signing in or out, or with the cache off", () => {
    const cache = new PageCache();
    const req = (method: string, path: string) => ({ ...request("rollcall_session=a"), method, path });
    for (const path of ["/packs/slt/html", "/packs/fgb/pdf", "/pupils.csv", "/audit.csv", "/import/progress", "/trends", "/pupils/A123456789012"]) expect(handsCheckedSession(req("GET", path), cache), path).toBe(true);
    expect(handsCheckedSession(req("POST", "/packs/slt/html"), cache)).toBe(false);
    expect(handsCheckedSession(req("HEAD", "/packs/slt/html"), cache)).toBe(false);
    expect(handsCheckedSession({ ...request(), method: "GET", path: "/packs/slt/html" }, cache)).toBe(false); // no cookie: nobody to hand
    for (const path of ["/login", "/logout", "/login.data"]) expect(handsCheckedSession(req("GET", path), cache), path).toBe(false);
    expect(handsCheckedSession(req("GET", "/packs/slt/html"), new PageCache({ maxAgeMs: 0 }))).toBe(false);
  });
});

describe("pages made once for every reader of a role, or of an account", () => {
  const placeholders = { name: `rcph${"a".repeat(32)}`, email: `rcph${"b".repeat(32)}`, csrfToken: `rcph${"c".repeat(32)}` };
  const madeNonce = "N0nce+/made==";
  const reader = { sessionId: "s1", userId: 7, role: "admin", name: "Zoë Admin", email: "zoe@test.rollcall.example", csrfToken: "tok123" };

  it("puts the reader's own name, e-mail, token and nonce in every place the placeholders and the made nonce held, in one pass", () => {
    const text = `<p>${placeholders.name} (${placeholders.email})</p><script nonce="${madeNonce}">x</script><input value="${placeholders.csrfToken}"><meta content="${placeholders.csrfToken}"><script nonce="${madeNonce}"></script>`;
    const template = templateOf(text, placeholders, madeNonce);
    expect(template.slots).toEqual(["name", "email", "nonce", "csrfToken", "csrfToken", "nonce"]);
    expect(personalise(template, reader, "R3ader/nonce=").toString()).toBe(
      `<p>Zoë Admin (zoe@test.rollcall.example)</p><script nonce="R3ader/nonce=">x</script><input value="tok123"><meta content="tok123"><script nonce="R3ader/nonce="></script>`,
    );
    // A string put back is not searched again: a name holding the made nonce stays as it is.
    const odd = { ...reader, name: `Eve ${madeNonce}` };
    expect(personalise(template, odd, "other").toString()).toContain(`<p>Eve ${madeNonce} (`);
    // Nothing to replace: the page as it was; no nonce made with: only the three.
    expect(personalise(templateOf("<p>plain</p>", placeholders, madeNonce), reader, "n").toString()).toBe("<p>plain</p>");
    expect(templateOf(`${madeNonce}${placeholders.name}`, placeholders, "").slots).toEqual(["name"]);
  });

  it("puts each reader's copy in gzip together from the role's page compressed once: it decompresses to the copy, byte for byte", async () => {
    let text = `<html><head><meta name="csrf-token" content="${placeholders.csrfToken}"><script nonce="${madeNonce}"></script></head><body><p>${placeholders.name} · ${placeholders.email}</p>`;
    for (let i = 0; i < 2000; i++) text += `<tr><td>${i}</td><td>Zoë ${(i * 7919) % 97} é</td>${i % 400 === 0 ? `<form><input name="csrf" value="${placeholders.csrfToken}"></form>` : ""}</tr>`;
    text += `${"x".repeat(70_000)}${placeholders.name}</body></html>`;
    const template = templateOf(text, placeholders, madeNonce);
    // A name longer than a stored block holds, and an empty one, besides the ordinary.
    for (const who of [reader, { ...reader, name: "N".repeat(70_000) }, { ...reader, name: "" }]) {
      const body = personalise(template, who, "R3ader/nonce=");
      const gz = gzipCopy(template, who, "R3ader/nonce=");
      expect(gz.subarray(0, 3)).toEqual(Buffer.from([0x1f, 0x8b, 8]));
      expect(gunzipSync(gz).equals(body)).toBe(true);
      // Compressed still (the reader's own strings go as they are).
      if (who === reader) expect(gz.length).toBeLessThan(body.length / 4);
    }
    // Compressed ahead on zlib's threads (as the warm-up does), the same copy.
    const ahead = templateOf(text, placeholders, madeNonce);
    await deflateTemplate(ahead);
    expect((ahead as { deflated?: Buffer[] }).deflated).toHaveLength(ahead.chunks.length);
    const body = personalise(ahead, reader, "n");
    expect(gunzipSync(gzipCopy(ahead, reader, "n")).equals(body)).toBe(true);
  });

  it("keeps a reader's copy without its plain bytes, put together only when asked for: the same bytes, counted then", () => {
    const text = `<p>${placeholders.name} (${placeholders.email})</p><script nonce="${madeNonce}">x</script><input value="${placeholders.csrfToken}">${"<tr><td>Zoë</td></tr>".repeat(500)}`;
    const template = templateOf(text, placeholders, madeNonce);
    const plain = personalise(template, reader, "R3ader/nonce=");
    expect(copyLength(template, reader, "R3ader/nonce=")).toBe(plain.length);
    const cache = new PageCache();
    const page = { status: 200, statusText: "OK", headers: [["content-type", "text/html"]], body: null, copyOf: { template, reader, nonce: "R3ader/nonce=" }, length: plain.length };
    const entry = cache.set("s1\n/trends\n2026-11-23", page, cache.epoch)!;
    expect([entry.body, entry.bytes, cache.bytes]).toEqual([null, 0, 0]);
    expect(gunzipSync(gzipCopy(template, reader, "R3ader/nonce=")).equals(plain)).toBe(true);
    expect(cache.bodyOf(entry).equals(plain)).toBe(true);
    expect([entry.bytes, cache.bytes]).toEqual([plain.length, plain.length]);
    // Asked again: the same bytes, counted once.
    expect(cache.bodyOf(entry)).toBe(entry.body);
    expect(cache.bytes).toBe(plain.length);
    // Too large for the cache by its length, though no bytes are held yet: not kept.
    expect(new PageCache({ maxBytes: plain.length * 4 }).set("k", page, 0)).toBeNull();
  });

  it("compresses a small page's template at once on the one thread, a large one's on zlib's threads; either way each copy decompresses to itself", async () => {
    const page = (bytes: number) => templateOf(`<head><meta content="${placeholders.csrfToken}"><script nonce="${madeNonce}"></script></head><p>${placeholders.name}</p>${"<tr><td>Zoë 12</td></tr>".repeat(Math.ceil(bytes / 24))}<p>${placeholders.email}</p>`, placeholders, madeNonce);
    const small = page(SYNC_DEFLATE_BYTES / 2);
    const done = deflateTemplate(small);
    // Before any await: no wait behind other work on zlib's (libuv's) threads.
    expect((small as { deflated?: Buffer[] }).deflated).toHaveLength(small.chunks.length);
    await done;
    const large = page(SYNC_DEFLATE_BYTES * 2);
    const later = deflateTemplate(large);
    expect((large as { deflated?: Buffer[] }).deflated).toBeUndefined();
    await later;
    expect((large as { deflated?: Buffer[] }).deflated).toHaveLength(large.chunks.length);
    for (const template of [small, large]) {
      const body = personalise(template, reader, "R3ader/nonce=");
      expect(gunzipSync(gzipCopy(template, reader, "R3ader/nonce=")).equals(body)).toBe(true);
    }
    // The small one at zlib's fastest level (it is made again and again: the Audit page after
    // every view), the large one at the default level, once on zlib's threads.
    const deflatedAt = (template: typeof small, options: object) => template.chunks.map((chunk) => deflateRawSync(chunk, options));
    expect((small as { deflated?: Buffer[] }).deflated).toEqual(deflatedAt(small, DEFLATE_SMALL_CHUNK));
    expect(DEFLATE_SMALL_CHUNK.level).toBe(1);
    expect((large as { deflated?: Buffer[] }).deflated).toEqual(deflatedAt(large, DEFLATE_CHUNK));
    expect(DEFLATE_CHUNK.level).toBe(6);
  });

  it("makes the Users page once per account (its loader reads the reader's account id), every other shared page once per role", () => {
    expect(shareableFor("/users", reader)).toBe(true);
    expect(shareKey("/users", reader)).toBe("admin#7");
    expect(shareKey("/users.data", reader)).toBe("admin#7");
    expect(shareKey("/trends", reader)).toBe("admin");
    expect(shareKey("/pupils/A123456789012", reader)).toBe("admin");
    // The packs' documents: the same file for every reader, made once per role (which pack it may send).
    for (const path of ["/packs/slt/html", "/packs/fgb/html"]) expect([shareableFor(path, reader), shareKey(path, reader)], path).toEqual([true, "admin"]);
    // No account id, no page shared by account.
    expect(shareableFor("/users", { ...reader, userId: undefined })).toBe(false);
    expect(shareableFor("/users", { ...reader, userId: 0 })).toBe(false);
    expect(shareableFor("/trends", { ...reader, userId: undefined })).toBe(true);
  });

  it("remembers the pages made for a role that a drop emptied, to make them again, not the sessions' or an account's", () => {
    const cache = new PageCache();
    const at = cache.epoch;
    cache.set(cache.roleKey("head", "/pupils/A123456789012"), page("a"), at);
    cache.set(cache.roleKey("admin", "/imports/3"), page("b"), at);
    cache.set(cache.roleKey("admin#7", "/users"), page("c"), at);
    cache.set(cache.key("s1", "/codes"), page("d"), at);
    // Each read by a reader (sendForRole notes it), the pupil's page first.
    for (const [who, url] of [["head", "/pupils/A123456789012"], ["admin", "/imports/3"], ["admin#7", "/users"]]) cache.noteRead(cache.roleKey(who, url));
    // The warm-up hears of every drop, to make the pages again.
    let heard = 0;
    cache.onClear(() => (heard += 1));
    cache.clear();
    expect(heard).toBe(1);
    expect(cache.pagesToMakeAgain()).toEqual(
      expect.arrayContaining([
        { role: "head", url: "/pupils/A123456789012" },
        { role: "admin", url: "/imports/3" },
      ]),
    );
    expect(cache.pagesToMakeAgain()).toHaveLength(2);
    // A second drop with nothing kept forgets none of them; one made again is taken off.
    cache.clear();
    cache.madeAgain("head", "/pupils/A123456789012");
    expect(cache.pagesToMakeAgain()).toEqual([{ role: "admin", url: "/imports/3" }]);
  });

  // Trial 47: every distinct address made for a role was made again after every commit, the
  // first 200 kept, so junk and one-off query strings crowded out the pages readers return to.
  it("remembers only pages a reader was sent in the last hour, at an address its route reads, the most recently read first", () => {
    let clock = Date.parse("2026-03-04T10:00:00Z");
    const cache = new PageCache({ now: () => clock, worthMakingAgain });
    const at = cache.epoch;
    const real = [
      ["head", "/pupils/A123456789012"],
      ["admin", "/imports/3"],
      ["head", "/pupils?year_group=5&sort=attendance&dir=asc"],
      ["slt", "/trends?period=term&term=spring-2026&by=month"],
      ["head", "/casework.data?rule=persistent&_routes=routes%2Fcasework"],
      ["head", "/packs/slt/html?month=2026-02"],
    ];
    const junk = [
      ["admin", "/pupils?x=1"],
      ["admin", "/pupils?page=9999"],
      ["admin", "/groups?utm_source=newsletter"],
      ["admin", "/codes?yeargroup=5"], // a misspelt filter
      ["admin", "/pupils?year_group=5&year_group=6"], // a parameter given twice
      ["admin", "/pupils?sort=name&dir=sideways"],
      ["admin", "/packs/fgb?term=spring-2026&saved=1"], // said once after a save
      ["admin", "/import?progress=abc"],
      ["admin", "/casework?rule="],
    ];
    for (const [who, url] of [...real, ...junk]) {
      cache.set(cache.roleKey(who, url), page(url), at);
      clock += 1000;
      cache.noteRead(cache.roleKey(who, url));
    }
    // Made (ahead, by the warm-up) but read by nobody: not made again.
    cache.set(cache.roleKey("head", "/pupils/B123456789012"), page("made only"), at);
    cache.clear();
    // The real ones, the most recently read first; no junk.
    expect(cache.pagesToMakeAgain()).toEqual(real.map(([role, url]) => ({ role, url })).reverse());
    // Made again after the drop (by the warm-up: no reader) and dropped again: still made again
    // while the read is under an hour old (a relayed command drops twice, before and after it
    // runs); an hour after it, only the page read again since is.
    const remake = () => {
      for (const { role, url } of cache.pagesToMakeAgain()) {
        cache.madeAgain(role, url);
        cache.set(cache.roleKey(role, url), page(url), cache.epoch);
      }
    };
    remake();
    cache.clear();
    expect(cache.pagesToMakeAgain()).toHaveLength(real.length);
    remake();
    clock += 30 * 60_000;
    cache.noteRead(cache.roleKey("admin", "/imports/3"));
    clock += 45 * 60_000;
    cache.clear();
    expect(cache.pagesToMakeAgain()).toEqual([{ role: "admin", url: "/imports/3" }]);
  });

  it("keeps at most 200 pages to make again: the most recently read", () => {
    let clock = Date.parse("2026-03-04T10:00:00Z");
    const cache = new PageCache({ now: () => clock, worthMakingAgain });
    for (let i = 0; i < 250; i++) {
      const key = cache.roleKey("head", `/pupils/P${i}`);
      cache.set(key, page(String(i)), cache.epoch);
      clock += 1000;
      cache.noteRead(key);
    }
    cache.clear();
    const remembered = cache.pagesToMakeAgain();
    expect(remembered).toHaveLength(200);
    expect([remembered[0], remembered.at(-1)]).toEqual([
      { role: "head", url: "/pupils/P249" },
      { role: "head", url: "/pupils/P50" },
    ]);
  });
});
