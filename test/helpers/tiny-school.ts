/**
 * A tiny hand-made register for the head's benchmark report: six pupils, a 20-day autumn and a
 * 20-day spring term of 2024/25 (test/benchmarks-report.test.ts, test/benchmark-like-for-like.test.ts).
 */
import type { Connection } from "../../analytics/db.ts";
import { weekdays } from "./calendar.ts";
import { daysOf, seedRegister } from "./register.ts";

// Twenty school days a term: persistent absence is given over 20 school days or more (analytics/pa-span.ts).
export const AUTUMN = weekdays("2024-09-09", "2024-10-04"); // 20 school days
export const SPRING = weekdays("2025-01-06", "2025-01-31"); // 20 school days

/**
 * Six pupils, twenty autumn and twenty spring days (80 sessions each): three alike of each kind,
 * so that every group is of 3 pupils: under the default small-group minimum of 5, and the
 * smallest a school may set it to.
 * Ann 1–3 (girls, FSM): in autumn four mornings I (authorised) and four afternoons O (unauthorised), otherwise present.
 * Ben 1–3 (boys, not FSM): in spring four mornings G (unauthorised), otherwise present.
 * Year: 480 possible, 12 authorised, 24 unauthorised: absence 36/480 = 7.5 %, authorised 2.5 %,
 * unauthorised 5 %; each Ann 8/80 = exactly 10 % is persistently absent, each Ben 4/80 is not: PA 3/6 = 50 %.
 * Autumn: 24/240 = 10 % absence, PA 3/6 (each Ann 8/40). Spring: 12/240 = 5 %, PA 3/6 (each Ben 4/40 = 10 %).
 */
export async function seedTinySchool(c: Connection) {
  for (const [term, days] of [["autumn-2024", AUTUMN], ["spring-2025", SPRING]] as const) {
    for (const date of days) {
      await c.run(`INSERT INTO school_days VALUES ($date::DATE, '2024/25', $term, $half)`, { date, term, half: `${term.split("-")[0]}-1-${term.split("-")[1]}` });
    }
  }
  const present = (dates: string[]) => Object.fromEntries(dates.map((d) => [d, ["/", "/"] as [string, string]]));
  const each = (dates: string[], marks: [string, string]) => Object.fromEntries(dates.map((d) => [d, marks]));
  await seedRegister(c, {
    pupils: [1, 2, 3].flatMap((k) => [
      { upn: `A${k}`, forename: "Ann", sex: "F", spells: [{ from: "2024-09-01", fsm: "Y" }] },
      { upn: `B${k}`, forename: "Ben", sex: "M", spells: [{ from: "2024-09-01", fsm: "N" }] },
    ]),
    marks: [1, 2, 3].flatMap((k) => [
      ...daysOf(`A${k}`, { ...present(AUTUMN), ...each(AUTUMN.slice(1, 5), ["I", "/"]), ...each(AUTUMN.slice(10, 14), ["/", "O"]), ...present(SPRING) }),
      ...daysOf(`B${k}`, { ...present(AUTUMN), ...present(SPRING), ...each(SPRING.slice(2, 6), ["G", "/"]) }),
    ]),
  });
}
