/**
 * A drill-down to an academic year reads the year as every typed year is read (fresh-clone trial
 * 26: `drill=academic_year:2025-26` was refused where `year=2025-26` is read): 2025/26 or
 * 2025-26, kept as 2025/26, the spelling its figures are keyed by; academicYearKey and
 * academicYearBounds read a year's text with one parser.
 */
import { describe, expect, it } from "vitest";
import { readDrillParam } from "../app/lib/filters.ts";
import { academicYearBounds, academicYearKey } from "../analytics/period-names.ts";

const drill = (value: string) => readDrillParam(new URLSearchParams({ drill: value }), []);

describe("an academic year in a drill-down", () => {
  it("reads 2025/26 and 2025-26 alike, as 2025/26; refuses a year whose second half does not follow", () => {
    expect(drill("academic_year:2025/26")).toEqual({ by: "academic_year", value: "2025/26" });
    expect(drill("academic_year:2025-26")).toEqual({ by: "academic_year", value: "2025/26" });
    expect(drill("academic_year:2099-00")).toEqual({ by: "academic_year", value: "2099/00" });
    for (const bad of ["academic_year:2025-27", "academic_year:2025", "academic_year:25/26"]) expect(drill(bad)).toHaveProperty("unread");
  });

  it("academicYearKey and academicYearBounds agree on every year's text", () => {
    for (const text of ["2025/26", "2099/00", "2025/27", "2025-26", "25/26", "2025/2026"]) {
      const key = academicYearKey(text);
      const bounds = (() => {
        try {
          return academicYearBounds(text);
        } catch {
          return null;
        }
      })();
      // The stored spelling: both read it, or neither; the typed 2025-26 is a key, and its key's bounds.
      if (text.includes("/")) expect([text, bounds !== null]).toEqual([text, key !== null]);
      if (key) expect(academicYearBounds(key)).toEqual({ from: `${key.slice(0, 4)}-08-01`, to: `${Number(key.slice(0, 4)) + 1}-07-31` });
    }
    expect(() => academicYearBounds("2025/27")).toThrow('"2025/27" is not a valid academic year');
    expect(() => academicYearBounds("2025-26")).toThrow("academic year must look like 2025/26");
  });
});
