import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { withDb } from "~/lib/db.server";
import { formatDate, formatPct, formatPoints } from "~/lib/format";
import { currentDate, getSettings, resolvePeriod, summarise } from "~/lib/analytics.server";

export const meta: MetaFunction = () => [{ title: "Overview — Rollcall" }];

export async function loader(_args: LoaderFunctionArgs) {
  return withDb(async (c) => {
    const settings = await getSettings(c);
    const period = await resolvePeriod(c, { name: "ytd", today: currentDate() });
    const measures = await summarise(c, { from: period.from, to: period.to });
    return { settings, period, measures };
  });
}

export default function Overview() {
  const { settings, period, measures } = useLoaderData<typeof loader>();
  const gap = measures.attendance_pct === null ? null : measures.attendance_pct - settings.target_attendance_pct;
  return (
    <>
      <h1>Attendance overview</h1>
      <p className="lede">
        {period.label}: {formatDate(period.from)} to {formatDate(period.to)}
      </p>
      {measures.possible_sessions === 0 ? (
        <div className="notice notice--warning">
          <p>No register marks have been imported for this period yet. Import the register, or run <code>npx rollcall demo</code>.</p>
        </div>
      ) : (
        <div className="tiles">
          <section className="tile" aria-labelledby="attendance-label">
            <p className="tile__label" id="attendance-label">Attendance</p>
            <p className="tile__value" data-testid="attendance-pct">{formatPct(measures.attendance_pct)}</p>
            <p className="tile__detail">
              Target {formatPct(settings.target_attendance_pct)}:{" "}
              <span className={gap !== null && gap >= 0 ? "better" : "worse"}>
                {formatPoints(gap)} {gap !== null && gap >= 0 ? "above target" : "below target"}
              </span>
            </p>
            <p className="tile__detail">
              {measures.present_sessions + measures.aea_sessions} of {measures.possible_sessions} possible sessions
            </p>
          </section>
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  return (
    <div className="notice notice--warning">
      <h1>The overview could not be shown</h1>
      <p>{isRouteErrorResponse(error) ? error.statusText : error instanceof Error ? error.message : "Unknown error"}</p>
    </div>
  );
}
