// Renders the dashboard's pages in the background after the server starts and after every
// commit, so the first reader after an import finds their figures in the result cache
// (app/lib/warm-up.server.ts says which pages, as whom, and why it is safe). One page at a
// time, each through Remix's own request handler inside this process; a change while a round
// runs ends it early and starts another, so the work always follows the newest data.
//
// People come first: before each page the round waits while any request from outside is being
// answered (`busy`), so a reader never queues behind a page nobody asked for yet.
//
// ROLLCALL_WARM_UP=0 turns it off; ROLLCALL_WARM_UP_DELAY_MS (default 1000) is how long after
// the last change a round starts, so an import's several commits start one round.
import { createRequestHandler } from "@remix-run/node";

/** A page taking longer than this to prepare is named in the log, ms. */
const SLOW_MS = 5000;

/**
 * Starts warming. `build` is the Remix build (its entry module exports WARM_UP_PAGES, each a
 * path and the role it is read as, and warmUpHeaders(role)); `onDataChanged` subscribes to commits (analytics/db.ts); `busy()` says whether
 * a request from outside is being answered; `prepareForRole(role, path)` (scripts/page-cache.js
 * rolePagePreparer, or null) makes and keeps the page every reader of the role gets.
 */
export function startWarmUp({ build, onDataChanged, busy = () => false, log = console.log, prepareForRole = null }) {
  const { WARM_UP_PAGES: pages, warmUpHeaders } = build.entry.module;
  if (process.env.ROLLCALL_WARM_UP === "0" || !pages || !warmUpHeaders) return;
  const delay = Number(process.env.ROLLCALL_WARM_UP_DELAY_MS) >= 0 && process.env.ROLLCALL_WARM_UP_DELAY_MS !== undefined ? Number(process.env.ROLLCALL_WARM_UP_DELAY_MS) : 1000;
  const handler = createRequestHandler(build, process.env.NODE_ENV ?? "production");
  let timer = null;
  let running = null;
  let changedSinceStart = false;

  async function round() {
    timer = null;
    changedSinceStart = false;
    const started = Date.now();
    let rendered = 0;
    const failed = [];
    for (const { path, role, ahead } of pages) {
      if (changedSinceStart) break;
      if (ahead && !prepareForRole) continue;
      while (busy()) await new Promise((resolve) => setTimeout(resolve, 25));
      const began = Date.now();
      try {
        // A page every reader of the role gets is made and kept for them (scripts/page-cache.js
        // rolePagePreparer); any other (an unshared path, or pages not shared) only rendered.
        let status = prepareForRole ? await prepareForRole(role, path) : 0;
        if (status === 0) {
          const response = await handler(new Request(`http://localhost${path}`, { headers: warmUpHeaders(role) }), { cspNonce: "", clientAddress: "warm-up" });
          await response.text();
          status = response.status;
        }
        if (status >= 300) failed.push(`${path} as ${role}: HTTP ${status}`);
        else rendered += 1;
        // A slow page is worth knowing about: it is what a reader would have waited for.
        if (Date.now() - began > SLOW_MS) log(`[rollcall] warm-up: ${path} as ${role} took ${((Date.now() - began) / 1000).toFixed(1)} s`);
      } catch (error) {
        failed.push(`${path} as ${role}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (!changedSinceStart) log(`[rollcall] ${rendered} page views prepared in ${((Date.now() - started) / 1000).toFixed(1)} s${failed.length ? `; failed: ${failed.join("; ")}` : ""}`);
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      if (running) return; // the running round sees changedSinceStart and schedules again
      running = round().finally(() => {
        running = null;
        if (changedSinceStart) schedule();
      });
    }, delay);
    timer.unref?.();
  }

  onDataChanged(() => {
    changedSinceStart = true;
    schedule();
  });
  schedule();
}
