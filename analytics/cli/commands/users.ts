/**
 * rollcall users add|list|disable|enable|set-role|reset-password|lockouts|unlock — accounts for sign-in, and clearing a sign-in lockout.
 *
 * A contract used by scripted set-up (issue 9): `users add --email E --name N --role ROLE`
 * reads the password from ROLLCALL_PASSWORD, else from standard input (first line); refuses
 * passwords under 12 characters. Exit 0 success, 1 refusal, 2 bad usage.
 */
import { resolveDbPath, withConnection } from "../../db.ts";
import { ROLES, ROLE_LABELS } from "../../users/roles.ts";
import { AccountError, LOCKOUT_RULE, clearLockout, createUser, listLockouts, listUsers, resetPassword, setDisabled, setRole, unlockMessage } from "../../users/store.ts";
import { londonStamp } from "../../time.ts";
import { lockoutLiftsAt } from "../../users/lockout-words.ts";
import { formatTable } from "../table.ts";
import { DB_OPTION, UsageError, actorFrom, parseOptions } from "../args.ts";
import { cliCaller, cliEnv, cliErr, cliOrigin, cliOut, PASSWORD_PROMPT, promptedFirstLine } from "../context.ts";

export const usage = `rollcall users add --email E --name N --role ROLE [--db FILE]
rollcall users list [--json] [--db FILE]
rollcall users set-role --email E --role ROLE [--db FILE]
rollcall users disable|enable --email E [--db FILE]
rollcall users reset-password --email E [--db FILE]
rollcall users lockouts [--json] [--db FILE]
rollcall users unlock (--email E | --address A | --email E --address A) [--db FILE]
  Accounts for signing in. Every change is on the audit trail as the CLI's user (--user NAME,
  else ROLLCALL_USER, else USER). Roles: ${ROLES.join(", ")}. The password (at least 12
  characters) comes from ROLLCALL_PASSWORD, else the first line of standard input; it is
  stored only as a scrypt hash. ${LOCKOUT_RULE}: \`lockouts\` lists those in force;
  \`unlock\` clears one (an account from every address, from one address, or a whole
  address), on the audit trail. While the dashboard runs, the command runs in its server.`;

/**
 * Said whenever no password came, in the CLI's own process or run inside the dashboard's
 * server: both ways of giving one, since which the caller can use depends on how they run it
 * (a piped line is read by the CLI and sent on to the server as ROLLCALL_PASSWORD).
 */
export const NO_PASSWORD =
  "no password given: set ROLLCALL_PASSWORD, or give it as the first line of standard input (piped, e.g. `… < file`, or typed when asked at a terminal)";

async function readPassword(): Promise<string> {
  const fromEnv = cliEnv("ROLLCALL_PASSWORD");
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  // Run inside the dashboard's server for a CLI (analytics/cli/remote.ts): the server's own
  // standard input is not the caller's; the caller sends a piped password as ROLLCALL_PASSWORD,
  // so arriving here means the caller's standard input was empty too.
  if (cliCaller()?.remote) throw new UsageError(NO_PASSWORD);
  const line = await promptedFirstLine(PASSWORD_PROMPT);
  if (line === undefined || line === "") throw new UsageError(NO_PASSWORD);
  return line;
}

function need(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required`);
  return value;
}

export async function run(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseOptions(rest, {
    ...DB_OPTION,
    email: { type: "string" },
    name: { type: "string" },
    role: { type: "string" },
    json: { type: "boolean" },
    user: { type: "string" },
    address: { type: "string" },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const file = resolveDbPath(values.db);
  if (values.role !== undefined && !(ROLES as readonly string[]).includes(values.role)) {
    throw new UsageError(`--role must be one of ${ROLES.join(", ")} (got "${values.role}")`);
  }
  // Who made the change, for the audit trail: the person at the keyboard, from the CLI.
  const by = { actor: actorFrom({ user: values.user }).name, role: "CLI", ip: cliOrigin() };
  try {
    switch (action) {
      case "add": {
        const email = need(values.email, "--email");
        const name = need(values.name, "--name");
        const role = need(values.role, "--role");
        const password = await readPassword();
        const user = await withConnection(file, (c) => createUser(c, { email, name, role, password }, by));
        cliOut(`Added ${user.name} <${user.email}> as ${ROLE_LABELS[user.role]}.\n`);
        return 0;
      }
      case "list": {
        const users = await withConnection(file, (c) => listUsers(c));
        if (values.json) {
          cliOut(`${JSON.stringify(users.map((u) => ({ email: u.email, name: u.name, role: u.role, disabled: u.disabled, must_change_password: u.mustChangePassword, created_at: u.createdAt })), null, 2)}\n`);
        } else if (users.length === 0) {
          cliOut("No accounts yet: add one with `rollcall users add`.\n");
        } else {
          cliOut(
            `${formatTable(users.map((u) => ({ email: u.email, name: u.name, role: u.role, status: u.disabled ? "disabled" : u.mustChangePassword ? "active; to choose own password" : "active" })))}\n`,
          );
        }
        return 0;
      }
      case "set-role": {
        const email = need(values.email, "--email");
        const role = need(values.role, "--role");
        const { user, previous } = await withConnection(file, (c) => setRole(c, email, role, by));
        cliOut(`${user.email}: ${previous} → ${user.role}.\n`);
        return 0;
      }
      case "disable":
      case "enable": {
        const email = need(values.email, "--email");
        const user = await withConnection(file, (c) => setDisabled(c, email, action === "disable", by));
        cliOut(`${user.email} ${action === "disable" ? "disabled (signed out everywhere)" : "enabled"}.\n`);
        return 0;
      }
      case "reset-password": {
        const email = need(values.email, "--email");
        const password = await readPassword();
        // Set by someone at the server for the account's holder: they are asked to choose their own at sign-in.
        const user = await withConnection(file, (c) => resetPassword(c, email, password, by, new Date(), true));
        cliOut(`New password set for ${user.email} (signed out everywhere; they will be asked to choose their own when they sign in).\n`);
        return 0;
      }
      case "lockouts": {
        const locks = await withConnection(file, (c) => listLockouts(c));
        if (values.json) {
          cliOut(`${JSON.stringify(locks, null, 2)}\n`);
        } else if (locks.length === 0) {
          cliOut("No sign-in is locked out.\n");
        } else {
          cliOut(
            `${formatTable(locks.map((l) => ({ account: l.email ?? "(every account)", address: l.address, failures: String(l.failures), "locked until": londonStamp(lockoutLiftsAt(l.until)) })))}\n`,
          );
        }
        return 0;
      }
      case "unlock": {
        if (!values.email && !values.address) throw new UsageError("unlock needs --email E, --address A, or both");
        const cleared = await withConnection(file, (c) => clearLockout(c, { email: values.email, address: values.address }, by));
        cliOut(`${unlockMessage(cleared, values)}\n`);
        return 0;
      }
      default:
        throw new UsageError(
          action ? `unknown action "${action}"` : "say what to do: add, list, set-role, disable, enable, reset-password, lockouts or unlock",
        );
    }
  } catch (error) {
    if (error instanceof AccountError) {
      cliErr(`rollcall users ${action}: refused: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
