/**
 * The small school of test/governor-lattice.test.ts (min = 5; two weeks of January 2026, 10
 * days, 20 sessions a pupil): Year 3 class 3A, 12 pupils, 2 eligible for FSM (P3F1, P3F2),
 * P3F1 off ill the first `p3f1AbsentDays` days (default 3: persistently absent); Year 4
 * classes 4A and 4B, 6 pupils each, 3 eligible for FSM in each; Year 5 class 5A, 12 pupils,
 * 7 eligible for FSM; everyone else present every session. `p3f2Dob` gives P3F2 a date of
 * birth (test/governor-lattice-kept.test.ts: a Reception-age child, outside the DfE's population).
 */
import { daysOf, type TestMark, type TestPupil } from "./register.ts";

/** The school's ten school days. */
export const LATTICE_DAYS = ["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09", "2026-01-12", "2026-01-13", "2026-01-14", "2026-01-15", "2026-01-16"];

/** The school's pupils and marks, as seedRegister takes them. */
export function latticeSchool(change: { p3f1AbsentDays?: number; p3f2Dob?: string } = {}): { pupils: TestPupil[]; marks: TestMark[] } {
  const pupils: TestPupil[] = [];
  const marks: TestMark[] = [];
  const pupil = (upn: string, year: string, cls: string, fsm: "Y" | "N", absentDays = 0, dob?: string) => {
    pupils.push({ upn, ...(dob ? { dob } : {}), spells: [{ from: "2024-09-01", year_group: year, reg_group: cls, fsm }] });
    const days: Record<string, [string, string]> = {};
    LATTICE_DAYS.forEach((d, i) => {
      days[d] = i < absentDays ? ["I", "I"] : ["/", "\\"];
    });
    marks.push(...daysOf(upn, days));
  };
  pupil("P3F1", "3", "3A", "Y", change.p3f1AbsentDays ?? 3);
  pupil("P3F2", "3", "3A", "Y", 0, change.p3f2Dob);
  for (let i = 1; i <= 10; i++) pupil(`P3N${i}`, "3", "3A", "N");
  for (const cls of ["4A", "4B"]) {
    for (let i = 1; i <= 3; i++) pupil(`P${cls}F${i}`, "4", cls, "Y");
    for (let i = 1; i <= 3; i++) pupil(`P${cls}N${i}`, "4", cls, "N");
  }
  for (let i = 1; i <= 7; i++) pupil(`P5F${i}`, "5", "5A", "Y");
  for (let i = 1; i <= 5; i++) pupil(`P5N${i}`, "5", "5A", "N");
  return { pupils, marks };
}
