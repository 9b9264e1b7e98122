/**
 * The print browser's command line (analytics/render/pdf.ts CHROMIUM_ARGS). Chromium reads only
 * the last --disable-features switch, and ours comes after playwright-core's: it must name every
 * feature playwright-core turns off (no requests to Google at start-up, ...) besides our own, the
 * address bar's drop-down, which Chromium 156 loaded as two WebUI pages in a renderer of its own
 * for every browser context, so for every print (~1 s of CPU each; session 38).
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import { afterAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { CHROMIUM_ARGS, NO_ADDRESS_BAR_POPUP, PLAYWRIGHT_DISABLED_FEATURES, launchChromium } from "../analytics/render/pdf.ts";

/** The features the installed playwright-core disables (its chromiumSwitches.ts, bundled), read from its source. */
function playwrightDisabledFeatures(): string[] {
  const bundle = fs.readFileSync(createRequire(import.meta.url).resolve("playwright-core/lib/coreBundle"), "utf8");
  const list = /disabledFeatures = \[([\s\S]*?)\]\.filter\(Boolean\)/.exec(bundle);
  if (!list) throw new Error("playwright-core's disabledFeatures list not found: read its chromiumSwitches and update PLAYWRIGHT_DISABLED_FEATURES");
  return [...list[1].replace(/\/\/.*$/gm, "").matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

describe("the print browser's command line", () => {
  let browser: Browser | null = null;
  afterAll(() => browser?.close());

  it("names again every feature playwright-core disables, in the one --disable-features switch Chromium reads", () => {
    const ours = CHROMIUM_ARGS.filter((a) => a.startsWith("--disable-features="));
    expect(ours).toHaveLength(1);
    const named = ours[0].slice("--disable-features=".length).split(",");
    const theirs = playwrightDisabledFeatures();
    expect(theirs.length).toBeGreaterThan(5);
    expect([...PLAYWRIGHT_DISABLED_FEATURES].sort()).toEqual([...theirs].sort());
    expect(named).toEqual(expect.arrayContaining([...theirs, ...NO_ADDRESS_BAR_POPUP]));
  });

  it("opens no address-bar drop-down (a WebUI page) for a print's browser context", async () => {
    browser = await launchChromium();
    const context = await browser.newContext();
    await (await context.newPage()).setContent("<p>Attendance</p>");
    const cdp = await browser.newBrowserCDPSession();
    const { targetInfos } = (await cdp.send("Target.getTargets")) as { targetInfos: Array<{ type: string; url: string }> };
    expect(targetInfos.filter((t) => t.type === "page").map((t) => t.url)).toEqual(["about:blank"]);
    expect(targetInfos.map((t) => t.url).filter((url) => url.startsWith("chrome://"))).toEqual([]);
    await context.close();
  });
});
