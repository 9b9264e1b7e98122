/**
 * Bar and line charts as inline SVG, drawn here rather than by a chart library so the very
 * same markup prints in the PDF, shows on screen and needs no script. Each chart has axes
 * with labelled ticks, a legend, a labelled dashed target line, and a <title>/<desc> for
 * screen readers (the pack always prints the same figures in a table next to it).
 */
import type { ChartSpec } from "./model.ts";

export function escapeXml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Blue shades that stay apart in greyscale print; the legend names each. */
const SERIES_COLOURS = ["#1d70b8", "#0b0c0c", "#85994b", "#912b88"];
const BAR_COLOURS = ["#5694ca", "#003078", "#85994b", "#912b88"];

const WIDTH = 680;
const HEIGHT = 270;
const MARGIN = { left: 56, right: 18, top: 34, bottom: 62 };

interface Scale {
  lo: number;
  hi: number;
  ticks: number[];
}

/**
 * The y axis. Lines (points joined): attendance sits in a narrow band near 100 %, so the axis
 * starts just below the lowest value (a multiple of the tick step) and says so in its label;
 * it never goes above 100. Bars (`fromZero`): from 0, so each bar's length is its value.
 */
export function yScale(values: number[], target?: number, fromZero = false): Scale {
  const all = target === undefined ? values : [...values, target];
  if (all.length === 0) return { lo: 0, hi: 100, ticks: [0, 25, 50, 75, 100] };
  // A bar's length is its value: bars always start at zero (issue 13, case 10), so a 1-point
  // gap looks like 1 point, not three times its size on an axis cut at 93 %.
  if (fromZero) {
    const top = Math.max(...all);
    const hi = top <= 100 ? 100 : Math.ceil(top / 20) * 20;
    const ticks: number[] = [];
    for (let t = 0; t <= hi; t += 20) ticks.push(t);
    return { lo: 0, hi, ticks };
  }
  const min = Math.min(...all);
  const max = Math.max(...all);
  const span = Math.max(max - min, 1);
  const step = span <= 4 ? 1 : span <= 10 ? 2 : span <= 25 ? 5 : span <= 50 ? 10 : 20;
  const lo = Math.max(0, Math.floor((min - step / 2) / step) * step);
  let hi = Math.min(100, Math.ceil((max + step / 4) / step) * step);
  if (max > 100) hi = Math.ceil(max / step) * step;
  if (hi <= lo) hi = lo + step;
  const ticks: number[] = [];
  for (let t = lo; t <= hi + 1e-9; t += step) ticks.push(Math.round(t * 100) / 100);
  return { lo, hi, ticks };
}

const fmt = (value: number) => `${value.toFixed(1)}%`;

/** Width of a character of the x axis labels (10.5 px Helvetica), px, generously. */
const LABEL_CHAR_PX = 6.2;
const SLANT_DEGREES = 40;
/** An x axis label's anchor: this far below the plot, and (slanted) this far right of its category's middle, px. */
const LABEL_DROP = 14;
const SLANT_NUDGE = 3;

/**
 * The room slanted x axis labels need beyond the plot: below it (`bottom`, at least
 * MARGIN.bottom) and left of the SVG's edge (`left`, 0 or more), from each label's length.
 * A label is anchored at its end under its category and runs up to the left at 40°, so a long
 * last label ("Autumn 2026 (to 23 Oct 2026)") ran out of the bottom of a fixed-height chart.
 */
function slantedLabelRoom(categories: readonly string[], band: number): { bottom: number; left: number } {
  const rad = (SLANT_DEGREES * Math.PI) / 180;
  let bottom = MARGIN.bottom;
  let left = 0;
  categories.forEach((category, i) => {
    const length = category.length * LABEL_CHAR_PX;
    bottom = Math.max(bottom, Math.ceil(LABEL_DROP + length * Math.sin(rad) + 10));
    left = Math.max(left, Math.ceil(length * Math.cos(rad) - (MARGIN.left + band * (i + 0.5) + SLANT_NUDGE)));
  });
  return { bottom, left };
}

