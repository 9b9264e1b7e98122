/**
 * Interventions: did they work? Every intervention recorded in the period with the pupil's
 * attendance in the 4 school weeks before and the 4 after, and per type across the school
 * how many, the mean change and the share improved — withheld below the school's
 * small-group minimum, too few to judge. Staff only: pupils are named.
 */
import { requireRole } from "~/lib/auth.server";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PeriodPicker } from "~/components/PeriodPicker";
import { RouteError } from "~/components/RouteError";
import { effectByType, interventionEffects } from "~/lib/analytics.server";
import { withDb } from "~/lib/db.server";
import { formatCount, formatDate, formatPct, formatPoints } from "~/lib/format";
import { filterOptions, resolveView } from "~/lib/view.server";

export const meta: MetaFunction = () => [{ title: "Interventions — Rollcall" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "view_pupils");
  return withDb(async (connection) => {
    const view = await resolveView(connection, request);
    const options = await filterOptions(connection);
    const { period } = view;
    const to = period.to < view.today ? period.to : view.today;
    const effects = await interventionEffects(connection, { from: period.from, to, asOf: view.today });
    const min = view.settings.small_group_min;
    return {
      filters: view.filters,
      period: { label: period.label, from: period.from, to: period.to },
      notice: view.notice,
      options,
      today: view.today,
      min,
      byType: effectByType(effects, min),
      effects: effects.map((e) => ({
        id: e.id,
        upn: e.upn,
        name: `${e.surname}, ${e.forename}`,
        reg_group: e.reg_group,
        label: e.label,
        date: e.date,
        recorded_by: e.recorded_by,
        before_pct: e.before_pct,
        after_pct: e.after_pct,
        change_points: e.change_points,
        pending: e.pending,
      })),
    };
  });
}

export default function InterventionsPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Interventions</h1>
      <p className="lede">
        What the school did about pupils' attendance, and whether it worked: attendance in the 4 school weeks before each intervention
        against the 4 school weeks after it.
      </p>
      <PeriodPicker filters={data.filters} options={data.options} />
      {data.notice ? <p className="notice notice--warning">{data.notice}</p> : null}

      <h2>By type, {data.period.label.toLowerCase()}</h2>
      {data.byType.length === 0 ? (
        <p data-testid="no-intervention-types">No intervention was recorded in this period.</p>
      ) : (
        <table className="data" data-testid="effect-by-type">
          <caption className="visually-hidden">Each type of intervention: how many, and the change in attendance after it</caption>
          <thead>
            <tr>
              <th scope="col">Intervention</th>
              <th scope="col" className="num">Recorded</th>
              <th scope="col" className="num">Measured (4 weeks passed)</th>
              <th scope="col" className="num">Mean change</th>
              <th scope="col" className="num">Improved</th>
            </tr>
          </thead>
          <tbody>
            {data.byType.map((row) => (
              <tr key={row.type}>
                <th scope="row">{row.label}</th>
                <td className="num">{formatCount(row.recorded)}</td>
                <td className="num">{formatCount(row.measured)}</td>
                {row.too_few ? (
                  <td className="num" colSpan={2}>
                    <span className="hint">Too few to judge (fewer than {data.min} measured)</span>
                  </td>
                ) : (
                  <>
                    <td className="num">{formatPoints(row.mean_change_points)}</td>
                    <td className="num">
                      {formatPct(row.improved_pct, 0)} ({formatCount(row.improved)} of {formatCount(row.measured)})
                    </td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="hint">
        Before: the 4 school weeks before the week of the intervention. After: the 4 school weeks after that week (holiday weeks are not
        school weeks). The intervention's own week is in neither. Change is after minus before, in percentage points; a pupil improved when
        it is above zero. Means and shares are withheld for types with fewer than {data.min} measured interventions (the school's
        small-group minimum, in Settings).
      </p>

      <h2>Each intervention</h2>
      {data.effects.length === 0 ? (
        <p>No intervention was recorded in this period.</p>
      ) : (
        <table className="data" data-testid="intervention-effects">
          <caption className="visually-hidden">Each intervention, newest first, with attendance before and after</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Pupil</th>
              <th scope="col">Class</th>
              <th scope="col">Intervention</th>
              <th scope="col">Recorded by</th>
              <th scope="col" className="num">4 weeks before</th>
              <th scope="col" className="num">4 weeks after</th>
              <th scope="col" className="num">Change</th>
            </tr>
          </thead>
          <tbody>
            {data.effects.map((e) => (
              <tr key={e.id}>
                <td>{formatDate(e.date)}</td>
                <td>
                  <Link to={`/pupils/${encodeURIComponent(e.upn)}`}>{e.name}</Link>
                </td>
                <td>{e.reg_group}</td>
                <td>{e.label}</td>
                <td>{e.recorded_by}</td>
                <td className="num">{formatPct(e.before_pct)}</td>
                <td className="num">{e.after_pct === null && e.pending ? <span className="hint">{e.pending}</span> : formatPct(e.after_pct)}</td>
                <td className="num">{formatPoints(e.change_points)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Interventions could not be shown" />;
}
