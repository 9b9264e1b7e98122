/**
 * The audit journal: rows of the audit trail (issue 9) written to disk before DuckDB has them.
 *
 * A view of pupil data recorded by the web server (app/lib/audit.server.ts: the pages that name
 * pupils, a pupil's page, a pack on screen, a download) must be on the audit trail before the
 * page goes out. Waiting for a DuckDB commit had been the whole server time of those pages when
 * they were answered from the page cache (demo school /pupils: median 6.8 ms, p95 13.6 ms, where
 * a page that names nobody took 0.3 ms), and under 50 readers a median 115 ms in the audit
 * writer's queue. Instead each row is appended to `<database>.audit-journal` beside the file
 * (one JSON line: `{"seq":N,"row":[occurred_at, actor, actor_name, role, action, target,
 * detail, ip]}`), fdatasync'd — median 0.22 ms, p95 0.39 ms on this machine — and only then is
 * the view counted as recorded (a group of rows asked for at once shares one sync): written
 * to disk before the page is sent, at least what a
 * DuckDB commit (which syncs its log the same way) gave. Batches of journal rows are then
 * written into `audit_log` in the background by the audit writer (analytics/audit.ts
 * auditWriter, one batch at a time), once no view has been recorded for APPLY_QUIET_MS (at
 * most APPLY_MAX_WAIT_MS after a row was): a batch written beside a view's fdatasync had
 * doubled it.
 *
 * Exactly once: a batch's rows and the journal position they reach (`audit_journal_applied`,
 * one row: the last sequence number applied) commit in one transaction, the position moved only
 * from the one the writer expects. A crash before that commit leaves the rows in the journal,
 * written in when the file is next opened (openAuditJournal, run by analytics/db.ts whenever a
 * process opens the file: the server's start, every CLI command, before anything reads the
 * trail); a crash after it but before the journal is trimmed leaves rows at or below the
 * position, which are skipped. The journal is emptied (synchronously, so no append can come
 * between the check and the truncation: Node runs one thing at a time; never while a group's
 * sync is under way) once everything in it is applied, and rewritten with only the rows not yet applied when it grows past
 * JOURNAL_REWRITE_BYTES under a load that never lets it empty.
 *
 * Readers of the trail see every recorded row at once: queryAudit and auditRoles
 * (analytics/audit.ts: the Audit page filtered or past its first pages, its CSV) wait for the
 * journal to be applied first (auditJournalApplied); the Audit page's first pages, from the
 * trail's newest rows kept in memory (keptAuditPage; queryAudit's headPage reads and keeps them
 * when none are, without waiting for the journal), show the rows still in the journal on top
 * (auditJournalPending), moved from one to the other in one step as each batch commits; the
 * journal's position read in the same statement as the newest rows tells which of its rows a
 * read already holds (DuckDB shows a batch to other reads a moment before its commit returns to
 * the writer). A journal that cannot be written (disk full, no permission, a folder in its
 * place) throws: the row is not recorded and the page is not sent.
 *
 * One journal per database file per process (every copy of this module: the web server's bundle
 * and a CLI command relayed to it through tsx share it on globalThis); the process that holds
 * DuckDB's lock on the file is the only one that writes it. ":memory:" has none.
 */
