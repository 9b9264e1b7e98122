/**
 * A new school made by `npm start` with ROLLCALL_DB at a new file (`rollcall init`) has no
 * accounts: the sign-in page says so and names the command that adds the first administrator
 * (a fresh-clone trial found a sign-in page with no way in and nothing in the console). Once
 * an account exists the notice is gone; the demo school's page never shows it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { initSchool } from "../../analytics/cli/commands/init.ts";
import { closeAllInstances, withConnection } from "../../analytics/db.ts";
import { launchChromium } from "../../analytics/render/pdf.ts";
import { createUser } from "../../analytics/users/store.ts";
import { startAppServer } from "../setup/app-server.ts";
import { openApp } from "../helpers/browser.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-no-accounts-"));
const db = path.join(dir, "school.duckdb");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The sign-in page's no-accounts notice on a server of `db`, or null when there is none. */
async function noticeOn(file: string): Promise<string | null> {
  await closeAllInstances();
  const server = await startAppServer(file);
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ locale: "en-GB" })).newPage();
    await page.goto(`${server.url}/`, { waitUntil: "networkidle" });
    expect(page.url()).toContain("/login");
    const notice = page.getByTestId("no-accounts-notice");
    return (await notice.count()) > 0 ? await notice.innerText() : null;
  } finally {
    await browser.close();
    await server.stop();
  }
}

describe("a school with no accounts", () => {
  it("says on the sign-in page how to add the first administrator, and stops saying it once there is one", async () => {
    await initSchool(db, { school: "Brook Lane Primary", urn: "123456" });
    const notice = await noticeOn(db);
    expect(notice).toContain("No one can sign in yet");
    expect(notice).toContain("npx rollcall users add --email you@school.sch.uk");
    expect(notice).toContain("--role admin");
    await withConnection(db, (c) => createUser(c, { email: "admin@brooklane.sch.uk", name: "Sam Admin", role: "admin", password: "a long enough passphrase" }));
    expect(await noticeOn(db)).toBeNull();
  });

  it("the demo school's sign-in page has accounts: no such notice", async () => {
    const { page, close } = await openApp("/login", { as: null });
    expect(await page.getByTestId("no-accounts-notice").count()).toBe(0);
    await page.getByTestId("demo-notice").waitFor();
    await close();
  });
});
