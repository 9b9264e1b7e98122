/**
 * The packs print with Debian's Chromium headless shell where it is installed, and the PDF reads
 * as the full browser's (analytics/render/pdf.ts printerPath): the same text on the same pages,
 * running header and footer included.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CHROMIUM_PATH, HEADLESS_SHELL_PATH, closePrintBrowser, htmlToPdf, printerPath, runningFooter } from "../analytics/render/pdf.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "printer-path-"));
const saved = process.env.ROLLCALL_CHROMIUM;
afterAll(async () => {
  await closePrintBrowser();
  if (saved === undefined) delete process.env.ROLLCALL_CHROMIUM;
  else process.env.ROLLCALL_CHROMIUM = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A register-like document of several pages: a heading, a long table with a repeated header, a closing paragraph. */
const rows = Array.from({ length: 140 }, (_, i) => `<tr><td>A8602004${String(22979 + i).padStart(5, "0")}</td><td>Pupil ${i + 1}</td><td>${(85 + (i % 15) * 0.7).toFixed(1)}%</td><td>${i % 7} sessions</td></tr>`).join("");
const html = `<!doctype html><html><head><style>body{font-family:"DejaVu Sans",sans-serif;font-size:10pt} th,td{border-bottom:1px solid #999;padding:2px 6px;text-align:left}</style></head>
<body><h1>Pupils below 90% attendance</h1><table><thead><tr><th>UPN</th><th>Pupil</th><th>Attendance</th><th>Unauthorised</th></tr></thead><tbody>${rows}</tbody></table><p>End of the list.</p></body></html>`;

/** The PDF's text, page by page (pdftotext -layout; pages split at form feeds), and its page count. */
function pdfText(pdf: Buffer, name: string): { pages: string[]; count: number } {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
  const count = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
  const pages = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).split("\f").filter((page) => page.trim() !== "");
  return { pages, count };
}

describe("the packs' printer", () => {
  it("is ROLLCALL_CHROMIUM when set, else the headless shell where installed, else the full browser", () => {
    process.env.ROLLCALL_CHROMIUM = "/opt/elsewhere/chromium";
    expect(printerPath()).toBe("/opt/elsewhere/chromium");
    delete process.env.ROLLCALL_CHROMIUM;
    // The tests' set-up (scripts/ensure-chromium.js, .ci/run) installs the shell.
    expect(fs.existsSync(HEADLESS_SHELL_PATH)).toBe(true);
    expect(printerPath()).toBe(HEADLESS_SHELL_PATH);
  });

  it("prints what the full browser prints: the same text on the same pages", async () => {
    const options = { headerTemplate: `<div style="font-size:8pt;width:100%;text-align:center">Rollcall · Pupils below 90%</div>`, footerTemplate: runningFooter("Demo school") };
    delete process.env.ROLLCALL_CHROMIUM;
    await closePrintBrowser();
    const shell = pdfText(await htmlToPdf(html, options), "shell");
    process.env.ROLLCALL_CHROMIUM = CHROMIUM_PATH;
    await closePrintBrowser();
    const full = pdfText(await htmlToPdf(html, options), "full");
    expect(shell.count).toBeGreaterThanOrEqual(3);
    expect(shell.count).toBe(full.count);
    expect(shell.pages).toEqual(full.pages);
    expect(shell.pages.at(-1)).toContain("End of the list.");
    expect(shell.pages[1]).toContain("UPN");
  }, 120_000);
});
