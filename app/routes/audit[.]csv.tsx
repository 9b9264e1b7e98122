/**
 * /audit.csv?…: the Audit page's rows as CSV — the same filter, the same page, the same
 * columns and London times as shown; with `all=1`, every row the filter matches (the whole
 * trail, read in bounded batches and sent as it is read: analytics/audit.ts
 * auditTrailCsvStream), not one page of 50.
 * Downloading it is itself recorded.
 *
 * A resource route: no component and no ErrorBoundary.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { auditOn } from "~/lib/audit.server";
import { requireRole } from "~/lib/auth.server";
import { auditCsv, auditQueryFromSearch, auditRoleProblem, auditTrailCsvStream, queryAudit } from "~/lib/analytics.server";
import { pageOfDownload, refusedDownload } from "~/lib/address-filters.server";
import { capitalise } from "../../analytics/packs/format.ts";
import { withDb } from "~/lib/db.server";
import { csvAttachment, csvStreamAttachment } from "~/lib/csv-response.server";
import { downloadFileName } from "../../analytics/download-names.ts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, "view_audit", { context, download: true });
  const url = new URL(request.url);
  const { filter, page, problems } = auditQueryFromSearch(url.searchParams);
  // `all=1`: every matching row, not one page (a page's 50 had been the only download).
  const rawAll = url.searchParams.get("all")?.trim() ?? "";
  const whole = rawAll === "1";
  if (rawAll && !whole) problems.push(`all "${rawAll.slice(0, 20)}" is not understood (all=1 downloads every matching entry)`);
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
    whole ? ["all", "entries"] : ["page", page > 1 ? String(page) : null],
  ];
  const filename = downloadFileName({ base: "rollcall-audit", options, ext: "csv" });
  const body = await withDb(async (connection) => {
    const { roles = [], ...result } = await queryAudit(connection, filter, { page }, { roles: true });
    const roleProblem = auditRoleProblem(filter.role, roles);
    if (roleProblem) return refusal([roleProblem]);
    // The whole trail is sent as it is read, a batch at a time (each later batch on a
    // connection of its own, after this one is closed): its count is known from the first.
    const made = whole ? await auditTrailCsvStream(connection, filter, undefined, (work) => withDb(work)) : { chunks: null, csv: auditCsv(result), rows: result.rows.length };
    const what = whole ? "audit entries, every one matching" : "audit entries";
    await auditOn(connection, request, context, { action: "export", target: filename, detail: `${made.rows} ${what} (${url.searchParams.toString() || "no filter"})` });
    return made;
  });
  if (body instanceof Response) return body;
  return "csv" in body ? csvAttachment(body.csv, filename) : csvStreamAttachment(body.chunks, filename);
}
