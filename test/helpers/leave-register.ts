/**
 * A register for the leave-of-absence verdict over unmarked days (analytics/escalation.ts
 * leaveOfAbsenceCheck; test/leave-unmarked.test.ts and test/browser/leave-unmarked.test.ts).
 * School days: Spring 2 Mon 23 Feb – Fri 27 Mar 2026 (25), Summer 1 Mon 13 Apr – Fri 22 May.
 * Every pupil on roll from 23 Feb; marks to Fri 27 Mar (F's), `/` and `\` unless said:
 * - FULL: every day marked; M (authorised) on the morning of Mon 2 Mar: 1 of 50, 2.0 %.
 * - GAPS: Mon 23 Feb only: 2 of 2 present, the 24 school days 24 Feb – 27 Mar unmarked.
 * - AUTH: 23–27 Feb only; M both sessions on 23 and 24 Feb: 4 of 10, 40.0 %; 20 unmarked.
 * - UNAUTH: 23–27 Feb only; O on the morning of 23 Feb: 1 session unauthorised; 20 unmarked.
 * - ILL: every day marked; ill (I, I) Mon 9 – Fri 13 Mar: 40 of 50, 80.0 % (on Casework's
 *   lists: test/casework-register-notice.test.ts).
 */
import type { Connection } from "../../analytics/db.ts";
import { registerOf, seedSchoolDays } from "./calendar.ts";
import { seedRegister } from "./register.ts";

/** Today on the pupil pages: the register's last marked day, so it is not behind. */
export const LEAVE_TODAY = "2026-03-27";

export async function seedLeaveRegister(c: Connection): Promise<void> {
  const days = await seedSchoolDays(c, [
    { from: "2026-02-23", to: "2026-03-27", half: "spring-2-2026", term: "spring-2026" },
    { from: "2026-04-13", to: "2026-05-22", half: "summer-1-2026", term: "summer-2026" },
  ]);
  const upTo = (to: string) => days.filter((d) => d <= to);
  await seedRegister(c, {
    pupils: ["FULL", "GAPS", "AUTH", "UNAUTH", "ILL"].map((upn) => ({ upn, admission_date: "2026-02-23", spells: [{ from: "2026-02-23", year_group: "3" }] })),
    marks: [
      ...registerOf("FULL", upTo("2026-03-27"), { "2026-03-02": ["M", "/"] }),
      ...registerOf("GAPS", upTo("2026-02-23")),
      ...registerOf("AUTH", upTo("2026-02-27"), { "2026-02-23": ["M", "M"], "2026-02-24": ["M", "M"] }),
      ...registerOf("UNAUTH", upTo("2026-02-27"), { "2026-02-23": ["O", "/"] }),
      ...registerOf("ILL", upTo("2026-03-27"), Object.fromEntries(["2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13"].map((d) => [d, ["I", "I"] as [string, string]]))),
    ],
  });
}