export function renderChartSvg(chart: ChartSpec, id: string): string {
  const values = chart.series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  // X axis labels: thinned so they never overlap, slanted when long (and the chart grown to hold them).
  const n = chart.categories.length;
  const band = plotW / Math.max(n, 1);
  const longest = Math.max(0, ...chart.categories.map((c) => c.length));
  const slanted = longest * LABEL_CHAR_PX > band;
  const room = slanted ? slantedLabelRoom(chart.categories, band) : { bottom: MARGIN.bottom, left: 0 };
  const height = MARGIN.top + plotH + room.bottom;
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const description = chart.series
    .map((s) => `${s.name}: ${chart.categories.map((c, i) => `${c} ${s.values[i] === null ? "no figure" : fmt(s.values[i]!)}`).join(", ")}`)
    .join(". ");
  const open = `<svg class="pack-chart" viewBox="${-room.left} 0 ${WIDTH + room.left} ${height}" width="100%" role="img" aria-labelledby="${titleId} ${descId}" xmlns="http://www.w3.org/2000/svg" font-family="Helvetica, Arial, sans-serif">
<title id="${titleId}">${escapeXml(chart.title)}</title><desc id="${descId}">${escapeXml(description)}</desc>`;
  if (values.length === 0 || chart.categories.length === 0) {
    return `${open}<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#f3f2f1"/><text x="${WIDTH / 2}" y="${height / 2}" text-anchor="middle" font-size="14" fill="#505a5f">No figures to chart for this period</text></svg>`;
  }
  const scale = yScale(values, chart.target?.value, chart.type === "bar");
  // Value labels go on last, with a white halo, so the dashed target line never strikes through them.
  const labels: string[] = [];
  const y = (v: number) => MARGIN.top + plotH - ((v - scale.lo) / (scale.hi - scale.lo)) * plotH;
  const parts: string[] = [open];

  // Grid and y axis.
  for (const tick of scale.ticks) {
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#dcdcdc" stroke-width="1"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y(tick) + 4}" text-anchor="end" font-size="11" fill="#0b0c0c">${tick}%</text>`);
  }
  const axisLabel = scale.lo > 0 ? `${chart.yLabel} — axis starts at ${scale.lo}%` : chart.yLabel;
  parts.push(`<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="11" fill="#505a5f">${escapeXml(axisLabel)}</text>`);
  parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#0b0c0c"/>`);
  parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" stroke="#0b0c0c"/>`);

  const every = slanted ? Math.max(1, Math.ceil(16 / band)) : 1;
  chart.categories.forEach((category, i) => {
    if (i % every !== 0) return;
    const cx = MARGIN.left + band * (i + 0.5);
    const cy = MARGIN.top + plotH + LABEL_DROP;
    parts.push(
      slanted
        ? `<text transform="translate(${cx + SLANT_NUDGE} ${cy}) rotate(-${SLANT_DEGREES})" text-anchor="end" font-size="10.5" fill="#0b0c0c">${escapeXml(category)}</text>`
        : `<text x="${cx}" y="${cy}" text-anchor="middle" font-size="11" fill="#0b0c0c">${escapeXml(category)}</text>`,
    );
  });

  if (chart.type === "bar") {
    const groupWidth = band * 0.78;
    const barWidth = groupWidth / chart.series.length;
    const labelBars = barWidth >= 26;
    // Each bar 2 px narrower than its share, a gap between neighbours; where a share is too
    // narrow for that (the classes of a 4,500-pupil school: 145 classes, two series, 1.6 px
    // each), 60 % of it. A width of 2 px less was negative there, and no bar was drawn at all.
    const drawn = barWidth - 2 >= 1 ? barWidth - 2 : barWidth * 0.6;
    chart.series.forEach((series, s) => {
      series.values.forEach((value, i) => {
        if (value === null) return;
        const x = MARGIN.left + band * i + (band - groupWidth) / 2 + barWidth * s;
        const top = y(Math.max(value, scale.lo));
        parts.push(`<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${drawn.toFixed(1)}" height="${(MARGIN.top + plotH - top).toFixed(1)}" fill="${BAR_COLOURS[s % BAR_COLOURS.length]}"><title>${escapeXml(`${chart.categories[i]}, ${series.name}: ${fmt(value)}`)}</title></rect>`);
        if (labelBars) {
          // A white box behind the label as well as the halo: the halo alone left the dashed
          // target line running through the gaps between the digits when it crossed the label.
          const fontSize = barWidth > 34 ? 10.5 : 9;
          const text = value.toFixed(1);
          const cx = x + drawn / 2;
          const boxWidth = text.length * fontSize * 0.62 + 4;
          labels.push(`<rect x="${(cx - boxWidth / 2).toFixed(1)}" y="${(top - 3 - fontSize).toFixed(1)}" width="${boxWidth.toFixed(1)}" height="${(fontSize + 2).toFixed(1)}" fill="#ffffff"/>`);
          labels.push(`<text x="${cx.toFixed(1)}" y="${(top - 3).toFixed(1)}" text-anchor="middle" font-size="${fontSize}" fill="#0b0c0c" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">${text}</text>`);
        }
      });
    });
  } else {
    chart.series.forEach((series, s) => {
      const colour = SERIES_COLOURS[s % SERIES_COLOURS.length];
      let path = "";
      let pen = false;
      series.values.forEach((value, i) => {
        if (value === null) {
          pen = false;
          return;
        }
        const px = MARGIN.left + band * (i + 0.5);
        path += `${pen ? "L" : "M"}${px.toFixed(1)} ${y(value).toFixed(1)} `;
        pen = true;
      });
      parts.push(`<path d="${path.trim()}" fill="none" stroke="${colour}" stroke-width="2.5" stroke-linejoin="round"/>`);
      series.values.forEach((value, i) => {
        if (value === null) return;
        parts.push(`<circle cx="${(MARGIN.left + band * (i + 0.5)).toFixed(1)}" cy="${y(value).toFixed(1)}" r="${n > 30 ? 2.2 : 3.2}" fill="${colour}"><title>${escapeXml(`${chart.categories[i]}: ${fmt(value)}`)}</title></circle>`);
      });
    });
  }

  // Target line on top of the data; the legend names it in words (a label on the plot
  // would sit on top of bars and points).
  if (chart.target) {
    const ty = y(chart.target.value);
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${ty}" y2="${ty}" stroke="#d4351c" stroke-width="1.8" stroke-dasharray="7 4"><title>${escapeXml(chart.target.label)}</title></line>`);
  }
  parts.push(...labels);

  // Legend along the top.
  let lx = MARGIN.left;
  const legend = chart.series.map((series, s) => ({ name: series.name, colour: chart.type === "bar" ? BAR_COLOURS[s % BAR_COLOURS.length] : SERIES_COLOURS[s % SERIES_COLOURS.length] }));
  for (const item of legend) {
    parts.push(`<rect x="${lx}" y="10" width="14" height="12" fill="${item.colour}"/>`);
    parts.push(`<text x="${lx + 19}" y="20" font-size="11.5" fill="#0b0c0c">${escapeXml(item.name)}</text>`);
    lx += 32 + item.name.length * 6.4;
  }
  if (chart.target) {
    parts.push(`<line x1="${lx}" x2="${lx + 20}" y1="16" y2="16" stroke="#d4351c" stroke-width="1.8" stroke-dasharray="7 4"/>`);
    parts.push(`<text x="${lx + 25}" y="20" font-size="11.5" fill="#0b0c0c">${escapeXml(chart.target.label)}</text>`);
  }
  parts.push("</svg>");
  return parts.join("\n");
}
