/**
 * Trust: every school of the trust side by side for an academic year to date, from the
 * register lake the schools export to (ROLLCALL_TRUST_LAKE, `rollcall export parquet`), and
 * one school opened by year group or characteristic. Figures are unsuppressed staff figures
 * (no governor role reaches this page): staff only, checked on the server.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/lib/auth.server";
import { RouteError } from "~/components/RouteError";
import { loadTrust } from "~/lib/trust.server";
import { describeFilterValue, FILTER_LABELS } from "~/lib/filters";
import { formatCount, formatDate, formatPct } from "~/lib/format";
import { TargetGap } from "~/components/PointsGap";

export const meta: MetaFunction = () => [{ title: "Trust — Rollcall" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  // The page names no pupil, but its figures are the staff's, small groups included: the refusal
  // says that, not "pupils' names" (issue 13, case 9), and what a governor sees instead.
  const user = await requireRole(request, "view_pupils", { context,
    doing: "see the Trust page: it names no pupil, but it gives every school's figures unsuppressed, small groups of pupils included",
    also: "Governors see this school's figures on the other pages, with any group or count of fewer pupils than the school's minimum withheld.",
  });
  return loadTrust(new URL(request.url).searchParams, user.role);
}

const SCHOOL_COLUMNS = ["Pupils", "Attendance", "Against target", "Persistent absence", "Severe absence", "Absence, aged 5–15", "PA, aged 5–15"];
const BREAKDOWN_COLUMNS = ["Pupils", "Attendance", "Persistent absence", "Severe absence"];
/** The opened school's breakdown: where choosing a school or a breakdown lands (a phone had stayed at the top). */
const BREAKDOWN_ANCHOR = "school-breakdown";

/** The figure columns' headings, right-aligned like their numbers. */
function NumberHeadings({ labels }: { labels: string[] }) {
  return (
    <>
      {labels.map((label) => (
        <th key={label} scope="col" className="num">
          {label}
        </th>
      ))}
    </>
  );
}

