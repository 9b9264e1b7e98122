/**
 * The small register of test/governor-absent.test.ts and test/browser/governor-absent.test.ts
 * (issue 13, case 9: pupils absent for governors). Min 5; the week of Mon 9 – Fri 13 September
 * 2024 (10 sessions a pupil); every pupil a girl with the same characteristics:
 * - Year 3: class 3A, 6 pupils, 5 of them absent Monday morning (O); class 3B, 6 pupils,
 *   one off ill Tuesday morning (I), one Wednesday morning (I): 2 absent over the week.
 * - Year 4: class 4A, 10 pupils, 6 absent Monday morning (O).
 * Pupils absent over the week, by hand: school 13, Year 3 7, 3A 5, 3B 2, Year 4 6, 4A 6.
 */
import type { Connection } from "../../analytics/db.ts";
import { daysOf, seedRegister, type TestMark, type TestPupil } from "./register.ts";

export const ABSENT_WEEK = ["2024-09-09", "2024-09-10", "2024-09-11", "2024-09-12", "2024-09-13"];

export function absentRegister(): { pupils: TestPupil[]; marks: TestMark[] } {
  const pupils: TestPupil[] = [];
  const marks: TestMark[] = [];
  /** `absent`: the day (index into the week) and code of one morning off, or none. */
  const pupil = (upn: string, year: string, cls: string, absent?: [number, string]) => {
    pupils.push({ upn, sex: "F", spells: [{ from: "2024-09-01", year_group: year, reg_group: cls, sen: "N", fsm: "N", eal: "N", lac: "N" }] });
    marks.push(...daysOf(upn, Object.fromEntries(ABSENT_WEEK.map((d, i) => [d, (absent && absent[0] === i ? [absent[1], "\\"] : ["/", "\\"]) as [string, string]]))));
  };
  for (let i = 0; i < 6; i++) pupil(`A${i}`, "3", "3A", i < 5 ? [0, "O"] : undefined);
  for (let i = 0; i < 6; i++) pupil(`B${i}`, "3", "3B", i === 0 ? [1, "I"] : i === 1 ? [2, "I"] : undefined);
  for (let i = 0; i < 10; i++) pupil(`C${i}`, "4", "4A", i < 6 ? [0, "O"] : undefined);
  return { pupils, marks };
}

/** The week's half term (as a calendar import gives it), school days and register, into an empty store. */
export async function seedAbsentRegister(c: Connection): Promise<void> {
  await c.run("INSERT INTO calendar_periods VALUES ('autumn-1-2024', $from::DATE, $to::DATE)", { from: ABSENT_WEEK[0], to: ABSENT_WEEK[4] });
  for (const date of ABSENT_WEEK) await c.run(`INSERT INTO school_days VALUES ($date::DATE, '2024/25', 'autumn-2024', 'autumn-1-2024')`, { date });
  await seedRegister(c, absentRegister());
}
