/**
 * A session ended by someone else, or by its holder, says so on the sign-in page its holder
 * lands on (trial 53: after the administrator disabled an account or reset its password, the
 * holder's next click landed on a plain "Sign in"; an ordinary sign-out said nothing either).
 * Real Chromium against the built app on a school of its own, the accounts changed through the
 * CLI while the server runs (its relay, as an administrator at the server would). What it says
 * is about the reader's own session, once; a disabled account's sign-in is still told only that
 * the e-mail and password do not match an active account.
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances } from "../../analytics/db.ts";
import { launchChromium } from "../../analytics/render/pdf.ts";
import type { Role } from "../../analytics/users/roles.ts";
import { createTestAccounts, type TestAccount } from "../helpers/auth.ts";
import { saveScreenshot } from "../helpers/browser.ts";
import { cliOn, initSchool } from "../helpers/cli.ts";
import { tempDbPath } from "../helpers/db.ts";
import { startAppServer } from "../setup/app-server.ts";

const db = tempDbPath("session-ended");
let server: Awaited<ReturnType<typeof startAppServer>>;
let browser: Browser;
let accounts: Record<Role, TestAccount>;

beforeAll(async () => {
  await initSchool(db);
  accounts = await createTestAccounts(db);
  await closeAllInstances();
  server = await startAppServer(db);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(path.dirname(db), { recursive: true, force: true });
});

/** A browser of its own, signed in as `role` through the sign-in form, on the page `/definitions`. */
async function signedIn(role: Role): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: "en-GB" });
  const page = await context.newPage();
  await page.goto(`${server.url}/login?redirectTo=%2Fdefinitions`, { waitUntil: "networkidle" });
  await page.waitForSelector("html[data-hydrated]", { state: "attached" });
  await page.getByLabel("E-mail address").fill(accounts[role].email);
  await page.getByLabel("Password").fill(accounts[role].password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === "/definitions");
  await page.waitForSelector("html[data-hydrated]", { state: "attached" });
  return { context, page };
}

/** The reader's next click, a section of the menu (a navigation inside the app), lands on the sign-in page: what it says. */
async function nextClick(page: Page): Promise<string | null> {
  await page.locator("nav.site-nav").getByRole("link", { name: "Trends", exact: true }).click({ force: true });
  await page.waitForURL((url) => url.pathname === "/login");
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  const notice = page.getByTestId("session-ended");
  return (await notice.count()) === 0 ? null : notice.innerText();
}

describe("the sign-in page after a session ended", () => {
  it("says an administrator ended it (disabled), once; signing in again is refused as any wrong password", async () => {
    const { context, page } = await signedIn("slt");
    try {
      expect(await cliOn(db)("users", "disable", "--email", accounts.slt.email)).toMatchObject({ code: 0 });
      expect(await nextClick(page)).toBe("You were signed out: your session was ended by an administrator. Sign in again, or ask your Rollcall administrator if you cannot.");
      await saveScreenshot(page, "session-ended-by-administrator");
      // Said once: the cookie that named the session is cleared.
      await page.reload({ waitUntil: "networkidle" });
      expect(await page.getByTestId("session-ended").count()).toBe(0);
      // The disabled account's sign-in: the one refusal for every wrong e-mail or password.
      await page.getByLabel("E-mail address").fill(accounts.slt.email);
      await page.getByLabel("Password").fill(accounts.slt.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      expect(await page.locator(".sign-in-error").innerText()).toBe("That e-mail address and password do not match an active account.");
    } finally {
      await context.close();
    }
  });

  it("says an administrator ended it (password reset)", async () => {
    const { context, page } = await signedIn("attendance_lead");
    try {
      process.env.ROLLCALL_PASSWORD = "a passphrase the administrator chose";
      try {
        expect(await cliOn(db)("users", "reset-password", "--email", accounts.attendance_lead.email)).toMatchObject({ code: 0 });
      } finally {
        delete process.env.ROLLCALL_PASSWORD;
      }
      expect(await nextClick(page)).toBe("You were signed out: your session was ended by an administrator. Sign in again, or ask your Rollcall administrator if you cannot.");
    } finally {
      await context.close();
    }
  });

  it("says 'You have signed out' after the Sign out button, once", async () => {
    const { context, page } = await signedIn("head");
    try {
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL((url) => url.pathname === "/login");
      expect(await page.getByTestId("session-ended").innerText()).toBe("You have signed out.");
      await saveScreenshot(page, "signed-out");
      await page.reload({ waitUntil: "networkidle" });
      expect(await page.getByTestId("session-ended").count()).toBe(0);
      // A page opened afterwards goes to the sign-in page with nothing to say.
      await page.goto(`${server.url}/trends`, { waitUntil: "networkidle" });
      expect(new URL(page.url()).pathname).toBe("/login");
      expect(await page.getByTestId("session-ended").count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
