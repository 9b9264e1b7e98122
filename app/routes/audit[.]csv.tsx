/**
 * /audit.csv?…: the Audit page's rows as CSV — the same filter, the same page, the same
 * columns and London times as shown. Downloading it is itself recorded.
 *
 * A resource route: no component and no ErrorBoundary.
 */
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { auditOn } from "~/lib/audit.server";
import { requireRole } from "~/lib/auth.server";
import { auditCsv, auditQueryFromSearch, queryAudit } from "~/lib/analytics.server";
import { withDb } from "~/lib/db.server";
import { addressOptions, csvAttachment } from "~/lib/csv-response.server";
import { downloadFileName } from "../../analytics/download-names.ts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, "view_audit", { download: true });
  const url = new URL(request.url);
  const { filter, page, problems } = auditQueryFromSearch(url.searchParams);
  // A filter it cannot read (a hand-edited link): the Audit page with the same address, which
  // names each problem beside the filter (never a bare 400).
  if (problems.length > 0) return redirect(`/audit?${url.searchParams.toString()}`);
  // The filter and page of the address: the file is the rows the page shows.
  const filename = downloadFileName({ base: "rollcall-audit", options: addressOptions(url, []), ext: "csv" });
  const body = await withDb(async (connection) => {
    const result = await queryAudit(connection, filter, { page });
    const csv = auditCsv(result);
    await auditOn(connection, request, context, { action: "export", target: filename, detail: `${result.rows.length} audit entries (${url.searchParams.toString() || "no filter"})` });
    return csv;
  });
  return csvAttachment(body, filename);
}
