/** Runs the real `bin/rollcall.js` in a child process, as a script would, on one database file. */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);
const BIN = path.resolve("bin/rollcall.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A runner for `rollcall …` with `--db FILE` appended; exit status, stdout and stderr, never throws. */
export function cliOn(db: string): (...args: string[]) => Promise<CliResult> {
  return async (...args) => {
    try {
      const { stdout, stderr } = await exec(process.execPath, [BIN, ...args, "--db", db]);
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
}
