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
//     signed-in session; the Trust page, the audit trail and Users, which change without a
//     commit, only while their version holds (`pageVersion`: the lake's files, the audit rows
//     written, the accounts and lockouts); a pupil's own page only as a page made for a role
//     whose view is recorded for every reader each time it is sent (AUDITED), as is the SLT
//     pack's document (the FGB pack's is kept as a dashboard is). Downloads (each view
//     recorded) and sign-in are always answered afresh.
//   - The key is the session, the URL and the day in Europe/London (pages say "today"); the
//     session is checked on every request before anything is served (signed out, disabled or
//     idle sessions get the sign-in page, as before; the check is kept in memory, see below),
//     so an entry is never shown to anyone else.
//   - Everything is dropped on every commit that changed data (analytics/db.ts onDataChanged:
//     imports, amendments, settings, interventions, benchmark files, a relayed CLI command) and
//     on every request that is not a GET (a role changed, a commentary saved), but signing in
//     and out, which forget the session checks only (SIGN_IN_OUT), and the forms that change
//     pages only by a commit or an audit row (COMMITS_ONLY: the import, a CSV's report): a
//     response begun before a drop is not kept.
//   - A session's page lives at most MAX_AGE_MS (a page made for a role: see "Pages made ahead").
//   - Server-Timing says "page-cache;desc=hit" or "miss" on the pages that may be kept.
//   - Responses that set a cookie or are not 200 are never kept.
//
// What a hit costs (issue 11, items 4–5): profiled under 50 readers of one session, a hit took
// 1.9 ms of the one thread, 0.8 of it compressing the whole page again, 0.26 reading the session
// from DuckDB and its cookie's signature, 0.12 building a Fetch Request and load context it
// never used, 0.10 swapping the nonce through the whole text and 0.18 collecting the garbage of
// all that. So a kept page is kept as bytes, compressed once per encoding it is asked for
// (gzip level 1 or brotli quality 4, as the compression middleware would have), and sent with
// its Content-Length; and:
//
//   - A hit is a byte-identical replay, CSP header and nonce included, of the answer this same
//     session already received (the same content, in whichever coding the client accepts; a
//     request that waited for the page another request of the session was making gets that
//     request's answer). No two sessions (and no two pages made afresh) share a nonce:
//     each page made gets the nonce of its own request. Why sharing it with one's own earlier
//     answer is safe: a nonce stops markup injected into a page from running as script, and
//     the danger of a reused nonce is that one learnt from one answer lets script injected into
//     another answer run. A replay has no text of its own: every byte of it, body and CSP header,
//     is the earlier answer's, so anything injected in it was injected in that answer already,
//     where the same nonce was just as valid. No new content, hence no new injection surface,
//     can ever appear under the nonce. (It also saves scanning the whole page for the nonce.)
//   - The session check is kept in memory (`sessionIdFor`): a cookie the full check (sessionOf,
//     app/lib/auth.server.ts: signature, DuckDB row, idle limit, disabled account) accepted is
//     accepted again without it for at most SESSION_RECHECK_MS, and only while no drop happened
//     since that check began. Everything that ends a session or changes an account is a request
//     that is not a GET (signing out; the Users page's disable, role and password forms) or a
//     relayed CLI command that may write (`rollcall users` but `list` and `lockouts`:
//     analytics/cli/remote.ts relayedReadsOnly; the server holds the database file, so no other
//     process writes it), and each drops every kept session check (and, but for signing out,
//     every kept page), before it runs and once it has answered; the idle limit is 8 hours, and a session checked under a
//     minute ago has made a request under a minute ago. So signed-out, disabled and idle
//     sessions never get a kept page, and a role change gives the next page made afresh. The
//     check it skips would have touched the session's last-activity stamp, which is written at
//     most once a minute anyway; the full check runs at least once a minute for a session that
//     keeps reading, so the stamp is at most two minutes behind (the 8-hour limit can come
//     that much early, never late).
//   - A hit builds no Fetch Request and no load context (only a page made afresh needs them).
// What is left of a hit, profiled the same way, is 0.54 ms, nearly all Node's HTTP parsing and
// writing; the day in London is formatted once a minute (`day`) and scripts/server.js cuts CSP
// nonces from a pool of random bytes, each of which had cost 12–24 µs a request.
//
// Pages made once for every reader of a role (`sendForRole`; app/lib/shared-render.server.ts).
// With a page kept per session, 50 people signed in at once each had every page made for them:
// 50 × 10–30 ms of the one thread for pages whose bytes differ only in the reader's name, email,
// CSRF token and nonce. A dashboard page (SHAREABLE) that a session has not been sent yet is
// made once per (role, URL, day) with a random placeholder in place of each of the three, kept
// like any page (the same drops, the same age), and each reader of the role gets a copy with
// their own three and their own nonce put back (`personalise`), kept as their session's page.
// Why that is safe:
//   - The session is checked first, exactly as before, and the key carries the role: a page is
//     only ever given to a signed-in reader of the role it was made for, and a role changed
//     drops everything (a POST or relayed command).
//   - SHAREABLE loaders read nothing of the reader but the role and the three strings, all
//     through getUser (app/lib/auth.server.ts), which gives the placeholders when asked by this
//     process (a secret in the header; the header is removed from every request from outside).
//     The page whose loader reads the reader's own account id (Users) is made once per account
//     instead (ACCOUNT_PAGES: keyed by the role and the id); the downloads are not shared; a
//     pupil's page is, its view's audit entry held back by its loader and recorded for each
//     reader by this cache (AUDITED).
//   - The placeholders ([a-z0-9]) and the strings put back (PLAIN: letters, digits, spaces and
//     `.@_+-`) are changed by none of the escapings a page applies (HTML text and attributes,
//     JSON, Remix's script escaping), so plain substitution writes each exactly as a page made
//     for the reader would; a reader with any other character in their name or email gets a page
//     made for their own session, as before.
//   - Each reader's copy carries a nonce of its own (that request's), so no two sessions share a
//     nonce.
//
// Pages made ahead (`rolePagePreparer`, called by the background warm-up, scripts/warm-up.js).
// Made per role on a reader's first request, the first wave of 50 readers still queued behind
// two dozen pages made one after another on the one thread. So after start-up and after every
// commit the warm-up makes each role's dashboard pages before anyone asks, and a page made for
// a role (ahead or on a request) is kept until the next drop or the end of the day in London,
// not the minute a session's own page is kept: it holds nothing of any session (placeholders
// for the reader's three strings and a nonce each copy replaces), it is never sent as it is,
// only as a copy to a reader whose session was checked on that request, and what it shows
// changes only by a commit or a non-GET request (both drop it) or with the day (in its key):
// no dashboard shows a clock time, only the register's dates, today's date and stored instants.
import { promisify } from "node:util";
import zlib from "node:zlib";
import { createRequestHandler as createNodeHandler } from "@remix-run/node";
// The Express adapter's own conversions (exported by its dist/server.js, not its index), so a
// page not kept is sent exactly as @remix-run/express sends it (version pinned in package.json).
import expressAdapter from "@remix-run/express/dist/server.js";

const { createRemixRequest, sendRemixResponse } = expressAdapter;

/** How long a kept page may be served, ms (ROLLCALL_PAGE_CACHE_MS; 0 turns the cache off). */
const MAX_AGE_MS = process.env.ROLLCALL_PAGE_CACHE_MS !== undefined ? Math.max(0, Number(process.env.ROLLCALL_PAGE_CACHE_MS) || 0) : 60_000;
/** Most bytes of pages kept (as sent: plain and each compressed form); the oldest entries go first. */
const MAX_BYTES = 64 * 1024 * 1024;
/**
 * How long a session the full check accepted is accepted again from memory, ms: under the
 * minute in which its last-activity stamp is written at most once (analytics/users/store.ts
 * TOUCH_EVERY_MS), far under the 8-hour idle limit.
 */
