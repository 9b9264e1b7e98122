/**
 * The kept pages' bookkeeping (scripts/page-cache.js): which paths may be kept, how long an
 * entry lives, that a drop during a request stops its page being kept, that the oldest go
 * first when the bytes run out, and that each answer gets its own nonce. The server's use of it
 * is tested end to end in test/browser/page-cache.test.ts.
 */
import { describe, expect, it } from "vitest";
import { PageCache, cacheablePath, withNonce } from "../scripts/page-cache.js";

const page = (body: string) => ({ status: 200, statusText: "OK", headers: [["content-type", "text/html"]], body, nonce: "n0" });

describe("kept pages", () => {
  it("keeps only pages that change by a commit or a form sent to them, never a pupil's page, a download (each view audited), the audit trail or sign-in", () => {
    for (const path of ["/", "/_root.data", "/pupils", "/pupils.data", "/casework", "/packs/fgb", "/definitions", "/import", "/imports", "/imports/3", "/settings", "/users.data"]) {
      expect(cacheablePath(path), path).toBe(true);
    }
    for (const path of ["/pupils/A123456789012", "/pupils.csv", "/casework.csv", "/packs/slt/pdf", "/benchmarks/report/xlsx", "/import/progress", "/imports/3/rows.csv", "/audit", "/audit.csv", "/login", "/logout", "/trust"]) {
      expect(cacheablePath(path), path).toBe(false);
    }
  });

  it("serves an entry until it is a minute old, and not after", () => {
    let now = Date.parse("2026-03-04T10:00:00Z");
    const cache = new PageCache({ maxAgeMs: 60_000, now: () => now });
    const key = cache.key("s1", "/");
    expect(cache.set(key, page("<p>1</p>"), cache.epoch)).toBe(true);
    now += 59_999;
    expect(cache.get(key)?.body).toBe("<p>1</p>");
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

  it("does not keep a page whose request began before a drop", () => {
    const cache = new PageCache();
    const began = cache.epoch;
    cache.clear();
    expect(cache.set(cache.key("s1", "/"), page("old"), began)).toBe(false);
    expect(cache.get(cache.key("s1", "/"))).toBeUndefined();
  });

  it("lets the oldest entries go when the bytes run out", () => {
    const cache = new PageCache({ maxBytes: 8 * 1000 });
    const body = "x".repeat(400); // 800 bytes as UTF-16, within an eighth of the limit
    for (let i = 0; i < 12; i++) cache.set(cache.key("s", `/p${i}`), page(body), cache.epoch);
    expect(cache.bytes).toBeLessThanOrEqual(8000);
    expect(cache.get(cache.key("s", "/p0"))).toBeUndefined();
    expect(cache.get(cache.key("s", "/p11"))?.body).toBe(body);
  });

  it("gives each answer its own nonce", () => {
    expect(withNonce('<script nonce="abc+/=">x</script><script nonce="abc+/=">', "abc+/=", "NEW")).toBe('<script nonce="NEW">x</script><script nonce="NEW">');
  });
});
