// Pages answered from memory when nothing changed under them (issue 11, item 5: "a page that
// nothing changed under answers from memory"). The result cache (analytics/db.ts) already keeps
// each query's rows per data generation, but a cached page still costs its loaders' look-ups,
// React's render of 30–400 KB of HTML and the stream: 12–20 ms of the server's one thread on the
// demo school, so 50 readers at once queue behind each other. Here the finished response is
// kept instead, for one session, and served again until anything changes.
//
// What keeps it right:
//   - Only the dashboard's read-only pages and the pages that change only by a form sent to
//     them or a commit (CACHEABLE, with their single-fetch `.data` twins), GET only, for a
//     signed-in session: downloads and a pupil's own page (each view of either is recorded in
//     the audit trail), the audit trail itself (it grows with every such view, which is a GET)
//     and sign-in are always answered afresh.
//   - The key is the session, the URL and the day in Europe/London (pages say "today"); the
//     session is checked on every request before anything is served (signed out, disabled or
//     idle sessions get the sign-in page, as before), so an entry is never shown to anyone else.
//   - Everything is dropped on every commit that changed data (analytics/db.ts onDataChanged:
//     imports, amendments, settings, interventions, benchmark files, a relayed CLI command) and
//     on every request that is not a GET (sign-out, a role changed, a commentary saved): a
//     response begun before a drop is not kept.
//   - An entry lives at most MAX_AGE_MS, so "as of" times and the session's last-activity stamp
//     (written at most once a minute) are never older than that.
//   - Server-Timing says "page-cache;desc=hit" or "miss" on the pages that may be kept.
//   - Responses that set a cookie or are not 200 are never kept. The CSP nonce of the kept
//     page is replaced by this request's, so no two responses share one.
import { createRequestHandler as createNodeHandler } from "@remix-run/node";
// The Express adapter's own conversions (exported by its dist/server.js, not its index), so a
// page not kept is sent exactly as @remix-run/express sends it (version pinned in package.json).
import expressAdapter from "@remix-run/express/dist/server.js";

const { createRemixRequest, sendRemixResponse } = expressAdapter;

/** How long a kept page may be served, ms (ROLLCALL_PAGE_CACHE_MS; 0 turns the cache off). */
const MAX_AGE_MS = process.env.ROLLCALL_PAGE_CACHE_MS !== undefined ? Math.max(0, Number(process.env.ROLLCALL_PAGE_CACHE_MS) || 0) : 60_000;
/** Most bytes of page text kept; the oldest entries go first. */
const MAX_BYTES = 64 * 1024 * 1024;

/**
 * The read-only dashboard pages that may be kept, by path (a `.data` suffix is the same page's
 * data for a navigation in the browser; `/_root.data` is the Overview's).
 */
const CACHEABLE = [
  /^\/$/,
  /^\/_root\.data$/,
  /^\/(trends|codes|patterns|groups|classes|pupils|casework|interventions|early-warning|quality|benchmarks|packs|definitions)(\.data)?$/,
  /^\/packs\/(slt|fgb)(\.data)?$/,
  // Pages that change only by a form sent to them (a POST: every kept page is dropped) or a
  // commit (an import, a relayed CLI command: dropped too), never by anyone reading a page.
  /^\/(import|imports|settings|users)(\.data)?$/,
  /^\/imports\/\d+(\.data)?$/,
];

/** Whether requests for this path (no query string) may be answered from a kept page. */
export function cacheablePath(pathname) {
  return CACHEABLE.some((pattern) => pattern.test(pathname));
}

const londonDay = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" });

/**
 * The kept pages: Map from key to { status, statusText, headers, body, nonce, at, bytes }, in
 * the order they were kept (so the oldest is evicted first), plus an epoch that every drop
 * moves on.
 */
export class PageCache {
  constructor({ maxAgeMs = MAX_AGE_MS, maxBytes = MAX_BYTES, now = () => Date.now() } = {}) {
    this.maxAgeMs = maxAgeMs;
    this.maxBytes = maxBytes;
    this.now = now;
    this.entries = new Map();
    this.bytes = 0;
    this.epoch = 0;
    this.stats = { hits: 0, misses: 0, shared: 0 };
    // Pages being made now, by key: Promise of the kept entry, or null when it was not kept.
    this.making = new Map();
  }

  /** Forgets every kept page (data changed, or a request that may change something came in). */
  clear() {
    this.entries.clear();
    // Pages begun before the drop are not kept (set() refuses them), so nobody waits for them.
    this.making.clear();
    this.bytes = 0;
    this.epoch += 1;
  }

  /** The key of a page for a session: session, path and query, and the day in London. */
  key(sessionId, url) {
    return `${sessionId}\n${url}\n${londonDay.format(this.now())}`;
  }

