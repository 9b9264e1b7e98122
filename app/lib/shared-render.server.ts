/**
 * Pages made once for every reader of a role (scripts/page-cache.js; issue 11, item 4: 50
 * people signed in at once, each in a session of their own, each asking for pages nobody in
 * their own session has asked for yet, made every page 50 times over).
 *
 * A dashboard page's bytes depend on the URL, the data, the day and the reader's role — and on
 * three things of the reader's own that the root loader puts into every page: their name and
 * email (the header) and their session's CSRF token (forms, and a meta tag for scripts). So the
 * page cache makes such a page once per role with a placeholder in place of each of the three
 * (`getUser` returns them for a request carrying SHARED_RENDER_HEADER with this process's
 * secret), and gives each reader a copy with their own three put back, and their own CSP nonce.
 * The placeholders are 36 random characters of [a-z0-9], which neither React's HTML escaping
 * nor JSON's nor the script escaping of Remix's hydration data changes; the page cache shares a
 * page only with a reader whose name, email and token are as plain (letters, digits, spaces and
 * `.@_+-`), so putting them back needs no escaping in any of those places either. Anyone else
 * gets the page made for their own session, as before.
 */
import crypto from "node:crypto";

/** The request header that asks for a page made with placeholders (only from this process). */
export const SHARED_RENDER_HEADER = "x-rollcall-shared-render";

/** This process's secret: a header from outside (which the page cache also removes) cannot match it. */
const SECRET = crypto.randomBytes(24).toString("base64url");

/** The three values of a reader a page carries, as placeholders or as the reader's own. */
export interface ReaderStrings {
  name: string;
  email: string;
  csrfToken: string;
}

const PLACEHOLDER = /^rcph[a-z0-9]{32}$/;

/** Fresh placeholders for one page made for a role: `rcph` and 32 random [a-z0-9]. */
export function newPlaceholders(): ReaderStrings {
  const one = () => `rcph${crypto.randomBytes(20).toString("hex").slice(0, 32)}`;
  return { name: one(), email: one(), csrfToken: one() };
}

/**
 * A reader whose session the page cache has just checked (scripts/page-cache.js `sessionIdFor`:
 * the full check, sessionReaderOf in app/lib/auth.server.ts, or one it passed under a minute ago
 * with no drop since) and for whom it makes a page for the role: its session, account and role.
 */
export interface CheckedReader {
  sessionId: string;
  userId: number;
  role: string;
}

/**
 * Checked readers by the placeholders (their CSRF placeholder: 36 random characters, one page
 * each) of the page being made for them (sharedRenderHeader), until the page is made
 * (forgetCheckedReader). Bounded: a page whose making failed before it was forgotten leaves its
 * entry, which only a request carrying this process's secret and those placeholders could read.
 */
const checkedReaders = new Map<string, CheckedReader>();
const MAX_CHECKED_READERS = 1000;

/**
 * The SHARED_RENDER_HEADER value that makes a page with `placeholders`. With `reader` (the page
 * cache making the page on that reader's request, their session checked), the page's loaders
 * are given that reader (checkedReaderFor) rather than each reading the session again: a page
 * made for a role on request had read it twice, the second a trip to DuckDB that under 50
 * readers waited 28–311 ms (the Audit page, made again after the rows written meanwhile).
 */
export function sharedRenderHeader(placeholders: ReaderStrings, reader?: CheckedReader): string {
  if (reader) {
    if (checkedReaders.size >= MAX_CHECKED_READERS) checkedReaders.delete(checkedReaders.keys().next().value as string);
    checkedReaders.set(placeholders.csrfToken, { sessionId: reader.sessionId, userId: reader.userId, role: reader.role });
  }
  return `${SECRET} ${placeholders.name} ${placeholders.email} ${placeholders.csrfToken}`;
}

/** The reader the page cache checked for the page made with `placeholders` (sharedRenderHeader), or null. */
export function checkedReaderFor(placeholders: ReaderStrings): CheckedReader | null {
  return checkedReaders.get(placeholders.csrfToken) ?? null;
}

/** Forgets the checked reader of the page made with `placeholders`, once it is made (or failed). */
export function forgetCheckedReader(placeholders: ReaderStrings): void {
  checkedReaders.delete(placeholders.csrfToken);
}

/**
 * The placeholders a GET request asks its page to be made with, or null: no header, a wrong
 * secret, a malformed placeholder, or any method but GET (a form's token is always checked
 * against the session's own).
 */
export function sharedPlaceholders(request: Request): ReaderStrings | null {
  const fields = fromThisProcess(request, SHARED_RENDER_HEADER);
  if (!fields) return null;
  const [name = "", email = "", csrfToken = ""] = fields;
  if (![name, email, csrfToken].every((p) => PLACEHOLDER.test(p))) return null;
  return { name, email, csrfToken };
}

/**
 * The fields after this process's secret in a GET request's `header` (space-separated), or
 * null: no header, a wrong secret, or any method but GET (a form's token is always checked
 * against the session's own, from DuckDB).
 */
function fromThisProcess(request: Request, header: string): string[] | null {
  const value = request.headers.get(header);
  if (!value || request.method !== "GET") return null;
  const [secret = "", ...fields] = value.split(" ");
  const expected = Buffer.from(SECRET);
  const given = Buffer.from(secret);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  return fields;
}

/**
 * The request header that hands the loaders of a GET the page cache sends to Remix (a page not
 * kept, a pack's document, a download, an import's progress) the reader whose session it
 * checked for that request (only from this process: scripts/page-cache.js removes it from every
 * request from outside, and it carries this process's secret).
 */
export const CHECKED_SESSION_HEADER = "x-rollcall-checked-session";

/**
 * A session the page cache checked (scripts/page-cache.js `sessionIdFor`: the full check,
 * sessionReaderOf in app/lib/auth.server.ts, or one it passed under a minute ago with no drop
 * since): its reader as sessionReaderOf gave it. Never one that must change its password
 * (sessionReaderOf gives none for it).
 */
export interface CheckedSession extends CheckedReader, ReaderStrings {}

/**
 * The CHECKED_SESSION_HEADER value that hands `reader` to the request's loaders (getUser takes
 * it rather than reading the session from DuckDB again). Every GET the page cache did not
 * answer itself had read its session from DuckDB once more after the page cache's check: under
 * 50 readers that read waited 44 ms (median) to 300 ms (p90) for DuckDB, most of a pack
 * document's time in the server (load27).
 */
export function checkedSessionHeader(reader: CheckedSession): string {
  const fields = [reader.sessionId, reader.userId, reader.role, reader.name, reader.email, reader.csrfToken];
  return `${SECRET} ${Buffer.from(JSON.stringify(fields)).toString("base64url")}`;
}

/** The reader a GET request was handed by the page cache (checkedSessionHeader), or null. */
export function checkedSessionOf(request: Request): CheckedSession | null {
  const [value] = fromThisProcess(request, CHECKED_SESSION_HEADER) ?? [];
  if (!value) return null;
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(fields) || fields.length !== 6) return null;
  const [sessionId, userId, role, name, email, csrfToken] = fields as unknown[];
  if (![sessionId, role, name, email, csrfToken].every((field) => typeof field === "string") || !Number.isSafeInteger(userId)) return null;
  return { sessionId, userId, role, name, email, csrfToken } as CheckedSession;
}
