/** Report packs: the monthly SLT pack and the termly FGB pack, each for a chosen period. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { withDb } from "~/lib/db.server";
import { currentDate, packPeriodOptions } from "~/lib/analytics.server";
import { RouteError } from "~/components/RouteError";
import { requireRole } from "~/lib/auth.server";

export const meta: MetaFunction = () => [{ title: "Report packs — Rollcall" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "view_fgb_pack");
  const options = await withDb((c) => packPeriodOptions(c, currentDate()));
  return options;
}

export default function Packs() {
  const { months, terms, defaultMonth, defaultTerm } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Report packs</h1>
      <p className="lede">The attendance policy's formal reporting: a monthly pack for the senior leadership team and a termly report to the governing board. Each opens on screen and downloads as PDF or Excel.</p>
      {months.length === 0 ? (
        <div className="notice notice--warning">
          <p>No register marks have been imported yet, so there is nothing to report. Import the register, or run <code>npx rollcall demo</code>.</p>
        </div>
      ) : (
        <div className="pack-cards">
          <section className="pack-card" aria-labelledby="slt-heading">
            <h2 id="slt-heading">Monthly SLT pack</h2>
            <p>For the first strategy meeting of each month: the month and the year to date by year group, class and pupil group, patterns, persistent absence movers, pupils on the escalation ladder, N codes and lateness.</p>
            <p>
              <strong className="tag tag--orange">Staff only</strong> Pupils are named.
            </p>
            <Form method="get" action="/packs/slt" className="filters">
              <div className="field">
                <label htmlFor="slt-month">Month</label>
                <select id="slt-month" name="month" defaultValue={defaultMonth ?? undefined}>
                  {months.map((m) => (
                    <option key={m.key} value={m.key}>
                      {m.label}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" className="button">
                Open SLT pack
              </button>
            </Form>
          </section>
          <section className="pack-card" aria-labelledby="fgb-heading">
            <h2 id="fgb-heading">Termly governors' (FGB) pack</h2>
            <p>For the full governing board: attendance against target, last year and national; trends; groups; patterns; then interventions, successes, barriers and next steps with the headteacher's commentary.</p>
            <p>
              <strong className="tag tag--green">Anonymised</strong> No pupil is named; small groups are suppressed.
            </p>
            {terms.length === 0 ? (
              <p className="hint">No term has started yet in the imported calendar.</p>
            ) : (
              <Form method="get" action="/packs/fgb" className="filters">
                <div className="field">
                  <label htmlFor="fgb-term">Term</label>
                  <select id="fgb-term" name="term" defaultValue={defaultTerm ?? undefined}>
                    {terms.map((t) => (
                      <option key={t.key} value={t.key}>
                        {t.label}
                      </option>
                    ))}
                  </select>
                </div>
                <button type="submit" className="button">
                  Open FGB pack
                </button>
              </Form>
            )}
          </section>
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The report packs could not be shown" />;
}
