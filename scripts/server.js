#!/usr/bin/env node
// Rollcall's web server: Remix's Express adapter behind the checks every response needs,
// which remix-serve has no place for (it sets no headers and passes loaders no client
// address). Run by `npm start` (scripts/start.js) and by the browser tests.
//
//   - Host: requests whose Host is not in ROLLCALL_HOSTS (default localhost,127.0.0.1) are
//     refused, so a DNS-rebinding page cannot talk to the app under its own name. An entry
//     without a port allows any port; `name:port` allows only that port.
//   - Origin: a POST (any non-GET) whose Origin is another site's is refused here with a 403
//     page (Remix itself would throw a bare 500); the sign-in POST must carry an Origin.
//     CSRF tokens are checked by app/lib/auth.server.ts, which needs the session.
//   - Headers on every response, static files included: Content-Security-Policy with a
//     per-request nonce for Remix's inline scripts (a page kept for a session is replayed to
//     that session with the header and nonce it was first sent with: scripts/page-cache.js
//     says why that is safe), frame-ancestors 'none' and
//     X-Frame-Options DENY (a pack's document, PACK_DOCUMENT: 'self' and SAMEORIGIN, no script), X-Content-Type-Options nosniff, Referrer-Policy same-origin, and
//     Cache-Control no-store on everything but static assets (pages show pupils).
//   - Upload limit: a request body over ROLLCALL_MAX_UPLOAD_MB (default 50 MB) is refused with
//     a 413 page naming the limit before any of it is read (by Content-Length; a body sent
//     without a declared length is refused with 411, as no browser form does that), so
//     nothing is written or changed. app/lib/upload.server.ts applies the same limit per part.
//   - Listens on HOST (default 127.0.0.1) and PORT (default 3000).
//   - The CLI while the dashboard runs: DuckDB lets one process hold the database file, so the
//     server announces itself in `<database>.server.json` (mode 0600, a random token) and runs
//     a CLI's command line for it at POST /_rollcall/cli (analytics/cli/remote.ts).
//   - ROLLCALL_TRUST_LAKE: logs at start-up which trust lake it serves and the schools found
//     there (or that the directory is missing or empty).
//   - ROLLCALL_TRUST_PROXY=1 behind a reverse proxy: the client address, protocol and host come
//     from X-Forwarded-For/-Proto/-Host (the forwarded host must also be allowed).
import crypto from "node:crypto";
import { portRefusedSentence } from "./port-check.js";
import fs from "node:fs";
import path from "node:path";
import url from "node:url";
import compression from "compression";
import express from "express";
import onHeaders from "on-headers";
import responseTime from "response-time";
import { installGlobals } from "@remix-run/node";
import { startWarmUp } from "./warm-up.js";
import { PageCache, cachedRequestHandler, rolePagePreparer } from "./page-cache.js";

const root = path.resolve(import.meta.dirname, "..");
const buildFile = path.resolve(root, process.argv[2] ?? "build/index.js");
const build = await import(url.pathToFileURL(buildFile).href);
installGlobals({ nativeFetch: build.future.v3_singleFetch });

const trustProxy = process.env.ROLLCALL_TRUST_PROXY === "1";
const allowedHosts = (process.env.ROLLCALL_HOSTS ?? "localhost,127.0.0.1")
  .split(",")
  .map((h) => h.trim().toLowerCase())
  .filter(Boolean);

/** Splits a Host header into name and port: "localhost:3000", "[::1]:3000", "example.org". */
function splitHost(host) {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.trim().toLowerCase());
  return match ? { name: match[1], port: match[2] ?? "" } : null;
}

function hostAllowed(host) {
  if (!host) return false;
  const parts = splitHost(host);
  if (!parts) return false;
  return allowedHosts.some((entry) => {
    const allowed = splitHost(entry);
    return allowed !== null && allowed.name === parts.name && (allowed.port === "" || allowed.port === parts.port);
  });
}

