/**
 * A difference in percentage points said in words as well as colour ("+2.5 pts higher"),
 * since colour is never the only signal. Whether higher is good depends on the measure:
 * higher attendance is better, higher absence is worse.
 */
import { formatPoints } from "~/lib/format";
import { formatThreshold, targetVerdict, type TargetVerdict } from "../../analytics/thresholds.ts";

/**
 * A figure against the school's target, as every page, pack and report says it
 * (analytics/thresholds.ts targetVerdict): the verdict on the unrounded figure, the gap and
 * the figure to the decimals that show why — "0.05 pts above target (96.15%)" for 96.148 %
 * against 96.1 %, never "same as target" beside a pack's "Above target".
 */
export function TargetGap(props: { value: number | null; target: number; namesTarget?: boolean }): JSX.Element {
  if (props.value === null) return <span className="same">—</span>;
  const verdict = targetVerdict(props.value, props.target);
  return (
    <span className={verdict.status === "above" ? "better" : verdict.status === "at" ? "same" : "worse"} data-target-status={verdict.status}>
      {props.namesTarget ? saidWithTarget(verdict, props.target) : verdict.said}
    </span>
  );
}

/**
 * The verdict naming the target too, in one pair of brackets where a table has no heading
 * for it (the Trust page, a target per school): "0.01 pts below target (96.09%; target 96.1%)",
 * where "… (96.09%) (target 96.1%)" had read as two asides (trial 29b). A `close` verdict names
 * the target already.
 */
function saidWithTarget(verdict: TargetVerdict, target: number): string {
  if (verdict.close) return verdict.said;
  const named = `target ${formatThreshold(target, 1)}`;
  if (verdict.status === "at") return `${verdict.words} (${named})`;
  return `${verdict.size} pts ${verdict.words} (${verdict.precise ? `${verdict.figure}; ` : ""}${named})`;
}

export function PointsGap(props: { value: number | null; higherIs: "better" | "worse"; than?: string }): JSX.Element {
  const { value, higherIs } = props;
  if (value === null) return <span className="same">—</span>;
  const rounded = Number(value.toFixed(1));
  if (rounded === 0) return <span className="same">{formatPoints(value)}, {props.than ? `same as ${props.than}` : "same"}</span>;
  const higher = rounded > 0;
  const good = higher === (higherIs === "better");
  return (
    <span className={good ? "better" : "worse"}>
      {formatPoints(value)} {higher ? "higher" : "lower"}
      {props.than ? ` than ${props.than}` : ""}
    </span>
  );
}

/** "Small group" in words, for groups below the school's minimum size. */
export function SmallGroupTag(props: { minimum: number; what?: string }): JSX.Element {
  return (
    <span className="tag tag--orange" title={`Fewer than ${props.minimum} pupils: figures swing on one or two pupils and are withheld from governors`}>
      Small {props.what ?? "group"}: under {props.minimum}
    </span>
  );
}

/**
 * "At or above the target of 96.1%" / "Below the target of 96.1%" beside a figure printed to
 * one decimal, with the figure to the decimals that show why when it prints as the target
 * (targetVerdict): a pupil at 96.08 % read "96.1%" and "Below the target of 96.1%".
 */
export function TargetMet(props: { value: number | null; target: number }): JSX.Element {
  const target = formatThreshold(props.target, 1);
  if (props.value === null) return <span className="worse">Below the target of {target}</span>;
  const verdict = targetVerdict(props.value, props.target);
  const why = verdict.precise ? ` (${verdict.why})` : "";
  return verdict.meets ? <span className="better">At or above the target of {target}{why}</span> : <span className="worse">Below the target of {target}{why}</span>;
}
