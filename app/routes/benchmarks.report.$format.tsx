/**
 * The head's benchmark report as a download: /benchmarks/report/pdf?year=2025/26[&area=…][&groups=…]
 * (also xlsx and csv). The same report model as the page and the CLI.
 *
 * A resource route: Remix treats a route with an ErrorBoundary (or a component) as a page,
 * so this one deliberately exports neither; its errors are plain-text responses with a
 * status (404 for an unknown format). A year, area or groups period it cannot use (a hand-edited
 * or stale link; a year with no figures yet) sends the reader to the Benchmarks page with the
 * same address, which names what it could not read and what such a value looks like, and
 * shows the report it can (never a bare 400).
 */
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { auditRequest } from "~/lib/audit.server";
import { withDb } from "~/lib/db.server";
import {
  REPORT_FORMATS,
  academicYearKey,
  academicYearOf,
  buildBenchmarkReport,
  CONTENT_TYPES,
  currentDate,
  isReportFormat,
  renderReport,
  reportFileName,
} from "~/lib/analytics.server";
import { requireRole } from "~/lib/auth.server";
import { can } from "~/lib/permissions";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, "view_benchmarks", { context, download: true });
  // Governors (no pupil-level access) get small counts withheld in every format (issue 9).
  const withholdSmallCounts = !can(user.role, "view_pupils");
  const format = params.format ?? "";
  if (!isReportFormat(format)) {
    throw new Response(`The report comes as ${REPORT_FORMATS.join(", ")} (not "${format}")`, { status: 404, statusText: "Not found" });
  }
  const url = new URL(request.url);
  const today = currentDate();
  // 2025/26 or 2025-26 (academicYearKey); a year it cannot read: the page, which says so.
  const askedYear = url.searchParams.get("year");
  const academicYear = askedYear === null ? academicYearOf(today) : academicYearKey(askedYear);
  const toPage = redirect(`/benchmarks?${url.searchParams.toString()}`);
  if (academicYear === null) return toPage;
  const report = await withDb((c) =>
    buildBenchmarkReport(c, {
      academicYear,
      today,
      areaCode: url.searchParams.get("area") || null,
      groupPeriod: url.searchParams.get("groups") || null,
      withholdSmallCounts,
    }),
  ).catch(() => null);
  if (report === null) return toPage;
  // Rendering (Chromium for the PDF) happens outside the database connection.
  const body = await renderReport(report, format);
  await auditRequest(request, context, { action: "export", target: reportFileName(report, format), detail: `benchmark report ${academicYear}, ${format}${url.searchParams.get("area") ? `, area ${url.searchParams.get("area")}` : ""}` });
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": CONTENT_TYPES[format],
      "Content-Disposition": `attachment; filename="${reportFileName(report, format)}"`,
      "Content-Length": String(body.length),
      "Cache-Control": "no-store",
    },
  });
}
