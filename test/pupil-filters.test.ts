import { describe, expect, it } from "vitest";
import { attendanceFilterOptions, matchesAttendanceFilter } from "../app/lib/pupil-filters.ts";

describe("Pupils attendance filter (issue 13, case 12)", () => {
  // A pupil at exactly 90.0 % (18 of 20 sessions) is persistently absent (absence ≥ 10 %).
  const atNinety = { attendance_pct: 90, is_pa: true, is_sa: false };
  const above = { attendance_pct: 90.5, is_pa: false, is_sa: false };
  const severe = { attendance_pct: 50, is_pa: true, is_sa: true };

  it("offers persistent and severe absence themselves, and names each edge", () => {
    const labels = attendanceFilterOptions([96, 90, 85, 50]).map((o) => o.label);
    expect(labels).toContain("Persistently absent (attendance 90% or below)");
    expect(labels).toContain("Severely absent (attendance 50% or below)");
    expect(labels).toContain("Attendance under 90% (90.0% exactly not included)");
    expect(labels.some((label) => /^Below 90%$/.test(label))).toBe(false);
  });

  it("keeps the pupil at exactly 90.0 % in the persistent-absence filter and out of 'under 90 %'", () => {
    expect(matchesAttendanceFilter(atNinety, "pa")).toBe(true);
    expect(matchesAttendanceFilter(atNinety, "under-90")).toBe(false);
    expect(matchesAttendanceFilter(above, "pa")).toBe(false);
    expect(matchesAttendanceFilter(severe, "sa")).toBe(true);
    expect(matchesAttendanceFilter(atNinety, "sa")).toBe(false);
    expect(matchesAttendanceFilter({ attendance_pct: 89.99, is_pa: true, is_sa: false }, "under-90")).toBe(true);
    expect(matchesAttendanceFilter({ attendance_pct: null, is_pa: false, is_sa: false }, "under-96")).toBe(false);
  });
});
