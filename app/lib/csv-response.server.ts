/**
 * A CSV download as the CSV routes send it: a UTF-8 byte-order mark (so Excel reads £ and
 * accents), an attachment name, and no caching (the rows name pupils or accounts).
 */
export function csvAttachment(csv: string, filename: string): Response {
  return new Response(`\uFEFF${csv}`, { headers: csvHeaders(filename) });
}

const csvHeaders = (filename: string) => ({
  "Content-Type": "text/csv; charset=utf-8",
  "Content-Disposition": `attachment; filename="${filename}"`,
  "Cache-Control": "no-store",
});

/**
 * csvAttachment's file sent as it is made: `chunks` (text, in order) streamed after the
 * byte-order mark, each read only when the client is ready for more, so a file of every row
 * of a long list is never held whole in memory. The same bytes as csvAttachment of the
 * chunks joined. A chunk that cannot be read ends the stream with that error (the download
 * breaks off rather than ending as if complete).
 */
export function csvStreamAttachment(chunks: AsyncIterable<string>, filename: string): Response {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode("\uFEFF"));
        return;
      }
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(body, { headers: csvHeaders(filename) });
}
