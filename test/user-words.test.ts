/**
 * Words people read instead of the code's own names (issue 13, faults a new user found):
 * roles in words ("Attendance lead", never "attendance_lead"), a refusal that says which
 * roles may, and the definitions page citing the DfE's guidance — never a repository path.
 */
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { ROLES, roleLabel, rolesWithWords } from "../analytics/users/roles.ts";
import { markdownToHtml } from "../app/lib/markdown.ts";
import { describeFilterValue, filterValueTitle } from "../app/lib/filters.ts";

describe("roles in words", () => {
  it("prints every role id as words, and leaves words already stored as they are", () => {
    expect(roleLabel("attendance_lead")).toBe("Attendance lead");
    expect(roleLabel("slt")).toBe("Senior leadership team");
    for (const role of ROLES) expect(roleLabel(role)).not.toMatch(/_|^[a-z]/);
    expect(roleLabel("Headteacher")).toBe("Headteacher");
  });

  it("names the roles that may do a thing, in a sentence", () => {
    expect(rolesWithWords("import")).toBe("the attendance lead, the headteacher and administrators");
    expect(rolesWithWords("view_pupils")).toBe("the senior leadership team, the attendance lead, the headteacher and administrators");
    expect(rolesWithWords("manage_users")).toBe("administrators");
  });
});

describe("ethnicity in pickers", () => {
  it("shows the DfE's name, with the code on hover", () => {
    expect(describeFilterValue("ethnicity", "MWAS")).toBe("White and Asian");
    expect(filterValueTitle("ethnicity", "MWAS")).toBe("Code MWAS");
    expect(filterValueTitle("reg_group", "4B")).toBeUndefined();
  });
});

describe("the definitions page", () => {
  it("cites guidance, not the repository's source files", () => {
    const html = markdownToHtml(fs.readFileSync("docs/DEFINITIONS.md", "utf8"));
    expect(html).not.toMatch(/\b(?:analytics|app|test|scripts)\/[\w./-]+|\b[\w-]+\.tsx?\b/);
    expect(html).toMatch(/Working together to improve school attendance/);
  });
});

describe("the head's benchmark report says who may read it", () => {
  it("marks the staff's report not for publication, and the governors' as having small counts withheld", async () => {
    const { reportAudience } = await import("../analytics/benchmarks/report-html.ts");
    expect(reportAudience({ smallCountsWithheld: false, smallGroupMin: 5 })).toBe("Contains small counts — for staff, the local authority or the trust; not for publication");
    expect(reportAudience({ smallCountsWithheld: true, smallGroupMin: 5 })).toBe("For governors: counts of 1 to 4 pupils are withheld");
    // The school's own minimum, not a typed 5 (a school with a minimum of 10 withholds 1 to 9).
    expect(reportAudience({ smallCountsWithheld: true, smallGroupMin: 10 })).toBe("For governors: counts of 1 to 9 pupils are withheld");
  });
});

describe("a year's dates", () => {
  it("run from 1 August on Benchmarks as on the Overview, the first school day said in words", async () => {
    const { yearSpanWords } = await import("../analytics/benchmarks/labels.ts");
    expect(yearSpanWords("2026/27", "2026-09-03", "2026-11-23")).toBe("1 Aug 2026 to 23 Nov 2026 (first school day 3 Sep 2026)");
    expect(yearSpanWords("2026/27", "2026-08-01", "2027-07-31")).toBe("1 Aug 2026 to 31 Jul 2027");
  });
});
