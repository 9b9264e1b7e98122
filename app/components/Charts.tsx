/**
 * The dashboard's chart drawings (Recharts), drawn on the client only (see ClientOnly).
 * Shared styling: the brand blue for attendance, the target as a dashed reference line,
 * axes in percent. Bars always start at zero (a bar's length is its value); a line chart may
 * fit its axis to the figures, and then says in words that the axis is cut (issue 13, case 10).
 * A figure withheld from governors is marked "withheld" at its place (WithheldMark.tsx).
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatPct } from "../lib/format";
import { ChartArea } from "./ClientOnly";
import { withheldBarLabels, withheldLineMarks } from "./WithheldMark";
import { formatThreshold } from "../../analytics/thresholds.ts";

export const CHART_COLOURS = {
  attendance: "#1d70b8",
  absence: "#d4351c",
  authorised: "#f47738",
  unauthorised: "#942514",
  aea: "#00703c",
  target: "#6f72af",
  grid: "#e5e6e7",
};

/** A palette for several series (years, codes) that stays distinguishable in greyscale order. */
export const SERIES_COLOURS = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#28a197", "#b58840", "#912b88", "#505a5f", "#85994b", "#003078", "#f499be"];

const pctTick = (value: number) => `${value}%`;
const tooltipPct = (value: unknown) => (typeof value === "number" ? formatPct(value) : String(value));

/** Round steps for a percentage axis: each divides 100, so the ticks always end on 100 %. */
const PCT_STEPS = [1, 2, 5, 10, 20, 25];
/** At most this many gaps between ticks: enough to read a figure off, few enough to label. */
const MAX_PCT_GAPS = 6;

/**
 * A line chart's attendance axis: evenly spaced ticks of one round step (1, 2, 5, 10, 20 or
 * 25 points), ending at 100 % (attendance cannot pass it) and starting at the first step
 * below the lowest value or the reference line (the target), so every point lies between two
 * ticks of the same step. Recharts' own ticks on a fitted domain were uneven (0, 25, 50, 98:
 * a 96.4 % point sat on the 98 % line and read as 98 %). A chart whose axis does not start at
 * 0 says so (AxisCutNote). No values: 0–100 in 20s.
 */
export function pctAxis(values: Array<number | null | undefined>, reference?: number): { domain: [number, number]; ticks: number[] } {
  const present = values.filter((value): value is number => typeof value === "number" && Number.isFinite(value));
  if (reference !== undefined) present.push(reference);
  const lowest = present.length > 0 ? Math.max(0, Math.min(...present, 100)) : 0;
  // A little room below the lowest point, so it does not sit on the axis line.
  const floorOf = (step: number) => Math.max(0, Math.floor((lowest - step / 4) / step) * step);
  const step = PCT_STEPS.find((candidate) => (100 - floorOf(candidate)) / candidate <= MAX_PCT_GAPS) ?? 25;
  const low = floorOf(step);
  const ticks: number[] = [];
  for (let tick = low; tick <= 100; tick += step) ticks.push(tick);
  return { domain: [low, 100], ticks };
}

/** The domain of pctAxis: [lowest tick, 100]. */
export function pctDomain(values: Array<number | null>, reference?: number): [number, number] {
  return pctAxis(values, reference).domain;
}

/**
 * A bar chart's value axis: from zero, in even steps of 1, 2 or 5 × 10ⁿ, to the first step at
 * or above the largest value. When every figure is withheld there is no largest value and the
 * axis still stands (0–10), so the "withheld" marks have somewhere to stand.
 */
export function zeroBasedAxis(values: Array<number | null | undefined>): { domain: [number, number]; ticks: number[] } {
  const present = values.filter((value): value is number => typeof value === "number" && Number.isFinite(value));
  const max = present.length > 0 ? Math.max(...present) : 0;
  if (max <= 0) return { domain: [0, 10], ticks: [0, 2, 4, 6, 8, 10] };
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough)!);
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let tick = 0; tick <= top + step / 2; tick += step) ticks.push(Number(tick.toFixed(6)));
  return { domain: [0, top], ticks };
}

