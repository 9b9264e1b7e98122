/**
 * A page fetched from the app server as the page-cache tests read it: status, text, what
 * Server-Timing says the page cache did, and the CSP header's nonce.
 */
export interface PageAnswer {
  status: number;
  body: string;
  /** "hit", "miss", "shared" (made once for requests at the same moment), "role" (made for the reader's role), or null (never considered). */
  cache: string | null;
  /** The nonce the Content-Security-Policy header allows scripts with. */
  nonce: string | null;
  location: string | null;
  /** The whole Content-Security-Policy header. */
  csp: string | null;
}

/** GET `url` from the server at `base` with the session `cookie` (and any other headers); redirects not followed. */
export async function getPage(base: string, url: string, cookie: string, headers: Record<string, string> = {}): Promise<PageAnswer> {
  const response = await fetch(`${base}${url}`, { headers: { Cookie: cookie, ...headers }, redirect: "manual" });
  const csp = response.headers.get("Content-Security-Policy");
  return {
    status: response.status,
    body: await response.text(),
    cache: /page-cache;desc="(\w+)"/.exec(response.headers.get("Server-Timing") ?? "")?.[1] ?? null,
    nonce: /'nonce-([^']+)'/.exec(csp ?? "")?.[1] ?? null,
    location: response.headers.get("Location"),
    csp,
  };
}

/**
 * A Server-Timing header without the server's own time (`app;dur=…`, which every answer ends
 * with: scripts/server.js): the metrics a step named, e.g. 'page-cache;desc="hit"'.
 */
export function namedTiming(header: string | string[] | null | undefined): string | null {
  return header == null ? null : String(header).replace(/(?:^|,\s*)app;dur=[\d.]+$/, "");
}