/** ROLLCALL_MAX_UPLOAD_MB when a positive number, else 50 (as app/lib/upload.server.ts reads it). */
const maxUploadMb = (() => {
  const value = Number(process.env.ROLLCALL_MAX_UPLOAD_MB);
  return Number.isFinite(value) && value > 0 ? value : 50;
})();
const maxUploadBytes = Math.floor(maxUploadMb * 1024 * 1024);
/** The same words as uploadTooLargeMessage in app/lib/upload.server.ts. */
const uploadTooLarge = `This upload is larger than the ${maxUploadMb} MB limit, so it was refused and nothing was imported or changed. Split the file (for example one academic year per file), or ask whoever runs Rollcall to raise ROLLCALL_MAX_UPLOAD_MB.`;

/** A refusal a person can read, with no script and no styles from elsewhere. */
/**
 * The look of a refusal made here, before Remix: the app's header bar and type (app/styles/app.css
 * .site-header, .page), inline since the page is made without the app's stylesheet (the policy's
 * style-src allows inline styles). A bare page had read as if another site answered (trial).
 */
const REFUSAL_STYLE =
  'body{margin:0;font-family:"Helvetica Neue",Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#0b0c0c}' +
  ".site-header{background:#0b0c0c;color:#fff;border-bottom:10px solid #1d70b8}" +
  ".site-header__inner{max-width:1280px;margin:0 auto;padding:12px 24px}" +
  ".site-header__brand{color:#fff;font-weight:700;font-size:26px;text-decoration:none}" +
  ".page{max-width:1280px;margin:0 auto;padding:24px}a{color:#1d70b8}";

function refuse(res, status, title, message) {
  res
    .status(status)
    .type("html")
    .send(
      `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>${escapeXml(title)} — Rollcall</title><style>${REFUSAL_STYLE}</style></head>` +
        `<body><header class="site-header"><div class="site-header__inner"><a href="/" class="site-header__brand">Rollcall</a></div></header>` +
        `<main class="page"><h1>${status} — ${escapeXml(title)}</h1><p>${escapeXml(message)}</p>` +
        `<p><a href="/">Return to Rollcall</a></p></main></body></html>`,
    );
}

const app = express();

/**
 * The one Cache-Control of a page or download: the answer's own values, each once and in
 * order ("no-store" set by the route and appended again reads "no-store"), or "no-store" when
 * it has none. `value`: res.getHeader's (undefined, a string, or an array of appended values).
 */
function oneCacheControl(value) {
  const parts = [value ?? []].flat().flatMap((v) => String(v).split(",")).map((v) => v.trim()).filter(Boolean);
  return parts.length > 0 ? [...new Set(parts)].join(", ") : "no-store";
}
app.disable("x-powered-by");
if (trustProxy) app.set("trust proxy", true);
// The server's own time for each answer, from the request's arrival to its headers (the page,
// download or refusal made; sending the body not counted): `Server-Timing: app;dur=<ms>`,
// after any metric a later step named (page-cache;desc="hit"). Issue 11 sets its page goals
// on server time, and scripts/bench-pages.ts reads them from here; a browser's developer
// tools show them too. Only a duration is told, never what the answer held.
app.use(
  responseTime((_req, res, time) => {
    const named = res.getHeader("Server-Timing");
    const own = `app;dur=${time.toFixed(2)}`;
    res.setHeader("Server-Timing", named ? `${named}, ${own}` : own);
  }),
);

