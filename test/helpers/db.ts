/** A fresh, real DuckDB database file per test, removed afterwards. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { closeInstance, withConnection, type Connection } from "../../analytics/db.ts";

export function tempDbPath(label = "test"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rollcall-${label}-`));
  return path.join(dir, "rollcall.duckdb");
}

export async function removeDb(file: string): Promise<void> {
  await closeInstance(file);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

/**
 * A copy of the database file `from` written to `to` with DuckDB alone (attached as `b`, read
 * only, and `o`, with `attachOptions` such as "BLOCK_SIZE 262144"), then changed by `change`
 * (on a connection with both attached): a file as an earlier release or layout wrote it.
 */
export async function copyDatabase(from: string, to: string, change: (c: DuckDBConnection) => Promise<void>, attachOptions = ""): Promise<void> {
  await closeInstance(from);
  const instance = await DuckDBInstance.create(":memory:");
  const c = await instance.connect();
  await c.run(`ATTACH '${from}' AS b (READ_ONLY)`);
  await c.run(`ATTACH '${to}' AS o${attachOptions ? ` (${attachOptions})` : ""}`);
  await c.run("COPY FROM DATABASE b TO o");
  await change(c);
  await c.run("DETACH o");
  c.closeSync();
  instance.closeSync();
}

/**
 * `read` run on `db` `times` times, each on a fresh DuckDB instance of the file (the open one
 * closed first): the order of rows an ORDER BY leaves tied, or a value any_value picks, can
 * differ from one instance to the next (its parallel aggregation), so a test of a total order
 * reads on several. Returns each run's result, in order.
 */
export async function onFreshInstances<T>(db: string, times: number, read: (c: Connection) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < times; i++) {
    await closeInstance(db);
    results.push(await withConnection(db, read));
  }
  return results;
}
