/**
 * Pupils' page views recorded in batches (analytics/audit.ts auditQueue, recordAudits): the
 * views sent at the same moment share one INSERT and one commit, each resolving once its row is
 * in the trail; a row that cannot be written is refused alone; a batch that fails fails its own
 * rows only. Real DuckDB file.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeInstance, keptConnection, queryRows, withConnection } from "../analytics/db.ts";
import { auditQueue, auditWriteCount, auditWriter, recordAudits, type AuditInput } from "../analytics/audit.ts";
import type { AuditAction } from "../analytics/audit-actions.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("audit-batches");
afterAll(() => removeDb(db));

const view = (n: number): AuditInput => ({ actor: { email: `r${n}@school.test`, name: `Reader ${n}` }, role: "slt", action: "pupil_view", target: `A${String(n).padStart(12, "0")}`, detail: "2026-09-01 to 2026-11-23", ip: "127.0.0.1" });

describe("audit rows in batches", () => {
  it("writes 20 views asked for at once in a few batches, every row there once its promise resolves, in the order asked", async () => {
    const statements: number[] = [];
    const queue = auditQueue((rows) => {
      statements.push(rows.length);
      return withConnection(db, (c) => recordAudits(c, rows));
    });
    const before = auditWriteCount();
    await Promise.all(Array.from({ length: 20 }, (_, n) => queue.record(view(n))));
    // The first is written alone at once; the 19 that came while it was written go together.
    expect(statements).toEqual([1, 19]);
    expect(queue.stats).toEqual({ batches: 2, rows: 20 });
    expect(auditWriteCount() - before).toBe(20);
    const rows = await withConnection(db, (c) => queryRows<{ actor: string; actor_name: string; role: string; action: string; target: string; ip: string }>(c, "SELECT actor, actor_name, role, action, target, ip FROM audit_log ORDER BY id"));
    expect(rows).toHaveLength(20);
    expect(rows.map((r) => r.actor)).toEqual(Array.from({ length: 20 }, (_, n) => `r${n}@school.test`));
    expect(rows[7]).toEqual({ actor: "r7@school.test", actor_name: "Reader 7", role: "slt", action: "pupil_view", target: "A000000000007", ip: "127.0.0.1" });
  });

  it("refuses a row that cannot be written alone, and fails only the batch whose write failed", async () => {
    let fail = false;
    const queue = auditQueue(async (rows) => {
      if (fail) throw new Error("disk full");
      await withConnection(db, (c) => recordAudits(c, rows));
    });
    const bad = queue.record({ ...view(99), action: "nonsense" as AuditAction });
    const good = queue.record(view(21));
    await expect(bad).rejects.toThrow(/not an audit action/);
    await expect(good).resolves.toBeUndefined();
    fail = true;
    await expect(queue.record(view(22))).rejects.toThrow("disk full");
    fail = false;
    await expect(queue.record(view(23))).resolves.toBeUndefined();
    const targets = await withConnection(db, (c) => queryRows<{ target: string }>(c, "SELECT target FROM audit_log WHERE target IN ('A000000000099', 'A000000000021', 'A000000000022', 'A000000000023') ORDER BY id"));
    expect(targets.map((t) => t.target)).toEqual(["A000000000021", "A000000000023"]);
  });

  it("writes all rows of a call or none: one bad row stops the whole INSERT", async () => {
    const count = () => withConnection(db, async (c) => (await queryRows<{ n: number }>(c, "SELECT count(*)::INTEGER AS n FROM audit_log"))[0].n);
    const before = await count();
    await expect(withConnection(db, (c) => recordAudits(c, [view(30), { ...view(31), role: " " }]))).rejects.toThrow(/role/);
    expect(await count()).toBe(before);
  });

  it("auditWriter: batches on one kept connection, the INSERT prepared once, in order, a name-only actor's name column empty", async () => {
    const write = auditWriter(db);
    const before = auditWriteCount();
    await write([view(40), { ...view(41), actor: "rollcall-cli", role: "CLI", ip: null }]);
    const connection = await keptConnection(db, "audit");
    await write([view(42)]);
    await write(Array.from({ length: 30 }, (_, n) => view(43 + n)));
    // The same connection for every batch (not one each).
    expect(await keptConnection(db, "audit")).toBe(connection);
    expect(auditWriteCount() - before).toBe(33);
    const rows = await withConnection(db, (c) =>
      queryRows<{ actor: string; actor_name: string | null; role: string; ip: string | null; target: string }>(c, "SELECT actor, actor_name, role, ip, target FROM audit_log WHERE target >= 'A000000000040' AND target <= 'A000000000072' OR actor = 'rollcall-cli' ORDER BY id"),
    );
    expect(rows.map((r) => r.target)).toEqual(Array.from({ length: 33 }, (_, n) => `A${String(40 + n).padStart(12, "0")}`));
    expect(rows[1]).toEqual({ actor: "rollcall-cli", actor_name: null, role: "CLI", ip: null, target: "A000000000041" });
    expect(rows[0].actor_name).toBe("Reader 40");
  });

  it("auditWriter: a batch that fails on a broken connection drops it, the next gets a new one; closing the file closes it", async () => {
    const write = auditWriter(db);
    await write([view(80)]);
    const first = await keptConnection(db, "audit");
    first.closeSync(); // as if the connection had broken
    await expect(write([view(81)])).rejects.toThrow();
    await write([view(82)]);
    const second = await keptConnection(db, "audit");
    expect(second).not.toBe(first);
    // Closing the file (the server's stop, a CLI's exit) closes the kept connection too, so the
    // file is free for another process; the next write opens afresh.
    await closeInstance(db);
    await expect(second.run("SELECT 1")).rejects.toThrow();
    await write([view(83)]);
    const targets = await withConnection(db, (c) => queryRows<{ target: string }>(c, "SELECT target FROM audit_log WHERE target IN ('A000000000080', 'A000000000081', 'A000000000082', 'A000000000083') ORDER BY id"));
    expect(targets.map((t) => t.target)).toEqual(["A000000000080", "A000000000082", "A000000000083"]);
  });
});
