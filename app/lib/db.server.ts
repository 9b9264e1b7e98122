/**
 * The web app's access to the store: the same database file the CLI uses (ROLLCALL_DB or
 * data/rollcall.duckdb) and one connection per request.
 */
import { resolveDbPath, withConnection, type Connection } from "../../analytics/db.ts";

export function withDb<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
  return withConnection(resolveDbPath(), work);
}
