/** Audit rows for what CLI commands do: imports, exports and packs written, retention. */
import { recordAudit, type AuditAction } from "../audit.ts";
import { withConnection } from "../db.ts";
import { actorFrom } from "./args.ts";
import { cliOrigin } from "./context.ts";

/** Records one CLI action as the command's user (--user, ROLLCALL_USER, USER) and role. */
export function auditCli(
  db: string,
  who: { user?: string; role?: string },
  entry: { action: AuditAction; target?: string | null; detail?: string | null },
): Promise<void> {
  const actor = actorFrom(who);
  // A command without --role (packs, reports) is recorded as run from the CLI.
  const role = who.role ?? "CLI";
  return withConnection(db, (connection) => recordAudit(connection, { actor: actor.name, role, ...entry, ip: cliOrigin() }));
}
