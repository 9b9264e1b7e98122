/**
 * Two saves of the Settings page at the same moment (fresh-clone trial 32: two administrators'
 * saves of the formal-meeting threshold, sent together, both answered "Settings saved", and the
 * audit trail read "83 → 79" twice — 78 nowhere — while the change history's "from" values
 * were the same stale 83). Each save now reads what it replaces and writes in one turn of the
 * file's writes (analytics/db.ts oneWriteAtATime), so the changes chain: 83 → 78 → 79.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileKey, queryRows, withConnection } from "../analytics/db.ts";
import { auditJournalApplied } from "../analytics/audit-journal.ts";
import { saveSettings } from "../analytics/settings.ts";
import { action as settingsAction, loader as settingsLoader } from "../app/routes/settings.tsx";
import { sessionReaderOf } from "../app/lib/auth.server.ts";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { writeSmallRegister } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { loaderData } from "./helpers/loader.ts";
import { importFiles } from "../analytics/import/index.ts";
import path from "node:path";

const db = tempDbPath("settings-at-once");
let admin: TestAccount;
let head: TestAccount;

beforeAll(async () => {
  await importFiles(db, writeSmallRegister(path.dirname(db)), { by: { name: "Test", role: "Test" }, asOf: "2025-09-01" });
  ({ admin, head } = await createTestAccounts(db));
});
afterAll(() => removeDb(db));

/** The Settings form as the page sends it: every field's shown value, one changed. */
async function save(account: TestAccount, key: string, value: string): Promise<unknown> {
  const page = await loaderData<{ values: Record<string, string> }>(settingsLoader, db, account.cookie, "/settings");
  const form = new FormData();
  for (const [k, v] of Object.entries(page.values)) form.set(k, v);
  form.set(key, value);
  const reader = await sessionReaderOf(new Request("http://localhost/settings", { headers: { cookie: account.cookie } }));
  const request = new Request("http://localhost/settings", { method: "POST", body: form, headers: { cookie: account.cookie, "X-CSRF-Token": reader!.csrfToken } });
  return settingsAction({ request, params: {}, context: {} });
}

describe("settings saved at the same moment", () => {
  it("each save's audit entry and change history give its own old → new value, chained (page action)", async () => {
    await save(admin, "formal_meeting_threshold_pct", "83");
    // Both forms read before either save (as two tabs open at once), then sent together.
    const results = await Promise.all([save(admin, "formal_meeting_threshold_pct", "78"), save(head, "formal_meeting_threshold_pct", "79")]);
    expect(results.map((r) => (r as { ok: boolean }).ok)).toEqual([true, true]);
    await auditJournalApplied(fileKey(db));
    const audit = await withConnection(db, (c) => queryRows<{ detail: string }>(c, "SELECT detail FROM audit_log WHERE action = 'settings_change' ORDER BY id"));
    // Whichever was made first, the two chain from 83 to the value stored.
    const [stored] = await withConnection(db, (c) => queryRows<{ value: string }>(c, "SELECT value FROM settings WHERE key = 'formal_meeting_threshold_pct'"));
    const last = stored.value;
    const between = last === "79" ? "78" : "79";
    expect([between, last].sort()).toEqual(["78", "79"]);
    const details = audit.map((r) => r.detail).filter((d) => d.startsWith("formal_meeting_threshold_pct: ") && !d.endsWith("→ 83"));
    // (Each entry is written once its save's turn has ended, so the two may land in either order.)
    expect([...details].sort()).toEqual([`formal_meeting_threshold_pct: 83 → ${between}`, `formal_meeting_threshold_pct: ${between} → ${last}`].sort());
    const history = await withConnection(db, (c) =>
      queryRows<{ old_value: string; new_value: string }>(c, "SELECT old_value, new_value FROM settings_changes WHERE key = 'formal_meeting_threshold_pct' ORDER BY changed_at, rowid"),
    );
    expect(history.slice(-2)).toEqual([
      { old_value: "83", new_value: between },
      { old_value: between, new_value: last },
    ]);
  });

  it("two saves at once through saveSettings are checked against what the other left: thresholds that descend alone but not together refuse the second", async () => {
    // The letter threshold (96 %) above the monitoring one (90) above the formal meeting's: each
    // save alone keeps them descending; saved together, the second sees the first's value.
    await withConnection(db, (c) => saveSettings(c, { monitoring_threshold_pct: "90", formal_meeting_threshold_pct: "85" }, { name: "T", role: "admin" }));
    const [first, second] = await Promise.all([
      withConnection(db, (c) => saveSettings(c, { formal_meeting_threshold_pct: "89" }, { name: "A", role: "admin" })),
      withConnection(db, (c) => saveSettings(c, { monitoring_threshold_pct: "88" }, { name: "B", role: "admin" })),
    ]);
    // Whichever is made first is saved; the other, checked against it, is refused.
    const refused = [first, second].map((r) => Object.keys(r.problems));
    expect(refused.filter((keys) => keys.length > 0)).toEqual([["letter_threshold_pct"]]);
    const formalSaved = refused[0].length === 0;
    const stored = await withConnection(db, (c) => queryRows<{ key: string; value: string }>(c, "SELECT key, value FROM settings WHERE key IN ('monitoring_threshold_pct', 'formal_meeting_threshold_pct') ORDER BY key"));
    expect(stored).toEqual([
      { key: "formal_meeting_threshold_pct", value: formalSaved ? "89" : "85" },
      { key: "monitoring_threshold_pct", value: formalSaved ? "90" : "88" },
    ]);
  });
});
