/**
 * A command line that names the school's database file where a file to read or write is
 * wanted (`rollcall import --marks data/rollcall.duckdb`, `pack --out data/rollcall.duckdb`).
 * Refused before the command runs: read as an input, the file would be opened and closed in
 * the process holding the database (this one, or the dashboard's server a command is relayed
 * to), and DuckDB's lock on a file is a POSIX record lock, let go when any handle of the file
 * in that process is closed (analytics/db.ts heldHere), so another process could then open the
 * database beside it; written as an output, it would be overwritten.
 */
import fs from "node:fs";
import path from "node:path";
import { journalPath } from "../audit-journal.ts";
import { canonicalPath, serverFilePath } from "./remote.ts";

/** Whether two paths are the same file (device and inode; a link or another spelling of the path is the same file). Stat only: no file is opened. */
function sameFile(a: string, b: string): boolean {
  try {
    const x = fs.statSync(a, { bigint: true });
    const y = fs.statSync(b, { bigint: true });
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** The files beside a database that Rollcall and DuckDB write and read while it is open. */
function companions(database: string): string[] {
  const real = canonicalPath(database);
  return [`${database}.wal`, `${real}.wal`, serverFilePath(database), journalPath(path.resolve(database)), journalPath(real)];
}

/**
 * The first argument of `argv` (a command's arguments, without its name) other than --db's own
 * value that is the database file `database` or a file beside it that Rollcall or DuckDB keep
 * (its write-ahead log, the dashboard's `.server.json`, the `.audit-journal`), as
 * `{ option, file }` (`option` the option it was given to, or "a file argument" for one given
 * by position); null when there is none. Files are compared by device and inode (never
 * opened), and the files beside it by path as well, since they may not be there yet: a pack
 * written as `.server.json` had broken every later command's relay to the dashboard (trial 35).
 */
export function databaseNamedAsFile(argv: string[], database: string): { option: string; file: string } | null {
  if (database === ":memory:") return null;
  const beside = companions(database);
  const ours = [database, ...beside];
  const besidePaths = new Set(beside.map((file) => path.resolve(file)));
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === "--db") {
      i += 1;
      continue;
    }
    if (arg.startsWith("--db=")) continue;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const value = eq > 0 ? arg.slice(eq + 1) : arg.startsWith("-") ? null : arg;
    if (value === null || value === "") continue;
    if (besidePaths.has(path.resolve(value)) || besidePaths.has(canonicalPath(value)) || ours.some((file) => sameFile(value, file))) {
      const previous = argv[i - 1];
      const option = eq > 0 ? arg.slice(0, eq) : previous?.startsWith("--") && previous !== "--db" ? previous : "a file argument";
      return { option, file: path.resolve(value) };
    }
  }
  return null;
}
