/**
 * Server rendering: Remix's default Node entry, plus the CSP nonce. scripts/server.js makes a
 * nonce per request, names it in the Content-Security-Policy header and passes it here in the
 * load context; Remix's inline scripts (hydration data, module loader, scroll restoration,
 * streamed data) carry it, so the policy needs no 'unsafe-inline' for scripts.
 */
import { Transform } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { RemixServer, isRouteErrorResponse } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "~/lib/nonce";
import { isPrintAbandoned } from "../analytics/render/pdf.ts";

// For scripts/server.js, which warms the pages after every change (build.entry.module).
export { WARM_UP_PAGES, warmUpHeaders } from "~/lib/warm-up.server";
export { warmUpOpenedPages } from "~/lib/warm-up-opened.server";
export { worthMakingAgain } from "~/lib/page-addresses";
// For scripts/page-cache.js: whose session a request is, checked as every loader checks it.
export { sessionReaderOf } from "~/lib/auth.server";
// For scripts/page-cache.js: a page made once for every reader of a role, with placeholders.
export { CHECKED_SESSION_HEADER, SHARED_RENDER_HEADER, checkedSessionHeader, forgetCheckedReader, newPlaceholders, sharedRenderHeader } from "~/lib/shared-render.server";
// For scripts/page-cache.js: a pupil's page made for a role records each reader's view itself.
export { takeViewAudit, recordViewAudit } from "~/lib/audit.server";
// For scripts/page-cache.js: what a kept page depends on besides the database's commits.
export { pageScope, pageVersion, takeReadVersion } from "~/lib/page-version.server";
// For scripts/server.js, which uses analytics/ only through this bundle (never a tsx-loaded second
// copy): a CLI command relayed to it (analytics/cli/remote.ts `relay.runForCaller`) runs on the
// very module copies the pages use, so it finds everything they keep in a module (the governors'
// plans and tables, protect's runs, the year rows …); before session 48 it worked them all out again
// (trial 47: a relayed pack 27-35 s where the dashboard took 5-22 s). The register is held from
// start-up, watched for commits and saved on stop through the same analytics/db.ts: its open
// instances (heldHere: a relayed `rollcall version` must find the file held), write queues and
// thread counts are per copy.
export * as relay from "../analytics/cli/remote.ts";
export { closeInstance, fileKey, onDataChanged, openInstance, resolveDbPath, schemaUpgradeNotice, withConnection } from "../analytics/db.ts";
export { closeAuditJournal } from "../analytics/audit-journal.ts";
export { describeLake } from "../analytics/lake.ts";
// The one escape of the app's generated HTML, for the server's own refusal pages.
export { escapeXml } from "../analytics/packs/svg.ts";
// The print browser stopped by the server's own stop (Playwright's signal handlers left off).
export { ownSignals, stopPrinting } from "../analytics/render/pdf.ts";

/**
 * How long a page may take to render before it is abandoned, ms (ROLLCALL_RENDER_TIMEOUT_MS).
 * Measured in wall time from the end of the loaders, so it counts time spent waiting for the
 * event loop while other pages render: with Remix's 5 s default, 50 readers at once on the
 * demo school had pages cut off mid-render and answered 500 (issue 11, item 4). No page
 * defers data, so the limit is only a guard against a render that never ends.
 */
const RENDER_TIMEOUT_MS = Number(process.env.ROLLCALL_RENDER_TIMEOUT_MS);
const ABORT_DELAY = RENDER_TIMEOUT_MS > 0 ? RENDER_TIMEOUT_MS : 60_000;

/**
 * Server errors to the log (this export replaces Remix's own logging). An address no route
 * matches, a request the browser abandoned, and a PDF print given up because the server is
 * stopping are not faults: a typed-in /nonexistent wrote a stack trace to the log. Everything
 * else is logged as Remix logs it.
 */
export function handleError(error: unknown, { request }: Pick<LoaderFunctionArgs, "request">): void {
  if (request.signal.aborted) return;
  // Remix passes an unmatched address as a 404 error response (its `error` the internal Error).
  if (isRouteErrorResponse(error) && error.status === 404) return;
  // A print given up because the server is stopping (scripts/server.js stop): its stop says so in one line.
  if (isPrintAbandoned(error)) return;
  // As Remix's own logger: the internal Error of an error response, else the error itself.
  const internal = isRouteErrorResponse(error) ? (error as { error?: unknown }).error : undefined;
  console.error(internal ?? error);
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = typeof loadContext?.cspNonce === "string" ? loadContext.cspNonce : "";
  // Crawlers and the like get the whole document at once; browsers get it streamed.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      const body = withoutNulBytes();
      responseHeaders.set("Content-Type", "text/html");
      resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce: nonce || undefined,
        ...(waitForAll ? { onAllReady: ready } : { onShellReady: ready }),
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Logged here whenever it happens: an error inside a Suspense boundary before the shell
          // is ready (e.g. Remix's hydration-data stream cut off by its 4.95 s stream timeout
          // while a slow render waits) turns the page into a 500 without ever reaching Remix's
          // handleError. A shell error is logged by Remix as well (twice is better than never).
          console.error(shellRendered ? "[render] after the shell:" : "[render] before the shell was ready:", error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/**
 * The rendered document without NUL bytes. React 18.3's renderToPipeableStream writes NUL bytes
 * where a multi-byte character (an em dash, a minus sign) meets the end of its 2 KB write
 * buffer (react/react#31134, #27554): a fresh-clone trial found "\0\0−0.4 pts below target" on
 * the governors' Year groups & classes. HTML never holds one (the HTML standard makes it a parse
 * error), so every 0x00 byte is dropped; the character after it is whole.
 */
function withoutNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, chunk.includes(0) ? chunk.filter((byte) => byte !== 0) : chunk);
    },
  });
}
