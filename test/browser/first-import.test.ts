/**
 * A school's first day (issue 10, items 6 and 7): an empty school made by `rollcall init`,
 * served by the real app. The overview walks it through its first import (calendar first),
 * Register checks says gaps cannot be checked without a calendar (never "0 gaps"), the
 * Import page asks for the calendar first, and the import history is empty.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initSchool } from "../../analytics/cli/commands/init.ts";
import { startSignedInApp, type AppSession } from "../helpers/app-session.ts";
import { saveScreenshot } from "../helpers/browser.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-empty-"));
const db = path.join(dir, "school.duckdb");
let app: AppSession;
let url = "";
let context: BrowserContext;

beforeAll(async () => {
  await initSchool(db, { school: "Brook Lane Primary", urn: "123456" });
  // The school's first user is the attendance lead, who may import (signed in by cookie).
  app = await startSignedInApp(db, "attendance_lead");
  ({ url, context } = app);
});

afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("an empty school", () => {
  it("is walked through its first import, calendar first, and no page claims 0 gaps", async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${url}/`, { waitUntil: "networkidle" });
    const steps = page.getByTestId("first-import");
    expect(await steps.locator("h2").textContent()).toBe("Set up Brook Lane Primary: your first import");
    expect(await steps.locator("li").evaluateAll((items) => items.map((li) => `${li.getAttribute("data-step")}:${li.getAttribute("data-state")}`))).toEqual([
      "calendar:next",
      "pupils:later",
      "marks:later",
    ]);
    await saveScreenshot(page, "first-import");
    await steps.getByRole("link", { name: "Import the calendar" }).click();
    await page.waitForURL(/\/import\?step=calendar/);
    await page.getByTestId("calendar-first").waitFor();

    await page.goto(`${url}/quality?period=custom&from=2026-09-01&to=2026-10-16`, { waitUntil: "networkidle" });
    expect(await page.getByTestId("no-calendar").textContent()).toContain("There is no school calendar for 2026/27, so register gaps and school weeks");
    expect(await page.getByTestId("gap-count").locator(".tile__value").textContent()).toBe("Cannot check");
    expect(await page.getByTestId("no-gaps").count()).toBe(0);

    await page.goto(`${url}/imports`, { waitUntil: "networkidle" });
    await page.getByTestId("no-imports").waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});
