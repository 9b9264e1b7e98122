/**
 * The Users page's account changes on the audit trail (issue 9, item 5), in Chromium as the
 * administrator: add an account, change its role, disable, enable and set a new password by
 * clicking, then read the audit trail's CSV: one row per change, with who (the signed-in
 * admin), their role, what, the account changed and from where — and never the password.
 */
import { afterAll, describe, expect, it } from "vitest";
import { appUrl, closeBrowser, fetchAs, openApp, saveScreenshot } from "../helpers/browser.ts";
import { testEmail } from "../helpers/auth.ts";

afterAll(() => closeBrowser());

const EMAIL = `audited-${Date.now()}@school.example`;
const PASSWORD = "first long passphrase";
const NEW_PASSWORD = "second long passphrase";

describe("the Users page", () => {
  it("records every change it makes on the audit trail", async () => {
    const app = await openApp("/users", { as: "admin" });
    const { page } = app;
    try {
      const status = page.getByRole("status");
      const add = page.getByTestId("add-user");
      await add.locator("input[name=name]").fill("Audrey Audited");
      await add.locator("input[name=email]").fill(EMAIL);
      await add.locator("select[name=role]").selectOption("governor");
      await add.locator("input[name=password]").fill(PASSWORD);
      await add.getByRole("button", { name: "Add user" }).click();
      await expect.poll(() => status.textContent(), { timeout: 30_000 }).toContain(`Added Audrey Audited (${EMAIL})`);

      const row = () => page.locator("tr", { hasText: EMAIL });
      await row().locator("select[name=role]").selectOption("slt");
      await row().getByRole("button", { name: "Set role" }).click();
      await expect.poll(() => status.textContent(), { timeout: 30_000 }).toContain(`${EMAIL} is now Senior leadership team`);
      await row().getByRole("button", { name: "Disable" }).click();
      await expect.poll(() => status.textContent(), { timeout: 30_000 }).toContain(`${EMAIL} disabled`);
      await row().getByRole("button", { name: "Enable" }).click();
      await expect.poll(() => status.textContent(), { timeout: 30_000 }).toContain(`${EMAIL} enabled`);
      await row().locator("input[name=password]").fill(NEW_PASSWORD);
      await row().getByRole("button", { name: "Set password" }).click();
      await expect.poll(() => status.textContent(), { timeout: 30_000 }).toContain(`New password set for ${EMAIL}`);
      await saveScreenshot(page, "users-changes");
    } finally {
      await app.close();
    }

    const lines: string[] = [];
    for (const action of ["user_add", "role_change", "user_change"]) {
      const response = await fetchAs("admin", `/audit.csv?action=${action}&actor=${encodeURIComponent(testEmail("admin"))}`);
      expect(response.status).toBe(200);
      const csv = await response.text();
      expect(csv).not.toContain("passphrase");
      lines.push(...csv.split(/\r?\n/).filter((line) => line.includes(EMAIL)));
    }
    const expected = [
      "added Audrey Audited as Governor",
      "role: Governor → Senior leadership team",
      "disabled (Senior leadership team); sessions ended",
      "enabled (Senior leadership team)",
      "password reset (Senior leadership team); sessions ended",
    ];
    expect(lines).toHaveLength(expected.length);
    for (const detail of expected) {
      const line = lines.find((l) => l.includes(detail));
      expect(line, detail).toBeDefined();
      expect(line).toContain(testEmail("admin"));
      // The role in words, as the Audit page shows it.
      expect(line).toContain(",Administrator,");
      expect(line).toContain("127.0.0.1");
    }
  });

  it("lists a sign-in lockout and clears it with its Unlock button, on the audit trail", async () => {
    // An account of its own, locked from this address by five wrong passphrases (the others'
    // sign-ins from the same address are untouched: the lock is per account and address).
    const email = `locked-${Date.now()}@school.example`;
    const signIn = (password: string) =>
      fetch(appUrl("/login"), { method: "POST", redirect: "manual", headers: { Origin: new URL(appUrl("/")).origin }, body: new URLSearchParams({ email, password }) });
    const app = await openApp("/users", { as: "admin" });
    const { page } = app;
    try {
      const add = page.getByTestId("add-user");
      await add.locator("input[name=name]").fill("Lockie Locked");
      await add.locator("input[name=email]").fill(email);
      await add.locator("input[name=password]").fill(PASSWORD);
      await add.getByRole("button", { name: "Add user" }).click();
      await expect.poll(() => page.getByRole("status").textContent(), { timeout: 30_000 }).toContain(`Added Lockie Locked (${email})`);
      for (let i = 0; i < 5; i++) expect((await signIn("not the passphrase")).status).toBe(401);
      expect((await signIn(PASSWORD)).status).toBe(429);

      await page.reload();
      const row = page.getByTestId("lockouts").locator("tr", { hasText: email });
      await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
      const cells = await row.locator("td").allTextContents();
      expect(cells[1]).toBe("127.0.0.1");
      expect(cells[2]).toBe("5");
      // The time it lifts, as London reads it (GMT or BST shown), not UTC's ISO form.
      expect(cells[3]).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} (GMT|BST)$/);
      await saveScreenshot(page, "users-lockouts");
      await row.getByRole("button", { name: `Unlock ${email} from 127.0.0.1` }).click();
      await expect
        .poll(() => page.getByRole("status").textContent(), { timeout: 30_000 })
        .toContain(`Cleared 5 failed sign-ins for ${email} from 127.0.0.1: it can sign in again.`);
      await expect.poll(() => page.getByTestId("lockouts").locator("tr", { hasText: email }).count()).toBe(0);
    } finally {
      await app.close();
    }
    expect((await signIn(PASSWORD)).status).toBe(302);
    const csv = await (await fetchAs("admin", `/audit.csv?action=sign_in_unlock&actor=${encodeURIComponent(testEmail("admin"))}`)).text();
    const line = csv.split(/\r?\n/).find((l) => l.includes(email));
    expect(line).toContain(`cleared 5 failed sign-ins for ${email} from 127.0.0.1`);
    expect(line).toContain(",Administrator,");
  });
});
