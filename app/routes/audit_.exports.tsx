/**
 * POST /audit/exports: records a CSV the browser built from figures already on the page
 * (the pupil list's and the charts' "Download CSV"). Those files never pass through the
 * server, so the download button reports them here. It can only add an audit row, and only
 * for a file the signed-in role could have made on that page (checkBrowserExport,
 * app/lib/browser-exports.server.ts); any other report is refused (403) and recorded as a
 * refused request ("refused"), never as an export.
 *
 * A resource route: no component and no ErrorBoundary.
 */
import { plural } from "../../analytics/plural.ts";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { auditRequest } from "~/lib/audit.server";
import { requireUser } from "~/lib/auth.server";
import { checkBrowserExport } from "~/lib/browser-exports.server";

/** A GET only says what this address is for (signed-in users; 401 otherwise). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, { download: true });
  return new Response("Rollcall records CSV files built in the browser here (POST).", { headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") throw new Response("POST only", { status: 405, statusText: "Method not allowed" });
  // Any signed-in user may report a CSV they built; the session's CSRF token is checked here.
  const user = await requireUser(request, { download: true });
  const form = await request.formData();
  const file = String(form.get("file") ?? "").slice(0, 200);
  const rowsText = String(form.get("rows") ?? "").trim();
  const page = String(form.get("page") ?? "").slice(0, 300);
  if (!file) throw new Response("Say which file was exported", { status: 400, statusText: "Bad request" });
  const verdict = checkBrowserExport(user.role, file, rowsText, page);
  if (!verdict.ok) {
    await auditRequest(request, context, {
      action: "refused",
      target: request.url ? new URL(request.url).pathname : "/audit/exports",
      detail: `Report of an export refused, not recorded as one: ${file} from ${page || "no page"} — ${verdict.why}`.slice(0, 500),
    });
    return new Response(`Refused: ${verdict.why}. Only a chart CSV your role can make on that page is recorded.`, {
      status: 403,
      statusText: "Forbidden",
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  await auditRequest(request, context, {
    action: "export",
    target: file,
    detail: `${verdict.rows} ${plural(verdict.rows, "row")}, CSV built in the browser from ${verdict.page}`,
  });
  return new Response(null, { status: 204 });
}
