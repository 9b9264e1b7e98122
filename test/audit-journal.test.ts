/**
 * The audit journal (analytics/audit-journal.ts, analytics/audit.ts recordDurably): a row the
 * web server records is written to `<database>.audit-journal` and fdatasync'd before it counts
 * as recorded, then written into DuckDB in the background. What must hold, on real files and a
 * real DuckDB: a reader of the trail sees a recorded row at once; after a crash, rows in the
 * journal that DuckDB lacks are written in exactly once when the file is next opened (the CLI
 * alone included), and rows it has are never written twice; a journal that cannot be written
 * refuses the row; the audit writer writes one batch at a time.
 */
import fs from "node:fs";
import { afterAll, describe, expect, it, vi } from "vitest";
import { closeInstance, fileKey, queryRows, withConnection } from "../analytics/db.ts";
import { auditCsv, auditWriteCount, auditWriter, queryAudit, recordDurably, type AuditInput } from "../analytics/audit.ts";
import { auditJournalApplied, auditJournalSettled, journalPath, openedAuditJournal } from "../analytics/audit-journal.ts";
import { cliOn, initSchool } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const made: string[] = [];
afterAll(async () => {
  for (const db of made) await removeDb(db);
});

/** A fresh school's database file (rollcall init), closed. */
async function school(label: string): Promise<string> {
  const db = tempDbPath(label);
  made.push(db);
  await initSchool(db);
  return db;
}

const view = (n: number): AuditInput => ({ actor: { email: `r${n}@school.test`, name: `Reader ${n}` }, role: "head", action: "pupil_view", target: `A${String(n).padStart(12, "0")}`, detail: `view ${n}`, ip: "127.0.0.1" });

/** The pupil views in the file, by target, oldest first, read straight from DuckDB. */
const viewsIn = (db: string) => withConnection(db, (c) => queryRows<{ target: string; actor: string; actor_name: string; role: string; ip: string }>(c, "SELECT target, actor, actor_name, role, ip FROM audit_log WHERE action = 'pupil_view' ORDER BY id"));

