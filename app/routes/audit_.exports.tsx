/**
 * POST /audit/exports: records a CSV the browser built from figures already on the page
 * (the pupil list's and the charts' "Download CSV"). Those files never pass through the
 * server, so the download button reports them here. It can only add an audit row.
 *
 * A resource route: no component and no ErrorBoundary.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { auditRequest } from "~/lib/audit.server";

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") throw new Response("POST only", { status: 405, statusText: "Method not allowed" });
  const form = await request.formData();
  const file = String(form.get("file") ?? "").slice(0, 200);
  const rows = Number(form.get("rows"));
  const page = String(form.get("page") ?? "").slice(0, 300);
  if (!file) throw new Response("Say which file was exported", { status: 400, statusText: "Bad request" });
  await auditRequest(request, context, {
    action: "export",
    target: file,
    detail: `${Number.isFinite(rows) ? rows : "?"} rows, CSV built in the browser from ${page || "a page"}`,
  });
  return new Response(null, { status: 204 });
}
