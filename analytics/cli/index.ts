/**
 * The rollcall CLI: `rollcall COMMAND [options]`. Each command lives in commands/ and
 * exports `usage` and `run(argv)`. JSON field names are a contract with scripts.
 */
import fs from "node:fs";
import path from "node:path";
import { InputError } from "../csv.ts";
import { closeAllInstances, schemaUpgradeNotice } from "../db.ts";
import { runShutdown } from "../render/shutdown.ts";
import { UsageError, asksForUsage } from "./args.ts";
import { databaseNamedAsFile } from "./database-argument.ts";
import { LOCKED, absoluteArgv, databaseOf, lockedMessage, relayToServer } from "./remote.ts";
import { cliCaller, cliErr, cliOut, PASSWORD_PROMPT, promptedFirstLine } from "./context.ts";

interface Command {
  usage: string;
  run(argv: string[]): Promise<number>;
}

/**
 * The only commands that make a school's database file. Every other command is refused when
 * its database is not there: opening a mistyped path would create an empty database, and a
 * nightly `import --db TYPO` reported "4 new" every night while the real register was untouched
 * (trial20c, trial21).
 */
const CREATES_A_DATABASE = new Set(["init", "demo"]);

/** Commands that run with no database file, and read one only if it is there (one named with --db must be). */
const NEEDS_NO_DATABASE = new Set(["version"]);

/** Why a command was refused a database path that is not there, and how to make one (the README's first-time set-up). */
export function noDatabaseMessage(database: string): string {
  const file = path.resolve(database);
  return `there is no database at ${file}: give --db FILE or set ROLLCALL_DB to the school's database, or create one with rollcall init --school NAME --db ${file} (or try rollcall demo)`;
}

/**
 * Whether command `name`, given `argv` (its arguments), is refused when its database file is not
 * there. Not: the commands that make one; `version` unless a file is named with --db; an
 * in-memory database; and `--db` last with no file after it, or with an option after it, which the
 * command's own option parsing refuses (exit 2), not "there is no database at" the default file,
 * which was not asked for (trial 34).
 */
function mustExist(name: string, argv: string[], database: string): boolean {
  const named = argv.some((arg) => arg === "--db" || arg.startsWith("--db="));
  if (CREATES_A_DATABASE.has(name) || (NEEDS_NO_DATABASE.has(name) && !named)) return false;
  // `--db` with another option after it, not a file (`--db --json`): refused by the option
  // parsing as "--db needs a value after it" (review 54: "there is no database at …/--json").
  const at = argv.indexOf("--db");
  if (at >= 0 && (at === argv.length - 1 || argv[at + 1].startsWith("-"))) return false;
  return database !== ":memory:";
}

/**
 * Why a dry run on `database` cannot go ahead: the file is at an earlier schema, which opening it
 * would upgrade one way (trial 35: `import --dry-run` upgraded a schema-7 file). Null when it may
 * (the file current, or held by the dashboard's server, which has brought it up to date already).
 */
async function dryRunNeedsUpgrade(database: string): Promise<string | null> {
  const { fileSchemaVersion, schemaState } = await import("../file-schema-version.ts");
  let version: number;
  try {
    version = await fileSchemaVersion(database);
  } catch {
    // Held by the dashboard's server (the command is relayed to it), or not a database at all
    // (the command itself says so): nothing to ask here.
    return null;
  }
  if (schemaState(version) !== "older") return null;
  const { SCHEMA_VERSION } = await import("../schema.ts");
  return (
    `${path.resolve(database)} is at schema ${version}, and this Rollcall upgrades it to ${SCHEMA_VERSION} (one way) to open it, ` +
    `which a dry run must not do: keep a copy of the file, open it once without --dry-run (e.g. rollcall settings), then run the dry run again (README "Upgrading").`
  );
}

/** Commands load lazily so that `rollcall summary` does not pay for the pack renderer. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  import: () => import("./commands/import.ts"),
  init: () => import("./commands/init.ts"),
  summary: () => import("./commands/summary.ts"),
  demo: () => import("./commands/demo.ts"),
  pack: () => import("./commands/pack.ts"),
  report: () => import("./commands/report.ts"),
  benchmarks: () => import("./commands/benchmarks.ts"),
  users: () => import("./commands/users.ts"),
  casework: () => import("./commands/casework.ts"),
  retention: () => import("./commands/retention.ts"),
  export: () => import("./commands/export.ts"),
  compact: () => import("./commands/compact.ts"),
  settings: () => import("./commands/settings.ts"),
  pupils: () => import("./commands/pupils.ts"),
  version: () => import("./commands/version.ts"),
};

export function registerCommand(name: string, load: () => Promise<Command>): void {
  COMMANDS[name] = load;
}

async function help(): Promise<string> {
  const usages = await Promise.all(Object.values(COMMANDS).map(async (load) => (await load()).usage));
  return `Rollcall: attendance analytics for primary schools\n\n${usages.join("\n\n")}\n`;
}

/**
 * The database file is held by another process. When it is the dashboard's server, the
 * command runs there (analytics/cli/remote.ts) and its output is printed here.
 */
