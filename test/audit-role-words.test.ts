/**
 * The Audit page's notice for a role it does not have (analytics/audit.ts auditRoleProblem):
 * each role by the word the address takes and its name, the trail's own non-roles included,
 * with no bracket doubled ("…(set-up or a script) (script))" in trial 27).
 */
import { describe, expect, it } from "vitest";
import { auditRoleProblem } from "../analytics/audit.ts";

describe("auditRoleProblem", () => {
  it("lists the roles and the trail's recorded non-roles, each word the address takes with its name, no bracket doubled", () => {
    expect(auditRoleProblem("nope", ["admin", "none", "script"])).toBe(
      '"nope" is not a role: the address takes governor for Governor, slt for Senior leadership team, attendance_lead for Attendance lead, head for Headteacher, admin for Administrator, none for Not signed in and script for Rollcall itself (set-up or a script)',
    );
    expect(auditRoleProblem("head", [])).toBeNull();
    expect(auditRoleProblem("script", ["script"])).toBeNull();
  });
});
