/**
 * Pack downloads: /packs/slt/pdf?month=2026-10, /packs/fgb/xlsx?term=autumn-2026. The same
 * model and renderers as the page and the CLI (`rollcall pack`); each file made once per state
 * of the register and kept (app/lib/pack-files.server.ts).
 *
 * /packs/slt/html?month=… is the pack's document itself, shown in the frame of the pack's page
 * (the page sends a few kilobytes and the frame loads the kept document: before, the page
 * carried the whole document twice, in the frame and in its data — 2.7 MB for an SLT pack at
 * 4,500 pupils). It is sent inline and may be framed by Rollcall's own pages only
 * (scripts/server.js PACK_DOCUMENT). The SLT pack's document names pupils: every time it is sent
 * it is recorded as a view of pupils by name, as the pages that list pupils are; the FGB pack's
 * names none and, as its page, is not recorded. Both are kept by the page cache as those pages
 * are (scripts/page-cache.js PACK_DOCUMENT: made once per role, sent again to each reader, the
 * SLT pack's view recorded for each reader every time it is sent).
 *
 * A resource route: no component and no ErrorBoundary (either would make it a page); its
 * errors are plain-text responses with a status. Without a month or term it sends the reader to
 * the pack's page (which opens on the latest). A month or term it cannot read, or has no pack for
 * (not begun, before the register, not in the calendar), or given twice, is refused as every
 * download refuses (400, naming the parameter and its value or why there is no pack; a page in
 * the app's look with a link to the pack's page when a browser opens it: refusedDownload).
 */
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { auditListView, auditRequest } from "~/lib/audit.server";
import { PACK_CONTENT_TYPES, PACK_FORMAT_WORDS, currentDate, isPackFormat, isPackKind, packFileName, packPeriodOptions } from "~/lib/analytics.server";
import { withDb } from "~/lib/db.server";
import { refusedDownload, unreadRefusal, whyRefusal } from "~/lib/address-filters.server";
import { EXPECTED_VALUES, MONTH_KEY, TERM_KEY, clip, repeatedRefusalWords } from "~/lib/filters";
import { packFile } from "~/lib/pack-files.server";
import { orPrinterMissing } from "~/lib/printer-missing.server";
import { warmUpReader } from "~/lib/warm-up.server";
import { requireRole } from "~/lib/auth.server";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const kind = params.kind ?? "";
  // The SLT pack names pupils; the FGB pack (in every format) is for governors too.
  await requireRole(request, kind === "slt" ? "view_slt_pack" : "view_fgb_pack", { context, download: true });
  const format = params.format ?? "";
  if (!isPackKind(kind)) throw new Response(`There is no "${kind}" pack: choose slt or fgb`, { status: 404, statusText: "Not found" });
  if (!isPackFormat(format)) throw new Response(`Packs come as ${PACK_FORMAT_WORDS} (not "${format}")`, { status: 404, statusText: "Not found" });
  const url = new URL(request.url);
  const param = kind === "slt" ? "month" : "term";
  const period = url.searchParams.get(param)?.trim() || null;
  // No month or term (a link shared without it): the pack's own page, which opens on the
  // latest one and offers its downloads (a fresh-clone trial met a bare 400 here).
  if (!period) {
    // The server's own warm-up (app/lib/warm-up.server.ts) asks for the pack the Packs page
    // offers first, to make and keep its file before anyone downloads it.
    if (warmUpReader(request)) {
      const today = currentDate();
      const options = await withDb((c) => packPeriodOptions(c, today));
      const first = kind === "slt" ? options.defaultMonth : options.defaultTerm;
      if (first) await packFile(kind, first, format, today);
      return new Response(null, { status: 204 });
    }
    return redirect(`/packs/${kind}`);
  }
  // A month or term it cannot read, given twice, or with no pack (a hand-edited or stale link):
  // refused in words, with a link to the pack's page, which shows the pack it can.
  const back = { href: `/packs/${kind}?${url.searchParams.toString()}`, label: kind === "slt" ? "Back to the SLT pack" : "Back to the governors' pack" };
  const unreadable = (kind === "slt" ? MONTH_KEY : TERM_KEY).test(period) ? null : unreadRefusal([{ name: param, value: clip(period), expected: EXPECTED_VALUES[param] }]);
  const repeated = repeatedRefusalWords(url.searchParams);
  if (unreadable || repeated) return refusedDownload(unreadable ?? `Not downloaded: ${repeated}`, request, back);
  // Made once per state of the register and kept for the next reader (app/lib/pack-files.server.ts).
  const made = await orPrinterMissing(packFile(kind, period, format, currentDate()), request, back);
  if (made instanceof Response) return made;
  const { file, kept, refused } = made;
  if (file === null) return refusedDownload(whyRefusal(refused), request, back);
  const { body, fileKey, label } = file;
  const name = packFileName(kind, fileKey, format);
  if (format !== "html") {
    // Every download is recorded, the file kept or made afresh.
    await auditRequest(request, context, { action: "pack_download", target: name, detail: `${kind.toUpperCase()} pack, ${period}, ${format}` });
  } else if (kind === "slt") {
    // The SLT pack on screen names pupils: each view recorded as the Pupils list's is — held
    // back when the page cache makes the document once for a role (scripts/page-cache.js
    // AUDITED), which then records it for every reader each time it sends it.
    await auditListView(request, context, `SLT pack on screen, ${label}`);
  }
  // The document gzipped once when it was made (pack-files), for a reader who accepts it (the
  // page cache, which keeps the document and compresses it itself, asks for it uncompressed).
  const gzipped = file.gzipped !== null && /\bgzip\b/.test(request.headers.get("Accept-Encoding") ?? "") ? file.gzipped : null;
  const sent = gzipped ?? body;
  return new Response(new Uint8Array(sent), {
    headers: {
      ...(gzipped ? { "Content-Encoding": "gzip" } : {}),
      ...(file.gzipped !== null ? { Vary: "Accept-Encoding" } : {}),
      "Content-Type": PACK_CONTENT_TYPES[format],
      "Content-Disposition": `${format === "html" ? "inline" : "attachment"}; filename="${name}"`,
      "Content-Length": String(sent.length),
      // Whether the file was made for this request or kept from an earlier one (the bench reads it).
      "Server-Timing": `pack;desc="${kept ? "kept" : "made"}"`,
    },
  });
}
