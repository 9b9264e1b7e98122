/**
 * Pack downloads: /packs/slt/pdf?month=2026-10, /packs/fgb/xlsx?term=autumn-2026. The same
 * model and renderers as the page and the CLI (`rollcall pack`).
 *
 * A resource route: no component and no ErrorBoundary (either would make it a page); its
 * errors are plain-text responses with a status. Without a month or term, or with one it cannot
 * use, it sends the reader to the pack's page (which says what it could not use).
 */
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { auditRequest } from "~/lib/audit.server";
import { withDb } from "~/lib/db.server";
import { PACK_CONTENT_TYPES, buildPack, currentDate, isPackFormat, isPackKind, packFileName, renderPackFile } from "~/lib/analytics.server";
import { requireRole } from "~/lib/auth.server";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const kind = params.kind ?? "";
  // The SLT pack names pupils; the FGB pack (in every format) is for governors too.
  await requireRole(request, kind === "slt" ? "view_slt_pack" : "view_fgb_pack", { download: true });
  const format = params.format ?? "";
  if (!isPackKind(kind)) throw new Response(`There is no "${kind}" pack: choose slt or fgb`, { status: 404, statusText: "Not found" });
  if (!isPackFormat(format)) throw new Response(`Packs come as pdf or xlsx (not "${format}")`, { status: 404, statusText: "Not found" });
  const url = new URL(request.url);
  const period = url.searchParams.get(kind === "slt" ? "month" : "term");
  // No month or term (a link shared without it): the pack's own page, which opens on the
  // latest one and offers its downloads (a fresh-clone trial met a bare 400 here).
  if (!period) return redirect(`/packs/${kind}`);
  const model = await withDb((c) => buildPack(c, kind, period, currentDate(), format)).catch(() => null);
  // A month or term it cannot read or has no pack for (a hand-edited or stale link): the
  // pack's page with the same address, which names what it could not use and shows the
  // pack it can (never a bare 400).
  if (model === null) return redirect(`/packs/${kind}?${url.searchParams.toString()}`);
  // Rendering (Chromium for the PDF) happens after the database connection is released.
  const body = await renderPackFile(model, format);
  await auditRequest(request, context, { action: "pack_download", target: packFileName(kind, model.fileKey, format), detail: `${kind.toUpperCase()} pack, ${period}, ${format}` });
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": PACK_CONTENT_TYPES[format],
      "Content-Disposition": `attachment; filename="${packFileName(kind, model.fileKey, format)}"`,
      "Content-Length": String(body.length),
      "Cache-Control": "no-store",
    },
  });
}
