/**
 * The pupil page's leave-of-absence panel over unmarked days, in a real browser as the
 * attendance lead (analytics/escalation.ts leaveOfAbsenceCheck; register by hand:
 * test/helpers/leave-register.ts, today Fri 27 Mar 2026). A fresh-clone trial's pupil with 24
 * unmarked school days read "May be considered".
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../../analytics/db.ts";
import { LEAVE_TODAY, seedLeaveRegister } from "../helpers/leave-register.ts";
import { startSignedInApp, type AppSession } from "../helpers/app-session.ts";
import { saveScreenshot } from "../helpers/browser.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-leave-"));
const db = path.join(dir, "school.duckdb");
let app: AppSession;

beforeAll(async () => {
  await withConnection(db, seedLeaveRegister);
  app = await startSignedInApp(db, "attendance_lead", { ROLLCALL_TODAY: LEAVE_TODAY });
});

afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const text = (s: string) => s.replace(/\s+/g, " ").trim();

async function leavePanel(upn: string): Promise<string> {
  const page = await app.context.newPage();
  try {
    await page.goto(`${app.url}/pupils/${upn}`, { waitUntil: "networkidle" });
    const panel = text(await page.getByTestId("leave-check").innerText());
    await saveScreenshot(page, `leave-unmarked-${upn.toLowerCase()}`);
    return panel;
  } finally {
    await page.close();
  }
}

describe("the leave-of-absence panel reads the whole record", () => {
  it("GAPS (24 unmarked school days): cannot be judged yet, and why", async () => {
    const panel = await leavePanel("GAPS");
    expect(panel).toMatch(/Cannot be judged yet/i); // tags are printed in capitals
    expect(panel).not.toMatch(/May be considered/i);
    expect(panel).toContain("24 school days of Forename GAPS's have no marks");
    expect(panel).toContain("On the marked days so far: no unauthorised absence and authorised absence of 0.0%.");
  });

  it("UNAUTH: refused, the unmarked days said beside it", async () => {
    const panel = await leavePanel("UNAUTH");
    expect(panel).toMatch(/Would be refused/i);
    expect(panel).toContain("1 session of unauthorised absence this academic year");
    expect(panel).toContain("The register is not complete (20 school days of Forename UNAUTH's without marks), but no further marks can take unauthorised absence away.");
  });

  it("FULL (complete): may be considered", async () => {
    const panel = await leavePanel("FULL");
    expect(panel).toMatch(/May be considered/i);
    expect(panel).toContain("No unauthorised absence and authorised absence of 2.0%");
  });
});
