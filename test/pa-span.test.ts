/** Over how long a span PA and SA are given (issue 13, case 13): analytics/pa-span.ts. */
import { describe, expect, it } from "vitest";
import { daysWithin, PA_MIN_SCHOOL_DAYS, persistentAbsenceMeasured } from "../analytics/pa-span.ts";

describe("persistent absence's span", () => {
  it("needs 20 school days: a week or a one-day period is not enough", () => {
    expect(PA_MIN_SCHOOL_DAYS).toBe(20);
    expect(persistentAbsenceMeasured(1)).toBe(false);
    expect(persistentAbsenceMeasured(5)).toBe(false);
    expect(persistentAbsenceMeasured(19)).toBe(false);
    expect(persistentAbsenceMeasured(20)).toBe(true);
  });

  it("counts the school days of a span inclusively", () => {
    const days = ["2026-11-16", "2026-11-17", "2026-11-20", "2026-11-23"];
    expect(daysWithin(days, "2026-11-17", "2026-11-23")).toBe(3);
    expect(daysWithin(days, "2026-11-23", "2026-11-23")).toBe(1);
    expect(daysWithin(days, "2026-12-01", "2026-12-31")).toBe(0);
  });
});
