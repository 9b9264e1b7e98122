/**
 * /audit.csv?…: the Audit page's rows as CSV — the same filter, the same page, the same
 * columns and London times as shown. Downloading it is itself recorded.
 *
 * A resource route: no component and no ErrorBoundary.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { auditOn } from "~/lib/audit.server";
import { requireRole } from "~/lib/auth.server";
import { auditCsv, auditQueryFromSearch, auditRoleProblem, queryAudit } from "~/lib/analytics.server";
import { pageOfDownload, refusedDownload } from "~/lib/address-filters.server";
import { capitalise } from "../../analytics/packs/format.ts";
import { withDb } from "~/lib/db.server";
import { csvAttachment } from "~/lib/csv-response.server";
import { downloadFileName } from "../../analytics/download-names.ts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, "view_audit", { context, download: true });
  const url = new URL(request.url);
  const { filter, page, problems } = auditQueryFromSearch(url.searchParams);
  // A filter it cannot read (a hand-edited link: a date, an action or a role it does not have, a
  // range that starts after it ends) is refused, as the Pupils and Casework CSVs refuse a value
  // they cannot read, with a link to the Audit page, which names each problem beside the filter:
  // a file of every entry, or of none (`role=nope` sent the header alone: trial 26), is not made.
  const refusal = (said: string[]) =>
    refusedDownload(`Not downloaded: ${capitalise(said.join("; "))}, so no file is made.`, request, pageOfDownload(request, "the Audit page"));
  if (problems.length > 0) return refusal(problems);
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
    const { roles = [], ...result } = await queryAudit(connection, filter, { page }, { roles: true });
    const roleProblem = auditRoleProblem(filter.role, roles);
    if (roleProblem) return refusal([roleProblem]);
    const csv = auditCsv(result);
    await auditOn(connection, request, context, { action: "export", target: filename, detail: `${result.rows.length} audit entries (${url.searchParams.toString() || "no filter"})` });
    return csv;
  });
  return body instanceof Response ? body : csvAttachment(body, filename);
}
