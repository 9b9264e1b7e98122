/**
 * Sign-in on the server: who is asking, and whether their role may have what they ask for.
 * Every route's loader and action starts with one of these (the Epic Stack's pattern):
 *
 * - `getUser(request)`: the signed-in user, or null.
 * - `requireUser(request, { download })`: the user, else a redirect to
 *   /login?redirectTo=… (pages) or 401 (downloads). On a POST it also checks the form's
 *   CSRF token against the session's, and that any Origin header is this server's.
 * - `requireRole(request, permission, { download })`: the user if their role has the
 *   permission (app/lib/permissions.ts), else 403 saying which role may not do what.
 *
 * A session whose account must change its password (one an administrator set: the Users page,
 * `rollcall users reset-password`) reads nothing until it does: requireUser, which every
 * loader and action runs, sends it to the Account page (`/account?redirectTo=…`, a page, a
 * `.data` request and a download alike) unless the route says `ownPasswordFirst` (the Account
 * page's form and signing out), and sessionReaderOf gives scripts/page-cache.js no reader for it,
 * so no kept page reaches it either.
 *
 * The session is Remix's cookie session storage (signed, HttpOnly, SameSite=Lax, Secure over
 * HTTPS) holding only a random session id; the session itself — user, CSRF token, last
 * activity — is a row in the database (analytics/users/store.ts), so signing out, disabling an
 * account and the 8-hour idle limit take effect on the server whatever the browser keeps.
 */
import { createCookieSessionStorage, redirect, type AppLoadContext, type SessionStorage } from "@remix-run/node";
import { IDLE_LIMIT_MS, createSession, endSession, readSessions, sessionEnding, sessionSecret, type SessionRecord } from "../../analytics/users/store.ts";
import { sessionEndWords } from "../../analytics/users/session-end-words.ts";
import { releaseSessionUploads } from "./held-upload.server";
import { ROLE_LABELS, can, isRole, rolesWithWords, type Permission, type Role } from "./permissions";
import { withDb } from "./db.server";
// A cycle (audit.server reads getUser from here), used only inside functions, never at load.
import { auditView } from "./audit.server";
import { warmUpReader } from "./warm-up.server";
import { checkedReaderFor, checkedSessionOf, sharedPlaceholders } from "./shared-render.server";
import { openedAsPage, refusalResponse } from "./refusal-page.server";

export interface SignedInUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  sessionId: string;
  csrfToken: string;
  /** The account's password was set by an administrator: nothing but the Account page until it is changed. */
  mustChangePassword: boolean;
}

export const SESSION_COOKIE = "rollcall_session";
/** The hidden form field every POST by a signed-in user carries (see CsrfInput). */
export const CSRF_FIELD = "csrf";

let secret: Promise<string> | undefined;
const storages = new Map<boolean, SessionStorage>();

async function storageFor(request: Request): Promise<SessionStorage> {
  secret ??= withDb((c) => sessionSecret(c));
  secret.catch(() => (secret = undefined));
  const value = await secret;
  const secure = new URL(request.url).protocol === "https:";
  let storage = storages.get(secure);
  if (!storage) {
    storage = createCookieSessionStorage({
      cookie: { name: SESSION_COOKIE, httpOnly: true, sameSite: "lax", secure, path: "/", secrets: [value] },
    });
    storages.set(secure, storage);
  }
  return storage;
}

const lookups = new WeakMap<Request, Promise<SignedInUser | null>>();
/**
 * Session reads in flight, by session id: a page's root and route loaders get separate
 * Request objects but run at once, and read (and touch) the same session row once.
 */
const inFlight = new Map<string, Promise<SessionRecord | undefined>>();

function readSessionOnce(sessionId: string): Promise<SessionRecord | undefined> {
  let read = inFlight.get(sessionId);
  if (!read) {
    read = readTogether(sessionId).finally(() => inFlight.delete(sessionId));
    inFlight.set(sessionId, read);
  }
  return read;
}

/** Sessions waiting to be read in the next statement (readTogether), each with its read's settlers; null when none. */
let waiting: Map<string, { resolve: (record: SessionRecord | undefined) => void; reject: (error: unknown) => void }> | null = null;

