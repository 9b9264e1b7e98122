/**
 * The database named where it is not one, or where a register file is wanted (trial 34):
 * a CSV or Parquet file given as --db was opened by DuckDB as an in-memory database with a
 * view of it and answered as an empty school (exit 0); the database given as --marks would
 * be read as an input by the process holding it, letting go of its lock.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../analytics/cli/index.ts";
import { cliContext } from "../analytics/cli/context.ts";
import { closeInstance, withConnection } from "../analytics/db.ts";
import { cliOn, initSchool } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("cli-database-file");
const dir = path.dirname(db);
const digest = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

beforeAll(async () => {
  await initSchool(db);
}, 60_000);
afterAll(() => removeDb(db));

describe("a file that is not a database, given as --db", () => {
  it.each([
    ["marks.csv", "upn,date,session,code\nA123456789012,2026-03-02,AM,/\n"],
    ["marks.parquet", "PAR1 not really"],
    ["marks.json", '[{"upn":"A123456789012"}]'],
  ])("%s: refused in words naming it, exit 1, the file left as it was", async (name, text) => {
    const file = path.join(dir, `${path.basename(db, ".duckdb")}-${name}`);
    fs.writeFileSync(file, text);
    for (const args of [["settings"], ["summary", "--from", "2026-03-02", "--to", "2026-03-04"]]) {
      const result = await cliOn(file)(...args);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`${file} is not a DuckDB database file`);
    }
    expect(fs.readFileSync(file, "utf8")).toBe(text);
    expect(fs.existsSync(`${file}.wal`)).toBe(false);
    fs.rmSync(file);
  });
});

describe("the database given where a file to read or write is wanted", () => {
  it("is refused before anything runs (exit 2), by any spelling of its path, and the database is unchanged", async () => {
    const before = digest(db);
    const link = `${db}-link`;
    fs.symlinkSync(db, link);
    try {
      const cli = cliOn(db);
      for (const args of [["import", "--marks", db], ["import", `--pupils=${link}`], ["import", "--calendar", path.relative(process.cwd(), db)], ["pack", "slt", "--month", "2026-03", "--out", db]]) {
        const result = await cli(...args);
        expect(result.code, args.join(" ")).toBe(2);
        expect(result.stderr).toContain(`${args.find((a) => a.startsWith("--") && a !== "--month")!.split("=")[0]} names the school's database`);
      }
      expect(digest(db)).toBe(before);
      // The files beside it that Rollcall keeps, there or not yet: a pack written as the
      // dashboard's .server.json had broken every later command's relay (trial 35).
      for (const beside of [`${db}.server.json`, `${db}.audit-journal`]) {
        const result = await cli("pack", "slt", "--month", "2026-03", "--out", beside);
        expect(result.code, beside).toBe(2);
        expect(result.stderr).toContain("--out names the school's database");
        expect(fs.existsSync(beside)).toBe(false);
      }
      // Its write-ahead log too.
      fs.writeFileSync(`${db}.wal`, "");
      const wal = await cli("import", "--marks", `${db}.wal`);
      fs.rmSync(`${db}.wal`);
      expect(wal.code).toBe(2);
      expect(wal.stderr).toContain("--marks names the school's database");
    } finally {
      fs.rmSync(link);
    }
  });

  it("keeps the lock of the process holding the database (a command relayed to the dashboard's server)", async () => {
    await withConnection(db, async (c) => c.run("SELECT 1"));
    const out: string[] = [];
    const code = await cliContext.run({ remote: true, env: {}, stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, () =>
      main(["import", "--marks", db, "--db", db], { keepOpen: true }),
    );
    // Read as marks here, the file had been opened and closed by this process, which lets go
    // of DuckDB's POSIX lock on it: another process could then open the database beside it.
    const other = await cliOn(db)("settings");
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/open in another Rollcall process|lock/);
    expect(code).toBe(2);
    await closeInstance(db);
  });
});

describe("a folder named as the database", () => {
  it("is refused in words naming it, exit 1, nothing made in it (trial 54b: DuckDB's 'IO Error: … Is a directory')", async () => {
    const folder = fs.mkdtempSync(path.join(path.dirname(db), "a-folder-"));
    try {
      for (const args of [["summary"], ["import", "--dry-run", "--marks", path.join(folder, "none.csv")], ["settings"]]) {
        const result = await cliOn(folder)(...args);
        expect(result.code, args.join(" ")).toBe(1);
        expect(result.stderr.split("\n")[0]).toBe(`rollcall ${args[0]}: ${folder} is a folder, not a database file: name the school's database file itself (e.g. --db ${path.join(folder, "rollcall.duckdb")}).`);
      }
      expect(fs.readdirSync(folder)).toEqual([]);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
