/**
 * A document meant for one A4 page (the benchmark report) printed smaller when it runs a little
 * over (trial 29: a governor's benchmark report put one note line on a second page), and at
 * full size on two when shrinking would take more than the least scale allowed.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closePrintBrowser, htmlToPdf, runningFooter } from "../analytics/render/pdf.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-one-page-"));
afterAll(async () => {
  await closePrintBrowser();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A document of `mm` millimetres of blocks, 10 mm each. A4 less 14 mm margins holds 269 mm. */
const tall = (mm: number) => `<!DOCTYPE html><html><body style="margin:0">${"<div style='height:10mm'>line</div>".repeat(mm / 10)}</body></html>`;

async function pages(html: string, onePage?: { leastScale: number }): Promise<number> {
  const file = path.join(dir, `${Math.random()}.pdf`);
  fs.writeFileSync(file, await htmlToPdf(html, onePage ? { onePage } : {}));
  return Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file], { encoding: "utf8" }))![1]);
}

describe("a one-page document", () => {
  it("a few lines over one page: two pages as it is, one printed smaller", async () => {
    expect(await pages(tall(280))).toBe(2);
    expect(await pages(tall(280), { leastScale: 0.9 })).toBe(1);
  });

  it("far over: not shrunk past the least scale, printed on two pages at full size", async () => {
    expect(await pages(tall(400), { leastScale: 0.9 })).toBe(2);
    // One page already: unchanged.
    expect(await pages(tall(200), { leastScale: 0.9 })).toBe(1);
  });

  it("a footer given the scale is printed at that scale: shrunk to fit, the body had read smaller than its footer (trial 29b)", async () => {
    // Body lines of 10 pt; footer asked for at 10 pt × scale. Heights from pdftotext -bbox.
    const html = `<!DOCTYPE html><html><body style="margin:0;font:10pt Helvetica">${"<div style='height:10mm'>BODYWORD</div>".repeat(27)}</body></html>`;
    const file = path.join(dir, "footer.pdf");
    fs.writeFileSync(file, await htmlToPdf(html, { onePage: { leastScale: 0.9 }, footerTemplate: (scale) => runningFooter("FOOTWORD", 10 * scale) }));
    const xml = execFileSync("/usr/bin/pdftotext", ["-bbox", file, "-"], { encoding: "utf8" });
    const height = (word: string) => {
      const m = new RegExp(`yMin="([\\d.]+)" xMax="[\\d.]+" yMax="([\\d.]+)">${word}<`).exec(xml)!;
      return Number(m[2]) - Number(m[1]);
    };
    expect(Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file], { encoding: "utf8" }))![1])).toBe(1);
    // Printed smaller (27 lines of 10 mm need 270 mm; with a footer the page holds 255: scale 0.94): both at that scale.
    expect(Math.abs(height("FOOTWORD") - height("BODYWORD"))).toBeLessThan(0.1);
    // The same footer at its own 10 pt is taller than the scaled body (what the check above would catch).
    fs.writeFileSync(file, await htmlToPdf(html, { onePage: { leastScale: 0.9 }, footerTemplate: runningFooter("FOOTWORD", 10) }));
    const unscaled = execFileSync("/usr/bin/pdftotext", ["-bbox", file, "-"], { encoding: "utf8" });
    const word = (text: string, w: string) => {
      const m = new RegExp(`yMin="([\\d.]+)" xMax="[\\d.]+" yMax="([\\d.]+)">${w}<`).exec(text)!;
      return Number(m[2]) - Number(m[1]);
    };
    expect(word(unscaled, "FOOTWORD") - word(unscaled, "BODYWORD")).toBeGreaterThan(0.5);
  });
});
