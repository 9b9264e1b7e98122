/**
 * Prints an HTML document to PDF with headless Chromium (Debian's chromium, driven by
 * playwright-core): the same engine that shows the page on screen, so the printed pack
 * is the page. Header and footer templates use Chromium's classes: pageNumber, totalPages.
 */
import fs from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { onShutdown } from "./shutdown.ts";
import { escapeXml } from "../packs/svg.ts";

export const CHROMIUM_PATH = process.env.ROLLCALL_CHROMIUM ?? "/usr/bin/chromium";

/** Debian's chromium-headless-shell: Chromium's headless shell of the same release, without the browser's windows. */
export const HEADLESS_SHELL_PATH = "/usr/bin/chromium-headless-shell";

/**
 * The Chromium the packs are printed with: ROLLCALL_CHROMIUM when set; else Debian's headless
 * shell where installed, else the full browser (CHROMIUM_PATH). The shell prints without the
 * print-compositor process the full browser starts for every print (print42, the SLT pack of
 * June 2026 at 4,500 pupils, 99 pages, through packPdf, 5 runs alternated at load ~3.5: 3,577 →
 * 2,698 ms wall, 3,540 → 2,680 ms of Chromium's CPU; its text and all 99 pages as images the
 * same). Browser tests keep the full browser (launchChromium), as a user's is.
 */
export function printerPath(): string {
  if (process.env.ROLLCALL_CHROMIUM) return process.env.ROLLCALL_CHROMIUM;
  return fs.existsSync(HEADLESS_SHELL_PATH) ? HEADLESS_SHELL_PATH : CHROMIUM_PATH;
}

/**
 * The features playwright-core (1.65) launches Chromium without (its chromiumSwitches.ts: no
 * requests to Google at start-up, no media router, no paint holding, ...). Chromium reads only
 * the last --disable-features switch of its command line, and CHROMIUM_ARGS come after
 * playwright-core's own: so they name these again, with ours (test/chromium-args.test.ts checks
 * this copy against the installed playwright-core).
 */
export const PLAYWRIGHT_DISABLED_FEATURES = [
  "AvoidUnnecessaryBeforeUnloadCheckSync",
  "DestroyProfileOnBrowserClose",
  "HttpsUpgrades",
  "HttpsFirstBalancedModeAutoEnable",
  "LensOverlay",
  "MediaRouter",
  "PaintHolding",
  "ThirdPartyStoragePartitioning",
  "AvoidCorsURLLoaderRestartOnRedirect",
  "TcpPortRandomizationWin",
  "OptimizationHints",
  "NetworkTimeServiceQuerying",
  "AimEnabled",
  "PreconnectToSearch",
  "msForceBrowserSignIn",
  "msEdgeUpdateLaunchServicesPreferredVersion",
] as const;

/**
 * The address bar's drop-down, never shown by a headless browser. Chromium 156's headless mode
 * is the whole browser: each browser context is a window, and each window loaded the drop-down as
 * two WebUI pages (chrome://omnibox-popup.top-chrome/ and its AI-mode page) in a renderer of its
 * own, ~1 s of CPU, for every print (each print has a context of its own) and beside the print
 * itself (the next print's page is made ready while one prints). Session 38, the SLT pack of June
 * 2026 at 4,500 pupils (99 pages) through packPdf and the print queue, without and with these
 * two, alternated in one process, median of 5 at load 8–10: wall 6.31 → 4.76 s, Chromium's CPU
 * 6.35 → 4.02 s; the PDF's text and its pages as images the same.
 */
