/**
 * Browser side of the audit trail for CSVs built in the browser: tells the server which
 * file was saved, how many rows it held and from which page (app/routes/audit_.exports.tsx).
 * Returns the request so a test or caller can wait for it; the download does not wait.
 */
export function reportBrowserExport(file: string, rows: number): Promise<Response | null> {
  const body = new FormData();
  body.set("file", file);
  body.set("rows", String(rows));
  body.set("page", `${window.location.pathname}${window.location.search}`);
  // A signed-in POST needs the session's CSRF token (app/lib/auth.server.ts); the root puts it in a meta tag.
  const token = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? "";
  return fetch("/audit/exports", { method: "POST", body, keepalive: true, credentials: "same-origin", headers: { "X-CSRF-Token": token } }).catch(() => null);
}
