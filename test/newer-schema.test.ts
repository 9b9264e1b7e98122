/**
 * A database file a later Rollcall has brought past this release's schema is refused in words,
 * unchanged (analytics/schema.ts refuseNewer): trial 33 opened a file upgraded to schema 8 with
 * the release before, which took it for a file without a schema and failed with DuckDB's "Type
 * with name mark_code already exists". This release must not do the same to a later one's file.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { closeInstance, queryOne, withConnection } from "../analytics/db.ts";
import { replaceMeta } from "../analytics/key-values.ts";
import { NewerSchemaError, SCHEMA_VERSION } from "../analytics/schema.ts";
import { cliOn } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("newer-schema");
afterAll(() => removeDb(db));

/** The file's schema version and its tables, read without Rollcall's schema check. */
async function rawState(file: string): Promise<{ version: string; tables: string }> {
  const instance = await DuckDBInstance.create(file);
  const c = await instance.connect();
  const version = String((await c.runAndReadAll("SELECT value FROM meta WHERE key = 'schema_version'")).getRowObjects()[0].value);
  const tables = (await c.runAndReadAll("SELECT string_agg(table_name, ',' ORDER BY table_name) AS t FROM duckdb_tables()")).getRowObjects()[0].t;
  c.closeSync();
  instance.closeSync();
  return { version, tables: String(tables) };
}

describe("a file of a later schema", () => {
  it("is refused in words by the store and by the CLI, and left as it was", async () => {
    await withConnection(db, async (c) => {
      expect((await queryOne<{ value: string }>(c, "SELECT value FROM meta WHERE key = 'schema_version'"))?.value).toBe(String(SCHEMA_VERSION));
      await replaceMeta(c, "schema_version", String(SCHEMA_VERSION + 1));
    });
    await closeInstance(db);
    const before = await rawState(db);
    expect(before.version).toBe(String(SCHEMA_VERSION + 1));

    const opened = withConnection(db, async () => "read");
    await expect(opened).rejects.toBeInstanceOf(NewerSchemaError);
    await expect(opened).rejects.toThrow(`its schema is version ${SCHEMA_VERSION + 1}; this Rollcall reads up to version ${SCHEMA_VERSION}`);
    await closeInstance(db);

    const cli = await cliOn(db)("summary", "--from", "2025-09-01", "--to", "2025-12-31");
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain("opened by a newer Rollcall");
    expect(cli.stderr).not.toContain("Catalog Error");

    expect(await rawState(db)).toEqual(before);
  }, 120_000);
});
