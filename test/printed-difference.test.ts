/**
 * Every printed difference equals the difference of the printed figures (a governor found
 * "−3.6 pts" beside rates that differ by 3.5). Register by hand: pupil A (FSM) 6 sessions,
 * 2 absent → 4/6 = 66.666…% (printed 66.7%); pupil B 6 sessions, 1 absent → 5/6 = 83.333…%
 * (printed 83.3%). The printed gap is 66.7 − 83.3 = −16.6 pts; the unrounded gap,
 * −16.666…, would print as −16.7.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { importFiles } from "../analytics/import/index.ts";
import { compareGroups } from "../analytics/groups.ts";
import { printedDifference } from "../analytics/printed-difference.ts";
import { compareWithNational } from "../analytics/benchmarks/comparison.ts";
import { gap } from "../analytics/packs/sections.ts";
import { pct, points } from "../analytics/packs/format.ts";
import { compareRates, targetWords } from "../app/lib/compare.ts";
import { formatPct, formatPoints } from "../app/lib/format.ts";
import { fileWriter } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY } from "./fixtures/import/helpers.ts";

const db = tempDbPath("printed-difference");
const write = fileWriter(path.dirname(db));
const DAYS = ["2026-03-02", "2026-03-03", "2026-03-04"];

beforeAll(async () => {
  const calendar = write("calendar.csv", ["kind,name,start_date,end_date", "half_term,spring-2,2026-02-23,2026-03-27"]);
  const pupils = write("pupils.csv", [
    "UPN,Legal Forename,Legal Surname,DOB,Gender,Year,Reg Group,Admission Date,Leaving Date,SEN,FSM,EAL,LAC,Ethnicity",
    "A123456789012,Ada,Lovelace,2016-04-01,F,4,4A,2025-09-01,,N,Y,N,N,WBRI",
    "B123456789012,Ben,Jonson,2016-06-01,M,4,4B,2025-09-01,,N,N,N,N,WBRI",
  ]);
  const marks = write("marks.csv", [
    "upn,date,session,code",
    // A: I on Monday AM and Tuesday AM (2 absent of 6).
    ...DAYS.flatMap((d) => [`A123456789012,${d},AM,${d === "2026-03-04" ? "/" : "I"}`, `A123456789012,${d},PM,\\`]),
    // B: O on Wednesday PM (1 absent of 6).
    ...DAYS.flatMap((d) => [`B123456789012,${d},AM,/`, `B123456789012,${d},PM,${d === "2026-03-04" ? "O" : "\\"}`]),
  ]);
  await importFiles(db, { calendar, pupils, marks }, { by: BY, asOf: "2025-09-01" });
});
afterAll(() => removeDb(db));

describe("printedDifference", () => {
  it("is the difference of the figures as printed, exact in tenths", () => {
    expect(printedDifference(100 * (4 / 6), 100 * (5 / 6))).toBe(-16.6);
    expect(printedDifference(41.56, 45.14)).toBe(-3.5); // 41.6 − 45.1; unrounded −3.58 prints −3.6
    expect(printedDifference(96.08, 96.1)).toBe(0);
    expect(printedDifference(null, 1)).toBeNull();
  });
});

describe("the Groups page's gap (analytics/groups.ts), on real DuckDB", () => {
  it("FSM 66.7% against the rest's 83.3%: −16.6 pts, not −16.7", async () => {
    const rows = await withConnection(db, (c) => compareGroups(c, { from: "2026-03-02", to: "2026-03-04" }, "fsm"));
    const fsm = rows.find((r) => r.group === "Y")!;
    expect([formatPct(fsm.measures.attendance_pct), formatPct(fsm.complement.attendance_pct)]).toEqual(["66.7%", "83.3%"]);
    expect(fsm.gaps.attendance_pts).toBe(-16.6);
    expect(formatPoints(fsm.gaps.attendance_pts)).toBe("−16.6 pts");
    // Absence 33.3% against 16.7%: +16.6, not +16.7.
    expect(formatPoints(fsm.gaps.absence_pts)).toBe("+16.6 pts");
  });
});

describe("every other printed difference uses the same rule", () => {
  const a = 100 * (4 / 6);
  const b = 100 * (5 / 6);
  it("the packs' gap and change cells", () => {
    expect(`${pct(a)} ${pct(b)} ${points(gap(a, b))}`).toBe("66.7% 83.3% −16.6 pts");
  });
  it("the Overview's 'pts better/worse' against last week, last month or last year", () => {
    const c = compareRates(a, b, "higher-is-better");
    expect([c.points, c.verdict]).toEqual(["−16.6 pts", "worse"]);
  });
  it("against a target: the printed gap, and the target's test on the unrounded rate", () => {
    const c = compareRates(96.08, 96.1, "higher-is-better");
    expect([c.points, c.verdict, targetWords(c)]).toEqual(["±0.0 pts", "same", "below target"]);
  });
  it("against a national figure (Benchmarks, the head's report)", () => {
    const c = compareWithNational(100 - b, { value: 100 - a }, false, null);
    expect([c.gapPoints, c.words]).toEqual([-16.6, "16.6 pts better"]);
  });
});
