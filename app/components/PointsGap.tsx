/**
 * A difference in percentage points said in words as well as colour ("+2.5 pts higher"),
 * since colour is never the only signal. Whether higher is good depends on the measure:
 * higher attendance is better, higher absence is worse.
 */
import { formatPoints } from "~/lib/format";

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