import fs from "node:fs";
import path from "node:path";
import { LIST, VARCHAR, listValue, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";
import { AUDIT_DDL } from "./audit-schema.ts";

/**
 * One audit row's values as audit_log takes them, in AUDIT_INSERT's order: occurred_at (UTC,
 * `2026-11-30 14:05:03.123`), actor, actor_name, role, action, target, detail, ip.
 */
export type AuditValues = Array<string | null>;

/**
 * The one INSERT of audit rows, whatever their number: each column's values bound as one list
 * (in the order of AUDIT_COLUMN_TYPES), unnested side by side in the order given, so the rows get
 * their ids in that order. One text for any number of rows, so a connection may keep it prepared
 * (auditWriter); a VALUES list of 8 parameters a row had made a new statement for each batch size.
 */
export const AUDIT_INSERT = `INSERT INTO audit_log (occurred_at, actor, actor_name, role, action, target, detail, ip)
  SELECT unnest($1::TIMESTAMP[]), unnest($2::VARCHAR[]), unnest($3::VARCHAR[]), unnest($4::VARCHAR[]),
         unnest($5::VARCHAR[]), unnest($6::VARCHAR[]), unnest($7::VARCHAR[]), unnest($8::VARCHAR[])`;
/** The lists' types as bound (a list of nulls alone has no type of its own). */
export const AUDIT_COLUMN_TYPES = Array.from({ length: 8 }, () => LIST(VARCHAR));

/** Rows' values as AUDIT_INSERT binds them: one list per column. */
export function auditLists(rows: readonly AuditValues[]): DuckDBValue[] {
  return AUDIT_COLUMN_TYPES.map((_, column) => listValue(rows.map((row) => row[column])));
}

/** The table of the journal's position in the file (made beside the schema: schema.ts does not list it). */
export const AUDIT_APPLIED_TABLE = "audit_journal_applied";

/** The journal position applied to the file: one row, moved on in the transaction of the rows it covers. */
const APPLIED_DDL = [
  `CREATE TABLE IF NOT EXISTS ${AUDIT_APPLIED_TABLE} (applied BIGINT NOT NULL)`,
  `INSERT INTO ${AUDIT_APPLIED_TABLE} SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM ${AUDIT_APPLIED_TABLE})`,
];
/** Moves the position from `$from` to `$to`; no row when it was not at `$from` (another writer applied them). */
const MOVE_APPLIED = "UPDATE audit_journal_applied SET applied = $to WHERE applied = $from RETURNING applied";

/** `<database>.audit-journal`, beside the file (`file`: its resolved path). */
export function journalPath(file: string): string {
  return `${file}.audit-journal`;
}

/** Past this size, a journal that never empties (a constant load) is rewritten with only its rows not yet applied. */
const JOURNAL_REWRITE_BYTES = 4 * 1024 * 1024;
/** The journal's rows written in by replay in batches of at most this many (each its own transaction). */
const REPLAY_BATCH = 5000;
/** After a failed batch, the writer tries again this much later (ms): the rows are safe in the journal meanwhile. */
const RETRY_MS = 1000;
/**
 * The journal's rows are written into DuckDB once no group has been synced for this long (ms)
 * and none is being synced (applySoon): a batch's transaction, its commit's sync of DuckDB's
 * log and the journal's truncation after it had run beside nearly every recorded view's
 * fdatasync when each sync started a batch, and a view's fdatasync took a median 1.5–3.4 ms
 * while a batch was being written against 0.6–1.7 ms while none was (demo school, kept pages of
 * the Pupils list, Register checks and Casework, 20 requests each, load 5–12).
 */
const APPLY_QUIET_MS = 20;
/** …or once the oldest row not yet written in has waited this long (ms), under a load that is never quiet. */
const APPLY_MAX_WAIT_MS = 1000;

/**
 * Where a batch of journal rows goes: the position moves from `from` to `upTo`; `committed` is
 * called at once when the batch's commit returns, before anything else runs (so the journal's
 * rows not yet applied and the rows the trail's readers hold never leave a gap). They may
 * overlap: DuckDB shows the batch to a read that begins after its commit and before that commit
 * returns to the writer (a thread held by the scheduler under load, a CI run), so a reader takes
 * from the journal only the rows past the position it read with the trail's rows
 * (auditJournalPending's `after`; analytics/audit.ts KeptHead.journal).
 */
export interface JournalPosition {
  from: number;
  upTo: number;
  committed?: () => void;
}
/** Writes one batch of journal rows into the file: resolves once committed with the position `upTo` (auditWriter's journaled form). */
export type JournalWrite = (rows: readonly AuditValues[], position: JournalPosition) => Promise<"applied" | "stale">;

interface Journal {
  /** The database file's resolved path. */
  file: string;
  path: string;
  /** Open for appending (O_APPEND) from the first append; null before it, and after a failed one. */
  fd: number | null;
  /** Bytes in the journal file (this process is its only writer). */
  size: number;
  /** The last sequence number written to the journal. */
  appended: number;
  /** The last sequence number committed to DuckDB. */
  applied: number;
  /** Rows written to the journal, not yet to DuckDB, in order of `seq`; `at`: when their group was synced (Date.now()). */
  pending: Array<{ seq: number; values: AuditValues; at: number }>;
  /** When the last group was synced (Date.now()). */
  lastSyncedAt: number;
  /** The pending rows' writing into DuckDB, waiting for a quiet moment (applySoon); null when none is set. */
  applyTimer: ReturnType<typeof setTimeout> | null;
  /** Readers waiting for the journal to be applied up to `upTo`. */
  waiting: Array<{ upTo: number; resolve: () => void; reject: (error: unknown) => void }>;
  /** Writes a batch into DuckDB (from the first copy of analytics/audit.ts that recorded a row). */
  write: JournalWrite | null;
  applying: boolean;
  /** Rows asked to be appended while a sync was under way: the next group (appendToJournal). */
  queued: Array<{ rows: readonly AuditValues[]; resolve: () => void; reject: (error: unknown) => void }>;
  /** A group's write and fdatasync under way: the journal is neither trimmed nor closed meanwhile. */
  flushing: boolean;
  retry: ReturnType<typeof setTimeout> | null;
  /** Set by closeAuditJournal: a later row goes to a journal opened afresh. */
  closed: boolean;
}

const AUDIT_JOURNALS = Symbol.for("rollcall.analytics.audit.journals.v1");
const journals = ((globalThis as Record<symbol, unknown>)[AUDIT_JOURNALS] ??= new Map<string, Promise<Journal>>()) as Map<string, Promise<Journal>>;
/** Each opening's journal once it is open: what the synchronous reads (auditJournalSettled, auditJournalPending) read. */
const AUDIT_JOURNALS_OPEN = Symbol.for("rollcall.analytics.audit.journals.open.v1");
const openJournals = ((globalThis as Record<symbol, unknown>)[AUDIT_JOURNALS_OPEN] ??= new WeakMap<Promise<Journal>, Journal>()) as WeakMap<Promise<Journal>, Journal>;

/**
 * The file's journal, opened once per process: the rows a previous process left in it (a crash,
 * a kill) written into the file first, exactly once, and the journal emptied. Run on
 * `connection` (to `file`, its resolved path) by analytics/db.ts as it opens the file, before
 * anything reads it; later calls get the same journal. Throws when the journal cannot be read
 * (it may hold rows the trail lacks: the file is not opened without them) or the rows cannot be
 * written in.
 */
export function openAuditJournal(connection: DuckDBConnection, file: string): Promise<Journal> {
  let journal = journals.get(file);
  if (!journal) {
    const opening = replay(connection, file);
    journal = opening;
    journals.set(file, opening);
    opening.then(
      (opened) => openJournals.set(opening, opened),
      () => journals.get(file) === opening && journals.delete(file),
    );
  }
  return journal;
}

/** The file's journal if this process has it open (openAuditJournal), else undefined. */
export function openedAuditJournal(file: string): Promise<Journal> | undefined {
  return journals.get(file);
}

/** One line of the journal. */
function journalLine(seq: number, values: AuditValues): string {
  return `${JSON.stringify({ seq, row: values })}\n`;
}

/** The journal's rows, in order of `seq`, once each; a line that does not read (the last, torn by a crash mid-write, never acknowledged) is skipped. */
function readJournal(text: string): Array<{ seq: number; values: AuditValues }> {
  const bySeq = new Map<number, AuditValues>();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const parsed = JSON.parse(line) as { seq?: unknown; row?: unknown };
      if (Number.isSafeInteger(parsed.seq) && Array.isArray(parsed.row) && parsed.row.length === AUDIT_COLUMN_TYPES.length && parsed.row.every((v) => v === null || typeof v === "string")) {
        bySeq.set(parsed.seq as number, parsed.row as AuditValues);
      }
    } catch {
      // A torn line: written by a process that died before its fdatasync returned, so the row it
      // held was never reported recorded (its page was not sent).
    }
  }
  return [...bySeq].sort(([a], [b]) => a - b).map(([seq, values]) => ({ seq, values }));
}