export const NO_ADDRESS_BAR_POPUP = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup"] as const;

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...NO_ADDRESS_BAR_POPUP].join(",")}`,
];

/**
 * No Chromium to print with: the server's set-up, not the request, is at fault. The dashboard
 * answers a PDF download with these words (503) rather than a bare server error (a fresh-clone
 * trial on a machine without Chromium met "Unexpected Server Error" on every PDF).
 */
export class PrinterMissingError extends Error {
  constructor(readonly path: string) {
    super(
      `PDFs are printed with Chromium, which is not installed here (looked for ${path}): install Debian's chromium-headless-shell package (as root: apt-get install -y chromium-headless-shell fonts-dejavu-core) or set ROLLCALL_CHROMIUM to its path, then ask again. Pages, workbooks and CSV files do not need it.`,
    );
    this.name = "PrinterMissingError";
  }
}

/**
 * A print given up because its process is stopping (`stopPrinting`): the server's stop closes
 * the print browser rather than wait for a pack to print. Said in one plain line by whoever
 * stopped it, never as Playwright's "Target page, context or browser has been closed" with its
 * stack. Told by its name (`isPrintAbandoned`), not instanceof, so the check holds whichever copy
 * of this module threw it (the server's Remix bundle, the CLI's own bundle, tsx in tests; the
 * print queue is one per process, on globalThis).
 */
export class PrintAbandonedError extends Error {
  constructor() {
    super("the print was abandoned: the server is stopping");
    this.name = "PrintAbandonedError";
  }
}

/** Whether `error` is a print given up because the process is stopping (PrintAbandonedError, from either copy of this module). */
export function isPrintAbandoned(error: unknown): boolean {
  return error instanceof Error && error.name === "PrintAbandonedError";
}

/**
 * Starts headless Chromium (`executable`: CHROMIUM_PATH unless given; the print queue gives
 * printerPath()). Throws PrinterMissingError when it is not there. `handleSignals` (default
 * true): Playwright's own SIGINT, SIGTERM and SIGHUP handlers, which close the browser on those
 * signals, and on SIGINT end the process with code 130 once it is closed. Right for a one-shot
 * CLI; not for the server, which stops itself (scripts/server.js: its database saved first) and
 * closes the browser as it does (`stopPrinting`): with them, Ctrl-C during a print killed the
 * print under the warm-up (a raw Playwright error in the log) and exited 130 (trial 47).
 */
export async function launchChromium(executable: string = CHROMIUM_PATH, { handleSignals = true }: { handleSignals?: boolean } = {}): Promise<Browser> {
  if (!fs.existsSync(executable)) throw new PrinterMissingError(executable);
  // Loaded here, not at import: playwright-core costs about 0.6 s of CPU to load, which every
  // `rollcall` command paid at start-up though only PDFs need it.
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: executable, args: CHROMIUM_ARGS, headless: true, handleSIGINT: handleSignals, handleSIGTERM: handleSignals, handleSIGHUP: handleSignals });
}

export interface PdfOptions {
  /** HTML for the running header; Chromium replaces <span class="pageNumber"> etc. */
  headerTemplate?: string;
  /**
   * The running footer; a function is given the print scale (0–1, `onePage`), as Chromium
   * prints the footer at its own size however the page is scaled.
   */
  footerTemplate?: string | ((scale: number) => string);
  landscape?: boolean;
  /**
   * Run on the loaded document before it prints, given the printed page's content box in CSS
   * pixels (A4 less the margins): a pack moves its page breaks (analytics/packs/pdf.ts). The
   * document is loaded in a viewport of that box (printViewport) and in print media, so it is
   * measured as laid out for print at the printed width.
   */
  beforePrint?: (page: Page, content: { width: number; height: number }) => Promise<void>;
  /**
   * A document meant for one page printed smaller when it runs over, by at most this much (a
   * scale of at least `leastScale`, 0–1): laid out at the page's width, its height measured and
   * the print scaled to fit. A document longer still prints on more pages at full size.
   */
  onePage?: { leastScale: number };
}

/**
 * How many PDFs print at once in this process. Each print holds a Chromium page (≈ 100–300 MB
 * while laying out a pack); a two-core machine gains nothing from more than two at once, and
 * before this queue four simultaneous pack downloads started four browsers (8.9 s each,
 * 2.6 GB together — issue 11, item 4). Set ROLLCALL_PDF_CONCURRENCY to change it.
 */
