/**
 * The CLI while the dashboard runs (issue 10, item 8). DuckDB lets one process open a
 * database file for writing, so while a Rollcall server holds the file every CLI command
 * would fail with DuckDB's "Conflicting lock". Instead:
 *
 * - the server, on start, writes `<database>.server.json` beside the file (mode 0600: only
 *   the account that runs Rollcall can read it) with its address and a random token, and
 *   removes it when it stops (`announceServer`);
 * - a CLI that finds the file locked reads it and sends its command line to the server
 *   (`relayToServer`), an authenticated local call: a POST to `/_rollcall/cli` carrying the
 *   token;
 * - the server checks the token and the database, runs the very same command in its own
 *   process on its own connection and on its own copies of the modules, the Remix bundle's
 *   (`runForCaller`), capturing what it prints, and the CLI
 *   prints that and exits with the command's status. The audit trail records such a
 *   command as coming from "cli via server".
 *
 * Without a server file (the lock is another CLI command's, or a server that did not
 * announce itself) the CLI says in one sentence what to do (`lockedMessage`).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DUCKDB_LOCKED, resolveDbPath } from "../db.ts";
import { asksForUsage } from "./args.ts";
import { runRelayed } from "./context.ts";

/** DuckDB's refusal when another process holds the database file (analytics/db.ts DUCKDB_LOCKED; scripts/server.js reads it here). */
export const LOCKED = DUCKDB_LOCKED;

/** The path the CLI relay route is served at (by scripts/server.js, before Remix). */
export const RELAY_PATH = "/_rollcall/cli";

/** Environment variables a command may read that travel with a relayed command line. */
const FORWARDED_ENV = ["ROLLCALL_USER", "USER", "ROLLCALL_PASSWORD", "ROLLCALL_TODAY"] as const;

/** Options whose value is a file or folder path (made absolute before relaying), for every command … */
const PATH_OPTIONS = new Set(["--db", "--out", "--dir"]);
/**
 * … and for these commands (where the same name may be no path elsewhere: `demo --pupils 4500`).
 * Made absolute whether or not the file is there, so a relayed command reads from, or says it
 * cannot find, the file the caller named, never one of that name in the server's folder
 * (review 48: `import --marks data/x.csv` relayed from a folder without it read the server's).
 */
const COMMAND_PATH_OPTIONS: Record<string, ReadonlySet<string>> = {
  import: new Set(["--marks", "--pupils", "--calendar"]),
  demo: new Set(["--files"]),
};
/** Commands whose action is followed by a file: `benchmarks import FILE`. */
const FILE_AFTER_ACTION: Record<string, string> = { benchmarks: "import" };

interface ServerFile {
  url: string;
  pid: number;
  token: string;
  database: string;
}

/**
 * The file a path names, whatever the path: absolute, with every symbolic link followed
 * (fs.realpathSync), so `--db school.duckdb` and `--db ~/link-to-school.duckdb` are the same
 * database to the relay. A path to no file yet (rollcall init) is only made absolute.
 */
export function canonicalPath(file: string): string {
  const absolute = path.resolve(file);
  try {
    return fs.realpathSync(absolute);
  } catch {
    return absolute;
  }
}

/** `<database>.server.json`, beside the database file (its real path: canonicalPath). */
export function serverFilePath(database: string): string {
  return `${canonicalPath(database)}.server.json`;
}

/**
 * Written by the server once it listens: where it answers and the token a CLI must send.
 * Returns a function that removes the file (call it when the server stops). An existing
 * file (from a server that was killed) is replaced.
 */
