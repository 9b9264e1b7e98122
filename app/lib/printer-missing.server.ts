/**
 * A PDF download when the server has no Chromium to print with (analytics/render/pdf.ts
 * PrinterMissingError): 503 in words saying what to install, as a page in the app's look when a
 * browser opens it (refusalResponse), never a bare "Unexpected Server Error" (trial 29).
 */
import { PrinterMissingError, isPrintAbandoned } from "../../analytics/render/pdf.ts";
import { refusalResponse } from "./refusal-page.server";

/**
 * `made` (a promise of what printing gives), or for a missing printer the 503 answer, with a
 * link to `back`; likewise 503 for a print given up because the server is stopping
 * (isPrintAbandoned), which is no fault to log. Any other error is thrown again.
 */
export async function orPrinterMissing<T>(made: Promise<T>, request: Request, back: { href: string; label: string }): Promise<T | Response> {
  try {
    return await made;
  } catch (error) {
    if (error instanceof PrinterMissingError) return refusalResponse(503, `Not downloaded: ${error.message}`, request, back);
    if (isPrintAbandoned(error)) return refusalResponse(503, "Not downloaded: the server is stopping, so the print was abandoned. Ask again once it has started again.", request, back);
    throw error;
  }
}