/** Makes audit_log and the applied position where the file lacks them, and reads the position. */
async function appliedPosition(connection: DuckDBConnection): Promise<number> {
  const found = await connection.runAndReadAll("SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'audit_journal_applied'");
  if (Number(found.getRowObjects()[0].n) === 0) {
    await connection.run("BEGIN TRANSACTION");
    try {
      for (const statement of [...AUDIT_DDL, ...APPLIED_DDL]) await connection.run(statement);
      await connection.run("COMMIT");
    } catch (error) {
      await connection.run("ROLLBACK").catch(() => {});
      throw error;
    }
  }
  const read = await connection.runAndReadAll("SELECT max(applied)::BIGINT AS applied FROM audit_journal_applied");
  return Number(read.getRowObjects()[0].applied ?? 0);
}

/**
 * Writes `rows` into audit_log and moves the applied position from `from` to `upTo`, in one
 * transaction on `connection` (which must have none open): "stale" (nothing written) when the
 * position was not at `from`. `insert` runs the INSERT of the rows (a prepared one, giving ids);
 * returns what it gave.
 */
export async function applyJournalRows<T>(connection: DuckDBConnection, position: { from: number; upTo: number }, insert: () => Promise<T>): Promise<{ applied: true; inserted: T } | { applied: false }> {
  await connection.run("BEGIN TRANSACTION");
  try {
    const moved = await connection.runAndReadAll(MOVE_APPLIED, { from: position.from, to: position.upTo });
    if (moved.currentRowCount === 0) {
      await connection.run("ROLLBACK");
      return { applied: false };
    }
    const inserted = await insert();
    await connection.run("COMMIT");
    return { applied: true, inserted };
  } catch (error) {
    await connection.run("ROLLBACK").catch(() => {});
    throw error;
  }
}

