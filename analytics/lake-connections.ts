/**
 * Connections of the lake's databases (analytics/lake.ts lakeDatabases) kept with their views
 * from one opening to the next (issue 11: the Trust page afresh for every school). A view is
 * SQL over a list of Parquet files, bound again by every query that reads it, so a file's new
 * data (an export gives its files new times) is read by the next query whatever view it goes
 * through: what making the views costs — each CREATE VIEW binding read_parquet over its files,
 * every file's footer looked at (trust35: six views over 40 schools' files ≈ 50–85 ms of CPU an
 * opening, load 8–10) — need not be paid again while the views' SQL, and so the list of files,
 * is the same. A connection is handed to one opening at a time (its temporary views are its
 * own), and given back when that opening closes. An export renames its new files over the old
 * paths (analytics/lake.ts putInPlace), so views over them stay good; an opening whose work
 * failed, or whose files changed while it read (analytics/trust.ts checkUnchanged), closes its
 * connections instead of giving them back, their views dropped.
 */
import type { DuckDBInstance } from "@duckdb/node-api";
import type { Connection } from "./db.ts";

/** Sets of views kept (each its SQL), oldest used dropped first, and idle connections kept of each. */
const KEPT_VIEW_SETS = 16;
const KEPT_PER_SET = 2;

/** Per database, the idle connections by the SQL of the views made on them (in use: not here). */
const idle = new WeakMap<DuckDBInstance, Map<string, Connection[]>>();

/**
 * A connection of `instance` on which `statements` (CREATE TEMP VIEW …, one a view) have been
 * run: an idle one kept with the same views (`kept` true), or a new one they are run on. Throws
 * DuckDB's error when a new connection's views cannot be made (the connection closed).
 */
export async function connectWithViews(instance: DuckDBInstance, statements: readonly string[]): Promise<{ connection: Connection; kept: boolean }> {
  const sql = statements.join(";\n");
  const sets = idle.get(instance);
  const ready = sets?.get(sql);
  const connection = ready?.pop();
  if (connection) {
    if (ready!.length === 0) sets!.delete(sql);
    return { connection, kept: true };
  }
  const made = await instance.connect();
  try {
    // One call for all the views (DuckDB runs them in turn): a call apiece had cost one trip
    // to libuv's pool and back each (six a school counted afresh: ≈ 1 ms of its CPU).
    if (statements.length > 0) await made.run(sql);
  } catch (error) {
    made.closeSync();
    throw error;
  }
  return { connection: made, kept: false };
}

/**
 * Gives back a connection connectWithViews gave for `statements`, to be handed out again with
 * them; one past what is kept (KEPT_PER_SET of a set, KEPT_VIEW_SETS sets) is closed, and so
 * are those of the set used longest ago when a new set would exceed them.
 */
export function keepConnection(instance: DuckDBInstance, statements: readonly string[], connection: Connection): void {
  const sql = statements.join(";\n");
  let sets = idle.get(instance);
  if (!sets) idle.set(instance, (sets = new Map()));
  const ready = sets.get(sql) ?? [];
  // Moved to the back: the set most recently used.
  sets.delete(sql);
  sets.set(sql, ready);
  if (ready.length < KEPT_PER_SET) ready.push(connection);
  else connection.closeSync();
  while (sets.size > KEPT_VIEW_SETS) {
    const [oldest, connections] = sets.entries().next().value as [string, Connection[]];
    sets.delete(oldest);
    for (const c of connections) c.closeSync();
  }
}
