/**
 * The web app's access to the store: the same database file the CLI uses (ROLLCALL_DB or
 * data/rollcall.duckdb) and one connection per request.
 */
import { resolveDbPath, withConnection, type Connection } from "../../analytics/db.ts";

/** DuckDB's refusal when another process (a CLI import) holds the database file. */
const LOCKED = /Could not set lock on file|Conflicting lock is held/;

/**
 * Runs work on a connection. While another process holds the file (a CLI import running
 * on its own), pages answer 503 with a sentence a school can act on, not a bare 500.
 */
export async function withDb<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
  try {
    return await withConnection(resolveDbPath(), work);
  } catch (error) {
    if (error instanceof Error && LOCKED.test(error.message)) throw databaseBusy();
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