// Everything of analytics/ the server uses comes from the Remix bundle (app/entry.server.tsx), the
// one copy of each module the pages use: the CLI relay (analytics/cli/remote.ts), the register held,
// the escape of refuse's pages. Until session 48 tsx loaded these as a second copy beside the
// bundle, and a relayed command run in it kept its own plans, tables and rows (trial 47).
const { escapeXml, relay: remote, resolveDbPath } = build.entry.module;
// The print browser is closed by this process's stop, not by Playwright's signal handlers (see stop).
const { ownSignals, stopPrinting } = build.entry.module;
ownSignals();
const database = resolveDbPath();
// Hold the database from the start (DuckDB's process-wide cache shares it with the pages),
// so a CLI started while the dashboard runs always finds it held and relays to it.
const { openInstance, onDataChanged, schemaUpgradeNotice } = build.entry.module;
try {
  await openInstance(database);
  // A one-way upgrade is said where whoever started the dashboard sees it (trial 34: silent).
  const upgraded = schemaUpgradeNotice(database);
  if (upgraded) console.log(`[rollcall] ${upgraded}`);
} catch (error) {
  // Another process holds the file (a second `npm start` on it): one sentence, exit 1.
  if (error instanceof Error && remote.LOCKED.test(error.message)) {
    console.error(remote.heldAtStartMessage(database, error.message));
    process.exit(1);
  }
  // A file that is not a school's database (a register CSV named as it), one a later release
  // wrote, one DuckDB cannot read: one sentence naming it, as the CLI says it, not a stack trace.
  console.error(`Rollcall cannot start on ${path.resolve(database)}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
// Which trust lake the Trust page reads (README "The register as Parquet"), said once at start-up.
if (process.env.ROLLCALL_TRUST_LAKE) {
  console.log(`[rollcall] ${build.entry.module.describeLake(process.env.ROLLCALL_TRUST_LAKE)}`);
}
// Dashboard pages answered from memory while nothing changed under them (scripts/page-cache.js).
// Only addresses whose query its route reads are made again ahead after a commit (app/lib/page-addresses.ts).
const pageCache = new PageCache({ worthMakingAgain: build.entry.module.worthMakingAgain });
onDataChanged(() => pageCache.clear());
let relay = null; // { token, remove } once listening
// Before the host and origin checks: the caller is a local CLI, authenticated by the token
// only the account running Rollcall can read; it sends no Origin and may use any host name.
app.post(remote.RELAY_PATH, express.json({ limit: "256kb" }), async (req, res) => {
  res.set("Cache-Control", "no-store");
  const sent = (req.get("Authorization") ?? "").replace(/^Bearer /, "");
  if (!relay || !remote.tokenMatches(sent, relay.token)) {
    res.status(401).type("text").send("Not a command from this machine's Rollcall CLI (wrong or missing token).");
    return;
  }
  // A command may change accounts or data without a commit the cache hears of (a role
  // changed): kept pages are dropped before it runs and again once it has (in the same turn
  // as its answer, before the caller's next request can be read). A command that only reads
  // (remote.relayedReadsOnly: summary, a pack, an export …) keeps them.
  const drops = !remote.relayedReadsOnly(req.body?.argv);
  if (drops) pageCache.clear();
  try {
    const { code, stdout, stderr, cost } = await remote.runForCaller(req.body, database);
    // The command's name and what it cost, never its arguments (a file name may name a pupil).
    console.log(`[rollcall] relayed rollcall ${req.body.argv[0]}: exit ${code} in ${cost.seconds.toFixed(2)} s, ${cost.governorTables} governors' tables worked out`);
    res.json({ code, stdout, stderr });
  } catch (error) {
    if (error instanceof remote.RelayRefused) {
      res.status(400).type("text").send(error.message);
      return;
    }
    console.error(error);
    res.status(500).type("text").send("The command failed inside the server; see its log.");
  } finally {
    if (drops) pageCache.clear();
  }
});

// Nonces are cut from a pool of random bytes (16 fresh bytes each, never reused), as Node's own
// crypto.randomUUID pools its randomness: one call to the system's generator for 256 requests
// rather than one each (24 µs of every request, a page kept in memory included).
const NONCE_BYTES = 16;
let noncePool = Buffer.alloc(0);
let nonceAt = 0;
function newNonce() {
  if (nonceAt + NONCE_BYTES > noncePool.length) {
    noncePool = crypto.randomBytes(NONCE_BYTES * 256);
    nonceAt = 0;
  }
  nonceAt += NONCE_BYTES;
  return noncePool.toString("base64", nonceAt - NONCE_BYTES, nonceAt);
}

// A pack's own document (app/routes/packs.$kind.$format.tsx, format html): shown in the frame
// of the pack's page, so it may be framed by Rollcall's own pages (and no other site's); it
// runs no script at all.
const PACK_DOCUMENT = /^\/packs\/(slt|fgb)\/html$/;

/**
 * The Content-Security-Policy of an answer: a page's with its request's nonce, a pack's document's
 * (no script at all). Said once here, and only the nonce put in per request: building the list
 * and setting seven headers through Express's res.set (which checks each name and value for
 * what it is) had been part of every request's cost, a kept page's included (issue 11, item 4).
 */
