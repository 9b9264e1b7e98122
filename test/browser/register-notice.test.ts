/**
 * The register stopping before the period does, said in a real browser: with the register's
 * last marked day Monday 2 December 2024 and today Friday 6 December, the Overview's and a
 * pupil's period reads on to today, and the page says once that 3, 4 and 5 December have no
 * marks yet (analytics/unmarked-days.ts marksImported). Register:
 * test/helpers/part-month-register.ts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../../analytics/db.ts";
import { seedPartMonthRegister } from "../helpers/part-month-register.ts";
import { startSignedInApp, type AppSession } from "../helpers/app-session.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-register-notice-"));
const db = path.join(dir, "school.duckdb");
let app: AppSession;

beforeAll(async () => {
  await withConnection(db, seedPartMonthRegister);
  app = await startSignedInApp(db, "slt", { ROLLCALL_TODAY: "2024-12-06" });
});

afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const WORDS = "Marks imported up to Mon 2 Dec 2024; the 3 school days since have none yet — import the latest register.";

describe("the register notice", () => {
  it("is said once on the Overview and on a pupil's page for this term, and not for November", async () => {
    const page = await app.context.newPage();
    try {
      for (const address of ["/?period=this-term", "/pupils/S?period=this-term"]) {
        await page.goto(`${app.url}${address}`, { waitUntil: "networkidle" });
        // A register ending on 31 Oct read "96.0% to 3 Dec" with no word of November (a trial).
        expect(await page.getByTestId("register-notice").allInnerTexts()).toEqual([WORDS]);
      }
      await page.goto(`${app.url}/?period=custom&from=2024-11-01&to=2024-11-30`, { waitUntil: "networkidle" });
      expect(await page.getByTestId("register-notice").count()).toBe(0);
    } finally {
      await page.close();
    }
  });
});
