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
