/**
 * A register for the pupil page's part months (test/pupil-part-month.test.ts): school days
 * every weekday from 2 September to 20 December 2024 (September 21, October 23, November 21,
 * December 15); P present every day to 29 November and off ill (I) on Monday 2 December; Q
 * on roll from 16 September, present every day to 2 December; R on roll throughout, present
 * every day marked, but in November marked on 6 of its 21 school days only (R_NOVEMBER: 12
 * sessions of 42; 15 school days unmarked); S on roll throughout, present every day of
 * September and October and never marked after (November and December: no mark at all).
 */
import { addDays, format, parseISO } from "date-fns";
import type { Connection } from "../../analytics/db.ts";
import { seedRegister, type TestMark } from "./register.ts";

export const weekdays = (from: string, to: string) => {
  const days: string[] = [];
  for (let d = parseISO(from); format(d, "yyyy-MM-dd") <= to; d = addDays(d, 1)) if (d.getDay() !== 0 && d.getDay() !== 6) days.push(format(d, "yyyy-MM-dd"));
  return days;
};


/** R's November marks: Mon 4 – Mon 11 November, 6 school days. */
export const R_NOVEMBER = ["2024-11-04", "2024-11-05", "2024-11-06", "2024-11-07", "2024-11-08", "2024-11-11"];

export async function seedPartMonthRegister(c: Connection): Promise<void> {
  for (const date of weekdays("2024-09-02", "2024-12-20")) {
    const half = date <= "2024-10-25" ? "autumn-1-2024" : "autumn-2-2024";
    await c.run("INSERT INTO school_days VALUES ($date::DATE, '2024/25', 'autumn-2024', $half)", { date, half });
  }
  const marks: TestMark[] = [];
  for (const date of weekdays("2024-09-02", "2024-12-02")) {
    const code = date === "2024-12-02" ? "I" : null;
    marks.push(["P", date, "AM", code ?? "/"], ["P", date, "PM", code ?? "\\"]);
    if (date >= "2024-09-16") marks.push(["Q", date, "AM", "/"], ["Q", date, "PM", "\\"]);
    if (!date.startsWith("2024-11") || R_NOVEMBER.includes(date)) marks.push(["R", date, "AM", "/"], ["R", date, "PM", "\\"]);
    if (date <= "2024-10-31") marks.push(["S", date, "AM", "/"], ["S", date, "PM", "\\"]);
  }
  await seedRegister(c, { pupils: [{ upn: "P" }, { upn: "Q", admission_date: "2024-09-16" }, { upn: "R" }, { upn: "S" }], marks });
}
