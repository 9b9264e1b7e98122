/**
 * The school's LA and establishment numbers on the Settings page (a CTF addressed to another
 * school is refused by them): three and four digits, given together, saved and shown again.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp, saveScreenshot } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

describe("Settings: the school's DfE number", () => {
  it("refuses an LA number that is not three digits, and one without the establishment number, then saves both", async () => {
    const app = await openApp("/settings");
    try {
      const la = app.page.locator("#setting-la_number");
      const estab = app.page.locator("#setting-estab_number");
      expect([await la.inputValue(), await estab.inputValue()]).toEqual(["", ""]);
      await la.fill("82");
      await estab.fill("2000");
      await app.page.click("[data-testid=save-settings]");
      const laError = app.page.locator("[data-testid=error-la_number]");
      await laError.waitFor();
      expect(await laError.innerText()).toContain("three-digit LA number");
      expect(await app.page.locator("[data-testid=settings-errors]").innerText()).toContain("Nothing was saved");

      await app.page.locator("#setting-la_number").fill("820");
      await app.page.locator("#setting-estab_number").fill("");
      await app.page.click("[data-testid=save-settings]");
      const estabError = app.page.locator("[data-testid=error-estab_number]");
      await estabError.waitFor();
      expect(await estabError.innerText()).toContain("The LA number and the establishment number are given together (the DfE number is both), or neither.");
      await estabError.scrollIntoViewIfNeeded();
      await saveScreenshot(app.page, "settings-school-number-refused");

      await app.page.locator("#setting-estab_number").fill("2000");
      await app.page.click("[data-testid=save-settings]");
      await app.page.locator("[data-testid=settings-saved]").waitFor();
      await app.page.goto(app.page.url());
      expect([await app.page.locator("#setting-la_number").inputValue(), await app.page.locator("#setting-estab_number").inputValue()]).toEqual(["820", "2000"]);
      await app.page.locator("#setting-la_number").scrollIntoViewIfNeeded();
      await saveScreenshot(app.page, "settings-school-number-saved");
    } finally {
      await app.close();
    }
  });
});
