/**
 * Issue 13, case 10: the packs' bar charts start at zero (a 1-point gap looks like 1 point)
 * and the dashed target line never strikes through a bar's value label (labels are drawn
 * after it, on a white box, with a white halo). Line charts keep their fitted axis and say where it starts.
 */
import { describe, expect, it } from "vitest";
import { renderChartSvg, yScale } from "../analytics/packs/svg.ts";
import type { ChartSpec } from "../analytics/packs/model.ts";

const bars: ChartSpec = {
  type: "bar",
  title: "Year groups: attendance",
  yLabel: "Attendance (%)",
  categories: ["Year 3", "Year 4"],
  series: [{ name: "Autumn 2026", values: [95.2, 96.3] }],
  target: { value: 96.1, label: "Target 96.1%" },
};

describe("pack charts", () => {
  it("starts a bar chart's axis at zero, and a line chart's just below its lowest value, saying so", () => {
    expect(yScale([95.2, 96.3], 96.1, true)).toMatchObject({ lo: 0, hi: 100 });
    expect(yScale([95.2, 96.3], 96.1).lo).toBeGreaterThan(90);
    const svg = renderChartSvg(bars, "c1");
    expect(svg).toContain(">0%</text>");
    expect(svg).not.toContain("axis starts at");
    const line = renderChartSvg({ ...bars, type: "line" }, "c2");
    expect(line).toMatch(/axis starts at 9\d%/);
  });

  it("draws every bar of a chart of many groups (145 classes, two series), however narrow", () => {
    const classes = Array.from({ length: 145 }, (_, i) => `Class ${i + 1}`);
    const svg = renderChartSvg({ ...bars, title: "Classes: attendance", categories: classes, series: [{ name: "Summer 2026", values: classes.map(() => 95) }, { name: "Year to date", values: classes.map(() => 94) }] }, "c9");
    const widths = [...svg.matchAll(/<rect x="[^"]+" y="[^"]+" width="([^"]+)" height="[^"]+" fill="[^"]+"><title>Class/g)].map((m) => Number(m[1]));
    expect(widths).toHaveLength(290);
    for (const width of widths) expect(width).toBeGreaterThan(0.5);
    // A chart of a few groups keeps its 2 px gap between bars (its share 236.3 px).
    expect(renderChartSvg(bars, "c10")).toContain('width="234.3"');
  });

  it("draws the bar labels after the target line, with a halo that hides the line behind them", () => {
    const svg = renderChartSvg(bars, "c3");
    const targetAt = svg.indexOf('stroke-dasharray="7 4"><title>Target');
    const labelAt = svg.indexOf(">96.3</text>");
    expect(targetAt).toBeGreaterThan(0);
    expect(labelAt).toBeGreaterThan(targetAt);
    expect(svg.slice(svg.lastIndexOf("<text", labelAt), labelAt)).toContain('paint-order="stroke"');
    // Each bar's height is its value on a 0–100 axis: 96.3 is taller than 95.2 by 1.1 % of the plot, not by a third.
    const heights = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="(?!#ffffff)/g)].map((m) => Number(m[1]));
    heights.pop(); // the legend's swatch
    expect(heights).toHaveLength(2);
    expect(heights[1] / heights[0]).toBeCloseTo(96.3 / 95.2, 2);
  });

  it("puts a white box behind a label the target line crosses, so the line runs behind it, not between its digits", () => {
    // 93.0 % sits a few points under the 96.1 % target: its label, above the bar's top, straddles the line.
    const svg = renderChartSvg({ ...bars, series: [{ name: "Autumn 2026", values: [93.0, 90.0] }] }, "c4");
    const ty = Number(/<line x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)" y2="[\d.]+" stroke="#d4351c"/.exec(svg)![1]);
    const labelAt = svg.indexOf(">93.0</text>");
    const box = /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="#ffffff"\/>\s*$/.exec(svg.slice(0, svg.lastIndexOf("<text", labelAt)));
    expect(box, "a white box just before the label").not.toBeNull();
    const [top, height] = [Number(box![2]), Number(box![4])];
    expect(top).toBeLessThan(ty);
    expect(top + height).toBeGreaterThan(ty);
    expect(svg.indexOf(box![0])).toBeGreaterThan(svg.indexOf('stroke="#d4351c"'));
  });

  it("grows the chart to hold a long slanted label (the term to date's), so none runs out of its bottom or left edge", () => {
    const terms: ChartSpec = {
      ...bars,
      title: "Attendance term by term",
      categories: ["Autumn 2024", "Spring 2025", "Summer 2025", "Autumn 2025", "Spring 2026", "Summer 2026", "Autumn 2026 (to 23 Oct 2026)"],
      series: [{ name: "Attendance", values: [95.9, 94.8, 96.6, 95.4, 94.8, 95.9, 96.0] }],
    };
    const svg = renderChartSvg(terms, "c9");
    const [minX, , , height] = /viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"/.exec(svg)!.slice(1).map(Number);
    // Each slanted label: anchored at its end (translate x, y), running up-left at 40°; its
    // far end must lie inside the view (a character at most 6.2 px at 10.5 px).
    const labels = [...svg.matchAll(/<text transform="translate\(([\d.]+) ([\d.]+)\) rotate\(-40\)"[^>]*>([^<]+)<\/text>/g)];
    expect(labels).toHaveLength(7);
    for (const [, x, y, text] of labels) {
      const length = text.length * 6.2;
      expect(Number(y) + 10.5, text).toBeLessThanOrEqual(height);
      expect(Number(y) + length * Math.sin((40 * Math.PI) / 180), text).toBeLessThanOrEqual(height);
      expect(Number(x) - length * Math.cos((40 * Math.PI) / 180), text).toBeGreaterThanOrEqual(minX);
    }
    // Before: a fixed 270 high, the plot's bottom at 208: the last label reached 317.
    expect(height).toBeGreaterThan(270);
  });
});