async function replay(connection: DuckDBConnection, file: string): Promise<Journal> {
  const where = journalPath(file);
  let text = "";
  try {
    text = fs.readFileSync(where, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new Error(`the audit journal ${where} could not be read (${(error as Error).message}): it may hold audit rows the database lacks, so the database is not opened without them`);
    }
  }
  let applied = await appliedPosition(connection);
  const rows = readJournal(text).filter((row) => row.seq > applied);
  for (let start = 0; start < rows.length; start += REPLAY_BATCH) {
    const batch = rows.slice(start, start + REPLAY_BATCH);
    const upTo = batch[batch.length - 1].seq;
    const done = await applyJournalRows(connection, { from: applied, upTo }, () => connection.run(AUDIT_INSERT, auditLists(batch.map((row) => row.values)), AUDIT_COLUMN_TYPES));
    if (!done.applied) throw new Error(`the audit journal ${where} could not be written in: the database's position moved while it was (is the file open elsewhere?)`);
    applied = upTo;
  }
  if (text.length > 0) fs.truncateSync(where, 0);
  return { file, path: where, fd: null, size: 0, appended: applied, applied, pending: [], lastSyncedAt: 0, applyTimer: null, waiting: [], write: null, applying: false, queued: [], flushing: false, retry: null, closed: false };
}

