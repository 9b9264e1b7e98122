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
    // The figures' table is the accessible alternative; the drawing is described, not read out.
    <div className="chart__area" style={{ height: props.height }} role={props.label ? "img" : undefined} aria-label={props.label}>
      <ClientOnly fallback={<p className="hint chart__loading">Drawing the chart…</p>}>{props.children}</ClientOnly>
    </div>
  );
}
