/**
 * The ladder in force takes the school's own letter and monitoring thresholds from Settings
 * (analytics/interventions/policy.ts): Ludlow's ladder is written at 96 % and 90 %, the same
 * numbers as the casework rules' letter and monitoring thresholds, and a school that moves
 * them moves the ladder's triggers and words too (the fresh-clone trial set the letter
 * threshold to 95 % and the ladder still said "until attendance stabilises to 96%").
 */
import { describe, expect, it } from "vitest";
import { ladderPolicyOf } from "../analytics/interventions/policy.ts";
import { LUDLOW_LADDER } from "../analytics/interventions/ladder-policies.ts";
import { DEFAULT_SETTINGS, type Settings } from "../analytics/settings.ts";

const withNumbers = (letter: number, monitoring: number): Settings => ({
  ...DEFAULT_SETTINGS,
  policy: { ...DEFAULT_SETTINGS.policy, letter_threshold_pct: letter, monitoring_threshold_pct: monitoring },
});

describe("the ladder's thresholds follow the school's settings", () => {
  it("is Ludlow's ladder as written at the default numbers", () => {
    const { ladder } = ladderPolicyOf(DEFAULT_SETTINGS);
    expect(ladder.steps.map((s) => s.label)).toEqual(LUDLOW_LADDER.steps.map((s) => s.label));
    expect(ladder.steps.map((s) => s.trigger)).toEqual(LUDLOW_LADDER.steps.map((s) => s.trigger));
    expect(ladder.whenImproved).toBe(LUDLOW_LADDER.whenImproved);
  });

  it("moves the letter to 95 % and monitoring to 88 %: triggers, words and the 'improved' step", () => {
    const { ladder } = ladderPolicyOf(withNumbers(95, 88));
    const attendance = ladder.steps.filter((s) => s.trigger.kind === "attendance").map((s) => (s.trigger as { pct: number }).pct);
    expect(attendance).toEqual([95, 88]);
    expect(ladder.steps[0].label).toBe("Letter: attendance below 95%");
    expect(ladder.steps[1].label).toBe("Monitoring letter and contact: below 88%");
    expect(ladder.steps[2].trigger).toMatchObject({ kind: "after", whileBelow: { pct: 88 } });
    expect(ladder.whenImproved).toContain("stabilises to 95%");
    expect(JSON.stringify(ladder)).not.toMatch(/\b(96|90)%/);
  });
});