describe("the audit journal", () => {
  it("holds a recorded view on disk before DuckDB has it; the Audit page and its CSV show it at once; emptied once written in", async () => {
    const db = await school("journal-read");
    const journal = journalPath(fileKey(db));
    // The writer busy with a large batch: the view's row waits its turn behind it.
    const busy = auditWriter(db)(Array.from({ length: 20_000 }, (_, n) => ({ ...view(100_000 + n), action: "export" as const })));
    const before = auditWriteCount();
    await recordDurably(db, view(1));
    // Recorded: on disk in the journal, counted (the Audit page's version), not yet in DuckDB.
    const lines = fs.readFileSync(journal, "utf8").trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]).row.slice(1)).toEqual(["r1@school.test", "Reader 1", "head", "pupil_view", "A000000000001", "view 1", "127.0.0.1"]);
    expect(auditWriteCount() - before).toBe(1);
    expect(auditJournalSettled(fileKey(db))).toBe(false);
    // Read at once: the page and its CSV wait for the journal to be written in.
    const page = await withConnection(db, (c) => queryAudit(c, { action: "pupil_view" }));
    expect(page.total).toBe(1);
    expect(page.rows[0]).toMatchObject({ actor: "r1@school.test", target: "A000000000001", detail: "view 1" });
    expect(auditCsv(page)).toContain("r1@school.test");
    await busy;
    expect(auditJournalSettled(fileKey(db))).toBe(true);
    expect(fs.statSync(journal).size).toBe(0);
    expect((await viewsIn(db)).map((r) => r.target)).toEqual(["A000000000001"]);
  }, 60_000);

  it("after a crash writes in the rows DuckDB lacks exactly once at the next opening, the CLI's alone too, and never a row it has", async () => {
    const db = await school("journal-crash");
    const journal = journalPath(fileKey(db));
    // The file as it stood before three views (closed: all in the file, no log beside it).
    const beforeViews = fs.readFileSync(db);
    expect(fs.existsSync(`${db}.wal`)).toBe(false);
    // Open (the views then go in the order asked), the writer busy with a large batch: the
    // views wait in the journal behind it.
    await withConnection(db, async () => {});
    const busy = auditWriter(db)(Array.from({ length: 20_000 }, (_, n) => ({ ...view(100_000 + n), action: "export" as const })));
    await Promise.all([1, 2, 3].map((n) => recordDurably(db, view(n))));
    // The journal as it stood once the three views were recorded, before any was written in.
    const leftover = fs.readFileSync(journal);
    expect(leftover.toString().trim().split("\n")).toHaveLength(3);
    await busy;
    await closeInstance(db);
    expect((await viewsIn(db)).map((r) => r.target)).toEqual(["A000000000001", "A000000000002", "A000000000003"]);
    await closeInstance(db);

    // Killed before the commit: the file without the views, the journal with them.
    fs.writeFileSync(db, beforeViews);
    fs.writeFileSync(journal, leftover);
    // The CLI alone (no server) opens the file: the views are written in, once.
    const listed = await cliOn(db)("users", "list");
    expect(listed.code).toBe(0);
    expect(fs.statSync(journal).size).toBe(0);
    const replayed = await viewsIn(db);
    expect(replayed).toEqual([1, 2, 3].map((n) => ({ target: `A00000000000${n}`, actor: `r${n}@school.test`, actor_name: `Reader ${n}`, role: "head", ip: "127.0.0.1" })));
    await closeInstance(db);

    // Killed after the commit, before the journal was emptied (and mid-way through writing a
    // fourth line, never acknowledged): nothing is written twice, the torn line is skipped.
    fs.writeFileSync(journal, Buffer.concat([leftover, Buffer.from('{"seq":4,"row":["2026-')]));
    expect(await viewsIn(db)).toEqual(replayed);
    expect(fs.statSync(journal).size).toBe(0);

    // Recording goes on after the replayed rows, numbered after them.
    await recordDurably(db, view(4));
    await closeInstance(db);
    expect((await viewsIn(db)).map((r) => r.target)).toEqual(["A000000000001", "A000000000002", "A000000000003", "A000000000004"]);
    await closeInstance(db);
  }, 60_000);

  it("refuses a row when the journal cannot be written, records nothing, and records again once it can; a journal that cannot be read stops the file opening", async () => {
    const db = await school("journal-refused");
    const journal = journalPath(fileKey(db));
    await withConnection(db, async () => {});
    // A folder where the journal goes: nothing can be appended there.
    fs.mkdirSync(journal);
    const before = auditWriteCount();
    await expect(recordDurably(db, view(1))).rejects.toThrow(/the audit trail could not be written to disk \(.*audit-journal: EISDIR/);
    expect(auditWriteCount()).toBe(before);
    fs.rmdirSync(journal);
    await recordDurably(db, view(2));
    await closeInstance(db);
    expect((await viewsIn(db)).map((r) => r.target)).toEqual(["A000000000002"]);
    await closeInstance(db);

    fs.rmSync(journal);
    fs.mkdirSync(journal);
    await expect(withConnection(db, async () => {})).rejects.toThrow(/the audit journal .*audit-journal could not be read .*EISDIR/);
    fs.rmdirSync(journal);
    expect((await viewsIn(db)).map((r) => r.target)).toEqual(["A000000000002"]);
  }, 60_000);

  it("rewrites a journal past 4 MiB with only its rows not yet written in, and empties it once all are", async () => {
    const db = await school("journal-rewrite");
    const journal = journalPath(fileKey(db));
    await withConnection(db, async () => {});
    // 2,100 views of 2,000-character details asked for at once (4.5 MB of journal, in two
    // syncs: the first view, then the rest), while the writer is busy with a large batch.
    const long = (n: number): AuditInput => ({ ...view(n), detail: `${n} `.padEnd(2000, "x") });
    const busy = auditWriter(db)(Array.from({ length: 20_000 }, (_, n) => ({ ...view(100_000 + n), action: "export" as const })));
    await Promise.all(Array.from({ length: 2100 }, (_, k) => recordDurably(db, long(k + 1))));
    const full = fs.readFileSync(journal, "utf8");
    expect(full.length).toBeGreaterThan(4 * 1024 * 1024);
    // What the journal may hold once a batch is in: the lines of the rows after it.
    const lines = full.split("\n");
    const rewritten = new Set(Array.from({ length: lines.length - 2 }, (_, k) => Buffer.byteLength(lines.slice(k + 1).join("\n"))));
    const sizes = new Set<number>();
    let watching = true;
    const watch = () => {
      sizes.add(fs.statSync(journal).size);
      if (watching) setImmediate(watch);
    };
    watch();
    const page = await withConnection(db, (c) => queryAudit(c, { action: "pupil_view" })).finally(() => (watching = false));
    await busy;
    expect(page.total).toBe(2100);
    // Seen: the journal rewritten with only the rows not yet in (smaller, not empty).
    expect([...sizes].filter((size) => rewritten.has(size)).length).toBeGreaterThan(0);
    expect(fs.statSync(journal).size).toBe(0);
    expect(fs.existsSync(`${journal}.rewrite`)).toBe(false);
    const targets = (await viewsIn(db)).map((r) => r.target);
    expect(new Set(targets).size).toBe(2100);
  }, 120_000);

  it("writes the views recorded one after another into DuckDB in one batch once none has been recorded for 20 ms (or the oldest waited 1 s), and at once for a reader", async () => {
    const db = await school("journal-quiet");
    const key = fileKey(db);
    await withConnection(db, async () => {});
    // The clock and timers stopped, so what is written in when is decided by this test alone
    // (the journal's fdatasyncs and DuckDB still run for real).
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      const journal = await openedAuditJournal(key)!;
      // Views recorded one after another: each on disk once recorded, none written in meanwhile
      // (each sync had started a batch of its own beside the next view's sync).
      for (let n = 1; n <= 5; n++) {
        await recordDurably(db, view(n));
        expect(journal.applying).toBe(false);
        expect(journal.pending).toHaveLength(n);
      }
      expect(fs.readFileSync(journalPath(key), "utf8").trim().split("\n")).toHaveLength(5);
      vi.advanceTimersByTime(19);
      expect(journal.applying).toBe(false);
      // 20 ms without a view: the five go in, in one batch.
      vi.advanceTimersByTime(1);
      expect(journal.applying).toBe(true);
      expect(journal.pending).toHaveLength(5);
      await auditJournalApplied(key);
      expect(journal.pending).toHaveLength(0);
      expect(auditJournalSettled(key)).toBe(true);
      expect(fs.statSync(journalPath(key)).size).toBe(0);
      expect((await viewsIn(db)).map((r) => r.target)).toEqual([1, 2, 3, 4, 5].map((n) => `A00000000000${n}`));

      // A reader of the trail does not wait for the quiet.
      await recordDurably(db, view(6));
      expect(journal.applying).toBe(false);
      const page = await withConnection(db, (c) => queryAudit(c, { action: "pupil_view" }));
      expect(page.rows[0]).toMatchObject({ target: "A000000000006" });
      expect(journal.pending).toHaveLength(0);

      // A view every 15 ms, never quiet for 20: written in once the oldest has waited 1 s.
      let waited = 0;
      while (!journal.applying) {
        await recordDurably(db, view(100 + waited / 15));
        vi.advanceTimersByTime(15);
        waited += 15;
      }
      expect(waited).toBeGreaterThanOrEqual(1000);
      expect(waited).toBeLessThan(1000 + 15);
      await auditJournalApplied(key);
      expect((await viewsIn(db)).length).toBe(6 + waited / 15);
    } finally {
      vi.useRealTimers();
    }
    await closeInstance(db);
  }, 60_000);

  it("writes the audit writer's batches one at a time, in the order asked, when asked for at once", async () => {
    const db = await school("journal-writer");
    const write = auditWriter(db);
    await Promise.all([1, 2, 3, 4].map((n) => write([view(n), view(10 + n)])));
    expect((await viewsIn(db)).map((r) => r.target)).toEqual(["A000000000001", "A000000000011", "A000000000002", "A000000000012", "A000000000003", "A000000000013", "A000000000004", "A000000000014"]);
  }, 60_000);
});
