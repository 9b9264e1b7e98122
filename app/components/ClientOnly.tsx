/**
 * Renders its children only in the browser, after hydration. Recharts' ResponsiveContainer
 * measures the page, which the server cannot do; rendering charts on the client alone avoids
 * both zero-size server charts and hydration mismatches. The fallback keeps the layout still.
 */
import { useEffect, useState, type ReactNode } from "react";

export function ClientOnly(props: { children: () => ReactNode; fallback?: ReactNode }): JSX.Element {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return <>{mounted ? props.children() : (props.fallback ?? null)}</>;
}

/** A chart area of fixed height whose chart fills the available width once mounted. */
export function ChartArea(props: { height: number; children: () => ReactNode; label?: string }): JSX.Element {
  return (
    // The figures' table is the accessible alternative; the drawing is described (a label), or
    // else hidden from screen readers, which had read its axes' ticks as loose words ("0% 1% 2%
    // School: 4.0% withheld withheld…": trial 54). Every chart sits in a ChartFigure, whose
    // caption names it and whose table gives its figures; its drill-downs are links beside it.
    <div className="chart__area" style={{ height: props.height }} role={props.label ? "img" : undefined} aria-label={props.label} aria-hidden={props.label ? undefined : true}>
      <ClientOnly fallback={<p className="hint chart__loading">Drawing the chart…</p>}>{props.children}</ClientOnly>
    </div>
  );
}