/**
 * Reads a session with every other session asked for in the same turn of the event loop, in one
 * statement (readSessions, in the check phase after the turn's I/O): readers who come at once
 * (a class starting, 50 readers in the load benchmark) each had a statement of their own, ≈ 2 ms
 * of DuckDB's CPU apiece whatever it read, on the machine's cores while their first pages waited
 * (issue 11, item 4). A failure fails every read of that statement, as it failed each before.
 */
function readTogether(sessionId: string): Promise<SessionRecord | undefined> {
  if (!waiting) {
    waiting = new Map();
    setImmediate(readWaiting);
  }
  const batch = waiting;
  return new Promise((resolve, reject) => batch.set(sessionId, { resolve, reject }));
}

function readWaiting(): void {
  const batch = waiting;
  waiting = null;
  if (!batch) return;
  withDb((c) => readSessions(c, [...batch.keys()])).then(
    (records) => {
      for (const [id, read] of batch) read.resolve(records.get(id));
    },
    (error) => {
      for (const read of batch.values()) read.reject(error);
    },
  );
}

/** The signed-in user for this request, or null (no cookie, bad signature, ended or idle session). */
export function getUser(request: Request): Promise<SignedInUser | null> {
  let lookup = lookups.get(request);
  if (!lookup) {
    lookup = (async () => {
      // The server's own background render of a page (app/lib/warm-up.server.ts), never a person's.
      const warm = warmUpReader(request);
      // A role's page made ahead (scripts/page-cache.js rolePagePreparer) carries placeholders too.
      if (warm) return { ...warm, mustChangePassword: false, ...sharedPlaceholders(request) };
      // A page the page cache makes for a role on a reader's request, the reader's session
      // checked by it just now (shared-render.server.ts checkedReaderFor): that reader.
      const placeholders = sharedPlaceholders(request);
      const checked = placeholders ? checkedReaderFor(placeholders) : null;
      if (placeholders && checked && isRole(checked.role)) {
        return { id: checked.userId, role: checked.role, sessionId: checked.sessionId, mustChangePassword: false, ...placeholders };
      }
      // Any other GET the page cache sent here, the reader's session checked by it for this
      // request (shared-render.server.ts checkedSessionHeader): that reader, as the check gave it.
      const handed = placeholders ? null : checkedSessionOf(request);
      if (handed && isRole(handed.role)) {
        return { id: handed.userId, email: handed.email, name: handed.name, role: handed.role, sessionId: handed.sessionId, csrfToken: handed.csrfToken, mustChangePassword: false };
      }
      const storage = await storageFor(request);
      const session = await storage.getSession(request.headers.get("Cookie"));
      const sessionId = session.get("sid");
      if (typeof sessionId !== "string") return null;
      const record = await readSessionOnce(sessionId);
      if (!record) return null;
      const { user } = record;
      const signedIn = { id: user.id, email: user.email, name: user.name, role: user.role, sessionId: record.sessionId, csrfToken: record.csrfToken, mustChangePassword: user.mustChangePassword };
      // A page the page cache makes once for every reader of this role (shared-render.server.ts):
      // the session is checked as always, and the page carries placeholders for the reader's own.
      const shared = sharedPlaceholders(request);
      return shared ? { ...signedIn, ...shared } : signedIn;
    })();
    lookups.set(request, lookup);
  }
  return lookup;
}

/**
 * Who the request's session is, for scripts/page-cache.js (checked, read and touched exactly as
 * getUser does): its id, its account's id (for a page made once per account), role and the
 * three strings of its own a page carries, or null. Null too for a session that must change its
 * password: a page kept for its role or session must never reach it, so the page cache sends
 * its every request to Remix, where requireUser sends it to the Account page.
 */
export async function sessionReaderOf(request: Request): Promise<{ sessionId: string; userId: number; role: Role; name: string; email: string; csrfToken: string } | null> {
  const user = await getUser(request);
  return user && !user.mustChangePassword ? { sessionId: user.sessionId, userId: user.id, role: user.role, name: user.name, email: user.email, csrfToken: user.csrfToken } : null;
}

