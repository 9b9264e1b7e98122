/**
 * /pupils.csv?…: the Pupils list as CSV — the same view, filters and order as the page
 * (app/lib/pupil-list.server.ts, analytics/pupil-list.ts), every pupil of the filtered list,
 * not one page. Downloading it is recorded in the audit trail.
 *
 * A resource route: no component and no ErrorBoundary.
 */
import { plural } from "../../analytics/plural.ts";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { auditOn } from "~/lib/audit.server";
import { requireRole } from "~/lib/auth.server";
import { filterRefusal, pageOfDownload, refusedDownload, throwIfTyped, unreadRefusal } from "~/lib/address-filters.server";
import { withDb } from "~/lib/db.server";
import { pupilListCsv } from "~/lib/pupil-csv";
import { loadPupilList } from "~/lib/pupil-list.server";
import { csvAttachment } from "~/lib/csv-response.server";
import { downloadFileName } from "../../analytics/download-names.ts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, "view_pupils", { context, download: true });
  const url = new URL(request.url);
  const made = await withDb(async (connection) => {
    // A typed spelling of a filter is sent to its stored one; one that is no value of the
    // school is refused, never an empty file (trial22: reg_group=5a sent the header alone).
    await throwIfTyped(connection, request);
    const refusal = await filterRefusal(connection, request, { drill: true, period: true });
    if (refusal) return { refusal };
    const { view, list, flags, applied, unread } = await loadPupilList(connection, request, null);
    const unreadWordsRefusal = unreadRefusal(unread);
    if (unreadWordsRefusal) return { refusal: unreadWordsRefusal };
    // The period, then the filters, search and order the list applied (the file holds every
    // page): never a value of the address it did not use (a sort it does not have named a file
    // in name order "…_sort-attendance_dir-asc.csv").
    const filename = downloadFileName({ base: "pupils", period: view.period, options: applied, ext: "csv" });
    await auditOn(connection, request, context, {
      action: "export",
      target: filename,
      detail: `${list.total} ${plural(list.total, "row")}, the Pupils list (${url.searchParams.toString() || "no filter"})`,
    });
    return { body: pupilListCsv(list.rows, flags.slice, view.settings.attendance_thresholds), filename };
  });
  return made.refusal !== undefined ? refusedDownload(made.refusal, request, pageOfDownload(request, "Back to the Pupils list")) : csvAttachment(made.body, made.filename);
}
