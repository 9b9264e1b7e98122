/**
 * A new school that has not chosen its attendance policy (no preset stored: the default's
 * numbers stand in) reads on Casework and Settings that the policy named is only the default
 * preset, not yet chosen (trial22: its pages cited "Ludlow Junior School" as its policy); after
 * "Use this policy" in Settings, the words are as before. Register:
 * test/helpers/part-month-register.ts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../../analytics/db.ts";
import { seedPartMonthRegister } from "../helpers/part-month-register.ts";
import { startSignedInApp, type AppSession } from "../helpers/app-session.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-policy-not-chosen-"));
const db = path.join(dir, "school.duckdb");
let app: AppSession;
const NOT_CHOSEN = "the default preset — not yet chosen in Settings";

beforeAll(async () => {
  await withConnection(db, seedPartMonthRegister);
  app = await startSignedInApp(db, "attendance_lead", { ROLLCALL_TODAY: "2024-12-02" });
});

afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const flat = (text: string) => text.replace(/\s+/g, " ").trim();

describe("the policy's name before and after the school chooses one", () => {
  it("says the default preset is not yet chosen on Casework and Settings, and not once it is", async () => {
    const page = await app.context.newPage();
    try {
      await page.goto(`${app.url}/casework`, { waitUntil: "networkidle" });
      expect(flat(await page.getByTestId("casework-scope").innerText())).toBe(
        `Pupils on roll on 2 Dec 2024 whom the Ludlow Junior School policy (${NOT_CHOSEN}) lists, year to date from 1 August.`,
      );
      await page.goto(`${app.url}/settings`, { waitUntil: "networkidle" });
      expect(flat(await page.getByTestId("current-preset").innerText())).toBe(`Ludlow Junior School (${NOT_CHOSEN})`);
      expect(flat(await page.getByTestId("settings-last-change").innerText())).toBe(
        `Not changed since the database was created: the numbers of the Ludlow Junior School policy (${NOT_CHOSEN}).`,
      );
      await page.getByTestId("choose-preset").click();
      await page.getByTestId("settings-saved").waitFor();
      // The notice can show a moment before the page's data is read again.
      await expect.poll(async () => flat(await page.getByTestId("current-preset").innerText()), { timeout: 15000 }).toBe("Ludlow Junior School");
      await page.goto(`${app.url}/casework`, { waitUntil: "networkidle" });
      expect(flat(await page.getByTestId("casework-scope").innerText())).toBe("Pupils on roll on 2 Dec 2024 whom the Ludlow Junior School policy lists, year to date from 1 August.");
    } finally {
      await page.close();
    }
  });
});
