/**
 * Links built from a page's address carry each parameter once (firstOfEach, session 27): an
 * address that repeats a filter (`year_group=4&year_group=5`, a hand-edited or pasted link) is
 * read by its first value, and no link the page then offers — section links, the CSV, paging
 * and sorting, grain links, a casework list's own links — repeats it (trial 26: the Pupils and
 * Casework CSV links carried both values, and the CSV used the first). In real Chromium on the
 * demo school, with JavaScript off so every link is as the server wrote it.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

/** Each link of the page (in the app: same origin) that names a parameter more than once: "href: name×2". */
async function repeatingLinks(path: string): Promise<{ links: number; repeating: string[] }> {
  const app = await openApp(path, { javaScript: false });
  // A link to a place on the same page ("#main", the skip link) is the address itself: not a link the page built.
  const hrefs = await app.page.locator("a[href]:not([href^='#'])").evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href));
  await app.close();
  const own = hrefs.filter((href) => new URL(href).origin === new URL(hrefs[0] ?? href).origin && new URL(href).search !== "");
  const repeating: string[] = [];
  for (const href of own) {
    const search = new URL(href).searchParams;
    const twice = [...new Set(search.keys())].filter((name) => search.getAll(name).length > 1);
    if (twice.length > 0) repeating.push(`${href}: ${twice.map((name) => `${name}×${search.getAll(name).length}`).join(", ")}`);
  }
  return { links: own.length, repeating };
}

describe("links from an address that repeats a parameter", () => {
  const pages = [
    "/pupils?period=ytd&period=term&year_group=4&year_group=5&sort=attendance_pct&sort=name&dir=asc&dir=desc",
    "/casework?year_group=4&year_group=5&rule=persistent_absence&rule=severe_absence",
    "/trends?period=ytd&period=term&grain=week&grain=month&year_group=4&year_group=5",
    "/quality?period=ytd&period=term&year_group=4&year_group=5",
  ];
  for (const path of pages) {
    it(`${path.split("?")[0]}: no link repeats one`, async () => {
      const { links, repeating } = await repeatingLinks(path);
      // Links with a query there are (the section links carry the period and filters), or the test reads nothing.
      expect(links).toBeGreaterThan(5);
      expect(repeating).toEqual([]);
    });
  }
});
