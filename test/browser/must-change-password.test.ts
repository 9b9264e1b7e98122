/**
 * A password someone else set is changed before anything is read (a fresh-clone trial's SLT
 * member, sent to the Account page at sign-in, opened /pupils with a 200 without changing it).
 * On the real production server with its page cache, in Chromium: an SLT account marked
 * "must change password" (as the Users page's add and reset leave it) signs in through the
 * form; every page, a `.data` request (a client-side navigation's), the Pupils CSV and the SLT
 * pack's PDF send it to the Account page, including /pupils and / which the page cache already
 * holds, made for the role by another SLT reader; the Account page's form changes the
 * password and continues to the page it was going to (the Overview when none, never off this
 * site); then every one of them opens.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext } from "playwright-core";
import { closeAllInstances, withConnection } from "../../analytics/db.ts";
import { launchChromium } from "../../analytics/render/pdf.ts";
import { createUser } from "../../analytics/users/store.ts";
import { createTestAccounts, type TestAccount } from "../helpers/auth.ts";
import { cliOn, initSchool, writeSmallRegister } from "../helpers/cli.ts";
import { removeDb, tempDbPath } from "../helpers/db.ts";
import { getPage } from "../helpers/page-answer.ts";
import { saveScreenshot } from "../helpers/browser.ts";
import { startAppServer } from "../setup/app-server.ts";
import type { Role } from "../../app/lib/permissions.ts";

const db = tempDbPath("must-change");
const EMAIL = "set-by-admin@school.example";
const FIRST = "the administrator's passphrase";
const MINE = "a passphrase only I know";
let accounts: Record<Role, TestAccount>;
let server: Awaited<ReturnType<typeof startAppServer>> | undefined;
let browser: Browser | undefined;
let context: BrowserContext;

/** Pages, a page's data for a client-side navigation, and two downloads. */
const PAGES = ["/", "/pupils", "/trends", "/pupils/A123456789012"];
const DOWNLOADS = ["/pupils.csv", "/packs/slt/pdf?month=2026-03"];

beforeAll(async () => {
  await initSchool(db);
  const { calendar, pupils, marks } = writeSmallRegister(path.dirname(db));
  expect((await cliOn(db)("import", "--calendar", calendar, "--pupils", pupils, "--marks", marks, "--as-of", "2025-09-01")).code).toBe(0);
  accounts = await createTestAccounts(db);
  // Marked as an account the Users page adds is (app/routes/users.tsx: mustChangePassword).
  await withConnection(db, async (c) => {
    for (const [email, name] of [[EMAIL, "Sam Set"], ...["1", "2", "3"].map((n) => [`set-by-admin-${n}@school.example`, `Sam ${n}`])]) {
      await createUser(c, { email, name, role: "slt", password: FIRST, mustChangePassword: true });
    }
  });
  await closeAllInstances();
  // No background warm-up: the role's pages are made below by another SLT reader, in view.
  server = await startAppServer(db, { ROLLCALL_TODAY: "2026-03-04", ROLLCALL_WARM_UP: "0" });
  browser = await launchChromium();
  context = await browser.newContext({ locale: "en-GB" });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  removeDb(db);
});

const sessionCookie = async () => {
  const cookie = (await context.cookies()).find((c) => c.name === "rollcall_session");
  return cookie ? `${cookie.name}=${cookie.value}` : "";
};

