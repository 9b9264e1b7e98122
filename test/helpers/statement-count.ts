/**
 * Counts the statements one connection asks DuckDB for while `work` runs, as analytics/db.ts
 * asks them: queryRows prepares one statement itself (`prepare`, counted once it is prepared),
 * and SQL it cannot prepare as one, like other callers, goes through `runAndReadAll`. Only
 * statements whose SQL `counts` accepts are counted. The connection's own methods are put back
 * when `work` ends, whether it returned or threw.
 */
import type { Connection } from "../../analytics/db.ts";

export async function countStatements<T>(c: Connection, counts: (sql: string) => boolean, work: () => Promise<T>): Promise<{ value: T; statements: number }> {
  const runAndReadAll = c.runAndReadAll;
  const prepare = c.prepare;
  let statements = 0;
  c.runAndReadAll = function (this: Connection, ...args: Parameters<Connection["runAndReadAll"]>) {
    if (counts(args[0])) statements += 1;
    return runAndReadAll.apply(this, args);
  } as Connection["runAndReadAll"];
  c.prepare = async function (this: Connection, sql: string) {
    const prepared = await prepare.call(this, sql);
    if (counts(sql)) statements += 1;
    return prepared;
  } as Connection["prepare"];
  try {
    return { value: await work(), statements };
  } finally {
    c.runAndReadAll = runAndReadAll;
    c.prepare = prepare;
  }
}
