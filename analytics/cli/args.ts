/** Shared option parsing for CLI commands, with messages a user can act on. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import os from "node:os";
import { ROLES, can, rolesWithWords, type Permission } from "../users/roles.ts";
import { cliCaller, cliEnv } from "./context.ts";
import { academicYearKey } from "../period-names.ts";
import { calendarDayFault } from "../calendar-day.ts";

export class UsageError extends Error {
  override name = "UsageError";
}

export type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Whether a command's arguments ask for its usage (`--help` or `-h` anywhere): the CLI then prints
 * the usage and runs nothing (analytics/cli/index.ts main), so a relayed command line asking for
 * it changes nothing (analytics/cli/remote.ts relayedReadsOnly).
 */
export function asksForUsage(args: readonly string[]): boolean {
  return args.some((arg) => arg === "--help" || arg === "-h");
}

export function parseOptions<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(optionFault(error as Error & { code?: string }));
  }
}

/**
 * Node's parseArgs refusal in the CLI's words: an unknown option named as given, not Node's
 * advice on positionals with its unbalanced quote (trial 54: "Unknown option '--bogus'. To
 * specify a positional argument starting with a '-', place it at the end of the command after
 * '--', as in '-- "--bogus""); an option without its value, or a switch given one. Any other
 * refusal as Node words it.
 */
function optionFault(error: Error & { code?: string }): string {
  const option = /Unknown option '([^']+)'/.exec(error.message)?.[1] ?? /Option '([^' ]+)/.exec(error.message)?.[1];
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) return `unknown option ${option} (this command's options are below)`;
  // "argument missing" (last on the line) or "ambiguous" (followed by another option: `--to --db x`).
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option && /argument (missing|is ambiguous)/.test(error.message)) return `${option} needs a value after it (e.g. ${option} VALUE)`;
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option && /does not take an argument/.test(error.message)) return `${option} takes no value (give ${option} alone)`;
  return error.message;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A date given as YYYY-MM-DD that is on the calendar. Date.parse takes 2026-09-31 and
 * 2027-02-29 (it rolls them over), and DuckDB then refused them with a raw "Conversion Error"
 * (trial21), so the day is checked against its month's length, leap years included.
 * Throws UsageError (exit 2) in a sentence.
 */
export function requireDate(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required (YYYY-MM-DD)`);
  if (!ISO_DATE.test(value)) throw new UsageError(`${flag} must be a date as YYYY-MM-DD (got "${value.slice(0, 40)}")`);
  const [year, month, day] = value.split("-").map(Number);
  const fault = calendarDayFault(year, month, day);
  if (fault) throw new UsageError(`${flag} ${value} is not a date: ${fault}`);
  return value;
}

/**
 * An academic year given to a flag (`--year`): 2025/26, or 2025-26 as the trust lake's folders
 * write it, as 2025/26 (period-names.ts academicYearKey, as the pages read `year=`); undefined
 * when not given. Throws UsageError (exit 2) in a sentence.
 */
export function optionalAcademicYear(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const year = academicYearKey(value);
  if (!year) throw new UsageError(`${flag} must be an academic year such as 2025/26 or 2025-26 (got "${value.slice(0, 40)}")`);
  return year;
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
  if (cliCaller()?.remote) return undefined;
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

/** What each checked action is called in a refusal ("may not import register files"). */
const ACTION_WORDS: Partial<Record<Permission, string>> = {
  import: "import register or benchmark files",
  amend: "correct a pupil's UPN",
  change_settings: "remove register entries under the retention setting",
};

/**
 * The role written to the audit trail for a command that changes the register: `--role` when
 * given, else `fallback` (what ran it: "MIS import", "CLI"). A given role must be one of the
 * five (analytics/users/roles.ts) and one that may do this on the dashboard, so the trail never
 * records a governor importing or correcting a UPN (trial20c: `--role governor` was written as
 * given). The CLI's user holds the database file, so this keeps the trail true rather than
 * guarding access. Throws UsageError (exit 2) naming the roles that may.
 */
export function actingRole(given: string | undefined, permission: Permission, fallback: string): string {
  if (given === undefined) return fallback;
  // "Governor", "Attendance lead" and "attendance-lead" name roles as people write them.
  const role = given.trim().toLowerCase().replace(/[\s-]+/g, "_");
  const may = ROLES.filter((r) => can(r, permission));
  const what = ACTION_WORDS[permission] ?? permission;
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new UsageError(`--role must be one of ${may.join(", ")} (the roles that may ${what}), or left out; got "${given}"`);
  }
  if (!can(role, permission)) throw new UsageError(`--role ${role} may not ${what}: ${rolesWithWords(permission)} may (${may.join(", ")})`);
  return role;
}

export const DB_OPTION = { db: { type: "string" } } as const;
