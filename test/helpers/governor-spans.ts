/**
 * The spans a governor opens (analytics/governor-periods.ts): for each half term, the half term
 * itself, its term to its end and its academic year to its end. Tests that compare a read over
 * "every governor span" take them from here, so they compare the same spans.
 */
import type { Connection } from "../../analytics/db.ts";
import { halfTermsOf } from "../../analytics/governor-periods.ts";

export interface GovernorSpan {
  label: string;
  from: string;
  to: string;
}

/** Every governor span of whole half terms ending in 2025/26 or autumn 1 2026 (the demo school's), each once, in half-term order. */
export async function governorSpans(c: Connection): Promise<GovernorSpan[]> {
  const halves = (await halfTermsOf(c)).filter((h) => h.academicYear === "2025/26" || h.key === "autumn-1-2026");
  const out = new Map<string, GovernorSpan>();
  for (const h of halves) {
    const term = halves.filter((x) => x.term === h.term && x.from <= h.from);
    const year = halves.filter((x) => x.academicYear === h.academicYear && x.from <= h.from);
    for (const [label, from] of [
      [`half ${h.key}`, h.from],
      [`term to ${h.key}`, term[0].from],
      [`year to ${h.key}`, year[0].from],
    ] as const) out.set(`${from}|${h.to}`, { label, from, to: h.to });
  }
  return [...out.values()];
}
