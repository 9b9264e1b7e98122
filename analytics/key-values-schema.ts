/**
 * `meta` and `settings` as views over one table, `key_values` (schema 8).
 *
 * DuckDB 1.5.6 gives every table holding a row at least one block of 32 KiB of its own (tables
 * never share a block), and the two lists of one text value a key, of a few rows each, took
 * one block apiece. In one table, a row's scope naming its list, they take one: files built by
 * the demo generator, blocks of 32 KiB after CHECKPOINT, the demo school 26 → 25, a trust
 * school of 1,000 pupils × 3 years 69 → 68 (1.985 → 1.957 bytes a mark; analytics/schema.ts
 * UNKEYED_TABLES gives the others). Every reader reads `meta` and `settings` as before (the
 * views' columns are the tables' own, key and value, their rows in the order written); every
 * writer goes through analytics/key-values.ts, which writes `key_values`.
 *
 * The views' scopes are literals: a view cannot hold bound parameters, and they come only
 * from KEY_VALUE_SCOPES (a closed list), never from input.
 */
import { plainTransaction, type Connection } from "./db.ts";
import { KEY_VALUE_SCOPES, replaceMeta } from "./key-values.ts";
import { sqlString } from "./sql-literal.ts";

/** The one table of both lists: a row per key of a list (scope: a KEY_VALUE_SCOPES name), one value a key (kept so by analytics/key-values.ts, not by a key). */
export const KEY_VALUES_DDL = "CREATE TABLE key_values (scope VARCHAR NOT NULL, key VARCHAR NOT NULL, value VARCHAR NOT NULL)";

/** The DDL of each list's view (key, value VARCHAR), in KEY_VALUE_SCOPES order. */
export const KEY_VALUE_VIEWS: readonly string[] = KEY_VALUE_SCOPES.map((scope) => `CREATE VIEW ${scope} AS SELECT key, value FROM key_values WHERE scope = ${sqlString(scope)}`);

/**
 * Brings a file made before schema 8, whose `meta` and `settings` are tables (`tables`: those
 * of the two it holds), to one table: `key_values` made, meta's rows then settings' copied into
 * it in the order they were written (rowid), the tables dropped and both views made, in one transaction (a failure
 * leaves the file as it was). The schema version is raised to `version` only where the file
 * was at 7: an older one has still to be migrated further (analytics/schema.ts dropKeys raises
 * it). Run before any other migration, as each writes the version through replaceMeta (into
 * `key_values`). `was`: the file's version as the caller read it (refusing a later one first).
 * The caller checks that `meta` is a table, and checkpoints after.
 */
export function mergeKeyValues(connection: Connection, version: number, tables: ReadonlySet<string>, was: number): Promise<void> {
  return plainTransaction(connection, async () => {
    await connection.run(KEY_VALUES_DDL);
    for (const scope of KEY_VALUE_SCOPES.filter((s) => tables.has(s))) {
      // The table's name is from KEY_VALUE_SCOPES (a closed list); the scope is bound.
      await connection.run(`INSERT INTO key_values (scope, key, value) SELECT $scope, key, value FROM ${scope} ORDER BY rowid`, { scope });
      await connection.run(`DROP TABLE ${scope}`);
    }
    for (const view of KEY_VALUE_VIEWS) await connection.run(view);
    if (was === 7) await replaceMeta(connection, "schema_version", String(version));
  });
}
