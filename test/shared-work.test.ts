/**
 * sharedWork (analytics/db.ts): what a piece of work makes from the register's reads — a
 * governor's suppression plan for a half term, a span's counts — is made once while the work
 * runs inside withSharedReads, so a pack asking the same plan from each of its sections makes
 * it once (at 4,500 pupils the FGB pack made each half term's slice plan 15 times: 175–370 s).
 * It is never kept across a commit, inside a transaction, or after the work ends.
 */
import { afterAll, describe, expect, it } from "vitest";
import { inTransaction, sharedWork, withConnection, withSharedReads } from "../analytics/db.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("shared-work");
afterAll(() => removeDb(db));

describe("work made once while a piece of work runs", () => {
  it("makes a key once inside withSharedReads and again after a commit, in a transaction, or outside", async () => {
    let made = 0;
    const make = async () => ++made;
    await withConnection(db, async (c) => {
      // Outside withSharedReads: made every time.
      expect(await sharedWork(c, "plan", make)).toBe(1);
      expect(await sharedWork(c, "plan", make)).toBe(2);
      await withSharedReads(c, async () => {
        expect(await Promise.all([sharedWork(c, "plan", make), sharedWork(c, "plan", make)])).toEqual([3, 3]);
        expect(await sharedWork(c, "other", make)).toBe(4);
        expect(await sharedWork(c, "plan", make)).toBe(3);
        // Inside a transaction the register may be changing: made afresh, not kept.
        await inTransaction(c, async () => {
          expect(await sharedWork(c, "plan", make)).toBe(5);
          await c.run("CREATE TABLE IF NOT EXISTS shared_work_probe (n INTEGER)");
        });
        // The commit forgot what was made before it.
        expect(await sharedWork(c, "plan", make)).toBe(6);
        expect(await sharedWork(c, "plan", make)).toBe(6);
      });
      // The work ended: nothing kept.
      expect(await sharedWork(c, "plan", make)).toBe(7);
    });
  });

  it("does not keep a failure", async () => {
    let tries = 0;
    await withConnection(db, (c) =>
      withSharedReads(c, async () => {
        await expect(sharedWork(c, "flaky", async () => { tries += 1; throw new Error("no"); })).rejects.toThrow("no");
        expect(await sharedWork(c, "flaky", async () => { tries += 1; return "yes"; })).toBe("yes");
      }),
    );
    expect(tries).toBe(2);
  });
});