const SESSION_RECHECK_MS = 60_000;
/** How a page made for a role is keyed (roleKey): session ids never hold ":". */
const ROLE_KEY = "role:";
/** Most pages remembered to make again after drops (`rememberRolePages`). */
const MAX_REMADE = 200;
/**
 * How recently a reader must have been sent a role's page for it to be made again after a drop
 * (`rememberRolePages`), ms: an hour, a lesson and the import after a register closes. A page
 * opened once is made again after the commits of the next hour, not after every commit of the
 * day; one its reader keeps returning to, for as long as they do.
 */
const READ_RECENTLY_MS = 60 * 60_000;
/** Most reads remembered (`noteRead`); past it the oldest are forgotten. */
const MAX_READS = 10 * MAX_REMADE;
/** Most session checks kept; past it they are all forgotten (each is one full check away). */
const MAX_SESSIONS = 10_000;

// The Trust page and the audit trail: kept only while their version (`pageVersion`) holds.
const VERSIONED_PAGES = /^\/(trust|audit)(\.data)?$/;
// A pupil's own page (AUDITED).
const PUPIL_PAGE = /^\/pupils\/[A-Za-z0-9]+(\.data)?$/;
// The pages that name pupils in lists (AUDITED; app/lib/audit.server.ts auditListView): the
// Pupils list, Casework, Interventions, Early warning and Register checks. (The SLT pack's page
// names none: its document, in the page's frame, does: SLT_DOCUMENT.)
const PUPIL_LIST_PAGES = /^\/(pupils|casework|interventions|early-warning|quality)(\.data)?$/;
// The packs' documents, which the pack pages show in their frame (app/routes/packs.$kind.$format.tsx,
// format html; the month or term in the query): the same file for every reader of the register's
// state and day (app/lib/pack-files.server.ts), changed only by a commit (a commentary saved, an
// import, settings: every kept page is dropped) or the day (in the key, as the month's "not over"
// is). Made afresh for every view, the SLT pack's had cost 3.6 ms median, 7.0 p95 of the server's
// time on the demo school (issue 11: over the plain scan), most of it Remix's request handling.
const PACK_DOCUMENT = /^\/packs\/(slt|fgb)\/html$/;
// The SLT pack's document names pupils (AUDITED): each view recorded as a list's is.
const SLT_DOCUMENT = /^\/packs\/slt\/html$/;
// The Users page (ACCOUNT_PAGES).
const USERS_PAGE = /^\/users(\.data)?$/;
// The Account page, where a reader changes their own password (ACCOUNT_PAGES).
const ACCOUNT_PAGE = /^\/account(\.data)?$/;

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
  /^\/(import|imports|settings)(\.data)?$/,
  /^\/imports\/\d+(\.data)?$/,
  // Pages that change with what is outside the database (the trust lake's files) or with rows
  // written without a commit (the audit trail): kept only while their version (`pageVersion`)
  // is the one they were made at.
  VERSIONED_PAGES,
  // The Users and Account pages: their loaders read the reader's own account id, so made once
  // per account (ACCOUNT_PAGES), kept while their version (the accounts, the failures and the
  // lockouts' times) holds.
  USERS_PAGE,
  ACCOUNT_PAGE,
  // A pupil's own page (AUDITED): kept only as the page made for a role, with its view's
  // audit entry, recorded again for every reader each time it is sent.
  PUPIL_PAGE,
  // The packs' documents (the SLT pack's AUDITED, as a pupil's page).
  PACK_DOCUMENT,
];

/**
 * Pages every view of which is recorded in the audit trail (a pupil's own page: issue 9; the
 * pages that list pupils by name and the SLT pack's document: DESIGN §4, "access to pupil data
 * is recorded"). The
 * page made for a role is made with its loader's audit entry held back (app/lib/audit.server.ts
 * `auditView`: with the placeholders, nothing is written, the entry is handed to this cache),
 * and each time it is sent — the reader's first copy, each replay of it, a copy another request
 * was making — that entry is recorded for the reader who is sent it (their e-mail, name, role
 * and address) before a byte of the page goes out; a page whose entry could not be recorded is
 * not sent (the failure is the answer). A page of one of these paths is kept only with its
 * entry: made for a session of its own (a reader who cannot be given a role's page, or page
 * sharing off), its loader records the view itself and the page is not kept. A page of another
 * path whose loader held an entry back (an import's page, which names pupils only when it
 * amended marks) is recorded in the same way each time it is sent, its entry kept with it.
 */
const AUDITED = [PUPIL_PAGE, PUPIL_LIST_PAGES, SLT_DOCUMENT];

/** Whether every view of the page at this path is recorded in the audit trail (AUDITED). */
export function auditedPath(pathname) {
  return AUDITED.some((pattern) => pattern.test(pathname));
}

/**
 * Signing in and out (their POSTs): they change no page anyone is kept — a session's own
 * state is on no page but the Users page (its lockouts), which is kept only while its version
 * holds (`pageVersion`: a refused sign-in's failure moves it on) — so they forget
 * the session checks kept in memory (a signed-out session gets the full check, and fails it)
 * rather than every kept page. Dropping every page on each sign-in had emptied the pages made
 * ahead for the morning's readers as each of them signed in, and let anyone able to reach the
 * sign-in page empty them as often as they liked with refused sign-ins.
 */
const SIGN_IN_OUT = /^\/(login|logout)(\.data)?$/;

/**
 * Forms whose actions change what a kept page shows only by a commit (analytics/db.ts
 * onDataChanged drops every kept page then) or by rows of the audit trail (the Audit page is
 * kept only at its version, `pageVersion`), never a role, an account, a session or anything
 * else a kept page reads: the Import form (a preview is a dry run rolled back; an import is one
 * transaction, rolled back too when it changes nothing, then its audit rows) and the report of a
 * CSV built in the browser (one audit row). They drop nothing themselves. Dropping every page
 * on each of them had emptied every role's kept pages twice per import (preview and import,
 * each before and after) even when the import changed nothing, so 50 readers during a web
 * import made every page again, and every CSV a reader downloaded did the same to everyone.
 */
const COMMITS_ONLY = /^\/(import|audit\/exports)(\.data)?$/;

/**
 * The pages made once for every reader of a role (app/lib/shared-render.server.ts): the
 * dashboards, the Import form, the import history and Settings, whose loaders read the
 * reader's role and nothing else of theirs but the name, email and CSRF token the root loader
 * shows (an import's progress is polled from /import/progress, never kept; what a preview or
 * a save answers is a POST's). Not the Users page: its loader reads the reader's own account
 * id (no Disable button on it), so it is made once per account (ACCOUNT_PAGES).
 */
const SHAREABLE = [
  /^\/$/,
  /^\/_root\.data$/,
  /^\/(trends|codes|patterns|groups|classes|pupils|casework|interventions|early-warning|quality|benchmarks|packs|definitions)(\.data)?$/,
  /^\/packs\/(slt|fgb)(\.data)?$/,
  /^\/(import|imports|settings)(\.data)?$/,
  /^\/imports\/\d+(\.data)?$/,
  // The Trust page and the audit trail read the role and nothing else of the reader's
  // (each kept while its version holds); a pupil's own page likewise, its view recorded for
  // each reader it is sent to (AUDITED).
  VERSIONED_PAGES,
  PUPIL_PAGE,
  // The packs' documents: the loader reads the role (which pack it may send) and nothing else
  // of the reader's; the SLT pack's view is recorded for each reader (AUDITED).
  PACK_DOCUMENT,
];

/**
 * Pages made once for every session of an account rather than of a role: the Users page, whose
 * loader reads the reader's account id (their own row has no Disable button), and the Account
 * page, whose loader reads the account's "must change password" mark by that id; of the
 * reader's own, neither reads anything else but the three strings the root loader shows (the
 * Account page shows the name and e-mail it is given, which are the placeholders). The Account
 * page had been made afresh for every request (10–30 ms of the one thread each; 230–500 ms in
 * the server under 50 readers, and up to 17 of the load benchmark's 25 slowest requests). Made with the same
 * placeholders as a role's page (`sendForRole`), keyed by the role and the account id
 * (`shareKey`), so one administrator with several sessions (tabs, machines) has it made once,
 * not once a session (50 sessions of one account had made it 50 times, 20–600 ms each under
 * load). Made ahead only for an account named to the warm-up (rolePagePreparer with "admin#7":
 * the accounts with a live session, app/lib/warm-up-opened.server.ts), read as that account.
 */
