/** Report packs: the monthly SLT pack and the termly FGB pack, each for a chosen period. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { withDb } from "~/lib/db.server";
import { currentDate, packPeriodOptions } from "~/lib/analytics.server";
import { RouteError } from "~/components/RouteError";
import { requireRole } from "~/lib/auth.server";
import { can } from "~/lib/permissions";

export const meta: MetaFunction = () => [{ title: "Report packs — Rollcall" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, "view_fgb_pack", { context });
  const options = await withDb((c) => packPeriodOptions(c, currentDate()));
  // A governor sees only the governors' pack: the SLT pack names pupils.
  return { ...options, showSlt: can(user.role, "view_slt_pack") };
}

/** Direct links to one period's pack: on screen, PDF and workbook. */
function PackLinks({ kind, param, value, label }: { kind: "slt" | "fgb"; param: "month" | "term"; value: string; label: string }) {
  const query = `?${param}=${encodeURIComponent(value)}`;
  return (
    <p className="hint" data-testid={`${kind}-latest`}>
      Latest, {label}: <Link to={`/packs/${kind}${query}`}>on screen</Link> · <a href={`/packs/${kind}/pdf${query}`}>PDF</a> ·{" "}
      <a href={`/packs/${kind}/xlsx${query}`}>Excel</a>
    </p>
  );
}

export default function Packs() {
  const { months, terms, defaultMonth, defaultTerm, hasMarks, noMonths, noTerms, showSlt } = useLoaderData<typeof loader>();
  const latestMonth = months.find((m) => m.key === defaultMonth);
  const latestTerm = terms.find((t) => t.key === defaultTerm);
  return (
    <>
      <h1>Report packs</h1>
      <p className="lede">The attendance policy's formal reporting: a monthly pack for the senior leadership team and a termly report to the governing board. Each opens on screen and downloads as PDF or Excel.</p>
      {!hasMarks ? (
        <div className="notice notice--warning">
          <p>No register marks have been imported yet, so there is nothing to report. Import the register, or run <code>npx rollcall demo</code>.</p>
        </div>
      ) : (
        <div className="pack-cards">
          {showSlt ? (
          <section className="pack-card" aria-labelledby="slt-heading">
            <h2 id="slt-heading">Monthly SLT pack</h2>
            <p>For the first strategy meeting of each month: the month and the year to date by year group, class and pupil group, patterns, persistent absence movers, pupils on the escalation ladder, N codes and lateness.</p>
            <p>
              <strong className="tag tag--orange">Staff only</strong> Pupils are named.
            </p>
            {noMonths !== null ? (
              <p className="hint">{noMonths}</p>
            ) : (
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
            )}
            {latestMonth ? <PackLinks kind="slt" param="month" value={latestMonth.key} label={latestMonth.label} /> : null}
          </section>
          ) : null}
          <section className="pack-card" aria-labelledby="fgb-heading">
            <h2 id="fgb-heading">Termly governors' (FGB) pack</h2>
            <p>For the full governing board: attendance against target, last year and national; trends; groups; patterns; then interventions, successes, barriers and next steps with the headteacher's commentary.</p>
            <p>
              <strong className="tag tag--green">Anonymised</strong> No pupil is named; small groups' figures are withheld.
            </p>
            {noTerms !== null ? (
              <p className="hint">{noTerms}</p>
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
            {latestTerm ? <PackLinks kind="fgb" param="term" value={latestTerm.key} label={latestTerm.label} /> : null}
          </section>
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The report packs could not be shown" />;
}
