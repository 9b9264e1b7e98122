/**
 * What a kept page depends on besides the database's commits (scripts/page-cache.js keeps a
 * page only while its version is the one it was made at; every commit drops every page anyway):
 *
 * - the Trust page (`/trust`): the trust lake's files the roll-up reads (ROLLCALL_TRUST_LAKE;
 *   analytics/trust.ts trustLakeState: each school's files' paths, sizes and times), which a
 *   school's export changes without any commit here; "no lake" when none is set up;
 * - the audit trail (`/audit`): the rows appended by this process (analytics/audit.ts
 *   auditWriteCount), which pupils' page views and sign-ins write without a commit (this process
 *   is the file's only writer while it runs: a CLI command relays to it). A count, so a page made
 *   at a later count (with the newer rows) also answers a request that began at an earlier one.
 *
 * - the Users and Account pages (`/users`, `/account`): the accounts and the sign-in failures (analytics/users/store.ts
 *   accountsVersion), which a refused sign-in writes without a commit, and the time at which the
 *   oldest failure in the lockout window leaves it (a lock lifts, a count falls).
 *
 * - Register checks, the Pupils list, a pupil's page, the Overview and Trends (`/quality`, `/pupils`, `/pupils/<upn>`, `/`, `/trends`): the last session whose
 *   register has closed (analytics/register-due.ts lastDueSession, by the school's closing
 *   times), which moves on at each closing time during the day without any commit: a page made
 *   at 09:00 would otherwise list no gap for the morning all day. The closing times are the
 *   ones the last page read with the settings (noteRegisterCloses); a change of them is a
 *   commit, which drops every kept page anyway. The Overview's "Since last week" takes this
 *   week once its last register is due, and its weekly chart says while this week's are not
 *   (app/lib/recent.server.ts): made on Friday morning, it set the two weeks before all weekend.
 *
 * Every other page: "" (nothing but a commit, a form or the day changes it). Read by the page
 * cache when a request begins, before anything of the page is read, so a page made while its
 * version moved on is kept under the older version and never served at the newer one — but
 * the Audit page made for a role, which notes the count at which its loader read the trail
 * (noteReadVersion) and is kept at that later count, as the rows it shows.
 */
import { auditWriteCount } from "../../analytics/audit.ts";
import { trustLakeState } from "../../analytics/trust.ts";
import { lakeScoped } from "../../analytics/lake-listing.ts";
import { accountsVersion } from "../../analytics/users/store.ts";
import { DEFAULT_REGISTER_CLOSES, lastDueSession, type RegisterCloses } from "../../analytics/register-due.ts";
import { currentMoment } from "../../analytics/periods.ts";
import { sharedPlaceholders, type ReaderStrings } from "./shared-render.server";

/** Pages that show which sessions are due (gaps, unmarked days, this week's registers): Register checks, the Pupils list, a pupil's page, the Overview, Trends. */
const DUE_PAGES = /^\/(quality|pupils(\/[A-Za-z0-9]+)?|trends)?$/;

/** The school's closing times as a page last read them with the settings (app/lib/view.server.ts). */
let registerCloses: RegisterCloses = { ...DEFAULT_REGISTER_CLOSES };

/** Notes the closing times a page read with the school's settings, for the version of the pages that show gaps. */
export function noteRegisterCloses(closes: RegisterCloses): void {
  registerCloses = { AM: closes.AM, PM: closes.PM };
}

/** The Trust page and its data (`.data`): the pages whose version and loaders read the lake. */
const LAKE_PAGES = /^\/trust(\.data)?$/;

/**
 * Runs `work`, a request for `pathname` (or its page made ahead), for scripts/page-cache.js:
 * the Trust page's in one listing of the lake (analytics/lake-listing.ts withLakeListings), so
 * its version here and its loaders read the lake's folders once, not three times (at 40
 * schools ≈ 10 ms of CPU each). Every other page, and the Trust page of a server with no lake
 * (which lists nothing), runs as it is: the scope's AsyncLocalStorage makes every promise of
 * the process dearer once used (≈ 75 ns an await, Node 20), which a school's own server, with
 * no lake, need never pay (see lakeScoped). Returns what `work` does.
 */