const ACCOUNT_PAGES = [USERS_PAGE, ACCOUNT_PAGE];

/**
 * Characters a reader's name, email and token may hold for a page made for their role to be
 * theirs by plain substitution: none of them is changed by HTML, JSON or script escaping.
 */
const PLAIN = /^[\p{L}\p{M}\p{N} .@_+-]*$/u;

/** Whether a page made for `reader`'s role can be given to them (see SHAREABLE and PLAIN). */
export function shareableFor(pathname, reader) {
  return (
    typeof reader === "object" &&
    reader !== null &&
    (SHAREABLE.some((pattern) => pattern.test(pathname)) || (ACCOUNT_PAGES.some((pattern) => pattern.test(pathname)) && Number.isSafeInteger(reader.userId) && reader.userId > 0)) &&
    [reader.name, reader.email, reader.csrfToken].every((value) => typeof value === "string" && value.length > 0 && PLAIN.test(value))
  );
}

/**
 * Whose page a shareable page (`shareableFor`) is made for: the role, or for a page of
 * ACCOUNT_PAGES the role and the account ("admin#7"; roles and ids hold no "#").
 */
export function shareKey(pathname, reader) {
  return ACCOUNT_PAGES.some((pattern) => pattern.test(pathname)) ? `${reader.role}#${reader.userId}` : reader.role;
}

/**
 * A page made for a role, cut once where a reader's own strings go (`personalise` fills the
 * cuts for each reader): { chunks: Buffer[], slots: string[] }, chunks[0], then slots[0]'s
 * string, chunks[1], … — each slot "name", "email", "csrfToken" (a placeholder's place) or
 * "nonce" (the nonce it was made with). Cut in one pass, so a string put back is never
 * searched again. Putting the four back with split and join over the whole text, four times for
 * every reader's copy, had been the largest cost of 50 sessions' first requests after making
 * Users per session (about a sixth of the server's time in that phase of the load bench).
 */
