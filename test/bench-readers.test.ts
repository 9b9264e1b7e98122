/**
 * The readers' benchmark (scripts/bench-readers.ts, part of `npm run bench`) runs through on a
 * small register: its generated grid CSV and CTF are files the readers accept (a CTF must name
 * its destination school; a benchmark file without one stopped the whole run), and each reader
 * reads every mark the long CSV holds (the benchmark throws otherwise).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { benchReaders } from "../scripts/bench-readers.ts";

describe("readers benchmark", () => {
  it("reads the same 4,560 marks from the grid CSV and the CTF as DuckDB's read_csv of the long CSV", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-bench-readers-test-"));
    try {
      const lines = await benchReaders(dir, 12);
      expect(lines.map(([label]) => label)).toEqual([
        "readers: DuckDB read_csv of the long CSV (12 pupils, 4,560 marks)",
        "readers: grid CSV → long rows (12 pupils, 4,560 marks)",
        "readers: CTF XML → pupils and long rows (12 pupils, 4,560 marks)",
      ]);
      for (const [, value] of lines.slice(1)) expect(value).toMatch(/^[\d,]+ marks\/s = \d+\.\d{3} × read_csv$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
