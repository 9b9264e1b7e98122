/**
 * Watches every statement that reads the register's marks (mark_store, mark_days, mark_weeks)
 * through DuckDBConnection.runAndReadAll or prepare (queryRows' own): the DuckDB thread count each ran under, as its own
 * connection saw it, and the connections they ran on. For the tests that work is read at one
 * thread (analytics/db.ts withOneThread). Call `stop()` (or vi.restoreAllMocks) when done.
 */
import { vi } from "vitest";
import { DuckDBConnection } from "@duckdb/node-api";

export function watchMarkReads(): { threads: number[]; connections: Set<DuckDBConnection>; stop: () => void } {
  const read = DuckDBConnection.prototype.runAndReadAll;
  const threads: number[] = [];
  const connections = new Set<DuckDBConnection>();
  const watch = async (connection: DuckDBConnection, sql: string) => {
    if (/\bmark_(store|days|weeks)\b/.test(sql)) {
      connections.add(connection);
      const reader = await read.call(connection, "SELECT current_setting('threads')::INTEGER AS n");
      threads.push(Number(reader.getRowObjects()[0].n));
    }
  };
  const runs = vi.spyOn(DuckDBConnection.prototype, "runAndReadAll").mockImplementation(async function (this: DuckDBConnection, ...args: Parameters<typeof read>) {
    await watch(this, args[0]);
    return read.apply(this, args);
  });
  // queryRows prepares one statement itself (analytics/db.ts): watched where it is prepared.
  const prepare = DuckDBConnection.prototype.prepare;
  const prepares = vi.spyOn(DuckDBConnection.prototype, "prepare").mockImplementation(async function (this: DuckDBConnection, sql: string) {
    await watch(this, sql);
    return prepare.call(this, sql);
  });
  return {
    threads,
    connections,
    stop: () => {
      runs.mockRestore();
      prepares.mockRestore();
    },
  };
}