export function templateOf(text, placeholders, madeNonce) {
  const marks = new Map([
    [placeholders.name, "name"],
    [placeholders.email, "email"],
    [placeholders.csrfToken, "csrfToken"],
  ]);
  if (madeNonce) marks.set(madeNonce, "nonce");
  const pattern = new RegExp([...marks.keys()].map((m) => m.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|"), "g");
  const chunks = [];
  const slots = [];
  let at = 0;
  for (const match of text.matchAll(pattern)) {
    chunks.push(Buffer.from(text.slice(at, match.index)));
    slots.push(marks.get(match[0]));
    at = match.index + match[0].length;
  }
  chunks.push(Buffer.from(text.slice(at)));
  return { chunks, slots };
}

/**
 * A page made for a role (its `templateOf`), made the reader's: each placeholder's place
 * filled with the reader's own string and each place of the nonce it was made with by the
 * reader's (`nonce`). Returns the page's bytes.
 */
export function personalise(template, reader, nonce) {
  const values = readerValues(reader, nonce);
  const parts = [template.chunks[0]];
  for (let i = 0; i < template.slots.length; i++) parts.push(values[template.slots[i]], template.chunks[i + 1]);
  return Buffer.concat(parts);
}

/** The length in bytes of `personalise(template, reader, nonce)`, without putting it together. */
export function copyLength(template, reader, nonce) {
  const values = readerValues(reader, nonce);
  let length = 0;
  for (const chunk of template.chunks) length += chunk.length;
  for (const slot of template.slots) length += values[slot].length;
  return length;
}

/** What fills each kind of slot of a template for this reader, as bytes. */
function readerValues(reader, nonce) {
  return { name: Buffer.from(reader.name), email: Buffer.from(reader.email), csrfToken: Buffer.from(reader.csrfToken), nonce: Buffer.from(nonce) };
}

/** A gzip member's header (RFC 1952): deflate, no flags, no time, Unix. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
/** An empty last block in fixed Huffman codes (RFC 1951 3.2.6): BFINAL 1, BTYPE 01, end of block. */
const LAST_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);

/**
 * The reader's copy of a role's page (the bytes `personalise` gives) in gzip, put
 * together without compressing the page again: each chunk of the template is compressed once
 * for every copy (`template.deflated`: raw deflate at DEFLATE_CHUNK's level,
 * each chunk on its own and ended by a sync flush, so it starts and ends on a byte and refers to
 * nothing outside itself), the reader's strings go between them as stored blocks (RFC 1951
 * 3.2.4), then an empty last block and the trailer: the CRC-32 and length of the copy (read
 * piece by piece: the copy is never put together here). A stream of
 * blocks is valid whatever compressed each one, as long as no block refers back past its own
 * chunk's start. Compressing each reader's copy again (gzip level 1: 0.5–1 ms of a 400 KB page,
 * a third of the server's time while 50 sessions each opened every page for the first time) was
 * the largest cost left of a copy.
 */
export function gzipCopy(template, reader, nonce) {
  // Made ahead by deflateTemplate when there was time; else here, once.
  template.deflated ??= template.chunks.map((chunk) => zlib.deflateRawSync(chunk, DEFLATE_CHUNK));
  const values = readerValues(reader, nonce);
  const parts = [GZIP_HEADER, template.deflated[0]];
  // The copy's CRC-32 and length read piece by piece, the copy itself never put together.
  let crc = zlib.crc32(template.chunks[0]);
  let length = template.chunks[0].length;
  for (let i = 0; i < template.slots.length; i++) {
    const value = values[template.slots[i]];
    const chunk = template.chunks[i + 1];
    parts.push(...storedBlocks(value), template.deflated[i + 1]);
    crc = crcOn(chunk, crcOn(value, crc));
    length += value.length + chunk.length;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  parts.push(LAST_EMPTY_BLOCK, trailer);
  return Buffer.concat(parts);
}

/**
 * The CRC-32 `crc` carried on over `bytes`. Node 20's zlib.crc32 answers 0 for a zero-length
 * buffer whatever `crc` it is given (review 45: a template's chunk between two reader's strings
 * side by side, or at the page's end, is empty, and so may a reader's string be), which made
 * such a copy's trailer wrong and a browser refuse the page ("incorrect data check").
 */
function crcOn(bytes, crc) {
  return bytes.length === 0 ? crc : zlib.crc32(bytes, crc);
}

/**
 * How each chunk of a template is compressed for gzipCopy: zlib's default level 6, ended by a
 * sync flush (a small template's: DEFLATE_SMALL_CHUNK). Once per role's page, on zlib's
 * threads (deflateTemplate), never per copy, so
 * the level costs no reader anything: level 6 made the SLT pack's 394 KB 37 KB where level 1
 * made 46 KB (brotli at quality 4, which a copy's reader used to get, 31 KB).
 */
export const DEFLATE_CHUNK = { level: 6, finishFlush: zlib.constants.Z_SYNC_FLUSH };
/**
 * How a small template's chunks are compressed on the one thread (deflateTemplate): zlib's
 * fastest level, as the compression middleware's. A small page made for a role on a request is
 * mostly one made again and again, the Audit page after every recorded view (a copy or two
 * each): at level 6 its 33 KB took 1.8 ms of the one thread each time (profiled, 40 remakes
 * alone), at level 1 a sixth of that for a gzip 8 % larger (a 30 KB page: 1.27 -> 0.20 ms,
 * 5.0 -> 5.4 KB).
 */
export const DEFLATE_SMALL_CHUNK = { level: 1, finishFlush: zlib.constants.Z_SYNC_FLUSH };
const deflateRaw = promisify(zlib.deflateRaw);
/**
 * Templates of at most this many bytes are compressed on the one thread (deflateTemplate):
 * at DEFLATE_SMALL_CHUNK's level, a fraction of a millisecond.
 */
export const SYNC_DEFLATE_BYTES = 64 * 1024;

/**
 * Compresses a template's chunks for gzipCopy on zlib's threads, so the first copy sent in gzip
 * does not compress them on the one thread while readers wait (the warm-up awaits it: done
 * before any reader asks; a reader's copy of a page made on a request awaits it too) — but a
 * small template's (SYNC_DEFLATE_BYTES) at once on the one thread, which costs it under a
 * millisecond: on zlib's threads, which are libuv's, the Audit page's (made again after every
 * view, its copies waiting for it) had waited 9–170 ms under 50 readers behind the DuckDB
 * statements running on them (load27). Once per template: callers meanwhile get the same
 * promise. Never rejects: gzipCopy compresses them itself if this failed.
 */
export function deflateTemplate(template) {
  if (template.deflated) return Promise.resolve();
  if (!template.deflating && template.chunks.reduce((bytes, chunk) => bytes + chunk.length, 0) <= SYNC_DEFLATE_BYTES) {
    try {
      template.deflated = template.chunks.map((chunk) => zlib.deflateRawSync(chunk, DEFLATE_SMALL_CHUNK));
    } catch {
      // Left to gzipCopy, as when compressing on zlib's threads failed.
    }
    return Promise.resolve();
  }
  template.deflating ??= Promise.all(template.chunks.map((chunk) => deflateRaw(chunk, DEFLATE_CHUNK))).then(
    (deflated) => {
      template.deflated ??= deflated;
    },
    () => {},
  );
  return template.deflating;
}

/** `bytes` as stored (uncompressed) deflate blocks, not last, of at most 65,535 bytes each; none for no bytes. */
function storedBlocks(bytes) {
  const blocks = [];
  for (let at = 0; at < bytes.length; at += 65_535) {
    const piece = bytes.subarray(at, at + 65_535);
    const header = Buffer.alloc(5);
    header.writeUInt16LE(piece.length, 1);
    header.writeUInt16LE(~piece.length & 0xffff, 3);
    blocks.push(header, piece);
  }
  return blocks;
}

/**
 * Whether a page made at version `made` may answer a request that began at version `wanted`
 * (both `pageVersion`'s; undefined is ""): the same version, or — for a version that is a count
 * only ever moving on, written "<what> #<count>" (the audit trail's rows: app/lib/page-version.server.ts)
 * — the same thing at the same or a later count. A page made at a later count was made after
 * every change the request's count includes, so it shows all that a page made for the request
 * would, and the changes since (the newer rows). This lets every request that comes while such a
 * page is being made take that page, rather than each making it again at its own count: 50
 * readers with pupils' pages among theirs had made the Audit page again once a view each.
 */
export function versionServes(made = "", wanted = "") {
  if (made === wanted) return true;
  const a = COUNTED_VERSION.exec(made);
  const b = COUNTED_VERSION.exec(wanted);
  return a !== null && b !== null && a[1] === b[1] && Number(a[2]) >= Number(b[2]);
}
const COUNTED_VERSION = /^(.*) #(\d+)$/;

/**
 * The version a page made for a role is kept at: `read`, the version its loader noted it read
 * its rows at (app/lib/page-version.server.ts noteReadVersion: the Audit page's count of rows
 * when it read the trail), when that serves every request `begun` serves (versionServes: the
 * same thing counted, at the same or a later count); else `begun`, the version read as the
 * making began. A page made at a count shows every row counted by then, so the requests that
 * came while it was being made, up to its read, take it rather than each make it again.
 * @param {string} [begun]
 * @param {string | null} [read]
 * @returns {string}
 */
export function madeVersion(begun = "", read = null) {
  return typeof read === "string" && versionServes(read, begun) ? read : begun;
}

/**
 * The page another request is making under `key` now, waited for, if it `fits` (a kept entry
 * that answers this request): else the next one made meanwhile, and so on (at most a few).
 * Returns { entry } for one that fits; else, once nobody is making it, { entry: null, done }
 * with `done` a claim (`beginMaking`) on making it, taken in the same step as finding nobody
 * making it, when `claim` is set (else no `done`). So requests that waited together for a page
 * that does not fit them (made at an earlier count) take the one the first of them makes,
 * rather than each making its own: they all resume at once, and each finding nobody making the
 * page before any had begun to had made it once each.
 */
async function madeMeanwhile(cache, key, fits, claim = false) {
  for (let waited = 0; waited < 4; waited++) {
    const making = cache.waitFor(key);
    if (!making) break;
    const entry = await making;
    if (entry && fits(entry)) return { entry };
  }
  return { entry: null, done: claim ? cache.beginMaking(key) : undefined };
}

/** Whether requests for this path (no query string) may be answered from a kept page. */
export function cacheablePath(pathname) {
  return CACHEABLE.some((pattern) => pattern.test(pathname));
}

const londonDay = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" });

/**
 * How a kept page is compressed, by content coding: the compression middleware's settings
 * (scripts/server.js: zlib level 1; brotli quality 4, its default), on zlib's thread pool.
 */
const ENCODERS = {
  gzip: ((gzip) => (bytes) => gzip(bytes, { level: 1 }))(promisify(zlib.gzip)),
  br: ((brotli) => (bytes) => brotli(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }))(promisify(zlib.brotliCompress)),
};
/** The compression middleware's threshold: smaller answers are sent as they are. */
const COMPRESS_FROM_BYTES = 1024;

/**
 * The content coding to send a kept page in for an Accept-Encoding header: "br" or "gzip",
 * whichever the client rates higher (q-values, `*` standing for any coding not named), brotli
 * on a tie as the compression middleware prefers it; "identity" when neither is acceptable or
 * the header is absent (RFC 9110 §12.5.3).
 */
export function chooseEncoding(acceptEncoding) {
  if (!acceptEncoding) return "identity";
  const q = ratings(acceptEncoding);
  if (q("br") > 0 && q("br") >= q("gzip")) return "br";
  if (q("gzip") > 0) return "gzip";
  return "identity";
}

/** Whether an Accept-Encoding header accepts `coding` ("br" or "gzip"): rated above 0, by name or by `*` (RFC 9110 §12.5.3). */
export function acceptsCoding(acceptEncoding, coding) {
  return Boolean(acceptEncoding) && ratings(acceptEncoding)(coding) > 0;
}

/** An Accept-Encoding header's ratings: coding → its q-value (`*` standing for any coding not named; 0 for none). */
function ratings(acceptEncoding) {
  const rated = new Map();
  for (const part of acceptEncoding.split(",")) {
    const [coding, ...params] = part.split(";");
    const name = coding.trim().toLowerCase();
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param);
      if (match) q = Number(match[1]);
    }
    rated.set(name, Number.isFinite(q) ? q : 0);
  }
  return (name) => rated.get(name) ?? rated.get("*") ?? 0;
}

/**
 * PageCache's `worthMakingAgain` when none is given: every address (the server gives the build's).
 * @param {string} _url
 * @returns {boolean}
 */
function everyAddress(_url) {
  return true;
}

/**
 * The kept pages: Map from key to entry ({ status, statusText, headers, body: Buffer, csp,
 * encoded: { [coding]: Promise<Buffer> }, at, bytes }; a reader's copy of a role's page with
 * body null until asked for, `copyOf` and `length` instead: see bodyOf), in the order they were kept (so the
 * oldest is evicted first); the session checks kept (`sessionIdFor`); and an epoch that every
 * drop moves on.
 */
