/**
 * Audit: who signed in, viewed a pupil, exported, imported, amended or changed settings —
 * when (London time) and from where. Filtered by date, person, role and action, a page at a
 * time, newest first; the CSV is exactly the page shown. For the head and admins (issue 9).
 */
import { repeatedWords } from "~/lib/filters";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { AUDIT_ACTIONS, AUDIT_ACTION_LABELS, AUDIT_COLUMNS, AUDIT_ORIGINS, AUDIT_ORIGIN_LABELS } from "../../analytics/audit-actions.ts";
import { pageSpan } from "../../analytics/list-paging.ts";
import { RouteError } from "~/components/RouteError";
import { auditQueryFromSearch, auditRoleProblem, keptAuditPage, queryAudit, type AuditFilter } from "~/lib/analytics.server";
import { auditVersionNow, noteReadVersion } from "~/lib/page-version.server";
import { requireRole } from "~/lib/auth.server";
import { withDb, withDbFile } from "~/lib/db.server";
import { formatCount } from "~/lib/format";
import { roleLabel } from "~/lib/permissions";

export const meta: MetaFunction = () => [{ title: "Audit — Rollcall" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, "view_audit", { context });
  const url = new URL(request.url);
  const { filter: asked, page, problems } = auditQueryFromSearch(url.searchParams);
  // The whole trail's first pages from its newest rows kept in memory, without a connection
  // (keptAuditPage); else from queryAudit (the newest rows read and kept, or the page's rows and
  // the roles in one statement: its `roles`). Each notes the count of rows written as it read
  // them (read in the same step as the kept rows; before queryAudit, which shows every row
  // recorded by then): a page made for a
  // role is kept at it, not at the count when its making began (noteReadVersion).
  const read = async (filter: AuditFilter) => {
    const kept = await withDbFile(async (file) => {
      const version = auditVersionNow();
      const answer = keptAuditPage(file, filter, { page }, { roles: true });
      if (answer) noteReadVersion(request, version);
      return answer;
    });
    if (kept) return kept;
    const version = auditVersionNow();
    const answer = await withDb((connection) => queryAudit(connection, filter, { page }, { roles: true }));
    noteReadVersion(request, version);
    return answer;
  };
  let filter = asked;
  let { roles = [], ...result } = await read(filter);
  // A role neither of the five nor in the trail: said with the other problems, and every role shown.
  const roleProblem = auditRoleProblem(filter.role, roles);
  if (roleProblem) {
    problems.push(roleProblem);
    filter = { ...filter, role: null };
    ({ roles = [], ...result } = await read(filter));
  }
  return {
    filter: { from: filter.from ?? "", to: filter.to ?? "", actor: filter.actor ?? "", role: filter.role ?? "", action: filter.action ?? "", from_where: filter.origin ?? "" },
    problems,
    // A filter given twice in the address: said (only the first is read; app/lib/filters.ts).
    repeated: repeatedWords(url.searchParams, ["from", "to", "actor", "role", "action", "from_where", "page"]),
    roles,
    ...result,
  };
}

export function ErrorBoundary() {
  return <RouteError title="The audit trail could not be shown" />;
}

export default function AuditPage() {
  const data = useLoaderData<typeof loader>();
  const search = (page: number) => {
    const params = new URLSearchParams(Object.entries(data.filter).filter(([, v]) => v !== ""));
    if (page > 1) params.set("page", String(page));
    return params.toString();
  };
  const { first, last } = pageSpan(data);
  return (
    <>
      <h1>Audit</h1>
      <p className="lede">
        Every sign-in, view of a pupil's page, export, pack download, import, amendment and change of settings or roles, newest first.
        Times are London time. Rows are never changed or removed.
      </p>
      <Form method="get" className="filters" data-testid="audit-filters">
        <div className="field">
          <label htmlFor="from">From</label>
          <input id="from" name="from" type="date" defaultValue={data.filter.from} />
        </div>
        <div className="field">
          <label htmlFor="to">To</label>
          <input id="to" name="to" type="date" defaultValue={data.filter.to} />
        </div>
        <div className="field">
          <label htmlFor="actor">Who acted (e-mail or name)</label>
          <input id="actor" name="actor" type="search" defaultValue={data.filter.actor} />
        </div>
        <div className="field">
          <label htmlFor="role">Role</label>
          <select id="role" name="role" defaultValue={data.filter.role}>
            <option value="">Any role</option>
            {data.roles.map((role) => (
              <option key={role} value={role}>
                {roleLabel(role)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="action">Action</label>
          <select id="action" name="action" defaultValue={data.filter.action}>
            <option value="">Any action</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {AUDIT_ACTION_LABELS[action]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="from_where">Done from</label>
          <select id="from_where" name="from_where" defaultValue={data.filter.from_where}>
            <option value="">Anywhere</option>
            {AUDIT_ORIGINS.map((origin) => (
              <option key={origin} value={origin}>
                {AUDIT_ORIGIN_LABELS[origin]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <button type="submit" className="button">
            Show
          </button>
        </div>
      </Form>
      {data.repeated ? (
        <p className="notice notice--warning" role="status" data-testid="address-notice">
          {data.repeated}
        </p>
      ) : null}
      {data.problems.length > 0 ? (
        <div className="notice notice--warning" role="alert">
          <p>Ignored: {data.problems.join("; ")}.</p>
        </div>
      ) : null}
      <p data-testid="audit-count">
        {data.total === 0 ? (
          "No entries match."
        ) : (
          <>
            Entries <strong>{formatCount(first)}</strong>–<strong>{formatCount(last)}</strong> of {formatCount(data.total)}.{" "}
            <a href={`/audit.csv?${search(data.page)}`} download data-testid="audit-csv">
              Download these {formatCount(data.rows.length)} as CSV
            </a>
            {data.total > data.rows.length ? (
              <>
                {" "}
                <a href={`/audit.csv?${search(1)}${search(1) ? "&" : ""}all=1`} download data-testid="audit-csv-all">
                  Download all {formatCount(data.total)} as CSV
                </a>
              </>
            ) : null}
          </>
        )}
      </p>
      {data.rows.length > 0 ? (
        <div className="pupil-table__scroll">
          <table className="data" data-testid="audit-table">
            <caption className="visually-hidden">Audit trail entries</caption>
            <thead>
              <tr>
                {AUDIT_COLUMNS.map((column) => (
                  <th key={column.key} scope="col">
                    {column.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row) => (
                <tr key={row.id}>
                  <td>
                    <time dateTime={row.at}>{row.at_london}</time>
                  </td>
                  <td>{row.actor}</td>
                  <td>{row.actor_name ?? ""}</td>
                  <td>{roleLabel(row.role)}</td>
                  <td>{AUDIT_ACTION_LABELS[row.action] ?? row.action}</td>
                  <td>{row.target ?? ""}</td>
                  <td>{row.detail ?? ""}</td>
                  <td>{row.ip ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data.pages > 1 ? (
        <nav className="pager" aria-label="Audit pages" data-testid="audit-pager">
          {data.page > 1 ? <Link to={`?${search(data.page - 1)}`}>← Newer</Link> : null} Page {data.page} of {data.pages}{" "}
          {data.page < data.pages ? <Link to={`?${search(data.page + 1)}`}>Older →</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
