/**
 * Roles and permissions, safe for the browser bundle (pages use `can` to hide links a role
 * cannot follow; the server enforces the same table through app/lib/auth.server.ts).
 * The table itself lives in analytics/users/roles.ts so the CLI shares it.
 */
export { PERMISSIONS, ROLES, ROLE_LABELS, ROLE_PERMISSIONS, can, isRole, roleLabel, rolesWithWords, type Permission, type Role } from "../../analytics/users/roles.ts";
