/**
 * A database file's schema version read without changing the file: `rollcall version` uses it
 * to say, before anything opens the file for work, whether this release will upgrade it (one
 * way: an earlier release then refuses it, README "Upgrading"), reads it as it is, or cannot
 * read it (a later release's file). Opening the file the usual way (analytics/db.ts) would
 * run the upgrade first, so it is attached read-only in a throwaway in-memory instance, as
 * `rollcall compact` reads the file it copies.
 */
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { DUCKDB_LOCKED, heldHere, notDatabaseFileWords, withConnection } from "./db.ts";
import { SCHEMA_VERSION, schemaVersion } from "./schema.ts";
import { sqlString } from "./sql-literal.ts";

/** How a file's schema stands to this release's SCHEMA_VERSION. */
export type SchemaState = "older" | "current" | "newer" | "none";

/** Where a version stands: "none" for 0 (a DuckDB file with no Rollcall schema in it). */
export function schemaState(version: number): SchemaState {
  if (version === 0) return "none";
  return version < SCHEMA_VERSION ? "older" : version === SCHEMA_VERSION ? "current" : "newer";
}

/**
 * The schema version recorded in `file` (a whole number; 0 when the file holds no Rollcall
 * schema). The file is not changed, nor its write-ahead log applied to it (but when this
 * process holds it: then read through the process's own instance). Throws an error naming
 * the file when it is not a DuckDB database, and DuckDB's own when another process holds it
 * (DUCKDB_LOCKED, which the CLI answers by asking the dashboard's server: analytics/cli/remote.ts).
 */
export async function fileSchemaVersion(file: string): Promise<number> {
  // Held by this process (a command relayed to the dashboard's server): read through its own
  // instance, which has brought the file to this release's schema; a second instance's close
  // would let go of the file's lock (heldHere).
  if (heldHere(file)) return withConnection(file, schemaVersion);
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    try {
      await connection.run(`ATTACH ${sqlString(path.resolve(file))} AS schema_of (READ_ONLY)`);
    } catch (error) {
      // Another process's lock is thrown as it is (the CLI then asks the dashboard's server).
      const message = (error as Error).message;
      if (DUCKDB_LOCKED.test(message)) throw error;
      // A CSV, Parquet or JSON file: DuckDB would open it as an in-memory database with a view
      // of it, which it cannot do read-only; said as every other command says it (trial 35).
      if (/in-memory database/.test(message)) throw new Error(notDatabaseFileWords(file));
      throw new Error(`${path.resolve(file)} could not be read as a DuckDB database file (a school's database is one); DuckDB said: ${message.split("\n")[0]}`);
    }
    // Schema 8 keeps the version in key_values (`meta` is a view of it); earlier ones in the
    // `meta` table. The view is not read: its query names key_values unqualified.
    const tables = await connection.runAndReadAll(
      "SELECT table_name FROM duckdb_tables() WHERE database_name = 'schema_of' AND schema_name = 'main' AND table_name IN ('key_values', 'meta')",
    );
    const names = new Set(tables.getRowObjects().map((row) => String(row.table_name)));
    const sql = names.has("key_values")
      ? "SELECT value FROM schema_of.main.key_values WHERE scope = 'meta' AND key = 'schema_version'"
      : names.has("meta")
        ? "SELECT value FROM schema_of.main.meta WHERE key = 'schema_version'"
        : undefined;
    if (!sql) return 0;
    const found = (await connection.runAndReadAll(sql)).getRowObjects()[0];
    return Number(found?.value ?? 0);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
