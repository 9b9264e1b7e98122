/**
 * The message a dashboard page shows when its loader fails: what went wrong, in words,
 * and a way back. Used as each route's ErrorBoundary.
 */
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";

export function RouteError(props: { title: string }): JSX.Element {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 403) {
    // A role refused by the server (app/lib/auth.server.ts): say so, not that something broke.
    return (
      <div className="notice notice--warning" role="alert" data-testid="forbidden">
        <h1>Not allowed</h1>
        <p>{String(error.data)}</p>
        <p>
          <a href="/">Return to the overview</a>, or ask an administrator for a role that may.
        </p>
      </div>
    );
  }
  if (isRouteErrorResponse(error) && error.status === 413) {
    // An upload over the limit (app/lib/upload.server.ts): nothing was changed.
    return (
      <div className="notice notice--warning" role="alert" data-testid="upload-too-large">
        <h1>Upload too large</h1>
        <p>{String(error.data)}</p>
        <p>
          <a href="/import">Return to the import page</a>
        </p>
      </div>
    );
  }
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