describe("a password an administrator set", () => {
  it("must be changed before any page, page data or download is read, a page the role's cache holds too; afterwards all open", async () => {
    const base = server!.url;
    // Another SLT reader makes the role's pages, which the page cache keeps for every SLT reader.
    for (const url of ["/", "/pupils"]) {
      expect((await getPage(base, url, accounts.slt.cookie)).status).toBe(200);
      const again = await getPage(base, url, accounts.slt.cookie);
      expect([url, again.status, again.cache]).toEqual([url, 200, "hit"]);
    }

    const page = await context.newPage();
    await page.goto(`${base}/login?redirectTo=%2Fpupils`, { waitUntil: "networkidle" });
    await page.fill("input[name=email]", EMAIL);
    await page.fill("input[name=password]", FIRST);
    await Promise.all([page.waitForURL((url) => url.pathname === "/account"), page.click("main button[type=submit]")]);
    const marked = await sessionCookie();
    expect(marked).toBeTruthy();

    // Every page asked for by address: the Account page, with the notice and where it was going.
    for (const url of PAGES) {
      await page.goto(`${base}${url}`, { waitUntil: "networkidle" });
      const at = new URL(page.url());
      expect([url, at.pathname, at.searchParams.get("redirectTo")]).toEqual([url, "/account", url]);
      expect(await page.getByTestId("must-change").textContent()).toContain("Choose your own password");
    }
    // The section links are plain: the Account page's redirectTo is its own (a trial: every link carried it).
    const navHrefs = await page.locator("nav.site-nav a").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).getAttribute("href")));
    expect(new URL(page.url()).searchParams.get("redirectTo")).toBeTruthy();
    expect(navHrefs.length).toBeGreaterThan(0);
    expect(navHrefs.filter((href) => href?.includes("?"))).toEqual([]);
    // A client-side navigation (the header's Pupils link: a .data request) ends there too.
    await page.locator("nav.site-nav").getByRole("link", { name: "Pupils", exact: true }).click();
    await page.waitForLoadState("networkidle");
    expect(new URL(page.url()).pathname).toBe("/account");
    expect(await page.locator("main").innerText()).not.toContain("Lovelace");
    await saveScreenshot(page, "must-change-sent-to-account");

    // Without a browser: the page cache holds / and /pupils for the role, and gives neither.
    for (const url of PAGES) {
      const answer = await getPage(base, url, marked);
      expect([url, answer.status, answer.location]).toEqual([url, 302, `/account?${new URLSearchParams({ redirectTo: url })}`]);
      expect(answer.body).not.toContain("Lovelace");
    }
    const data = await getPage(base, "/pupils.data", marked);
    // Single fetch answers a loader's redirect as 202 with the address in its body.
    expect(data.status).toBe(202);
    expect(data.body).toContain("/account?redirectTo=%2Fpupils");
    expect(data.body).not.toContain("Lovelace");
    for (const url of DOWNLOADS) {
      const answer = await getPage(base, url, marked);
      expect([url, answer.status, answer.location]).toEqual([url, 302, `/account?${new URLSearchParams({ redirectTo: url })}`]);
    }

    // The Account page's form changes it.
    await page.goto(`${base}/account?redirectTo=%2Fpupils`, { waitUntil: "networkidle" });
    const form = page.getByTestId("change-password");
    await form.locator("input[name=current]").fill(FIRST);
    await form.locator("input[name=password]").fill(MINE);
    await form.locator("input[name=again]").fill(MINE);
    // Changed: it continues where it was going (the README: "once changed, it continues where it
    // was going"; a trial found it left on /account with a "Continue" link).
    await Promise.all([page.waitForURL((url) => url.pathname === "/pupils", { timeout: 30_000 }), form.getByRole("button", { name: "Change password" }).click()]);
    await expect.poll(() => page.locator("main").innerText(), { timeout: 30_000 }).toContain("Lovelace");
    const mine = await sessionCookie();
    expect(mine).not.toBe(marked);

    // Now everything opens, in the browser and without it.
    for (const url of PAGES) {
      await page.goto(`${base}${url}`, { waitUntil: "networkidle" });
      expect([url, new URL(page.url()).pathname]).toEqual([url, url.split("?")[0]]);
      expect(await page.getByTestId("must-change").count()).toBe(0);
    }
    await page.goto(`${base}/pupils`, { waitUntil: "networkidle" });
    expect(await page.locator("main").innerText()).toContain("Lovelace");
    expect((await getPage(base, "/pupils", mine)).status).toBe(200);
    expect((await getPage(base, "/pupils.data", mine)).status).toBe(200);
    const csv = await fetch(`${base}/pupils.csv`, { headers: { Cookie: mine }, redirect: "manual" });
    expect([csv.status, await csv.text()]).toEqual([200, expect.stringContaining("Lovelace")]);
    const pdf = await fetch(`${base}/packs/slt/pdf?month=2026-03`, { headers: { Cookie: mine }, redirect: "manual" });
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
    await page.close();
  });

  it("continues to the Overview when it was going nowhere, or to an address off this site", async () => {
    const base = server!.url;
    for (const [n, going] of [["1", null], ["2", "//elsewhere.example/x"], ["3", "https://elsewhere.example/x"]] as const) {
      const email = `set-by-admin-${n}@school.example`;
      const own = await browser!.newContext({ locale: "en-GB" });
      const page = await own.newPage();
      await page.goto(`${base}/login`, { waitUntil: "networkidle" });
      await page.fill("input[name=email]", email);
      await page.fill("input[name=password]", FIRST);
      await Promise.all([page.waitForURL((url) => url.pathname === "/account"), page.click("main button[type=submit]")]);
      if (going) await page.goto(`${base}/account?${new URLSearchParams({ redirectTo: going })}`, { waitUntil: "networkidle" });
      const form = page.getByTestId("change-password");
      await form.locator("input[name=current]").fill(FIRST);
      await form.locator("input[name=password]").fill(MINE);
      await form.locator("input[name=again]").fill(MINE);
      await Promise.all([page.waitForURL((url) => url.pathname === "/", { timeout: 30_000 }), form.getByRole("button", { name: "Change password" }).click()]);
      expect([going, new URL(page.url()).origin]).toEqual([going, new URL(base).origin]);
      await own.close();
    }
  });
});
