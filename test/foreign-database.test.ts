/**
 * Another program's DuckDB database given as the school's (analytics/schema.ts
 * ForeignDatabaseError): refused in words, before anything is added to it. Rollcall had made its
 * thirty-odd tables beside the file's own and answered `summary` as an empty school, exit 0. A
 * DuckDB file with nothing in it is still given the schema (a file just made).
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { closeInstance, queryOne, withConnection } from "../analytics/db.ts";
import { ForeignDatabaseError } from "../analytics/schema.ts";
import { cliOn } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const files: string[] = [];
afterAll(async () => {
  for (const file of files) await removeDb(file);
});

/** A DuckDB file made by another program with `statements`; its path. */
async function made(name: string, statements: string[]): Promise<string> {
  const file = tempDbPath(name);
  files.push(file);
  const instance = await DuckDBInstance.create(file);
  const c = await instance.connect();
  for (const statement of statements) await c.run(statement);
  c.closeSync();
  instance.closeSync();
  return file;
}

/** Every table, view, sequence and type the file holds, read without Rollcall. */
async function objects(file: string): Promise<string[]> {
  const instance = await DuckDBInstance.create(file);
  const c = await instance.connect();
  const rows = await c.runAndReadAll(
    `SELECT table_name AS n FROM duckdb_tables() WHERE NOT temporary
     UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal AND NOT temporary
     UNION ALL SELECT sequence_name FROM duckdb_sequences()
     UNION ALL SELECT type_name FROM duckdb_types() WHERE NOT internal ORDER BY 1`,
  );
  c.closeSync();
  instance.closeSync();
  return rows.getRowObjects().map((r) => String(r.n));
}

describe("another program's DuckDB database", () => {
  it("is refused by the store, naming what it holds, and left with only its own tables", async () => {
    const file = await made("foreign-sales", ["CREATE TABLE sales (id INTEGER, amount DOUBLE)", "INSERT INTO sales VALUES (1, 2.5)", "CREATE VIEW big_sales AS SELECT * FROM sales WHERE amount > 2"]);
    const opened = withConnection(file, async () => "read");
    await expect(opened).rejects.toBeInstanceOf(ForeignDatabaseError);
    await expect(opened).rejects.toThrow(`is another program's DuckDB database (it holds big_sales, sales), not a school's register: Rollcall has not changed it.`);
    await closeInstance(file);
    expect(await objects(file)).toEqual(["big_sales", "sales"]);
  });

  it("is refused by the CLI in one sentence, exit 1, nothing added; a sequence or a type alone is someone's too", async () => {
    const file = await made("foreign-cli", ["CREATE SEQUENCE a_seq", "CREATE TYPE mood AS ENUM ('ok')", "CREATE TABLE t1 (x INTEGER)", "CREATE TABLE t2 (x INTEGER)"]);
    const cli = await cliOn(file)("summary");
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`rollcall summary: ${file} is another program's DuckDB database (it holds a_seq, mood, t1 and 1 more), not a school's register`);
    expect(cli.stdout).toBe("");
    expect(await objects(file)).toEqual(["a_seq", "mood", "t1", "t2"]);
  }, 60_000);

  it("with its own table named meta, or key_values, is refused and left as it was (review 54: its meta was taken for Rollcall's and rewritten)", async () => {
    const meta = await made("foreign-meta", ["CREATE TABLE meta (key VARCHAR, value VARCHAR)", "INSERT INTO meta VALUES ('owner', 'finance team')", "CREATE TABLE sales (id INTEGER)"]);
    await expect(withConnection(meta, async () => "read")).rejects.toThrow(`${meta} is another program's DuckDB database (it holds meta, sales)`);
    await closeInstance(meta);
    expect(await objects(meta)).toEqual(["meta", "sales"]);
    const shaped = await made("foreign-meta-shape", ["CREATE TABLE meta (id INTEGER, note VARCHAR)"]);
    await expect(withConnection(shaped, async () => "read")).rejects.toBeInstanceOf(ForeignDatabaseError);
    await closeInstance(shaped);
    const kv = await made("foreign-kv", ["CREATE TABLE key_values (scope VARCHAR, key VARCHAR, value VARCHAR)", "INSERT INTO key_values VALUES ('app', 'theme', 'dark')"]);
    await expect(withConnection(kv, async () => "read")).rejects.toThrow("is another program's DuckDB database (it holds key_values)");
    await closeInstance(kv);
    expect(await objects(kv)).toEqual(["key_values"]);
  });

  it("holding only a macro or only a schema of its own is refused, nothing added (review 54)", async () => {
    for (const [name, statement, holds] of [
      ["foreign-macro", "CREATE MACRO add2(a, b) AS a + b", "add2"],
      ["foreign-schema", "CREATE SCHEMA analysis", "analysis"],
    ]) {
      const file = await made(name, [statement]);
      await expect(withConnection(file, async () => "read")).rejects.toThrow(`(it holds ${holds})`);
      await closeInstance(file);
      expect(await objects(file)).toEqual([]);
    }
  });

  it("a school's file that has lost its key_values is said to be damaged, not another program's, and left as it was (review 54)", async () => {
    const file = tempDbPath("foreign-lost-kv");
    files.push(file);
    await withConnection(file, async () => {});
    await closeInstance(file);
    const instance = await DuckDBInstance.create(file);
    const c = await instance.connect();
    await c.run("DROP VIEW meta; DROP VIEW settings; DROP TABLE key_values");
    c.closeSync();
    instance.closeSync();
    const before = await objects(file);
    const refused = await withConnection(file, async () => "read").catch((error: Error) => error);
    await closeInstance(file);
    expect(refused).toBeInstanceOf(ForeignDatabaseError);
    expect((refused as Error).message).toMatch(/ holds Rollcall's tables \(.*\) but not the schema version that says how to read them/);
    expect((refused as Error).message).not.toContain("another program's");
    expect(await objects(file)).toEqual(before);
    // rollcall demo refuses it as a school's register, not as another program's.
    const demo = await cliOn(file)("demo", "--today", "2026-11-23", "--pupils", "40", "--years", "1");
    expect(demo.code).toBe(1);
    expect(demo.stderr).toContain(`${file} holds a school's own register, not the demo school`);
    expect(await objects(file)).toEqual(before);
  }, 60_000);

  it("gives a DuckDB file with nothing in it the school's schema", async () => {
    const file = await made("foreign-empty", []);
    const version = await withConnection(file, (c) => queryOne<{ v: string }>(c, "SELECT value AS v FROM meta WHERE key = 'schema_version'"));
    await closeInstance(file);
    expect(Number(version?.v)).toBeGreaterThan(0);
  });
});