export class PageCache {
  /**
   * `worthMakingAgain(url)`: whether a page made for a role at this address (path and query) is
   * one to make again ahead of its readers after a drop (`rememberRolePages`); scripts/server.js
   * gives the build's (app/lib/page-addresses.ts: a closed allow-list of each route's parameters).
   */
  constructor({ maxAgeMs = MAX_AGE_MS, maxBytes = MAX_BYTES, sessionRecheckMs = SESSION_RECHECK_MS, now = () => Date.now(), worthMakingAgain = everyAddress } = {}) {
    this.maxAgeMs = maxAgeMs;
    this.worthMakingAgain = worthMakingAgain;
    this.maxBytes = maxBytes;
    this.sessionRecheckMs = sessionRecheckMs;
    this.now = now;
    this.entries = new Map();
    this.bytes = 0;
    this.epoch = 0;
    this.stats = { hits: 0, misses: 0, shared: 0, roleShared: 0, sessionChecks: 0, sessionsKept: 0, sessionsJoined: 0 };
    // Pages being made now, by key: Promise of the kept entry, or null when it was not kept.
    this.making = new Map();
    // Session checks the full check passed: from the request's protocol and Cookie header to
    // { sessionId, at } (when that check began).
    this.sessions = new Map();
    // Full checks under way, by the same key as `sessions`: { answer: Promise, sessionEpoch }.
    this.checking = new Map();
    // Moved on by every forgetting of the session checks (forgetSessions, and so clear()).
    this.sessionEpoch = 0;
    // Pages made for a role that drops emptied, to make again ahead (`pagesToMakeAgain`): "who\nurl" → { role, url, readAt }.
    this.dropped = new Map();
    // When a reader was last sent each role's page (`noteRead`), "who\nurl" → ms, the oldest first.
    // Kept apart from the entries: a page made again ahead is a new entry, read by nobody yet.
    this.reads = new Map();
    // Called after every drop (`onClear`): the warm-up makes the pages again.
    this.clearListeners = new Set();
  }

  /** Forgets every session check kept (a sign-in or sign-out: see SIGN_IN_OUT); kept pages stay. */
  forgetSessions() {
    this.sessions.clear();
    // A check under way is not joined by a request that comes after this (sessionIdFor).
    this.checking.clear();
    // A check begun before this is not kept when it ends (sessionIdFor).
    this.sessionEpoch += 1;
  }

  /** Forgets every kept page and session check (data changed, or a request that may change something came in). */
  clear() {
    this.rememberRolePages();
    this.entries.clear();
    this.forgetSessions();
    // Pages begun before the drop are not kept (set() refuses them), so nobody waits for them.
    this.making.clear();
    this.bytes = 0;
    this.epoch += 1;
    for (const listener of this.clearListeners) listener();
  }

  /** Calls `listener` after every drop of the kept pages (`clear`). */
  onClear(listener) {
    this.clearListeners.add(listener);
  }

  /**
   * Notes the pages made for a role kept now (today's, not an account's: the warm-up reads as no
   * account) before a drop empties them, so the warm-up makes them again ahead of their readers
   * (`pagesToMakeAgain`): the pages people had open — a pupil's page, an import's record, the
   * audit trail, a filtered list — besides the dashboards it always makes. Made on a reader's
   * first request after every commit, a pupil's page had cost about a second while 50 readers
   * queued.
   *
   * Only the pages worth it: one a reader was sent in the last READ_RECENTLY_MS (`noteRead`;
   * made by the warm-up is not read: a page opened once is made again for an hour, not after
   * every commit of the day), at an address its route reads (`worthMakingAgain`: no unknown,
   * repeated or misspelt parameter, app/lib/page-addresses.ts).
   * At most MAX_REMADE, the most recently read first. Every distinct address opened had been
   * made again after every commit, the first 200 kept, so junk and one-off query strings
   * (`/pupils?x=1`, `/groups?utm_source=…`) crowded out the pages readers return to (trial 47).
   */
  rememberRolePages() {
    const today = this.day();
    const since = this.now() - READ_RECENTLY_MS;
    for (const key of this.entries.keys()) {
      if (!key.startsWith(ROLE_KEY)) continue;
      const [who, url, day] = key.slice(ROLE_KEY.length).split("\n");
      const readAt = this.reads.get(`${who}\n${url}`);
      if (day !== today || who.includes("#") || readAt === undefined || readAt < since || !this.worthMakingAgain(url)) continue;
      this.dropped.set(`${who}\n${url}`, { role: who, url, readAt });
    }
    // Reads too old to count are forgotten (the oldest come first).
    for (const [page, at] of this.reads) {
      if (at >= since) break;
      this.reads.delete(page);
    }
    // Kept in the order they are made again, the most recently read first (pagesToMakeAgain).
    this.dropped = new Map([...this.dropped].sort(([, a], [, b]) => b.readAt - a.readAt).slice(0, MAX_REMADE));
  }

  /**
   * Notes that a reader was sent, now, a copy of the page made for a role under `roleKey`
   * (`roleKey`'s shape; `rememberRolePages` makes again only pages read recently).
   */
  noteRead(roleKey) {
    const [who, url] = roleKey.slice(ROLE_KEY.length).split("\n");
    const page = `${who}\n${url}`;
    // Deleted first, so the map stays in the order of the last reads.
    this.reads.delete(page);
    this.reads.set(page, this.now());
    if (this.reads.size > MAX_READS) this.reads.delete(this.reads.keys().next().value);
  }

  /**
   * The pages made for a role that drops emptied since they were last made again ({ role, url },
   * the most recently read first); `madeAgain` takes one off the list whatever became of it.
   */
  pagesToMakeAgain() {
    return [...this.dropped.values()].map(({ role, url }) => ({ role, url }));
  }

  madeAgain(role, url) {
    this.dropped.delete(`${role}\n${url}`);
  }

  /** The key of a page for a session: session, path and query, and the day in London. */
  key(sessionId, url) {
    return `${sessionId}\n${url}\n${this.day()}`;
  }

  /** The key of a page made for every reader of a role (session ids never hold ":"). */
  roleKey(role, url) {
    return `${ROLE_KEY}${role}\n${url}\n${this.day()}`;
  }

  /**
   * Today in London (YYYY-MM-DD), formatted once a minute: Intl's formatting was the largest
   * single cost of a hit left (12 µs). Exact, since London's offsets from UTC are whole hours,
   * so its date changes only at the start of a UTC minute.
   */
  day() {
    const minute = Math.floor(this.now() / 60_000);
    if (minute !== this.dayMinute) {
      this.dayMinute = minute;
      this.dayText = londonDay.format(minute * 60_000);
    }
    return this.dayText;
  }

  /**
   * The signed-in session for `req` (an Express request) as `check()` gives it (the full check,
   * sessionOf: the session's reader, or null) unless the same cookie passed it less than `sessionRecheckMs` ago with
   * no drop since. Only a session that passed is kept, and only if no drop came while it was
   * checked (a sign-out running at the same time).
   *
   * A request whose cookie's full check is under way already, begun since the last forgetting
   * of the checks (a drop, a sign-in or sign-out), takes that check's answer rather than running
   * its own (`checking`); if a forgetting comes while it waits, it checks afresh. 50 readers of
   * one session at once (a class's shared login; a browser's tabs, after every drop) had run 50
   * full checks, each a Fetch Request, the cookie's signature on libuv's threads and a read of the
   * session row, and every first page of them waited for all of them (load bench, phase 1: the
   * 27 copies of role pages were all answered only once the last check was done).
   */
  async sessionIdFor(req, check) {
    const cookie = req.headers.cookie;
    const memo = cookie ? `${req.protocol}\n${cookie}` : null;
    const now = this.now();
    const known = memo === null ? undefined : this.sessions.get(memo);
    if (known && now - known.at < this.sessionRecheckMs) {
      this.stats.sessionsKept += 1;
      return known.sessionId;
    }
    const sessionEpoch = this.sessionEpoch;
    const underWay = memo === null ? undefined : this.checking.get(memo);
    if (underWay && underWay.sessionEpoch === sessionEpoch) {
      this.stats.sessionsJoined += 1;
      const sessionId = await underWay.answer;
      if (sessionEpoch === this.sessionEpoch) return sessionId;
    }
    this.stats.sessionChecks += 1;
    const answer = check();
    const mine = { answer, sessionEpoch };
    if (memo !== null) this.checking.set(memo, mine);
    let sessionId;
    try {
      sessionId = await answer;
    } finally {
      if (memo !== null && this.checking.get(memo) === mine) this.checking.delete(memo);
    }
    if (memo !== null && sessionId && sessionEpoch === this.sessionEpoch) {
      if (this.sessions.size >= MAX_SESSIONS) this.sessions.clear();
      this.sessions.set(memo, { sessionId, at: now });
    }
    return sessionId;
  }

