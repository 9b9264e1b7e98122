/**
 * The Trust page's national row (trial 53): each school's 2026/27 to 7 Dec had sat beside
 * "National (primary, 2025/26 year to date to 10 Jul 2026)" with nothing said, where the
 * Benchmarks page says the same figure is "not the same period, so no verdict". The row's
 * caveat (analytics/trust-national.ts) is the Benchmarks page's words, by its one rule
 * (benchmarks/comparison.ts noVerdictWords, which compareWithNational judges by).
 */
import { describe, expect, it } from "vitest";
import { compareWithNational } from "../analytics/benchmarks/comparison.ts";
import { trustNationalCaveat } from "../analytics/trust-national.ts";

const LAST_YEARS = { value: 5.1, phase: "primary", academicYear: "2025/26", period: "year-to-date" as const, periodEnd: "2026-07-10" };
const TRIAL = { academicYear: "2026/27", to: "2026-12-07", complete: false };

describe("trustNationalCaveat", () => {
  it("says last year's figure is for reference only, in the Benchmarks page's words", () => {
    const caveat = trustNationalCaveat(TRIAL, [LAST_YEARS, { ...LAST_YEARS, value: 14.2 }]);
    expect(caveat).toBe(
      "For reference only: the published figure is for 2025/26 year to date to 10 Jul 2026, the school's for 2026/27 to 7 Dec 2026 — not the same period, so no verdict.",
    );
    // One rule: what Benchmarks says of the same figure against the same period.
    const benchmarks = compareWithNational(4.0, LAST_YEARS, false, { academicYear: "2026/27", kind: "year-to-date", to: "2026-12-07", complete: false });
    expect(benchmarks.direction).toBeNull();
    expect(caveat).toBe(`${benchmarks.words[0].toUpperCase()}${benchmarks.words.slice(1)}.`);
  });

  it("says nothing of a release for the same year ending within 14 days of the schools' last day, which Benchmarks judges", () => {
    const near = { ...LAST_YEARS, academicYear: "2026/27", periodEnd: "2026-11-27" };
    expect(trustNationalCaveat(TRIAL, [near, near])).toBeNull();
    expect(compareWithNational(4.0, near, false, { academicYear: "2026/27", kind: "year-to-date", to: "2026-12-07", complete: false }).direction).not.toBeNull();
    // Nor with no figure published.
    expect(trustNationalCaveat(TRIAL, [null, null])).toBeNull();
  });

  it("gives each reason once: a release 24 days old, and all state-funded schools' persistent absence", () => {
    const old = { ...LAST_YEARS, academicYear: "2026/27", periodEnd: "2026-11-13" };
    expect(trustNationalCaveat(TRIAL, [old, { ...old, phase: "all-state-funded" }])).toBe(
      "For reference only: the published figure is for 2026/27 year to date to 13 Nov 2026, the school's for 2026/27 to 7 Dec 2026 (its data end more than 14 days from the school's) — not the same period, so no verdict; " +
        "for reference only: all state-funded schools, secondary and special included; the published figure is for 2026/27 year to date to 13 Nov 2026, the school's for 2026/27 to 7 Dec 2026 (its data end more than 14 days from the school's) — not like for like.",
    );
  });
});
