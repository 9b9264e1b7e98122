/** The CLI's dates (--from, --to, --as-of …): only days on the calendar, refused in a sentence (trial21). */
import { describe, expect, it } from "vitest";
import { UsageError, requireDate } from "../analytics/cli/args.ts";
import { isIsoDate } from "../app/lib/filters.ts";

describe("requireDate", () => {
  it("takes a real day, leap days in leap years included", () => {
    for (const day of ["2026-09-30", "2028-02-29", "2000-02-29", "2026-12-31", "2027-01-01"]) expect(requireDate(day, "--from")).toBe(day);
  });

  it("refuses a day its month does not have, saying how many days the month has (exit 2: a UsageError)", () => {
    // By hand: September has 30 days; February 2027 28 (2027 is not divisible by 4); February 2100 28 (a century not divisible by 400).
    const refused: [string, string][] = [
      ["2026-09-31", "--from 2026-09-31 is not a date: September 2026 has 30 days"],
      ["2027-02-29", "--from 2027-02-29 is not a date: February 2027 has 28 days"],
      ["2100-02-29", "--from 2100-02-29 is not a date: February 2100 has 28 days"],
      ["2026-02-30", "--from 2026-02-30 is not a date: February 2026 has 28 days"],
      ["2026-04-00", "--from 2026-04-00 is not a date: there is no day 0 (days are 01 to 30 in April 2026)"],
      ["2026-13-01", "--from 2026-13-01 is not a date: there is no month 13 (months are 01 to 12)"],
    ];
    for (const [day, words] of refused) {
      expect(() => requireDate(day, "--from")).toThrow(UsageError);
      expect(() => requireDate(day, "--from")).toThrow(words);
    }
    expect(() => requireDate("31/09/2026", "--to")).toThrow('--to must be a date as YYYY-MM-DD (got "31/09/2026")');
  });

  it("agrees with the web's reading of a custom range's from and to", () => {
    for (const day of ["2026-09-31", "2027-02-29", "2028-02-29", "2026-09-30"]) {
      let cli = true;
      try {
        requireDate(day, "--from");
      } catch {
        cli = false;
      }
      expect(isIsoDate(day), day).toBe(cli);
    }
  });
});
