/**
 * The five roles and what each may do (issue 9, and README's roles table: governors see aggregates
 * only; SLT, the attendance lead and the head see pupils; the attendance lead, head and admin
 * import, amend, record interventions and change settings; only admin manages users).
 * Framework-free and client-safe: the server enforces these, the pages use them to hide
 * links a role cannot follow.
 */
import { listWords } from "../list-words.ts";

export const ROLES = ["governor", "slt", "attendance_lead", "head", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  governor: "Governor",
  slt: "Senior leadership team",
  attendance_lead: "Attendance lead",
  head: "Headteacher",
  admin: "Administrator",
};

/**
 * A role in words for people ("attendance_lead" → "Attendance lead"): the one function every
 * page, pack and export uses to print a role. Records keep the role as stored (the role id,
 * or words where an older record stored them), so text that is not a role id is returned as
 * it is.
 */
export function roleLabel(role: string): string {
  return (ROLE_LABELS as Record<string, string>)[role] ?? RECORDED_NOT_ROLES[role] ?? role;
}

/**
 * What the audit trail records in place of a role where nobody signed in acted: a sign-in
 * refused ("none", app/lib/audit.server.ts) and Rollcall's own scripts and set-up ("script":
 * `rollcall demo`, settings written by a command). Shown in words, as roles are.
 */
const RECORDED_NOT_ROLES: Record<string, string> = {
  none: "Not signed in",
  script: "Rollcall itself (set-up or a script)",
};

export const PERMISSIONS = [
  /** Whole-school and group figures with no pupil named: overview, trends, codes, patterns, groups, classes. */
  "view_aggregates",
  /** Benchmarks and the head's benchmark report. */
  "view_benchmarks",
  /** The termly FGB pack (no pupil named) on screen and in every format. */
  "view_fgb_pack",
  /** Pupil lists, pupil pages, drill-downs to pupils, register checks, casework, pupil-level CSVs. */
  "view_pupils",
  /** The monthly SLT pack, which names pupils. */
  "view_slt_pack",
  /** Write the head's commentary in the FGB pack. */
  "write_commentary",
  /** Import register files and national benchmark files. */
  "import",
  /** Amend a stored mark. */
  "amend",
  /** Record interventions with a pupil. */
  "record_interventions",
  /** Change the school's settings. */
  "change_settings",
  /** Read the audit trail. */
  "view_audit",
  /** Add users, change their roles, disable them, reset passwords. */
  "manage_users",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GOVERNOR: Permission[] = ["view_aggregates", "view_benchmarks", "view_fgb_pack"];
const LEADER: Permission[] = [...GOVERNOR, "view_pupils", "view_slt_pack"];
const DATA_LEAD: Permission[] = [...LEADER, "import", "amend", "record_interventions", "change_settings"];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  governor: new Set(GOVERNOR),
  slt: new Set(LEADER),
  attendance_lead: new Set(DATA_LEAD),
  head: new Set([...DATA_LEAD, "write_commentary", "view_audit"]),
  admin: new Set([...DATA_LEAD, "write_commentary", "view_audit", "manage_users"]),
};

/** Each role as people name it in a sentence ("the attendance lead"). */
const ROLE_IN_WORDS: Record<Role, string> = {
  governor: "governors",
  slt: "the senior leadership team",
  attendance_lead: "the attendance lead",
  head: "the headteacher",
  admin: "administrators",
};

/**
 * The roles that have a permission, in a sentence: "the attendance lead, the headteacher and
 * administrators" (for a refusal that says who may).
 */
export function rolesWithWords(permission: Permission): string {
  const words = ROLES.filter((role) => ROLE_PERMISSIONS[role].has(permission)).map((role) => ROLE_IN_WORDS[role]);
  return words.length === 0 ? "no role" : listWords(words);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Whether a role may do something. An unknown role may do nothing. */
export function can(role: string | null | undefined, permission: Permission): boolean {
  return isRole(role) && ROLE_PERMISSIONS[role].has(permission);
}
