/**
 * The import pages that name pupils record their view in the audit trail, as every page and
 * download naming pupils does (issue 9; fresh-clone trial 26: /imports/N named a pupil whose
 * marks it amended, and the import preview named pupils, with no audit row). The routes' own
 * loader and action, on a small register: Ada Lovelace's 2 Mar AM mark amended by a second import.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileKey, queryRows, withConnection } from "../analytics/db.ts";
import { auditJournalApplied } from "../analytics/audit-journal.ts";
import { importFiles } from "../analytics/import/index.ts";
import { loader as importDetail } from "../app/routes/imports.$id.tsx";
import { action as importAction } from "../app/routes/import.tsx";
import { sessionReaderOf } from "../app/lib/auth.server.ts";
import { heldUpload, releaseAllUploads } from "../app/lib/held-upload.server.ts";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { writeSmallRegister } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { loaderData } from "./helpers/loader.ts";

const db = tempDbPath("import-pages-audited");
const dir = path.dirname(db);
const amend = path.join(dir, "amend.csv");
let lead: TestAccount;
let importId = 0;

beforeAll(async () => {
  const files = writeSmallRegister(dir);
  const by = { name: "Test", role: "Test" };
  await importFiles(db, files, { by, asOf: "2025-09-01" });
  fs.writeFileSync(amend, "upn,date,session,code\r\nA123456789012,2026-03-02,AM,I\r\n");
  await importFiles(db, { marks: amend }, { by, reason: "Office checked the register" });
  importId = Number((await withConnection(db, (c) => queryRows(c, "SELECT max(import_id) AS id FROM imports")))[0].id);
  lead = (await createTestAccounts(db)).attendance_lead;
});
afterAll(async () => {
  await removeDb(db);
  releaseAllUploads();
});

/** The trail's rows of pupil views by name, once the journal's rows are written in. */
async function listViews(): Promise<Array<{ actor: string; target: string; detail: string }>> {
  await auditJournalApplied(fileKey(db));
  return withConnection(db, (c) => queryRows(c, "SELECT actor, target, detail FROM audit_log WHERE action = 'pupil_list_view' ORDER BY id")) as never;
}

describe("the import pages naming pupils are audited", () => {
  it("an import's page, naming the pupil whose mark it amended, records the view", async () => {
    const before = (await listViews()).length;
    const page = await loaderData<{ amendments: Array<{ surname: string }> }>((args) => importDetail({ ...args, params: { id: String(importId) } }), db, lead.cookie, `/imports/${importId}`);
    expect(page.amendments.map((a) => a.surname)).toEqual(["Lovelace"]);
    const rows = await listViews();
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)).toEqual({ actor: lead.email, target: `/imports/${importId}`, detail: `Import ${importId} (amend.csv): 1 of 1 amended marks named` });
  });

  it("an import's preview, naming the pupil whose mark would change, records the view", async () => {
    process.env.ROLLCALL_DB = db;
    const before = (await listViews()).length;
    const form = new FormData();
    form.set("intent", "preview");
    form.set("reason", "Office checked again");
    form.set("marks", new Blob(["upn,date,session,code\r\nA123456789012,2026-03-02,AM,M\r\n"], { type: "text/csv" }), "again.csv");
    const reader = await sessionReaderOf(new Request("http://localhost/import", { headers: { cookie: lead.cookie } }));
    const request = new Request("http://localhost/import", { method: "POST", body: form, headers: { cookie: lead.cookie, "X-CSRF-Token": reader!.csrfToken } });
    const result = (await importAction({ request, params: {}, context: {} })) as { outcome: { ok: boolean; preview: boolean }; held: string };
    expect(result.outcome).toMatchObject({ ok: true, preview: true });
    // The preview's files are kept for its confirmation, in this process's folder, which the
    // test removes after it (review 50: each run left one in /tmp, a vitest worker having no "exit").
    const kept = heldUpload(result.held, reader!.sessionId)!.marks!;
    const folder = path.dirname(path.dirname(path.dirname(kept)));
    expect(path.basename(folder)).toMatch(/^rollcall-held-/);
    releaseAllUploads();
    expect(fs.existsSync(folder)).toBe(false);
    const rows = await listViews();
    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)).toEqual({ actor: lead.email, target: "/import (preview of again.csv)", detail: "Import preview: 1 amended marks and 0 pupils named" });
  });
});
