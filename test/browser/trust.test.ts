/**
 * The Trust page on a three-school register (issue 11, "Done when"): three hand-built schools
 * export their registers into one lake (`exportParquet`), the app is started with
 * ROLLCALL_TRUST_LAKE pointing at it, today Friday 13 September 2024, and a head opens Trust
 * and drills into one school. Figures worked by hand, week of Mon 9 – Fri 13 September 2024:
 *
 * - 100001 Alder Primary (target 95 %): A (Y3) present all week; B (Y4) ill Mon and Tue.
 *   20 possible, 4 absent: attendance 80 %, 15 points under target; PA 1 of 2 (50 %), SA 0.
 * - 100002 Birch Junior (target 96.1 %, Ludlow's default): C and D (Y5) present all week;
 *   E (Y6) absent unauthorised (O) all week. 30 possible, 10 absent: 66.7 %; PA 1 (33.3 %),
 *   SA 1 (33.3 %). By year group: Year 5 100 %, Year 6 0 %.
 * - 100003 Cedar Infant: F (Y1) present all week: 100 %.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances, withConnection } from "../../analytics/db.ts";
import { exportParquet } from "../../analytics/lake.ts";
import { setSetting } from "../../analytics/settings.ts";
import { writeMarksUnchecked } from "../../analytics/store.ts";
import { daysOf, seedRegister, type TestPupil } from "../helpers/register.ts";
import { startSignedInApp, type AppSession } from "../helpers/app-session.ts";
import { saveScreenshot } from "../helpers/browser.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-trust-"));
const lake = path.join(dir, "lake");
const WEEK = ["2024-09-09", "2024-09-10", "2024-09-11", "2024-09-12", "2024-09-13"];
const week = (codes: (date: string, i: number) => [string, string]) => Object.fromEntries(WEEK.map((date, i) => [date, codes(date, i)]));
const present = week(() => ["/", "\\"]);
const inYear = (upn: string, year: string): TestPupil => ({ upn, spells: [{ from: "2024-09-01", year_group: year, reg_group: `${year}A` }] });

const SCHOOLS = [
  {
    urn: "100001",
    name: "Alder Primary",
    target: "95",
    pupils: [inYear("A", "3"), inYear("B", "4")],
    marks: [...daysOf("A", present), ...daysOf("B", week((_d, i) => (i < 2 ? ["I", "I"] : ["/", "\\"])))],
  },
  {
    urn: "100002",
    name: "Birch Junior",
    target: null,
    pupils: [inYear("C", "5"), inYear("D", "5"), inYear("E", "6")],
    marks: [...daysOf("C", present), ...daysOf("D", present), ...daysOf("E", week(() => ["O", "O"]))],
  },
  { urn: "100003", name: "Cedar Infant", target: null, pupils: [inYear("F", "1")], marks: daysOf("F", present) },
];

let app: AppSession;

beforeAll(async () => {
  for (const school of SCHOOLS) {
    const db = path.join(dir, `${school.urn}.duckdb`);
    await withConnection(db, async (c) => {
      await seedRegister(c, { pupils: school.pupils, marks: school.marks });
      await setSetting(c, "school_name", school.name);
      if (school.target) await setSetting(c, "target_attendance_pct", school.target);
      await exportParquet(c, { out: lake, school: school.urn });
    });
  }
  await closeAllInstances();
  // The app's own database is Alder's; the trust's schools come from the lake.
  app = await startSignedInApp(path.join(dir, "100001.duckdb"), "head", { ROLLCALL_TODAY: "2024-09-13", ROLLCALL_TRUST_LAKE: lake });
});

afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("Trust page", () => {
  it("compares the three schools side by side and drills into one", async () => {
    const page = await app.context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${app.url}/`, { waitUntil: "networkidle" });
    await page.getByRole("link", { name: "Trust", exact: true }).click();
    await page.getByTestId("trust-schools").waitFor();
    expect(await page.getByTestId("trust-scope").innerText()).toMatch(/^3 schools, academic year 2024\/25 to 13 Sept? 2024/);
    const rows = await page.locator("[data-testid=trust-schools] tbody tr[data-urn]").evaluateAll((trs) =>
      trs.map((tr) => {
        const cells = [...tr.querySelectorAll("td")].map((td) => (td as HTMLElement).dataset.value ?? td.textContent ?? "");
        return [(tr as HTMLElement).dataset.urn, tr.querySelector("th")?.textContent, ...cells.slice(0, 5)];
      }),
    );
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ["100001", "Alder Primary (100001)", "2"],
      ["100002", "Birch Junior (100002)", "3"],
      ["100003", "Cedar Infant (100003)", "1"],
    ]);
    const number = (text: string | null | undefined) => Number(text);
    // Attendance, PA, SA (data-value: unrounded); against target as printed.
    expect(number(rows[0][3])).toBeCloseTo(80, 10);
    expect(number(rows[0][4])).toBeCloseTo(-15, 10);
    expect(number(rows[0][5])).toBeCloseTo(50, 10);
    expect(number(rows[0][6])).toBe(0);
    expect(number(rows[1][3])).toBeCloseTo((100 * 20) / 30, 10);
    // Against target: the difference of the printed figures, 66.7 − 96.1 (analytics/printed-difference.ts).
    expect(number(rows[1][4])).toBe(-29.4);
    expect(number(rows[1][5])).toBeCloseTo(100 / 3, 10);
    expect(number(rows[1][6])).toBeCloseTo(100 / 3, 10);
    expect(number(rows[2][3])).toBe(100);
    expect(await page.locator("[data-urn='100001'] td").nth(2).innerText()).toMatch(/^15\.0 pts below target\s+\(target 95\.0%\)$/);
    // National figures sit beside the aged 5–15 columns, from the shipped DfE release.
    expect(await page.getByTestId("trust-national").innerText()).toMatch(/\d+\.\d%\s+\d+\.\d%$/);
    // Another period's figure than the schools' 2024/25 to 13 Sep: for reference only, no verdict,
    // as the Benchmarks page says it (trial 53: nothing was said).
    expect(await page.getByTestId("trust-national-caveat").innerText()).toMatch(
      /^For reference only: the published figure is for \d{4}\/\d{2} [^,]+, the school's for 2024\/25 to 13 Sept? 2024( \([^)]+\))? — not the same period, so no verdict\.$/,
    );
    // The sentences under the table stand apart (trial 47: "in points.Persistent absence").
    expect(await page.locator("p.hint", { hasText: "Against target" }).innerText()).toContain("in points. Persistent absence: 10% or more");
    // Every register runs to Friday 13 September: none is said to end early.
    expect(await page.getByTestId("trust-ends-early").count()).toBe(0);
    await saveScreenshot(page, "trust-schools");

    // Drill into Birch Junior: by year group, then by another breakdown.
    await page.getByRole("link", { name: "Birch Junior" }).click();
    await page.getByTestId("trust-opened").waitFor();
    expect(await page.locator("#trust-opened-heading").innerText()).toBe("Birch Junior by year group");
    const byYear = await page.locator("[data-testid=trust-breakdown] tbody tr").evaluateAll((trs) =>
      trs.map((tr) => [tr.querySelector("th")?.textContent, (tr.querySelectorAll("td")[0] as HTMLElement).textContent, (tr.querySelectorAll("td")[1] as HTMLElement).dataset.value]),
    );
    expect(byYear).toEqual([
      ["Year 5", "2", "100"],
      ["Year 6", "1", "0"],
    ]);
    await saveScreenshot(page, "trust-drill-down");
    await page.getByRole("link", { name: "FSM", exact: true }).click();
    await page.locator("#trust-opened-heading", { hasText: "Birch Junior by FSM" }).waitFor();

    // A year in which no school has marks is not offered, and typed is said, with the year shown (trial 28: the picker offered empty years).
    expect(await page.locator('select[name="year"] option').allInnerTexts()).toEqual(["2024/25"]);
    await page.goto(`${app.url}/trust?year=2023%2F24&school=100001`, { waitUntil: "networkidle" });
    expect(await page.getByTestId("address-notice").innerText()).toBe('Not understood in the address: year "2023/24" (expected one of 2024/25). Showing 2024/25.');
    expect(await page.getByTestId("trust-scope").innerText()).toMatch(/academic year 2024\/25 to 13 Sept? 2024/);
    // The year as the lake's folders write it (academic_year=2024-25) is read as 2024/25, not refused (trial 26).
    await page.goto(`${app.url}/trust?year=2024-25&school=100001`, { waitUntil: "networkidle" });
    expect(await page.getByTestId("trust-scope").innerText()).toMatch(/academic year 2024\/25 to 13 Sept? 2024/);
    expect(await page.getByTestId("address-notice").count()).toBe(0);
    // A URN the lake does not hold is said, not ignored.
    await page.goto(`${app.url}/trust?school=999999`, { waitUntil: "networkidle" });
    expect(await page.getByTestId("trust-unknown-school").innerText()).toBe("No school with URN 999999 is in the trust's register.");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("lands on the school's breakdown when a school is chosen on a phone (trial 53: the page reloaded at its top, the breakdown below the whole table)", async () => {
    const phone = await app.browser.newContext({ locale: "en-GB", viewport: { width: 390, height: 844 } });
    try {
      await phone.addCookies(await app.context.cookies());
      const page = await phone.newPage();
      await page.goto(`${app.url}/trust`, { waitUntil: "networkidle" });
      await page.waitForSelector("html[data-hydrated]", { state: "attached" });
      const inView = () => page.locator("#trust-opened-heading").evaluate((h) => h.getBoundingClientRect().top >= 0 && h.getBoundingClientRect().bottom <= window.innerHeight);
      await page.getByRole("link", { name: "Birch Junior" }).click();
      await page.locator("#trust-opened-heading", { hasText: "Birch Junior by year group" }).waitFor();
      await expect.poll(inView).toBe(true);
      // Below the whole table: a page at its top would not show it.
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
      await saveScreenshot(page, "phone-trust-drill-down");
      // Another breakdown of the school lands there too.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.locator("[data-testid=trust-opened]").getByRole("link", { name: "FSM", exact: true }).click();
      await page.locator("#trust-opened-heading", { hasText: "Birch Junior by FSM" }).waitFor();
      await expect.poll(inView).toBe(true);
      // Without JavaScript, the address's fragment does the same.
      const plain = await app.browser.newContext({ locale: "en-GB", viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
      try {
        await plain.addCookies(await app.context.cookies());
        const still = await plain.newPage();
        await still.goto(`${app.url}/trust`, { waitUntil: "networkidle" });
        await still.getByRole("link", { name: "Cedar Infant" }).click();
        await still.locator("#trust-opened-heading", { hasText: "Cedar Infant by year group" }).waitFor();
        expect(await still.locator("#trust-opened-heading").evaluate((h) => h.getBoundingClientRect().top >= 0 && h.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);
      } finally {
        await plain.close();
      }
    } finally {
      await phone.close();
    }
  });

  it("shows a school's new figures after it exports again, the other schools' unchanged", async () => {
    const page = await app.context.newPage();
    const attendance = () =>
      page.locator("[data-testid=trust-schools] tbody tr[data-urn]").evaluateAll((trs) =>
        trs.map((tr) => [(tr as HTMLElement).dataset.urn, (tr.querySelectorAll("td")[1] as HTMLElement).dataset.value]),
      );
    await page.goto(`${app.url}/trust`, { waitUntil: "networkidle" });
    const before = await attendance();
    expect(before[2]).toEqual(["100003", "100"]);
    // Cedar Infant's F is absent, unauthorised, all of Fri 6 Sep (a day not marked before) and the
    // school exports again while the app runs: F has 12 possible sessions, 2 absent, 83.3 %.
    await withConnection(path.join(dir, "100003.duckdb"), async (c) => {
      await writeMarksUnchecked(c, daysOf("F", { "2024-09-06": ["O", "O"] }).map(([upn, date, session, code]) => ({ upn, date, session, code, minutesLate: null })));
      await exportParquet(c, { out: lake, school: "100003" });
    });
    await closeAllInstances();
    await page.goto(`${app.url}/trust`, { waitUntil: "networkidle" });
    const after = await attendance();
    expect(after.slice(0, 2)).toEqual(before.slice(0, 2));
    expect(after[2][0]).toBe("100003");
    expect(Number(after[2][1])).toBeCloseTo((100 * 10) / 12, 10);
    await page.close();
  });

  it("sends a reader no path of the server, in the page or its data (trial 46: the lake's directory went to every reader)", async () => {
    const page = await app.context.newPage();
    for (const address of ["/trust", "/trust.data", "/trust.data?school=100002"]) {
      const response = await page.request.get(`${app.url}${address}`);
      expect(response.status()).toBe(200);
      const body = await response.text();
      // The page's figures are there; the directory of the lake (or of anything under `dir`) is not.
      expect(body).toContain("Birch Junior");
      expect(body).not.toContain(dir);
    }
    await page.close();
  });

  it("logs at start-up which lake it serves and the three schools found there", () => {
    expect(app.log()).toContain(`[rollcall] trust lake ${path.resolve(lake)}: 3 schools (100001, 100002, 100003)\n`);
  });

  it("prepares the Trust page in the background with the school's pages (app/lib/warm-up.server.ts)", async () => {
    let round: string | undefined;
    for (let waited = 0; !round && waited < 60_000; waited += 250) {
      round = app.log().split("\n").find((line) => line.includes("page views prepared"));
      if (!round) await new Promise((r) => setTimeout(r, 250));
    }
    // The 16 staff pages as a head, the Trust page and the governors' 8, the two packs' documents and PDFs, then the staff pages
    // made ahead for SLT, the attendance lead and the administrator (48) and the Import,
    // Imports and Settings pages for each staff role that may open them (10), and the Users
    // page as an administrator: 88; then the pages whose addresses the register decides
    // (app/lib/warm-up-opened.server.ts): the Audit page (head, admin), the Trust page for the
    // other three staff roles, and the Account page of each of the five accounts with a live
    // session and the administrator's Users page: 11 (no pack yet, no import numbered from 1).
    expect(round).toMatch(/\[rollcall\] 99 page views prepared in [\d.]+ s/);
  });

  // Last of the page's cases: it adds a fourth school to the lake.
  it("names a school whose register ends before the others' (trial20b: counted to an earlier day, unremarked)", async () => {
    // Damson Primary exported on Wednesday 11 September: its figures stop two days before the others'.
    await withConnection(path.join(dir, "100004.duckdb"), async (c) => {
      await seedRegister(c, { pupils: [inYear("G", "2")], marks: daysOf("G", Object.fromEntries(WEEK.slice(0, 3).map((date) => [date, ["/", "\\"]]))) });
      await setSetting(c, "school_name", "Damson Primary");
      await exportParquet(c, { out: lake, school: "100004" });
    });
    await closeAllInstances();
    const page = await app.context.newPage();
    await page.goto(`${app.url}/trust`, { waitUntil: "networkidle" });
    expect(await page.getByTestId("trust-ends-early").innerText()).toMatch(/^One school's register ends before the others' \(named in the table\)/);
    expect(await page.getByTestId("trust-register-ends").allInnerTexts()).toEqual(["Register to 11 Sep 2024 only: its figures stop before the other schools'"]);
    expect(await page.locator("[data-urn='100004'] [data-testid=trust-register-ends]").count()).toBe(1);
    await saveScreenshot(page, "trust-register-ends-early");
    await page.close();
  });

  // Each role's access (governors refused) is checked for every route by test/browser/access.test.ts.
  it("is refused without sign-in", async () => {
    const response = await fetch(`${app.url}/trust`, { redirect: "manual" });
    expect([302, 303, 401, 403]).toContain(response.status);
  });
});

