/**
 * The Users page's account changes on the audit trail (issue 9, item 5), in Chromium as the
 * administrator: add an account, change its role, disable, enable and set a new password by
 * clicking, then read the audit trail's CSV: one row per change, with who (the signed-in
 * admin), their role, what, the account changed and from where — and never the password.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, fetchAs, openApp, saveScreenshot } from "../helpers/browser.ts";
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
});
