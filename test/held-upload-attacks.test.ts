/**
 * The Import page's kept preview (app/lib/held-upload.server.ts) attacked through the page's
 * own action (app/routes/import.tsx), on a small register: Ada Lovelace's 2 Mar AM mark, amended
 * to M in a preview without JavaScript, then confirmed by its token alone (no file sent).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, withConnection } from "../analytics/db.ts";
import { importFiles } from "../analytics/import/index.ts";
import { action as importAction } from "../app/routes/import.tsx";
import { action as logoutAction } from "../app/routes/logout.tsx";
import { sessionReaderOf } from "../app/lib/auth.server.ts";
import { heldUpload, releaseAllUploads } from "../app/lib/held-upload.server.ts";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { writeSmallRegister } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import type { Role } from "../analytics/users/roles.ts";

const db = tempDbPath("held-upload-attacks");
let accounts: Record<Role, TestAccount>;

beforeAll(async () => {
  await importFiles(db, writeSmallRegister(path.dirname(db)), { by: { name: "Test", role: "Test" }, asOf: "2025-09-01" });
  accounts = await createTestAccounts(db);
  process.env.ROLLCALL_DB = db;
});
afterAll(async () => {
  await removeDb(db);
  // This process's folder of kept previews: vitest ends its workers without an "exit" event.
  releaseAllUploads();
});

type Result = { errors: Record<string, string>; outcome: { ok: boolean; preview?: boolean; fingerprint?: string } | null; held: string | null; stale: boolean };

/** Posts the Import form as `account` with `fields` (and the marks file when `marks` is given). */
async function post(account: TestAccount, fields: Record<string, string>, marks?: string): Promise<Result | Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (marks !== undefined) form.set("marks", new Blob([marks], { type: "text/csv" }), "amend.csv");
  const reader = await sessionReaderOf(new Request("http://localhost/import", { headers: { cookie: account.cookie } }));
  const headers = { cookie: account.cookie, "X-CSRF-Token": reader?.csrfToken ?? "" };
  try {
    return (await importAction({ request: new Request("http://localhost/import", { method: "POST", body: form, headers }), params: {}, context: {} })) as Result;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const AMEND = "upn,date,session,code\r\nA123456789012,2026-03-02,AM,M\r\n";
const adaCode = async () =>
  (await withConnection(db, (c) => queryRows(c, "SELECT m.code::VARCHAR AS code FROM mark_store m JOIN pupil_ids k USING (pupil_id) WHERE k.upn = 'A123456789012' AND m.date = DATE '2026-03-02' AND NOT m.pm")))[0]?.code;

/** A preview by `account` without JavaScript: its fingerprint and kept token. */
async function preview(account: TestAccount, reason = "Office checked", marks = AMEND) {
  const result = (await post(account, { intent: "preview", reason }, marks)) as Result;
  expect(result.outcome).toMatchObject({ ok: true, preview: true });
  expect(result.held).toMatch(/^[0-9a-f-]{36}$/);
  return { fingerprint: result.outcome!.fingerprint!, held: result.held!, reason };
}

describe("a kept preview is confirmed only by the session that made it, as previewed", () => {
  it("another user's session posting the token imports nothing", async () => {
    const before = await adaCode();
    const p = await preview(accounts.attendance_lead);
    const result = (await post(accounts.head, { intent: "import", ...p })) as Result;
    expect(result.outcome).toBeNull();
    expect(result.errors.files).toMatch(/no longer kept/);
    expect(await adaCode()).toBe(before);
  });

  it("a governor or SLT member posting the token is refused (403) and imports nothing", async () => {
    const before = await adaCode();
    const p = await preview(accounts.attendance_lead);
    for (const role of ["governor", "slt"] as const) {
      const result = await post(accounts[role], { intent: "import", ...p });
      expect(result instanceof Response && result.status).toBe(403);
    }
    expect(await adaCode()).toBe(before);
  });

  it("changed options between preview and confirm preview again; only the unchanged confirm imports, once", async () => {
    const before = await adaCode();
    const p = await preview(accounts.admin);
    const changed = (await post(accounts.admin, { intent: "import", ...p, reason: "Something else" })) as Result;
    expect(changed.outcome).toMatchObject({ ok: true, preview: true });
    expect(changed.stale).toBe(true);
    expect(await adaCode()).toBe(before);
    // The new preview's fingerprint, same token: imported.
    const done = (await post(accounts.admin, { intent: "import", held: changed.held!, fingerprint: changed.outcome!.fingerprint!, reason: "Something else" })) as Result;
    expect(done.outcome).toMatchObject({ ok: true });
    expect(done.outcome!.preview).toBeFalsy();
    expect(await adaCode()).toBe("M");
    // Reused after confirming: nothing kept.
    const again = (await post(accounts.admin, { intent: "import", held: changed.held!, fingerprint: changed.outcome!.fingerprint!, reason: "Something else" })) as Result;
    expect(again.errors.files).toMatch(/no longer kept/);
  });

  it("two confirmations sent at once (a double click without JavaScript): one imports, the other finds nothing kept, neither is refused", async () => {
    // Review 50: both took the kept files; the second was refused with "IO Error: No files found
    // that match the pattern /tmp/rollcall-held-…" (the first had imported and removed them),
    // the page the browser shows saying refused, and the trail recording a refusal.
    // Ada's mark is M by now (the test before): this amends it to I.
    const p = await preview(accounts.attendance_lead, "Twice at once", AMEND.replace(",M\r\n", ",I\r\n"));
    const both = (await Promise.all([post(accounts.attendance_lead, { intent: "import", ...p }), post(accounts.attendance_lead, { intent: "import", ...p })])) as Result[];
    const imported = both.filter((r) => r.outcome?.ok === true && !r.outcome.preview);
    const nothing = both.filter((r) => r.outcome === null);
    expect([imported.length, nothing.length]).toEqual([1, 1]);
    expect(nothing[0].errors.files).toMatch(/^The previewed files are no longer kept: they have been imported/);
    expect(await adaCode()).toBe("I");
  });

  it("a token with a path in it is no token", async () => {
    const result = (await post(accounts.head, { intent: "import", held: "../../../../etc/passwd", fingerprint: "x" })) as Result;
    expect(result.errors.files).toMatch(/no longer kept/);
  });

  it("signing out drops the session's kept preview (its pupils' marks are not left on disk)", async () => {
    const p = await preview(accounts.head);
    const reader = await sessionReaderOf(new Request("http://localhost/import", { headers: { cookie: accounts.head.cookie } }));
    const kept = heldUpload(p.held, reader!.sessionId);
    expect(kept?.marks).toBeDefined();
    const request = new Request("http://localhost/logout", { method: "POST", headers: { cookie: accounts.head.cookie, "X-CSRF-Token": reader!.csrfToken } });
    const response = await logoutAction({ request, params: {}, context: {} });
    expect((response as Response).status).toBe(302);
    expect(heldUpload(p.held, reader!.sessionId)).toBeUndefined();
    expect(fs.existsSync(kept!.marks!)).toBe(false);
  });
});
