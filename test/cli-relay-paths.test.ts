/**
 * A relayed command line's paths (analytics/cli/remote.ts absoluteArgv): the server runs in its
 * own folder, so every path the caller names is made absolute against the caller's folder —
 * whether or not the file is there (review 48: `import --marks data/x.csv` relayed from a folder
 * without it read the server's data/x.csv; `import --marks adir` said "does not exist" of the
 * server's folder) — and nothing that is not a path is touched (`demo --pupils 4500`).
 */
import { describe, expect, it } from "vitest";
import { absoluteArgv } from "../analytics/cli/remote.ts";

const cwd = "/home/lead/school";

describe("absoluteArgv", () => {
  it("makes an import's files absolute against the caller's folder, there or not", () => {
    expect(absoluteArgv(["--marks", "data/not-here.csv", "--pupils=p.csv", "--calendar", "../cal.csv", "--dry-run", "--db", "reg.duckdb"], cwd, "import")).toEqual([
      "--marks", "/home/lead/school/data/not-here.csv",
      "--pupils=/home/lead/school/p.csv",
      "--calendar", "/home/lead/cal.csv",
      "--dry-run",
      "--db", "/home/lead/school/reg.duckdb",
    ]);
  });

  it("leaves a number where another command's option of the same name is no path", () => {
    expect(absoluteArgv(["--pupils", "4500", "--db", "/x/demo.duckdb"], cwd, "demo")).toEqual(["--pupils", "4500", "--db", "/x/demo.duckdb"]);
    expect(absoluteArgv(["--files", "out"], cwd, "demo")).toEqual(["--files", "/home/lead/school/out", "--db", expect.stringMatching(/^\//)]);
  });

  it("makes the file after `benchmarks import` absolute, not the action or an option's value", () => {
    expect(absoluteArgv(["import", "missing.csv", "--publication", "daily", "--db", "r.duckdb"], cwd, "benchmarks")).toEqual([
      "import", "/home/lead/school/missing.csv", "--publication", "daily", "--db", "/home/lead/school/r.duckdb",
    ]);
    expect(absoluteArgv(["list", "--year", "2024/25", "--db", "r.duckdb"], cwd, "benchmarks")).toEqual(["list", "--year", "2024/25", "--db", "/home/lead/school/r.duckdb"]);
  });

  it("keeps --out and --dir absolute for every command, and names the database", () => {
    expect(absoluteArgv(["fgb", "--term", "autumn-2026", "--out", "p.pdf", "--db=r.duckdb"], cwd, "pack")).toEqual(["fgb", "--term", "autumn-2026", "--out", "/home/lead/school/p.pdf", "--db=/home/lead/school/r.duckdb"]);
  });
});
