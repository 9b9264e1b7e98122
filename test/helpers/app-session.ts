/**
 * A browser test's own app server on its own database, with Chromium signed in as one role
 * (for tests that need a school other than the shared demo: an empty school, a register built
 * for the test). Call from beforeAll after the database is ready; `stop()` from afterAll.
 */
import type { Browser, BrowserContext } from "playwright-core";
import { closeAllInstances } from "../../analytics/db.ts";
import { launchChromium } from "../../analytics/render/pdf.ts";
import type { Role } from "../../analytics/users/roles.ts";
import { startAppServer } from "../setup/app-server.ts";
import { createTestAccounts } from "./auth.ts";

export interface AppSession {
  url: string;
  browser: Browser;
  /** A browser context carrying the role's session cookie. */
  context: BrowserContext;
  /** What the server printed so far (stdout and stderr). */
  log(): string;
  stop(): Promise<void>;
}

/** Makes the test accounts in `db`, serves it (with `env`) and signs a new context in as `role`. */
export async function startSignedInApp(db: string, role: Role, env: Record<string, string> = {}): Promise<AppSession> {
  const accounts = await createTestAccounts(db);
  // The server opens the file itself: this process lets go of it first.
  await closeAllInstances();
  const server = await startAppServer(db, env);
  const browser = await launchChromium();
  const context = await browser.newContext({ locale: "en-GB" });
  const [name, value] = accounts[role].cookie.split(/=(.*)/s);
  await context.addCookies([{ name, value, url: `${server.url}/`, httpOnly: true, sameSite: "Lax" }]);
  return {
    url: server.url,
    browser,
    context,
    log: server.log,
    stop: async () => {
      await browser.close();
      await server.stop();
    },
  };
}
