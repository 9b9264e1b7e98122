/**
 * The one N-code age (analytics/n-code-age.ts): Register checks (`overdueNCodes`) and the
 * casework rule `n_code_overdue` (`computeCasework`) give the same age for the same marks —
 * school days after the mark's date up to and including the as-of date — across a weekend, a
 * half-term holiday and a closure, and, without a calendar, counting Monday to Friday.
 */
import { afterEach, describe, expect, it } from "vitest";
import { queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { computeCasework } from "../analytics/casework/compute.ts";
import { DEFAULT_POLICY_NUMBERS } from "../analytics/casework/policy.ts";
import { ruleDescription } from "../analytics/casework/rules.ts";
import { rebuildSchoolDays } from "../analytics/import/calendar.ts";
import { nCodeAgeSql } from "../analytics/n-code-age.ts";
import { overdueNCodes } from "../analytics/quality.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { seedRegister, type TestMark } from "./helpers/register.ts";

let db = "";
afterEach(() => {
  if (db) removeDb(db);
});

// Autumn 1 to Fri 24 Oct 2025, half-term holiday 27–31 Oct, autumn 2 from Mon 3 Nov; Wed 22 Oct closed.
async function school(c: Connection, calendar: boolean, marks: TestMark[]): Promise<void> {
  if (calendar) {
    await c.run("INSERT INTO calendar_periods VALUES ('autumn-1-2025', DATE '2025-09-01', DATE '2025-10-24'), ('autumn-2-2025', DATE '2025-11-03', DATE '2025-12-19')");
    await c.run("INSERT INTO closures VALUES (DATE '2025-10-22', 'Training day')");
    await rebuildSchoolDays(c);
  }
  const upns = [...new Set(marks.map((m) => m[0]))];
  await seedRegister(c, { pupils: upns.map((upn) => ({ upn, admission_date: "2025-09-01" })), marks });
}

/** Each N mark's age by the shared definition, as [upn, date, session, age]. */
async function ages(c: Connection, asOf: string): Promise<Array<[string, string, string, number]>> {
  const sql = nCodeAgeSql(asOf);
  const rows = await queryRows<{ upn: string; date: string; session: string; age: number }>(
    c,
    `WITH ${sql.sql} SELECT k.upn, strftime(a.date, '%Y-%m-%d') AS date, CASE WHEN a.pm THEN 'PM' ELSE 'AM' END AS session, a.school_days_open AS age
     FROM n_code_ages a JOIN pupil_ids k USING (pupil_id) ORDER BY k.upn, a.date, a.pm`,
    sql.params,
  );
  return rows.map((r) => [r.upn, r.date, r.session, Number(r.age)]);
}

/** Register checks' overdue N codes and the casework rule's entries, both at the policy's limit (5). */
async function bothViews(c: Connection, asOf: string) {
  const limit = DEFAULT_POLICY_NUMBERS.n_code_limit_school_days;
  const checks = (await overdueNCodes(c, { asOf, limitSchoolDays: limit })).map((n) => [n.upn, n.date, n.session, n.school_days_open]);
  const casework = (await computeCasework(c, { asOf, numbers: DEFAULT_POLICY_NUMBERS, rules: ["n_code_overdue"] })).map((e) => [e.upn, e.value, e.since]);
  return { checks, casework };
}

describe("the casework list's name", () => {
  it("says overdue, and where the N marks still within the limit are (trial19a: 'N codes not resolved: 0' beside 11 awaiting a reason)", () => {
    const rule = ruleDescription("n_code_overdue");
    expect(rule.title).toBe("N codes overdue");
    expect(rule.describe({ ...DEFAULT_POLICY_NUMBERS, n_code_limit_school_days: 5 })).toBe(
      "At least one N mark more than 5 school days old (N marks still within 5 school days are on Register checks, awaiting a reason).",
    );
  });
});

describe("the N-code age", () => {
  it("counts the calendar's school days after the mark: a weekend, a half-term holiday and a closure are not counted", async () => {
    db = tempDbPath("n-code-age");
    await withConnection(db, async (c) => {
      await school(c, true, [
        // Fri 17 Oct: school days after it are 20, 21, 23, 24 Oct (22nd closed), then 3 Nov…
        ["HOLIDAY", "2025-10-17", "AM", "N"],
        ["HOLIDAY", "2025-10-17", "PM", "N"],
        // Mon 3 Nov: 4, 5, 6, 7, 10 Nov…
        ["WEEKEND", "2025-11-03", "PM", "N"],
      ]);
      // As of Mon 3 Nov: Fri 17 Oct's marks are 5 school days old (20, 21, 23, 24 Oct, 3 Nov) — not yet overdue.
      expect(await ages(c, "2025-11-03")).toEqual([
        ["HOLIDAY", "2025-10-17", "AM", 5],
        ["HOLIDAY", "2025-10-17", "PM", 5],
        ["WEEKEND", "2025-11-03", "PM", 0],
      ]);
      expect(await bothViews(c, "2025-11-03")).toEqual({ checks: [], casework: [] });
      // As of Tue 4 Nov: 6 — overdue on both pages, both marks.
      expect(await bothViews(c, "2025-11-04")).toEqual({
        checks: [
          ["HOLIDAY", "2025-10-17", "AM", 6],
          ["HOLIDAY", "2025-10-17", "PM", 6],
        ],
        casework: [["HOLIDAY", 2, "2025-10-17"]],
      });
      // As of Mon 10 Nov, Mon 3 Nov's mark is 5 old (4–7 Nov, 10 Nov); Tue 11 Nov, 6.
      expect((await bothViews(c, "2025-11-10")).casework).toEqual([["HOLIDAY", 2, "2025-10-17"]]);
      const eleventh = await bothViews(c, "2025-11-11");
      expect(eleventh.checks.filter((n) => n[0] === "WEEKEND")).toEqual([["WEEKEND", "2025-11-03", "PM", 6]]);
      expect(eleventh.casework).toEqual([
        ["HOLIDAY", 2, "2025-10-17"],
        ["WEEKEND", 1, "2025-11-03"],
      ]);
    });
  });

  it("without a calendar, counts Monday to Friday, on both pages alike", async () => {
    db = tempDbPath("n-code-age-no-calendar");
    await withConnection(db, async (c) => {
      // Wed 1 Oct; only that day's register is imported. Weekdays after it: 2, 3, 6, 7, 8, 9 Oct.
      await school(c, false, [
        ["NOCAL", "2025-10-01", "AM", "N"],
        ["NOCAL", "2025-10-01", "PM", "/"],
      ]);
      expect(await ages(c, "2025-10-08")).toEqual([["NOCAL", "2025-10-01", "AM", 5]]);
      expect(await bothViews(c, "2025-10-08")).toEqual({ checks: [], casework: [] });
      expect(await bothViews(c, "2025-10-09")).toEqual({ checks: [["NOCAL", "2025-10-01", "AM", 6]], casework: [["NOCAL", 1, "2025-10-01"]] });
    });
  });

  it("counts a week's N marks one by one when some are overdue and some not, or some are after the as-of date", async () => {
    db = tempDbPath("n-code-age-split-week");
    await withConnection(db, async (c) => {
      // N marks on Mon 10, Tue 11 (both sessions) and Thu 13 November, and one on Wed 19 November.
      await school(c, true, [
        ["SPLIT", "2025-11-10", "AM", "N"],
        ["SPLIT", "2025-11-11", "AM", "N"],
        ["SPLIT", "2025-11-11", "PM", "N"],
        ["SPLIT", "2025-11-13", "PM", "N"],
        ["SPLIT", "2025-11-19", "AM", "N"],
      ]);
      // As of Tue 18 Nov: school days after Mon 10th are 11–14, 17, 18 (6: overdue); after Tue 11th, 5 (not yet).
      expect(await bothViews(c, "2025-11-18")).toEqual({
        checks: [["SPLIT", "2025-11-10", "AM", 6]],
        casework: [["SPLIT", 1, "2025-11-10"]],
      });
      // As of Wed 19 Nov: Tue 11th's two are 6 old too; Thu 13th's is 4 and the 19th's 0.
      expect(await bothViews(c, "2025-11-19")).toEqual({
        checks: [
          ["SPLIT", "2025-11-10", "AM", 7],
          ["SPLIT", "2025-11-11", "AM", 6],
          ["SPLIT", "2025-11-11", "PM", 6],
        ],
        casework: [["SPLIT", 3, "2025-11-10"]],
      });
      // At a limit of 1 school day, as of Wed 12 Nov in the week itself: Monday's mark is 2 old
      // (overdue), Tuesday's 1 (not), and Thursday's is after the as-of date (not counted).
      const atOne = (asOf: string) =>
        computeCasework(c, { asOf, numbers: { ...DEFAULT_POLICY_NUMBERS, n_code_limit_school_days: 1 }, rules: ["n_code_overdue"] }).then((es) => es.map((e) => [e.upn, e.value, e.since]));
      expect(await atOne("2025-11-12")).toEqual([["SPLIT", 1, "2025-11-10"]]);
      expect(await atOne("2025-11-13")).toEqual([["SPLIT", 3, "2025-11-10"]]);
      // As of Fri 21 Nov: the 10th–13th all overdue (13th: 14, 17–21 = 6); the 19th not.
      expect((await bothViews(c, "2025-11-21")).casework).toEqual([["SPLIT", 4, "2025-11-10"]]);
    });
  });
});
