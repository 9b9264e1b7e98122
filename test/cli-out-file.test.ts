/**
 * A command that writes `--out FILE` says, before any work, when the file cannot be written there,
 * and says a failed write in words (analytics/cli/out-file.ts). Trial 48: `rollcall pack … --out`
 * into a missing folder worked the pack out for 5–27 s, then failed on Node's own
 * "ENOENT: no such file or directory, open …".
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../analytics/cli/index.ts";
import { runRelayed, type CliContext } from "../analytics/cli/context.ts";
import { writeOutFile } from "../analytics/cli/out-file.ts";
import { closeAllInstances } from "../analytics/db.ts";
import { initSchool } from "./helpers/cli.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-out-file-"));
// A school with no register yet: a pack or report that began its work would refuse for want of
// marks (exit 1, its own words), so the folder's message shows the check came first.
const db = path.join(dir, "school.duckdb");
beforeAll(() => initSchool(db));
afterAll(async () => {
  await closeAllInstances();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** `main(argv)` with its output captured, as a relayed command's is (runRelayed). */
async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const context: CliContext = { remote: false, env: {}, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) };
  const code = await runRelayed(context, () => main(argv));
  return { code, stdout, stderr };
}

describe("--out FILE checked before any work", () => {
  const missing = path.join(dir, "no-such-folder", "x.pdf");
  const cases: Array<[string, string[]]> = [
    ["pack", ["pack", "fgb", "--term", "autumn-2026", "--format", "pdf", "--out", missing, "--db", db]],
    ["report", ["report", "benchmark", "--year", "2025/26", "--format", "csv", "--out", missing, "--db", db]],
  ];
  for (const [name, argv] of cases) {
    it(`${name}: a missing folder is named in a sentence before any work, exit 2, nothing written`, async () => {
      const { code, stderr } = await run(argv);
      expect(code).toBe(2);
      expect(stderr.split("\n")[0]).toBe(`rollcall ${name}: --out ${missing}: the folder ${path.dirname(missing)} does not exist (make it first, or give a file in a folder that does)`);
      expect(stderr).not.toMatch(/ENOENT/);
      expect(fs.existsSync(path.dirname(missing))).toBe(false);
    });
  }

  it("a folder given as the file, or a file given as its folder, is named", async () => {
    const folder = path.join(dir, "a-folder");
    fs.mkdirSync(folder);
    const asFile = await run(["pack", "slt", "--month", "2026-10", "--format", "pdf", "--out", folder, "--db", db]);
    expect(asFile.code).toBe(2);
    expect(asFile.stderr.split("\n")[0]).toBe(`rollcall pack: --out ${folder}: that is a folder; give a file name in it (e.g. ${path.join(folder, "pack.pdf")})`);
    const plain = path.join(dir, "plain.txt");
    fs.writeFileSync(plain, "x");
    const under = await run(["pack", "slt", "--month", "2026-10", "--format", "pdf", "--out", path.join(plain, "x.pdf"), "--db", db]);
    expect(under.code).toBe(2);
    expect(under.stderr.split("\n")[0]).toBe(`rollcall pack: --out ${path.join(plain, "x.pdf")}: ${plain} is a file, not a folder`);
  });
});

describe("--out FILE: what the system would refuse, and a database", () => {
  it("a folder on the path that is not there, though the path's text removes it (sub/..), is refused as the write would be", async () => {
    const through = path.join(dir, "no-sub") + "/../x.csv";
    const { code, stderr } = await run(["report", "benchmark", "--year", "2025/26", "--format", "csv", "--out", through, "--db", db]);
    expect(code).toBe(2);
    expect(stderr.split("\n")[0]).toBe(`rollcall report: --out ${through}: the folder ${path.join(dir, "no-sub")}/.. does not exist (make it first, or give a file in a folder that does)`);
  });

  it("a folder given to report is answered with a report's name", async () => {
    const { stderr } = await run(["report", "benchmark", "--year", "2025/26", "--format", "csv", "--out", dir, "--db", db]);
    expect(stderr.split("\n")[0]).toBe(`rollcall report: --out ${dir}: that is a folder; give a file name in it (e.g. ${path.join(dir, "report.csv")})`);
  });

  it("a database file is never overwritten (review 48: a register replaced by a pack's HTML)", async () => {
    // Another school's register (the command's own --db is refused before: cli/args.ts).
    await closeAllInstances();
    const register = path.join(dir, "another-school.duckdb");
    fs.copyFileSync(db, register);
    const before = fs.readFileSync(register);
    const { code, stderr } = await run(["pack", "slt", "--month", "2026-10", "--format", "html", "--out", register, "--db", db]);
    expect(code).toBe(2);
    expect(stderr.split("\n")[0]).toBe(`rollcall pack: --out ${register}: that is a database file (a school's register), which this would overwrite; give another file name`);
    expect(fs.readFileSync(register).equals(before)).toBe(true);
    // Nor a file whose write-ahead log stands beside it (a register open elsewhere, not yet saved).
    const other = path.join(dir, "other.duckdb");
    fs.writeFileSync(other, "");
    fs.writeFileSync(`${other}.wal`, "");
    expect((await run(["pack", "slt", "--month", "2026-10", "--format", "html", "--out", other, "--db", db])).code).toBe(2);
  });
});

describe("other files a command names, in words (review 48)", () => {
  it("export parquet --out naming a file, not a folder", async () => {
    const file = path.join(dir, "a-file.csv");
    fs.writeFileSync(file, "x");
    const { code, stderr } = await run(["export", "parquet", "--out", file, "--db", db]);
    expect(code).toBe(2);
    expect(stderr.split("\n")[0]).toBe(`rollcall export: --out ${file}: that is a file; give the folder to write the Parquet files into (made if it is not there)`);
  });

  it("benchmarks import of a file that is not there", async () => {
    const missing = path.join(dir, "no-such-benchmarks.csv");
    const { code, stderr } = await run(["benchmarks", "import", missing, "--db", db]);
    expect(code).toBe(1);
    expect(stderr).toBe(`rollcall benchmarks: the benchmark file ${missing} does not exist\n`);
  });
});

describe("writeOutFile", () => {
  it("says a failed write in words, naming the file", () => {
    const gone = path.join(dir, "gone", "x.pdf");
    expect(() => writeOutFile(gone, "x")).toThrow(`could not write ${gone}: no such folder on its path`);
    expect(() => writeOutFile(dir, "x")).toThrow(`could not write ${dir}: that is a folder`);
  });

  it("writes the bytes given", () => {
    const file = path.join(dir, "ok.bin");
    writeOutFile(file, new Uint8Array([1, 2, 3]));
    expect([...fs.readFileSync(file)]).toEqual([1, 2, 3]);
  });
});
