/**
 * The dashboard's small pure helpers: comparisons in words (never colour alone), chart CSV
 * text, the calendar's attendance bands and chart axis ranges.
 */
import { describe, expect, it } from "vitest";
import { compareRates, targetWords, verdictWords } from "../app/lib/compare.ts";
import { toCsv } from "../app/lib/csv.ts";
import { formatCountOf } from "../app/lib/format.ts";
import { describeGroup, readGrain, TIME_GRAINS, withGrainNotice } from "../app/lib/grain.ts";

describe("compareRates", () => {
  it("says better or worse by the measure's direction, in points", () => {
    const attendance = compareRates(95.86, 96.1, "higher-is-better");
    expect(attendance).toMatchObject({ points: "−0.2 pts", verdict: "worse", className: "worse" });
    expect(targetWords(attendance)).toBe("below target");
    const absence = compareRates(3.4, 3.1, "lower-is-better");
    expect(absence).toMatchObject({ points: "+0.3 pts", verdict: "worse" });
    expect(verdictWords(compareRates(0.7, 0.9, "lower-is-better"))).toBe("better than");
  });

  it("calls a gap that rounds to 0.0 points the same, and a missing figure no comparison", () => {
    expect(compareRates(96.14, 96.1, "higher-is-better").verdict).toBe("same");
    // A target is met on the unrounded figure (≥), whatever the points round to.
    expect(targetWords(compareRates(96.14, 96.1, "higher-is-better"))).toBe("above target");
    expect(targetWords(compareRates(96.08, 96.1, "higher-is-better"))).toBe("below target");
    expect(targetWords(compareRates(96.1, 96.1, "higher-is-better"))).toBe("on target");
    expect(compareRates(null, 96.1, "higher-is-better")).toMatchObject({ gap: null, points: "—", verdict: "none" });
  });
});

describe("toCsv", () => {
  it("writes labels as the header, exact values, empty cells for no figure, and quotes what needs it", () => {
    const csv = toCsv(
      [
        { week: "2026-11-16", pct: 96.35593220338983, note: 'a "quoted", text' },
        { week: "2026-11-23", pct: null, note: "=HYPERLINK()" },
      ],
      [
        { key: "week", label: "Week beginning" },
        { key: "pct", label: "Attendance" },
        { key: "note", label: "Note" },
      ],
    );
    expect(csv).toBe(
      'Week beginning,Attendance,Note\r\n2026-11-16,96.35593220338983,"a ""quoted"", text"\r\n2026-11-23,,"\'=HYPERLINK()"\r\n',
    );
  });
});

describe("grains", () => {
  it("reads only allowed grains and names groups in words", () => {
    expect(readGrain("month", TIME_GRAINS, "week")).toBe("month");
    expect(readGrain("decade", TIME_GRAINS, "week")).toBe("week");
    expect(readGrain(null, ["week", "month"] as const, "month")).toBe("month");
    // As a person types them into the address (a trial's /trends?by=half-term was refused).
    expect(readGrain("half-term", TIME_GRAINS, "week")).toBe("half_term");
    expect(readGrain(" Academic year ", TIME_GRAINS, "week")).toBe("academic_year");
    expect(withGrainNotice(null, new URLSearchParams("by=half-term"), TIME_GRAINS, "week")).toBeNull();
    expect(withGrainNotice(null, new URLSearchParams("by=fortnight"), TIME_GRAINS, "week")).toMatch(/Not understood in the address: .*fortnight.*Showing it by week\./);
    expect(describeGroup("week", "2026-11-16")).toBe("w/c 16 Nov 2026");
    expect(describeGroup("month", "2026-09")).toBe("Sep 2026");
    expect(describeGroup("half_term", "autumn-1-2026")).toBe("Autumn 1 2026");
    expect(describeGroup("academic_year", "2025/26")).toBe("2025/26");
  });
});

