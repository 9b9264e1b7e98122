/**
 * The head's benchmark report as a download: /benchmarks/report/pdf?year=2025/26[&area=…][&groups=…]
 * (also xlsx and csv). The same report model as the page and the CLI.
 *
 * A resource route: Remix treats a route with an ErrorBoundary (or a component) as a page,
 * so this one deliberately exports neither; its errors are plain-text responses with a
 * status (404 for an unknown format). A year, area or groups period it cannot use (a hand-edited
 * or stale link; a year with no figures yet), or one given twice, is refused as every download
 * refuses (400, naming the parameter and its value and what such a value looks like, or why
 * there are no figures; a page in the app's look with a link to the Benchmarks page with the
 * same address when a browser opens it: refusedDownload).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { auditRequest } from "~/lib/audit.server";
import { withDb } from "~/lib/db.server";
import { refusedDownload, unreadRefusal, whyRefusal } from "~/lib/address-filters.server";
import { EXPECTED_VALUES, clip, repeatedRefusalWords } from "~/lib/filters";
import {
  REPORT_FORMATS,
  ReportChoiceError,
  ReportYearError,
  academicYearKey,
  academicYearOf,
  buildBenchmarkReport,
  CONTENT_TYPES,
  currentDate,
  isReportFormat,
  renderReport,
  reportFileName,
} from "~/lib/analytics.server";
import { orPrinterMissing } from "~/lib/printer-missing.server";
import { academicYearsWithMarks } from "../../analytics/periods.ts";
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
  const back = { href: `/benchmarks?${url.searchParams.toString()}`, label: "Back to Benchmarks" };
  const refused = (words: string) => refusedDownload(words, request, back);
  const repeated = repeatedRefusalWords(url.searchParams);
  if (repeated) return refused(`Not downloaded: ${repeated}`);
  // 2025/26 or 2025-26 (academicYearKey); a year it cannot read, or not begun, is refused.
  const askedYear = url.searchParams.get("year")?.trim() || null;
  const academicYear = askedYear === null ? academicYearOf(today) : academicYearKey(askedYear);
  if (academicYear === null) return refused(unreadRefusal([{ name: "year", value: clip(askedYear!), expected: EXPECTED_VALUES.year }])!);
  if (academicYear > academicYearOf(today)) return refused(whyRefusal(`there are no figures for ${academicYear} yet: it has not begun`));
  // A year the register holds no marks for makes a report of dashes: refused, as the packs
  // refuse a period before the register (trial 30: 1999/00 sent a PDF of "0 / 0 sessions").
  const yearsWithMarks = await withDb((c) => academicYearsWithMarks(c));
  if (!yearsWithMarks.includes(academicYear)) {
    return refused(whyRefusal(`no register marks are stored for ${academicYear}${yearsWithMarks.length > 0 ? ` (the register has marks for ${[...yearsWithMarks].reverse().join(", ")})` : ""}`));
  }
  const report = await withDb((c) =>
    buildBenchmarkReport(c, {
      academicYear,
      today,
      areaCode: url.searchParams.get("area") || null,
      groupPeriod: url.searchParams.get("groups") || null,
      withholdSmallCounts,
    }),
  ).catch((error: unknown) => {
    // An area with no figures, a groups period not in the year; a governor's year with no half term ended.
    if (error instanceof ReportChoiceError) return refused(unreadRefusal([{ name: error.choice, value: clip(error.value), expected: error.expected }])!);
    if (error instanceof ReportYearError) return refused(whyRefusal(error.message));
    throw error;
  });
  if (report instanceof Response) return report;
  // Rendering (Chromium for the PDF) happens outside the database connection.
  const body = await orPrinterMissing(renderReport(report, format), request, back);
  if (body instanceof Response) return body;
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
