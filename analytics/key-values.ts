/**
 * Writing `meta` and `settings`, the file's two tables of one text value a key (key, value).
 *
 * Neither has a PRIMARY KEY from schema 7 (analytics/schema.ts UNKEYED_TABLES): DuckDB kept
 * each key as an ART index in a block of 32 KiB of its own for a table of a dozen rows. Without
 * it, INSERT OR REPLACE and ON CONFLICT are refused (DuckDB needs the key to find the row they
 * replace), so every writer of either table goes through these functions, which keep a key's
 * value to one row.
 */
import { oneWriteAtATime, type Connection } from "./db.ts";

/** The tables of one value a key (a closed list: the name is written into the SQL). */
type KeyValueTable = "meta" | "settings";

/**
 * Replaces `key`'s value in `table` (or stores it, when it had none): its rows deleted and
 * one inserted. Two statements: run inside the caller's transaction, so that no reader sees
 * the key without a value and a failure leaves the old one.
 */
async function replaceValue(connection: Connection, table: KeyValueTable, key: string, value: string): Promise<void> {
  await connection.run(`DELETE FROM ${table} WHERE key = $key`, { key });
  await connection.run(`INSERT INTO ${table} (key, value) VALUES ($key, $value)`, { key, value });
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
  await oneWriteAtATime(connection, () => connection.run(`INSERT INTO meta (key, value) SELECT $key, $value WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = $key)`, { key, value }));
}

/** Sets setting `key` to `value` (already checked: analytics/settings.ts), in the caller's transaction. */
export function replaceSetting(connection: Connection, key: string, value: string): Promise<void> {
  return replaceValue(connection, "settings", key, value);
}