/** A plain-text refusal for downloads, or an error page (root ErrorBoundary) for pages. */
function refusal(status: 401 | 403, message: string): Response {
  return new Response(message, {
    status,
    statusText: status === 401 ? "Sign-in required" : "Forbidden",
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

/** Where a sign-in should return to: a path on this site only (never //other.host). */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

/**
 * Refuses (403) a request whose Origin header names another site. With `required`, a request
 * with no Origin is refused too (the sign-in form, which has no session to tie a token to).
 */
export function checkOrigin(request: Request, options: { required?: boolean } = {}): void {
  const origin = request.headers.get("Origin");
  if (origin === null) {
    if (options.required) throw refusal(403, "Refused: this form must be sent from Rollcall's own pages (the request said nothing about where it came from).");
    return;
  }
  if (origin !== new URL(request.url).origin) {
    throw refusal(403, `Refused: this form was sent from another site (${origin.slice(0, 100)}), not from Rollcall.`);
  }
}

async function checkCsrf(request: Request, user: SignedInUser): Promise<void> {
  checkOrigin(request);
  let token: unknown = request.headers.get("X-CSRF-Token");
  if (!token) {
    const type = request.headers.get("Content-Type") ?? "";
    if (type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data")) {
      token = (await request.clone().formData()).get(CSRF_FIELD);
    }
  }
  if (typeof token !== "string" || token !== user.csrfToken) {
    throw refusal(403, "Refused: the form did not carry this session's security token. Reload the page and send it again.");
  }
}

/**
 * A download's refusal: to a browser opening the address as a page, the app's refusal page
 * (refusal-page.server.ts: its look, the words, a link on); to anything else the plain text of
 * `refusal`, as before. `link`: where the page sends the reader (the sign-in page for a 401).
 */
function downloadRefusal(status: 401 | 403, message: string, request: Request, link?: { href: string; label: string }): Response {
  return openedAsPage(request) ? refusalResponse(status, message, request, link) : refusal(status, message);
}
const isWrite = (request: Request) => !["GET", "HEAD", "OPTIONS"].includes(request.method.toUpperCase());

/**
 * The signed-in user, or throws: a redirect to the sign-in page (which returns here
 * afterwards) for pages, 401 for downloads. Throws 403 for a POST without this session's
 * CSRF token or from a foreign Origin. A session that must change its password is sent to the
 * Account page (which returns here once it is changed), downloads too (the browser shows the
 * page instead of saving a file), unless `ownPasswordFirst` (the Account page, signing out).
 */
export async function requireUser(request: Request, options: { download?: boolean; ownPasswordFirst?: boolean } = {}): Promise<SignedInUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    if (options.download) {
      throw downloadRefusal(401, "Sign in to Rollcall to download this file.", request, { href: `/login?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`, label: "Sign in" });
    }
    throw redirect(`/login?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`);
  }
  if (user.mustChangePassword && !options.ownPasswordFirst) {
    const url = new URL(request.url);
    // A form sent meanwhile is not to be replayed: back to the page, not to the action.
    const redirectTo = isWrite(request) ? "/" : url.pathname + url.search;
    throw redirect(`/account?${new URLSearchParams({ redirectTo })}`, { headers: { "Cache-Control": "no-store" } });
  }
  if (isWrite(request)) await checkCsrf(request, user);
  return user;
}

/** Words for the 403 page: what the permission lets a user do. */
const PERMISSION_WORDS: Record<Permission, string> = {
  view_aggregates: "see the school's figures",
  view_benchmarks: "see the benchmarks",
  view_fgb_pack: "see the FGB pack",
  view_pupils: "see pupils' names, registers or casework",
  view_slt_pack: "see the SLT pack, which names pupils",
  write_commentary: "write the pack commentary",
  import: "import files",
  amend: "amend the register",
  record_interventions: "record interventions",
  change_settings: "change the school's settings",
  view_audit: "read the audit trail",
  manage_users: "manage users",
};

/** Requests whose refusal is already on the trail: a loader and its parents may each ask (one row per request). */
const refusalsRecorded = new WeakSet<Request>();

/**
 * Records a 403 of requireRole on the audit trail ("refused"): the account, its role, the
 * address asked for (path and query, at most 500 characters) and the permission it lacked.
 * One row per request. A page being made once for a role (page cache) holds the row back for
 * the reader it is sent to, as a view is (auditView); the server's own warm-up of a role's
 * page is no one's request and records nothing. The client's address comes from `context`
 * (the server's load context, passed to requireRole; a refused download had recorded none:
 * trial 25).
 */
async function auditRefusal(request: Request, permission: Permission, context: AppLoadContext | undefined): Promise<void> {
  // The warm-up's own render (no placeholders) records nothing: auditView's one check says so.
  if (refusalsRecorded.has(request)) return;
  refusalsRecorded.add(request);
  const url = new URL(request.url);
  const entry = { action: "refused" as const, target: `${url.pathname}${url.search}`.slice(0, 500), detail: `${request.method.toUpperCase()} refused (403): the role lacks ${permission}` };
  await auditView(request, context, entry);
}

/**
 * The signed-in user if their role has the permission; else as requireUser, or 403 with a page
 * in plain words: what the user may not do, and which roles may. `options.doing` names what
 * the page does where the permission's own words would puzzle (the import history needs
 * `view_pupils`: "see the import history"); `options.also` adds a sentence (who may import);
 * `options.context`: the loader's or action's load context, whose client address a refusal
 * records on the audit trail.
 */
export async function requireRole(
  request: Request,
  permission: Permission,
  options: { download?: boolean; doing?: string; also?: string; context?: AppLoadContext } = {},
): Promise<SignedInUser> {
  const user = await requireUser(request, options);
  if (!can(user.role, permission)) {
    await auditRefusal(request, permission, options.context);
    const doing = options.doing ?? PERMISSION_WORDS[permission];
    const words = `Your role (${ROLE_LABELS[user.role]}) may not ${doing}: that is for ${rolesWithWords(permission)}.${options.also ? ` ${options.also}` : ""} Ask an administrator (who sets each person's role) if you need this.`;
    throw options.download ? downloadRefusal(403, words, request) : refusal(403, words);
  }
  return user;
}

/** Starts a session for a user who has just signed in and redirects to where they were going. */
export async function startUserSession(request: Request, userId: number, redirectTo: string): Promise<Response> {
  const { sessionId } = await withDb((c) => createSession(c, userId));
  return redirect(safeRedirect(redirectTo), { headers: { "Set-Cookie": await sessionCookie(request, sessionId) } });
}

/**
 * The Set-Cookie header that gives this browser the session `sessionId` (a new sign-in, or the
 * new session a password change starts in place of the old one).
 */
export async function sessionCookie(request: Request, sessionId: string): Promise<string> {
  const storage = await storageFor(request);
  const session = await storage.getSession();
  session.set("sid", sessionId);
  return storage.commitSession(session);
}

/**
 * Ends the request's session (if any); returns the Set-Cookie header of a cookie that holds no
 * session, only that this browser signed out, which the sign-in page says once and clears
 * (endedSessionNotice).
 */
export async function endUserSession(request: Request): Promise<string> {
  const storage = await storageFor(request);
  const session = await storage.getSession(request.headers.get("Cookie"));
  const sessionId = session.get("sid");
  if (typeof sessionId === "string") {
    await withDb((c) => endSession(c, sessionId));
    // Its Import preview kept for confirmation can no longer be confirmed: its files go now.
    releaseSessionUploads(sessionId);
  }
  const signedOut = await storage.getSession();
  signedOut.set(SIGNED_OUT, true);
  return storage.commitSession(signedOut);
}

/** The cookie's mark that its browser signed out (endUserSession), in place of a session. */
const SIGNED_OUT = "signed_out";

/**
 * For the sign-in page: why this browser is no longer signed in — it signed out, or the session
 * its cookie still names ended (an administrator, its password changed, 8 hours unused: store.ts
 * sessionEnding) — in words (session-end-words.ts), with the Set-Cookie header that clears the
 * cookie so it is said once; null when the cookie says nothing (none, or a live session). Only
 * the session the signed cookie names is read: nothing about any other account.
 */
export async function endedSessionNotice(request: Request): Promise<{ words: string; setCookie: string } | null> {
  const storage = await storageFor(request);
  const session = await storage.getSession(request.headers.get("Cookie"));
  const sessionId = session.get("sid");
  const ending = session.get(SIGNED_OUT) === true ? "signed_out" : typeof sessionId === "string" ? await withDb((c) => sessionEnding(c, sessionId)) : null;
  if (!ending) return null;
  return { words: sessionEndWords(ending, IDLE_LIMIT_MS / 3_600_000), setCookie: await storage.destroySession(session) };
}
