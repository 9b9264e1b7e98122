/**
 * A server with no Chromium to print with (trial 29: a fresh clone on a machine without it
 * answered every PDF with a bare "Unexpected Server Error", the cause only in the server's log):
 * a PDF download now answers 503 in words that say what to install — a page in the app's look
 * when the browser opens it, plain text to a script — and what needs no printer still works.
 * The register: test/helpers/leave-register.ts (marks to Fri 27 Mar 2026, today Fri 17 Apr).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../../analytics/db.ts";
import { seedLeaveRegister } from "../helpers/leave-register.ts";
import { startSignedInApp, type AppSession } from "../helpers/app-session.ts";
import { closeBrowser, saveScreenshot } from "../helpers/browser.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-printer-"));
const db = path.join(dir, "school.duckdb");
const missing = path.join(dir, "no-chromium-here");
let app: AppSession;

beforeAll(async () => {
  await withConnection(db, seedLeaveRegister);
  app = await startSignedInApp(db, "head", { ROLLCALL_TODAY: "2026-04-17", ROLLCALL_CHROMIUM: missing });
});

afterAll(async () => {
  await closeBrowser();
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const words = `PDFs are printed with Chromium, which is not installed here (looked for ${missing}): install Debian's chromium-headless-shell package (as root: apt-get install -y chromium-headless-shell fonts-dejavu-core) or set ROLLCALL_CHROMIUM to its path, then ask again. Pages, workbooks and CSV files do not need it.`;

describe("PDFs on a server without Chromium", () => {
  it("a script asking for the SLT pack's PDF gets 503 and the words, not a server error", async () => {
    const response = await app.context.request.get(`${app.url}/packs/slt/pdf?month=2026-03`);
    expect(response.status()).toBe(503);
    expect(await response.text()).toBe(`Not downloaded: ${words}\n`);
  });

  it("the browser opening it gets a page in the app's look with the way back; the workbook still downloads", async () => {
    const page = await app.context.newPage();
    try {
      const response = await page.goto(`${app.url}/packs/slt/pdf?month=2026-03`, { waitUntil: "networkidle" });
      expect(response?.status()).toBe(503);
      expect(await page.locator("h1").innerText()).toBe("Not downloaded");
      expect(await page.getByTestId("refused-words").innerText()).toBe(words);
      await saveScreenshot(page, "printer-missing");
      await page.getByRole("link", { name: "Back to the SLT pack" }).click();
      await page.waitForLoadState("networkidle");
      expect(new URL(page.url()).pathname).toBe("/packs/slt");
    } finally {
      await page.close();
    }
    const workbook = await app.context.request.get(`${app.url}/packs/slt/xlsx?month=2026-03`);
    expect(workbook.status()).toBe(200);
    expect((await workbook.body()).subarray(0, 2).toString()).toBe("PK");
  });
});