export function announceServer(database: string, url: string): { token: string; remove(): void } {
  const file = serverFilePath(database);
  const token = crypto.randomBytes(32).toString("hex");
  const content: ServerFile = { url, pid: process.pid, token, database: canonicalPath(database) };
  // Written whole beside it, then renamed into place: a CLI (or a test) reading the file never
  // sees it empty or half written (a reader between create and write found "Unexpected end of
  // JSON input"). The rename replaces a killed server's file.
  const written = `${file}.${process.pid}.tmp`;
  fs.rmSync(written, { force: true });
  fs.writeFileSync(written, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  fs.renameSync(written, file);
  return {
    token,
    remove() {
      try {
        const current = JSON.parse(fs.readFileSync(file, "utf8")) as ServerFile;
        if (current.token === token) fs.rmSync(file, { force: true });
      } catch {
        // Already gone.
      }
    },
  };
}

/** The value of `--db` in a command line (either `--db FILE` or `--db=FILE`), else the default. */
export function databaseOf(argv: string[]): string {
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === "--db" && i + 1 < argv.length) return argv[i + 1];
    if (argv[i].startsWith("--db=")) return argv[i].slice("--db=".length);
  }
  return resolveDbPath();
}

/**
 * The command line as the server must see it: the server runs in another directory, so file
 * arguments (existing files given by position, the values of --db, --out and --dir, and those
 * of `command`'s own file options, COMMAND_PATH_OPTIONS and FILE_AFTER_ACTION) are made absolute,
 * and the database is always named.
 */
export function absoluteArgv(argv: string[], cwd = process.cwd(), command = ""): string[] {
  const out: string[] = [];
  const isPath = (option: string) => PATH_OPTIONS.has(option) || (COMMAND_PATH_OPTIONS[command]?.has(option) ?? false);
  // Where the file after the command's action stands (`benchmarks import FILE`), or none (-1).
  const actionAt = FILE_AFTER_ACTION[command] === undefined ? -1 : argv.indexOf(FILE_AFTER_ACTION[command]);
  const fileAt = actionAt < 0 ? -1 : actionAt + 1;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0 && isPath(arg.slice(0, eq))) {
      out.push(`${arg.slice(0, eq)}=${path.resolve(cwd, arg.slice(eq + 1))}`);
    } else if (isPath(arg) && i + 1 < argv.length) {
      out.push(arg, path.resolve(cwd, argv[i + 1]));
      i += 1;
    } else if (i === fileAt && !arg.startsWith("-")) {
      out.push(path.resolve(cwd, arg));
    } else if (!arg.startsWith("-") && fs.existsSync(path.resolve(cwd, arg)) && fs.statSync(path.resolve(cwd, arg)).isFile()) {
      out.push(path.resolve(cwd, arg));
    } else {
      out.push(arg);
    }
  }
  if (!argv.some((a) => a === "--db" || a.startsWith("--db="))) out.push("--db", path.resolve(cwd, resolveDbPath()));
  return out;
}

/** The one sentence a CLI prints when the file is locked and no server will take the command. */
export function lockedMessage(database: string): string {
  return (
    `the database ${database} is open in another Rollcall process (another command still running, or a dashboard ` +
    `started before this version): wait for it to finish or stop it, then run this again.`
  );
}

/**
 * Why a dashboard could not start on `database`: DuckDB's lock on the file is held by another
 * process (`lockError`, DuckDB's message, names its PID). One sentence for the person starting
 * it, not a stack trace (a fresh-clone trial started a second `npm start` on the demo's file and
 * got an uncaught "IO Error: Could not set lock"): where the dashboard already serving the file
 * answers, when its announcement (`<database>.server.json`) is there, else the holder's PID.
 */
export function heldAtStartMessage(database: string, lockError: string): string {
  let announced: Partial<ServerFile> = {};
  try {
    announced = JSON.parse(fs.readFileSync(serverFilePath(database), "utf8")) as Partial<ServerFile>;
  } catch {
    // No announcement: another command (the CLI) or a dashboard still starting holds it.
  }
  const pid = /\(PID (\d+)\)/.exec(lockError)?.[1] ?? (typeof announced.pid === "number" ? String(announced.pid) : null);
  const holder =
    typeof announced.url === "string" && (pid === null || String(announced.pid) === pid)
      ? `a Rollcall dashboard already serves it at ${announced.url}${pid ? ` (PID ${pid})` : ""}: use that one, or stop it first (kill ${pid ?? "its PID"})`
      : `another process holds it${pid ? ` (PID ${pid})` : ""}, a Rollcall command still running or a dashboard starting: wait for it, or stop it first`;
  return `Rollcall did not start: the database ${database} is already open. ${holder[0].toUpperCase()}${holder.slice(1)}. To run a second dashboard, give it its own file: ROLLCALL_DB=other.duckdb PORT=3001 npm start`;
}

