/**
 * Break test (session 15): the pupil page's attendance tile and the early-warning forecast
 * printed the figure to one decimal beside "Below the target of 96.1%": a pupil at 98 of 102
 * sessions (96.078…%, by hand) read "96.1%" and "Below the target of 96.1%". The words now
 * carry the figure to the decimals that show why (targetVerdict), as the Classes page does.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { TargetMet } from "../app/components/PointsGap.tsx";

const words = (value: number | null, target: number) => renderToStaticMarkup(createElement(TargetMet, { value, target })).replace(/<[^>]+>/g, "");

describe("at or below the target, in words beside a one-decimal figure", () => {
  it("98 of 102 sessions against 96.1 %: below, and why", () => {
    expect(words((98 / 102) * 100, 96.1)).toBe("Below the target of 96.1% (96.08%)");
  });
  it("exactly on it: at or above, no more decimals", () => {
    expect(words(96.1, 96.1)).toBe("At or above the target of 96.1%");
  });
  it("far from it: one decimal is enough", () => {
    expect(words(92.5, 96.1)).toBe("Below the target of 96.1%");
    expect(words(null, 96.1)).toBe("Below the target of 96.1%");
  });
});

import { forecastStatus } from "../analytics/packs/interventions.ts";

describe("the SLT pack's forecast tag", () => {
  it("a projection of 96.08 % against 96.1 %: below, and why", () => {
    expect(forecastStatus((98 / 102) * 100, 96.1)).toEqual({ text: "Below target (96.08%)", tone: "bad" });
    expect(forecastStatus(96.5, 96.1)).toEqual({ text: "On course for target", tone: "good" });
  });
});
