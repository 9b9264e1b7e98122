/**
 * /casework.csv?…: the Casework lists as CSV — the same as-of date, rule and filters as the
 * page (app/lib/casework.server.ts, analytics/casework/lists.ts), every pupil of each list,
 * not one page, with their ladder standing. Downloading it is recorded in the audit trail.
 *
 * A resource route: no component and no ErrorBoundary.
 */
import { plural } from "../../analytics/plural.ts";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { auditOn } from "~/lib/audit.server";
import { requireRole } from "~/lib/auth.server";
import { caseworkCsv } from "~/lib/casework-csv";
import { loadCaseworkLists, readCaseworkRequest } from "~/lib/casework.server";
import { caseworkCsvRefusal } from "~/lib/casework.server";
import { pageOfDownload, refusedDownload, throwIfTyped } from "~/lib/address-filters.server";
import { withDb } from "~/lib/db.server";
import { registerStarts } from "~/lib/analytics.server";
import { csvAttachment } from "~/lib/csv-response.server";
import { downloadFileName } from "../../analytics/download-names.ts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, "view_pupils", { context, download: true });
  const url = new URL(request.url);
  const starts = await withDb((connection) => registerStarts(connection));
  const read = readCaseworkRequest(request, starts);
  // The as-of date, then the rule, filters and order the lists applied (the file holds every
  // page): never a value of the address they did not use.
  const filename = downloadFileName({ base: "casework", period: read.asOf, options: read.applied, ext: "csv" });
  const made = await withDb(async (connection) => {
    // The address's filters read as the page reads them (a typed spelling is sent to its
    // stored one); one that is no value of the school is refused, never an empty file.
    await throwIfTyped(connection, request);
    const refusal = await caseworkCsvRefusal(connection, request, read);
    if (refusal) return { refusal };
    const { lists, registerNotice } = await loadCaseworkLists(connection, read, null);
    const out = caseworkCsv(lists, registerNotice);
    await auditOn(connection, request, context, {
      action: "export",
      target: filename,
      detail: `${out.rows} ${plural(out.rows, "row")}, the Casework lists (${url.searchParams.toString() || "no filter"})`,
    });
    return { csv: out.csv };
  });
  return made.refusal !== undefined ? refusedDownload(made.refusal, request, pageOfDownload(request, "Back to Casework")) : csvAttachment(made.csv, filename);
}
