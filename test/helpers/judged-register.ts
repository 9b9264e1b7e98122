/**
 * A register for "a pupil is judged on a rate only from 40 possible sessions"
 * (analytics/judged-span.ts; test/judged-sessions.test.ts and test/browser/judged-pupil.test.ts).
 * Autumn 2026: Tue 1 Sep – Fri 16 Oct, Mon 2 Nov – Fri 18 Dec; marks to Wed 2 Dec (today).
 * - WEEK, on roll from 1 Sep: present but for Mon 16 and Tue 17 Nov (I, I): 4 of the 10
 *   sessions of the week of 16 Nov missed; the year to date 110 of 114 (57 school days), 96.5 %.
 * - OLD, on roll from Thu 5 Nov: 20 school days to 2 Dec, 40 sessions; ill (I, I) on Mon 9, 16
 *   and 23 Nov: 34 of 40, 85 % attendance, 15 % absence.
 * - NEW, on roll from Mon 30 Nov: ill (I, I) on Tue 1 Dec: 4 of 6 sessions.
 * - RUNNER, on roll from Wed 25 Nov: O, O on every school day, 25 Nov – 2 Dec: 6 days, 12 sessions.
 */
import type { Connection } from "../../analytics/db.ts";
import { registerOf, seedSchoolDays } from "./calendar.ts";
import { seedRegister } from "./register.ts";

export const JUDGED_TODAY = "2026-12-02";

export async function seedJudgedRegister(c: Connection): Promise<void> {
  const days = await seedSchoolDays(c, [
    { from: "2026-09-01", to: "2026-10-16", half: "autumn-1-2026", term: "autumn-2026" },
    { from: "2026-11-02", to: "2026-12-18", half: "autumn-2-2026", term: "autumn-2026" },
  ]);
  const upTo = (from: string) => days.filter((d) => d >= from && d <= JUDGED_TODAY);
  const ill: [string, string] = ["I", "I"];
  const truant: [string, string] = ["O", "O"];
  await seedRegister(c, {
    pupils: [
      { upn: "WEEK", admission_date: "2026-09-01" },
      { upn: "OLD", admission_date: "2026-11-05" },
      { upn: "NEW", admission_date: "2026-11-30" },
      { upn: "RUNNER", admission_date: "2026-11-25" },
    ],
    marks: [
      ...registerOf("WEEK", upTo("2026-09-01"), { "2026-11-16": ill, "2026-11-17": ill }),
      ...registerOf("OLD", upTo("2026-11-05"), { "2026-11-09": ill, "2026-11-16": ill, "2026-11-23": ill }),
      ...registerOf("NEW", upTo("2026-11-30"), { "2026-12-01": ill }),
      ...registerOf("RUNNER", upTo("2026-11-25"), Object.fromEntries(upTo("2026-11-25").map((d) => [d, truant]))),
    ],
  });
}
