/**
 * The Pupils list's attendance filter (client-safe), with every edge named: persistent and
 * severe absence are offered as themselves (DfE: absence ≥ 10 % / ≥ 50 % of the pupil's own
 * possible sessions, i.e. attendance 90 % or below / 50 % or below — the flags the measures
 * compute in whole sessions), and the policy's thresholds as "under X %" (attendance < X,
 * as the casework rules and analytics/thresholds.ts compare). A pupil at exactly 90.0 % is
 * persistently absent and is not "under 90 %": the names say so.
 */
import { formatThreshold } from "../../analytics/thresholds.ts";
export interface AttendanceFilterOption {
  value: string;
  label: string;
}

/**
 * `slice`: a drill-down to some sessions in words ("Fridays"), where the list's figures and
 * flags count those sessions alone: the options say so ("missed 10% or more of these sessions
 * (Fridays)"), as the flags do, for persistent absence is measured on all of a pupil's sessions.
 */
export function attendanceFilterOptions(thresholds: number[], slice: string | null = null): AttendanceFilterOption[] {
  return [
    { value: "", label: "Any attendance" },
    { value: "pa", label: slice ? `Missed 10% or more of these sessions (${slice})` : "Persistently absent (attendance 90% or below)" },
    { value: "sa", label: slice ? `Missed half or more of these sessions (${slice})` : "Severely absent (attendance 50% or below)" },
    // One formatting for the threshold in both places (formatThreshold, as the school typed
    // it): "under 90% (90% exactly …)" beside "under 95.5% (95.5% exactly …)", not "90.0%".
    ...thresholds.map((threshold) => {
      const typed = formatThreshold(threshold, 0);
      return { value: `under-${threshold}`, label: `Attendance${slice ? ` on these sessions (${slice})` : ""} under ${typed} (${typed} exactly not included)` };
    }),
  ];
}

/** The filter in words for the count line: "persistently absent (attendance 90% or below)". */
export function describeAttendanceFilter(value: string, thresholds: number[], slice: string | null = null): string {
  const option = attendanceFilterOptions(thresholds, slice).find((o) => o.value === value && o.value !== "");
  return option ? option.label.charAt(0).toLowerCase() + option.label.slice(1) : "";
}

/**
 * The filter value as the server applies it (analytics/pupil-list.ts): persistent or severe
 * absence, or attendance under one of the school's thresholds. Anything else (an unknown
 * value, a threshold the school does not use) filters nothing: null.
 */
export function parseAttendanceBand(
  value: string,
  thresholds: number[],
): { value: string; band: { kind: "pa" } | { kind: "sa" } | { kind: "under"; pct: number } } | null {
  if (value === "pa" || value === "sa") return { value, band: { kind: value } };
  const under = /^under-(\d+(?:\.\d+)?)$/.exec(value);
  if (under && thresholds.includes(Number(under[1]))) return { value, band: { kind: "under", pct: Number(under[1]) } };
  return null;
}
