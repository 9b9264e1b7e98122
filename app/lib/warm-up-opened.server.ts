/**
 * The pages readers open whose addresses the register decides, made ahead for each role that
 * may open them (issue 11, item 4): besides app/lib/warm-up.server.ts's list, which names fixed
 * addresses, each round of scripts/warm-up.js asks for these afresh (after an import the newest
 * imports or the pack's month may be others).
 *
 * Under 50 readers at once right after start-up (the load benchmark's first phase), the pages
 * a reader's first request still made afresh were the ones no list named: each pack's document
 * at the period its page opens on (the address the page's frame loads, `?month=…` or
 * `?term=…`: the warm-up made the file, not the page the frame is sent), the audit trail, an
 * import's record and the Trust page. Each was made on the one thread beside everyone
 * else's first pages (e.g. the SLT pack's document 410 ms, the Audit page 577, the import's
 * record 699 in the server) while the session's other requests for it waited for it; and the
 * pages made once per account, the Users page (651) and the Account page (536), which no list
 * can name: they are made here for each account with a live session, as that account.
 *
 * Every one is a page made once per role (scripts/page-cache.js SHAREABLE) or per account
 * (ACCOUNT_PAGES), made here as the warm-up's reader of the role or account (no session,
 * placeholders for the reader's own), so `ahead`: only made when pages are shared, and only
 * ever given to a signed-in session of that role (and account). None records anything when
 * made: the SLT pack's document is AUDITED, its view's entry held back and recorded for each
 * reader it is sent to.
 */
import { can, type Permission } from "./permissions";
import { withDb } from "./db.server";
import { WARM_ROLES, type WarmReader } from "./warm-up.server";
import { currentDate, packPeriodOptions } from "./analytics.server";
import { importHistory } from "./import-history.server";
import { liveSessionAccounts } from "../../analytics/users/store.ts";

/**
 * How many of the newest imports' records are made ahead (the first rows the import history
 * lists, what a reader opens from it): each about 10–25 ms to make on the demo school (whose
 * build is 7 imports: a calendar, and the pupils and the marks of each year), for each of the
 * four roles that may open them, after every commit.
 */
const NEWEST_IMPORTS = 10;

/**
 * Most accounts whose own pages are made ahead (the most recently active first): each is one
 * or two pages of about 20 ms on the demo school, after every commit.
 */
const ACCOUNTS = 20;

/**
 * One page to make ahead as `role`'s (a WARM_UP_PAGES entry's shape); for a page made once per
 * account, "admin#7" (the role and the account's id, as scripts/page-cache.js shareKey keys it).
 */
export interface OpenedPage {
  path: string;
  role: WarmReader;
  ahead: true;
}

/**
 * The pages of the register's present state to make ahead, for every role that may open each
 * (its loader's permission): the SLT pack's document at the month its page opens on
 * (view_slt_pack) and the governors' pack's at the term (view_fgb_pack), as
 * `/packs/slt/html?month=2026-10`; the newest imports' records (NEWEST_IMPORTS), `/imports/N` (view_pupils); the
 * audit trail, `/audit` (view_audit); the Trust page, `/trust` (view_pupils); and for each
 * account with a live session (liveSessionAccounts, at most ACCOUNTS), its Account page and,
 * for an administrator, its Users page, read as that account ("admin#7"). A pack with no
 * period to offer, or a register with no import, gives none. Reads the database (the pack
 * periods, the newest import); throws as those reads do.
 */
export async function warmUpOpenedPages(): Promise<OpenedPage[]> {
  const today = currentDate();
  const { packs, imports, accounts } = await withDb(async (c) => ({
    packs: await packPeriodOptions(c, today),
    imports: await importHistory(c, NEWEST_IMPORTS),
    accounts: await liveSessionAccounts(c, ACCOUNTS),
  }));
  const addresses: Array<[string, Permission]> = [
    ...(packs.defaultMonth ? [[`/packs/slt/html?month=${encodeURIComponent(packs.defaultMonth)}`, "view_slt_pack"] as [string, Permission]] : []),
    ...(packs.defaultTerm ? [[`/packs/fgb/html?term=${encodeURIComponent(packs.defaultTerm)}`, "view_fgb_pack"] as [string, Permission]] : []),
    // An import numbered below 1 has no page (app/routes/imports.$id.tsx: 404).
    ...imports.filter(({ import_id }) => Number(import_id) >= 1).map(({ import_id }): [string, Permission] => [`/imports/${Number(import_id)}`, "view_pupils"]),
    ["/audit", "view_audit"],
    ["/trust", "view_pupils"],
  ];
  const rolePages = addresses.flatMap(([path, permission]) => WARM_ROLES.filter((role) => can(role, permission)).map((role): OpenedPage => ({ path, role, ahead: true })));
  // Each account's own pages (scripts/page-cache.js ACCOUNT_PAGES), read as that account.
  const accountPages = accounts.flatMap(({ userId, role }): OpenedPage[] => {
    const warmRole = WARM_ROLES.find((r) => r === role);
    if (!warmRole) return [];
    const who = `${warmRole}#${userId}` as const;
    return [{ path: "/account", role: who, ahead: true }, ...(can(warmRole, "manage_users") ? [{ path: "/users", role: who, ahead: true as const }] : [])];
  });
  return [...rolePages, ...accountPages];
}
