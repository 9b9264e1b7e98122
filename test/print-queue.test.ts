/**
 * The shared print browser (issue 11, item 4): PDFs printed at the same time share one
 * Chromium and wait in a queue of PDF_CONCURRENCY, instead of each starting its own browser.
 */
import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { closePrintBrowser, htmlToPdf, PDF_CONCURRENCY, printQueueStats } from "../analytics/render/pdf.ts";

const page = (n: number) => `<!doctype html><html><body><h1>Print ${n}</h1><p>${"Attendance ".repeat(200)}</p></body></html>`;

function pdfText(pdf: Buffer): string {
  return pdf.subarray(0, 5).toString("latin1");
}

describe("the shared print browser", () => {
  afterAll(() => closePrintBrowser());

  it("prints four PDFs at once on one Chromium, no more than PDF_CONCURRENCY at a time", async () => {
    const before = printQueueStats();
    const pdfs = await Promise.all([1, 2, 3, 4].map((n) => htmlToPdf(page(n))));
    const after = printQueueStats();
    expect(pdfs.map(pdfText)).toEqual(["%PDF-", "%PDF-", "%PDF-", "%PDF-"]);
    expect(after.launches - before.launches).toBe(1);
    expect(after.printed - before.printed).toBe(4);
    // Four asked at once with a limit below four: the queue held the rest back.
    expect(PDF_CONCURRENCY).toBeLessThan(4);
    expect(after.peakActive).toBe(PDF_CONCURRENCY);
  });

  it("loads the document in print media (laid out for print once, not for the screen first)", async () => {
    // The document's own script sees the media it loads in, and writes it into the page.
    const html = `<!doctype html><html><body><p id="m">?</p><script>document.getElementById("m").textContent = matchMedia("print").matches ? "loaded for print" : "loaded for screen";</script></body></html>`;
    const text = execFileSync("pdftotext", ["-", "-"], { input: await htmlToPdf(html), encoding: "utf8" });
    expect(text.trim()).toBe("loaded for print");
  });

  it("reuses the open browser for the next print and starts a new one after it is closed", async () => {
    const before = printQueueStats();
    await htmlToPdf(page(5));
    expect(printQueueStats().launches).toBe(before.launches);
    await closePrintBrowser();
    const pdf = await htmlToPdf(page(6));
    expect(pdfText(pdf)).toBe("%PDF-");
    expect(printQueueStats().launches).toBe(before.launches + 1);
  });

  it("gives the next print the page made ready after the last one, fresh: nothing of the last document in it", async () => {
    await htmlToPdf(page(9));
    // The spare is begun after a print; let it be made before the next one asks for it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const before = printQueueStats();
    // window.name lives as long as the page: a page used again would still carry the first's.
    const first = `<!doctype html><html><body><p id="n">?</p><script>window.name = "the first document"; document.getElementById("n").textContent = "named";</script></body></html>`;
    const second = `<!doctype html><html><body><p id="n">?</p><script>document.getElementById("n").textContent = window.name || "a fresh page";</script></body></html>`;
    const text = (pdf: Buffer) => execFileSync("pdftotext", ["-", "-"], { input: pdf, encoding: "utf8" }).trim();
    expect(text(await htmlToPdf(first))).toBe("named");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(text(await htmlToPdf(second))).toBe("a fresh page");
    expect(printQueueStats().spareUsed - before.spareUsed).toBe(2);
    expect(printQueueStats().launches).toBe(before.launches);
  });

  it("frees the slot of a print that fails, so later prints go on", async () => {
    const before = printQueueStats();
    // A header template that is not a string makes Chromium's print call throw.
    const failing = Array.from({ length: PDF_CONCURRENCY + 1 }, () =>
      htmlToPdf(page(7), { headerTemplate: 42 as unknown as string }).then(
        () => "printed",
        () => "failed",
      ),
    );
    const outcomes = await Promise.all(failing);
    expect(outcomes.every((o) => o === "failed")).toBe(true);
    expect(pdfText(await htmlToPdf(page(8)))).toBe("%PDF-");
    expect(printQueueStats().printed - before.printed).toBe(PDF_CONCURRENCY + 2);
  });
});
