/**
 * A withheld figure on a chart: the word "withheld" standing at its category, reading up from
 * the axis, with the reason on hover — so a bar withheld from governors is not a missing bar
 * (read as 0) and a withheld week is not a gap (read as no data). The rows say which figures
 * are withheld (app/lib/withheld.ts); these helpers are used by every chart drawing
 * (Charts.tsx, GroupBars.tsx).
 */
import { LabelList, ReferenceLine } from "recharts";
import { PA_NOT_GIVEN, WITHHELD, withheldBecause, withheldReason, withheldWords } from "~/lib/withheld";

type Row = Record<string, string | number | boolean | null | undefined>;

const MARK_COLOUR = "#505a5f";

/** The word, upright at x, starting just above the baseline (y of the axis). */
function Mark(props: { x: number; baseline: number; reason: string }) {
  const y = props.baseline - 6;
  return (
    <g className="withheld-mark" data-testid="withheld-mark">
      <title>{props.reason === PA_NOT_GIVEN ? "Not given over fewer than 20 school days" : `Withheld for governors${withheldBecause(props.reason) ? `: ${withheldBecause(props.reason)}` : ""}`}</title>
      <text x={props.x} y={y} transform={`rotate(-90 ${props.x} ${y})`} textAnchor="start" dominantBaseline="central" fontSize={12} fontStyle="italic" fill={MARK_COLOUR}>
        {props.reason === PA_NOT_GIVEN ? PA_NOT_GIVEN : WITHHELD}
      </text>
    </g>
  );
}

/**
 * A child for a `<Bar dataKey={key}>`: "withheld" in the bar's place on every row whose
 * figure `key` is withheld (the bar itself is null, so it has no height).
 */
export function withheldBarLabels(rows: Row[], key: string): JSX.Element | null {
  if (!rows.some((row) => withheldReason(row, key))) return null;
  return (
    <LabelList
      dataKey={key}
      content={(props: { viewBox?: unknown; index?: number }) => {
        const row = props.index === undefined ? undefined : rows[props.index];
        const reason = row ? withheldReason(row, key) : null;
        // A cartesian chart's label box (Recharts' ViewBox also covers polar charts).
        const box = props.viewBox as { x?: number; y?: number; width?: number; height?: number } | undefined;
        if (!reason || !box) return null;
        const x = Number(box.x) + Number(box.width) / 2;
        // A null bar sits on the axis: its y (and height 0) is the baseline.
        const baseline = Number(box.y) + (Number.isFinite(Number(box.height)) ? Number(box.height) : 0);
        if (!Number.isFinite(x) || !Number.isFinite(baseline)) return null;
        return <Mark key={`withheld-${props.index}`} x={x} baseline={baseline} reason={reason} />;
      }}
    />
  );
}

/**
 * Children for a line chart: at each category (`xKey` value) whose figures `keys` are all
 * withheld, a faint dashed line and "withheld", so the gap in the line is not read as no data.
 */
export function withheldLineMarks(rows: Row[], xKey: string, keys: string[]): JSX.Element[] {
  return rows
    .filter((row) => keys.length > 0 && keys.every((key) => withheldReason(row, key)))
    .map((row) => {
      const reason = withheldReason(row, keys[0])!;
      const x = row[xKey];
      return (
        <ReferenceLine
          key={`withheld-${String(x)}`}
          x={typeof x === "number" ? x : String(x)}
          stroke="#b1b4b6"
          strokeDasharray="2 4"
          label={(props: { viewBox?: { x: number; y: number; height: number } }) =>
            props.viewBox ? <Mark x={props.viewBox.x} baseline={props.viewBox.y + props.viewBox.height} reason={reason} /> : <g />
          }
        />
      );
    });
}

/** A withheld figure in text (a card, a sentence, a cell): "withheld". */
export function WithheldText(props: { reason: string }): JSX.Element {
  return (
    <span className="suppressed" data-testid="withheld">
      {withheldWords(props.reason)}
    </span>
  );
}
