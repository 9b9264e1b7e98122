/**
 * A CSV download as the CSV routes send it: a UTF-8 byte-order mark (so Excel reads £ and
 * accents), an attachment name, and no caching (the rows name pupils or accounts).
 */
export function csvAttachment(csv: string, filename: string): Response {
  return new Response(`\uFEFF${csv}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}

/**
 * The address's parameters as download-name options (analytics/download-names.ts), in the
 * address's order: every one but `leaveOut` (the period, named apart; the page, where the
 * file holds every page). Two downloads from different addresses so get different names: the
 * same name would overwrite a file of other rows.
 */
export function addressOptions(url: URL, leaveOut: readonly string[]): Array<[string, string]> {
  return [...url.searchParams].filter(([name]) => !leaveOut.includes(name));
}
