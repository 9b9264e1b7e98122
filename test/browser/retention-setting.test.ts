/**
 * The retention setting on the Settings page (issue 9, item 6): both policies' three years,
 * shown as the school's number; fewer than three is refused beside the field and nothing is
 * saved.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp, saveScreenshot } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

describe("Settings: keeping register entries", () => {
  it("shows three years, and refuses fewer with a message beside the field", async () => {
    const app = await openApp("/settings");
    try {
      const field = app.page.locator("#setting-retention_years");
      expect(await field.inputValue()).toBe("3");
      await field.fill("2");
      await app.page.click("[data-testid=save-settings]");
      const error = app.page.locator("[data-testid=error-retention_years]");
      await error.waitFor();
      expect(await error.innerText()).toContain("between 3 and 100");
      expect(await app.page.locator("[data-testid=settings-errors]").innerText()).toContain("Nothing was saved");
      await error.scrollIntoViewIfNeeded();
      await saveScreenshot(app.page, "settings-retention-refused");
      await app.page.goto(app.page.url());
      expect(await app.page.locator("#setting-retention_years").inputValue()).toBe("3");
    } finally {
      await app.close();
    }
  });
});
