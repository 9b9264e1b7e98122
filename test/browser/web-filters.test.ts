/**
 * Trial22 (a fresh clone): the web read pupil filters from the address otherwise than the CLI's
 * `summary --filter` did. `/?year_group=Year%205` said Year 5 was no year group of the school
 * while listing "Year 5"; `/?fsm=yes` was not understood; `/pupils.csv?reg_group=5a` sent the
 * header alone. Now every address reads the importer's spellings with the CLI's reader
 * (analytics/filter-values.ts) and is sent to the stored spelling; a value that is none of the
 * school's is said on the page and refused by the download, the school's values listed in the
 * form the value is quoted.
 *
 * The demo school (built for 23 November 2026): Years 3 to 6, classes such as 5A.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, fetchAs, openApp } from "../helpers/browser.ts";
import { parseCsv } from "../helpers/csv.ts";

afterAll(() => closeBrowser());

/** The page's text as read, tags out. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'");
/** The Overview's attendance figure for an address, as the head reads it. */
const attendance = async (url: string) => /data-testid="attendance-pct"[^>]*>([^<]+)</.exec(await (await fetchAs("head", url)).text())?.[1];

describe("the address's pupil filters read as the CLI reads them", () => {
  it("/?year_group=Year%205 opens Year 5: the stored spelling in the address and the picker, Year 5's figures, no refusal", async () => {
    const moved = await fetchAs("head", "/?year_group=Year%205");
    expect(moved.status).toBe(302);
    expect(moved.headers.get("Location")).toBe("/?year_group=5");
    const app = await openApp("/?year_group=Year%205");
    try {
      expect(new URL(app.page.url()).search).toBe("?year_group=5");
      expect(await app.page.locator("#filter-year_group").inputValue()).toBe("5");
      const main = await app.page.locator("main").innerText();
      expect(main).not.toContain("no pupil of the school has one");
      expect(main).not.toContain("Not understood in the address");
      const figure = await app.page.getByTestId("attendance-pct").first().textContent();
      expect(figure).toMatch(/^\d+\.\d%$/);
      expect(figure).toBe(await attendance("/?year_group=5"));
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
    // A page's data request (single fetch, a link followed in the app) is sent there too.
    const data = await fetchAs("head", "/_root.data?year_group=Y5");
    expect(await data.text()).toContain("/?year_group=5");
  });

  it("/?fsm=yes is FSM pupils (Y), as `rollcall summary --filter fsm=yes` is; sex=Female is girls", async () => {
    const app = await openApp("/?fsm=yes&sex=Female");
    try {
      expect(new URL(app.page.url()).search).toBe("?fsm=Y&sex=F");
      expect(await app.page.locator("#filter-fsm").inputValue()).toBe("Y");
      expect(await app.page.locator("#filter-sex").inputValue()).toBe("F");
      expect(await app.page.locator("main").innerText()).not.toContain("Not understood in the address");
      expect(await app.page.getByTestId("attendance-pct").first().textContent()).toBe(await attendance("/?fsm=Y&sex=F"));
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("/pupils.csv?reg_group=5a is 5A's pupils, the same file as reg_group=5A", async () => {
    const moved = await fetchAs("head", "/pupils.csv?reg_group=5a");
    expect(moved.status).toBe(302);
    expect(moved.headers.get("Location")).toBe("/pupils.csv?reg_group=5A");
    const rowsOf = async (url: string) => {
      const response = await fetchAs("head", url, { redirect: "follow" });
      expect(response.status, url).toBe(200);
      const [header, ...rows] = parseCsv((await response.text()).replace(/^\uFEFF/, ""));
      return { header, rows };
    };
    const typed = await rowsOf("/pupils.csv?reg_group=5a");
    const stored = await rowsOf("/pupils.csv?reg_group=5A");
    const upn = typed.header.indexOf("UPN");
    const cls = typed.header.findIndex((label) => /^Class$/i.test(label));
    expect(upn).toBeGreaterThanOrEqual(0);
    expect(typed.rows.length).toBeGreaterThan(0);
    expect(typed.rows.map((row) => row[upn])).toEqual(stored.rows.map((row) => row[upn]));
    if (cls >= 0) expect(new Set(typed.rows.map((row) => row[cls]))).toEqual(new Set(["5A"]));
  });

  it("a class that is none of the school's is said on the page and refused by the download, in one form", async () => {
    const app = await openApp("/pupils?reg_group=5z");
    let listed: string;
    try {
      // 5z is no class of the school in any case: read as typed, and said.
      const main = await app.page.locator("main").innerText();
      const said = /Class "5z": no pupil of the school has one \(the school's: ([^)]+)\), so no pupil is shown\./.exec(main);
      expect(said, main.slice(0, 400)).not.toBeNull();
      listed = said![1];
      // The school's classes as the value is quoted: codes a reader can type (5A), not "Class 5A".
      expect(listed.split(", ")).toContain("5A");
      expect(listed).not.toContain("Class ");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
    const csv = await fetchAs("head", "/pupils.csv?reg_group=5z");
    expect(csv.status).toBe(400);
    expect(csv.headers.get("Content-Disposition")).toBeNull();
    expect((await csv.text()).trim()).toBe(`Not downloaded: Class "5z": no pupil of the school has one (the school's: ${listed}), so no file is made.`);
    // A year group is quoted and listed in words.
    expect((await fetchAs("head", "/?year_group=Y9")).headers.get("Location")).toBe("/?year_group=9");
    const page = textOf(await (await fetchAs("head", "/?year_group=9")).text());
    expect(page).toContain('Year group "Year 9": no pupil of the school has one (the school\'s: Year 3, Year 4, Year 5, Year 6), so no pupil is shown.');
  });

  it("a governor's typed spelling opens the same withheld page as the stored one", async () => {
    const PERIOD = "period=half-term&half=autumn-1-2026";
    const read = async (filter: string) => {
      const app = await openApp(`/?${PERIOD}&${filter}`, { as: "governor" });
      try {
        return { search: new URL(app.page.url()).search, notice: (await app.page.getByTestId("withheld-notice").first().textContent())?.trim(), errors: app.consoleErrors };
      } finally {
        await app.close();
      }
    };
    const typed = await read("ethnicity=aban");
    const stored = await read("ethnicity=ABAN");
    expect(typed.search).toBe(`?${PERIOD}&ethnicity=ABAN`);
    expect(typed.notice).toMatch(/withheld for governors/);
    expect(typed.notice).toBe(stored.notice);
    expect([...typed.errors, ...stored.errors]).toEqual([]);
  });
});
