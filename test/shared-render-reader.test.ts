/**
 * A page the page cache makes for a role on a reader's request (scripts/page-cache.js
 * sendForRole): the reader whose session it has just checked is handed to the page's loaders
 * (app/lib/shared-render.server.ts sharedRenderHeader, checkedReaderFor), which take it rather
 * than reading the session from DuckDB a second time; only with this process's secret in the
 * header, only for the page's own placeholders, and only until the page is made. Real DuckDB
 * file, the app's own getUser.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { createSession, createUser, endSession, sessionSecret } from "../analytics/users/store.ts";
import { signInHead, signedSessionCookie, TEST_PASSWORD } from "./helpers/auth.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("shared-render-reader");
process.env.ROLLCALL_DB = db;
afterAll(() => removeDb(db));

const { getUser } = await import("../app/lib/auth.server.ts");
const { CHECKED_SESSION_HEADER, SHARED_RENDER_HEADER, checkedSessionHeader, forgetCheckedReader, newPlaceholders, sharedRenderHeader } = await import("../app/lib/shared-render.server.ts");

let cookie = "";
let sessionId = "";
let userId = 0;
beforeAll(async () => {
  ({ cookie, sessionId, userId } = await signInHead(db));
});

const request = (headers: Record<string, string>, init: { url?: string; method?: string } = {}) =>
  new Request(init.url ?? "http://localhost/audit", { method: init.method ?? "GET", headers: { Cookie: cookie, ...headers } });

describe("the reader handed to a page made for a role", () => {
  it("is the signed-in user of the page's loaders, with the placeholders, without reading the session again", async () => {
    const placeholders = newPlaceholders();
    const header = sharedRenderHeader(placeholders, { sessionId, userId, role: "head" });
    // Read from DuckDB: the session as it is.
    expect(await getUser(request({ [SHARED_RENDER_HEADER]: sharedRenderHeader(newPlaceholders()) }))).toMatchObject({ id: userId, role: "head", sessionId });

    // The session ends after the page cache checked it: the page being made for that check is
    // made as the reader it checked (no second read), as a kept page would have been sent.
    await withConnection(db, (c) => endSession(c, sessionId));
    expect(await getUser(request({ [SHARED_RENDER_HEADER]: header }))).toEqual({ id: userId, role: "head", sessionId, mustChangePassword: false, ...placeholders });
    // Without the handed reader (another page's placeholders, the plain request, a header
    // without this process's secret) the session is read, and it has ended.
    expect(await getUser(request({ [SHARED_RENDER_HEADER]: sharedRenderHeader(newPlaceholders()) }))).toBeNull();
    expect(await getUser(request({}))).toBeNull();
    expect(await getUser(request({ [SHARED_RENDER_HEADER]: `forged ${header.split(" ").slice(1).join(" ")}` }))).toBeNull();
    // Once the page is made the reader is forgotten: the same header reads the session.
    forgetCheckedReader(placeholders);
    expect(await getUser(request({ [SHARED_RENDER_HEADER]: header }))).toBeNull();
  });

  it("is not taken for a role Rollcall does not have", async () => {
    const placeholders = newPlaceholders();
    const header = sharedRenderHeader(placeholders, { sessionId, userId, role: "superuser" });
    expect(await getUser(request({ [SHARED_RENDER_HEADER]: header }))).toBeNull();
  });
});

describe("the reader handed to a GET the page cache sends to Remix (a pack's document, a download)", () => {
  it("is the signed-in user of its loaders, as the page cache's check gave it, without reading the session again; only with this process's secret and only on a GET", async () => {
    let own = "";
    let ownId = 0;
    let csrfToken = "";
    let ownCookie = "";
    await withConnection(db, async (c) => {
      const user = await createUser(c, { email: "slt@school.test", name: "Bo Lead", role: "slt", password: TEST_PASSWORD });
      const session = await createSession(c, user.id);
      own = session.sessionId;
      csrfToken = session.csrfToken;
      ownId = user.id;
      ownCookie = await signedSessionCookie(await sessionSecret(c), own);
    });
    const reader = { sessionId: own, userId: ownId, role: "slt", name: "Bo Lead", email: "slt@school.test", csrfToken };
    const header = checkedSessionHeader(reader);
    const pack = (headers: Record<string, string>, method = "GET") => request({ Cookie: ownCookie, ...headers }, { url: "http://localhost/packs/slt/html?month=2026-10", method });
    // Read from DuckDB: the session as it is.
    expect(await getUser(pack({}))).toMatchObject({ id: ownId, role: "slt", sessionId: own });
    const asUser = { id: ownId, email: "slt@school.test", name: "Bo Lead", role: "slt", sessionId: own, csrfToken, mustChangePassword: false };
    expect(await getUser(pack({ [CHECKED_SESSION_HEADER]: header }))).toEqual(asUser);

    // The session ends after the page cache checked it: the request it checked is answered as
    // the reader it checked (no second read from DuckDB), as a kept page would have been sent.
    await withConnection(db, (c) => endSession(c, own));
    expect(await getUser(pack({ [CHECKED_SESSION_HEADER]: header }))).toEqual(asUser);
    // Without it (no header, a header without this process's secret, a form) the session is
    // read from DuckDB, and it has ended.
    expect(await getUser(pack({}))).toBeNull();
    expect(await getUser(pack({ [CHECKED_SESSION_HEADER]: `forged ${header.split(" ")[1]}` }))).toBeNull();
    expect(await getUser(pack({ [CHECKED_SESSION_HEADER]: header }, "POST"))).toBeNull();
    // A header of this process's secret but of anything else than a reader, or a role Rollcall does not have: read from DuckDB.
    expect(await getUser(pack({ [CHECKED_SESSION_HEADER]: `${header.split(" ")[0]} bm90IGpzb24` }))).toBeNull();
    expect(await getUser(pack({ [CHECKED_SESSION_HEADER]: checkedSessionHeader({ ...reader, role: "superuser" }) }))).toBeNull();
  });
});
