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

  it("gives a DuckDB file with nothing in it the school's schema", async () => {
    const file = await made("foreign-empty", []);
    const version = await withConnection(file, (c) => queryOne<{ v: string }>(c, "SELECT value AS v FROM meta WHERE key = 'schema_version'"));
    await closeInstance(file);
    expect(Number(version?.v)).toBeGreaterThan(0);
  });
});
