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

/**
 * Saves CSV text built in the browser as a file (with the byte-order mark Excel needs for
 * accented names) and records the export (reportBrowserExport). The one download path for
 * every CSV a page builds (charts, the pupil list, casework).
 */
export function saveCsvDownload(filename: string, csv: string, rows: number): void {
  const blob = new Blob(["\uFEFF", csv], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename.endsWith(".csv") ? filename : `${filename}.csv`;
  void reportBrowserExport(link.download, rows);
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
