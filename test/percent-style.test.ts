/**
 * Percentages in words are in the app's one style (app/lib/format.ts formatPct: the number
 * then "%", no space), and a threshold is printed as the school typed it
 * (analytics/thresholds.ts formatThreshold). The intervention types read "Letter: attendance
 * below 96 %" while the ladder beside them read "below 96%".
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY_NUMBERS, PRESETS } from "../analytics/casework/policy.ts";
import { RULES } from "../analytics/casework/rules.ts";
import { interventionLabels } from "../analytics/interventions/types.ts";
import { fillLadder, LADDER_TEMPLATES } from "../analytics/interventions/ladder-policies.ts";
import { attendanceFilterOptions } from "../app/lib/pupil-filters.ts";
import { formatPct } from "../app/lib/format.ts";

/** A number, then a space, then "%": the style the app does not use. */
const SPACED = /\d\s+%/;
const numbers = (letter: number) => ({ ...DEFAULT_POLICY_NUMBERS, letter_threshold_pct: letter, monitoring_threshold_pct: 90 });

describe("percentages in words: one style", () => {
  it("is the style of formatPct", () => {
    expect(formatPct(96)).toBe("96.0%");
  });

  it("the ladders, the casework rules, the policy presets and the Pupils filter", () => {
    for (const letter of [96, 95.5, 95.25]) {
      for (const template of Object.values(LADDER_TEMPLATES)) {
        const ladder = fillLadder(template, numbers(letter));
        const words = [ladder.afterLast, ladder.whenImproved, ...ladder.steps.map((s) => s.label)];
        for (const w of words) expect(w, w).not.toMatch(SPACED);
        if (template.id === "ludlow") expect(words.join(" ")).toContain(`below ${letter}%`);
      }
      for (const rule of RULES) {
        const w = rule.describe({ ...numbers(letter), formal_meeting_threshold_pct: 85 } as never);
        expect(w, w).not.toMatch(SPACED);
      }
      for (const option of attendanceFilterOptions([letter, 90, 85, 50])) expect(option.label).not.toMatch(SPACED);
    }
    for (const preset of Object.values(PRESETS)) {
      for (const w of [preset.summary, ...Object.values(preset.sources)]) expect(w, w).not.toMatch(SPACED);
    }
  });

  // The intervention types' words (analytics/casework/interventions-list.ts) read "below 96 %"
  // beside the ladder's "below 96%" until they took formatThreshold too.
  it("the intervention types' words", () => {
    for (const letter of [96, 95.5, 95.25]) {
      const labels = interventionLabels({ letter_threshold_pct: letter, monitoring_threshold_pct: 90 });
      for (const w of Object.values(labels)) expect(w, w).not.toMatch(SPACED);
      expect(labels.letter_below_96).toBe(`Letter: attendance below ${letter}%`);
      expect(labels.letter_below_90).toBe("Letter: attendance below 90%");
    }
  });
});