function contentSecurityPolicy(packDocument, nonce) {
  return [
    "default-src 'self'",
    packDocument ? "script-src 'none'" : `script-src 'self' 'nonce-${nonce}'`,
    // Style attributes (charts, bars sized by their figure) need 'unsafe-inline' for styles;
    // scripts stay nonce-only, which is what stops injected code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    packDocument ? "frame-ancestors 'self'" : "frame-ancestors 'none'",
  ].join("; ");
}
const NONCE_MARK = "\u0000nonce\u0000";
const [CSP_BEFORE_NONCE, CSP_AFTER_NONCE] = contentSecurityPolicy(false, NONCE_MARK).split(NONCE_MARK);
const PACK_DOCUMENT_CSP = contentSecurityPolicy(true, "");

app.use((req, res, next) => {
  const nonce = newNonce();
  res.locals.cspNonce = nonce;
  const packDocument = PACK_DOCUMENT.test(req.path);
  res.setHeader("Content-Security-Policy", packDocument ? PACK_DOCUMENT_CSP : CSP_BEFORE_NONCE + nonce + CSP_AFTER_NONCE);
  res.setHeader("X-Frame-Options", packDocument ? "SAMEORIGIN" : "DENY");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  if (req.secure) res.set("Strict-Transport-Security", "max-age=31536000");

  const host = req.headers.host;
  if (!hostAllowed(host)) {
    refuse(res, 403, "Unknown host name", `This Rollcall server answers only to ${allowedHosts.join(", ")} (set ROLLCALL_HOSTS to add names).`);
    return;
  }
  if (trustProxy) {
    const forwarded = req.get("X-Forwarded-Host");
    if (forwarded && !hostAllowed(forwarded)) {
      refuse(res, 403, "Unknown host name", `This Rollcall server answers only to ${allowedHosts.join(", ")} (set ROLLCALL_HOSTS to add names).`);
      return;
    }
  } else {
    // Remix reads the port from X-Forwarded-Host; only a trusted proxy may set it.
    delete req.headers["x-forwarded-host"];
  }

  if (!["GET", "HEAD", "OPTIONS"].includes(req.method)) {
    const origin = req.get("Origin");
    const own = `${req.protocol}://${req.get("X-Forwarded-Host") ?? host}`.toLowerCase();
    const signIn = req.path.replace(/\.data$/, "") === "/login";
    if (origin !== undefined && origin.toLowerCase() !== own) {
      refuse(res, 403, "Refused", "This form was sent from another site, not from Rollcall's own pages. Nothing was changed.");
      return;
    }
    if (origin === undefined && signIn) {
      refuse(res, 403, "Refused", "Sign in from Rollcall's own sign-in page (the request did not say where it came from).");
      return;
    }
    // The body is never read here: Node discards it after the answer, so the browser,
    // still sending, gets the page rather than a reset connection.
    const length = req.get("Content-Length");
    if (length === undefined && req.get("Transfer-Encoding") !== undefined) {
      refuse(res, 411, "Length required", `Rollcall accepts uploads only with their size declared (up to ${maxUploadMb} MB). Nothing was changed.`);
      return;
    }
    if (length !== undefined && !(Number(length) <= maxUploadBytes)) {
      refuse(res, 413, "Upload too large", uploadTooLarge);
      return;
    }
  }
  next();
});

// Remix's older data requests (`?_data=…`): this app asks for a page's data as `….data` (single
// fetch) and never sends them. Answered by Remix, each logged a stack trace ("Single
// fetch-enabled apps should not be making ?_data requests") or a 500 for a route name that does
// not match, and was remembered among the pages readers had open, so the warm-up asked for it
// again after every change (trial24b). Refused here with a page; nothing read or changed.
app.use((req, res, next) => {
  if (!Object.hasOwn(req.query, "_data")) return next();
  refuse(res, 400, "Not understood", "This address asks for a page's data in a form Rollcall does not use (its “_data” part). Open the address without it. Nothing was changed.");
});

// Requests from outside being answered now: the background warm-up waits while there are any.
let answering = 0;
app.use((_req, res, next) => {
  answering += 1;
  res.once("close", () => (answering -= 1));
  next();
});

