/**
 * The Audit page's first pages of the whole trail answered from its newest rows kept in memory
 * (analytics/audit.ts queryAudit, KeptHead; the web server, with the result cache on): the
 * audit writer's rows added once committed, exactly as DuckDB then reads them; a row written any
 * other way, a commit, or a page beyond those kept read from DuckDB; a rolled-back row never
 * shown. Real DuckDB file; ids and counts worked out by hand.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DuckDBConnection, DuckDBPreparedStatement } from "@duckdb/node-api";
import { enableResultCache, fileKey, inTransaction, queryRows, withConnection } from "../analytics/db.ts";
import { auditQueue, auditWriter, keptAuditPage, queryAudit, recordAudit, recordAudits, recordDurably, type AuditInput } from "../analytics/audit.ts";
import { auditJournalApplied, auditJournalSettled } from "../analytics/audit-journal.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("audit-kept-head");
beforeAll(() => enableResultCache());
afterAll(() => {
  enableResultCache(false);
  removeDb(db);
});

const view = (n: number, role = "slt"): AuditInput => ({ actor: { email: `r${n}@school.test`, name: `Reader ${n}` }, role, action: "pupil_view", target: `A${String(n).padStart(12, "0")}`, detail: `view ${n}`, ip: "127.0.0.1" });
const page = (number = 1, pageSize = 50) => withConnection(db, (c) => queryAudit(c, {}, { page: number, pageSize }, { roles: true }));
/** Every row as DuckDB has it, newest first: what a page read from DuckDB would show. */
const stored = () => withConnection(db, (c) => queryRows<{ id: number }>(c, "SELECT id::INTEGER AS id FROM audit_log ORDER BY id DESC"));
/** A row put into the file without this module (as no code of Rollcall does): shows whether a page came from DuckDB. */
const besideTheModule = (target: string) =>
  withConnection(db, (c) => c.run("INSERT INTO audit_log (occurred_at, actor, role, action, target) VALUES (TIMESTAMP '2026-11-30 09:00:00', 'x@school.test', 'governor', 'export', $target)", { target }));
/** A commit that changes nothing: what every import, amendment or setting's commit does to what is kept. */
const commit = () => withConnection(db, (c) => inTransaction(c, async () => {}));

