/**
 * The demo school built once for a test file, as of `today` (ROLLCALL_TODAY set for the file
 * and restored after it), with a test account per role; removed after the file. Call at the
 * top level of a test file: registers its own beforeAll / afterAll.
 */
import { afterAll, beforeAll } from "vitest";
import { buildDemo } from "../../analytics/demo/index.ts";
import type { Role } from "../../analytics/users/roles.ts";
import { createTestAccounts, type TestAccount } from "./auth.ts";
import { removeDb, tempDbPath } from "./db.ts";

/** `name`: the temporary database's name; `today`: ISO date. `accounts()` is ready in each test. */
export function demoSchool(name: string, today: string): { db: string; accounts: () => Record<Role, TestAccount> } {
  const db = tempDbPath(name);
  const saved = process.env.ROLLCALL_TODAY;
  let accounts: Record<Role, TestAccount> | null = null;
  beforeAll(async () => {
    process.env.ROLLCALL_TODAY = today;
    await buildDemo(db, { today });
    accounts = await createTestAccounts(db);
  }, 300_000);
  afterAll(() => {
    if (saved === undefined) delete process.env.ROLLCALL_TODAY;
    else process.env.ROLLCALL_TODAY = saved;
    return removeDb(db);
  });
  return {
    db,
    accounts: () => {
      if (!accounts) throw new Error("the demo school is built in beforeAll: read its accounts inside a test");
      return accounts;
    },
  };
}