export interface RelayedResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** What a relayed command cost the server (runForCaller), for its log: never sent to the caller. */
export interface RelayCost {
  /** Wall time of the command in the server, s. */
  seconds: number;
  /**
   * Governors' tables worked out in the server while it ran (analytics/governor-lattice.ts
   * governorTablesMade; the dashboard's own work at the same time counts too): 0 when the
   * dashboard had made every plan the command needed, as a command run on its module copies finds.
   */
  governorTables: number;
}

/**
 * Sends a command line to the server holding `database`, if one announced itself and
 * answers. Returns its result, or undefined when there is no such server (no file, or a
 * stale one whose server has gone). Throws when the server refuses (wrong token, another
 * database) with its reason.
 */
export async function relayToServer(database: string, argv: string[], env: Record<string, string | undefined>): Promise<RelayedResult | undefined> {
  let announced: ServerFile;
  try {
    announced = JSON.parse(fs.readFileSync(serverFilePath(database), "utf8")) as ServerFile;
  } catch {
    return undefined;
  }
  const forwarded: Record<string, string> = {};
  for (const name of FORWARDED_ENV) if (env[name] !== undefined) forwarded[name] = env[name]!;
  // The caller's account name stands in for USER when its environment has none (cron).
  if (forwarded.USER === undefined) {
    try {
      forwarded.USER = os.userInfo().username;
    } catch {
      // No account name to give.
    }
  }
  let response: Response;
  try {
    response = await fetch(new URL(RELAY_PATH, announced.url), {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${announced.token}` },
      body: JSON.stringify({ argv, env: forwarded }),
    });
  } catch (error) {
    // Nothing listening: a server that was killed left its file. Anything else (the connection
    // closed once the command was sent) is a server that stopped while it ran the command, which
    // may or may not have finished: said so, not "open in another process … run this again"
    // (review 48: an import stopped that way could have been run twice).
    if (connectionRefused(error)) return undefined;
    throw new Error(
      `the dashboard's server stopped while it ran this command, so whether it finished is not known: ` +
        `look at the dashboard (the Imports page, the audit trail) or run rollcall version once it is back, before running it again`,
    );
  }
  if (!response.ok) throw new Error(`the dashboard's server refused the command (${response.status}): ${(await response.text()).slice(0, 200)}`);
  return (await response.json()) as RelayedResult;
}

/** Whether fetch failed because nothing listens at the address (ECONNREFUSED, in its `cause`). */
function connectionRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; errors?: Array<{ code?: string }> } } | null)?.cause;
  // Node tries each address of "localhost" in turn: an AggregateError of refusals.
  return cause?.code === "ECONNREFUSED" || (cause?.errors?.length ? cause.errors.every((e) => e.code === "ECONNREFUSED") : false);
}

