/**
 * A download refused (its filters, the reader's role, a lapsed session) opened by a browser as a
 * page — a link followed, an address typed — rather than fetched: a page in the app's look (its
 * stylesheet, header and the layout of its error pages) that says why and links back, instead of
 * a bare line of text. Fetched (tests, scripts, `curl`), the same refusal stays plain text.
 * Whether it is a page is the browser's own word: `Sec-Fetch-Dest: document`.
 */
import stylesheet from "~/styles/app.css";
import { escapeXml } from "../../analytics/packs/svg.ts";

/** Whether the request is a browser opening the address as a page (Sec-Fetch-Dest: document). */
export function openedAsPage(request: Request | undefined): boolean {
  return request?.headers.get("Sec-Fetch-Dest") === "document";
}

/**
 * The refusal as a Response: HTML in the app's look when `request` is a page being opened
 * (`openedAsPage`; the words' own "Not downloaded: " left to the page's heading), else plain text. `words`: why, in full; `link`: where to go from here.
 * Always `Cache-Control: no-store`.
 */
export function refusalResponse(
  status: 400 | 401 | 403 | 503,
  words: string,
  request: Request | undefined,
  link: { href: string; label: string } = { href: "/", label: "Return to the overview" },
): Response {
  const headers = { "Cache-Control": "no-store" };
  if (!openedAsPage(request)) return new Response(`${words}\n`, { status, headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" } });
  const html = `<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not downloaded — Rollcall</title><link rel="stylesheet" href="${escapeXml(stylesheet)}"><link rel="icon" href="/favicon.svg" type="image/svg+xml"></head>
<body><a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header"><div class="site-header__inner"><a href="/" class="site-header__brand">Rollcall</a></div></header>
<main id="main" class="page"><h1>Not downloaded</h1>
<p class="notice notice--warning" data-testid="refused-words">${escapeXml(words.replace(/^Not downloaded: /, ""))}</p>
<p><a href="${escapeXml(link.href)}" data-testid="refused-back">${escapeXml(link.label)}</a></p></main>
</body></html>`;
  return new Response(html, { status, headers: { ...headers, "Content-Type": "text/html; charset=utf-8" } });
}
