/**
 * Changing one's own password, in Chromium: an administrator adds an account on the Users page
 * (so it is marked to choose its own); its holder signs in through the form and is sent to the
 * Account page with the notice; a wrong current password is refused; the change succeeds and
 * they stay signed in on a new session (the cookie held before the change signs no one in); signed out, the old password is refused and the new one signs in, straight
 * to the page asked for (the mark is cleared). On the audit trail as "password changed by the user".
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, fetchAs, openApp, saveScreenshot, waitForPage } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

const EMAIL = `own-password-${Date.now()}@school.example`;
const FIRST = "the administrator's passphrase";
const MINE = "a passphrase only I know";

describe("the Account page", () => {
  it("lets a signed-in user change their own password: the old one is refused afterwards, the new one signs in", async () => {
    const admin = await openApp("/users", { as: "admin" });
    try {
      const add = admin.page.getByTestId("add-user");
      await add.locator("input[name=name]").fill("Pat Own");
      await add.locator("input[name=email]").fill(EMAIL);
      await add.locator("select[name=role]").selectOption("slt");
      await add.locator("input[name=password]").fill(FIRST);
      await add.getByRole("button", { name: "Add user" }).click();
      await expect.poll(() => admin.page.getByRole("status").textContent(), { timeout: 30_000 }).toContain(`Added Pat Own (${EMAIL})`);
    } finally {
      await admin.close();
    }

    const app = await openApp("/trends", { as: null });
    const { page } = app;
    const signIn = async (password: string) => {
      await page.fill("input[name=email]", EMAIL);
      await page.fill("input[name=password]", password);
      await page.click("main button[type=submit]");
    };
    try {
      await waitForPage(page, (url) => url.pathname === "/login");
      // The administrator's password signs in, to the Account page first, with the notice.
      await Promise.all([waitForPage(page, (url) => url.pathname === "/account"), signIn(FIRST)]);
      expect(new URL(page.url()).searchParams.get("redirectTo")).toBe("/trends");
      expect(await page.getByTestId("must-change").textContent()).toContain("Choose your own password");
      // The header's name is the way here from any page.
      expect(await page.locator(".site-header__account").getAttribute("href")).toBe("/account");
      await saveScreenshot(page, "account-must-change");

      const form = page.getByTestId("change-password");
      await form.locator("input[name=current]").fill("not my password at all");
      await form.locator("input[name=password]").fill(MINE);
      await form.locator("input[name=again]").fill(MINE);
      await form.getByRole("button", { name: "Change password" }).click();
      await expect.poll(() => page.getByRole("alert").textContent(), { timeout: 30_000 }).toContain("not your current password");

      const sessionCookie = async () => (await page.context().cookies()).find((c) => c.name === "rollcall_session")?.value;
      const before = await sessionCookie();
      expect(before).toBeTruthy();
      await form.locator("input[name=current]").fill(FIRST);
      await form.locator("input[name=password]").fill(MINE);
      await form.locator("input[name=again]").fill(MINE);
      // Changed: on to the page it was going to (Trends), signed in.
      await Promise.all([waitForPage(page, (url) => url.pathname === "/trends"), form.getByRole("button", { name: "Change password" }).click()]);
      await page.goto(`${new URL(page.url()).origin}/account`, { waitUntil: "networkidle" });
      expect(await page.getByTestId("must-change").count()).toBe(0);
      await saveScreenshot(page, "account-changed");
      // Still signed in here, on a new session: the cookie held before the change no longer signs anyone in.
      expect(await page.locator(".site-header__account").textContent()).toContain("Pat Own");
      const after = await sessionCookie();
      expect(after).toBeTruthy();
      expect(after).not.toBe(before);
      const origin = new URL(page.url()).origin;
      const withOld = await fetch(`${origin}/trends`, { headers: { cookie: `rollcall_session=${before}` }, redirect: "manual" });
      expect(withOld.status).toBe(302);
      expect(withOld.headers.get("location")).toMatch(/^\/login/);
      await Promise.all([waitForPage(page, (url) => url.pathname === "/trends"), page.goto(`${origin}/trends`)]);
      expect(await page.locator(".site-header__account").textContent()).toContain("Pat Own");

      await Promise.all([waitForPage(page, (url) => url.pathname === "/login"), page.getByRole("button", { name: "Sign out" }).click()]);
      await signIn(FIRST);
      await expect.poll(() => page.getByRole("alert").textContent(), { timeout: 30_000 }).toContain("do not match");
      // The new password signs in, straight to the page asked for: the mark is cleared.
      await Promise.all([waitForPage(page, (url) => url.pathname === "/"), signIn(MINE)]);
      expect(await page.locator(".site-header__account").textContent()).toContain("Pat Own");
      // A change of one's own password at will: the page says so where the eye is, focused, as every form's answer (ActionAnswer).
      await page.goto(`${origin}/account`, { waitUntil: "networkidle" });
      const again = page.getByTestId("change-password");
      await again.locator("input[name=current]").fill(MINE);
      await again.locator("input[name=password]").fill(`${MINE} again`);
      await again.locator("input[name=again]").fill(`${MINE} again`);
      await again.getByRole("button", { name: "Change password" }).click();
      const changed = page.getByTestId("password-changed");
      await changed.waitFor({ timeout: 30_000 });
      expect(await changed.evaluate((el) => ({ role: el.getAttribute("role"), focused: document.activeElement === el }))).toEqual({ role: "status", focused: true });
      // Wrong passwords are answered 401, which Chromium logs as failed resources; nothing else may be logged.
      expect(app.consoleErrors.filter((error) => !/status of 401/.test(error))).toEqual([]);
    } finally {
      await app.close();
    }

    // A POST without the session's CSRF token is refused and changes nothing (a wrong current
    // password in it, so a shared test account's password could not change even if it were not).
    const forged = await fetchAs("governor", "/account", { method: "POST", body: new URLSearchParams({ current: "not the password!", password: MINE, again: MINE }) });
    expect(forged.status).toBe(403);
    // Every role has the page.
    expect((await fetchAs("governor", "/account")).status).toBe(200);

    const csv = await (await fetchAs("admin", `/audit.csv?action=user_change`)).text();
    const line = csv.split(/\r?\n/).find((l) => l.includes(EMAIL) && l.includes("password changed by the user"));
    expect(line).toBeDefined();
    expect(csv).not.toContain(MINE);
  });
});
