/**
 * The web app's access to the store: the same database file the CLI uses (ROLLCALL_DB or
 * data/rollcall.duckdb) and one connection per request.
 */
import { DUCKDB_LOCKED, enableResultCache, resolveDbPath, withConnection, type Connection } from "../../analytics/db.ts";
import { ensureAuditTable } from "../../analytics/audit.ts";
import { ensureShippedBenchmarks } from "../../analytics/benchmarks/load.ts";
import { ensureInterventionsTable } from "../../analytics/interventions/store.ts";
import { ensureCommentaryTable } from "../../analytics/packs/commentary.ts";
import { ensureChangeLog } from "../../analytics/settings.ts";
import { ensureUserTables } from "../../analytics/users/store.ts";

// The server is the file's one writer while it runs (a CLI command relays to it), so every
// change commits in this process and moves the cache on (analytics/db.ts, cachedRows).
enableResultCache();

/** A write made with what it reads, in one turn of the file's writes (analytics/db.ts). */
export { oneWriteAtATime } from "../../analytics/db.ts";

/** Work run with DuckDB at one thread (analytics/db.ts): for a page of small statements. */
export { withOneThread } from "../../analytics/db.ts";

/**
 * Runs work on a connection. While another process holds the file (a CLI import running
 * on its own), pages answer 503 with a sentence a school can act on, not a bare 500.
 */
/** The tables made on first use, per database file: made once, before any request's work. */
const prepared = new Map<string, Promise<void>>();

/**
 * Makes the tables that older files lack and loads the shipped national figures, once per
 * process. A page's loaders run at once; were each to do it on first use, their writes to
 * the same rows would conflict (DuckDB refuses the second) and the page would fail.
 */
function prepare(file: string): Promise<void> {
  let done = prepared.get(file);
  if (!done) {
    done = withConnection(file, async (c) => {
      await ensureUserTables(c);
      await ensureAuditTable(c);
      await ensureInterventionsTable(c);
      await ensureCommentaryTable(c);
      await ensureChangeLog(c);
      await ensureShippedBenchmarks(c);
    });
    done.catch(() => prepared.delete(file));
    prepared.set(file, done);
  }
  return done;
}

export async function withDb<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
  return withDbFile((file) => withConnection(file, work));
}

/**
 * Runs work given the database file, its tables made (as withDb, which runs on a connection
 * of its own): for work that keeps a connection of its own (analytics/audit.ts auditWriter).
 * While another process holds the file, throws the 503 withDb does.
 */
export async function withDbFile<T>(work: (file: string) => Promise<T>): Promise<T> {
  try {
    const file = resolveDbPath();
    await prepare(file);
    return await work(file);
  } catch (error) {
    if (error instanceof Error && DUCKDB_LOCKED.test(error.message)) throw databaseBusy();
    throw error;
  }
}

export function databaseBusy(): Response {
  return new Response("The database is busy with an import. Try again in a moment: nothing has been lost.", {
    status: 503,
    statusText: "Database busy",
    headers: { "Retry-After": "5", "Content-Type": "text/plain; charset=utf-8" },
  });
}
