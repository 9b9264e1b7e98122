/**
 * The Audit page made once for every reader of a role (scripts/page-cache.js sendForRole) is
 * kept at the count of audit rows written when its loader read the trail, not at the count when
 * its making began (app/lib/page-version.server.ts noteReadVersion, takeReadVersion; page-cache
 * madeVersion): a view recorded meanwhile is on the page, so the requests begun after it take
 * the page rather than make it again (issue 11, item 4: 50 readers). Real DuckDB file, the
 * app's own loader and getUser; the rows recorded as the web server records a view.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditWriteCount, recordDurably } from "../analytics/audit.ts";
import { madeVersion, versionServes } from "../scripts/page-cache.js";
import { signInHead } from "./helpers/auth.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("audit-read-version");
process.env.ROLLCALL_DB = db;
afterAll(() => removeDb(db));

const { loader } = await import("../app/routes/audit.tsx");
const { pageVersion, takeReadVersion } = await import("../app/lib/page-version.server.ts");
const { SHARED_RENDER_HEADER, forgetCheckedReader, newPlaceholders, sharedRenderHeader } = await import("../app/lib/shared-render.server.ts");

let cookie = "";
let sessionId = "";
let userId = 0;
beforeAll(async () => {
  ({ cookie, sessionId, userId } = await signInHead(db));
});

const view = (upn: string) => recordDurably(db, { actor: { email: "slt@school.test", name: "Bo Lead" }, role: "slt", action: "pupil_view", target: upn, detail: "2026-09-01 to 2026-11-23", ip: "127.0.0.1" });
const audit = (headers: Record<string, string>, url = "http://localhost/audit") =>
  loader({ request: new Request(url, { headers: { Cookie: cookie, ...headers } }), params: {}, context: {} }) as Promise<{ rows: Array<{ target: string | null }> }>;

describe("the Audit page made for a role", () => {
  it("is kept at the count of rows written when its loader read the trail, which serves the requests begun meanwhile", async () => {
    await view("A000000000001");
    // The making begins: its version read then, as the page cache reads it.
    const begun = pageVersion("/audit");
    // A view recorded before the loader reads the trail: its request begins at a later count.
    await view("A000000000002");
    const wanted = pageVersion("/audit");
    expect(versionServes(begun, wanted)).toBe(false);
    const placeholders = newPlaceholders();
    const page = await audit({ [SHARED_RENDER_HEADER]: sharedRenderHeader(placeholders, { sessionId, userId, role: "head" }) });
    forgetCheckedReader(placeholders);
    // The page shows the later view, and says so by its version.
    expect(page.rows.map((row) => row.target)).toContain("A000000000002");
    const read = takeReadVersion(placeholders);
    expect(read).toBe(`audit #${auditWriteCount()}`);
    expect(madeVersion(begun, read)).toBe(read);
    expect(versionServes(madeVersion(begun, read), wanted)).toBe(true);
    // Taken once.
    expect(takeReadVersion(placeholders)).toBeNull();
  });

  it("notes the count on the DuckDB path too (a filter), and nothing for a reader's own page", async () => {
    const placeholders = newPlaceholders();
    await audit({ [SHARED_RENDER_HEADER]: sharedRenderHeader(placeholders, { sessionId, userId, role: "head" }) }, "http://localhost/audit?action=pupil_view");
    forgetCheckedReader(placeholders);
    expect(takeReadVersion(placeholders)).toBe(`audit #${auditWriteCount()}`);
    // A page made for the session alone notes nothing (no placeholders): kept, if at all, at its request's version.
    const own = newPlaceholders();
    await audit({});
    expect(takeReadVersion(own)).toBeNull();
  });

  it("keeps the version its making began at when the noted one does not serve it (another thing counted, an earlier count, none)", () => {
    expect(madeVersion("audit #7", "audit #9")).toBe("audit #9");
    expect(madeVersion("audit #7", "audit #7")).toBe("audit #7");
    expect(madeVersion("audit #9", "audit #7")).toBe("audit #9");
    expect(madeVersion("audit #7", "accounts #9")).toBe("audit #7");
    expect(madeVersion("audit #7", null)).toBe("audit #7");
    expect(madeVersion("", undefined)).toBe("");
  });
});
