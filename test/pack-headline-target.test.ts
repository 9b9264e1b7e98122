/**
 * Break test (session 15): the packs' headline figure says the target's gap twice, and the two
 * must agree. Year to date 2500 of 2601 sessions attended = 96.1169…% (computed by hand)
 * against the 96.1 % target: the tag reads "Above target (96.12%)" (targetVerdict), but the
 * detail line under it was "±0.0 pts against the 96.1% target" (the printed figures' gap,
 * analytics/packs/sections.ts headlineSection) — the contradiction issue 13 case 6 was about.
 */
import { describe, expect, it } from "vitest";
import { headlineSection, type Headline, type PackPeriods } from "../analytics/packs/sections.ts";
import { withRates } from "../analytics/measures.ts";
import { DEFAULT_SETTINGS } from "../analytics/settings.ts";

const m = (present: number, possible: number) =>
  withRates({ pupils: 30, possible_sessions: possible, present_sessions: present, aea_sessions: 0, authorised_sessions: possible - present, unauthorised_sessions: 0, pa_pupils: 0, sa_pupils: 0 });

const GIVEN = { given: true, schoolDays: 35, named: "", why: null };

describe("pack headline against target", () => {
  it("the detail line's gap agrees with the tag (96.117% against 96.1%)", () => {
    const settings = { ...DEFAULT_SETTINGS, target_attendance_pct: 96.1 };
    const headline: Headline = {
      period: m(2500, 2601),
      periodLastYear: m(900, 1000),
      yearToDate: m(2500, 2601),
      yearToDateLastYear: m(900, 1000),
      yearToDateDfe: m(2500, 2601),
      national: { byMeasure: {}, notes: [] },
      lastYearSpans: { period: { from: "2025-09-03", to: "2025-10-24" }, yearToDate: { from: "2025-09-03", to: "2025-10-24" } },
      paGiven: { period: GIVEN, periodLastYear: GIVEN, yearToDate: GIVEN, yearToDateLastYear: GIVEN },
    };
    const periods: PackPeriods = { period: { from: "2026-09-03", to: "2026-10-23" }, label: "Autumn 1 2026", noun: "This half term", yearToDate: { from: "2026-09-03", to: "2026-10-23" } };
    const section = headlineSection(headline, periods, settings, 5, null);
    const json = JSON.stringify(section);
    const figures = [...json.matchAll(/"status":\{"text":"([^"]+)"/g)].map((x) => x[1]);
    expect(figures[0]).toBe("Above target (96.12%)");
    const details = [...json.matchAll(/"([^"]*against the 96\.1% target)"/g)].map((x) => x[1]);
    expect(details.length).toBeGreaterThan(0);
    for (const d of details) expect(d).toBe("+0.02 pts against the 96.1% target");
  });
});
