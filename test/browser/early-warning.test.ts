/**
 * Early warning on the demo school: the forecast tile's counts reconcile — those projected to
 * be persistently absent at year end are those absent so far, plus those newly projected,
 * less those projected to recover — and the method is written on the page.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp, saveScreenshot } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

describe("Early warning", () => {
  it("reconciles the projected persistently absent with those so far, the newly projected and the recovering", async () => {
    const app = await openApp("/early-warning");
    try {
      const tile = app.page.getByTestId("forecast").locator(".tile").nth(1);
      const projected = Number((await tile.locator(".tile__value").textContent())!.replace(/,/g, ""));
      const detail = (await tile.locator(".tile__detail").textContent())!.replace(/\s+/g, " ");
      // Each count says which pupils it counts: the forecast's are on roll today (leavers left
      // out, in words), the bands' every pupil with 20 sessions this year, leavers included.
      const match = /of the [\d,]+ pupils? on roll on \d+ \w+ \d{4}(?: \([\d,]+ who left this year (?:is|are) not projected\))?; ([\d,]+) of them are persistently absent so far; ([\d,]+) more are projected to be, and ([\d,]+) of those absent so far are projected to recover\./.exec(detail);
      expect(match, detail).not.toBeNull();
      const [now, newly, recovering] = match!.slice(1).map((n) => Number(n.replace(/,/g, "")));
      expect(now + newly - recovering).toBe(projected);
      expect(projected).toBeGreaterThan(0);
      expect(await app.page.getByTestId("forecast-method").textContent()).toContain("the average of two rates");
      expect(await app.page.getByTestId("band-population").textContent()).toMatch(/^[\d,]+ pupils with at least 20 possible sessions this year \(leavers included\)$/);
      await saveScreenshot(app.page, "early-warning");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
