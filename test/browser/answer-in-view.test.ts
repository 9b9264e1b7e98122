/**
 * A form's answer is seen where it is said (fresh-clone trial 50b), in real Chromium on the
 * demo school: after "Save settings" at the bottom of /settings the page stayed scrolled at the
 * button while "Nothing was saved: …" appeared at its top, so a refused change looked saved. Now
 * the answer is brought into view and focused (ActionAnswer), on Settings and the other forms
 * that answer at the top of a long page. And a pupil's page fits a phone: "Record an
 * intervention" (its Corrects select and Note box) ran 33 px past a 390 px screen.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { closeBrowser, openApp } from "../helpers/browser.ts";
import { offenders } from "../helpers/phone-fit.ts";

afterAll(() => closeBrowser());

/** Whether `locator`'s element lies within the viewport (its top and bottom on screen), and whether it has focus. */
async function seen(page: Page, locator: Locator): Promise<{ inView: boolean; focused: boolean }> {
  return locator.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return { inView: box.top >= 0 && box.top < window.innerHeight && box.bottom > 0, focused: document.activeElement === el };
  });
}

describe("Settings: the answer to 'Save settings'", () => {
  it("is in view and focused after saving at the bottom of the page, refused or saved", async () => {
    const app = await openApp("/settings");
    try {
      const { page } = app;
      await page.locator("#setting-retention_years").fill("2");
      const save = page.getByTestId("save-settings");
      await save.scrollIntoViewIfNeeded();
      await save.click();
      const refused = page.getByTestId("settings-errors");
      await refused.waitFor();
      expect(await seen(page, refused)).toEqual({ inView: true, focused: true });
      expect(await refused.getAttribute("role")).toBe("alert");
      await page.screenshot({ path: "test-results/screenshots/settings-refused-in-view.png" });

      // Put right and saved: "Saved: …" is where the eye is too.
      await page.locator("#setting-retention_years").fill("3");
      await save.scrollIntoViewIfNeeded();
      expect((await seen(page, refused)).inView).toBe(false); // the refusal was scrolled away to reach the button
      await save.click();
      const saved = page.getByTestId("settings-saved");
      await saved.waitFor();
      expect(await seen(page, saved)).toEqual({ inView: true, focused: true });
      expect(await saved.getAttribute("role")).toBe("status");
      await page.screenshot({ path: "test-results/screenshots/settings-saved-in-view.png" });
    } finally {
      await app.close();
    }
  });
});

describe("a pupil's page on a phone", () => {
  it("fits 390 px with the 'Record an intervention' form, its Corrects select listing an entry", async () => {
    // A pupil with an intervention recorded: the Corrects select lists it ("Entry 3: Letter: …, 23 Oct 2026").
    const list = await openApp("/interventions");
    const href = await list.page.locator("a[href^='/pupils/']").first().getAttribute("href");
    await list.close();
    expect(href).toBeTruthy();
    const app = await openApp(href!, { width: 390 });
    try {
      const form = app.page.getByTestId("intervention-form");
      await form.waitFor();
      expect(await app.page.locator("#intervention-corrects option").count()).toBeGreaterThan(1);
      const found = await app.page.evaluate(offenders);
      expect(found.wide, JSON.stringify(found)).toEqual([]);
      expect(found.captions).toEqual([]);
      expect(found.document).toBeLessThanOrEqual(found.viewport);
      await form.scrollIntoViewIfNeeded();
      await app.page.screenshot({ path: "test-results/screenshots/phone-pupil-intervention-form.png" });
    } finally {
      await app.close();
    }
  });
});
