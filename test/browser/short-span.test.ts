/**
 * Persistent and severe absence are not counted inside a week (issue 13, case 13). The demo's
 * "today" is Monday 23 November 2026, so "this week" has one school day: the Overview gives the
 * pupils absent at least once instead of PA and SA (a day off would be "severe absence"), and
 * says why; Trends by term gives no PA for the autumn term's one day of this week.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp, saveScreenshot } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

type LoaderData = Record<string, Record<string, unknown>>;
const loaderData = (app: Awaited<ReturnType<typeof openApp>>) =>
  app.page.evaluate(() => (window as unknown as { __remixContext: { state: { loaderData: LoaderData } } }).__remixContext.state.loaderData);

describe("a one-day week", () => {
  it("a governor asking for this week is given the last half term that has ended (Autumn 1), with PA and SA over it", async () => {
    const app = await openApp("/?period=this-week", { as: "governor" });
    try {
      expect(await app.page.getByTestId("view-notice").innerText()).toContain("Not applied: Period (This week). Showing Autumn 1 2026 instead.");
      expect(await app.page.getByTestId("tile-pa").count()).toBe(1);
      expect(await app.page.getByTestId("pa-short-span").count()).toBe(0);
    } finally {
      await app.close();
    }
  });

  for (const role of ["head"] as const) {
    it(`the Overview (${role}) shows pupils absent at least once, not PA or SA counted in one day`, async () => {
      const app = await openApp("/?period=this-week", { as: role });
      try {
        expect(await app.page.getByTestId("tile-pa").count()).toBe(0);
        expect(await app.page.getByTestId("tile-sa").count()).toBe(0);
        await expect(app.page.getByTestId("tile-absent").innerText()).resolves.toMatch(/Pupils absent at least once/);
        await expect(app.page.getByTestId("pa-short-span").innerText()).resolves.toMatch(/this period has 1 school day with marks, fewer than the 20/);
        const tiles = await app.page.locator(".tiles").innerText();
        expect(tiles).not.toMatch(/Persistent absence|Severe absence|missed 10% or more|missed 50% or more/);
        const data = (await loaderData(app))["routes/_index"] as { current: { pa_pct: number | null; sa_pct: number | null } };
        expect(data.current.pa_pct).toBeNull();
        expect(data.current.sa_pct).toBeNull();
        await saveScreenshot(app.page, `overview-one-day-week-${role}`);
      } finally {
        await app.close();
      }
    });
  }

  it("the year to date still gives PA and SA", async () => {
    const app = await openApp("/?period=ytd");
    try {
      expect(await app.page.getByTestId("tile-pa").count()).toBe(1);
      expect(await app.page.getByTestId("pa-short-span").count()).toBe(0);
    } finally {
      await app.close();
    }
  });

  it("Trends by term gives no PA for this week's one day of the autumn term; the year to date's term has it", async () => {
    for (const [period, expected] of [["this-week", null], ["ytd", "number"]] as const) {
      const app = await openApp(`/trends?period=${period}&by=term`);
      try {
        const groups = ((await loaderData(app))["routes/trends"] as { groups: Array<{ pa_pct: number | null }> }).groups;
        expect(groups.length).toBeGreaterThan(0);
        for (const group of groups) expected === null ? expect(group.pa_pct).toBeNull() : expect(typeof group.pa_pct).toBe("number");
      } finally {
        await app.close();
      }
    }
  });
});

describe("the same rule on every page (issue 13: the SLT pack gave PA over a 2-day month the Overview refuses)", () => {
  for (const page of ["classes", "groups"] as const) {
    it(`${page === "classes" ? "Year groups & classes" : "Groups"} (head) over this week's one day: PA and SA 'not given', and why; none sent`, async () => {
      const app = await openApp(`/${page}?period=this-week`, { as: "head" });
      try {
        await expect(app.page.getByTestId("pa-not-given").innerText()).resolves.toMatch(/^Persistent and severe absence are not given for This week: 1 school day, fewer than the 20/);
        const text = await app.page.locator("main").innerText();
        expect(text).toContain("not given");
        const data = JSON.stringify((await loaderData(app))[`routes/${page}`]);
        expect(data).not.toMatch(/"(?:pa|sa)_pct":\d/);
        expect(data).not.toMatch(/"(?:pa|sa)_pupils":[1-9]/);
        await saveScreenshot(app.page, `pa-not-given-${page}`);
        expect(app.consoleErrors).toEqual([]);
      } finally {
        await app.close();
      }
    });
  }
});
