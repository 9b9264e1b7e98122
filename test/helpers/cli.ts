/** Runs the real `bin/rollcall.js` in a child process, as a script would, on one database file. */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);
const BIN = path.resolve("bin/rollcall.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The start of the name of the empty folders commands without `--db` run in: this process's
 * own (its pid), so a test can see that none of its runs left one behind.
 */
export const NO_DB_FOLDER_PREFIX = path.join(os.tmpdir(), `rollcall-cli-nodb-${process.pid}-`);

/**
 * Runs `run` where a command without `--db` runs: an empty folder of its own, with no
 * ROLLCALL_DB, so that "no database" means none, not the checkout's own `data/rollcall.duckdb`
 * (which `npm start` makes: a fresh clone's `npm start` then `npm test` failed rollcall
 * version's test, trial 49). The folder is removed after the run, whatever it wrote there
 * (fresh-clone trial 50: dozens were left in /tmp after one `npm test`).
 */
async function withoutDatabase<T>(run: (options: { cwd: string; env: NodeJS.ProcessEnv }) => Promise<T>): Promise<T> {
  const cwd = fs.mkdtempSync(NO_DB_FOLDER_PREFIX);
  const { ROLLCALL_DB: _ignored, ...env } = process.env;
  try {
    return await run({ cwd, env });
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

/**
 * A runner for `rollcall …` with `--db FILE` appended; when `db` is null, none, run in an empty
 * folder without ROLLCALL_DB (withoutDatabase: so a path it is given must be absolute). Exit
 * status, stdout and stderr, never throws.
 */
export function cliOn(db: string | null): (...args: string[]) => Promise<CliResult> {
  return async (...args) => {
    try {
      const command = [BIN, ...args, ...(db === null ? [] : ["--db", db])];
      const { stdout, stderr } = db === null ? await withoutDatabase((options) => exec(process.execPath, command, options)) : await exec(process.execPath, command);
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
}

/**
 * Makes `db` an empty school the way a school does (`rollcall init`, the README's first-time
 * set-up): every command but init and demo refuses a database file that is not there.
 */
export async function initSchool(db: string, school = "Test Primary"): Promise<void> {
  const made = await cliOn(db)("init", "--school", school);
  if (made.code !== 0) throw new Error(`rollcall init --db ${db} failed: ${made.stderr}`);
}

/** A writer of small text files into `dir`: `write(name, lines)` joins the lines with `eol` and returns the path. */
export function fileWriter(dir: string, eol = "\n"): (name: string, lines: string[]) => string {
  return (name, lines) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `${lines.join(eol)}${eol}`);
    return file;
  };
}

/**
 * The CLI tests' small register, written into `dir` as a school's MIS would (CRLF): Monday 2 –
 * Wednesday 4 March 2026. A (FSM): 6 sessions, 1 illness. B: 6 sessions, 3 unauthorised
 * absent (G, G, O). Import with `--as-of 2025-09-01`.
 */
/**
 * The small register's pupils present every session of the week before (Mon 23 – Fri 27
 * February 2026), written into `dir` as february.csv (its path returned), for a test that needs a
 * pack: a month before the register's first marks has none (analytics/packs/periods.ts), so with
 * it the Packs page offers February's first.
 */
export function writeFebruaryWeek(dir: string): string {
  return fileWriter(dir)("february.csv", [
    "upn,date,session,code",
    ...["2026-02-23", "2026-02-24", "2026-02-25", "2026-02-26", "2026-02-27"].flatMap((date) => ["A123456789012", "B123456789012"].flatMap((upn) => [`${upn},${date},AM,/`, `${upn},${date},PM,\\`])),
  ]);
}

export function writeSmallRegister(dir: string): { calendar: string; pupils: string; marks: string } {
  const write = fileWriter(dir, "\r\n");
  return {
    calendar: write("calendar.csv", ["kind,name,start_date,end_date", "half_term,spring-2,2026-02-23,2026-03-27"]),
    pupils: write("pupils.csv", [
      "UPN,Legal Forename,Legal Surname,DOB,Gender,Year,Reg Group,Admission Date,Leaving Date,SEN,FSM,EAL,LAC,Ethnicity",
      "A123456789012,Ada,Lovelace,2016-04-01,F,4,4A,2025-09-01,,N,Y,N,N,WBRI",
      "B123456789012,Ben,Jonson,2016-06-01,M,4,4B,2025-09-01,,K,N,N,N,WBRI",
    ]),
    marks: write("marks.csv", [
      "upn,date,session,code",
      ...["2026-03-02", "2026-03-03", "2026-03-04"].flatMap((date) => [`A123456789012,${date},AM,/`, `A123456789012,${date},PM,${date === "2026-03-04" ? "I" : "\\"}`]),
      "B123456789012,2026-03-02,AM,G", "B123456789012,2026-03-02,PM,G", "B123456789012,2026-03-03,AM,O",
      "B123456789012,2026-03-03,PM,\\", "B123456789012,2026-03-04,AM,/", "B123456789012,2026-03-04,PM,\\",
    ]),
  };
}