describe("the whole trail's newest rows kept", () => {
  it("answers from them, adds the audit writer's rows as committed, and reads DuckDB again after a commit", async () => {
    await withConnection(db, (c) => recordAudits(c, [view(1), view(2, "head"), view(3)]));
    const first = await page();
    expect(first.rows.map((r) => r.id)).toEqual([3, 2, 1]);
    expect([first.total, first.pages]).toEqual([3, 1]);
    expect(first.roles).toEqual(["head", "slt"]);

    // Id 4, written beside the module: the next page comes from the kept rows, without it.
    await besideTheModule("beside 4");
    expect((await page()).rows.map((r) => r.id)).toEqual([3, 2, 1]);

    // The writer's batch of two (ids 5 and 6) is added, in order, with its role.
    const write = auditWriter(db);
    await write([view(5, "admin"), view(6)]);
    const added = await page();
    expect(added.rows.map((r) => r.id)).toEqual([6, 5, 3, 2, 1]);
    expect([added.total, added.pages]).toEqual([5, 1]);
    expect(added.roles).toEqual(["admin", "head", "slt"]);
    // Pages of 2: 6 5 | 3 2 | 1; a page past the last is the last.
    expect((await page(2, 2)).rows.map((r) => r.id)).toEqual([3, 2]);
    expect(await page(9, 2)).toMatchObject({ page: 3, pages: 3, total: 5, rows: [{ id: 1 }] });

    // The Audit page's loader asks first without a connection: the same page, from the kept
    // rows; nothing for a filter, a page beyond them, or once a commit has come.
    expect(keptAuditPage(db, {}, { page: 1 }, { roles: true })).toEqual(added);
    expect(keptAuditPage(db, {}, { page: 2, pageSize: 2 })).toMatchObject({ page: 2, total: 5, rows: [{ id: 3 }, { id: 2 }] });
    expect(keptAuditPage(db, { role: "slt" }, { page: 1 })).toBeNull();
    expect(keptAuditPage(db, {}, { page: 5, pageSize: 50 })).toMatchObject({ page: 1 });

    // A commit: read from DuckDB again, id 4 there too; the writer's rows as DuckDB reads them
    // are the rows the kept ones were.
    await commit();
    expect(keptAuditPage(db, {}, { page: 1 })).toBeNull();
    const read = await page();
    expect(read.rows.map((r) => r.id)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(read.total).toBe(6);
    expect(read.roles).toEqual(["admin", "governor", "head", "slt"]);
    expect(read.rows.slice(0, 2)).toEqual(added.rows.slice(0, 2));
    expect(read.rows[1]).toMatchObject({ actor: "r5@school.test", actor_name: "Reader 5", role: "admin", action: "pupil_view", target: "A000000000005", detail: "view 5", ip: "127.0.0.1" });
    expect(read.rows[1].at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("reads DuckDB again after a row written any other way, and never shows a rolled-back row", async () => {
    expect((await page()).total).toBe(6);
    await besideTheModule("beside 7");
    await withConnection(db, (c) => recordAudit(c, view(8)));
    // recordAudit's row (8) made the next page read DuckDB: id 7 is there too.
    expect((await page()).rows.map((r) => r.id).slice(0, 3)).toEqual([8, 7, 6]);

    // Written in a transaction that is rolled back (id 9 taken, never committed).
    await expect(
      withConnection(db, (c) =>
        inTransaction(c, async () => {
          await recordAudit(c, view(9));
          throw new Error("the import failed");
        }),
      ),
    ).rejects.toThrow("the import failed");
    const after = await page();
    expect(after.rows.map((r) => r.id).slice(0, 2)).toEqual([8, 7]);
    expect(after.total).toBe(8);
    await auditWriter(db)([view(10)]);
    expect((await page()).rows.map((r) => r.id).slice(0, 3)).toEqual([10, 8, 7]);
  });

  it("reads pages beyond the 200 newest rows from DuckDB", async () => {
    // 9 rows so far (ids 1–8 and 10); 221 more from the writer: ids 11–231, 230 rows in all.
    const write = auditWriter(db);
    for (let n = 11; n <= 231; n += 17) await write(Array.from({ length: Math.min(17, 232 - n) }, (_, k) => view(n + k)));
    const ids = (await stored()).map((r) => r.id);
    expect(ids).toHaveLength(230);
    const fourth = await page(4);
    expect(keptAuditPage(db, {}, { page: 4 })).toEqual({ ...fourth, roles: undefined });
    expect(keptAuditPage(db, {}, { page: 5 })).toBeNull();
    expect(fourth.rows.map((r) => r.id)).toEqual(ids.slice(150, 200));
    // Page 5: the last 30 rows, past the kept 200: ids 31 down to 11, then 10, 8 … 1.
    const fifth = await page(5);
    expect([fifth.total, fifth.pages, fifth.rows.length]).toEqual([230, 5, 30]);
    expect(fifth.rows.map((r) => r.id)).toEqual([...Array.from({ length: 21 }, (_, k) => 31 - k), 10, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect((await page(99)).rows.map((r) => r.id)).toEqual(fifth.rows.map((r) => r.id));
  });

  it("holds every batch once when batches are committed while the newest rows are read", async () => {
    await commit();
    // As the web server writes views: one batch at a time (auditQueue), the rows that come
    // meanwhile in the next.
    const views = auditQueue(auditWriter(db));
    for (let round = 0; round < 12; round++) {
      await Promise.all([page(), views.record(view(1000 + round)), page(), views.record(view(2000 + round)), page(), views.record(view(3000 + round))]);
      const shown = await page();
      const ids = (await stored()).map((r) => r.id);
      expect(shown.total).toBe(ids.length);
      expect(shown.rows.map((r) => r.id)).toEqual(ids.slice(0, 50));
    }
    expect((await page()).total).toBe(230 + 12 * 3);

    // A read that ran while batches were committed is kept, brought up to them: the next page
    // comes from it (a row written beside the module meanwhile is not on it), with every batch.
    await commit();
    await Promise.all([page(), views.record(view(7000)), views.record(view(7001)), page(), views.record(view(7002))]);
    await besideTheModule("beside 7003");
    const kept = await page();
    expect(kept.rows.slice(0, 3).map((r) => r.target)).toEqual(["A000000007002", "A000000007001", "A000000007000"]);
    expect(kept.total).toBe(230 + 12 * 3 + 3);
  });

  it("shows a view still in the audit journal at once, on top of the kept rows, before DuckDB has it", async () => {
    await commit();
    const before = await page();
    // The writer busy with a large batch: the view waits in the journal behind it.
    const busy = auditWriter(db)(Array.from({ length: 20_000 }, (_, n) => ({ ...view(50_000 + n), action: "export" as const })));
    await recordDurably(db, view(9000, "admin"));
    expect(auditJournalSettled(fileKey(db))).toBe(false);
    const shown = keptAuditPage(db, {}, { page: 1 }, { roles: true });
    expect(shown?.total).toBe(before.total + 1);
    expect(shown?.rows[0]).toMatchObject({ actor: "r9000@school.test", actor_name: "Reader 9000", role: "admin", action: "pupil_view", target: "A000000009000", detail: "view 9000" });
    expect(shown?.rows.slice(1)).toEqual(before.rows.slice(0, 49));
    expect(shown?.roles).toContain("admin");
    await busy;
    const after = await page();
    expect(after.total).toBe(before.total + 20_001);
    expect(after.rows[0]).toMatchObject({ target: "A000000009000", at: shown?.rows[0].at });
  });

  it("reads the newest rows again after a commit without waiting for the journal: a view still in it is shown on top", async () => {
    await commit();
    const before = await page();
    await commit();
    expect(keptAuditPage(db, {}, { page: 1 })).toBeNull();
    // The audit writer held at its INSERT (inside its batch's transaction) until `open`: the
    // view stays in the journal, not written into DuckDB.
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    const insert = DuckDBPreparedStatement.prototype.runAndReadAll;
    const held = vi.spyOn(DuckDBPreparedStatement.prototype, "runAndReadAll").mockImplementation(async function (this: DuckDBPreparedStatement) {
      await gate;
      return insert.call(this);
    });
    try {
      await recordDurably(db, view(9100, "head"));
      // The first page with nothing kept: the newest rows read from DuckDB now and the journal's
      // view on top. Waiting for the journal (as it had) would wait for the writer, held.
      const shown = await Promise.race([page(), new Promise<"waited">((resolve) => setTimeout(() => resolve("waited"), 3000))]);
      if (shown === "waited") throw new Error("the page waited for the journal to be written into DuckDB");
      expect(auditJournalSettled(fileKey(db))).toBe(false);
      expect(shown.total).toBe(before.total + 1);
      expect(shown.rows[0]).toMatchObject({ actor: "r9100@school.test", role: "head", action: "pupil_view", target: "A000000009100" });
      expect(shown.rows.slice(1)).toEqual(before.rows.slice(0, 49));
      // Kept: asked again, answered from memory, the same.
      expect(keptAuditPage(db, {}, { page: 1 }, { roles: true })).toEqual(shown);
      // A filtered page still waits for the journal, then reads DuckDB: the view there, as shown.
      const filtered = withConnection(db, (c) => queryAudit(c, { action: "pupil_view" }, { page: 1 }));
      open();
      expect((await filtered).rows[0]).toMatchObject({ target: "A000000009100", at: shown.rows[0].at });
      const after = await page();
      expect(after.total).toBe(before.total + 1);
      expect(after.rows.slice(1)).toEqual(shown.rows.slice(1));
      // Written in: the same row, with the id DuckDB gave it.
      expect(after.rows[0]).toEqual({ ...shown.rows[0], id: (await stored())[0].id });
    } finally {
      open();
      held.mockRestore();
    }
  });

  it("counts a view once when the newest rows are read after DuckDB committed its batch but before the writer took it from the journal", async () => {
    await commit();
    const before = await page();
    await commit();
    // The audit writer held just after its batch's COMMIT returned from DuckDB, before its next
    // step (taking the rows from the journal, noting them for the kept rows): in DuckDB the view
    // is committed, seen by any read from now on, and still in the journal. Under load the
    // writer's thread had been held there by the scheduler while a read ran (a CI run's page
    // counted view 9000 twice).
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    let reached = () => {};
    const committed = new Promise<void>((resolve) => (reached = resolve));
    const run = DuckDBConnection.prototype.run;
    const held = vi.spyOn(DuckDBConnection.prototype, "run").mockImplementation(async function (this: DuckDBConnection, ...args: Parameters<DuckDBConnection["run"]>) {
      const result = await run.apply(this, args);
      if (args[0] === "COMMIT") {
        reached();
        await gate;
      }
      return result;
    });
    try {
      await recordDurably(db, view(9200, "governor"));
      const applied = auditJournalApplied(fileKey(db));
      await committed;
      expect(auditJournalSettled(fileKey(db))).toBe(false);
      const shown = await page();
      expect(shown.total).toBe(before.total + 1);
      expect(shown.rows.filter((r) => r.target === "A000000009200")).toHaveLength(1);
      expect(shown.rows.slice(1)).toEqual(before.rows.slice(0, 49));
      // Kept, and asked again while the writer is still held: the same, the view once.
      expect(keptAuditPage(db, {}, { page: 1 }, { roles: true })).toEqual(shown);
      open();
      await applied;
      const after = await page();
      expect(after.total).toBe(before.total + 1);
      expect(after.rows[0]).toMatchObject({ target: "A000000009200", id: (await stored())[0].id });
      expect(after.rows.slice(1)).toEqual(before.rows.slice(0, 49));
    } finally {
      open();
      held.mockRestore();
    }
  });

  it("holds every view the web server records through the audit journal, read at once, as DuckDB then has it", async () => {
    await commit();
    const before = (await page()).total;
    for (let round = 0; round < 6; round++) {
      // Recorded (on disk in the journal) and read at once, while the journal's batches are
      // being written in: every read shows them (from the journal, or once written in, from the
      // kept rows, which take each batch once).
      await Promise.all([recordDurably(db, view(8000 + round)), page(), recordDurably(db, view(8100 + round)), page()]);
      const shown = await page();
      expect(shown.total).toBe(before + 2 * (round + 1));
      expect(shown.rows.slice(0, 2).map((r) => r.target).sort()).toEqual([`A00000000${8000 + round}`, `A00000000${8100 + round}`]);
      expect(keptAuditPage(db, {}, { page: 1 })).toEqual({ ...shown, roles: undefined });
    }
    // Once written in, the kept rows are DuckDB's, ids and all (a row still in the journal is
    // shown with an id of its own, after the newest kept).
    await auditJournalApplied(fileKey(db));
    const ids = (await stored()).map((r) => r.id);
    const shown = await page();
    expect(shown.rows.map((r) => r.id)).toEqual(ids.slice(0, 50));
    // The kept rows are the rows as DuckDB reads them after a commit.
    await commit();
    expect((await page()).rows).toEqual(shown.rows);
  });
});