describe("calendar bands and chart ranges", async () => {
  const { attendanceBands } = await import("../app/components/CalendarHeatmap.tsx");
  const { pctAxis, pctDomain, zeroBasedAxis } = await import("../app/components/Charts.tsx");

  it("bands daily attendance by the target and the escalation thresholds below it", () => {
    // 96 sits within half a point of the 96.1 target: merged, not a sliver of a band.
    const bands = attendanceBands(96.1, [96, 90, 85, 50]);
    expect(bands.map((band) => band.min)).toEqual([96.1, 90, 85, 50, -Infinity]);
    expect(bands.map((band) => band.label)).toEqual([
      "96.1% or more (at or above target)",
      "90% to under 96.1%",
      "85% to under 90%",
      "50% to under 85%",
      "Under 50%",
    ]);
  });

  it("gives a percent axis that holds every value and the target", () => {
    expect(pctDomain([95.2, 97.3, null], 96.1)).toEqual([94, 100]);
    expect(pctDomain([], undefined)).toEqual([0, 100]);
    expect(pctDomain([100], 96.1)).toEqual([95, 100]);
  });

  // The pupil page's monthly chart read 0 %, 25 %, 50 %, 98 %: October's 96.4 % sat on the
  // 98 % line. Ticks are evenly spaced, of one round step, and end at 100 %.
  it("ticks a percent line axis in even round steps ending at 100 %", () => {
    expect(pctAxis([42.9, 96.4, 97.9, 100], 96.1)).toEqual({ domain: [40, 100], ticks: [40, 50, 60, 70, 80, 90, 100] });
    expect(pctAxis([0, 96.4, 97.9], 96.1)).toEqual({ domain: [0, 100], ticks: [0, 20, 40, 60, 80, 100] });
    expect(pctAxis([95.2, 97.3, null], 96.1)).toEqual({ domain: [94, 100], ticks: [94, 95, 96, 97, 98, 99, 100] });
    expect(pctAxis([88.5, 96.4], 96.1)).toEqual({ domain: [88, 100], ticks: [88, 90, 92, 94, 96, 98, 100] });
    expect(pctAxis([61, 99])).toEqual({ domain: [50, 100], ticks: [50, 60, 70, 80, 90, 100] });
    expect(pctAxis([])).toEqual({ domain: [0, 100], ticks: [0, 20, 40, 60, 80, 100] });
    for (const values of [[0.4, 99], [12, 55, 96.4], [93.3], [100], [50, 75], [71.2, 96.4, 98.8]]) {
      const { domain, ticks } = pctAxis(values, 96.1);
      const step = ticks[1] - ticks[0];
      expect([1, 2, 5, 10, 20, 25]).toContain(step);
      expect(ticks.every((tick, i) => i === 0 || tick - ticks[i - 1] === step)).toBe(true);
      expect([ticks[0], ticks.at(-1)]).toEqual(domain);
      expect(domain[1]).toBe(100);
      expect(Math.min(...values, 96.1)).toBeGreaterThanOrEqual(domain[0]);
      expect(ticks.length).toBeLessThanOrEqual(7);
    }
  });

  it("ticks percent bar axes from zero in even round steps ending at or above the top bar (100 % for attendance)", () => {
    for (const values of [[96.4, 94.1], [9.79, 3.3], [57, 12], [100]]) {
      const { domain, ticks } = zeroBasedAxis(values);
      const step = ticks[1] - ticks[0];
      expect(ticks[0]).toBe(0);
      expect(ticks.every((tick, i) => i === 0 || Math.abs(tick - ticks[i - 1] - step) < 1e-9)).toBe(true);
      expect(ticks.at(-1)).toBe(domain[1]);
      expect(domain[1]).toBeGreaterThanOrEqual(Math.max(...values));
    }
    expect(zeroBasedAxis([96.4, 94.1]).ticks.at(-1)).toBe(100);
  });
});

describe("toCsv percentages (issue 13, case 14)", () => {
  it("writes a rate to one decimal beside its exact numerator and denominator", () => {
    const csv = toCsv(
      [
        { label: "4B", attendance_pct: 25.862068965517242, present_sessions: 15, aea_sessions: 0, possible_sessions: 58, rest_pa_pct: 100 / 3, rest_pa_pupils: 1, rest_pupils: 3 },
        { label: "4C", attendance_pct: null, possible_sessions: 0, present_sessions: 0, aea_sessions: 0, rest_pa_pct: null, rest_pa_pupils: 0, rest_pupils: 0 },
      ],
      [
        { key: "label", label: "Class" },
        { key: "attendance_pct", label: "Attendance", format: "pct" },
        { key: "rest_pa_pct", label: "Everyone else: persistent absence", format: "pct" },
      ],
    );
    const [header, first, second] = csv.trim().split("\r\n");
    expect(header).toBe(
      "Class,Attendance %,Attendance: sessions attended,Attendance: possible sessions,Everyone else: persistent absence %,Everyone else: persistent absence: pupils persistently absent,Everyone else: persistent absence: pupils",
    );
    expect(first).toBe("4B,25.9,15,58,33.3,1,3");
    expect(second).toBe("4C,,0,0,,0,0");
    expect(csv).not.toContain("25.862");
  });

  it("leaves a rate's counts empty on a row that does not give that rate (casework: attendance rules beside PA rules)", () => {
    const counts = { present_sessions: 54, aea_sessions: 0, authorised_sessions: 6, unauthorised_sessions: 0, possible_sessions: 60 };
    const csv = toCsv(
      [
        { rule: "attendance_below_96", attendance_pct: 90, ...counts },
        { rule: "persistent_absence", absence_pct: 10, ...counts },
      ],
      [
        { key: "rule", label: "Rule" },
        { key: "attendance_pct", label: "Attendance", format: "pct" },
        { key: "absence_pct", label: "Absence", format: "pct" },
      ],
    );
    const [, attendanceRule, paRule] = csv.trim().split("\r\n");
    expect(attendanceRule).toBe("attendance_below_96,90.0,54,60,,,");
    expect(paRule).toBe("persistent_absence,,,,10.0,6,60");
  });
});

describe("formatCountOf", () => {
  it("says one session, not '1 sessions', and keeps the dash for no figure", () => {
    expect(formatCountOf(1, "session")).toBe("1 session");
    expect(formatCountOf(0, "session")).toBe("0 sessions");
    expect(formatCountOf(1029, "session")).toBe("1,029 sessions");
    expect(formatCountOf(null, "session")).toBe("—");
  });
});
