/**
 * A CSV download the server refuses, clicked in real Chromium (a fresh-clone trial: the browser
 * showed only a failed download): the page gives the link without `download` when its address
 * would be refused, and the CSV route answers a browser opening it with a page that says why
 * and links back. A good address still downloads. The Casework page says the register stops
 * (marks to Fri 27 Mar 2026, today Fri 17 Apr: test/helpers/leave-register.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../../analytics/db.ts";
import { seedLeaveRegister } from "../helpers/leave-register.ts";
import { startSignedInApp, type AppSession } from "../helpers/app-session.ts";
import { appUrl, closeBrowser, openApp, saveScreenshot } from "../helpers/browser.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-refused-"));
const db = path.join(dir, "school.duckdb");
let app: AppSession;

beforeAll(async () => {
  await withConnection(db, seedLeaveRegister);
  app = await startSignedInApp(db, "attendance_lead", { ROLLCALL_TODAY: "2026-04-17" });
});

afterAll(async () => {
  await closeBrowser();
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("a refused CSV clicked in the browser", () => {
  for (const [list, testId, back] of [
    // The Pupils page shows its table with no pupil only when the list's own search narrowed it (a refused filter alone: no CSV link).
    ["/pupils?year_group=9&q=zz", "pupils-csv", "Back to the Pupils list"],
    ["/casework?year_group=9", "casework-csv", "Back to Casework"],
  ] as const) {
    it(`${list}: a page that says why, and the way back`, async () => {
      const page = await app.context.newPage();
      try {
        await page.goto(`${app.url}${list}`, { waitUntil: "networkidle" });
        // The page does not promise the file (trial23b: "CSV has all 240 pupils", then refused).
        // It says why, in the refusal's own words (a range the register does not reach had read as "a value … not understood").
        expect(await page.getByTestId(`${testId}-note`).innerText()).toBe('No CSV for this address: Year group "Year 9": no pupil of the school has one (the school\'s: Year 3), so no file is made.');
        await Promise.all([page.waitForURL((url) => url.pathname.endsWith(".csv")), page.getByTestId(testId).click()]);
        expect(await page.locator("h1").innerText()).toBe("Not downloaded");
        // In the app's look: its stylesheet (the page's layout and heading size) and its header.
        expect(await page.locator("main.page").evaluate((main) => getComputedStyle(main).maxWidth)).toBe("1280px");
        expect(await page.locator("h1").evaluate((h1) => getComputedStyle(h1).fontSize)).toBe("36px");
        expect(await page.locator(".site-header__brand").innerText()).toBe("Rollcall");
        expect(await page.getByTestId("refused-words").innerText()).toBe(
          // The heading says "Not downloaded"; the notice does not say it again (trial 24b).
          'Year group "Year 9": no pupil of the school has one (the school\'s: Year 3), so no file is made.',
        );
        await saveScreenshot(page, `refused-download-${testId}`);
        await Promise.all([page.waitForURL((url) => !url.pathname.endsWith(".csv")), page.getByRole("link", { name: back }).click()]);
        expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(list);
      } finally {
        await page.close();
      }
    });
  }

  it("filters the school has that match no pupil (the demo school's Year 4 in class 3A) still give the CSV: its columns, no pupil; a refused filter gives no link", async () => {
    const demo = await openApp("/pupils?year_group=4&reg_group=3A");
    try {
      const { page } = demo;
      expect(await page.getByTestId("no-pupils").isVisible()).toBe(true);
      expect((await page.getByTestId("pupils-csv-note").innerText()).trim()).toBe("CSV has no pupils: the columns only");
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("pupils-csv").click()]);
      expect(await download.failure()).toBeNull();
      const lines = fs.readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "").split("\r\n").filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^UPN,Pupil,.*,Trend judged$/);
      // A year group the school does not have: no file to offer (the note at the top says why).
      await page.goto(appUrl("/pupils?year_group=9"), { waitUntil: "networkidle" });
      expect(await page.getByTestId("no-pupils").isVisible()).toBe(true);
      expect(await page.getByTestId("pupils-csv").count()).toBe(0);
    } finally {
      await demo.close();
    }
  });

  it("a good address still downloads, and Casework says the register stops", async () => {
    const page = await app.context.newPage();
    try {
      await page.goto(`${app.url}/casework`, { waitUntil: "networkidle" });
      expect(await page.getByTestId("casework-register").innerText()).toMatch(/^Marks imported up to Fri 27 Mar 2026; the 4 school days since have none yet/);
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("casework-csv").click()]);
      expect(await download.failure()).toBeNull();
      const text = fs.readFileSync((await download.path())!, "utf8");
      expect(text.split("\r\n")[0]).toMatch(/,Register$/);
    } finally {
      await page.close();
    }
  });

  // Trial 28: a pack's or the benchmark report's download with a value it cannot use sent a 302 to
  // the page; now refused as every download is, naming the parameter and the value, with the way back.
  for (const [address, words, back, backTo] of [
    ["/packs/slt/pdf?month=2026-13", 'Not understood in the address: month "2026-13" (expected a month such as 2026-03), so no file is made.', "Back to the SLT pack", "/packs/slt?month=2026-13"],
    // Trial 29: no area has figures for the year, so none is suggested (E12000004 was, with none).
    ["/benchmarks/report/csv?area=XYZ", /^Not understood in the address: area "XYZ" \(expected nothing: no region's or local authority's figures are loaded for \d{4}\/\d{2} \(import the DfE file with them\)\), so no file is made\.$/, "Back to Benchmarks", "/benchmarks?area=XYZ"],
  ] as const) {
    it(`${address} opened by the head: 400, a page that names the value, and the way back`, async () => {
      const opened = await openApp("/definitions", { as: "head" });
      try {
        const { page } = opened;
        const response = await page.goto(appUrl(address), { waitUntil: "networkidle" });
        expect(response?.status()).toBe(400);
        expect(await page.locator("h1").innerText()).toBe("Not downloaded");
        if (typeof words === "string") expect(await page.getByTestId("refused-words").innerText()).toBe(words);
        else expect(await page.getByTestId("refused-words").innerText()).toMatch(words);
        await saveScreenshot(page, `refused-download-${address.split("/")[1]}`);
        await page.getByRole("link", { name: back }).click();
        await page.waitForLoadState("networkidle");
        expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(backTo);
      } finally {
        await opened.close();
      }
    });
  }

  // trial24b's look at the merged work: a governor opening a pupils' CSV, or anyone signed out,
  // was shown a bare line of text; each download route refuses by role through requireRole.
  for (const [who, address, status, words, link] of [
    ["governor", "/pupils.csv", 403, /^Your role \(Governor\) may not see pupils' names, registers or casework: that is for /, "Return to the overview"],
    ["governor", "/packs/slt/pdf?month=2026-10", 403, /^Your role \(Governor\) may not see the SLT pack, which names pupils: /, "Return to the overview"],
    [null, "/casework.csv", 401, /^Sign in to Rollcall to download this file\.$/, "Sign in"],
  ] as const) {
    it(`${address} opened by ${who ?? "someone signed out"}: ${status}, a page in the app's look that says why; fetched, plain text`, async () => {
      const opened = await openApp("/definitions", { as: who });
      try {
        const { page } = opened;
        const response = await page.goto(appUrl(address), { waitUntil: "networkidle" });
        expect(response?.status()).toBe(status);
        expect(await page.locator("h1").innerText()).toBe("Not downloaded");
        expect(await page.locator("main.page").evaluate((main) => getComputedStyle(main).maxWidth)).toBe("1280px");
        expect(await page.getByTestId("refused-words").innerText()).toMatch(words);
        await page.getByRole("link", { name: link }).click();
        await page.waitForLoadState("networkidle");
        expect(new URL(page.url()).pathname).toBe(who === null ? "/login" : "/");
        if (who === null) expect(new URL(page.url()).searchParams.get("redirectTo")).toBe(address);
        // Fetched (a script, curl): the words alone, as before.
        const fetched = await page.evaluate(async (url) => {
          const r = await fetch(url);
          return { type: r.headers.get("content-type"), text: await r.text() };
        }, address);
        expect(fetched.type).toBe("text/plain; charset=utf-8");
        expect(fetched.text).toMatch(words);
      } finally {
        await opened.close();
      }
    });
  }
});