  /**
   * The entry kept under `key`, if it was made at `version` (the page's version when this
   * request began: `pageVersion`; "" for pages that have none) or a later one that serves it
   * (`versionServes`), and has not outlived its age. An entry of any other version is dropped.
   */
  get(key, version = "") {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (!versionServes(entry.version, version)) {
      this.delete(key);
      return undefined;
    }
    // A page made for a role (sendForRole, prepareForRole) lasts until a drop or the day
    // changes (both in its key); a session's own page, MAX_AGE_MS. See "Pages made ahead".
    if (!key.startsWith(ROLE_KEY) && this.now() - entry.at >= this.maxAgeMs) {
      this.delete(key);
      return undefined;
    }
    return entry;
  }

  /**
   * Keeps a page ({ status, statusText, headers, body: Buffer, csp, version?, audit? }; or
   * body null with `copyOf` { template, reader, nonce } and its `length`: a reader's copy of a
   * role's page, put together only if asked for, bodyOf) unless
   * a drop happened since `epoch` (when its request began). `version`: the page's version
   * read when its request began, before anything of it was read (`get` serves it only at that
   * version); `audit`: the view's audit entry of an AUDITED page. Returns the kept entry, or null.
   */
  set(key, page, epoch) {
    if (epoch !== this.epoch || this.maxAgeMs <= 0) return null;
    if (lengthOf(page) > this.maxBytes / 8) return null;
    // A reader's copy not yet put together (`copyOf`) holds no bytes of its own until it is (bodyOf).
    const bytes = page.body ? page.body.length : 0;
    this.delete(key);
    const entry = { ...page, key, encoded: {}, at: this.now(), bytes };
    this.entries.set(key, entry);
    this.bytes += bytes;
    this.evict();
    return entry;
  }

  /**
   * The entry's body in `coding` ("gzip" or "br"), compressed the first time it is asked for
   * and kept with the entry (counted in the cache's bytes while the entry is kept). Also for a
   * page that was not kept (no `key`): compressed for its one answer, counted nowhere.
   */
  encoded(entry, coding) {
    let bytes = entry.encoded[coding];
    if (!bytes) {
      bytes = entry.encoded[coding] = ENCODERS[coding](this.bodyOf(entry));
      bytes.then(
        (buffer) => {
          // Counted only while the entry is still the one kept under its key.
          if (entry.key !== undefined && this.entries.get(entry.key) === entry) {
            entry.bytes += buffer.length;
            this.bytes += buffer.length;
            this.evict();
          }
        },
        () => {},
      );
    }
    return bytes;
  }

  /**
   * The entry's plain bytes: its body, or for a reader's copy of a role's page kept without one
   * (`copyOf`: sendForRole) the copy put together now (`personalise`), kept with the entry and
   * counted as its compressed bytes are (`encoded`).
   */
  bodyOf(entry) {
    if (entry.body) return entry.body;
    const { template, reader, nonce } = entry.copyOf;
    entry.body = personalise(template, reader, nonce);
    if (entry.key !== undefined && this.entries.get(entry.key) === entry) {
      entry.bytes += entry.body.length;
      this.bytes += entry.body.length;
      this.evict();
    }
    return entry.body;
  }

  /** Keeps `bytes` as the entry's body in `coding` (made otherwise than by `encoded`), counted as `encoded` counts them. */
  keepEncoded(entry, coding, bytes) {
    entry.encoded[coding] = Promise.resolve(bytes);
    if (entry.key !== undefined && this.entries.get(entry.key) === entry) {
      entry.bytes += bytes.length;
      this.bytes += bytes.length;
      this.evict();
    }
  }

