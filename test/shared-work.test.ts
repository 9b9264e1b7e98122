/**
 * sharedWork (analytics/db.ts): what a piece of work makes from the register's reads — a
 * governor's suppression plan for a half term, a span's counts — is made once while the work
 * runs inside withSharedReads, so a pack asking the same plan from each of its sections makes
 * it once (at 4,500 pupils the FGB pack made each half term's slice plan 15 times: 175–370 s).
 * It is never kept across a commit, inside a transaction, or after the work ends.
 */
import { afterAll, describe, expect, it } from "vitest";
import { enableResultCache, inTransaction, keptWork, sharedWork, withConnection, withSharedReads } from "../analytics/db.ts";
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

describe("work kept while the register does not change (keptWork)", () => {
  it("with the result cache on: kept across requests until a commit, at most `limit` entries", async () => {
    enableResultCache(true);
    try {
      let made = 0;
      const kept = new Map<string, Promise<number>>();
      const make = async () => ++made;
      await withConnection(db, async (c) => {
        expect(await keptWork(c, kept, 2, "a", make)).toBe(1);
        // Outside any piece of work, and again in one: the kept value.
        expect(await keptWork(c, kept, 2, "a", make)).toBe(1);
        expect(await withSharedReads(c, () => keptWork(c, kept, 2, "a", make))).toBe(1);
        expect(await keptWork(c, kept, 2, "b", make)).toBe(2);
        expect(await keptWork(c, kept, 2, "c", make)).toBe(3);
        expect(kept.size).toBe(2); // "a", the oldest, dropped
        expect(await keptWork(c, kept, 2, "a", make)).toBe(4);
        await inTransaction(c, () => c.run("CREATE TABLE IF NOT EXISTS kept_work_probe (n INTEGER)"), { changes: ["kept_work_probe"] });
        await inTransaction(c, () => c.run("INSERT INTO kept_work_probe VALUES (1)"));
        // A commit moved the register on: made afresh.
        expect(await keptWork(c, kept, 2, "a", make)).toBe(5);
      });
    } finally {
      enableResultCache(false);
    }
  });

  it("with it off: once per piece of work, as sharedWork", async () => {
    let made = 0;
    const kept = new Map<string, Promise<number>>();
    await withConnection(db, async (c) => {
      expect(await keptWork(c, kept, 2, "a", async () => ++made)).toBe(1);
      expect(await keptWork(c, kept, 2, "a", async () => ++made)).toBe(2);
      expect(await withSharedReads(c, async () => [await keptWork(c, kept, 2, "a", async () => ++made), await keptWork(c, kept, 2, "a", async () => ++made)])).toEqual([3, 3]);
    });
    expect(kept.size).toBe(0);
  });
});
