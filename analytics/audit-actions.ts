/**
 * The audit trail's closed list of actions, their labels and the Audit page's columns. No imports: the page's
 * component reads the labels in the browser too.
 */

/** The closed list of things the trail records. */
export const AUDIT_ACTIONS = [
  "sign_in",
  "sign_in_failed",
  "sign_in_unlock",
  "sign_out",
  "pupil_view",
  "pupil_list_view",
  "export",
  "pack_download",
  "import",
  "import_refused",
  "amendment",
  "settings_change",
  "commentary_save",
  "user_add",
  "user_change",
  "role_change",
  "retention",
  "upn_corrected",
  "intervention_add",
  "intervention_change",
  "intervention_withdraw",
  "refused",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  sign_in: "Signed in",
  sign_in_failed: "Sign-in failed",
  sign_in_unlock: "Cleared a sign-in lockout",
  sign_out: "Signed out",
  pupil_view: "Viewed a pupil",
  pupil_list_view: "Viewed pupils by name",
  export: "Exported a file",
  pack_download: "Downloaded a pack",
  import: "Imported files",
  import_refused: "Import refused",
  amendment: "Amended a mark",
  settings_change: "Changed settings",
  commentary_save: "Saved pack commentary",
  user_add: "Added a user",
  user_change: "Changed a user",
  role_change: "Changed a role",
  retention: "Removed old register entries",
  upn_corrected: "Corrected a pupil's UPN",
  intervention_add: "Recorded an intervention",
  intervention_change: "Changed an intervention",
  intervention_withdraw: "Withdrew an intervention",
  refused: "Refused a request",
};

/**
 * Where an action was taken: the web (a client's address) or the command line. A CLI command
 * is recorded under what it did — an import, an export, a pack, a user added — with "cli" (or
 * "cli via server", relayed to the running server) in the From column (analytics/cli/audit.ts),
 * so "what was done from the command line" is this filter, not an action of its own.
 */
export const AUDIT_ORIGINS = ["web", "cli"] as const;
export type AuditOrigin = (typeof AUDIT_ORIGINS)[number];
export const AUDIT_ORIGIN_LABELS: Record<AuditOrigin, string> = { web: "The web (a browser)", cli: "The command line" };
export function isAuditOrigin(value: string): value is AuditOrigin {
  return (AUDIT_ORIGINS as readonly string[]).includes(value);
}

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}


/**
 * The columns of the Audit page and of its CSV, in order. Each means one thing on every row:
 * "Who acted" is the account that acted (its e-mail), or for the command line the user at the
 * keyboard, or "not signed in"; "Their name" is that account holder's name; "Acted on" is the
 * object — a pupil's UPN, a file, a page or download, a setting, another user's e-mail, or the
 * e-mail a failed sign-in tried. A pupil or another account is never in the first two.
 */
export const AUDIT_COLUMNS: Array<{ key: "at_london" | "actor" | "actor_name" | "role" | "action" | "target" | "detail" | "ip"; label: string }> = [
  { key: "at_london", label: "When (London time)" },
  { key: "actor", label: "Who acted" },
  { key: "actor_name", label: "Their name" },
  { key: "role", label: "Role" },
  { key: "action", label: "Action" },
  { key: "target", label: "Acted on" },
  { key: "detail", label: "Detail" },
  { key: "ip", label: "From" },
];

