/**
 * The statements analytics/db.ts asks DuckDB for, as it asks them: queryRows prepares a
 * statement with parameters itself (`prepare`) and runs one without as a one-shot query (`run`),
 * and SQL it cannot prepare as one, like other callers, goes through `runAndReadAll` (which
 * calls `run`). The one place tests know that: a change to how queryRows runs a statement is
 * made here once for every test that watches or counts statements.
 */
import { vi } from "vitest";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Connection } from "../../analytics/db.ts";

/**
 * Calls `seen(connection, sql)` for every statement asked on `target` (one connection, or
 * DuckDBConnection.prototype for every connection), awaited before the statement runs: a
 * `run` (and so a `runAndReadAll`, which goes through it) before it is called, a `prepare` once
 * prepared (a prepare that fails is not a statement run: queryRows then goes through
 * runAndReadAll). Returns `stop`, which puts both methods back (vi.restoreAllMocks does too).
 */
export function watchStatements(target: DuckDBConnection, seen: (connection: DuckDBConnection, sql: string) => void | Promise<void>): () => void {
  const run = target.run;
  const prepare = target.prepare;
  const reads = vi.spyOn(target, "run").mockImplementation(async function (this: DuckDBConnection, ...args: Parameters<typeof run>) {
    await seen(this, args[0]);
    return run.apply(this, args);
  });
  const prepares = vi.spyOn(target, "prepare").mockImplementation(async function (this: DuckDBConnection, sql: string) {
    const prepared = await prepare.call(this, sql);
    await seen(this, sql);
    return prepared;
  });
  return () => {
    reads.mockRestore();
    prepares.mockRestore();
  };
}

/**
 * Counts the statements one connection asks DuckDB for while `work` runs (watchStatements),
 * those whose SQL `counts` accepts. The connection's methods are put back when `work` ends,
 * whether it returned or threw.
 */
export async function countStatements<T>(c: Connection, counts: (sql: string) => boolean, work: () => Promise<T>): Promise<{ value: T; statements: number }> {
  let statements = 0;
  const stop = watchStatements(c, (_, sql) => {
    if (counts(sql)) statements += 1;
  });
  try {
    return { value: await work(), statements };
  } finally {
    stop();
  }
}
