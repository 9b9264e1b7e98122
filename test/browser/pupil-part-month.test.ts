/**
 * The pupil page's monthly chart in a real browser: December, of which the period covers 1
 * of 15 school days, is marked "Dec 2024*" on the chart's axis and said under it, and the
 * chart's table gives every month's school days covered. Register:
 * test/helpers/part-month-register.ts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../../analytics/db.ts";
import { seedPartMonthRegister } from "../helpers/part-month-register.ts";
import { startSignedInApp, type AppSession } from "../helpers/app-session.ts";
import { saveScreenshot } from "../helpers/browser.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-part-month-"));
const db = path.join(dir, "school.duckdb");
let app: AppSession;

beforeAll(async () => {
  await withConnection(db, seedPartMonthRegister);
  app = await startSignedInApp(db, "slt", { ROLLCALL_TODAY: "2024-12-02" });
});

afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the pupil page's monthly chart", () => {
  it("shows December (1 of its 15 school days) as part of a month, on the axis, under the chart and in its table", async () => {
    const page = await app.context.newPage();
    try {
      await page.goto(`${app.url}/pupils/P?period=custom&from=2024-09-02&to=2024-12-02`, { waitUntil: "networkidle" });
      const figure = page.locator('figure[data-chart="pupil-P-attendance-by-month"]');
      await figure.locator(".recharts-cartesian-axis-tick").first().waitFor({ timeout: 10000 });
      const ticks = (await figure.locator(".recharts-xAxis .recharts-cartesian-axis-tick").allTextContents()).map((t) => t.trim());
      expect(ticks).toContain("Dec 2024*");
      expect(ticks).toContain("Nov 2024");
      expect((await figure.getByTestId("part-months").innerText()).replace(/\s+/g, " ")).toBe(
        "* Part month: Dec 2024 covers 1 of its 15 school days, so its figure is of those days only.",
      );
      await figure.locator("summary").click();
      const rows = await figure.locator("table tbody tr").allInnerTexts();
      expect(rows.map((r) => r.replace(/\s+/g, " ").trim())).toEqual([
        "2024-09 100.0% 42 Whole month",
        "2024-10 100.0% 46 Whole month",
        "2024-11 100.0% 42 Whole month",
        "2024-12 0.0% 2 Part month: 1 of its 15 school days",
      ]);
      await figure.scrollIntoViewIfNeeded();
      await saveScreenshot(page, "pupil-part-month");
      await figure.screenshot({ path: path.resolve("test-results/screenshots/pupil-part-month-chart.png") });
    } finally {
      await page.close();
    }
  });

  it("says November is not a whole month for R, on roll throughout but marked on 6 of its 21 school days", async () => {
    const page = await app.context.newPage();
    try {
      await page.goto(`${app.url}/pupils/R?period=custom&from=2024-09-02&to=2024-12-02`, { waitUntil: "networkidle" });
      const figure = page.locator('figure[data-chart="pupil-R-attendance-by-month"]');
      await figure.locator(".recharts-cartesian-axis-tick").first().waitFor({ timeout: 10000 });
      expect((await figure.getByTestId("part-months").innerText()).replace(/\s+/g, " ")).toBe(
        "* Part month: Nov 2024 has 12 of 42 sessions marked; 15 school days unmarked — see Register checks; Dec 2024 covers 1 of its 15 school days, so its figure is of those days only.",
      );
      await figure.locator("summary").click();
      const rows = await figure.locator("table tbody tr").allInnerTexts();
      expect(rows.map((r) => r.replace(/\s+/g, " ").trim())).toEqual([
        "2024-09 100.0% 42 Whole month",
        "2024-10 100.0% 46 Whole month",
        "2024-11 100.0% 12 12 of 42 sessions marked; 15 school days unmarked — see Register checks",
        "2024-12 100.0% 2 Part month: 1 of its 15 school days",
      ]);
    } finally {
      await page.close();
    }
  });
});
