/**
 * analytics/import/values.ts weekdayOfDays: a day number's day of the week by arithmetic, as
 * the CTF and week-string readers ask it of every character (readers/session-string.ts), the
 * same as Date's getUTCDay on that day — before 1970 (negative day numbers) too.
 */
import { describe, expect, it } from "vitest";
import { daysToIso, isoToDays, weekdayOfDays } from "../analytics/import/values.ts";

describe("weekdayOfDays", () => {
  it("agrees with Date's getUTCDay on every day from 1960 to 2040", () => {
    const wrong: string[] = [];
    for (let day = isoToDays("1960-01-01"); day <= isoToDays("2040-12-31"); day++) {
      const iso = daysToIso(day);
      if (weekdayOfDays(day) !== new Date(`${iso}T00:00:00Z`).getUTCDay()) wrong.push(iso);
    }
    expect(wrong).toEqual([]);
  });

  it("names days known by hand: Thursday 1 January 1970, Saturday 6 September 2025, Sunday 31 December 1969", () => {
    expect(weekdayOfDays(0)).toBe(4);
    expect(weekdayOfDays(isoToDays("2025-09-06"))).toBe(6);
    expect(weekdayOfDays(-1)).toBe(3);
    expect(weekdayOfDays(isoToDays("1969-12-28"))).toBe(0);
  });
});
