/**
 * The report packs in real Chromium against the built app on the demo school: the index
 * leads to each pack, the pack document shows in its frame, the downloads are a real PDF
 * and a real workbook, and commentary written in the form appears in the pack.
 */
import fs from "node:fs";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, fetchAs, openApp, saveScreenshot, waitForPage } from "../helpers/browser.ts";
import { generateDemoSchool } from "../../analytics/demo/index.ts";
import { DEMO_TODAY } from "../setup/app-server.ts";
import { namedTiming } from "../helpers/page-answer.ts";

afterAll(() => closeBrowser());

/** The audit trail's rows for `search` (the Audit page's own filter), as the administrator reads them. */
async function auditTable(search: string): Promise<string[][]> {
  const app = await openApp(`/audit?${search}`);
  try {
    return await app.page.locator("[data-testid=audit-table] tbody tr").evaluateAll((rows) =>
      rows.map((row) => Array.from(row.querySelectorAll("td")).map((td) => (td.textContent ?? "").trim())),
    );
  } finally {
    await app.close();
  }
}

describe("report packs", () => {
  it("opens the SLT pack for the chosen month from the index, by keyboard", async () => {
    const app = await openApp("/packs");
    try {
      expect(await app.page.locator("main h1").textContent()).toBe("Report packs");
      await saveScreenshot(app.page, "packs-index");
      await app.page.selectOption("#slt-month", "2026-10");
      await app.page.focus("#slt-month");
      await app.page.keyboard.press("Tab");
      await app.page.keyboard.press("Enter");
      await waitForPage(app.page, /\/packs\/slt\?month=2026-10/);
      expect(await app.page.locator("main h1").textContent()).toBe("Monthly SLT pack: October 2026");
      const frame = app.page.frameLocator("iframe.pack-frame");
      await expect(frame.locator("h1").textContent()).resolves.toBe("Monthly attendance pack for the senior leadership team");
      await expect(frame.locator("#pa-movement h2").textContent()).resolves.toContain("Persistent absence");
      expect(await frame.locator("svg.pack-chart").count()).toBeGreaterThan(3);
      await saveScreenshot(app.page, "packs-slt");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  for (const javaScript of [true, false]) {
    it(`says "Preparing the pack…" until the frame's document has come, ${javaScript ? "and takes it away on load" : "without JavaScript too (the document covers it)"}`, async () => {
      const app = await openApp("/packs", { javaScript });
      try {
        // The document held back, as a month not made yet is (about 2 s), until the words are checked.
        let release = () => {};
        const held = new Promise<void>((resolve) => (release = resolve));
        await app.page.route(/\/packs\/slt\/html\?/, async (route) => {
          await held;
          await route.continue();
        });
        await app.page.goto(`${new URL(app.page.url()).origin}/packs/slt?month=2026-09`, { waitUntil: "domcontentloaded" });
        const words = app.page.getByTestId("pack-preparing");
        expect(await words.innerText()).toBe("Preparing the pack…");
        // Seen, not only in the page: its place looks different with the words hidden.
        const shown = async () => {
          const box = (await words.boundingBox())!;
          const clip = { x: box.x, y: box.y, width: box.width, height: box.height };
          const withWords = await app.page.screenshot({ clip });
          await words.evaluate((el) => ((el as HTMLElement).style.visibility = "hidden"));
          const without = await app.page.screenshot({ clip });
          await words.evaluate((el) => ((el as HTMLElement).style.visibility = ""));
          return !withWords.equals(without);
        };
        // The page's first paint waits for its stylesheet (render-blocking), which a loaded
        // machine may not have served by DOMContentLoaded: until then a screenshot is blank and
        // the words "not seen". Asked again until painted, the frame's document still held.
        await expect.poll(shown, { timeout: 10_000 }).toBe(true);
        release();
        const frame = app.page.frameLocator("iframe.pack-frame");
        await expect(frame.locator("h1").textContent()).resolves.toBe("Monthly attendance pack for the senior leadership team");
        if (javaScript) {
          await words.waitFor({ state: "hidden" });
          expect(await app.page.getByTestId("pack-frame").getAttribute("aria-busy")).toBe("false");
        } else {
          // Still in the page, under the document's white page.
          await app.page.waitForLoadState("load");
          expect(await shown()).toBe(false);
        }
      } finally {
        await app.close();
      }
    });
  }

  it("downloads the SLT pack as a PDF and as a workbook", async () => {
    const app = await openApp("/packs/slt?month=2026-10");
    try {
      const [pdf] = await Promise.all([app.page.waitForEvent("download"), app.page.getByRole("link", { name: "Download PDF" }).click()]);
      expect(pdf.suggestedFilename()).toBe("rollcall-slt-pack-2026-10.pdf");
      const pdfBytes = fs.readFileSync((await pdf.path())!);
      expect(pdfBytes.subarray(0, 5).toString()).toBe("%PDF-");
      const [xlsx] = await Promise.all([app.page.waitForEvent("download"), app.page.getByRole("link", { name: "Download Excel workbook" }).click()]);
      expect(xlsx.suggestedFilename()).toBe("rollcall-slt-pack-2026-10.xlsx");
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(fs.readFileSync((await xlsx.path())!) as unknown as ArrayBuffer);
      expect(workbook.worksheets.map((s) => s.name)).toEqual(expect.arrayContaining(["Weekly attendance to date", "Termly attendance to date", "Annual attendance to date"]));
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("saves the head's commentary and shows it in the governors' pack", async () => {
    const app = await openApp("/packs/fgb?term=autumn-2026");
    try {
      expect(await app.page.locator("main h1").textContent()).toBe("Governors' pack: Autumn 2026 to the end of Autumn 1");
      const note = `Walking bus started in October (${Date.now()}).`;
      await app.page.fill("#body-interventions", note);
      await app.page.getByRole("button", { name: "Save commentary" }).click();
      await waitForPage(app.page, /saved=1/);
      expect(await app.page.locator("text=Commentary saved").count()).toBe(1);
      const frame = app.page.frameLocator("iframe.pack-frame");
      await expect(frame.locator("#interventions .commentary").textContent()).resolves.toContain(note);
      await expect(frame.locator("#interventions .commentary__by").textContent()).resolves.toContain("Test head, Headteacher");
      expect(await app.page.locator("#body-interventions").inputValue()).toBe(note);
      expect(await app.page.locator("text=Last saved by Test head (Headteacher)").count()).toBe(1);
      await saveScreenshot(app.page, "packs-fgb");
      // The frame is as tall as the pack (one scrollbar, the page's): nothing scrolls inside it.
      const sizes = await app.page.locator("iframe.pack-frame").evaluate((el) => {
        const frame = el as HTMLIFrameElement;
        return { frame: frame.clientHeight, content: frame.contentDocument!.documentElement.scrollHeight };
      });
      expect(sizes.content).toBeGreaterThan(2000);
      expect(Math.abs(sizes.frame - sizes.content), JSON.stringify(sizes)).toBeLessThanOrEqual(2);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("saves commentary naming staff by role, refuses a pupil's family (by \"the … family\" or by title and surname), and says the rule (fresh-clone trials, sessions 17 and 20)", async () => {
    // A demo pupil's surname, as a member of staff would share it.
    const pupils = generateDemoSchool({ today: DEMO_TODAY }).pupilSnapshots.at(-1)!.csv.trim().split(/\r?\n/);
    const surname = pupils[1].split(",")[pupils[0].split(",").indexOf("surname")];
    const app = await openApp("/packs/fgb?term=autumn-2026");
    try {
      expect(await app.page.locator("p.hint", { hasText: "Name a member of staff by their role" }).count()).toBe(1);
      await app.page.fill("#body-next-steps", `the ${surname} family will meet the attendance lead.`);
      await app.page.getByRole("button", { name: "Save commentary" }).click();
      const refusal = app.page.locator(".error-summary");
      await refusal.waitFor();
      await expect(refusal.textContent()).resolves.toContain(`“the ${surname} family” (a pupil's family by surname)`);
      await expect(refusal.textContent()).resolves.toContain("Name a member of staff by their role (“the attendance lead”)");
      await saveScreenshot(app.page, "packs-fgb-commentary-refused");
      // A title and a pupil's surname names the pupil's family (session 20; session 17 had saved it as staff): refused with why.
      await app.page.fill("#body-next-steps", `Mrs ${surname} came in about her daughter.`);
      await app.page.getByRole("button", { name: "Save commentary" }).click();
      await app.page.locator(".error-summary", { hasText: `names a pupil's family: “Mrs ${surname}” — a pupil's surname; if this is a member of staff, write their role instead` }).waitFor();
      await saveScreenshot(app.page, "packs-fgb-commentary-family-refused");
      // Staff named by their role are saved.
      const staff = "The attendance lead will lead the attendance meetings.";
      await app.page.fill("#body-next-steps", staff);
      await app.page.getByRole("button", { name: "Save commentary" }).click();
      await waitForPage(app.page, /saved=1/);
      await expect(app.page.frameLocator("iframe.pack-frame").locator("#next-steps .commentary").textContent()).resolves.toContain(staff);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("shows a governor the pack but no commentary form", async () => {
    const app = await openApp("/packs/fgb?term=autumn-2026", { as: "governor" });
    try {
      expect(await app.page.locator("main h1").textContent()).toBe("Governors' pack: Autumn 2026 to the end of Autumn 1");
      expect(await app.page.locator("form.commentary-form").count()).toBe(0);
      // The term is not over: the file is named by what it covers (Autumn 1), as the title is.
      const [pdf] = await Promise.all([app.page.waitForEvent("download"), app.page.getByRole("link", { name: "Download PDF" }).click()]);
      expect(pdf.suggestedFilename()).toBe("rollcall-fgb-pack-autumn-2026-to-autumn-1.pdf");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("offers a governor only the governors' pack, with direct links to the latest term's", async () => {
    const app = await openApp("/packs", { as: "governor" });
    try {
      expect(await app.page.locator("main h2").allTextContents()).toEqual(["Termly governors' (FGB) pack"]);
      const latest = app.page.getByTestId("fgb-latest");
      expect(await latest.textContent()).toContain("Latest, Autumn 2026 to the end of Autumn 1");
      expect(await latest.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href")))).toEqual([
        "/packs/fgb?term=autumn-2026",
        "/packs/fgb/pdf?term=autumn-2026",
        "/packs/fgb/xlsx?term=autumn-2026",
      ]);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("makes a pack file once per state of the register, sends the kept file to the next reader, records every download, and makes it again after a commit (issue 11)", async () => {
    // A month no other test downloads, so the first request here is the one that makes it.
    const path = "/packs/slt/pdf?month=2026-09";
    const downloads = async () => (await auditTable("action=pack_download")).filter((row) => row.includes("rollcall-slt-pack-2026-09.pdf")).length;
    const before = await downloads();
    const first = await fetchAs("head", path);
    expect([first.status, namedTiming(first.headers.get("server-timing"))]).toEqual([200, 'pack;desc="made"']);
    const bytes = Buffer.from(await first.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const second = await fetchAs("slt", path);
    expect([second.status, namedTiming(second.headers.get("server-timing"))]).toEqual([200, 'pack;desc="kept"']);
    expect(Buffer.from(await second.arrayBuffer()).equals(bytes)).toBe(true);
    // Each reader's download is in the audit trail, the file made or kept.
    expect(await downloads()).toBe(before + 2);
    // A commit (commentary saved) moves the register's state on: the file is made again.
    const app = await openApp("/packs/fgb?term=autumn-2026");
    try {
      await app.page.fill("#body-successes", `Kept files are made again after a save (${Date.now()}).`);
      await app.page.getByRole("button", { name: "Save commentary" }).click();
      await waitForPage(app.page, /saved=1/);
    } finally {
      await app.close();
    }
    const third = await fetchAs("head", path);
    expect([third.status, namedTiming(third.headers.get("server-timing"))]).toEqual([200, 'pack;desc="made"']);
  });

  it("sends a download link without its term or month to the pack's page", async () => {
    for (const [role, path, page] of [
      ["governor", "/packs/fgb/pdf", "/packs/fgb"],
      ["governor", "/packs/fgb/xlsx", "/packs/fgb"],
      ["head", "/packs/slt/pdf", "/packs/slt"],
    ] as const) {
      const response = await fetchAs(role, path, { redirect: "manual" });
      expect([path, response.status, response.headers.get("location")]).toEqual([path, 302, page]);
    }
  });

  it("explains a bad period and shows the default month's pack (not an error page, not a 400)", async () => {
    const app = await openApp("/packs/slt?month=2031-01");
    try {
      expect(await app.page.locator("main h1").textContent()).toMatch(/^Monthly SLT pack: /);
      expect(await app.page.getByTestId("pack-notice").textContent()).toMatch(/^January 2031 has not started yet \(today is .*\)\. Showing .* instead\.$/);
    } finally {
      await app.close();
    }
  });
});
