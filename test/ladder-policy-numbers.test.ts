/**
 * The ladder in force is its preset's template with the school's numbers from Settings filled
 * into named slots (analytics/interventions/ladder-policies.ts, `fillLadder`): triggers and
 * words together, whatever the numbers. The fresh-clone trial set the letter threshold to 95 %
 * and the ladder still said "until attendance stabilises to 96%"; the fix after it rewrote
 * "96%" and "90%" in the words by pattern, which mis-wrote a letter threshold of 90 % (the
 * monitoring number then replaced it too) and never reached Littledean's numbers.
 */
import { describe, expect, it } from "vitest";
import { ladderPolicyOf } from "../analytics/interventions/policy.ts";
import { fillLadder, fillWords, LADDER_TEMPLATES, triggerWords } from "../analytics/interventions/ladder-policies.ts";
import { buildPolicy, DEFAULT_POLICY_NUMBERS, LUDLOW_LADDER, PRESETS, type PolicyNumbers, type PresetId } from "../analytics/casework/policy.ts";
import { DEFAULT_SETTINGS, type Settings } from "../analytics/settings.ts";

const withNumbers = (preset: PresetId, numbers: Partial<PolicyNumbers>): Settings => {
  const policy = buildPolicy(preset, { ...DEFAULT_POLICY_NUMBERS, ...numbers });
  return { ...DEFAULT_SETTINGS, policy, penalty_sessions: policy.penalty_sessions, penalty_window_school_weeks: policy.penalty_window_school_weeks };
};

describe("the ladder's numbers come from the school's settings", () => {
  it("is Ludlow's ladder as written at the default numbers", () => {
    const { ladder } = ladderPolicyOf(DEFAULT_SETTINGS);
    expect(ladder).toEqual(LUDLOW_LADDER);
    expect(ladder.steps.map((s) => s.label)).toEqual([
      "Letter: attendance below 96%",
      "Monitoring letter and contact: below 90%",
      "Meeting with targets",
      "Parenting contract and education welfare protocol (targets not met)",
      "Final warning (no improvement over the contract's monitoring period)",
      "Penalty notice sought",
    ]);
    expect(ladder.steps.map((s) => s.trigger)).toEqual([
      { kind: "attendance", pct: 96 },
      { kind: "attendance", pct: 90 },
      { kind: "after", schoolWeeks: 2, whileBelow: { pct: 90 } },
      { kind: "after", schoolWeeks: 2 },
      { kind: "after", schoolWeeks: 4 },
      { kind: "after", schoolWeeks: 4 },
    ]);
    expect(ladder.whenImproved).toContain("stabilises to 96% (Appendix A, 9)");
  });

  it("fills unusual numbers: a letter at 95.5 % and monitoring at 92 %, in triggers and words alike", () => {
    const { ladder } = ladderPolicyOf(withNumbers("ludlow", { letter_threshold_pct: 95.5, monitoring_threshold_pct: 92, monitoring_school_weeks: 3, targets_school_weeks: 5, final_warning_school_weeks: 6 }));
    expect(ladder.steps.map((s) => s.label).slice(0, 2)).toEqual(["Letter: attendance below 95.5%", "Monitoring letter and contact: below 92%"]);
    expect(ladder.steps.map((s) => s.trigger)).toEqual([
      { kind: "attendance", pct: 95.5 },
      { kind: "attendance", pct: 92 },
      { kind: "after", schoolWeeks: 3, whileBelow: { pct: 92 } },
      { kind: "after", schoolWeeks: 3 },
      { kind: "after", schoolWeeks: 5 },
      { kind: "after", schoolWeeks: 6 },
    ]);
    expect(ladder.whenImproved).toContain("stabilises to 95.5%");
    expect(JSON.stringify(ladder)).not.toMatch(/\b(96|90)%/);
  });

  it("keeps each number in its own place when one setting takes another's default: a letter at 90 % and monitoring at 85 %", () => {
    // Rewriting "96%" to "90%" and then "90%" to "85%" would have put 85 % in the letter's words.
    const { ladder } = ladderPolicyOf(withNumbers("ludlow", { letter_threshold_pct: 90, monitoring_threshold_pct: 85, formal_meeting_threshold_pct: 80 }));
    expect(ladder.steps[0]).toMatchObject({ label: "Letter: attendance below 90%", trigger: { kind: "attendance", pct: 90 } });
    expect(ladder.steps[1]).toMatchObject({ label: "Monitoring letter and contact: below 85%", trigger: { kind: "attendance", pct: 85 } });
    expect(ladder.steps[2].trigger).toEqual({ kind: "after", schoolWeeks: 2, whileBelow: { pct: 85 } });
    expect(ladder.whenImproved).toContain("stabilises to 90%");
  });

  it("fills Littledean's numbers too: the targets period and the penalty-notice sessions and weeks", () => {
    const settings = withNumbers("littledean", { targets_school_weeks: 6, penalty_sessions: 12, penalty_window_school_weeks: 8 });
    const { ladder, penalty_sessions, penalty_window_school_weeks } = ladderPolicyOf(settings);
    expect(ladder.id).toBe("littledean");
    expect(ladder.steps[1].trigger).toEqual({ kind: "after", schoolWeeks: 6, whileBelow: { pct: 90, inclusive: true } });
    expect(ladder.steps[2].label).toBe("Penalty notice sought (12 unauthorised sessions in 8 school weeks)");
    expect(triggerWords(ladder.steps[2], { penalty_sessions, penalty_window_school_weeks })).toBe("when unauthorised absence (G, N, O or U) reaches 12 sessions within 8 school weeks");
    // Persistent absence is the national line (10 % missed), not a setting: it does not move with the letter threshold.
    expect(ladderPolicyOf(withNumbers("littledean", { letter_threshold_pct: 97, monitoring_threshold_pct: 93 })).ladder.steps[0].trigger).toEqual({ kind: "attendance", pct: 90, inclusive: true });
  });

  it("fills every slot of every preset's ladder, and refuses a slot that is not a policy number", () => {
    for (const id of Object.keys(PRESETS) as PresetId[]) {
      const ladder = fillLadder(LADDER_TEMPLATES[id], DEFAULT_POLICY_NUMBERS);
      const words = [ladder.afterLast, ladder.whenImproved, ...ladder.steps.map((s) => s.label)];
      for (const text of words) expect(text, id).not.toMatch(/[{}]/);
      expect(buildPolicy(id, DEFAULT_POLICY_NUMBERS).ladder, id).toEqual(ladder);
    }
    expect(() => fillWords("below {letter_threshold}%", DEFAULT_POLICY_NUMBERS)).toThrow(/not a policy number/);
  });
});
