// Renders the dashboard's pages in the background after the server starts and after every
// commit, so the first reader after an import finds their figures in the result cache
// (app/lib/warm-up.server.ts says which pages, as whom, and why it is safe). One page at a
// time, each through Remix's own request handler inside this process; a change while a round
// runs ends it early and starts another, so the work always follows the newest data.
//
// After the list come the pages whose addresses the register decides (a pack's document at the
// period its page opens on, the newest imports' records, the audit trail, the Trust page) and
// each live account's own pages (Account, Users): app/lib/warm-up-opened.server.ts.
// Besides them, each round first makes again the pages made for a role that readers had
// open when the change dropped them (scripts/page-cache.js rememberRolePages): a pupil's page,
// an import's record, the audit trail, a filtered list; only those a reader was sent in the last
// hour, at an address whose query its page reads (app/lib/page-addresses.ts), the most recently
// read first. A pupil's page is only ever made as its role's page,
// whose view's audit entry is held back and recorded for each reader it is sent to, so making
// it ahead records nothing.
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
 * path and the role it is read as, warmUpHeaders(role), and warmUpOpenedPages(), the pages of
 * the register's present state in the same shape, made after the list when `prepareForRole` is given); `onDataChanged` subscribes to commits (analytics/db.ts); `busy()` says whether
 * a request from outside is being answered; `prepareForRole(role, path)` (scripts/page-cache.js
 * rolePagePreparer, or null) makes and keeps the page every reader of the role gets; `remake`
 * ({ pagesToMakeAgain(), madeAgain(role, url), onClear(listener) }: scripts/page-cache.js PageCache, or null) says
 * which pages made for a role the last drops emptied: each round makes those first (the pages
 * readers had open, a pupil's page or an import's record among them, which the list below
 * does not name), then the list.
 */
export function startWarmUp({ build, onDataChanged, busy = () => false, log = console.log, prepareForRole = null, remake = null }) {
  const { WARM_UP_PAGES: fixedPages, warmUpHeaders, warmUpOpenedPages } = build.entry.module;
  if (process.env.ROLLCALL_WARM_UP === "0" || !fixedPages || !warmUpHeaders) return null;
  const delay = Number(process.env.ROLLCALL_WARM_UP_DELAY_MS) >= 0 && process.env.ROLLCALL_WARM_UP_DELAY_MS !== undefined ? Number(process.env.ROLLCALL_WARM_UP_DELAY_MS) : 1000;
  const handler = createRequestHandler(build, process.env.NODE_ENV ?? "production");
  let timer = null;
  let running = null;
  let changedSinceStart = false;
  let stopped = false;

  async function round() {
    timer = null;
    changedSinceStart = false;
    const started = Date.now();
    let rendered = 0;
    let again = 0;
    const failed = [];
    // The list, then the pages whose addresses the register decides (app/lib/warm-up-opened.server.ts:
    // a pack's document at its page's period, the newest imports, the audit trail; the live
    // accounts' own pages), read afresh each round: after an import the newest imports or the
    // pack's month may be others, and accounts sign in and out.
    let opened = [];
    if (prepareForRole && warmUpOpenedPages) {
      try {
        opened = await warmUpOpenedPages();
      } catch (error) {
        failed.push(`the pages of the register's state: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const listedPages = [...fixedPages, ...opened];
    const pages = listedPages.filter((page, at) => listedPages.findIndex((other) => other.role === page.role && other.path === page.path) === at);
    // The pages readers had open that the list does not name first (each cheap, and asked for).
    const listed = new Set(pages.map((page) => `${page.role} ${page.path}`));
    const open = prepareForRole && remake ? remake.pagesToMakeAgain().map(({ role, url }) => ({ path: url, role, ahead: true, open: true })) : [];
    for (const page of open) if (listed.has(`${page.role} ${page.path}`)) remake.madeAgain(page.role, page.path);
    const extra = open.filter((page) => !listed.has(`${page.role} ${page.path}`));
    for (const { path, role, ahead, open: wasOpen } of [...extra, ...pages]) {
      if (changedSinceStart || stopped) break;
      if (ahead && !prepareForRole) continue;
      while (busy()) await new Promise((resolve) => setTimeout(resolve, 25));
      const began = Date.now();
      try {
        // A page every reader of the role gets is made and kept for them (scripts/page-cache.js
        // rolePagePreparer); any other (an unshared path, or pages not shared) only rendered.
        let status = prepareForRole ? await prepareForRole(role, path) : 0;
        // A page made only ahead (every page readers had open is one) is only ever made as its
        // role's page: when rolePagePreparer did not keep it (a reader's request was making it
        // and a drop came), the next round makes it; rendering it here would keep nothing (review 45).
        if (status === 0 && !ahead) {
          const response = await handler(new Request(`http://localhost${path}`, { headers: warmUpHeaders(role) }), { cspNonce: "", clientAddress: "warm-up" });
          await response.text();
          status = response.status;
        }
        // Taken off the list whatever came of it (a pupil who has left answers 404, as to a
        // reader), unless a drop came meanwhile: then it was not kept, and the next round makes it.
        if (wasOpen && !changedSinceStart) remake.madeAgain(role, path);
        if (status >= 300) failed.push(`${path} as ${role}: HTTP ${status}`);
        else if (wasOpen) again += 1;
        else rendered += 1;
        // A slow page is worth knowing about: it is what a reader would have waited for.
        if (Date.now() - began > SLOW_MS) log(`[rollcall] warm-up: ${path} as ${role} took ${((Date.now() - began) / 1000).toFixed(1)} s`);
      } catch (error) {
        if (wasOpen && !changedSinceStart) remake.madeAgain(role, path);
        failed.push(`${path} as ${role}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (!changedSinceStart && !stopped) log(`[rollcall] ${rendered} page views prepared in ${((Date.now() - started) / 1000).toFixed(1)} s${again ? ` (and ${again} more that readers had open before the change)` : ""}${failed.length ? `; failed: ${failed.join("; ")}` : ""}`);
  }

  function schedule() {
    if (stopped) return;
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

  const changed = () => {
    changedSinceStart = true;
    schedule();
  };
  onDataChanged(changed);
  // Kept pages dropped without a commit (a relayed CLI command, a form: scripts/page-cache.js
  // clear) are made again too: otherwise the pages a round made between a command's commit and
  // the relay's drop once it has answered stayed dropped until a reader asked for each.
  remake?.onClear?.(changed);
  schedule();
  return {
    /**
     * Stops warming (the server is stopping): no page is begun after this. Resolves when the page
     * being prepared, if any, is done, so the database is saved after its last query rather than
     * under it (a governors' page can hold the process for tens of seconds on a loaded machine).
     */
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      return running ? running.catch(() => {}) : Promise.resolve();
    },
  };
}
