/**
 * A file upgraded on opening (analytics/schema.ts ensureSchema: a column added to `users` or
 * `interventions` or `amendments`, the spells' key dropped, the compact store) must open again after the process
 * that upgraded it is killed before it closes — a power cut, an out-of-memory kill, `kill -9`.
 * DuckDB 1.5.6 writes an `ALTER TABLE … ADD COLUMN` to the write-ahead log in a form it cannot
 * replay when the table has a function default (`users.user_id DEFAULT nextval(…)`): reopening
 * failed with "INTERNAL Error: Failure while replaying WAL file … GetDefaultDatabase with no
 * default database set" (duckdb/duckdb#18259), and the school's database would not open at all.
 * Found by the lead opening a file made the day before. The upgrade now checkpoints, so the log
 * holds no such entry.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeInstance, queryRows, withConnection } from "../analytics/db.ts";
import { createUser, findUserByEmail } from "../analytics/users/store.ts";
import { copyDatabase, removeDb, tempDbPath } from "./helpers/db.ts";

const made = tempDbPath("schema-upgrade-crash-made");
const old = tempDbPath("schema-upgrade-crash-old");
afterAll(async () => {
  await removeDb(made);
  await removeDb(old);
});

describe("a file upgraded on opening, the process killed before it closes", () => {
  it("opens again with the upgrade and every account kept", async () => {
    await withConnection(made, async (c) => {
      await createUser(c, { email: "head@school.example", name: "Head", role: "head", password: "a long enough passphrase" });
    });
    // A file as made before the "must change password" mark and interventions' words.
    await copyDatabase(made, old, async (c) => {
      await c.run("ALTER TABLE o.users DROP COLUMN must_change_password");
      // … and before an amendment kept the minutes late before and after.
      await c.run("ALTER TABLE o.amendments DROP COLUMN original_minutes_late");
      await c.run("ALTER TABLE o.amendments DROP COLUMN new_minutes_late");
    });
    await closeInstance(old);
    // Another process opens it (the upgrade runs) and is killed without closing.
    const script = path.resolve("test/helpers/open-and-die.ts");
    let status: number | null = 0;
    try {
      execFileSync(process.execPath, ["--import", "tsx", script, old], { stdio: "pipe", timeout: 120_000 });
    } catch (error) {
      status = (error as { status: number | null; signal?: string }).status;
      expect((error as { signal?: string }).signal).toBe("SIGKILL");
    }
    expect(status).toBeNull();
    // Opening it again replays whatever the log holds: before the fix, an INTERNAL error.
    await withConnection(old, async (c) => {
      const cols = await queryRows<{ n: number }>(c, "SELECT count(*)::INTEGER AS n FROM pragma_table_info('users') WHERE name = 'must_change_password'");
      expect(cols[0].n).toBe(1);
      const minutes = await queryRows<{ n: number }>(c, "SELECT count(*)::INTEGER AS n FROM pragma_table_info('amendments') WHERE name IN ('original_minutes_late', 'new_minutes_late')");
      expect(minutes[0].n).toBe(2);
      expect((await findUserByEmail(c, "head@school.example"))?.mustChangePassword).toBe(false);
    });
    expect(fs.existsSync(old)).toBe(true);
  });
});
