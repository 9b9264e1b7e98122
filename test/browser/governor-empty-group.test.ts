/**
 * Issue 13, cases 8–9 (trial18b): a governor filtering a page to a pupil group with no pupil in
 * the period read "There are no register marks … for these pupils", and to one with 1 to 4
 * pupils "withheld": so whether the group had a pupil showed. Now both read the same page —
 * the same withheld notice, with the same reason at the foot (analytics/withheld-rule.ts); staff
 * still read "no register marks" for the empty group.
 *
 * The demo school (built for 23 November 2026), Autumn 1 2026: no pupil of Bangladeshi
 * ethnicity (ABAN) and one Pakistani pupil (APKN), counted by hand from the demo's register
 * (its pupils by ethnicity per half term).
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp, saveScreenshot } from "../helpers/browser.ts";

afterAll(() => closeBrowser());

const PAGES = ["/", "/trends", "/codes", "/patterns", "/classes"];
const PERIOD = "period=half-term&half=autumn-1-2026";
const EMPTY = "ethnicity=ABAN";
const SMALL = "ethnicity=APKN";

/** The withheld notice and the footnote's reason as a governor reads them, and whether "no marks" is shown. */
async function read(page: string, filter: string, as: "governor" | "head"): Promise<{ notice: string | null; footnote: string | null; noMarks: boolean; main: string; errors: string[] }> {
  const app = await openApp(`${page}?${PERIOD}&${filter}`, { as });
  try {
    const text = async (id: string) => ((await app.page.getByTestId(id).count()) > 0 ? ((await app.page.getByTestId(id).first().textContent()) ?? "").trim() : null);
    // The whole page as read, the group's name aside (the filter says which was chosen).
    const main = (await app.page.locator("main").innerText()).replace(/\(pupils: [^)]*\)|pupils: (Bangladeshi|Pakistani)/g, "pupils: the group");
    const found = { notice: await text("withheld-notice"), footnote: await text("withheld-footnote"), noMarks: (await app.page.getByTestId("no-marks").count()) > 0, main, errors: app.consoleErrors };
    if (as === "governor") await saveScreenshot(app.page, `governor-${filter.replace("=", "-")}${page === "/" ? "-overview" : page.replace("/", "-")}`);
    return found;
  } finally {
    await app.close();
  }
}

describe("a governor's filter to a group with no pupil reads as one with a few", () => {
  for (const page of PAGES) {
    it(`${page}: no pupil and one pupil read the same withheld notice and reason; staff read "no register marks" for none`, async () => {
      const empty = await read(page, EMPTY, "governor");
      const small = await read(page, SMALL, "governor");
      expect(small.notice).toMatch(/withheld for governors/);
      expect(empty.notice).toBe(small.notice);
      expect(empty.footnote).toMatch(/For governors, figures for groups of fewer than 5 pupils/);
      expect(empty.footnote).toBe(small.footnote);
      // Nothing else on the page tells them apart either (the Overview's "what changed" read
      // "not yet two half terms … to compare" for none, "withheld" for one).
      expect(empty.main).toBe(small.main);
      expect(empty.noMarks).toBe(false);
      expect(small.noMarks).toBe(false);
      expect([...empty.errors, ...small.errors]).toEqual([]);
      const staff = await read(page, EMPTY, "head");
      expect(staff.noMarks).toBe(true);
      expect(staff.notice).toBeNull();
    }, 120_000);
  }
});

/**
 * Session 21 (a fresh-clone trial): a class with no pupil ("Not assigned") read "There are no
 * register marks … for these pupils", and an ethnicity no pupil has was said outright ("no pupil
 * of the school has one"). Now a governor reads every value with no pupil as withheld, on every
 * aggregate page; a value that is no value of the filter at all ("XXXX", no DfE code) is said
 * to be so, and reads withheld too. test/governor-empty-values.test.ts compares the loaders'
 * whole data for none and one pupil on a register built by hand.
 */
describe("a governor's class or ethnicity with no pupil, typed into the address, reads withheld", () => {
  const ALL_PAGES = [...PAGES, "/groups"];
  for (const page of ALL_PAGES) {
    it(`${page}: class "Not assigned", ethnicity ABAN and XXXX (or the page's other values with none) read the withheld notice, never "no register marks" nor "no pupil of the school"`, async () => {
      // Groups compares characteristics itself: a governor's filter there is a year group.
      const filters = page === "/groups" ? ["year_group=99"] : page === "/classes" ? ["reg_group=Not+assigned", "year_group=99"] : ["reg_group=Not+assigned", EMPTY, "ethnicity=XXXX"];
      for (const filter of filters) {
        const read = await (async () => {
          const app = await openApp(`${page}?${PERIOD}&${filter}`, { as: "governor" });
          try {
            const main = await app.page.locator("main").innerText();
            return { main, noMarks: (await app.page.getByTestId("no-marks").count()) > 0, notice: (await app.page.getByTestId("withheld-notice").count()) > 0, errors: app.consoleErrors };
          } finally {
            await app.close();
          }
        })();
        expect(read.noMarks, `${page} ${filter}`).toBe(false);
        expect(read.main, `${page} ${filter}`).not.toMatch(/no register marks|no pupil of the school/i);
        expect(read.notice, `${page} ${filter}`).toBe(true);
        if (filter === "ethnicity=XXXX") expect(read.main).toMatch(/Ethnicity "XXXX": not a DfE ethnicity code/);
        expect(read.errors).toEqual([]);
      }
    }, 180_000);
  }
});
