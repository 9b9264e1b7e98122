/**
 * The rollcall CLI: `rollcall COMMAND [options]`. Each command lives in commands/ and
 * exports `usage` and `run(argv)`. JSON field names are a contract with scripts.
 */
import { InputError } from "../csv.ts";
import { closeAllInstances } from "../db.ts";
import { UsageError } from "./args.ts";

interface Command {
  usage: string;
  run(argv: string[]): Promise<number>;
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
};

export function registerCommand(name: string, load: () => Promise<Command>): void {
  COMMANDS[name] = load;
}

async function help(): Promise<string> {
  const usages = await Promise.all(Object.values(COMMANDS).map(async (load) => (await load()).usage));
  return `Rollcall: attendance analytics for primary schools\n\n${usages.join("\n\n")}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(await help());
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`rollcall: unknown command "${name}"\n\n${await help()}`);
    return 2;
  }
  const command = await load();
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof InputError) {
      // An ImportRefused lists up to 50 errors, one file:line:column per line.
      const many = error.message.includes("\n");
      process.stderr.write(`rollcall ${name}: refused${many ? ":\n" : " "}${error.message}\nNothing was imported: the database is unchanged.\n`);
      return 1;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`rollcall ${name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    process.stderr.write(`rollcall ${name}: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await closeAllInstances();
  }
}
