/**
 * Pages prepared in the background (issue 11, item 5; app/lib/warm-up.server.ts,
 * scripts/warm-up.js): the real production server renders the staff's dashboard pages after it starts and again after every commit — here a CLI import relayed to
 * it — and the header that marks its own requests opens nothing to anyone outside the process.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances } from "../../analytics/db.ts";
import { createTestAccounts, type TestAccount } from "../helpers/auth.ts";
import { cliOn, fileWriter, writeFebruaryWeek, writeSmallRegister, initSchool } from "../helpers/cli.ts";
import { removeDb, tempDbPath } from "../helpers/db.ts";
import { startAppServer } from "../setup/app-server.ts";
import { getPage, namedTiming } from "../helpers/page-answer.ts";
import type { Role } from "../../app/lib/permissions.ts";

const db = tempDbPath("warm-up");
const dir = path.dirname(db);
const rollcall = cliOn(db);
const { calendar, pupils, marks } = writeSmallRegister(dir);
const correction = fileWriter(dir)("correction.csv", ["upn,date,session,code", "B123456789012,2026-03-04,AM,O"]);
// February's last week marked too (the small register's marks start on 2 March), so the Packs
// page offers February's pack first.
const february = writeFebruaryWeek(dir);
let accounts: Record<Role, TestAccount>;
/** How long a session's own kept page lasts on this server (ROLLCALL_PAGE_CACHE_MS), ms. */
const SESSION_PAGE_MS = 2000;
let server: Awaited<ReturnType<typeof startAppServer>> | undefined;

