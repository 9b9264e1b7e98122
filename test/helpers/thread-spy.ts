/**
 * Watches every statement that reads the register's marks (mark_store, mark_days, mark_weeks)
 * as analytics/db.ts asks it (watchStatements: runAndReadAll, or queryRows' own prepare): the
 * DuckDB thread count each ran under, as its own connection saw it, and the connections they
 * ran on. For the tests of the thread count work is read at (analytics/db.ts withOneThread).
 * Call `stop()` (or vi.restoreAllMocks) when done.
 */
import { DuckDBConnection } from "@duckdb/node-api";
import { watchStatements } from "./statement-count.ts";

export function watchMarkReads(): { threads: number[]; connections: Set<DuckDBConnection>; stop: () => void } {
  const read = DuckDBConnection.prototype.runAndReadAll;
  const threads: number[] = [];
  const connections = new Set<DuckDBConnection>();
  const stop = watchStatements(DuckDBConnection.prototype, async (connection, sql) => {
    if (/\bmark_(store|days|weeks)\b/.test(sql)) {
      connections.add(connection);
      const reader = await read.call(connection, "SELECT current_setting('threads')::INTEGER AS n");
      threads.push(Number(reader.getRowObjects()[0].n));
    }
  });
  return { threads, connections, stop };
}
