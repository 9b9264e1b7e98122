/**
 * Trial 29b: the Trust page printed a school's verdict and its target as two asides,
 * "0.01 pts below target (96.09%) (target 96.1%)". With `namesTarget` the target joins the
 * verdict's one pair of brackets. Figures by hand:
 * - 9609 of 10000 sessions = 96.09 %, target 96.1 %: printed 96.09, gap 0.01 points below.
 * - 800 of 1000 = 80 %, target 95 %: printed 80.0, 15.0 points below, no figure in brackets.
 * - 961 of 1000 = 96.1 %, target 96.1 %: on target.
 * - 96.1 − 1e-6: prints as the target, "just below", whose words name the target already.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { TargetGap } from "../app/components/PointsGap.tsx";

const text = (value: number, target: number) => renderToStaticMarkup(createElement(TargetGap, { value, target, namesTarget: true })).replace(/<[^>]+>/g, "").replace(/&lt;/g, "<");

describe("TargetGap naming the target: one pair of brackets", () => {
  it("a figure printed to two decimals and the target share the brackets", () => {
    expect(text((100 * 9609) / 10000, 96.1)).toBe("0.01 pts below target (96.09%; target 96.1%)");
  });
  it("a figure at one decimal: the target alone in brackets", () => {
    expect(text((100 * 800) / 1000, 95)).toBe("15.0 pts below target (target 95.0%)");
  });
  it("on target", () => {
    expect(text((100 * 961) / 1000, 96.1)).toBe("on target (target 96.1%)");
  });
  it("just below: the words name the target once", () => {
    const said = text(96.1 - 1e-6, 96.1);
    expect(said).toBe("just below target (96.1% rounded, under 96.1% by less than 0.001 points)");
    expect(said.match(/\(/g)).toHaveLength(1);
  });
});