export function pageScope<T>(pathname: string, work: () => Promise<T>): Promise<T> {
  return LAKE_PAGES.test(pathname) ? lakeScoped(work) : work();
}

/** The version of the page at `pathname` (a `.data` suffix is the same page's data; `/_root.data` is the Overview's), see above. */
export function pageVersion(pathname: string): string {
  const page = pathname === "/_root.data" ? "/" : pathname.replace(/\.data$/, "");
  if (page === "/trust") {
    const dir = process.env.ROLLCALL_TRUST_LAKE;
    return dir ? `lake ${trustLakeState(dir)}` : "no lake";
  }
  // A count that only moves on ("<what> #<count>"): a page made at a later count answers a
  // request begun at an earlier one (scripts/page-cache.js versionServes).
  if (page === "/audit") return auditVersionNow();
  if (page === "/users" || page === "/account") return `accounts ${accountsVersion()}`;
  if (DUE_PAGES.test(page)) return dueVersion();
  return "";
}

/** The last due version given (`dueVersion`), with the moment and closing times it was worked out for. */
let lastDue: { moment: string; version: string } | null = null;

/**
 * "due <date> AM|PM": the last session due now (lastDueSession) by the closing times pages last
 * read. Worked out again only when the moment (a London minute) or the closing times differ from
 * the last call's: asked by every request for the pages of DUE_PAGES, kept ones included, its
 * date arithmetic (date-fns' parse and format) had been a steady part of each (issue 11, item 4).
 */
function dueVersion(): string {
  const now = currentMoment();
  const moment = `${now.date} ${now.time} ${registerCloses.AM} ${registerCloses.PM}`;
  if (lastDue?.moment !== moment) {
    const due = lastDueSession(now, registerCloses);
    lastDue = { moment, version: `due ${due.date} ${due.pm ? "PM" : "AM"}` };
  }
  return lastDue.version;
}

/** The Audit page's version now: "audit #<count>", the count of audit rows this process has written (auditWriteCount). */
export function auditVersionNow(): string {
  return `audit #${auditWriteCount()}`;
}

/**
 * Versions at which pages being made for a role read what their version counts, by the page's
 * CSRF placeholder (36 random characters, one page each): taken by the page cache once the page
 * is made (takeReadVersion). Bounded: a page that failed before it was taken leaves its entry.
 */
const readVersions = new Map<string, string>();
const MAX_READ_VERSIONS = 1000;

/**
 * Notes, for a page being made once for every reader of a role (the request carries this
 * process's placeholders: app/lib/shared-render.server.ts), the version at which its loader
 * read what the version counts (the Audit page: the count of rows written when it read the
 * trail, in the same step). The page cache keeps the page at it when it is later than the
 * version read as the making began (scripts/page-cache.js madeVersion), so the requests that
 * came meanwhile and wait for the page take it rather than make it again: under 50 readers the
 * views recorded while the Audit page was being made had each sent the requests begun after
 * them to make it once more (issue 11, item 4). Nothing for any other request.
 */
export function noteReadVersion(request: Request, version: string): void {
  const placeholders = sharedPlaceholders(request);
  if (!placeholders) return;
  if (readVersions.size >= MAX_READ_VERSIONS) readVersions.delete(readVersions.keys().next().value as string);
  readVersions.set(placeholders.csrfToken, version);
}

/** The version a page made with `placeholders` noted it read at (noteReadVersion), once; null when it noted none. */
export function takeReadVersion(placeholders: ReaderStrings): string | null {
  const version = readVersions.get(placeholders.csrfToken) ?? null;
  readVersions.delete(placeholders.csrfToken);
  return version;
}
