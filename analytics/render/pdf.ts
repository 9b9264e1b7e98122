/**
 * Prints an HTML document to PDF with headless Chromium (Debian's chromium, driven by
 * playwright-core): the same engine that shows the page on screen, so the printed pack
 * is the page. Header and footer templates use Chromium's classes: pageNumber, totalPages.
 */
import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = process.env.ROLLCALL_CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium was not found at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install -y chromium) or set ROLLCALL_CHROMIUM`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface PdfOptions {
  /** HTML for the running header; Chromium replaces <span class="pageNumber"> etc. */
  headerTemplate?: string;
  footerTemplate?: string;
  landscape?: boolean;
}

export async function htmlToPdf(html: string, options: PdfOptions = {}): Promise<Buffer> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: "load" });
    await page.emulateMedia({ media: "print" });
    const withHeaders = Boolean(options.headerTemplate || options.footerTemplate);
    const pdf = await page.pdf({
      format: "A4",
      landscape: options.landscape ?? false,
      printBackground: true,
      displayHeaderFooter: withHeaders,
      headerTemplate: options.headerTemplate ?? "<span></span>",
      footerTemplate: options.footerTemplate ?? "<span></span>",
      margin: withHeaders ? { top: "22mm", bottom: "20mm", left: "14mm", right: "14mm" } : { top: "14mm", bottom: "14mm", left: "14mm", right: "14mm" },
    });
    return Buffer.from(pdf);
  } finally {
    await browser.close();
  }
}

/** Header/footer template helper: school, title and period left, page x of y right. */
export function runningFooter(left: string): string {
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return `<div style="font-family: Helvetica, Arial, sans-serif; font-size: 8pt; color: #505a5f; width: 100%; padding: 0 14mm; display: flex; justify-content: space-between;">
    <span>${escape(left)}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
}
