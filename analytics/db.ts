/**
 * The DuckDB store: where the database file is, one instance per file per process,
 * one connection per unit of work, and rows converted to plain JavaScript values
 * (numbers and ISO strings, never bigint or DuckDB value objects).
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";
import path from "node:path";
import fs from "node:fs";
import { ensureSchema } from "./schema.ts";

export type Connection = DuckDBConnection;
export type SqlParams = Record<string, DuckDBValue>;
export type Plain = string | number | boolean | null;
export type Row = Record<string, Plain>;

export const DEFAULT_DB_PATH = path.join("data", "rollcall.duckdb");

/** Database file from --db, else ROLLCALL_DB, else data/rollcall.duckdb. */
export function resolveDbPath(flag?: string | null): string {
  if (flag) return flag;
  if (process.env.ROLLCALL_DB) return process.env.ROLLCALL_DB;
  return DEFAULT_DB_PATH;
}

const instances = new Map<string, Promise<DuckDBInstance>>();

async function createInstance(file: string): Promise<DuckDBInstance> {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // From DuckDB's process-wide cache: the dashboard's server also loads the CLI's copy of
  // this module (analytics/cli/remote.ts), and both must share the one open database.
  const instance = file === ":memory:" ? await DuckDBInstance.create(file) : await DuckDBInstance.fromCache(path.resolve(file));
  const connection = await instance.connect();
  try {
    await ensureSchema(connection);
  } finally {
    connection.closeSync();
  }
  return instance;
}

/** The process's instance for a database file, created (with its schema) on first use. */
export function openInstance(file: string): Promise<DuckDBInstance> {
  const key = file === ":memory:" ? file : path.resolve(file);
  let instance = instances.get(key);
  if (!instance) {
    instance = createInstance(file);
    instances.set(key, instance);
    instance.catch(() => instances.delete(key));
  }
  return instance;
}

/** Closes a file's instance so another process may open it (the CLI does this on exit). */
export async function closeInstance(file: string): Promise<void> {
  const key = file === ":memory:" ? file : path.resolve(file);
  const instance = instances.get(key);
  if (!instance) return;
  instances.delete(key);
  (await instance).closeSync();
}

/** Runs one unit of work on its own connection, closed afterwards whatever happens. */
export async function withConnection<T>(file: string, work: (connection: Connection) => Promise<T>): Promise<T> {
  const instance = await openInstance(file);
  const connection = await instance.connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
  }
}

/** Runs work in a transaction: committed if it returns, rolled back if it throws. */
/** Connections inside an inTransaction call: a nested call joins the outer transaction. */
const openTransactions = new WeakSet<Connection>();

export async function inTransaction<T>(connection: Connection, work: () => Promise<T>): Promise<T> {
  // DuckDB has no nested transactions; a unit of work called inside another (settings saved
  // while a school is created) belongs to the outer one, which commits or rolls back all.
  if (openTransactions.has(connection)) return work();
  await connection.run("BEGIN TRANSACTION");
  openTransactions.add(connection);
  try {
    const result = await work();
    await connection.run("COMMIT");
    return result;
  } catch (error) {
    await connection.run("ROLLBACK");
    throw error;
  } finally {
    openTransactions.delete(connection);
  }
}

function toPlain(value: unknown): Plain {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "object" && "toDouble" in value && typeof (value as { toDouble: unknown }).toDouble === "function") {
    return (value as { toDouble(): number }).toDouble();
  }
  // Dates, timestamps and enums print as ISO text.
  return String(value);
}

/** Runs a query with bound parameters and returns plain rows. */
export async function queryRows<T extends Row = Row>(connection: Connection, sql: string, params: SqlParams = {}): Promise<T[]> {
  const reader = await connection.runAndReadAll(sql, params);
  return reader.getRowObjects().map((row) => {
    const plain: Row = {};
    for (const [key, value] of Object.entries(row)) plain[key] = toPlain(value);
    return plain as T;
  });
}

export async function queryOne<T extends Row = Row>(connection: Connection, sql: string, params: SqlParams = {}): Promise<T | undefined> {
  const rows = await queryRows<T>(connection, sql, params);
  return rows[0];
}

/** Closes every open instance (end of a CLI command), so the file is complete on disk. */
export async function closeAllInstances(): Promise<void> {
  const pending = [...instances.values()];
  instances.clear();
  for (const instance of pending) {
    try {
      (await instance).closeSync();
    } catch {
      // An instance that failed to open has nothing to close.
    }
  }
}
