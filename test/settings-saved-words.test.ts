/**
 * Trial 50: a save of the Settings page answered "Settings saved." and "Use this policy"
 * "Policy chosen and its numbers saved.", naming no change. Each now says which settings
 * changed, from what to what (the small-group minimum with what it means for governors), or
 * that nothing did. Through the page's own action, on a small register.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importFiles } from "../analytics/import/index.ts";
import { action as settingsAction, loader as settingsLoader } from "../app/routes/settings.tsx";
import { sessionReaderOf } from "../app/lib/auth.server.ts";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { writeSmallRegister } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { loaderData } from "./helpers/loader.ts";

const db = tempDbPath("settings-saved-words");
let admin: TestAccount;

beforeAll(async () => {
  await importFiles(db, writeSmallRegister(path.dirname(db)), { by: { name: "Test", role: "Test" }, asOf: "2025-09-01" });
  ({ admin } = await createTestAccounts(db));
});
afterAll(() => removeDb(db));

/** The page's action answering a post of `fields` (the form's every shown value, these changed). */
async function post(fields: Record<string, string>, wholeForm = true): Promise<{ ok: boolean; said: string | null }> {
  const page = await loaderData<{ values: Record<string, string> }>(settingsLoader, db, admin.cookie, "/settings");
  const form = new FormData();
  if (wholeForm) for (const [k, v] of Object.entries(page.values)) form.set(k, v);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  const reader = await sessionReaderOf(new Request("http://localhost/settings", { headers: { cookie: admin.cookie } }));
  const request = new Request("http://localhost/settings", { method: "POST", body: form, headers: { cookie: admin.cookie, "X-CSRF-Token": reader!.csrfToken } });
  return (await settingsAction({ request, params: {}, context: {} })) as { ok: boolean; said: string | null };
}

describe("what a save of Settings says it changed", () => {
  it("names each setting changed, from what to what, the small-group minimum in governors' terms", async () => {
    const result = await post({ small_group_min: "3", target_attendance_pct: "95.5" });
    expect(result.ok).toBe(true);
    expect(result.said).toBe("Saved: Smallest group to report (pupils) 5 → 3 (governors now see figures for groups of 3 pupils or more); Whole-school attendance target (%) 96.1 → 95.5.");
  });

  it("says nothing changed when nothing did", async () => {
    expect((await post({})).said).toBe("Nothing changed: every setting was already as entered.");
  });

  it("'Use this policy' names the policy and the numbers it changed; chosen again, that none did", async () => {
    // Littledean's policy states 5 school days for N codes (analytics/casework/policy.ts); the school has 7.
    await post({ n_code_limit_school_days: "7" });
    const first = await post({ intent: "preset", policy_preset: "littledean" }, false);
    expect(first.said).toBe("Policy chosen: Littledean C of E Primary School (no policy had been chosen before). Saved: N codes resolved within (school days) 7 → 5.");
    const again = await post({ intent: "preset", policy_preset: "littledean" }, false);
    expect(again.said).toBe("Littledean C of E Primary School's policy was already chosen; its numbers were already these, so none changed.");
    const back = await post({ intent: "preset", policy_preset: "ludlow" }, false);
    expect(back.said).toBe("Policy chosen: Ludlow Junior School (was Littledean C of E Primary School). Saved: Whole-school attendance target (%) 95.5 → 96.1.");
  });
});
