/**
 * Issue 13 case 6, second trial: Year 6 at 96.148 % was "ABOVE TARGET (96.15%)" in the FGB
 * pack and "±0.0 pts, same as target" on the Year groups & classes page (target 96.1 %): the
 * page compared the printed figures (96.1 − 96.1), the pack the unrounded one. One rule now
 * (analytics/thresholds.ts targetVerdict): the verdict on the unrounded figure (≥ meets, "on
 * target" only when equal), the figure and gap to the decimals that show why. Both places
 * are tested on the same figures, computed by hand.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { TargetGap } from "../app/components/PointsGap.tsx";
import { targetStatus } from "../analytics/packs/sections.ts";
import { targetVerdict } from "../analytics/thresholds.ts";

/** The page's words for a figure against the target (Year groups & classes, Overview tile, Trust). */
const page = (value: number, target: number) => renderToStaticMarkup(createElement(TargetGap, { value, target })).replace(/<[^>]+>/g, "");

describe("one target verdict for pages and packs", () => {
  // 2500 of 2601 sessions: 96.1169… % — prints 96.1 %, is above a 96.1 % target.
  const year6 = (2500 / 2601) * 100;
  it("a figure that prints as the target but is above it: above, on the page and in the pack", () => {
    expect(year6.toFixed(1)).toBe("96.1");
    expect(targetVerdict(year6, 96.1)).toEqual({ status: "above", meets: true, words: "above target", figure: "96.12%", why: "96.12%", precise: true, close: false, gap: 0.02, points: "+0.02 pts", size: "0.02", said: "0.02 pts above target (96.12%)" });
    expect(page(year6, 96.1)).toBe("0.02 pts above target (96.12%)");
    expect(targetStatus(year6, 96.1)).toEqual({ text: "Above target (96.12%)", tone: "good" });
  });

  it("the trial's 96.148 %: 96.15 % printed, 0.05 above, in both", () => {
    expect(page(96.148, 96.1)).toBe("0.05 pts above target (96.15%)");
    expect(targetStatus(96.148, 96.1).text).toBe("Above target (96.15%)");
  });

  it("class 3B at 96.08 %: below, in both", () => {
    expect(page(96.08, 96.1)).toBe("0.02 pts below target (96.08%)");
    expect(targetStatus(96.08, 96.1)).toEqual({ text: "Below target (96.08%)", tone: "bad" });
  });

  it("exactly on the target: on target (meets it), in both", () => {
    // 961 of 1000 sessions: 96.1 exactly.
    expect(targetVerdict((961 / 1000) * 100, 96.1)).toMatchObject({ status: "at", meets: true, gap: 0, points: "±0.0 pts" });
    expect(page(96.1, 96.1)).toBe("on target");
    expect(targetStatus(96.1, 96.1)).toEqual({ text: "On target", tone: "good" });
  });

  it("a gap that shows at one decimal stays at one decimal", () => {
    expect(page(96.5, 96.1)).toBe("0.4 pts above target");
    expect(targetStatus(96.5, 96.1).text).toBe("Above target");
    // Trial 28: "−3.6 pts below target" read as a double negative; the side is said in words only.
    expect(page(92.5, 96.1)).toBe("3.6 pts below target");
  });

  it("a target typed with two decimals: the gap is against the target as typed", () => {
    // 95.3 % against 95.25 %: one decimal prints both as 95.3.
    expect(targetVerdict(95.3, 95.25)).toMatchObject({ status: "above", figure: "95.30%", gap: 0.05, points: "+0.05 pts" });
    expect(targetVerdict(97.3, 95.25)).toMatchObject({ figure: "97.3%", precise: false, gap: 2.05, points: "+2.05 pts" });
  });
});