/** The warm-up's lines in the server's log so far. */
const rounds = () => server!.log().split("\n").filter((line) => line.includes("page views prepared"));
async function roundsReach(count: number): Promise<string[]> {
  for (let waited = 0; waited < 120_000; waited += 250) {
    if (rounds().length >= count) return rounds();
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the warm-up logged ${rounds().length} rounds, not ${count}:\n${server!.log().slice(-2000)}`);
}

beforeAll(async () => {
  await initSchool(db);
  expect((await rollcall("import", "--calendar", calendar, "--pupils", pupils, "--marks", marks, "--as-of", "2025-09-01")).code).toBe(0);
  expect((await rollcall("import", "--marks", february)).code).toBe(0);
  accounts = await createTestAccounts(db);
  await closeAllInstances();
  server = await startAppServer(db, { ROLLCALL_TODAY: "2026-03-04", ROLLCALL_WARM_UP_DELAY_MS: "0", ROLLCALL_PAGE_CACHE_MS: String(SESSION_PAGE_MS) });
});

afterAll(async () => {
  await server?.stop();
  removeDb(db);
});

describe("pages prepared in the background", () => {
  it("renders every page it prepares, as a head and as a governor, once the server has started", async () => {
    const [first] = await roundsReach(1);
    // The 16 staff pages as a head and 8 governors' pages of app/lib/warm-up.server.ts, the two
    // packs the Packs page offers first as PDFs (made and kept), and the 16 staff pages made ahead for each other staff role (SLT, attendance lead, admin), and the
    // Import, Imports and Settings pages for each staff role that may open them (10), and the
    // Users page rendered as an administrator (its version known): 87; then the pages whose
    // addresses the register decides (app/lib/warm-up-opened.server.ts), for each role that
    // may open them: the SLT pack's document at February (4 roles), the records of the four
    // imports (4 roles each), the Audit page (head, admin) and the Trust page (4): 26; and the
    // Account page of each of the five test accounts (each has a live session) and the
    // administrator's Users page: 6. None refused.
    expect(first).toMatch(/\[rollcall\] 119 page views prepared in [\d.]+ s$/);
    expect(first).not.toContain("failed");
  });

  it("makes ahead the pages whose addresses the register decides: the audit trail, the newest imports' records, the Trust page and the SLT pack's document at the month its page's frame loads (app/lib/warm-up-opened.server.ts)", async () => {
    await roundsReach(1);
    // Before anything below records a view (the SLT pack's document does): the Audit page is
    // kept only at the count of rows it was made at.
    const audit = await getPage(server!.url, "/audit", accounts.admin.cookie);
    expect([audit.status, audit.cache]).toEqual([200, "role"]);
    expect(audit.body).toContain("Test admin");
    expect(audit.body).not.toMatch(/rcph[a-z0-9]{32}/);
    const history = await getPage(server!.url, "/imports", accounts.attendance_lead.cookie);
    const records = [...new Set([...history.body.matchAll(/href="(\/imports\/\d+)"/g)].map((m) => m[1]))];
    expect(records.length).toBeGreaterThan(1);
    for (const [role, url] of [...records.map((record): [Role, string] => ["attendance_lead", record]), ["slt", "/trust"]] as Array<[Role, string]>) {
      const page = await getPage(server!.url, url, accounts[role].cookie);
      expect([url, page.status, page.cache]).toEqual([url, 200, "role"]);
      expect(page.body).toContain(`Test ${role.replace("_", " ")}`);
    }
    // The SLT pack's page names its document's address (its frame's), which was made for the head's role.
    const pack = await getPage(server!.url, "/packs/slt", accounts.head.cookie);
    const frame = /<iframe[^>]*src="(\/packs\/slt\/html\?month=[^"]+)"/.exec(pack.body)?.[1];
    expect(frame).toBe("/packs/slt/html?month=2026-02");
    const document = await getPage(server!.url, frame!, accounts.head.cookie);
    expect([document.status, document.cache]).toEqual([200, "role"]);
  });

  it("makes the packs the Packs page offers first as PDFs before anyone asks: the first download is the kept file, recorded as a download (issue 11: packs built once per import)", async () => {
    await roundsReach(1);
    const index = await getPage(server!.url, "/packs", accounts.head.cookie);
    const links = [...index.body.matchAll(/href="(\/packs\/(?:slt|fgb)\/pdf\?[^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, "&"));
    // This register offers February's SLT pack; no governors' pack yet (no half term of the
    // current term has ended), so the warm-up makes only the one.
    expect(links).toEqual(["/packs/slt/pdf?month=2026-02"]);
    const downloads = async () => (await getPage(server!.url, "/audit?action=pack_download", accounts.admin.cookie)).body.split("<tr").filter((row) => row.includes("rollcall-slt-pack-2026-02.pdf")).length;
    const before = await downloads();
    for (const link of links) {
      const response = await fetch(`${server!.url}${link}`, { headers: { cookie: accounts.slt.cookie } });
      expect([link, response.status, namedTiming(response.headers.get("server-timing"))]).toEqual([link, 200, 'pack;desc="kept"']);
      expect(Buffer.from(await response.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
    }
    // The warm-up's own requests are no downloads: only the reader's are recorded.
    expect(await downloads()).toBe(before + links.length);
  });

  it("has made the Users and Account pages ahead for each account with a live session: their first request gets a copy, and the next is answered from memory", async () => {
    await roundsReach(1);
    // Made once per account (scripts/page-cache.js ACCOUNT_PAGES): the warm-up made each account's
    // as that account (app/lib/warm-up-opened.server.ts), so no reader's first request makes it.
    for (const role of ["head", "governor"] as const) {
      const account = await getPage(server!.url, "/account", accounts[role].cookie);
      expect([role, account.status, account.cache]).toEqual([role, 200, "role"]);
      expect(account.body).toContain(accounts[role].email);
      expect(account.body).not.toMatch(/rcph[a-z0-9]{32}/);
    }
    const first = await getPage(server!.url, "/users", accounts.admin.cookie);
    expect([first.status, first.cache]).toEqual([200, "role"]);
    expect(first.body).toContain("Test admin");
    expect(first.body).not.toMatch(/rcph[a-z0-9]{32}/);
    // Made as this administrator's account: no Disable button on their own row, one on another's.
    const row = (email: string) => first.body.split("<tr").find((r) => r.includes(email)) ?? "";
    expect(row(accounts.admin.email)).not.toContain('value="disable"');
    expect(row(accounts.governor.email)).toContain('value="disable"');
    // Before the warm-up rendered it, the page's version (the sign-in failures listed) was not
    // known until this first page listed them, so it was kept under a version that had moved on.
    const second = await getPage(server!.url, "/users", accounts.admin.cookie);
    expect(second.status).toBe(200);
    expect(["hit", "role"]).toContain(second.cache);
    expect(second.body).toContain(accounts.governor.email);
  });

  it("has made each role's pages ahead: a reader's first request gets a copy of theirs, still after the minute a session's own page lasts", async () => {
    await roundsReach(1);
    // Past the time a page kept for a session lasts on this server: a page made for a role
    // lasts until the data changes (scripts/page-cache.js, "Pages made ahead").
    await new Promise((r) => setTimeout(r, SESSION_PAGE_MS + 500));
    const visits: Array<[Role, string]> = [["head", "/"], ["slt", "/groups"], ["attendance_lead", "/casework"], ["admin", "/codes"], ["governor", "/classes"], ["attendance_lead", "/settings"], ["admin", "/import"]];
    for (const [role, url] of visits) {
      const page = await getPage(server!.url, url, accounts[role].cookie);
      expect(page.status, `${url} as ${role}`).toBe(200);
      // "role": the page made for the role (here ahead, by the warm-up), not one made for this request ("miss").
      expect(page.cache, `${url} as ${role}`).toBe("role");
      expect(page.body).toContain(`Test ${role.replace("_", " ")}`);
      expect(page.body).not.toContain("preparing pages");
      expect(page.body).not.toMatch(/rcph[a-z0-9]{32}/);
      // The reader's own nonce, in the header and on every script the page carries.
      expect(page.nonce).toBeTruthy();
      const nonces = new Set([...page.body.matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]));
      expect(nonces).toEqual(new Set([page.nonce]));
    }
  });

  it("prepares them again after a change relayed from the CLI, and the pages show the change", async () => {
    const before = (await roundsReach(1)).length;
    // A pupil's page the head has open: not in the list, made again after the change as the
    // head's role's page, which records nothing until it is sent to someone.
    const pupil = "/pupils/A123456789012";
    const views = async (search: Record<string, string>) => {
      const page = await getPage(server!.url, `/audit?${new URLSearchParams({ action: "pupil_view", ...search })}`, accounts.admin.cookie);
      expect(page.status).toBe(200);
      // "… of N." (React puts comments between the parts), or nothing when no row matches.
      return Number(/of (?:<!-- -->)?([\d,]+)(?:<!-- -->)?\./.exec(page.body)?.[1].replace(/,/g, "") ?? 0);
    };
    expect((await getPage(server!.url, pupil, accounts.head.cookie)).status).toBe(200);
    // A filtered page the head had open is made again too; addresses no link gives, whose query
    // names what the page does not read (app/lib/page-addresses.ts), are not (trial 47: 200 of
    // them, each made again after every commit, crowded out the pages readers return to).
    const filtered = "/codes?period=ytd&by=month";
    for (const url of [filtered, "/pupils?x=1", "/groups?utm_source=newsletter", "/codes?yeargroup=5", "/pupils?page=9999"]) {
      expect((await getPage(server!.url, url, accounts.head.cookie)).status, url).toBe(200);
    }
    const viewsBefore = await views({});
    expect(viewsBefore).toBeGreaterThan(0);
    const imported = await rollcall("import", "--marks", correction, "--user", "Office", "--reason", "Register corrected");
    expect(imported.code).toBe(0);
    const after = await roundsReach(before + 1);
    // The four: the pupil's page, the filtered Codes page, the administrator's Audit page
    // counting its views, and the Audit page listing pack downloads read by the test before;
    // not the four junk addresses (with them: 8).
    // The list as at start, and the correction's own import record for each of 4 roles: 123.
    expect(after.at(-1)).toMatch(/123 page views prepared in [\d.]+ s \(and 4 more that readers had open before the change\)$/);
    // Made ahead, nothing recorded; the head's request gets it and its view is recorded as hers.
    expect(await views({})).toBe(viewsBefore);
    const again = await getPage(server!.url, pupil, accounts.head.cookie);
    expect([again.status, again.cache]).toEqual([200, "role"]);
    expect(again.body).toContain("Test head");
    expect(again.body).not.toMatch(/rcph[a-z0-9]{32}/);
    expect(await views({})).toBe(viewsBefore + 1);
    expect(await views({ actor: accounts.head.email })).toBe(viewsBefore + 1);
    const csv = await fetch(`${server!.url}/pupils.csv?period=custom&from=2026-03-02&to=2026-03-04`, { headers: { Cookie: accounts.head.cookie } });
    expect((await csv.text()).split("\n").find((line) => line.includes("B123456789012"))).toContain(",66.7,4,6,");
  });

  it("opens nothing to a request from outside that copies the header", async () => {
    const forged = [`head ${"0".repeat(64)}`, "head", `governor ${"f".repeat(64)}`, "", `admin ${"0".repeat(64)}`, `admin#1 ${"0".repeat(64)}`, "0".repeat(64)];
    for (const value of forged) {
      const response = await fetch(`${server!.url}/`, { headers: { "x-rollcall-warm-up": value }, redirect: "manual" });
      expect(response.status, value).toBe(302);
      expect(response.headers.get("location"), value).toMatch(/^\/login/);
      const download = await fetch(`${server!.url}/pupils.csv`, { headers: { "x-rollcall-warm-up": value }, redirect: "manual" });
      expect(download.status, value).toBe(401);
    }
  });
});