/** Constant-time comparison of the token a caller sent with the server's. */
export function tokenMatches(sent: string | undefined, token: string): boolean {
  if (typeof sent !== "string") return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/**
 * Runs a relayed command line inside the server, on the server's own database instance,
 * and returns what it printed and its exit status, and what it cost the server (for its log).
 * The body is `{argv: string[], env}`. The server calls the copy of this function in its Remix
 * bundle (app/entry.server.tsx), so the command runs on the modules the pages use and finds
 * everything they keep (the governors' plans, the year rows …), not a second copy's.
 * Throws a RelayRefused (status 400) for a malformed body or a command for another
 * database file. The caller (scripts/server.js) has checked the token.
 */
export async function runForCaller(body: unknown, serverDatabase: string): Promise<RelayedResult & { cost: RelayCost }> {
  const { argv, env } = (body ?? {}) as { argv?: unknown; env?: unknown };
  if (!Array.isArray(argv) || !argv.every((a) => typeof a === "string") || argv.length > 200) throw new RelayRefused("argv must be a list of strings");
  const callerEnv: Record<string, string | undefined> = {};
  if (env && typeof env === "object") {
    for (const name of FORWARDED_ENV) {
      const value = (env as Record<string, unknown>)[name];
      if (typeof value === "string") callerEnv[name] = value;
    }
  }
  // The same file by any path to it (a symbolic link: canonicalPath); the command then runs on
  // the path the server opened it by, so it shares the server's open instance of the file.
  if (canonicalPath(databaseOf(argv)) !== canonicalPath(serverDatabase)) {
    throw new RelayRefused(`this server holds ${canonicalPath(serverDatabase)}, not ${canonicalPath(databaseOf(argv))}`);
  }
  const command = withDatabase(argv, serverDatabase);
  const { main } = await import("./index.ts");
  // Read where the command runs: the copy of analytics/ that runs it (scripts/server.js runs it in the Remix bundle).
  const { governorTablesMade } = await import("../governor-lattice.ts");
  const tablesBefore = governorTablesMade();
  const started = performance.now();
  let stdout = "";
  let stderr = "";
  const code = await runRelayed({ remote: true, env: callerEnv, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, () => main(command, { keepOpen: true }));
  return { code, stdout, stderr, cost: { seconds: (performance.now() - started) / 1000, governorTables: governorTablesMade() - tablesBefore } };
}

/** Commands that read the register and write nothing to it but an audit row (an export's, a pack's download). */
const READS_ONLY = new Set(["summary", "pack", "report", "export", "casework", "version", "--version", "-V", "help", "--help", "-h"]);

/**
 * Whether a relayed command line (`argv` as runForCaller takes it: the command's name first)
 * changes nothing a page shows: a command of READS_ONLY, `settings` without `set`, `users list` and
 * `users lockouts`, `retention` without `--apply`, a dry run (`import` or `pupils correct-upn` with
 * `--dry-run`), or any command asked for its usage (`--help`). Their only
 * write is an audit row, which the Audit page's kept copy is versioned by (scripts/page-cache.js
 * VERSIONED_PAGES), so the server keeps every other page for them: dropping them all made the
 * warm-up make every page again (136 page views on the demo school, 15–30 s of the server's CPU)
 * for each `rollcall summary` typed while the dashboard runs. False for anything else, and for
 * anything not a list of strings: a command that may write drops every kept page (scripts/server.js).
 */
export function relayedReadsOnly(argv: unknown): boolean {
  if (!Array.isArray(argv) || !argv.every((a) => typeof a === "string")) return false;
  const [name, ...rest] = argv as string[];
  if (asksForUsage(rest)) return true;
  if (READS_ONLY.has(name)) return true;
  // Conservative: a "set" or "--apply" anywhere (even as another option's value) counts as a write.
  if (name === "settings") return !rest.includes("set");
  if (name === "users") return rest[0] === "list" || rest[0] === "lockouts";
  if (name === "retention") return !rest.some((arg) => arg === "--apply" || arg.startsWith("--apply="));
  // A dry run runs every check and the whole merge and rolls back (no commit, no audit row); only
  // the flag itself counts, before any `--` (after it, a word is no option).
  if (name === "import" || name === "pupils") {
    const end = rest.indexOf("--");
    return (end === -1 ? rest : rest.slice(0, end)).includes("--dry-run");
  }
  return false;
}

/** The command line with its `--db` (either form) naming `database`. */
function withDatabase(argv: string[], database: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === "--db" && i + 1 < argv.length) {
      out.push("--db", database);
      i += 1;
    } else if (argv[i].startsWith("--db=")) out.push(`--db=${database}`);
    else out.push(argv[i]);
  }
  return out;
}

export class RelayRefused extends Error {
  override name = "RelayRefused";
}
