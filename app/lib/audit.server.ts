/**
 * Recording what a web request did in the audit trail (analytics/audit.ts): who (the
 * signed-in user), their role, and from where (the client's address when the server
 * passes it in the load context as `clientAddress`).
 */
import type { AppLoadContext } from "@remix-run/node";
import { NOT_SIGNED_IN, recordAudit, type AuditAction, type AuditActor } from "../../analytics/audit.ts";
export { NOT_SIGNED_IN };
import type { Connection } from "../../analytics/db.ts";
import { getUser } from "./auth.server";
import { withDb } from "./db.server";

export interface RequestAudit {
  action: AuditAction;
  target?: string | null;
  detail?: string | null;
  /** Who, when the form names them (imports, commentary); otherwise the signed-in user. */
  actor?: AuditActor;
  role?: string;
}

/** The client's address, when the server that runs Remix supplies it; null otherwise. */
export function clientAddress(context: AppLoadContext | undefined): string | null {
  const value = (context as { clientAddress?: unknown } | undefined)?.clientAddress;
  return typeof value === "string" && value ? value : null;
}

/** Who made the request: the signed-in user, or an unsigned visitor. */
export async function requestActor(request: Request): Promise<{ actor: AuditActor; role: string }> {
  const user = await getUser(request);
  return user ? { actor: { email: user.email, name: user.name }, role: user.role } : { actor: NOT_SIGNED_IN, role: "none" };
}

/** Appends the request's audit row on the given connection (inside the caller's transaction). */
export async function auditOn(
  connection: Connection,
  request: Request,
  context: AppLoadContext | undefined,
  entry: RequestAudit,
): Promise<void> {
  const who = entry.actor ? { actor: entry.actor, role: entry.role ?? "unknown" } : await requestActor(request);
  await recordAudit(connection, { ...who, action: entry.action, target: entry.target, detail: entry.detail, ip: clientAddress(context) });
}

/** Appends the request's audit row on its own connection. */
export function auditRequest(request: Request, context: AppLoadContext | undefined, entry: RequestAudit): Promise<void> {
  return withDb((connection) => auditOn(connection, request, context, entry));
}
