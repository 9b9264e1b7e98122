/**
 * Pages prepared before anyone asks (issue 11, item 5: "packs are built once per import"). The
 * result cache (analytics/db.ts) keeps every query's answer until the next commit, but the
 * first reader after an import paid for all of them: 0.6 s for the demo school's Overview,
 * 2.2 s for its FGB pack. After the server starts and after every commit, scripts/warm-up.js
 * renders the pages below in the background, one at a time, so their queries (and the
 * governors' small-group plans, kept across requests by their counts) are answered from
 * memory when a person opens them.
 *
 * A warm-up request is a GET made inside this process, carrying a header with the role it
 * reads as and a secret made at start-up that never leaves the process; getUser treats it as
 * a reader with that role and no session. No warm-up page writes anything (pupil pages, which record who viewed them,
 * are not in this list; scripts/warm-up.js makes again the ones readers had open only as a
 * role's page, whose view's audit entry is held back for each reader it is later sent to) and
 * no response leaves the process.
 */
import crypto from "node:crypto";
import { can, type Permission, type Role } from "./permissions";

export const WARM_UP_HEADER = "x-rollcall-warm-up";
const SECRET = crypto.randomBytes(32).toString("hex");
/**
 * The roles a warm-up request may read as: the staff's figures are a head's, a governor's
 * differ (small groups withheld); the other staff roles' pages are made ahead for them
 * (`ahead` below) from the head's figures already in the result cache.
 */
export const WARM_ROLES = ["head", "governor", "slt", "attendance_lead", "admin"] as const satisfies readonly Role[];
export type WarmRole = (typeof WARM_ROLES)[number];

/**
 * The pages warmed, in the order a school opens them: the staff's as a head, then the pages a
 * governor opens first, whose small-group plan (analytics/governor-lattice.ts) takes the
 * longest of any page's work (the demo school 0.3–0.9 s; a 4,500-pupil register about 3 s).
 * A governor's Trends last: its year-on-year chart reads the slices of every half term of
 * every year (governorSlicePlans), and with them each half term's own plan, which every
 * governor's period made of half terms reads too (a cell withheld in one is withheld in the
 * period): after it, any term or year a governor opens plans only itself.
 */
const STAFF_PAGES = ["/", "/casework", "/pupils", "/groups", "/classes", "/trends", "/codes", "/patterns",
  "/benchmarks", "/early-warning", "/interventions", "/quality", "/packs/slt", "/packs", "/packs/fgb", "/definitions"];

/** The Import form, the import history and Settings: shared per role too (scripts/page-cache.js SHAREABLE), by permission. */
const FORM_PAGES: ReadonlyArray<{ path: string; permission: Permission }> = [
  { path: "/import", permission: "import" },
  { path: "/imports", permission: "view_pupils" },
  { path: "/settings", permission: "change_settings" },
];

/**
 * `ahead`: rendered only to make the role's page ahead of its readers (scripts/page-cache.js
 * rolePagePreparer; skipped when pages are not shared, ROLLCALL_SHARE_PAGES=0), its figures
 * being in the result cache already. The other staff roles' pages come last: they cost a
 * render each (about 10–40 ms on the demo school), none a query.
 */
export const WARM_UP_PAGES: ReadonlyArray<{ path: string; role: WarmRole; ahead?: true }> = [
  ...STAFF_PAGES.map((path) => ({ path, role: "head" as const })),
  // The Trust page when the server reads a trust's lake (ROLLCALL_TRUST_LAKE): each school's row
  // is kept until that school exports again (analytics/trust.ts), so counting them all here (40
  // schools of 1,000 pupils: 1–4 s) spares the first reader; afterwards a round counts only the
  // schools that exported since, and otherwise only checks the lake's files.
  ...(process.env.ROLLCALL_TRUST_LAKE ? [{ path: "/trust", role: "head" as const }] : []),
  ...["/", "/groups", "/classes", "/benchmarks", "/packs/fgb", "/trends", "/packs", "/definitions"].map((path) => ({ path, role: "governor" as const })),
  // The packs the Packs page offers first, as PDFs, made and kept for the register's state
  // (app/lib/pack-files.server.ts): their figures are in the result cache by now (the pack
  // pages above), so this is mostly the print; the first reader to download one after an
  // import is sent the file, not made to wait for it. The route answers a warm-up request
  // without a period this way (204, nothing audited: nobody downloaded anything).
  // ROLLCALL_WARM_UP_PACKS=0 leaves them to the first download.
  // The two packs' documents, which their pages show in a frame (app/routes/packs.$kind.$format.tsx,
  // format html): made the same way, so the frame of the first reader's pack page is sent at once.
  ...["/packs/fgb/html", "/packs/slt/html"].map((path) => ({ path, role: "head" as const })),
  ...(process.env.ROLLCALL_WARM_UP_PACKS === "0" ? [] : ["/packs/fgb/pdf", "/packs/slt/pdf"].map((path) => ({ path, role: "head" as const }))),
  ...(["slt", "attendance_lead", "admin"] as const).flatMap((role) => STAFF_PAGES.map((path) => ({ path, role, ahead: true as const }))),
  // The Users page, only rendered (it is made per account, never ahead: scripts/page-cache.js
  // ACCOUNT_PAGES): its listing of the sign-in failures is what tells the page's version
  // (analytics/users/store.ts accountsVersion) what they are. Until one ran after start-up, that
  // version said "?", so the first administrator's page was kept under a version that the
  // listing itself moved on, and made again at their next request.
  { path: "/users", role: "admin" as const },
  // The staff's pages that change only by a form or a commit, for each role that may open them.
  ...(["head", "slt", "attendance_lead", "admin"] as const).flatMap((role) =>
    FORM_PAGES.filter((page) => can(role, page.permission)).map(({ path }) => ({ path, role, ahead: true as const })),
  ),
];

/**
 * Who a warm-up request reads as: a role, or for a page made once per account (the Users and
 * Account pages: scripts/page-cache.js ACCOUNT_PAGES) a role and an account id, "admin#7", as
 * the page cache keys such a page (shareKey).
 */
export type WarmReader = WarmRole | `${WarmRole}#${number}`;

/** The headers a warm-up request reading as `who` carries. */
export function warmUpHeaders(who: WarmReader): Record<string, string> {
  return { [WARM_UP_HEADER]: `${who} ${SECRET}` };
}

/**
 * The reader a warm-up request stands for, or null for every other request (no header, a
 * wrong secret, or anything but GET). Shapes as auth.server's SignedInUser: id 0 (or the
 * account's id the header names, `WarmReader`), no session.
 */
export function warmUpReader(request: Request): { id: number; email: string; name: string; role: Role; sessionId: string; csrfToken: string } | null {
  const header = request.headers.get(WARM_UP_HEADER);
  if (!header || request.method !== "GET") return null;
  const [who = "", secret = ""] = header.split(" ");
  const [role, account] = who.split("#");
  const warmRole = WARM_ROLES.find((r) => r === role);
  if (!warmRole) return null;
  const id = account === undefined ? 0 : /^[1-9]\d{0,9}$/.test(account) ? Number(account) : NaN;
  if (!Number.isSafeInteger(id)) return null;
  const expected = Buffer.from(SECRET);
  const given = Buffer.from(secret);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  return { id, email: "", name: "Rollcall (preparing pages)", role: warmRole, sessionId: "", csrfToken: "" };
}