// zlib's fastest level: on 15 of the demo school's pages (1.2 MB of HTML) level 1 gave 193 KB
// in 5.1 ms where the default level 6 gave 167 KB in 9.1 ms. Pages kept per session are
// compressed once by scripts/page-cache.js with the same settings and name their
// Content-Encoding, which this middleware leaves as it is.
app.use(compression({ level: 1 }));
// Browsers ask for /favicon.ico whatever the page says; answer with the icon, not a 404 page.
app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
// Only addresses under the names public/ holds (favicon.svg, build/) look for a file there: asking
// the file system on every page request cost 0.3 ms of the one thread each.
const publicDir = path.join(root, "public");
const publicNames = new Set(fs.readdirSync(publicDir));
const servePublic = express.static(publicDir, { maxAge: "1h" });
app.use((req, res, next) => (publicNames.has(req.path.split("/")[1]) ? servePublic(req, res, next) : next()));
app.use((_req, res, next) => {
  // Everything past the static files is a page or download that may show a pupil: never kept.
  // Decided as the headers go out, so an answer that says so itself (a download, a refusal)
  // carries one Cache-Control, not "no-store, no-store" (Remix appends the route's headers).
  onHeaders(res, () => res.setHeader("Cache-Control", oneCacheControl(res.getHeader("Cache-Control"))));
  next();
});
// Dashboard pages made once per role and given to each reader as their own
// (app/lib/shared-render.server.ts); ROLLCALL_SHARE_PAGES=0 makes every session's its own.
const shared =
  process.env.ROLLCALL_SHARE_PAGES === "0"
    ? null
    : {
        header: build.entry.module.SHARED_RENDER_HEADER,
        newPlaceholders: build.entry.module.newPlaceholders,
        headerFor: build.entry.module.sharedRenderHeader,
        forgetReader: build.entry.module.forgetCheckedReader,
        // A pupil's page made for a role: each reader's view recorded by the page cache.
        takeViewAudit: build.entry.module.takeViewAudit,
        recordViewAudit: build.entry.module.recordViewAudit,
        // The version a page made for a role read its rows at (the Audit page), if later than its request's.
        takeReadVersion: build.entry.module.takeReadVersion,
      };
const mode = process.env.NODE_ENV ?? "production";
/** The client's address as loaders get it (and the audit trail records it). */
const clientAddressOf = (req) => req.ip ?? req.socket.remoteAddress ?? "unknown";
const pageVersion = build.entry.module.pageVersion;
// The Trust page's requests (and its pages made ahead) each in one scope: the lake's folders
// listed once for the page's version and its loaders (app/lib/page-version.server.ts pageScope).
const requestScope = build.entry.module.pageScope;
app.all(
  "*",
  cachedRequestHandler({
    build,
    mode,
    getLoadContext: (req, res) => ({ cspNonce: res.locals.cspNonce, clientAddress: clientAddressOf(req) }),
    cache: pageCache,
    sessionOf: build.entry.module.sessionReaderOf,
    shared,
    // The reader whose session the page cache checked, handed to the GETs it sends to Remix.
    checkedSession: { header: build.entry.module.CHECKED_SESSION_HEADER, headerFor: build.entry.module.checkedSessionHeader },
    pageVersion,
    clientAddressOf,
    requestScope,
  }),
);
// A failure outside Remix: a plain 500 page, never a stack trace.
app.use((error, _req, res, _next) => {
  console.error(error);
  if (!res.headersSent) refuse(res, 500, "Something went wrong", "The server could not answer this request.");
});

const port = Number(process.env.PORT ?? 3000);
const listenHost = process.env.HOST ?? "127.0.0.1";
const server = app.listen(port, listenHost, () => {
  console.log(`[rollcall] listening on http://${listenHost.includes(":") ? `[${listenHost}]` : listenHost}:${port} (host names: ${allowedHosts.join(", ")})`);
  console.log(`Rollcall: http://localhost:${port} (database ${database})`);
  // The CLI reaches the server on loopback unless it listens on one address only.
  const wildcard = ["0.0.0.0", "::", ""].includes(listenHost);
  const relayHost = wildcard ? "127.0.0.1" : listenHost.includes(":") ? `[${listenHost}]` : listenHost;
  relay = remote.announceServer(database, `http://${relayHost}:${server.address().port}`);
});
// A port another program holds (often a second Rollcall, with another school's database): one
// sentence and exit 1, never a stack trace beside an address that leads to the other server.
server.on("error", (error) => {
  const sentence = portRefusedSentence(error.code, port);
  if (!sentence) throw error;
  console.error(sentence);
  process.exit(1);
});
// The pages rendered in the background after start-up and after every change (scripts/warm-up.js).
// With pages shared per role, each role's dashboards are made ahead and kept for its readers.
const prepareForRole = shared
  ? rolePagePreparer({ build, mode, cache: pageCache, shared, warmUpHeaders: build.entry.module.warmUpHeaders, nonce: newNonce, pageVersion, requestScope })
  : null;
