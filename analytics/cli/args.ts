/** Shared option parsing for CLI commands, with messages a user can act on. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import os from "node:os";
import { cliContext, cliEnv } from "./context.ts";

export class UsageError extends Error {
  override name = "UsageError";
}

export type Options = NonNullable<ParseArgsConfig["options"]>;

export function parseOptions<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function requireDate(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required (YYYY-MM-DD)`);
  if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(value))) throw new UsageError(`${flag} must be a date as YYYY-MM-DD (got "${value}")`);
  return value;
}

export function optionalDate(value: string | undefined, flag: string): string | undefined {
  return value === undefined ? undefined : requireDate(value, flag);
}

/**
 * The operating system's name for this process's account, when the environment does not say
 * (cron and systemd jobs have no USER). Not for a command run inside the server for a CLI:
 * the server's account is not the caller's.
 */
function loginName(): string | undefined {
  if (cliContext.getStore()?.remote) return undefined;
  try {
    return os.userInfo().username || undefined;
  } catch {
    return undefined;
  }
}

/** Who is running the command, for the register's amendment trail. */
export function actorFrom(values: { user?: string; role?: string }) {
  return {
    name: values.user ?? cliEnv("ROLLCALL_USER") ?? cliEnv("USER") ?? loginName() ?? "unknown user",
    role: values.role ?? "MIS import",
  };
}

export const DB_OPTION = { db: { type: "string" } } as const;
