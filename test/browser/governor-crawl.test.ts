/**
 * A governor's crawl: from the overview, follow every link on every page a governor can
 * reach (and fetch every download), and find no UPN and no pupil's name in any response
 * body — HTML, CSV, the text of PDFs (pdftotext) and the cells of workbooks — and no link
 * that leads to a refusal (drill-downs to pupils are hidden from governors).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, inject, it } from "vitest";
import { fetchAs } from "../helpers/browser.ts";

const UPN = /\b[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]\b/;
const MAX_PAGES = 150;
const MAX_PER_PATH = 6;

async function bodyText(response: Response): Promise<string> {
  const type = response.headers.get("Content-Type") ?? "";
  const bytes = Buffer.from(await response.arrayBuffer());
  if (type.includes("pdf")) {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "crawl-")), "file.pdf");
    fs.writeFileSync(file, bytes);
    return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  }
  if (type.includes("spreadsheetml")) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const cells: string[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text)))));
    return cells.join("\n");
  }
  return bytes.toString("utf8");
}

describe("a governor's crawl", () => {
  it("finds no UPN and no pupil's name in any page or download it can reach", async () => {
    const pupils = inject("pupils");
    const names = pupils.flatMap((p) => [`${p.forename} ${p.surname}`, `${p.surname}, ${p.forename}`]);
    const queue = ["/"];
    const seen = new Set(queue);
    const perPath = new Map<string, number>();
    const visited: string[] = [];
    const refused: string[] = [];
    while (queue.length > 0 && visited.length < MAX_PAGES) {
      const url = queue.shift()!;
      const response = await fetchAs("governor", url);
      visited.push(url);
      if (response.status === 401 || response.status === 403) refused.push(`${url} ${response.status}`);
      const text = await bodyText(response);
      expect(text, `a UPN in ${url}`).not.toMatch(UPN);
      for (const name of names) expect(text.includes(name), `${name} in ${url}`).toBe(false);
      // One word for a figure a governor may not see: "withheld", never "suppressed" (the
      // definitions page alone names the statisticians' term and the DfE's guidance).
      // (Words a reader sees: not scripts, nor a pack document's stylesheet, whose class names are code.)
      const words = text.replace(/<script[\s\S]*?<\/script>/g, " ").replace(/<style[\s\S]*?<\/style>/g, " ").replace(/<[^>]*>/g, " ");
      if (!url.startsWith("/definitions")) expect(words, `"suppress…" in ${url}`).not.toMatch(/suppress/i);
      if (!(response.headers.get("Content-Type") ?? "").includes("html")) continue;
      // Links, and the frames' documents (a pack page loads its pack into a frame).
      for (const match of text.matchAll(/(?:href|src)="([^"]+)"/g)) {
        const href = match[1].replace(/&amp;/g, "&");
        const target = new URL(href, "http://app.invalid/");
        if (target.host !== "app.invalid" || target.pathname.startsWith("/build/") || /\.(css|svg|ico|png)$/.test(target.pathname)) continue;
        const key = target.pathname + target.search;
        const count = perPath.get(target.pathname) ?? 0;
        if (seen.has(key) || count >= MAX_PER_PATH) continue;
        seen.add(key);
        perPath.set(target.pathname, count + 1);
        queue.push(key);
      }
    }
    // It reached the governor's sections, downloads included.
    for (const section of ["/trends", "/codes", "/patterns", "/groups", "/classes", "/benchmarks", "/packs"]) expect(visited).toContain(section);
    expect(visited.some((u) => u.startsWith("/packs/fgb/pdf"))).toBe(true);
    expect(visited.some((u) => u.startsWith("/packs/fgb/html"))).toBe(true);
    expect(refused).toEqual([]);
  }, 1_200_000);
});
