/**
 * For test/schema-upgrade-crash.test.ts: opens the database file given (the upgrade on opening
 * runs, analytics/schema.ts ensureSchema) and kills its own process before closing it, as a
 * power cut or an out-of-memory kill would.
 */
import { withConnection } from "../../analytics/db.ts";

const file = process.argv[2];
if (!file) throw new Error("usage: open-and-die.ts FILE");
await withConnection(file, async (c) => {
  await c.run("SELECT 1");
});
process.kill(process.pid, "SIGKILL");
