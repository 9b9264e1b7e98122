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
import { closePrintBrowser, htmlToPdf } from "../analytics/render/pdf.ts";

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
});
