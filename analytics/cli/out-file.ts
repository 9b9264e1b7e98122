/**
 * The file a command writes (`--out FILE`: `rollcall pack`, `rollcall report`), checked before
 * any work and written with a plain message when the write itself fails. Trial 48: `rollcall pack
 * fgb … --out /tmp/nodir/x.pdf` worked the pack out (5–27 s) and then failed on Node's own words
 * ("ENOENT: no such file or directory, open '/tmp/nodir/x.pdf'").
 */
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "./args.ts";

/**
 * Throws a UsageError naming `option` and the path when `file` cannot be written where it is
 * asked for: its folder missing or not a folder (asked of the system as given, so `sub/../x.pdf`
 * with no `sub` is refused as the write would be: review 48), `file` itself a folder, or `file`
 * a database (a DuckDB file, or one with a write-ahead log beside it: review 48 replaced a
 * dashboard's register with a pack's HTML by a slip of `--out`). The folder is not made: a
 * mistyped path should be said, not created (unlike `export parquet --out DIR` and `demo --files
 * DIR`, which name a folder to fill). Any other file already there is replaced, as before.
 * `example`: a file name to suggest when a folder is given (e.g. "pack.pdf").
 */
export function checkOutFile(file: string, option = "--out", example = "pack.pdf"): void {
  const folder = path.dirname(file);
  const folderStat = fs.statSync(folder, { throwIfNoEntry: false });
  if (!folderStat) throw new UsageError(`${option} ${file}: the folder ${folder} does not exist (make it first, or give a file in a folder that does)`);
  if (!folderStat.isDirectory()) throw new UsageError(`${option} ${file}: ${folder} is a file, not a folder`);
  const fileStat = fs.statSync(file, { throwIfNoEntry: false });
  if (fileStat?.isDirectory()) throw new UsageError(`${option} ${file}: that is a folder; give a file name in it (e.g. ${path.join(file, example)})`);
  if ((fileStat && isDatabaseFile(file)) || fs.existsSync(`${file}.wal`)) {
    throw new UsageError(`${option} ${file}: that is a database file (a school's register), which this would overwrite; give another file name`);
  }
  try {
    fs.accessSync(folder, fs.constants.W_OK);
  } catch {
    throw new UsageError(`${option} ${file}: the folder ${folder} cannot be written by this account`);
  }
}

/** Whether `file` starts as a DuckDB database does: its main header's magic "DUCK" at byte 8. */
function isDatabaseFile(file: string): boolean {
  const head = Buffer.alloc(12);
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, "r");
    return fs.readSync(fd, head, 0, 12, 0) === 12 && head.toString("latin1", 8, 12) === "DUCK";
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes `body` to `file`, throwing "could not write FILE: reason" (the system's reason: a full disk, no permission) instead of Node's error. */
export function writeOutFile(file: string, body: Uint8Array | string): void {
  try {
    fs.writeFileSync(file, body);
  } catch (error) {
    const reason = error instanceof Error && "code" in error ? OS_REASONS[String((error as NodeJS.ErrnoException).code)] : undefined;
    throw new Error(`could not write ${file}: ${reason ?? (error instanceof Error ? error.message : String(error))}`);
  }
}

/** The system's refusals a write meets, in words. */
const OS_REASONS: Record<string, string> = {
  ENOENT: "no such folder on its path",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  EISDIR: "that is a folder",
  EROFS: "the file system is read-only",
};