async function whenLocked(name: string, argv: string[]): Promise<number> {
  const database = databaseOf(argv);
  const env: Record<string, string | undefined> = { ...process.env };
  if (name === "users" && !env.ROLLCALL_PASSWORD && ["add", "reset-password"].includes(argv[1] ?? "")) {
    // Typed at a terminal (not echoed) or piped: read here and sent on, since the server's own
    // standard input is not this one.
    env.ROLLCALL_PASSWORD = await promptedFirstLine(PASSWORD_PROMPT);
  }
  let result: Awaited<ReturnType<typeof relayToServer>>;
  try {
    result = await relayToServer(database, [name, ...absoluteArgv(argv.slice(1), process.cwd(), name)], env);
  } catch (error) {
    // The server refused the command or stopped while running it: one sentence, not a stack
    // (this runs in main's catch, so nothing else would catch it).
    cliErr(`rollcall ${name}: ${(error as Error).message}\n`);
    return 1;
  }
  if (!result) {
    cliErr(`rollcall ${name}: ${lockedMessage(database)}\n`);
    return 1;
  }
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return result.code;
}

/**
 * Runs one command line. `keepOpen` leaves the database open afterwards (a command run
 * inside the dashboard's server for a CLI: the server goes on using the file).
 */
export async function main(argv: string[], options: { keepOpen?: boolean } = {}): Promise<number> {
  const [given, ...rest] = argv;
  // The conventional spelling, for scripts and support calls.
  const name = given === "--version" || given === "-V" ? "version" : given;
  // `rollcall help import`: that command's usage alone.
  if (name === "help" && rest[0] && COMMANDS[rest[0]]) {
    cliOut(`${(await COMMANDS[rest[0]]()).usage}\n`);
    return 0;
  }
  if (!name || name === "help" || name === "--help" || name === "-h") {
    cliOut(await help());
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    cliErr(`rollcall: unknown command "${name}"\n\n${await help()}`);
    return 2;
  }
  const command = await load();
  // `rollcall import --help`: the command's usage, exit 0, nothing opened (every command's own
  // option parsing had refused --help as an unknown option, exit 2).
  if (asksForUsage(rest)) {
    cliOut(`${command.usage}\n`);
    return 0;
  }
  // Checked before the command opens anything, so nothing (no file, no folder) is created.
  const database = databaseOf(rest);
  if (mustExist(name, rest, database) && !fs.existsSync(database)) {
    cliErr(`rollcall ${name}: ${noDatabaseMessage(database)}\n`);
    return 1;
  }
  // A dry run changes nothing, so it does not upgrade an older file to open it (README "Upgrading").
  const upgradeFirst = rest.includes("--dry-run") && database !== ":memory:" ? await dryRunNeedsUpgrade(database) : null;
  if (upgradeFirst) {
    cliErr(`rollcall ${name}: ${upgradeFirst}\n`);
    return 1;
  }
  // Before anything opens a file: read as an input, the database would lose its lock (database-argument.ts).
  const clash = databaseNamedAsFile(rest, database);
  if (clash) {
    cliErr(`rollcall ${name}: ${clash.option} names the school's database or a file Rollcall keeps beside it (${clash.file}), not a file to read or write: give the register or output file there, and the database with --db\n\n${command.usage}\n`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof Error && LOCKED.test(error.message) && !cliCaller()?.remote) {
      await closeAllInstances();
      return whenLocked(name, argv);
    }
    if (error instanceof InputError) {
      // An ImportRefused lists up to 50 errors, one file:line:column per line.
      const many = error.message.includes("\n");
      cliErr(`rollcall ${name}: refused${many ? ":\n" : " "}${error.message}\nNothing was imported: the database is unchanged.\n`);
      return 1;
    }
    if (error instanceof UsageError) {
      cliErr(`rollcall ${name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    cliErr(`rollcall ${name}: ${(error as Error).message}\n`);
    return 1;
  } finally {
    // A one-way schema upgrade made as the command opened the file is said once, on stderr.
    const upgraded = cliCaller()?.remote ? undefined : schemaUpgradeNotice(database);
    if (upgraded) cliErr(`rollcall: ${upgraded}\n`);
    if (!options.keepOpen) {
      await closeAllInstances();
      await runShutdown();
    }
  }
}
