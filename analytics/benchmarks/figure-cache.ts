/**
 * Published figures already read by a connection, by academic year. Connections are one
 * unit of work each (a request, a CLI command), so the cache lives as long as that work;
 * insertFigures forgets a connection's cache, so a lookup after an import sees the import.
 * Its own module so that the store and the comparisons share it without an import cycle.
 */
import type { Connection } from "../db.ts";

const cache = new WeakMap<Connection, Map<string, Promise<unknown[]>>>();

export function cachedYears<T>(connection: Connection): Map<string, Promise<T[]>> {
  let years = cache.get(connection);
  if (!years) cache.set(connection, (years = new Map()));
  return years as Map<string, Promise<T[]>>;
}

export function forgetCachedFigures(connection: Connection): void {
  cache.delete(connection);
}