  get(key) {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at >= this.maxAgeMs) {
      this.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Keeps a page unless a drop happened since `epoch` (when its request began). */
  set(key, entry, epoch) {
    if (epoch !== this.epoch || this.maxAgeMs <= 0) return false;
    const bytes = entry.body.length * 2;
    if (bytes > this.maxBytes / 8) return false;
    this.delete(key);
    this.entries.set(key, { ...entry, at: this.now(), bytes });
    this.bytes += bytes;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
    return true;
  }

  /**
   * Marks `key` as being made now; returns `done(entry | null)`, to call once it is answered
   * (kept or not). Requests for the same key meanwhile wait for it (`waitFor`) instead of
   * making the same page again.
   */
  beginMaking(key) {
    let settle;
    const promise = new Promise((resolve) => (settle = resolve));
    this.making.set(key, promise);
    return (entry) => {
      if (this.making.get(key) === promise) this.making.delete(key);
      settle(entry);
    };
  }

  /** The page another request for `key` is making now (its entry, or null), or undefined. */
  waitFor(key) {
    return this.making.get(key);
  }

  delete(key) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.bytes;
    this.entries.delete(key);
  }
}

/** A kept page's text with its old CSP nonce replaced by this response's. */
export function withNonce(body, oldNonce, newNonce) {
  if (!oldNonce || oldNonce === newNonce) return body;
  return body.split(oldNonce).join(newNonce);
}

/**
 * Express handler for everything past the static files: Remix's own request handler, with
 * read-only dashboard pages answered from `cache` when nothing changed since they were made.
 * `sessionOf(request)` (the build's entry module, app/entry.server.tsx) returns the signed-in
 * session's id or null, reading and touching the session exactly as a page's loader does.
 * `getLoadContext(req, res)` as for @remix-run/express.
 */
export function cachedRequestHandler({ build, mode, getLoadContext, cache, sessionOf }) {
  const handle = createNodeHandler(build, mode);
  return async (req, res, next) => {
    try {
      if (req.method !== "GET" && req.method !== "HEAD" && req.method !== "OPTIONS") {
        // Before it runs, and once answered: a page made while it ran is not kept either.
        cache.clear();
        res.once("finish", () => cache.clear());
      }
      const request = createRemixRequest(req, res);
      const loadContext = await getLoadContext?.(req, res);
      const nonce = typeof loadContext?.cspNonce === "string" ? loadContext.cspNonce : "";
      let key = null;
      const epoch = cache.epoch;
      if (req.method === "GET" && cache.maxAgeMs > 0 && cacheablePath(req.path)) {
        const sessionId = await sessionOf(request);
        if (sessionId) {
          key = cache.key(sessionId, req.originalUrl);
          let kept = cache.get(key);
          let how = "hit";
          if (!kept) {
            // The same page for the same session is being made now (two tabs, or a navigation
            // and its prefetch): wait for it rather than make it twice. Kept only if no drop
            // came between, so what it gives is as fresh as a page made now.
            const making = cache.waitFor(key);
            if (making && (kept = await making)) how = "shared";
          }
          if (kept && cache.epoch === epoch) {
            cache.stats[how === "hit" ? "hits" : "shared"] += 1;
            sendKept(res, kept, nonce, how);
            return;
          }
          cache.stats.misses += 1;
          res.set("Server-Timing", 'page-cache;desc="miss"');
        }
      }
      const done = key ? cache.beginMaking(key) : () => {};
      let keptEntry = null;
      try {
        const response = await handle(request, loadContext);
        if (key && response.status === 200 && !response.headers.has("Set-Cookie")) {
          const body = await response.text();
          const headers = [...response.headers.entries()].filter(([name]) => !["content-length", "content-encoding", "transfer-encoding"].includes(name.toLowerCase()));
          const entry = { status: response.status, statusText: response.statusText, headers, body, nonce };
          if (cache.set(key, entry, epoch)) keptEntry = entry;
          sendPage(res, entry, body);
          return;
        }
        await sendRemixResponse(res, response);
      } finally {
        done(keptEntry);
      }
    } catch (error) {
      next(error);
    }
  };
}

/** Sends a kept page with this response's CSP nonce; `how` is "hit" or "shared". */
function sendKept(res, kept, nonce, how) {
  res.set("Server-Timing", `page-cache;desc="${how}"`);
  sendPage(res, kept, withNonce(kept.body, kept.nonce, nonce));
}

/** Sends an entry's status and headers with `body`, as @remix-run/express would have. */
function sendPage(res, entry, body) {
  res.statusMessage = entry.statusText;
  res.status(entry.status);
  for (const [name, value] of entry.headers) res.append(name, value);
  // end(), not send(): send() would add an ETag the original answer never had.
  res.end(body);
}
