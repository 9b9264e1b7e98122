/**
 * Trial 16a: the governors' benchmark report counted its groups over half-term membership
 * (leavers in a group of their own, as every governor's figure) but printed no leavers' row,
 * so its groups gave one pupil fewer than the head's (Not FSM 199 vs 200) and added to
 * nothing printed. Now the governors' version prints "Left before Autumn 2" with its pupils,
 * as Year groups & classes and the FGB pack do, and says why the counts differ.
 *
 * The staff's rule by hand (below); the governors' on the demo school as the trial read it
 * (a hand-made school of one or two year groups is one the governors' planner cannot protect).
 * By hand: Autumn 2024 = Autumn 1 (21–25 Oct) + Autumn 2 (4–8 Nov), 10 days each half term's
 * 5, Years 3 and 4 (born 2016, the DfE's population), every session present.
 * F1–F12 eligible for FSM, N1–N12 not; N11 and N12 leave on 25 Oct (Autumn 1 only).
 * Head (each pupil in their last group): FSM 12, not FSM 12 (sessions 10×20 + 2×10 = 220), term 24.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances, withConnection, type Connection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { buildBenchmarkReport } from "../analytics/benchmarks/report.ts";
import { reportRows } from "../analytics/benchmarks/report-rows.ts";
import { renderReportHtml } from "../analytics/benchmarks/report-html.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { daysOf, seedRegister, type TestMark, type TestPupil } from "./helpers/register.ts";

const A1 = ["2024-10-21", "2024-10-22", "2024-10-23", "2024-10-24", "2024-10-25"];
const A2 = ["2024-11-04", "2024-11-05", "2024-11-06", "2024-11-07", "2024-11-08"];

async function seed(c: Connection) {
  for (const date of A1) await c.run(`INSERT INTO school_days VALUES ($date::DATE, '2024/25', 'autumn-2024', 'autumn-1-2024')`, { date });
  for (const date of A2) await c.run(`INSERT INTO school_days VALUES ($date::DATE, '2024/25', 'autumn-2024', 'autumn-2-2024')`, { date });
  const pupils: TestPupil[] = [];
  const marks: TestMark[] = [];
  const present = (dates: string[]) => Object.fromEntries(dates.map((d) => [d, ["/", "/"] as [string, string]]));
  for (const [prefix, fsm] of [["F", "Y"], ["N", "N"]] as const) {
    for (let i = 1; i <= 12; i++) {
      const upn = `${prefix}${i}`;
      const leaves = upn === "N11" || upn === "N12";
      // Other characteristics mixed, so no group is the whole school: SEN support, EAL and a
      // second ethnicity for some, looked after for six; Years 3 and 4 (the planner cannot
      // protect a school whose every pupil is in one year group and one value of every
      // characteristic; no real school is).
      pupils.push({
        upn,
        sex: i % 2 ? "F" : "M",
        ethnicity: i % 3 ? "WBRI" : "WIRI",
        leaving_date: leaves ? "2024-10-25" : null,
        spells: [{ from: "2024-09-01", year_group: i % 2 ? "3" : "4", reg_group: i % 2 ? "3A" : "4A", fsm, sen: i % 4 < 2 ? "K" : "N", eal: i % 3 === 1 ? "Y" : "N", lac: i <= 3 ? "Y" : "N" }],
      });
      // One day off (I) for the first three of each group: 2 of 20 sessions.
      const days = leaves ? present(A1) : { ...present(A1), ...present(A2) };
      if (i <= 3) days["2024-10-22"] = ["I", "I"];
      marks.push(...daysOf(upn, days));
    }
  }
  await seedRegister(c, { pupils, marks });
}

describe("the governors' benchmark report's groups add up, with the leavers' row (trial 16a)", () => {
  let db: string;
  beforeAll(async () => {
    db = tempDbPath("benchmarks-governor-leavers");
    await withConnection(db, seed);
  });
  afterAll(async () => removeDb(db));
  const build = (withholdSmallCounts: boolean) =>
    withConnection(db, (c) => buildBenchmarkReport(c, { academicYear: "2024/25", today: "2025-08-20", groupPeriod: "autumn-2024", withholdSmallCounts }));

  it("staff: each pupil in their last group, no leavers' row", async () => {
    const report = await build(false);
    expect(report.groups.map((g) => [g.label, g.pupils])).toEqual(
      expect.arrayContaining([["Eligible for free school meals", 12], ["Not eligible for free school meals", 12]]),
    );
    expect(report.groups.some((g) => g.leavers !== undefined)).toBe(false);
  });

  it("the demo school, 2024/25 as trial 16a read it: the governors' groups with the leavers' row add to the term's 238", async () => {
    const demo = tempDbPath("benchmarks-governor-leavers-demo");
    try {
      await buildDemo(demo, { today: "2026-11-23" });
      await closeAllInstances();
      const read = (withholdSmallCounts: boolean) =>
        withConnection(demo, (c) => buildBenchmarkReport(c, { academicYear: "2024/25", today: "2026-11-23", groupPeriod: "autumn-2024", withholdSmallCounts }));
      const staff = await read(false);
      const report = await read(true);
      const pupilsOf = (r: typeof report, label: string) => r.groups.find((g) => g.label === label)?.pupils;
      // The trial's figures: staff Not FSM 200, governors 199 and one leaver; the term 238.
      expect(report.terms.find((t) => t.key === "autumn-2024")!.pupils).toBe(238);
      expect(pupilsOf(staff, "Not eligible for free school meals")).toBe(200);
      expect(pupilsOf(report, "Not eligible for free school meals")).toBe(199);
      expect(pupilsOf(report, "Left before Autumn 2")).toBe(1);
      expect(staff.groups.some((g) => g.leavers !== undefined)).toBe(false);
      // Each characteristic whose rows are all printed adds to 238 with the leavers' row.
      const leavers = pupilsOf(report, "Left before Autumn 2")!;
      for (const labels of [["Eligible for free school meals", "Not eligible for free school meals"], ["First language other than English", "First language English"], ["Girls", "Boys"]]) {
        expect(labels.reduce((sum, label) => sum + pupilsOf(report, label)!, leavers)).toBe(238);
      }
      // Sessions are the same in both versions (a leaver's are in the group they were in).
      const sessions = (r: typeof report, label: string) => r.groups.find((g) => g.label === label)!.lines.find((l) => l.measure === "overall_absence_pct")?.denominator;
      expect(sessions(report, "Boys")).toBe(sessions(staff, "Boys"));
      // Every format prints the row and the reason.
      const row = reportRows(report).find((r) => r.group === "Left before Autumn 2")!;
      expect(row.pupils).toBe(1);
      expect(row.comparison).toMatch(/in no group above/);
      expect(renderReportHtml(report)).toContain("Left before Autumn 2");
      expect(report.notes.join(" ")).toMatch(/the 1 who left before it are counted in the row "Left before Autumn 2"/);
    } finally {
      await removeDb(demo);
    }
  }, 240_000);
});
