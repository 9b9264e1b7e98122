/**
 * Checked fields of the Settings page. The retention setting (issue 9, item 6): both policies'
 * three years, shown as the school's number; fewer than three is refused beside the field and
 * nothing is saved. The school's LA and establishment numbers (a CTF addressed to another
 * school is refused by them): three and four digits, given together, saved and shown again.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { closeBrowser, openApp, saveScreenshot } from "../helpers/browser.ts";

/** Presses "Save settings" and waits for the refusal beside `key`'s field (returned), the summary saying nothing was saved. */
async function savedRefused(page: Page, key: string): Promise<Locator> {
  await page.click("[data-testid=save-settings]");
  const error = page.locator(`[data-testid=error-${key}]`);
  await error.waitFor();
  expect(await page.locator("[data-testid=settings-errors]").innerText()).toContain("Nothing was saved");
  return error;
}

/** Pages left open by a test, closed with the browser. */
const pages: Array<{ close: () => Promise<void> }> = [];
afterAll(async () => {
  for (const page of pages) await page.close();
  await closeBrowser();
});

describe("Settings: keeping register entries", () => {
  it("shows three years, and refuses fewer with a message beside the field", async () => {
    const app = await openApp("/settings");
    try {
      const field = app.page.locator("#setting-retention_years");
      expect(await field.inputValue()).toBe("3");
      await field.fill("2");
      const error = await savedRefused(app.page, "retention_years");
      expect(await error.innerText()).toContain("between 3 and 100");
      await error.scrollIntoViewIfNeeded();
      await saveScreenshot(app.page, "settings-retention-refused");
      await app.page.goto(app.page.url());
      expect(await app.page.locator("#setting-retention_years").inputValue()).toBe("3");
    } finally {
      await app.close();
    }
  });
});

describe("Settings: the school's DfE number", () => {
  it("refuses an LA number that is not three digits, and one without the establishment number, then saves both", async () => {
    const app = await openApp("/settings");
    pages.push(app);
    const la = app.page.locator("#setting-la_number");
    const estab = app.page.locator("#setting-estab_number");
    expect([await la.inputValue(), await estab.inputValue()]).toEqual(["", ""]);
    await la.fill("82");
    await estab.fill("2000");
    expect(await (await savedRefused(app.page, "la_number")).innerText()).toContain("three-digit LA number");

    await app.page.locator("#setting-la_number").fill("820");
    await app.page.locator("#setting-estab_number").fill("");
    const estabError = await savedRefused(app.page, "estab_number");
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
  });
});
