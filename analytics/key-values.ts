/**
 * Writing `meta` and `settings`, the file's two lists of one text value a key (key, value).
 *
 * From schema 8 both are views over one table, `key_values` (scope, key, value), the scope
 * naming the list (analytics/key-values-schema.ts): DuckDB gives every table holding a row a
 * block of 32 KiB of its own, and the two lists of a few rows each took one apiece. A view is
 * not written to, so every writer of either goes through these functions, which write
 * `key_values` under the list's scope. Neither list has a key (none from schema 7:
 * analytics/schema.ts UNKEYED_TABLES; DuckDB kept each as an ART index in a block of its own),
 * and INSERT OR REPLACE / ON CONFLICT need one, so these keep a key's value to one row.
 */
import { oneWriteAtATime, type Connection } from "./db.ts";

/** The lists of one value a key, each a view of `key_values` rows of that scope (a closed list: its names are written into the views' SQL). */
export const KEY_VALUE_SCOPES = ["meta", "settings"] as const;
export type KeyValueScope = (typeof KEY_VALUE_SCOPES)[number];

/**
 * Replaces `key`'s value in list `scope` (or stores it, when it had none): its rows deleted and
 * one inserted. Two statements: run inside the caller's transaction, so that no reader sees
 * the key without a value and a failure leaves the old one.
 */
async function replaceValue(connection: Connection, scope: KeyValueScope, key: string, value: string): Promise<void> {
  await deleteValue(connection, scope, key);
  await connection.run("INSERT INTO key_values (scope, key, value) VALUES ($scope, $key, $value)", { scope, key, value });
}

/** Deletes `key`'s rows from list `scope` (none when it has no value). */
function deleteValue(connection: Connection, scope: KeyValueScope, key: string): Promise<unknown> {
  return connection.run("DELETE FROM key_values WHERE scope = $scope AND key = $key", { scope, key });
}

/** Sets the file's `meta` entry `key` (schema_version, urn, demo_school …) to `value`, in the caller's transaction. */
export function replaceMeta(connection: Connection, key: string, value: string): Promise<void> {
  return replaceValue(connection, "meta", key, value);
}

/**
 * Stores `value` as the `meta` entry `key` unless the file has one already (the first kept,
 * as the session secret must be once made). One statement, so it needs no transaction; queued
 * with the file's other writes (oneWriteAtATime), as two at once (a server's first requests,
 * each making the session secret) would each find no row and both insert one.
 */
export async function keepMeta(connection: Connection, key: string, value: string): Promise<void> {
  await oneWriteAtATime(connection, () =>
    connection.run(
      "INSERT INTO key_values (scope, key, value) SELECT $scope, $key, $value WHERE NOT EXISTS (SELECT 1 FROM key_values WHERE scope = $scope AND key = $key)",
      { scope: "meta", key, value },
    ),
  );
}

/** Sets setting `key` to `value` (already checked: analytics/settings.ts), in the caller's transaction. */
export function replaceSetting(connection: Connection, key: string, value: string): Promise<void> {
  return replaceValue(connection, "settings", key, value);
}

/** Removes setting `key` (a key no longer used: analytics/settings.ts), in the caller's transaction. */
export async function deleteSetting(connection: Connection, key: string): Promise<void> {
  await deleteValue(connection, "settings", key);
}
