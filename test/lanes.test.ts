/**
 * inLanes (analytics/lanes.ts): a piece of work's parts run at once on a few connections to the
 * same database, results in the order asked, sharing the work's reads; one after another on the
 * one connection inside a transaction; after a failure no further part starts, and the failure
 * is thrown once the parts running have ended.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cachedRows, inTransaction, queryOne, withConnection, withSharedReads, type Connection } from "../analytics/db.ts";
import { firstRun, inLanes } from "../analytics/lanes.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("lanes");
beforeAll(() => withConnection(db, (c) => c.run("CREATE TABLE lanes_probe (n INTEGER); INSERT INTO lanes_probe VALUES (1), (2), (3)")));
afterAll(() => removeDb(db));

/** A part that records the connections running a part at the same moment and returns `value`. */
function tracked<T>(value: T, running: Set<Connection>, seen: Connection[], peak: { n: number }): (c: Connection) => Promise<T> {
  return async (c) => {
    running.add(c);
    seen.push(c);
    peak.n = Math.max(peak.n, running.size);
    // A statement on the part's own connection, then a turn of the event loop for the others.
    await queryOne(c, "SELECT sum(n) AS s FROM lanes_probe");
    await new Promise((resolve) => setTimeout(resolve, 5));
    running.delete(c);
    return value;
  };
}

describe("parts of one piece of work at once", () => {
  it("runs the parts on two connections at once and returns their results in the order asked", async () => {
    const running = new Set<Connection>();
    const seen: Connection[] = [];
    const peak = { n: 0 };
    const results = await withConnection(db, (c) =>
      inLanes(c, [tracked("a", running, seen, peak), tracked(2, running, seen, peak), tracked(null, running, seen, peak), tracked({ d: 4 }, running, seen, peak)] as const),
    );
    expect(results).toEqual(["a", 2, null, { d: 4 }]);
    expect(peak.n).toBe(2);
    expect(new Set(seen).size).toBe(2);
  });

  it("shares the work's reads between its connections: a read two parts ask for runs once", async () => {
    await withConnection(db, (c) =>
      withSharedReads(c, async () => {
        const read = (on: Connection) => cachedRows<{ r: number }>(on, "SELECT random() AS r");
        const [first, second] = await inLanes(c, [read, read] as const);
        // random() run twice would differ: the second part was answered by the first's run.
        expect(second[0].r).toBe(first[0].r);
      }),
    );
  });

  it("runs a part asked by several (firstRun) once", async () => {
    let runs = 0;
    const shared = firstRun(async (on: Connection) => (runs += 1, (await queryOne<{ s: number }>(on, "SELECT sum(n)::INTEGER AS s FROM lanes_probe"))!.s));
    const results = await withConnection(db, (c) => inLanes(c, [shared, async (on: Connection) => (await shared(on)) * 10, shared] as const));
    expect(results).toEqual([6, 60, 6]);
    expect(runs).toBe(1);
  });

  it("inside a transaction runs every part on its connection, seeing the transaction's own writes", async () => {
    const running = new Set<Connection>();
    const seen: Connection[] = [];
    const peak = { n: 0 };
    await withConnection(db, (c) =>
      inTransaction(c, async () => {
        await c.run("INSERT INTO lanes_probe VALUES (10)");
        const sums = await inLanes(c, [
          async (on: Connection) => (await tracked(0, running, seen, peak)(on), (await queryOne<{ s: number }>(on, "SELECT sum(n)::INTEGER AS s FROM lanes_probe"))!.s),
          async (on: Connection) => (await tracked(0, running, seen, peak)(on), (await queryOne<{ s: number }>(on, "SELECT sum(n)::INTEGER AS s FROM lanes_probe"))!.s),
        ] as const);
        expect(sums).toEqual([16, 16]);
        await c.run("DELETE FROM lanes_probe WHERE n = 10");
      }),
    );
    expect(peak.n).toBe(1);
    expect(new Set(seen)).toEqual(new Set(seen.slice(0, 1)));
  });

  it("after a failure starts no further part and throws it once the running parts have ended", async () => {
    const started: string[] = [];
    const ended: string[] = [];
    const slow = async (on: Connection) => {
      started.push("slow");
      await queryOne(on, "SELECT sum(n) FROM lanes_probe");
      await new Promise((resolve) => setTimeout(resolve, 30));
      // Its connection still open as it ends: a statement on it succeeds.
      await queryOne(on, "SELECT 1 AS one");
      ended.push("slow");
    };
    const failing = async () => {
      started.push("failing");
      throw new Error("a section failed");
    };
    const later = async () => {
      started.push("later");
    };
    await withConnection(db, async (c) => {
      await expect(inLanes(c, [slow, failing, later] as const)).rejects.toThrow("a section failed");
      // The connection the work was given is still usable.
      expect((await queryOne<{ s: number }>(c, "SELECT sum(n)::INTEGER AS s FROM lanes_probe"))!.s).toBe(6);
    });
    expect(started).toEqual(["slow", "failing"]);
    expect(ended).toEqual(["slow"]);
  });
});
