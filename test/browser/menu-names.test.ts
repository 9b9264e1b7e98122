/**
 * The phone's folded "Menu" names the page open on every page (trial 53: /account, /imports,
 * /imports/N and /definitions said "Menu" alone; the README says it names the page open). Every
 * page route of app/routes, through the access table (test/helpers/routes.ts), so a page added
 * later is checked without editing this test; visited at 390 px as the administrator.
 */
import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { ROUTE_ACCESS } from "../../app/lib/access.ts";
import { closeBrowser, openApp, saveScreenshot } from "../helpers/browser.ts";
import { routeIds, sampleUrls } from "../helpers/routes.ts";

afterAll(() => closeBrowser());

const upn = inject("pupils")[0].upn;
const pages = routeIds()
  .filter((id) => ROUTE_ACCESS[id]?.kind === "page" && ROUTE_ACCESS[id]?.loader !== "public" && id !== "routes/logout")
  .flatMap((id) => sampleUrls(id, upn).map((sample) => sample.url));

describe("the phone's menu", () => {
  it("names the page open on every page", async () => {
    const said: Record<string, string> = {};
    for (const url of pages) {
      const app = await openApp(url, { as: "admin", width: 390 });
      try {
        said[url] = ((await app.page.locator("nav.site-nav summary").textContent()) ?? "").trim();
        if (url === "/imports") await saveScreenshot(app.page, "phone-menu-imports");
      } finally {
        await app.close();
      }
    }
    expect(Object.keys(said)).toContain("/account");
    expect(Object.entries(said).filter(([, words]) => !/^Menu, this page: \S/.test(words))).toEqual([]);
    // The trial's four, by the name their page gives itself.
    expect(said["/account"]).toBe("Menu, this page: Your account");
    expect(said["/imports"]).toBe("Menu, this page: Import history");
    expect(said["/imports/1"]).toBe("Menu, this page: Import 1");
    expect(said["/definitions"]).toBe("Menu, this page: How the figures are calculated");
  }, 600_000);
});