  /**
   * Lets the oldest entries go until the bytes fit: sessions' pages first, the pages made for a
   * role (or an account) only when those are gone. A session's page is a copy of its role's,
   * made again from it at the cost of a copy; a role's page costs a whole render, and it is the
   * oldest (made ahead after every change), so oldest-first alone had dropped every role's
   * pages first once 50 sessions' copies filled the bytes.
   */
  evict() {
    for (const roles of [false, true]) {
      for (const [oldest] of this.entries) {
        if (this.bytes <= this.maxBytes) return;
        if (oldest.startsWith(ROLE_KEY) === roles) this.delete(oldest);
      }
    }
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

/**
 * Express handler for everything past the static files: Remix's own request handler, with
 * read-only dashboard pages answered from `cache` when nothing changed since they were made.
 * `sessionOf(request)` (the build's entry module, app/entry.server.tsx `sessionReaderOf`)
 * returns the signed-in session's reader ({ sessionId, role, name, email, csrfToken }) or
 * null, reading and touching the session exactly as a page's loader does; null too for a session
 * that must change its password, so no page kept for a role or session ever reaches it (each of
 * its requests goes to Remix, whose requireUser sends it to the Account page). `shared` ({ header,
 * newPlaceholders, headerFor, takeViewAudit, recordViewAudit }, from the same module), or null,
 * turns on pages made once per role (`sendForRole`) and the AUDITED pages' keeping.
 * `pageVersion(pathname)` (the same module): the version a page's keeping depends on besides
 * the commits that drop everything ("" for most). `clientAddressOf(req)`: the address an
 * audit entry records (what the load context gives a loader).
 * `checkedSession` ({ header, headerFor }, from the same module), or null: hands the GETs it
 * sends to Remix the reader whose session it checked (handsCheckedSession).
 * `getLoadContext(req, res)` as for @remix-run/express.
 * `requestScope(pathname, work)` (the same module): runs each request's work, so that what the
 * page's version reads and what its loaders read is read once (app/lib/page-version.server.ts
 * pageScope: the trust lake's folders listed once for /trust, not three times).
 */
export function cachedRequestHandler({ build, mode, getLoadContext, cache, sessionOf, shared = null, checkedSession = null, pageVersion = () => "", clientAddressOf = () => null, requestScope = (_pathname, work) => work() }) {
  const handle = createNodeHandler(build, mode);
  return (req, res, next) => requestScope(req.path, async () => {
    try {
      // Only this process asks for a page made with placeholders, or hands a checked session
      // (a header from outside could not carry the secret either).
      if (shared) delete req.headers[shared.header];
      if (checkedSession) delete req.headers[checkedSession.header];
      if (req.method !== "GET" && req.method !== "HEAD" && req.method !== "OPTIONS" && !COMMITS_ONLY.test(req.path)) {
        // Before it runs, and once answered: a page made while it ran is not kept either.
        const drop = SIGN_IN_OUT.test(req.path) ? () => cache.forgetSessions() : () => cache.clear();
        drop();
        res.once("finish", drop);
      }
      // Made only when Remix is asked (a page made afresh) or the session's full check runs.
      let request = null;
      const remixRequest = () => (request ??= createRemixRequest(req, res));
      let key = null;
      let version = "";
      const epoch = cache.epoch;
      // The session as checked for this request (undefined: not checked here).
      let checked;
      if (req.method === "GET" && cache.maxAgeMs > 0 && cacheablePath(req.path)) {
        checked = await cache.sessionIdFor(req, () => sessionOf(remixRequest()));
        const sessionId = checked?.sessionId;
        // A pupil's page is kept only with its view's audit entry, recorded for each reader sent it.
        const audited = auditedPath(req.path);
        if (sessionId && (!audited || shared)) {
          // Read before anything of the page is: a page made while its version moved on is kept
          // under the version it began at, so it is never served at the new one.
          version = pageVersion(req.path);
          key = cache.key(sessionId, req.originalUrl);
          let kept = cache.get(key, version);
          let how = "hit";
          if (!kept) {
            // The same page for the same session is being made now (two tabs, or a navigation
            // and its prefetch): wait for it rather than make it twice. Kept only if no drop
            // came between, so what it gives is as fresh as a page made now.
            kept = (await madeMeanwhile(cache, key, (entry) => versionServes(entry.version, version) && (!audited || entry.audit))).entry;
            if (kept) how = "shared";
          }
          if (kept && cache.epoch === epoch && versionServes(kept.version, version) && (!audited || kept.audit)) {
            // Any page kept with a view's entry (its loader held one back: auditView), whether or
            // not its address is among AUDITED's: an import's page naming pupils had its entry
            // taken and never recorded (trial 27).
            if (kept.audit) await shared.recordViewAudit(checked, kept.audit, clientAddressOf(req));
            // A copy of a role's page read again: that page is still being read (rememberRolePages).
            if (kept.copyOf) cache.noteRead(kept.copyOf.roleKey);
            cache.stats[how === "hit" ? "hits" : "shared"] += 1;
            res.set("Server-Timing", `page-cache;desc="${how}"`);
            await sendPage(req, res, cache, kept);
            return;
          }
          if (shared && shareableFor(req.path, checked)) {
            // Other requests of this session meanwhile wait for this one's answer, as below.
            const done = cache.beginMaking(key);
            let keptEntry = null;
            try {
              keptEntry = await sendForRole(req, res, { handle, getLoadContext, cache, shared, key, epoch, version, reader: checked, audited, clientAddressOf, pageVersion });
            } finally {
              done(keptEntry);
            }
            return;
          }
          if (audited) {
            // Made for this session alone: its loader records the view itself, and it is not kept.
            key = null;
          } else {
            cache.stats.misses += 1;
            res.set("Server-Timing", 'page-cache;desc="miss"');
          }
        }
      }
      if (checkedSession && handsCheckedSession(req, cache)) {
        if (checked === undefined) checked = await cache.sessionIdFor(req, () => sessionOf(remixRequest()));
        if (checked) {
          req.headers[checkedSession.header] = checkedSession.headerFor(checked);
          // Made again with the header (a full check above had made it without).
          request = null;
        }
      }
      const loadContext = await getLoadContext?.(req, res);
      const done = key ? cache.beginMaking(key) : () => {};
      let keptEntry = null;
      try {
        const response = await handle(key ? askedPlain(remixRequest()) : remixRequest(), loadContext);
        if (key && response.status === 200 && !response.headers.has("Set-Cookie")) {
          const body = Buffer.from(await response.arrayBuffer());
          const headers = keptHeaders(response);
          // The CSP header (scripts/server.js) names this request's nonce, which the page's
          // scripts carry: a replay sends both again (see the top of this file).
          const csp = res.getHeader("Content-Security-Policy");
          const page = { status: response.status, statusText: response.statusText, headers, body, csp: typeof csp === "string" ? csp : undefined, version };
          keptEntry = cache.set(key, page, epoch);
          await sendPage(req, res, cache, keptEntry ?? { ...page, encoded: {} });
          return;
        }
        await sendRemixResponse(res, response);
      } finally {
        done(keptEntry);
      }
    } catch (error) {
      next(error);
    }
  });
}

/**
 * Whether a request the page cache sends to Remix is handed the reader whose session it checked
 * (`sessionIdFor`: the full check, or one passed under SESSION_RECHECK_MS ago with no drop since,
 * exactly as a kept page is served), so its loaders do not read the session from DuckDB again
 * (app/lib/shared-render.server.ts checkedSessionHeader): a GET with a cookie, the cache on,
 * but signing in and out (SIGN_IN_OUT), whose pages always read the session themselves. A
 * session that must change its password passes no check (sessionOf gives null), so it is never
 * handed and Remix sends it to the Account page as before; a form (any other method) always
 * reads the session and checks its token.
 */
export function handsCheckedSession(req, cache) {
  return req.method === "GET" && cache.maxAgeMs > 0 && typeof req.headers.cookie === "string" && !SIGN_IN_OUT.test(req.path);
}

/**
 * A response's headers as a kept page keeps them: without its length and codings, which
 * sendPage sets for the bytes it sends, and without the route's own Server-Timing (a pack's
 * document says whether its file was made for that request), true only of the answer that made
 * the page: a kept page's says how this cache answered (page-cache;desc=…).
 */
function keptHeaders(response) {
  return [...response.headers.entries()].filter(([name]) => !["content-length", "content-encoding", "transfer-encoding", "server-timing"].includes(name.toLowerCase()));
}

/**
 * `request` (a Fetch Request for Remix) asking for its answer uncompressed, for a page this
 * cache may keep: a kept page is its plain bytes, compressed here for each client (sendPage;
 * keptHeaders drops the answer's own coding). A route that compresses its answer itself (a
 * pack's document, gzipped once with its file) would otherwise be kept as gzip read as text.
 */
function askedPlain(request) {
  request.headers.delete("accept-encoding");
  return request;
}

/**
 * Answers a session's first request for a dashboard page from the page made for its role
 * (made now, with placeholders, if nobody of the role has it: app/lib/shared-render.server.ts),
 * made the reader's own (`personalise`: their name, email, token and nonce) and kept for the
 * session as a page made for it would be. Server-Timing: "role" when the role's page was there
 * (or being made by another reader's request), "miss" when this request made it. Returns the
 * session's kept entry, or null when nothing was kept.
 */
async function sendForRole(req, res, { handle, getLoadContext, cache, shared, key, epoch, version, reader, audited, clientAddressOf, pageVersion }) {
  const roleKey = cache.roleKey(shareKey(req.path, reader), req.originalUrl);
  const loadContext = await getLoadContext?.(req, res);
  const nonce = typeof loadContext?.cspNonce === "string" ? loadContext.cspNonce : "";
  const cspHeader = res.getHeader("Content-Security-Policy");
  const csp = typeof cspHeader === "string" ? cspHeader : undefined;
  // A page another request was making at a version that does not serve this one's, or (AUDITED)
  // without its view's entry, is not this one.
  const fits = (entry) => versionServes(entry.version, version) && (!audited || entry.audit);
  let made = cache.get(roleKey, version) ?? null;
  let claim;
  if (!made) ({ entry: made, done: claim } = await madeMeanwhile(cache, roleKey, fits, true));
  let how = "role";
  if (made && !fits(made)) made = null;
  if (!made || cache.epoch !== epoch) {
    how = "miss";
    made = null;
    const placeholders = shared.newPlaceholders();
    // The reader whose session was checked above: the page's loaders are given it rather than
    // reading the session again (app/lib/shared-render.server.ts sharedRenderHeader).
    req.headers[shared.header] = shared.headerFor(placeholders, reader);
    const done = claim ?? cache.beginMaking(roleKey);
    claim = undefined;
    // Its version read now, not when the request began: nothing of the page is read yet, and a
    // later count (the audit rows written while this request waited) serves more of the
    // requests that wait for this page (versionServes).
    const makeVersion = pageVersion(req.path);
    try {
      const answer = await keepRolePage(cache, roleKey, epoch, await handle(askedPlain(createRemixRequest(req, res)), loadContext), placeholders, nonce, { shared, version: makeVersion, audited });
      made = answer.made;
      if (!made) {
        // Not a page to keep (a refusal, a redirect, a drop meanwhile): answered once, as the
        // reader's own; a view its loader held back an audit entry for is recorded first.
        const page = answer.page;
        if (page.audit) await shared.recordViewAudit(reader, page.audit, clientAddressOf(req));
        cache.stats.misses += 1;
        res.set("Server-Timing", 'page-cache;desc="miss"');
        const own = personalise(page.template, reader, nonce);
        await sendPage(req, res, cache, { ...page, body: own, csp, encoded: {} });
        return null;
      }
    } finally {
      shared.forgetReader?.(placeholders);
      done(made);
    }
  }
  // A claim taken but not used (a page came after all, the epoch aside): nobody is left waiting on it.
  claim?.(made);
  // Recorded for this reader before any of the page is sent: an AUDITED page always has its
  // entry (fits), any other page whose loader held one back too.
  if (made.audit) await shared.recordViewAudit(reader, made.audit, clientAddressOf(req));
  // Read by someone, not only made: worth making again after the next drop (rememberRolePages).
  cache.noteRead(roleKey);
  cache.stats[how === "role" ? "roleShared" : "misses"] += 1;
  res.set("Server-Timing", `page-cache;desc="${how}"`);
  // The reader's copy is kept as the role's page and the reader's strings (`copyOf`): its plain
  // bytes are put together only if they are asked for (bodyOf: a client that takes no gzip).
  // Putting every copy together in fresh memory, though nearly every client is sent its gzip,
  // was the largest item of a profile of 50 sessions' first pages (Buffer.concat: 240 of 1,930 ms
  // sampled busy, at load 5; 500 copies of a 120 KB page with their gzip, alone: 49 → 19 ms of
  // CPU), besides the memory each held. The template is shared by the role's page, which counts its bytes.
  const copyOf = { template: made.template, reader, nonce, roleKey };
  // Kept at the version the role's page was made at (which may be later than this request's).
  const page = { status: made.status, statusText: made.statusText, headers: made.headers, body: null, copyOf, length: copyLength(made.template, reader, nonce), csp, version: made.version, audit: made.audit };
  const kept = cache.set(key, page, epoch);
  const entry = kept ?? { ...page, encoded: {} };
  // Sent in gzip to any client that accepts it, brotli-first browsers included: the copy's gzip
  // is put together from the role's page compressed once (gzipCopy), and kept, so the session's
  // replays send it too (`preferred`, codingFor). Brotli for a copy meant compressing the whole
  // page for every session: with Chromium's Accept-Encoding, 50 sessions' first pages had cost
  // the server 2.6 s of CPU where gzip copies cost 0.9 s.
  entry.preferred = "gzip";
  if (codingFor(req, entry) === "gzip") {
    // The role's page's chunks compressed on zlib's threads if they are not yet (a page made on
    // this request, not ahead), rather than on the one thread by gzipCopy.
    await deflateTemplate(made.template);
    cache.keepEncoded(entry, "gzip", gzipCopy(made.template, reader, nonce));
  }
  await sendPage(req, res, cache, entry);
  return kept;
}

/**
 * A page made for a role from Remix's answer to a request that carried `placeholders` (made
 * with the CSP nonce `nonce`), kept under `roleKey` when it may be (200, no cookie set, no drop
 * since `epoch`; an AUDITED page only with the audit entry its loader held back, which the
 * page carries as `audit`): { page, made }, `made` the kept entry or null. `version`: the
 * page's version when its request began. What sendForRole (on a reader's request) and
 * prepareForRole (ahead of any) both keep.
 */
async function keepRolePage(cache, roleKey, epoch, response, placeholders, nonce, { shared, version, audited }) {
  const text = await response.text();
  // Taken whatever the answer (a loader that held one back and then failed leaves none behind).
  const audit = shared.takeViewAudit?.(placeholders) ?? null;
  const template = templateOf(text, placeholders, nonce);
  // `body` only counts the entry's bytes: a page made for a role is never sent as it is.
  const page = { status: response.status, statusText: response.statusText, headers: keptHeaders(response), body: Buffer.from(text), template, version: madeVersion(version, shared.takeReadVersion?.(placeholders)), audit };
  const keep = response.status === 200 && !response.headers.has("Set-Cookie") && (!audited || audit !== null);
  const made = keep ? cache.set(roleKey, page, epoch) : null;
  // Compressed for its readers' gzip copies meanwhile (awaited by the warm-up, not by a reader).
  const deflating = made ? deflateTemplate(template) : Promise.resolve();
  return { page, made, deflating };
}

/**
 * Makes ahead of any request the page every reader of `role` gets for `url` (a SHAREABLE
 * path; or with `role` naming an account, "admin#7" as shareKey gives it, the page of
 * ACCOUNT_PAGES every session of that account gets), as sendForRole would on a reader's first
 * request, and keeps it: the background
 * warm-up (scripts/warm-up.js) calls it after start-up and after every commit, so the first
 * request of each session finds its role's page made (see "Pages made ahead" above). The page
 * is made as the warm-up's reader of that role (app/lib/warm-up.server.ts `warmUpHeaders`:
 * no session) with placeholders for the three strings of a reader's own, and a nonce of its
 * own that each reader's copy replaces. Returns the page's HTTP status (an unshareable path:
 * 0, nothing made); a page another request is making now is waited for, not made twice.
 * `deps`: { build, mode, cache, shared, warmUpHeaders, nonce: () => string, pageVersion,
 * requestScope } (the last two as for cachedRequestHandler: each page made runs in a scope of its own).
 */
export function rolePagePreparer({ build, mode, cache, shared, warmUpHeaders, nonce, pageVersion = () => "", requestScope = (_pathname, work) => work() }) {
  const handle = createNodeHandler(build, mode);
  return (role, url) => requestScope(new URL(url, "http://localhost").pathname, () => prepareForRole(role, url));
  async function prepareForRole(role, url) {
    const pathname = new URL(url, "http://localhost").pathname;
    // `role` names an account ("admin#7", shareKey's key) only for a page made once per account.
    if (!(role.includes("#") ? ACCOUNT_PAGES : SHAREABLE).some((pattern) => pattern.test(pathname))) return 0;
    const roleKey = cache.roleKey(role, url);
    const making = cache.waitFor(roleKey);
    if (making) return (await making) ? 200 : 0;
    const epoch = cache.epoch;
    const version = pageVersion(pathname);
    // Made already since the last drop (a reader's request, or an earlier step of this round).
    if (cache.get(roleKey, version)) return 200;
    const placeholders = shared.newPlaceholders();
    const madeNonce = nonce();
    const done = cache.beginMaking(roleKey);
    let made = null;
    try {
      const request = new Request(`http://localhost${url}`, { headers: { ...warmUpHeaders(role), [shared.header]: shared.headerFor(placeholders) } });
      const answer = await keepRolePage(cache, roleKey, epoch, await handle(request, { cspNonce: madeNonce, clientAddress: "warm-up" }), placeholders, madeNonce, { shared, version, audited: auditedPath(pathname) });
      made = answer.made;
      await answer.deflating;
      return answer.page.status;
    } finally {
      done(made);
    }
  }
}

/** The length of an entry's (or a page's) plain bytes, put together or not (a reader's copy: `copyOf`). */
function lengthOf(entry) {
  return entry.body ? entry.body.length : entry.length;
}

/**
 * The content coding sendPage sends `entry` in for `req`: "identity" for a small or binary
 * answer; else the entry's `preferred` coding when the client accepts it at all (a copy of a
 * role's page: gzip, which it is put together in without compressing, see sendForRole), so a
 * copy is never compressed again in brotli; else chooseEncoding's.
 */
function codingFor(req, entry) {
  const type = entry.headers.find(([name]) => name.toLowerCase() === "content-type")?.[1] ?? "";
  const compressible = lengthOf(entry) >= COMPRESS_FROM_BYTES && /^text\/|[/+](json|xml|javascript)\b/i.test(type);
  if (!compressible) return "identity";
  const accept = req.headers["accept-encoding"];
  return entry.preferred && acceptsCoding(accept, entry.preferred) ? entry.preferred : chooseEncoding(accept);
}

/**
 * Sends a page (kept or just made) as @remix-run/express would have, with its CSP header and
 * compressed as the client accepts (once per coding: the bytes are kept with the entry), with
 * its Content-Length. The compression middleware leaves an answer that names its
 * Content-Encoding as it is.
 */
async function sendPage(req, res, cache, entry) {
  const coding = codingFor(req, entry);
  let body = null;
  if (coding !== "identity") {
    try {
      body = await cache.encoded(entry, coding);
    } catch {
      body = null; // zlib failed: the page as it is, still a whole answer
    }
  }
  const encoded = body !== null;
  if (!encoded) body = cache.bodyOf(entry);
  res.statusMessage = entry.statusText;
  res.status(entry.status);
  for (const [name, value] of entry.headers) res.append(name, value);
  if (entry.csp !== undefined) res.setHeader("Content-Security-Policy", entry.csp);
  if (encoded) {
    res.setHeader("Content-Encoding", coding);
    res.vary("Accept-Encoding");
  }
  res.setHeader("Content-Length", body.length);
  // end(), not send(): send() would add an ETag the original answer never had.
  res.end(body);
}
