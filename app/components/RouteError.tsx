/**
 * The message a dashboard page shows when its loader fails: what went wrong, in words,
 * and a way back. Used as each route's ErrorBoundary.
 */
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";

export function RouteError(props: { title: string }): JSX.Element {
  const error = useRouteError();
  const detail = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}${error.data ? `: ${String(error.data)}` : ""}`
    : error instanceof Error
      ? error.message
      : "Unknown error";
  return (
    <div className="notice notice--warning" role="alert">
      <h1>{props.title}</h1>
      <p>{detail}</p>
      <p>
        <a href="/">Return to the overview</a> or choose another period.
      </p>
    </div>
  );
}
