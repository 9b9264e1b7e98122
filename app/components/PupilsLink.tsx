/**
 * A link to pupils (a drill-down to the Pupils page or one pupil's page) for roles that may
 * see pupils; for a governor, the same words without the link. The server refuses those
 * pages to governors regardless; this only spares them links that lead nowhere.
 */
import type { ReactNode } from "react";
import { Link, type LinkProps } from "@remix-run/react";
import { useCan } from "~/lib/use-user";

export function PupilsLink(props: LinkProps) {
  const mayOpen = useCan("view_pupils");
  if (mayOpen) return <Link {...props} />;
  return (
    <span className={props.className} title={props.title}>
      {props.children}
    </span>
  );
}

/** Whether the signed-in role may follow drill-downs to pupils (for chart clicks). */
export function useMayDrill(): boolean {
  return useCan("view_pupils");
}

/** Words that offer a drill-down to pupils: shown only to roles that may follow it. */
export function IfMayDrill(props: { children: ReactNode }): JSX.Element | null {
  return useMayDrill() ? <>{props.children}</> : null;
}
