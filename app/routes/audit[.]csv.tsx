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
import { csvAttachment } from "~/lib/csv-response.server";
import { downloadFileName } from "../../analytics/download-names.ts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, "view_audit", { context, download: true });
  const url = new URL(request.url);
  const { filter, page, problems } = auditQueryFromSearch(url.searchParams);
  // A filter it cannot read (a hand-edited link): the Audit page with the same address, which
  // names each problem beside the filter (never a bare 400).
  if (problems.length > 0) return redirect(`/audit?${url.searchParams.toString()}`);
  // The filter and page as read: the file is the rows the page shows (a parameter the page
  // does not read, or "cli_command" read as the command line, does not name it as typed).
  const options: Array<[string, string | null | undefined]> = [
    ["from", filter.from],
    ["to", filter.to],
    ["actor", filter.actor],
    ["role", filter.role],
    ["action", filter.action],
    ["from_where", filter.origin],
    ["page", page > 1 ? String(page) : null],
  ];
  const filename = downloadFileName({ base: "rollcall-audit", options, ext: "csv" });
  const body = await withDb(async (connection) => {
    const result = await queryAudit(connection, filter, { page });
    const csv = auditCsv(result);
    await auditOn(connection, request, context, { action: "export", target: filename, detail: `${result.rows.length} audit entries (${url.searchParams.toString() || "no filter"})` });
    return csv;
  });
  return csvAttachment(body, filename);
}
