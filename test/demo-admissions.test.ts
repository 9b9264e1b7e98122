/**
 * The demo school's admission dates: 1 September (the academic year's start, as schools record
 * a September entry) or a school day of the demo's calendar — never a holiday (a fresh-clone
 * trial: Ella Breakwell was admitted on Monday 25 December 2023, a weekday but Christmas Day).
 */
import { expect, it } from "vitest";
import { academicYearCalendar, academicYearOf } from "../analytics/demo/calendar.ts";
import { generateDemoSchool } from "../analytics/demo/index.ts";

it("admits every pupil on 1 September or on a school day", () => {
  const demo = generateDemoSchool({ today: "2026-11-23" });
  const admissions = new Set<string>();
  for (const snapshot of demo.pupilSnapshots) {
    const lines = snapshot.csv.split("\n").filter(Boolean);
    const at = lines[0].split(",").indexOf("admission_date");
    for (const line of lines.slice(1)) admissions.add(line.split(",")[at]);
  }
  expect(admissions.size).toBeGreaterThan(10);
  const notSchoolDays = [...admissions].filter((d) => !d.endsWith("-09-01") && !academicYearCalendar(academicYearOf(d)).schoolDays.includes(d));
  expect(notSchoolDays).toEqual([]);
});
