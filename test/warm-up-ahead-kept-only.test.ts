/**
 * A page the warm-up makes only ahead (scripts/warm-up.js, `ahead`, here the SLT
 * pack's document at its page's month: app/lib/warm-up-opened.server.ts) must reach Remix only
 * as a role's page, with the placeholders (app/lib/shared-render.server.ts): without them its
 * loader records the view itself (app/lib/audit.server.ts auditView: a "pupil_list_view" by
 * "Rollcall (preparing pages)"), a view nobody made. scripts/page-cache.js rolePagePreparer
 * answers 0 when a reader's request was making the same role's page and did not keep it (a drop
 * meanwhile); the warm-up rendered it plainly then (review 45), and now leaves it to its next
 * round. A minimal Remix build stands for the app.
 */
import { afterEach, describe, expect, it } from "vitest";
import { PageCache, rolePagePreparer } from "../scripts/page-cache.js";
import { startWarmUp } from "../scripts/warm-up.js";

const SHARED_HEADER = "x-test-shared-render";
/** Each request a route's loader was asked, and whether it carried placeholders. */
const asked: Array<{ url: string; placeholders: boolean }> = [];
const loader = ({ request }: { request: Request }) => {
  asked.push({ url: new URL(request.url).pathname + new URL(request.url).search, placeholders: request.headers.has(SHARED_HEADER) });
  return new Response("<p>the SLT pack's document</p>", { headers: { "Content-Type": "text/html" } });
};
const SLT_DOCUMENT = "/packs/slt/html?month=2026-02";
const build = {
  mode: "production",
  entry: {
    module: {
      default: () => new Response(""),
      WARM_UP_PAGES: [],
      warmUpHeaders: (who: string) => ({ "x-rollcall-warm-up": `${who} secret` }),
      warmUpOpenedPages: async () => [{ path: SLT_DOCUMENT, role: "head", ahead: true }],
    },
  },
  routes: {
    root: { id: "root", path: "", module: { default: () => null } },
    "routes/packs.$kind.$format": { id: "routes/packs.$kind.$format", parentId: "root", path: "packs/:kind/:format", module: { loader } },
  },
  assets: { entry: { module: "/build/entry.js", imports: [] }, routes: {}, url: "/build/manifest.js", version: "1" },
  publicPath: "/build/",
  assetsBuildDirectory: "public/build",
  future: {},
  isSpaMode: false,
};
let warmUp: { stop: () => Promise<void> } | null = null;
afterEach(async () => {
  await warmUp?.stop();
  asked.length = 0;
});

describe("the warm-up's pages made ahead", () => {
  it("never sends a page it makes only ahead to Remix without placeholders, even when a reader's request for the role's page was making it and did not keep it", async () => {
    process.env.ROLLCALL_WARM_UP_DELAY_MS = "0";
    const cache = new PageCache();
    const shared = { header: SHARED_HEADER, newPlaceholders: () => ({ name: "rcphn", email: "rcphe", csrfToken: "rcphc" }), headerFor: () => "1", takeViewAudit: () => ({ action: "pupil_list_view", target: SLT_DOCUMENT, detail: "" }) };
    const prepareForRole = rolePagePreparer({ build, mode: "production", cache, shared, warmUpHeaders: build.entry.module.warmUpHeaders, nonce: () => "n" });
    // A reader's request (sendForRole) is making the head's page of the document now…
    const readerDone = cache.beginMaking(cache.roleKey("head", SLT_DOCUMENT));
    const lines: string[] = [];
    warmUp = startWarmUp({ build, onDataChanged: () => {}, log: (line: string) => lines.push(line), // scripts/warm-up.js types its default (null) only.
      prepareForRole: prepareForRole as never, remake: null });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // …and does not keep it (a form sent meanwhile dropped every kept page: set() refused it).
    readerDone(null);
    for (let waited = 0; waited < 5000 && !lines.some((l) => l.includes("page views prepared")); waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(lines.join("\n")).toContain("page views prepared");
    // Any request for it reaching a loader must carry the placeholders (its view held back).
    expect(asked.filter((a) => !a.placeholders)).toEqual([]);
  });
});
