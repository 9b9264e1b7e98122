import { describe, expect, it } from "vitest";
import { attendanceFilterOptions, parseAttendanceBand } from "../app/lib/pupil-filters.ts";

describe("Pupils attendance filter (issue 13, case 12)", () => {
  // A pupil at exactly 90.0 % (18 of 20 sessions) is persistently absent (absence ≥ 10 %).
  const atNinety = { attendance_pct: 90, is_pa: true, is_sa: false };
  const above = { attendance_pct: 90.5, is_pa: false, is_sa: false };
  const severe = { attendance_pct: 50, is_pa: true, is_sa: true };

  it("offers persistent and severe absence themselves, and names each edge", () => {
    const labels = attendanceFilterOptions([96, 90, 85, 50]).map((o) => o.label);
    expect(labels).toContain("Persistently absent (attendance 90% or below)");
    expect(labels).toContain("Severely absent (attendance 50% or below)");
    expect(labels).toContain("Attendance under 90% (90% exactly not included)");
    expect(labels.some((label) => /^Below 90%$/.test(label))).toBe(false);
  });

  // Where each band is applied (the pupil at exactly 90.0 % is PA and not under 90 %) is
  // tested on the SQL that applies it: test/pupil-list.test.ts.
  it("reads a band from the URL only when the school uses it; anything else filters nothing", () => {
    const thresholds = [96, 90, 85];
    expect(parseAttendanceBand("pa", thresholds)).toEqual({ value: "pa", band: { kind: "pa" } });
    expect(parseAttendanceBand("sa", thresholds)).toEqual({ value: "sa", band: { kind: "sa" } });
    expect(parseAttendanceBand("under-90", thresholds)).toEqual({ value: "under-90", band: { kind: "under", pct: 90 } });
    expect(parseAttendanceBand("under-91", thresholds)).toBeNull();
    expect(parseAttendanceBand("under-90; DROP TABLE pupils", thresholds)).toBeNull();
    expect(parseAttendanceBand("", thresholds)).toBeNull();
  });
});
