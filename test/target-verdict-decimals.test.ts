/**
 * Trial leftover (session 16, issue 13 case 6): targetVerdict printed up to 12 decimals for a
 * figure within 1e-4 of the target (96.0999990000% beside "below target"). The verdict stays
 * on the unrounded figure (≥ meets); the figure is printed with at most 3 decimals (or the
 * target's typed ones), and a figure that then prints as the target says "just" and bounds
 * the gap in words, never a zero gap beside "below". Figures by hand:
 * - exactly 96.1: 961 of 1000 sessions → on target, "96.1%", ±0.0.
 * - 1e-6 below: 96.099999 → prints 96.100 at 3 decimals = the target: close, just below.
 * - 1e-3 below: 96.099 → prints "96.099%", 0.001 points below.
 * - 2267 of 2359 sessions = 96.1000424…% → 0.00004 above: close, just above.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { TargetGap, TargetMet } from "../app/components/PointsGap.tsx";
import { targetStatus } from "../analytics/packs/sections.ts";
import { targetVerdict } from "../analytics/thresholds.ts";

const html = (el: Parameters<typeof renderToStaticMarkup>[0]) => renderToStaticMarkup(el).replace(/<[^>]+>/g, "").replace(/&lt;/g, "<");
/** Decimals of every number printed in a text. */
const maxDecimals = (text: string) => Math.max(0, ...[...text.matchAll(/\d+\.(\d+)/g)].map((m) => m[1].length));

describe("target verdict: never more than 3 decimals, words true when the figure rounds to the target", () => {
  it("exactly on the target", () => {
    const v = (961 / 1000) * 100;
    expect(targetVerdict(v, 96.1)).toMatchObject({ status: "at", meets: true, close: false, figure: "96.1%", words: "on target", points: "±0.0 pts" });
  });

  it("1e-6 below: below (unrounded), printed as the target rounded, 'just below', gap bounded", () => {
    const v = 96.1 - 1e-6;
    const verdict = targetVerdict(v, 96.1);
    expect(verdict).toMatchObject({ status: "below", meets: false, close: true, words: "just below target", figure: "96.1% rounded", size: "less than 0.001", points: "−<0.001 pts" });
    expect(verdict.why).toBe("96.1% rounded, under 96.1% by less than 0.001 points");
    expect(verdict.gap).toBeLessThan(0);
    for (const text of [verdict.figure, verdict.why, verdict.points, html(createElement(TargetGap, { value: v, target: 96.1 })), html(createElement(TargetMet, { value: v, target: 96.1 })), targetStatus(v, 96.1).text]) {
      expect(maxDecimals(text), text).toBeLessThanOrEqual(3);
      expect(text).not.toMatch(/±/);
    }
    expect(targetStatus(v, 96.1)).toEqual({ text: "Just below target (96.1% rounded, under 96.1% by less than 0.001 points)", tone: "bad" });
    expect(html(createElement(TargetMet, { value: v, target: 96.1 }))).toBe("Below the target of 96.1% (96.1% rounded, under 96.1% by less than 0.001 points)");
  });

  it("1e-3 below: printed to three decimals, 0.001 points below", () => {
    const verdict = targetVerdict(96.099, 96.1);
    expect(verdict).toMatchObject({ status: "below", close: false, figure: "96.099%", gap: -0.001, points: "−0.001 pts", size: "0.001", words: "below target" });
  });

  it("4e-5 above (2267 of 2359 sessions): meets it, 'just above', at most three decimals", () => {
    const v = (2267 / 2359) * 100;
    const verdict = targetVerdict(v, 96.1);
    expect(verdict).toMatchObject({ status: "above", meets: true, close: true, words: "just above target", figure: "96.1% rounded", points: "+<0.001 pts" });
    expect(html(createElement(TargetGap, { value: v, target: 96.1 }))).toBe("just above target (96.1% rounded, over 96.1% by less than 0.001 points)");
  });

  it("a hair below a whole-number target: 96% rounded, never 95.999999", () => {
    const verdict = targetVerdict(95.999999, 96);
    expect(verdict).toMatchObject({ status: "below", close: true, figure: "96.0% rounded" });
    expect(maxDecimals(verdict.why)).toBeLessThanOrEqual(3);
  });
});
