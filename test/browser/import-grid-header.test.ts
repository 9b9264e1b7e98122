/**
 * Trial 50 on the Import page, in real Chromium on the demo school: a grid whose header has two
 * faults (a wrong weekday, a repeated session) listed the first alone, the second only on the
 * next try. Both are listed at once, each with file, line and column, as a file's row faults are.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeBrowser, openApp, saveScreenshot } from "../helpers/browser.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-grid-header-"));
afterAll(async () => {
  await closeBrowser();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the Import page and a grid's header", () => {
  it("lists every fault of the header at once", async () => {
    const app = await openApp("/import");
    try {
      const file = path.join(dir, "grid-two-faults.csv");
      fs.writeFileSync(file, "UPN,Mon 23/11/2026 AM,Tue 23/11/2026 PM,23/11/2026 am\r\nA000000000000,/,\\,/\r\n");
      await app.page.setInputFiles("#file-marks", file);
      await app.page.getByRole("button", { name: "Check and preview" }).click();
      const listed = app.page.getByTestId("import-errors").locator("li");
      await listed.first().waitFor();
      const texts = await listed.allInnerTexts();
      expect(texts.map((text) => text.split(":")[0])).toEqual(["grid-two-faults.csv, line 1, column 3", "grid-two-faults.csv, line 1, column 4"]);
      expect(texts[0]).toContain("it says Tuesday but 2026-11-23 is a Monday");
      expect(texts[1]).toContain("repeats the session 2026-11-23 AM of column 2");
      await saveScreenshot(app.page, "import-grid-header-faults");
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
