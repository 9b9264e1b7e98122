/**
 * Every UPN written in README.md and docs/ has the check letter the DfE's algorithm gives
 * (analytics/import/values.ts upnCheckLetter, the app's own): trial 50 found the README's
 * grid example's `Q820200000022`, whose letter is P — a school copying it would be told its
 * UPN may be mistyped.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { upnCheckLetter } from "../analytics/import/values.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

function markdownFiles(): string[] {
  const docs = fs.readdirSync(path.join(ROOT, "docs"), { recursive: true }).map(String).filter((f) => f.endsWith(".md")).map((f) => path.join("docs", f));
  return ["README.md", ...docs];
}

describe("the UPNs the documentation writes", () => {
  it("each has the DfE's check letter", () => {
    const seen: string[] = [];
    const wrong: string[] = [];
    for (const file of markdownFiles()) {
      // A UPN's shape (analytics/upn-shape.ts UPN_RE), anywhere in the text.
      for (const [upn] of fs.readFileSync(path.join(ROOT, file), "utf8").matchAll(/\b[A-Z]\d{11}[0-9A-Z]\b/g)) {
        seen.push(upn);
        const letter = upnCheckLetter(upn.slice(1));
        if (letter !== upn[0]) wrong.push(`${file}: ${upn} (the DfE's letter is ${letter})`);
      }
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
  });
});