/** fsyncs a folder, so a file just made in it (or renamed into it) is there after a crash. */
function syncFolder(folder: string): void {
  const fd = fs.openSync(folder, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes all of `buffer` to `fd` (a short write continues). */
function writeAll(fd: number, buffer: Buffer): void {
  for (let at = 0; at < buffer.length; ) at += fs.writeSync(fd, buffer, at, buffer.length - at);
}

/**
 * Appends rows to the journal and fdatasyncs it: resolves when they are on disk, and `write`
 * (auditWriter's journaled form) then writes them into DuckDB in the background once the
 * journal is quiet (applySoon), or at once for a reader (auditJournalApplied). Rows asked for
 * while a sync is under way go together in the next (one write, one fdatasync: group commit).
 * The write is synchronous (into the page cache, microseconds); the fdatasync runs on libuv's
 * threads: measured on this machine while others' work ran, an fdatasync took a median 0.2–0.3 ms
 * but 38–73 ms at its 99th centile and up to 306 ms, which done synchronously had held every
 * request on the server's one thread (under 50 readers, the event loop's p99 delay 33–64 ms
 * became 78–214). Rejects, having cut the journal back to what it held where it can, when the
 * journal cannot be written: the rows are then not recorded.
 */
export function appendToJournal(journal: Journal, rows: readonly AuditValues[], write: JournalWrite): Promise<void> {
  if (rows.length === 0) return Promise.resolve();
  journal.write ??= write;
  return new Promise<void>((resolve, reject) => {
    journal.queued.push({ rows, resolve, reject });
    if (!journal.flushing) flush(journal);
  });
}

/** Writes the queued rows to the journal and syncs them (appendToJournal); the next group when done. */
function flush(journal: Journal): void {
  const group = journal.queued.splice(0);
  if (group.length === 0) return;
  journal.flushing = true;
  const rows = group.flatMap((asked) => asked.rows);
  const first = journal.appended + 1;
  const buffer = Buffer.from(rows.map((values, k) => journalLine(first + k, values)).join(""));
  const fail = (error: unknown) => {
    forgetFd(journal, true);
    journal.flushing = false;
    const refused = new Error(`the audit trail could not be written to disk (${journal.path}: ${(error as Error).message})`);
    for (const asked of group) asked.reject(refused);
    flush(journal);
    applySoon(journal);
  };
  try {
    if (journal.closed) throw new Error("the journal was closed");
    if (journal.fd === null) {
      const made = !fs.existsSync(journal.path);
      journal.fd = fs.openSync(journal.path, "a", 0o600);
      journal.size = fs.fstatSync(journal.fd).size;
      if (made) syncFolder(path.dirname(journal.path));
    }
    writeAll(journal.fd, buffer);
  } catch (error) {
    fail(error);
    return;
  }
  fs.fdatasync(journal.fd, (error) => {
    if (error) {
      fail(error);
      return;
    }
    journal.size += buffer.length;
    journal.appended = first + rows.length - 1;
    const at = Date.now();
    journal.lastSyncedAt = at;
    rows.forEach((values, k) => journal.pending.push({ seq: first + k, values, at }));
    journal.flushing = false;
    for (const asked of group) asked.resolve();
    applySoon(journal);
    flush(journal);
  });
}

/** Closes the journal's descriptor; after a failed append, first cuts the file back to what it held (a part-written line). */
function forgetFd(journal: Journal, cutBack: boolean): void {
  if (journal.fd === null) return;
  try {
    if (cutBack) fs.ftruncateSync(journal.fd, journal.size);
  } catch {
    // A torn line left behind is skipped when the journal is read (readJournal).
  }
  try {
    fs.closeSync(journal.fd);
  } catch {
    // Already closed.
  }
  journal.fd = null;
}

/**
 * Writes the pending rows into DuckDB, a batch at a time (one writer: never two batches at
 * once): one batch, then more while a reader waits for them or they are due (applyDue); the
 * rest when they are (applySoon).
 */
function applyPending(journal: Journal, maxBatch = 500): void {
  if (journal.applying || journal.retry || journal.pending.length === 0 || !journal.write) return;
  journal.applying = true;
  const write = journal.write;
  void (async () => {
    try {
      for (let first = true; journal.pending.length > 0 && (first || journal.waiting.length > 0 || applyDue(journal)); first = false) {
        const batch = journal.pending.slice(0, maxBatch);
        const upTo = batch[batch.length - 1].seq;
        const committed = () => {
          journal.applied = upTo;
          journal.pending.splice(0, batch.length);
          settle(journal);
          trim(journal);
        };
        const done = await write(
          batch.map((row) => row.values),
          { from: journal.applied, upTo, committed },
        );
        if (done === "stale") throw new Error(`the audit journal ${journal.path} was applied by another writer (is the database open twice?)`);
      }
    } catch (error) {
      console.error(`[rollcall] audit rows could not be written into the database (kept in ${journal.path}, tried again in ${RETRY_MS / 1000} s): ${(error as Error).message}`);
      for (const waiter of journal.waiting.splice(0)) waiter.reject(error);
      journal.retry = setTimeout(() => {
        journal.retry = null;
        applyPending(journal);
      }, RETRY_MS);
      journal.retry.unref?.();
    } finally {
      journal.applying = false;
    }
    applySoon(journal);
  })();
}

/**
 * Whether the pending rows are to be written into DuckDB now without a reader waiting for them:
 * no group synced for APPLY_QUIET_MS and none being synced, or the oldest waited APPLY_MAX_WAIT_MS.
 */
function applyDue(journal: Journal): boolean {
  if (journal.pending.length === 0) return false;
  const now = Date.now();
  if (now - journal.pending[0].at >= APPLY_MAX_WAIT_MS) return true;
  return !journal.flushing && journal.queued.length === 0 && now - journal.lastSyncedAt >= APPLY_QUIET_MS;
}

/**
 * Writes the pending rows into DuckDB once the journal is quiet (applyDue), not on the way of
 * the views being recorded (see APPLY_QUIET_MS). They are on disk in the journal meanwhile, and
 * a reader of the trail does not wait for the quiet: auditJournalApplied writes them in at once.
 */
function applySoon(journal: Journal): void {
  // A group being synced, or a batch being written, calls this again when done.
  if (journal.applyTimer || journal.applying || journal.flushing || journal.retry || journal.closed || journal.pending.length === 0) return;
  const now = Date.now();
  const delay = Math.max(0, Math.min(APPLY_QUIET_MS - (now - journal.lastSyncedAt), APPLY_MAX_WAIT_MS - (now - journal.pending[0].at)));
  journal.applyTimer = setTimeout(() => {
    journal.applyTimer = null;
    if (applyDue(journal)) applyPending(journal);
    else applySoon(journal);
  }, delay);
  journal.applyTimer.unref?.();
}

/** Resolves the readers waiting for rows now applied. */
function settle(journal: Journal): void {
  journal.waiting = journal.waiting.filter((waiter) => {
    if (waiter.upTo > journal.applied) return true;
    waiter.resolve();
    return false;
  });
}

/**
 * Empties the journal when every row in it is applied, or rewrites it with only the rows not
 * yet applied when it has grown past JOURNAL_REWRITE_BYTES. Synchronous: no append can come
 * between the check and the truncation.
 */
function trim(journal: Journal): void {
  // A group being written: its rows are in the file but not yet counted; trimmed after.
  if (journal.fd === null || journal.size === 0 || journal.flushing) return;
  try {
    if (journal.pending.length === 0) {
      fs.ftruncateSync(journal.fd, 0);
      journal.size = 0;
    } else if (journal.size > JOURNAL_REWRITE_BYTES) {
      const fresh = `${journal.path}.rewrite`;
      fs.rmSync(fresh, { force: true });
      const fd = fs.openSync(fresh, "a", 0o600);
      const buffer = Buffer.from(journal.pending.map((row) => journalLine(row.seq, row.values)).join(""));
      try {
        writeAll(fd, buffer);
        fs.fdatasyncSync(fd);
        fs.renameSync(fresh, journal.path);
        syncFolder(path.dirname(journal.path));
      } catch (error) {
        fs.closeSync(fd);
        throw error;
      }
      forgetFd(journal, false);
      journal.fd = fd;
      journal.size = buffer.length;
    }
  } catch (error) {
    // Not emptied: rows at or below the applied position are skipped when it is read again.
    console.error(`[rollcall] the audit journal ${journal.path} could not be trimmed: ${(error as Error).message}`);
  }
}

/**
 * Resolves once every row this process has journaled for `file` (its resolved path) so far is
 * in DuckDB: what a reader of the trail waits for. At once when none is waiting (or the file has
 * no journal open here). Rejects when the rows could not be written in (tried again later).
 */
export async function auditJournalApplied(file: string): Promise<void> {
  const opened = journals.get(file);
  if (!opened) return;
  const journal = await opened;
  if (journal.applied >= journal.appended) return;
  await new Promise<void>((resolve, reject) => {
    journal.waiting.push({ upTo: journal.appended, resolve, reject });
    // A reader does not wait out the pause after a failed batch: it is tried again now.
    if (journal.retry) {
      clearTimeout(journal.retry);
      journal.retry = null;
    }
    applyPending(journal);
  });
}

/**
 * Whether every row this process has journaled for `file` (its resolved path) is in DuckDB now,
 * known without waiting: false while the journal is being opened or rows wait to be written in.
 */
export function auditJournalSettled(file: string): boolean {
  const opened = journals.get(file);
  if (!opened) return true;
  const journal = openJournals.get(opened);
  return journal !== undefined && journal.applied >= journal.appended;
}

/**
 * The rows this process has journaled for `file` (its resolved path) and not yet taken from the
 * journal as written into DuckDB, past the position `after` (a sequence number: the position
 * read in the same statement as the trail's rows the caller holds, whose rows they already
 * hold), oldest first (their values); empty when none or no journal is open. Read with the
 * trail's rows kept in memory at the same moment, they are the whole trail (JournalPosition).
 */
export function auditJournalPending(file: string, after = 0): AuditValues[] {
  const opened = journals.get(file);
  const journal = opened && openJournals.get(opened);
  return journal ? journal.pending.filter((row) => row.seq > after).map((row) => row.values) : [];
}

/**
 * Whether this process has the journal of `file` (its resolved path) open: the file then holds
 * its position's table (AUDIT_APPLIED_TABLE, made as the journal was opened), which a read of
 * the trail may read with its rows.
 */
export function auditJournalOpen(file: string): boolean {
  const opened = journals.get(file);
  return opened !== undefined && openJournals.has(opened);
}

/**
 * Writes in what the journal holds and closes it (a file's instance closing: the server's stop,
 * a CLI's exit): the next row recorded opens it afresh. Rows that could not be written in stay
 * in the journal file, written in when the file is next opened. Never throws.
 */
export async function closeAuditJournal(file: string): Promise<void> {
  const opened = journals.get(file);
  if (!opened) return;
  let journal: Journal;
  try {
    journal = await opened;
  } catch {
    return;
  }
  // A group being synced finishes first (its rows are then pending, and written in below).
  while (journal.flushing || journal.queued.length > 0) await new Promise((resolve) => setTimeout(resolve, 1));
  try {
    await auditJournalApplied(file);
  } catch {
    // Left in the journal file for the next opening.
  }
  if (journals.get(file) === opened) journals.delete(file);
  journal.closed = true;
  if (journal.retry) clearTimeout(journal.retry);
  journal.retry = null;
  if (journal.applyTimer) clearTimeout(journal.applyTimer);
  journal.applyTimer = null;
  forgetFd(journal, false);
}

export type { Journal as AuditJournal };
