/** One import: what it read and changed, and every mark it amended (codes before and after). */
import { pupilListName } from "../../analytics/pupil-name.ts";
import type { PageNameHandle } from "~/lib/page-name";
import { importCountsWords } from "../../analytics/import/record-words.ts";
import { londonDateTime } from "../../analytics/time.ts";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { importTitle } from "~/lib/import-title";
import { Link, useLoaderData } from "@remix-run/react";
import { importDetail } from "~/lib/import-history.server";
import { importRecordReach, importReachWords } from "~/lib/analytics.server";
import { requireRole } from "~/lib/auth.server";
import { auditListView } from "~/lib/audit.server";
import { withDb } from "~/lib/db.server";
import { formatCount, formatDate } from "~/lib/format";
import { RouteError } from "~/components/RouteError";
import { AmendedMarkCells } from "~/components/MarkCode";
import { roleLabel, rolesWithWords } from "~/lib/permissions";

export const meta: MetaFunction = () => [{ title: "Import — Rollcall" }];

/** The page's name in the phone's menu (app/lib/page-name.ts). */
export const handle: PageNameHandle = { pageName: (params) => `Import ${params.id ?? ""}` };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // The amendments name pupils: staff who may see pupils only.
  await requireRole(request, "view_pupils", { context, doing: "see an import (the marks it changed)", also: `Importing files is for ${rolesWithWords("import")}.` });
  const id = Number(params.id);
  if (!Number.isInteger(id) || id < 1) throw new Response("No such import", { status: 404, statusText: "Not found" });
  const detail = await withDb((c) => importDetail(c, id));
  if (!detail) throw new Response(`There is no import ${id}`, { status: 404, statusText: "Not found" });
  // Which packs' figures its amended marks reach, judged today: said here too, not only on the
  // Import page's confirmation, which is gone once left (trial 49b: opened later from Import
  // history, the record did not say which reports to look at again).
  // New marks too, in a period already ended (trial 54: a week's 30 Nov marks changed November's pack).
  // Judged on the import's own day, as the Import page judged it then: a pack of a period that
  // ended since was made after the import, with its marks (review 54: opened in January, the
  // record named December's and the autumn's packs, which no copy could have missed).
  const reach = detail.record.kind === "marks" && detail.record.rows_inserted + detail.record.rows_amended > 0 ? await withDb(async (c) => { const reached = await importRecordReach(c, id); return reached ? importReachWords(reached) : null; }) : null;
  // Its amended marks name pupils: the view is recorded as every page naming pupils is (issue 9).
  if (detail.amendments.length > 0) {
    await auditListView(request, context, `Import ${id} (${detail.record.file_name}): ${detail.amendments.length} of ${detail.amendmentCount} amended marks named`);
  }
  return { ...detail, reach };
}

export default function ImportDetail() {
  const { record, amendments, amendmentCount, reach } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/imports">← Import history</Link>
      </p>
      <h1>
        Import {record.import_id} — {importTitle(record.kind, record.file_name)}
      </h1>
      <dl className="facts" data-testid="import-facts">
        <dt>When</dt>
        <dd>{londonDateTime(record.imported_at)}</dd>
        <dt>Who</dt>
        <dd>
          {record.imported_by} ({roleLabel(record.imported_by_role)})
        </dd>
        <dt>Read</dt>
        <dd data-testid="import-counts">{importCountsWords(record)}</dd>
      </dl>
      {/* Before the amendments: new marks reach packs too (trial 54), and this says both. */}
      {reach ? <p data-testid="import-amended-reach">{reach}</p> : null}
      <h2>Marks amended</h2>
      {amendmentCount === 0 ? (
        <p>This import amended no stored marks.</p>
      ) : (
        <table className="data" data-testid="import-amendments">
          <caption>
            {amendmentCount > amendments.length ? `First ${formatCount(amendments.length)} of ` : ""}
            {formatCount(amendmentCount)} {amendmentCount === 1 ? "mark" : "marks"} amended
          </caption>
          <thead>
            <tr>
              <th>Date</th>
              <th>Session</th>
              <th>Pupil</th>
              <th>Was</th>
              <th>Now</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {amendments.map((a) => (
              <tr key={`${a.upn}-${a.date}-${a.session}`}>
                <td>{formatDate(a.date, "EEE d MMM yyyy")}</td>
                <td>{a.session}</td>
                <td>
                  <Link to={`/pupils/${encodeURIComponent(a.upn)}`}>
                    {pupilListName(a)}
                  </Link>
                </td>
                <AmendedMarkCells words={a} codes={{ before: a.original_code, after: a.new_code }} />
                <td>{a.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The import could not be shown" />;
}
