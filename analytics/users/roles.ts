/**
 * The five roles and what each may do (issue 9, and DESIGN.md §4: governors see aggregates
 * only; SLT, the attendance lead and the head see pupils; the attendance lead, head and admin
 * import, amend, record interventions and change settings; only admin manages users).
 * Framework-free and client-safe: the server enforces these, the pages use them to hide
 * links a role cannot follow.
 */
export const ROLES = ["governor", "slt", "attendance_lead", "head", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  governor: "Governor",
  slt: "Senior leadership team",
  attendance_lead: "Attendance lead",
  head: "Headteacher",
  admin: "Administrator",
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

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Whether a role may do something. An unknown role may do nothing. */
export function can(role: string | null | undefined, permission: Permission): boolean {
  return isRole(role) && ROLE_PERMISSIONS[role].has(permission);
}
