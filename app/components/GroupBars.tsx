/**
 * Absence and persistent-absence rates as bars, one pair per group, with the whole view's
 * absence rate as a reference line. Clicking a group's bars opens the pupils behind them;
 * the same link is in the group's table row for keyboard and screen-reader users.
 *
 * Absence rather than attendance is drawn because bars must start at zero: at 0–100 %
 * attendance bars all look alike, absence bars show the differences honestly.
 */
import { useNavigate } from "@remix-run/react";
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Text, Tooltip, XAxis, YAxis } from "recharts";
import { CHART_COLOURS, SERIES_COLOURS, zeroBasedAxis } from "~/components/Charts";
import { ChartArea } from "~/components/ClientOnly";
import { formatPct } from "~/lib/format";
import { useMayDrill } from "~/components/PupilsLink";
import { withheldBarLabels } from "~/components/WithheldMark";

export interface GroupBar {
  label: string;
  /** The Pupils page for this group (drillDownHref). */
  href: string;
  absence_pct: number | null;
  pa_pct: number | null;
  /**
   * Governors: the group's figures withheld (the reason), or one figure's, marked as in
   * app/lib/withheld.ts (`withheld`, `pa_pct__withheld`): the bar's place says "withheld".
   */
  [withheld: string]: string | number | null | undefined;
}

// The dashboard's colour for absence; persistent absence in a hue that stays distinct in greyscale.
const ABSENCE_COLOUR = CHART_COLOURS.absence;
const PA_COLOUR = SERIES_COLOURS[4];

/** The slants tried for the groups' names under a chart of many groups, least first (degrees below the horizontal). */
const SLANTS = [35, 60, 90] as const;
/** The height the x axis gives the slanted names (px; the chart's axis `height`). */
const NAMES_HEIGHT = 110;
/** A name's line at 13 px, and the width of a character estimated at 0.62 em (wider than the average letter of the app's sans-serif, so a name is shortened early, not late). */
const NAME_LINE_PX = 15;
const NAME_CHAR_PX = 13 * 0.62;

/**
 * A group's name under its bars, drawn from its tick down to the left. The slant is the least of
 * SLANTS at which neighbouring names clear each other (their lines are a bar's width × sin(slant)
 * apart: on a phone, 14 groups at 35° had run into each other), and the name is shortened with
 * "…" where it would run past the drawing's left edge (a phone's "Any other mixed background" had
 * been cut off) or below the axis's height. The full name is in the bar's tooltip and the table
 * under the chart.
 */
function fittedSlantedTick(props: { x: number; y: number; width?: number; visibleTicksCount?: number; payload: { value: string }; [other: string]: unknown }): JSX.Element {
  const { payload, ...text } = props;
  const name = String(payload.value);
  const slot = (Number(props.width) || 0) / Math.max(1, Number(props.visibleTicksCount) || 1);
  const slant = SLANTS.find((degrees) => slot * Math.sin((degrees * Math.PI) / 180) >= NAME_LINE_PX) ?? 90;
  const radians = (slant * Math.PI) / 180;
  const across = Math.cos(radians) > 1e-6 ? (props.x - 2) / Math.cos(radians) : Infinity;
  const down = (NAMES_HEIGHT - 14) / Math.sin(radians);
  const fits = Math.max(1, Math.floor(Math.min(across, down) / NAME_CHAR_PX));
  return (
    <Text {...text} fontSize={13} angle={-slant} textAnchor="end">
      {name.length > fits ? `${name.slice(0, Math.max(1, fits - 1)).trimEnd()}…` : name}
    </Text>
  );
}

export function GroupBars(props: { bars: GroupBar[]; overallAbsencePct: number | null; overallLabel: string; description: string }): JSX.Element {
  const navigate = useNavigate();
  const mayDrill = useMayDrill();
  const { bars, overallAbsencePct } = props;
  const open = (entry: unknown) => {
    const href = (entry as { payload?: GroupBar } | undefined)?.payload?.href;
    if (href && mayDrill) navigate(href);
  };
  // Many groups (ethnicity) need room for their labels; a few fit a compact chart.
  const height = bars.length > 8 ? 410 : 280;
  // Bars from zero; the reference line inside the axis too.
  const axis = zeroBasedAxis([...bars.flatMap((bar) => [bar.absence_pct, bar.pa_pct]), overallAbsencePct]);
  return (
    <ChartArea height={height} label={props.description}>
      {() => (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={bars} margin={{ top: 16, right: 96, bottom: bars.length > 8 ? 40 : 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="label"
              interval={0}
              angle={bars.length > 8 ? -SLANTS[0] : 0}
              textAnchor={bars.length > 8 ? "end" : "middle"}
              height={bars.length > 8 ? NAMES_HEIGHT : 30}
              tick={bars.length > 8 ? fittedSlantedTick : { fontSize: 13 }}
            />
            <YAxis domain={axis.domain} ticks={axis.ticks} unit="%" tick={{ fontSize: 13 }} width={48} allowDecimals={false} />
            <Tooltip formatter={(value: number) => formatPct(value)} cursor={{ fill: "#f3f2f1" }} />
            <Legend />
            {overallAbsencePct !== null ? (
              <ReferenceLine
                y={overallAbsencePct}
                stroke="#0b0c0c"
                strokeDasharray="6 3"
                label={{ value: `${props.overallLabel}: ${formatPct(overallAbsencePct)}`, position: "right", fontSize: 13 }}
              />
            ) : null}
            <Bar dataKey="absence_pct" name="Absence rate" fill={ABSENCE_COLOUR} cursor="pointer" onClick={open} isAnimationActive={false}>
              {withheldBarLabels(bars, "absence_pct")}
            </Bar>
            <Bar dataKey="pa_pct" name="Persistent absence rate" fill={PA_COLOUR} cursor="pointer" onClick={open} isAnimationActive={false}>
              {withheldBarLabels(bars, "pa_pct")}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      )}
    </ChartArea>
  );
}
