/**
 * `rollcall casework` as a script would use it: the real bin/rollcall.js in a child process on
 * a register imported from CSV files. The JSON shape, its sort order and the exit codes are
 * a contract (issue 12).
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULE_IDS } from "../analytics/casework/rules.ts";
import { cliOn, fileWriter, initSchool } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { closeAllInstances, queryRows, withConnection } from "../analytics/db.ts";

const db = tempDbPath("casework-cli");
const dir = path.dirname(db);

const rollcall = cliOn(db);

const write = fileWriter(dir);

// Monday 1 – Friday 26 September 2025: 20 school days, 40 sessions, the fewest a rate rule
// judges a pupil on (analytics/judged-span.ts; this register was one week of 10 sessions, on
// which the rate rules no longer list anyone). Z (listed first in the file): an N on Monday 1
// September's morning, ill (I) the mornings of 2–4 September, present otherwise: 36 of 40
// sessions, 90 %. A: ill Monday to Thursday of the first week, present that Friday, then ill
// the next 12 mornings: 20 of 40, 50 % (20 absence sessions in the term, not more than the
// 10 days' 20), a run of 4 days absent from 1 September. B: present throughout.
const WEEK = ["2025-09-01", "2025-09-02", "2025-09-03", "2025-09-04", "2025-09-05"];
const MONTH = [0, 7, 14, 21].flatMap((offset) => WEEK.map((d) => `2025-09-${String(Number(d.slice(8)) + offset).padStart(2, "0")}`));
const AS_OF = "2025-09-26";
const calendar = write("calendar.csv", ["kind,name,start_date,end_date", "half_term,autumn-1,2025-09-01,2025-10-24"]);
const pupils = write("pupils.csv", [
  "UPN,Legal Forename,Legal Surname,DOB,Gender,Year,Reg Group,Admission Date,Leaving Date,SEN,FSM,EAL,LAC,Ethnicity",
  "Z123456789012,Zoe,Zephyr,2016-04-01,F,4,4A,2025-09-01,,N,Y,N,N,WBRI",
  "A123456789012,Ada,Lovelace,2016-04-01,F,4,4A,2025-09-01,,N,Y,N,N,WBRI",
  "B123456789012,Ben,Jonson,2016-06-01,M,4,4B,2025-09-01,,K,N,N,N,WBRI",
]);
const marks = write("marks.csv", [
  "upn,date,session,code",
  ...MONTH.flatMap((date, i) => [`Z123456789012,${date},AM,${i === 0 ? "N" : i < 4 ? "I" : "/"}`, `Z123456789012,${date},PM,\\`]),
  ...MONTH.flatMap((date, i) => [`A123456789012,${date},AM,${i === 4 || i > 16 ? "/" : "I"}`, `A123456789012,${date},PM,${i < 4 ? "I" : "\\"}`]),
  ...MONTH.flatMap((date) => [`B123456789012,${date},AM,/`, `B123456789012,${date},PM,\\`]),
]);

beforeAll(async () => {
  await initSchool(db);
  const result = await rollcall("import", "--calendar", calendar, "--pupils", pupils, "--marks", marks, "--as-of", "2025-09-01");
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
});
afterAll(() => removeDb(db));

describe("rollcall casework --json", () => {
  it("prints {upn, rule, value, since} objects sorted by upn then rule", async () => {
    const { code, stdout, stderr } = await rollcall("casework", "--as-of", AS_OF, "--json");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const entries = JSON.parse(stdout);
    for (const entry of entries) expect(Object.keys(entry)).toEqual(["upn", "rule", "value", "since"]);
    expect(entries).toEqual([
      { upn: "A123456789012", rule: "absent_more_than_3_days", value: 4, since: "2025-09-01" },
      { upn: "A123456789012", rule: "attendance_below_85", value: 50, since: null },
      { upn: "A123456789012", rule: "persistent_absence", value: 50, since: null },
      { upn: "A123456789012", rule: "severe_absence", value: 50, since: null },
      { upn: "Z123456789012", rule: "attendance_below_96", value: 90, since: null },
      { upn: "Z123456789012", rule: "n_code_overdue", value: 1, since: "2025-09-01" },
      { upn: "Z123456789012", rule: "persistent_absence", value: 10, since: null },
    ]);
  });

  it("limits the list to one rule with --rule", async () => {
    const { code, stdout } = await rollcall("casework", "--as-of", AS_OF, "--rule", "persistent_absence", "--json");
    expect(code).toBe(0);
    expect(JSON.parse(stdout).map((e: { upn: string }) => e.upn)).toEqual(["A123456789012", "Z123456789012"]);
    // On 5 September (10 sessions each) no rate rule judges them yet; the run of days does.
    const early = await rollcall("casework", "--as-of", "2025-09-05", "--json");
    expect(JSON.parse(early.stdout)).toEqual([{ upn: "A123456789012", rule: "absent_more_than_3_days", value: 4, since: "2025-09-01" }]);
    // The N mark of Monday 1 September is 6 school days old on Tuesday 9 September.
    const later = await rollcall("casework", "--as-of", "2025-09-09", "--rule", "n_code_overdue", "--json");
    expect(JSON.parse(later.stdout)).toEqual([{ upn: "Z123456789012", rule: "n_code_overdue", value: 1, since: "2025-09-01" }]);
    const none = await rollcall("casework", "--as-of", "2025-09-08", "--rule", "n_code_overdue", "--json");
    expect(JSON.parse(none.stdout)).toEqual([]);
  });
});

describe("rollcall casework without --json", () => {
  it("prints a readable table, each pupil named as the Casework page names them (trial 51: UPNs alone)", async () => {
    const { code, stdout } = await rollcall("casework", "--as-of", AS_OF);
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines[0].trim().split(/\s+/)).toEqual(["upn", "pupil", "list", "value", "since"]);
    // Each list by its title, as the Casework page heads it (trial 52: rule ids).
    expect(lines[1].trim().split(/\s{2,}/)).toEqual(["A123456789012", "Lovelace, Ada", "Absent for consecutive days", "4 days", "2025-09-01"]);
    expect(lines.at(-1)).toBe("7 entries as of 2025-09-26");
    // Each value with its unit (trial 51b: a percentage, days and sessions side by side without one).
    expect(lines.slice(1, -1).every((line) => / (\d+\.\d\d%|\d+(\.\d)? (days?|sessions?|marks?)) /.test(line))).toBe(true);
  });
});

describe("bad usage exits 2", () => {
  it("names the valid rule ids for an unknown one", async () => {
    const result = await rollcall("casework", "--as-of", "2025-09-05", "--rule", "truancy", "--json");
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain('unknown rule "truancy"');
    for (const id of RULE_IDS) expect(result.stderr).toContain(id);
  });

  it("needs --as-of as a date", async () => {
    expect((await rollcall("casework", "--json")).code).toBe(2);
    const future = await rollcall("casework", "--as-of", "2099-01-01", "--json");
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/--as-of 2099-01-01 is after today \(\d{4}-\d{2}-\d{2}\): the register has no marks after today/);
    // Before the register's first marks: nothing to judge, said as a date after today is.
    const early = await rollcall("casework", "--as-of", "1999-01-01", "--json");
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/--as-of 1999-01-01 is before the register starts \(its first marks are on \d{4}-\d{2}-\d{2}\): there is nothing to judge/);
    const bad = await rollcall("casework", "--as-of", "5/9/2025", "--json");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--as-of must be a date as YYYY-MM-DD/);
    expect((await rollcall("casework", "--as-of", "2025-09-05", "--colour", "red")).code).toBe(2);
  });

  it("records each run in the audit trail as an export of pupil data", async () => {
    const run = await rollcall("casework", "--as-of", AS_OF, "--rule", "severe_absence", "--json");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const rows = await withConnection(db, (c) =>
      queryRows<{ action: string; target: string; detail: string }>(c, "SELECT action, target, detail FROM audit_log WHERE detail LIKE '%severe_absence%' ORDER BY id"),
    );
    // The CLI opens the file itself: let go of it.
    await closeAllInstances();
    // A (50 % attendance, 50 % absence) is the one severely absent pupil on 26 September.
    expect(rows).toEqual([{ action: "export", target: "casework lists (command line)", detail: "as of 2025-09-26, rule severe_absence: 1 entry, JSON" }]);
  });
});
