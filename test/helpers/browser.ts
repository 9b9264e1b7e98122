/**
 * Real Chromium (Debian's, driven by playwright-core) against the app served by
 * test/setup/app-server.ts. Each page records console errors and uncaught page errors so a
 * test can insist there are none.
 *
 * Pages open signed in: `openApp(path)` as the head (who may use every page but Users),
 * `openApp(path, { as: "governor" })` as another role, `{ as: null }` signed out. The
 * session cookies come from accounts the global setup made directly in the database
 * (test/helpers/auth.ts), so no test clicks through the sign-in form unless it means to.
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { inject } from "vitest";
import { launchChromium } from "../../analytics/render/pdf.ts";
import type { Role } from "../../analytics/users/roles.ts";

let browser: Promise<Browser> | undefined;

function sharedBrowser(): Promise<Browser> {
  browser ??= launchChromium();
  return browser;
}

export interface AppPage {
  page: Page;
  consoleErrors: string[];
  close(): Promise<void>;
}

export function appUrl(pathname = "/"): string {
  return new URL(pathname, inject("appUrl")).toString();
}

/** The `name=value` session cookie of the test account for a role. */
export function sessionCookie(role: Role): string {
  return inject("accounts")[role].cookie;
}

/** The e-mail and password of the test account for a role (for tests of the sign-in form). */
export function credentials(role: Role): { email: string; password: string } {
  const { email, password } = inject("accounts")[role];
  return { email, password };
}

/** A request to the app as a role (or signed out: null), without a browser; redirects not followed. */
export function fetchAs(role: Role | null, pathname: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (role) headers.set("Cookie", sessionCookie(role));
  return fetch(appUrl(pathname), { redirect: "manual", ...init, headers });
}

export async function openApp(
  pathname: string,
  options: {
    as?: Role | null;
    /** false: a browser with JavaScript off (plain links and forms only). */ javaScript?: boolean;
    /** The viewport's width in CSS pixels (default 1366; 390 is a phone). */ width?: number;
  } = {},
): Promise<AppPage> {
  const role = options.as === undefined ? "head" : options.as;
  const javaScriptEnabled = options.javaScript !== false;
  const context = await (await sharedBrowser()).newContext({ viewport: { width: options.width ?? 1366, height: options.width && options.width < 600 ? 844 : 900 }, acceptDownloads: true, locale: "en-GB", javaScriptEnabled });
  if (role) {
    const [name, value] = sessionCookie(role).split(/=(.*)/s);
    await context.addCookies([{ name, value, url: appUrl("/"), httpOnly: true, sameSite: "Lax" }]);
  }
  // Playwright's 30 s defaults are shorter than a first visit takes on a loaded 2-core CI
  // machine (a governor's first page plans suppression for the whole year); the test's own
  // limit (vitest.config.ts) still bounds each test.
  context.setDefaultNavigationTimeout(90_000);
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  const response = await page.goto(appUrl(pathname), { waitUntil: "networkidle" });
  if (!response) throw new Error(`no response for ${pathname}`);
  // Controls work only once React has hydrated (root.tsx stamps <html data-hydrated>); pages that
  // did not render the app (a download, a bare error) never will, so only wait where Remix runs.
  if (javaScriptEnabled && (await page.evaluate(() => "__remixContext" in window))) await page.waitForSelector("html[data-hydrated]", { state: "attached" });
  return { page, consoleErrors, close: () => context.close() };
}

/**
 * Waits until the address matches and the page for that address has rendered. Remix renders a
 * navigation in a React transition, so the address bar changes a moment before the new page
 * does; the root layout stamps <main data-location> in the same render as the page.
 */
export async function waitForPage(page: Page, url: RegExp | ((url: URL) => boolean)): Promise<void> {
  await page.waitForURL(url);
  await page.waitForFunction(() => {
    const main = document.querySelector("main");
    return main?.dataset.location === window.location.pathname + window.location.search && main.getAttribute("aria-busy") !== "true";
  });
}

/** Saves a full-page screenshot as a test artefact in test-results/screenshots/. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const dir = path.resolve("test-results/screenshots");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export async function closeBrowser(): Promise<void> {
  if (browser) await (await browser).close();
  browser = undefined;
}