const warmUp = startWarmUp({ build, onDataChanged, busy: () => answering > 0, prepareForRole, remake: pageCache });
process.once("exit", () => relay?.remove());
let stopping = false;
/**
 * Stops listening, removes the CLI relay's announcement, saves the database and ends the
 * process. Saving: DuckDB keeps recent writes in `<database>.wal` until a checkpoint, and a
 * process that exits without closing the file leaves them there — so a copy of the database
 * file alone (a backup, `rollcall compact` on a copy) would lack them (found by a fresh-clone
 * trial: a copy made after stopping had 5 of 39 audit rows). CHECKPOINT, then closing the
 * instance, writes everything into the file itself. Bounded: if the save has not finished in
 * 10 s (an import still running), the process ends anyway and DuckDB replays the log at the
 * next start, as after any crash.
 */
function stop() {
  if (stopping) return;
  stopping = true;
  relay?.remove();
  // Said, so whoever stopped it waits for the file to be whole before copying it (a page being
  // prepared by the warm-up is finished first: a fresh-clone trial copied the file meanwhile).
  console.log("[rollcall] stopping: saving the database into its file…");
  // A PDF being printed (the warm-up's packs, a download) is given up and Chromium closed now,
  // not waited for: the warm-up's page then ends at once, its print failing as abandoned
  // (analytics/render/pdf.ts PrintAbandonedError), which nothing logs but this one line.
  // Playwright's own handlers had closed the browser under the print on Ctrl-C, logging its
  // "Target page, context or browser has been closed" with a stack, and ended the process with
  // 130, before the database was saved (trial 47: 2 of 5 stops).
  const printsStopped = stopPrinting().then(
    (given) => {
      if (given > 0) console.log(`[rollcall] stopping: ${given === 1 ? "a PDF being printed was" : `${given} PDFs being printed were`} abandoned (printed again when next asked for).`);
    },
    () => {},
  );
  const warmed = Promise.all([warmUp ? warmUp.stop() : Promise.resolve(), printsStopped]);
  let finishing = false;
  const finish = () => {
    if (finishing) return;
    finishing = true;
    warmed
      .then(() => {
        // Bounded from here: an import still running is not waited for beyond 10 s.
        setTimeout(() => process.exit(0), 10_000).unref();
        return saveDatabase();
      })
      .finally(() => process.exit(0));
  };
  server.close(finish);
  // Open keep-alive connections would hold close() back.
  setTimeout(finish, 2000).unref();
}
/** CHECKPOINT and close the database (stop's save); a failure is said on stderr, never thrown. */
async function saveDatabase() {
  const { withConnection, closeInstance, fileKey, closeAuditJournal } = build.entry.module;
  try {
    // The audit journal's rows written in first, so the checkpoint holds them too.
    await closeAuditJournal(fileKey(database));
    await withConnection(database, (connection) => connection.run("CHECKPOINT"));
    await closeInstance(database);
    console.log(`[rollcall] saved: everything is in ${database} (no .wal beside it); stopped.`);
  } catch (error) {
    console.error(`[rollcall] the database could not be saved on stopping (its log is replayed at the next start): ${error instanceof Error ? error.message : error}`);
  }
}
// `on`, not `once`: Ctrl-C in a terminal sends SIGINT to the whole process group and
// scripts/start.js passes one more on; with `once` that second signal found no handler and
// killed the server before its save, leaving the .wal (a fresh-clone trial, TERM and INT to the
// group both). stop() is idempotent.
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, stop);
// Started by scripts/start.js, with an IPC channel: it closes when that process ends in any way
// (killed with -9 included), and the server must not be left holding the port and the database.
if (process.send) process.once("disconnect", stop);
