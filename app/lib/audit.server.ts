/**
 * Recording what a web request did in the audit trail (analytics/audit.ts): who (the
 * signed-in user), their role, and from where (the client's address when the server
 * passes it in the load context as `clientAddress`).
 */
import type { AppLoadContext } from "@remix-run/node";
import { NOT_SIGNED_IN, recordAudit, recordDurably, type AuditAction, type AuditActor, type AuditInput } from "../../analytics/audit.ts";
export { NOT_SIGNED_IN };
import type { Connection } from "../../analytics/db.ts";
import { getUser } from "./auth.server";
import { withDbFile } from "./db.server";
import { sharedPlaceholders, type ReaderStrings } from "./shared-render.server";
import { warmUpReader } from "./warm-up.server";

export interface RequestAudit {
  action: AuditAction;
  target?: string | null;
  detail?: string | null;
  /** Who, when the form names them (imports, commentary); otherwise the signed-in user. */
  actor?: AuditActor;
  role?: string;
}

/** The client's address, when the server that runs Remix supplies it; null otherwise. */
export function clientAddress(context: AppLoadContext | undefined): string | null {
  const value = (context as { clientAddress?: unknown } | undefined)?.clientAddress;
  return typeof value === "string" && value ? value : null;
}

/** Who made the request: the signed-in user, or an unsigned visitor. */
/** Who an entry is recorded under: the one it names (an import's form, commentary), else the signed-in user. */
function entryActor(request: Request, entry: RequestAudit): Promise<{ actor: AuditActor; role: string }> {
  return entry.actor ? Promise.resolve({ actor: entry.actor, role: entry.role ?? "unknown" }) : requestActor(request);
}

export async function requestActor(request: Request): Promise<{ actor: AuditActor; role: string }> {
  const user = await getUser(request);
  return user ? { actor: { email: user.email, name: user.name }, role: user.role } : { actor: NOT_SIGNED_IN, role: "none" };
}

/** Appends the request's audit row on the given connection (inside the caller's transaction). */
export async function auditOn(
  connection: Connection,
  request: Request,
  context: AppLoadContext | undefined,
  entry: RequestAudit,
): Promise<void> {
  const who = await entryActor(request, entry);
  await recordAudit(connection, { ...who, action: entry.action, target: entry.target, detail: entry.detail, ip: clientAddress(context) });
}

/**
 * Appends the request's audit row (a download, a pack's document viewed), resolving once it is
 * written to disk in the audit journal (recordDurable below), without waiting for DuckDB — as on
 * a connection of its own it had cost the SLT pack's document, recorded at every view, a median
 * of 144 ms against 29 for the governors' (demo school, 50 requests, load 16–21). Throws what
 * recordAudit throws, and when the journal cannot be written.
 */
export async function auditRequest(request: Request, context: AppLoadContext | undefined, entry: RequestAudit): Promise<void> {
  const who = await entryActor(request, entry);
  await recordDurable({ ...who, action: entry.action, target: entry.target, detail: entry.detail, ip: clientAddress(context) });
}

/** A view's audit entry held back from a page made for a role (auditView), for the page cache to record per reader. */
export interface HeldView {
  action: AuditAction;
  target: string | null;
  detail: string | null;
}

/**
 * Entries held back by pages being made for a role, by the page's placeholder CSRF token (36
 * random characters, one page each): taken by the page cache once the page is made. Bounded:
 * a page that failed before it was taken leaves its entry, which no reader is ever sent.
 */
const heldViews = new Map<string, HeldView>();
const MAX_HELD_VIEWS = 1000;

/**
 * Records a view of pupil data (a pupil's page: issue 9), written to disk before the page is
 * sent (the audit journal: recordDurable), as a download is — unless the page is
 * being made once for every reader of a role (scripts/page-cache.js: the request carries this
 * process's placeholders, app/lib/shared-render.server.ts). Then nobody has viewed anything
 * yet: the entry is held back for the page cache (takeViewAudit), which records it for each
 * reader it sends the page to, before the page goes out (recordViewAudit). The page cache
 * keeps such a page only with its entry, so a view is never sent unrecorded. The background
 * warm-up's own render of a page (warmUpReader, no placeholders) records nothing: it is sent
 * to nobody.
 */
export async function auditView(
  request: Request,
  context: AppLoadContext | undefined,
  entry: { action: AuditAction; target: string; detail: string },
): Promise<void> {
  const placeholders = sharedPlaceholders(request);
  if (!placeholders) {
    // The background warm-up's own render of a page (scripts/warm-up.js: a page not shared, or
    // one a reader's request was making and did not keep) is sent to nobody and thrown away:
    // no view to record (review 45 found it recording "pupil_list_view"s nobody made). Only
    // this process's secret makes a warm-up reader (warmUpReader), as auth.server's refusals.
    if (warmUpReader(request)) return;
    await auditRequest(request, context, entry);
    return;
  }
  if (heldViews.size >= MAX_HELD_VIEWS) heldViews.delete(heldViews.keys().next().value as string);
  heldViews.set(placeholders.csrfToken, { action: entry.action, target: entry.target, detail: entry.detail });
}

/**
 * Records a view of a page that names pupils (the Pupils list, Casework, Early warning,
 * Interventions, Register checks, the SLT pack on screen): DESIGN §4, "access to pupil data is
 * recorded in an audit trail" (a trial found only a pupil's own page and downloads recorded).
 * Target: the page's address as viewed (path and query, so the period and filters show);
 * detail: what it lists. Held back for the page cache as auditView holds a pupil's page.
 */
export async function auditListView(request: Request, context: AppLoadContext | undefined, detail: string): Promise<void> {
  const url = new URL(request.url);
  await auditView(request, context, { action: "pupil_list_view", target: `${url.pathname}${url.search}`.slice(0, 500), detail });
}

/** The entry a page made with `placeholders` held back (auditView), once; null when it held none. */
export function takeViewAudit(placeholders: ReaderStrings): HeldView | null {
  const entry = heldViews.get(placeholders.csrfToken) ?? null;
  heldViews.delete(placeholders.csrfToken);
  return entry;
}

/**
 * Records a row of the web server's in the audit trail of the database file durably: appended
 * to the file's audit journal and fdatasync'd — written to disk, at least what a DuckDB commit
 * gave — then resolved; written into DuckDB in batches in the background, one INSERT and one
 * commit for all the rows recorded meanwhile (analytics/audit.ts recordDurably). Every reader of
 * the trail waits for them. Throws when the row cannot be recorded: the page is then not sent.
 */
function recordDurable(input: AuditInput): Promise<void> {
  return withDbFile((file) => recordDurably(file, input));
}

/**
 * Records a held-back view (takeViewAudit) for the reader a page is sent to: their e-mail, name
 * and role, as auditOn records a signed-in user, and `ip` (the client's address, as the load
 * context gives it). Resolves once the row is written to disk (the audit journal: recordDurable),
 * before the page goes out. Throws what recordAudit throws, and when the journal cannot be
 * written; the page is then not sent.
 */
export function recordViewAudit(reader: { email: string; name: string; role: string }, entry: HeldView, ip: string | null): Promise<void> {
  return recordDurable({ actor: { email: reader.email, name: reader.name }, role: reader.role, action: entry.action, target: entry.target, detail: entry.detail, ip });
}
