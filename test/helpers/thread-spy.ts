/**
 * Watches every statement that reads the register's marks (mark_store, mark_days, mark_weeks)
 * through DuckDBConnection.runAndReadAll: the DuckDB thread count each ran under, as its own
 * connection saw it, and the connections they ran on. For the tests that work is read at one
 * thread (analytics/db.ts withOneThread). Call `stop()` (or vi.restoreAllMocks) when done.
 */
import { vi } from "vitest";
import { DuckDBConnection } from "@duckdb/node-api";

export function watchMarkReads(): { threads: number[]; connections: Set<DuckDBConnection>; stop: () => void } {
  const run = DuckDBConnection.prototype.runAndReadAll;
  const threads: number[] = [];
  const connections = new Set<DuckDBConnection>();
  const spy = vi.spyOn(DuckDBConnection.prototype, "runAndReadAll").mockImplementation(async function (this: DuckDBConnection, ...args: Parameters<typeof run>) {
    if (/\bmark_(store|days|weeks)\b/.test(args[0])) {
      connections.add(this);
      const reader = await run.call(this, "SELECT current_setting('threads')::INTEGER AS n");
      threads.push(Number(reader.getRowObjects()[0].n));
    }
    return run.apply(this, args);
  });
  return { threads, connections, stop: () => spy.mockRestore() };
}