export default function Trust() {
  const data = useLoaderData<typeof loader>();
  if (!data.configured) {
    return (
      <>
        <h1>Trust</h1>
        <p className="lede" data-testid="trust-not-configured">
          No trust register is set up. Each school writes its register with{" "}
          <code>rollcall export parquet --out DIR</code> into one
          folder, and Rollcall is started with{" "}
          <code>ROLLCALL_TRUST_LAKE=DIR</code>.
        </p>
      </>
    );
  }
  const { schools, national, period, opened } = data;
  const year = `${period.academicYear} to ${formatDate(period.to)}`;
  const endingEarly = Object.keys(data.endsEarly).length;
  return (
    <>
      <h1>Trust</h1>
      <p className="lede" data-testid="trust-scope">
        {formatCount(schools.length)} {schools.length === 1 ? "school" : "schools"}, academic year{" "}
        {period.academicYear} to {formatDate(period.to)}, each from its own
        register (the same measures as its dashboard).
      </p>
      {/* The same form as every page's filters: a labelled field, then the app's button (trial 50: a bare, unstyled "Show"). */}
      <Form method="get" className="filters" aria-label="Choose the academic year">
        <div className="field">
          <label htmlFor="trust-year">Academic year</label>
          <select id="trust-year" name="year" defaultValue={period.academicYear}>
            {data.years.map((year) => (
              <option key={year} value={year}>
                {year}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--secondary">
          Show
        </button>
      </Form>
      {schools.length === 0 ? (
        <p className="notice" role="status" data-testid="trust-empty">
          {data.lake ? (
            <>
              The trust's register folder ({data.lake}) holds no school's register.
              Each school writes its own there with{" "}
              <code>rollcall export parquet --out {data.lake}</code>.
            </>
          ) : (
            // Where the folder is on the server is the administrator's (app/lib/trust.server.ts mayRunCli).
            <>
              The trust's register folder holds no school's register yet. Each school writes its
              own there with <code>rollcall export parquet</code>: ask an administrator.
            </>
          )}
        </p>
      ) : null}
      {endingEarly > 0 ? (
        <p className="notice notice--warning" role="status" data-testid="trust-ends-early">
          {endingEarly === 1 ? "One school's register ends" : `${formatCount(endingEarly)} schools' registers end`} before the
          others' (named in the table): {endingEarly === 1 ? "its figures cover" : "their figures cover"} less of the year, so compare with care, or
          ask {endingEarly === 1 ? "that school" : "those schools"} to export again (<code>rollcall export parquet</code>).
        </p>
      ) : null}
      {data.notice ? (
        <p className="notice notice--warning" role="status" data-testid="address-notice">
          {data.notice}
        </p>
      ) : null}
      {data.unknownSchool ? (
        <p className="notice" role="status" data-testid="trust-unknown-school">
          No school with URN {data.unknownSchool} is in the trust's register.
        </p>
      ) : null}
      <section className="panel" aria-labelledby="trust-schools-heading">
        <h2 id="trust-schools-heading">Schools side by side</h2>
        <div className="table-scroll">
          <table className="data" data-testid="trust-schools">
            <thead>
              <tr>
                <th scope="col">School (URN)</th>
                <NumberHeadings labels={SCHOOL_COLUMNS} />
              </tr>
            </thead>
            <tbody>
              {schools.map((school) => (
                <tr key={school.urn} data-urn={school.urn}>
                  <th scope="row">
                    {/* To the school's breakdown (#school-breakdown), below the whole table: a phone had
                        reloaded the page at its top, the breakdown a screen or more down (trial 53). */}
                    <Link
                      to={`?year=${encodeURIComponent(
                        period.academicYear
                      )}&school=${school.urn}#${BREAKDOWN_ANCHOR}`}
                    >
                      {school.name}
                    </Link>{" "}
                    <span className="hint">({school.urn})</span>
                    {data.endsEarly[school.urn] ? (
                      <span className="hint" style={{ display: "block" }} data-testid="trust-register-ends">
                        Register to {formatDate(data.endsEarly[school.urn])} only: its figures stop before the other schools'
                      </span>
                    ) : null}
                  </th>
                  <td className="num">{formatCount(school.pupils)}</td>
                  {school.possible_sessions === 0 ? (
                    <td
                      colSpan={7}
                      className="hint"
                      data-testid="trust-no-marks"
                    >
                      No marks in {year}
                    </td>
                  ) : (
                    <>
                      <td
                        className="num"
                        data-value={school.attendance_pct ?? ""}
                      >
                        {formatPct(school.attendance_pct)}
                      </td>
                      <td
                        className="num"
                        data-value={school.target_gap_points ?? ""}
                      >
                        <TargetGap value={school.attendance_pct} target={school.target_pct} namesTarget />
                      </td>
                      <td className="num" data-value={school.pa_pct ?? ""}>
                        {formatPct(school.pa_pct)}{" "}
                        <span className="hint">
                          ({formatCount(school.pa_pupils)})
                        </span>
                      </td>
                      <td className="num" data-value={school.sa_pct ?? ""}>
                        {formatPct(school.sa_pct)}{" "}
                        <span className="hint">
                          ({formatCount(school.sa_pupils)})
                        </span>
                      </td>
                      <td className="num">
                        {formatPct(school.dfe_absence_pct)}
                      </td>
                      <td className="num">{formatPct(school.dfe_pa_pct)}</td>
                    </>
                  )}
                </tr>
              ))}
              <tr data-testid="trust-national">
                {/* The published figure's own period in its label ("National (primary, 2025/26 year to date to 10 Jul 2026)"): shown beside, never
                    judged, and said to be for reference only where it is another period's (trust-national.ts, the Benchmarks page's rule). */}
                <th scope="row">{national.absence?.label ?? "National (primary)"}</th>
                <td colSpan={5} className="hint" data-testid="trust-national-note">
                  {national.note ?? (
                    <>
                      {national.caveat ? <><strong data-testid="trust-national-caveat">{national.caveat}</strong>{" "}</> : null}
                      Published figures cover pupils aged 5–15 on 31 August, so they sit beside the last two columns.
                    </>
                  )}
                </td>
                <td className="num">{formatPct(national.absence?.value)}</td>
                <td className="num">{formatPct(national.pa?.value)}</td>
              </tr>
            </tbody>
          </table>
        </div>
        <p className="hint">
          Against target: how far attendance is above or below the school's own target, in points
          {period.academicYear === data.years[0]
            ? "."
            : // The lake holds each school's settings as they were at its last export, not as they
              // were during an earlier year (trial 29b: a target set this year judged 2025/26).
              `, the target each school has now (as at its last export): a school's target during ${period.academicYear} is not in the trust's register.`}{" "}
          Persistent absence: 10% or more of a pupil's own possible sessions
          missed; severe: 50% or more (whole roll, Reception included where a
          school has it).
          {national.absence ? ` National: ${national.absence.citation}` : ""}
        </p>
      </section>
      {opened ? (
        <section
          className="panel"
          id={BREAKDOWN_ANCHOR}
          aria-labelledby="trust-opened-heading"
          data-testid="trust-opened"
        >
          <h2 id="trust-opened-heading">
            {opened.name} by{" "}
            {opened.by === "year_group"
              ? "year group"
              : FILTER_LABELS[opened.by]}
          </h2>
          <p>
            {data.breakdowns.map((by) => (
              <span key={by}>
                {by === opened.by ? (
                  <strong>{FILTER_LABELS[by]}</strong>
                ) : (
                  <Link
                    to={`?year=${encodeURIComponent(
                      period.academicYear
                    )}&school=${opened.urn}&by=${by}#${BREAKDOWN_ANCHOR}`}
                  >
                    {FILTER_LABELS[by]}
                  </Link>
                )}{" "}
              </span>
            ))}
          </p>
          {opened.rows.length === 0 ? (
            <p data-testid="trust-opened-empty">
              {opened.name} has no marks in {period.academicYear} to{" "}
              {formatDate(period.to)} in the trust's register.
            </p>
          ) : null}
          <table
            className="data"
            data-testid="trust-breakdown"
            hidden={opened.rows.length === 0}
          >
            <thead>
              <tr>
                <th scope="col">{FILTER_LABELS[opened.by]}</th>
                <NumberHeadings labels={BREAKDOWN_COLUMNS} />
              </tr>
            </thead>
            <tbody>
              {opened.rows.map((row) => (
                <tr key={row.group} data-group={row.group}>
                  <th scope="row">
                    {describeFilterValue(opened.by, row.group)}
                  </th>
                  <td className="num">{formatCount(row.pupils)}</td>
                  <td className="num" data-value={row.attendance_pct ?? ""}>
                    {formatPct(row.attendance_pct)}
                  </td>
                  <td className="num">
                    {formatPct(row.pa_pct)}{" "}
                    <span className="hint">({formatCount(row.pa_pupils)})</span>
                  </td>
                  <td className="num">
                    {formatPct(row.sa_pct)}{" "}
                    <span className="hint">({formatCount(row.sa_pupils)})</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : (
        <p className="hint">
          Choose a school to see it by year group and by pupil group.
        </p>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The trust's schools could not be shown" />;
}
