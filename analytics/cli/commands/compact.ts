/**
 * rollcall compact [--json] [--db FILE]
 * Rewrites the database file in the layout a new file gets, with no free blocks
 * (analytics/compact.ts): the way an existing school's file reaches the compact format.
 * Exit 0 done, 1 failed (the file unchanged), 2 bad usage — including the file being open in
 * the dashboard's server, which must be stopped first.
 */
import { compactDatabase, type FileLayout } from "../../compact.ts";
import { resolveDbPath } from "../../db.ts";
import { DB_OPTION, UsageError, parseOptions } from "../args.ts";
import { cliCaller, cliOut } from "../context.ts";

export const usage = `rollcall compact [--json] [--db FILE]
  Rewrites the database file in the current format (DuckDB storage v1.5.0, 32 KiB blocks)
  with no free space left by earlier imports, checking every table's rows, and replaces the
  file only when the copy is complete. For a file made by an older Rollcall, or grown by
  many imports. The dashboard must be stopped first (the file must not be open).`;

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const describe = (l: FileLayout) => `${mb(l.bytes)}, format ${l.storageVersion}, ${l.blockSize / 1024} KiB blocks, ${l.freeBlocks} free`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, { ...DB_OPTION, json: { type: "boolean", default: false } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  // Relayed by a CLI that found the file locked: the server is using the file, and replacing
  // it under the server's open instance would lose what the server writes next.
  if (cliCaller()?.remote) throw new UsageError("the database is open in the dashboard's server: stop the server, then run rollcall compact again");
  const result = await compactDatabase(resolveDbPath(values.db));
  if (values.json) {
    cliOut(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  cliOut(`Compacted ${result.file} (${result.tables} tables, every row checked):\n  before: ${describe(result.before)}\n  after:  ${describe(result.after)}\n`);
  return 0;
}