export const PDF_CONCURRENCY = positiveInteger(process.env.ROLLCALL_PDF_CONCURRENCY, 2);

/**
 * Milliseconds the shared browser stays open with nothing to print before it is closed, so an
 * idle dashboard does not hold Chromium's memory. ROLLCALL_PDF_IDLE_MS changes it.
 */
export const PDF_IDLE_MS = positiveInteger(process.env.ROLLCALL_PDF_IDLE_MS, 60_000);

function positiveInteger(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** A fresh browser context with one page in it, set to print media, ready for a document. */
interface PrintPage {
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

/**
 * One Chromium for every PDF this process prints, started on the first print and shared by
 * the prints after it; each print gets its own browser context (no cookies or storage shared
 * between prints). Prints beyond PDF_CONCURRENCY wait in a first-come queue. A browser that
 * crashed or was closed is started again by the next print.
 *
 * After each print, one fresh context and page are made ready for the next (the spare): a
 * new page starts a Chromium renderer process, 0.15–0.4 s on a loaded two-core machine, which
 * otherwise every print waited for after its figures were made. The spare is never used for
 * two documents (each print still has a context of its own); it is closed with the browser.
 */
class PrintQueue {
  private browser: Promise<Browser> | null = null;
  private active = 0;
  private waiting: Array<() => void> = [];
  private idleTimer: NodeJS.Timeout | null = null;
  private spare: Promise<PrintPage | null> | null = null;
  /** Set by `abandon` (the process is stopping): no print begins, and one under way fails as PrintAbandonedError. */
  private abandoned = false;
  /** Whether the owner of the process stops the browser itself (`ownSignals`): launched without Playwright's signal handlers. */
  signalsOwned = false;
  /** Counters for tests and the benchmark: browsers started, most prints at once, prints given a page made ready beforehand. */
  readonly stats = { launches: 0, peakActive: 0, printed: 0, spareUsed: 0 };

  constructor(private readonly limit: number, private readonly idleMs: number) {}

  async run<T>(job: (page: Page) => Promise<T>): Promise<T> {
    await this.acquire();
    let print: PrintPage | null = null;
    try {
      if (this.abandoned) throw new PrintAbandonedError();
      print = await this.printPage(await this.browserNow());
      return await job(print.page);
    } catch (error) {
      // The browser closed under it because the process is stopping: said as that, not as
      // whatever Playwright call it was in (a closed target, a failed launch).
      throw this.abandoned ? new PrintAbandonedError() : error;
    } finally {
      if (print) await print.context.close().catch(() => undefined);
      this.release();
    }
  }

  /**
   * Gives up every print, under way or waiting, and closes the browser (the server is
   * stopping): each fails as PrintAbandonedError, and none begins after. Resolves once the
   * browser is closed; gives how many prints were under way or waiting.
   */
  async abandon(): Promise<number> {
    this.abandoned = true;
    const given = this.active + this.waiting.length;
    await this.close();
    return given;
  }

  /** Closes the shared browser now (the CLI calls this before it exits). */
  async close(): Promise<void> {
    this.clearIdle();
    const browser = this.browser;
    this.browser = null;
    this.spare = null;
    if (browser) await browser.then((b) => b.close()).catch(() => undefined);
  }

  /** The spare page when it is ready on this browser, else a new one; then the next spare is begun. */
  private async printPage(browser: Browser): Promise<PrintPage> {
    // Taken before waiting for it: two prints at once never share one.
    const pending = this.spare;
    this.spare = null;
    const spare = pending ? await pending : null;
    let print: PrintPage;
    if (spare && spare.browser === browser && browser.isConnected() && !spare.page.isClosed()) {
      this.stats.spareUsed += 1;
      print = spare;
    } else {
      if (spare) await spare.context.close().catch(() => undefined);
      print = await newPrintPage(browser);
    }
    this.spare ??= newPrintPage(browser).catch(() => null);
    return print;
  }

  private acquire(): Promise<void> {
    this.clearIdle();
    if (this.active < this.limit) {
      this.active += 1;
      this.stats.peakActive = Math.max(this.stats.peakActive, this.active);
      return Promise.resolve();
    }
    // The slot is handed over by release(), so `active` already counts this job.
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    this.stats.printed += 1;
    const next = this.waiting.shift();
    if (next) {
      next();
      return;
    }
    this.active -= 1;
    if (this.active === 0) {
      this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
      // An idle browser must not keep a finished process alive.
      this.idleTimer.unref();
    }
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private async browserNow(): Promise<Browser> {
    if (this.browser) {
      const current = await this.browser.catch(() => null);
      if (current?.isConnected()) return current;
      this.browser = null;
    }
    // Never a new browser once stopping (a print that was waiting for the one just closed).
    if (this.abandoned) throw new PrintAbandonedError();
    const starting = launchChromium(printerPath(), { handleSignals: !this.signalsOwned });
    this.browser = starting;
    this.stats.launches += 1;
    const browser = await starting.catch((error) => {
      this.browser = null;
      throw error;
    });
    browser.on("disconnected", () => {
      if (this.browser === starting) this.browser = null;
    });
    return browser;
  }
}

/**
 * A new context and page for one print, in print media before any document loads, so the
 * document is styled and laid out for print once (after loading, the switch restyled and laid
 * out again the whole document before printing: the SLT pack at 4,500 pupils, 231 pages,
 * printed in 1.16 s, not 1.38 s).
 */
async function newPrintPage(browser: Browser): Promise<PrintPage> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.emulateMedia({ media: "print" });
    return { browser, context, page };
  } catch (error) {
    await context.close().catch(() => undefined);
    throw error;
  }
}

/**
 * The process's one queue, on globalThis: the server's Remix bundle and a CLI command relayed
 * into the same process (`rollcall pack`, loaded by tsx: analytics/cli/remote.ts) are two copies
 * of this module, and had each started a Chromium of its own.
 */
const PRINT_QUEUE = Symbol.for("rollcall.analytics.render.printQueue.v1");
const printQueue = ((globalThis as Record<symbol, PrintQueue | undefined>)[PRINT_QUEUE] ??= new PrintQueue(PDF_CONCURRENCY, PDF_IDLE_MS));
onShutdown(() => printQueue.close());

/** Browsers started, most prints at once and prints done by this process (tests, bench). */
export function printQueueStats(): Readonly<{ launches: number; peakActive: number; printed: number; spareUsed: number }> {
  return { ...printQueue.stats };
}

/**
 * The process stops the print browser itself (scripts/server.js, at start-up): Chromium is
 * launched without Playwright's signal handlers (launchChromium `handleSignals`), and the
 * process calls `stopPrinting` when it stops.
 */
export function ownSignals(): void {
  printQueue.signalsOwned = true;
}

/**
 * Gives up every print under way or waiting (each fails as PrintAbandonedError, isPrintAbandoned)
 * and closes the print browser, leaving no Chromium behind; no print begins after. For the
 * server's stop. Resolves when the browser is closed, with how many prints were given up.
 */
export function stopPrinting(): Promise<number> {
  return printQueue.abandon();
}

/** Closes the shared print browser; the next print starts a new one. */
export function closePrintBrowser(): Promise<void> {
  return printQueue.close();
}

/**
 * Prints one HTML document to an A4 PDF on the shared browser, waiting for a free slot.
 * Returns the PDF bytes. Throws when Chromium cannot be found or started, or the page fails
 * to load; a failed print frees its slot and leaves the browser for the next print.
 */
export async function htmlToPdf(html: string, options: PdfOptions = {}): Promise<Buffer> {
  return printQueue.run(async (page) => {
    const withHeaders = Boolean(options.headerTemplate || options.footerTemplate);
    const margin = withHeaders ? { top: 22, bottom: 20, left: 14, right: 14 } : { top: 14, bottom: 14, left: 14, right: 14 };
    // A4 (210 × 297 mm) less the margins, in CSS pixels (96 to the inch).
    const [across, down] = options.landscape ? [297, 210] : [210, 297];
    const px = (mm: number) => (mm * 96) / 25.4;
    const content = { width: px(across - margin.left - margin.right), height: px(down - margin.top - margin.bottom) };
    // A document measured before it prints is laid out at the printed width from the start: loaded
    // at the page's default width (1280 px) and then narrowed, Chromium laid the whole document out
    // twice (the SLT pack at 4,500 pupils, 99 pages: about 1 s of Chromium's CPU more).
    if (options.beforePrint) await page.setViewportSize(printViewport(content));
    await page.setContent(html, { waitUntil: "load" });
    if (options.beforePrint) await options.beforePrint(page, content);
    const scale = options.onePage ? await scaleToOnePage(page, margin, options.landscape ?? false, options.onePage.leastScale) : 1;
    const pdf = await page.pdf({
      format: "A4",
      scale,
      landscape: options.landscape ?? false,
      printBackground: true,
      displayHeaderFooter: withHeaders,
      headerTemplate: options.headerTemplate ?? "<span></span>",
      footerTemplate: (typeof options.footerTemplate === "function" ? options.footerTemplate(scale) : options.footerTemplate) ?? "<span></span>",
      margin: { top: `${margin.top}mm`, bottom: `${margin.bottom}mm`, left: `${margin.left}mm`, right: `${margin.right}mm` },
    });
    return Buffer.from(pdf);
  });
}

/**
 * The viewport (whole CSS pixels) a document is laid out in to be measured for print: the
 * printed page's content box (`content`, CSS pixels), rounded down.
 */
export function printViewport(content: { width: number; height: number }): { width: number; height: number } {
  return { width: Math.floor(content.width), height: Math.floor(content.height) };
}

/**
 * The print scale (0–1, to two decimals, rounded down) at which the loaded document fits one A4
 * page with `margin` (mm), laid out at the page's width: 1 when it fits already, or when it would
 * need less than `leastScale` (then it is printed at full size on more pages).
 */
async function scaleToOnePage(page: Page, margin: { top: number; bottom: number; left: number; right: number }, landscape: boolean, leastScale: number): Promise<number> {
  const [across, down] = landscape ? [297, 210] : [210, 297];
  const px = (mm: number) => (mm * 96) / 25.4;
  const width = Math.floor(px(across - margin.left - margin.right));
  const height = px(down - margin.top - margin.bottom);
  await page.setViewportSize({ width, height: Math.ceil(height) });
  const needed = await page.evaluate(() => document.documentElement.scrollHeight);
  if (needed <= height) return 1;
  // Printed smaller, the page is wider in the document's pixels, so its lines wrap less and it
  // is shorter still: the scale from the height at full width is enough.
  const scale = Math.floor((height / needed) * 100) / 100;
  return scale >= leastScale ? scale : 1;
}

/** Header/footer template helper: school, title and period left, page x of y right; `fontPt`: its size in points. */
export function runningFooter(left: string, fontPt = 8): string {
  // The left text wraps in its own column and the page number never does: a long line (the
  // benchmark report's audience, school and year) had pushed "Page 1 of 2" onto two lines,
  // reading "Page 1 of 2026" beside the year.
  return `<div style="font-family: Helvetica, Arial, sans-serif; font-size: ${Number(fontPt.toFixed(2))}pt; color: #505a5f; width: 100%; padding: 0 14mm; display: flex; justify-content: space-between; align-items: flex-end; gap: 6mm;">
    <span style="flex: 1 1 auto; min-width: 0;">${escapeXml(left)}</span><span style="flex: none; white-space: nowrap;">Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
}