/** The words under a chart whose value axis does not start at zero (nothing when it does). */
export function axisCutWords(domain: [number, number]): string | null {
  return domain[0] > 0 ? `The vertical axis starts at ${domain[0]}%, not 0: differences look larger than they are.` : null;
}

function AxisCutNote(props: { domain: [number, number] }): JSX.Element | null {
  const words = axisCutWords(props.domain);
  return words ? (
    <p className="hint chart__axis-note" data-testid="axis-cut">
      {words}
    </p>
  ) : null;
}

export interface LineSeries {
  key: string;
  label: string;
  colour: string;
  /**
   * Drawn as hollow points with no line between them: figures not of the same kind as the
   * line's (a part month beside whole ones), so no line runs into them as if they were.
   */
  pointsOnly?: boolean;
}

/** Percentages over an ordered x axis, with an optional target line. */
export function PctLineChart(props: {
  rows: Array<Record<string, string | number | null>>;
  xKey: string;
  series: LineSeries[];
  target?: number;
  height?: number;
  xTickFormatter?: (value: string) => string;
}): JSX.Element {
  const { rows, xKey, series, target } = props;
  const axis = pctAxis(rows.flatMap((row) => series.map((s) => (typeof row[s.key] === "number" ? (row[s.key] as number) : null))), target);
  const domain = axis.domain;
  return (
    <>
    <AxisCutNote domain={domain} />
    <ChartArea height={props.height ?? 320}>
      {() => (
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 8, right: target !== undefined ? 88 : 24, bottom: 8, left: 8 }}>
            <CartesianGrid stroke={CHART_COLOURS.grid} vertical={false} />
            {/* The labels set down clear of the vertical axis's lowest label (a month's "Sep 2026"
                had run into its "95%"); not padded sideways, which left a phone's three months
                room for two labels (review 47). */}
            <XAxis dataKey={xKey} tickFormatter={props.xTickFormatter} minTickGap={16} tickMargin={8} />
            <YAxis domain={domain} ticks={axis.ticks} interval={0} tickFormatter={pctTick} width={52} allowDataOverflow />
            <Tooltip formatter={tooltipPct} labelFormatter={(label) => (props.xTickFormatter ? props.xTickFormatter(String(label)) : String(label))} />
            {series.length > 1 ? <Legend /> : null}
            {target !== undefined ? (
              <ReferenceLine
                y={target}
                stroke={CHART_COLOURS.target}
                strokeDasharray="6 4"
                strokeWidth={2}
                // Beside the plot, clear of the lines it would otherwise cover.
                label={{ value: `Target ${formatThreshold(target, 1)}`, position: "right", fill: "#383f43", fontSize: 13 }}
              />
            ) : null}
            {series.map((s) => (
              <Line
                key={s.key}
                type="monotone"
                dataKey={s.key}
                name={s.label}
                stroke={s.colour}
                strokeWidth={s.pointsOnly ? 0 : 2.5}
                dot={s.pointsOnly ? { r: 5, fill: "#ffffff", stroke: s.colour, strokeWidth: 2 } : { r: 3 }}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
            {withheldLineMarks(rows, xKey, series.map((s) => s.key))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </ChartArea>
    </>
  );
}

/** Stacked session counts per x value (codes or categories over time). */
export function StackedBarChart(props: {
  rows: Array<Record<string, string | number | null>>;
  xKey: string;
  series: LineSeries[];
  height?: number;
  xTickFormatter?: (value: string) => string;
  yLabel?: string;
  /** Values are percentages (stacked rates that add up to a whole, e.g. authorised + unauthorised). */
  pct?: boolean;
  /** A click on a bar calls onSelect with the row's `selectKey` field (default xKey). */
  onSelect?: (key: string) => void;
  selectKey?: string;
}): JSX.Element {
  // The stacks' heights: each row's series added up.
  const axis = zeroBasedAxis(props.rows.map((row) => props.series.reduce((sum, s) => sum + (typeof row[s.key] === "number" ? (row[s.key] as number) : 0), 0)));
  return (
    <>
    <ChartArea height={props.height ?? 340}>
      {() => (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={props.rows} margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
            <CartesianGrid stroke={CHART_COLOURS.grid} vertical={false} />
            <XAxis dataKey={props.xKey} tickFormatter={props.xTickFormatter} minTickGap={8} />
            <YAxis domain={axis.domain} ticks={axis.ticks} width={56} allowDecimals={Boolean(props.pct)} tickFormatter={props.pct ? pctTick : undefined} label={props.yLabel ? { value: props.yLabel, angle: -90, position: "insideLeft", offset: 0, fill: "#383f43" } : undefined} />
            <Tooltip
              formatter={props.pct ? tooltipPct : undefined}
              labelFormatter={(label) => (props.xTickFormatter ? props.xTickFormatter(String(label)) : String(label))}
            />
            {props.series.map((s, index) => (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.label}
                stackId="sessions"
                fill={s.colour}
                isAnimationActive={false}
                cursor={props.onSelect ? "pointer" : undefined}
                onClick={
                  props.onSelect
                    ? (entry: { payload?: Record<string, unknown> }) => props.onSelect?.(String(entry.payload?.[props.selectKey ?? props.xKey] ?? ""))
                    : undefined
                }
              >
                {/* A withheld period: one mark on the stack, in place of its bars. */}
                {index === props.series.length - 1 ? withheldBarLabels(props.rows, s.key) : null}
              </Bar>
            ))}
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartArea>
    {/* The key under the drawing, not inside it: Recharts' legend takes its lines from the chart's
        fixed height, and on a phone the codes' eight (wrapping) left the bars some 25 px (trial 47). */}
    <ChartLegend series={props.series} />
    </>
  );
}

/** A chart's key as a list under it: each series' colour and name. */
export function ChartLegend(props: { series: LineSeries[] }): JSX.Element {
  return (
    <ul className="chart__legend">
      {props.series.map((s) => (
        <li key={s.key}>
          <span className="chart__swatch" style={{ background: s.colour }} aria-hidden="true" />
          {s.label}
        </li>
      ))}
    </ul>
  );
}

/** One bar per group (weekday, session) in percent; a click on a bar calls onSelect with its key. */
export function PctBarChart(props: {
  rows: Array<Record<string, string | number | null>>;
  xKey: string;
  valueKey: string;
  valueLabel: string;
  target?: number;
  height?: number;
  onSelect?: (key: string) => void;
}): JSX.Element {
  // Bars start at zero: a bar's length is its value (issue 13, case 10); only the top is fitted.
  const axis = zeroBasedAxis([...props.rows.map((row) => (typeof row[props.valueKey] === "number" ? (row[props.valueKey] as number) : null)), props.target]);
  return (
    <ChartArea height={props.height ?? 300}>
      {() => (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={props.rows} margin={{ top: 8, right: props.target !== undefined ? 88 : 24, bottom: 8, left: 8 }}>
            <CartesianGrid stroke={CHART_COLOURS.grid} vertical={false} />
            <XAxis dataKey={props.xKey} />
            <YAxis domain={axis.domain} ticks={axis.ticks} tickFormatter={pctTick} width={52} allowDataOverflow />
            <Tooltip formatter={tooltipPct} />
            {props.target !== undefined ? (
              <ReferenceLine
                y={props.target}
                stroke={CHART_COLOURS.target}
                strokeDasharray="6 4"
                strokeWidth={2}
                label={{ value: `Target ${formatThreshold(props.target, 1)}`, position: "right", fill: "#383f43", fontSize: 13 }}
              />
            ) : null}
            <Bar
              dataKey={props.valueKey}
              name={props.valueLabel}
              fill={CHART_COLOURS.attendance}
              isAnimationActive={false}
              cursor={props.onSelect ? "pointer" : undefined}
              onClick={props.onSelect ? (entry: { payload?: Record<string, unknown> }) => props.onSelect?.(String(entry.payload?.[props.xKey] ?? "")) : undefined}
            >
              {withheldBarLabels(props.rows, props.valueKey)}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartArea>
  );
}
