/**
 * The DuckDB store: where the database file is, one instance per file per process,
 * one connection per unit of work, and rows converted to plain JavaScript values
 * (numbers and ISO strings, never bigint or DuckDB value objects).
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBMaterializedResult, type DuckDBValue } from "@duckdb/node-api";
import { AsyncResource } from "node:async_hooks";
import path from "node:path";
import fs from "node:fs";
import { ensureSchema, type SchemaUpgrade } from "./schema.ts";
import { closeAuditJournal, openAuditJournal } from "./audit-journal.ts";

export type Connection = DuckDBConnection;
export type SqlParams = Record<string, DuckDBValue>;
export type Plain = string | number | boolean | null;
export type Row = Record<string, Plain>;

export const DEFAULT_DB_PATH = path.join("data", "rollcall.duckdb");

/** Database file from --db, else ROLLCALL_DB, else data/rollcall.duckdb. */
export function resolveDbPath(flag?: string | null): string {
  if (flag) return flag;
  if (process.env.ROLLCALL_DB) return process.env.ROLLCALL_DB;
  return DEFAULT_DB_PATH;
}

const instances = new Map<string, Promise<DuckDBInstance>>();

/**
 * The block size, bytes, of a database file Rollcall creates (DuckDB's ATTACH option
 * BLOCK_SIZE; an existing file keeps the size it was made with). DuckDB's default of 256 KiB
 * is the smallest unit a table or an index takes in the file, and a school's register is a
 * few large tables beside some twenty small ones (settings, users, the calendar, the audit
 * trail …), each of which took a whole block. Measured on the demo school (206,004 marks) and
 * on 4,500 pupils × 1 year (1,717,806 marks), the same data written fresh after CHECKPOINT:
 * 256 KiB blocks 9.2 MB and 14.5 MB; 64 KiB 3.4 and 8.9 MB; 32 KiB 2.5 and 7.8 MB; 16 KiB
 * 3.1 and 17.3 MB (below 32 KiB DuckDB gives up bit-packing whole columns). The plain scan of
 * the year's marks and the aggregate reads took the same time at 32 and 256 KiB (28.6–30.9 ms
 * and 3.1–5.8 ms, medians of 12). Measured again with DuckDB 1.5.6 and the v1.5.0 format
 * (NEW_FILE_STORAGE_VERSION), the same registers copied fresh: at 16 KiB the marks' and the
 * aggregates' pupil ids are stored uncompressed (4 bytes each), and 32 → 16 KiB took the demo
 * school 1.19 → 2.14 MB, a school of 1,000 pupils × 3 years (1,144,976 marks) 2.70 → 9.50 MB;
 * 64 KiB, the demo 1.91 MB; DuckDB refuses a block below 16 KiB. What a small register cannot
 * shed at any block size: DuckDB 1.5.6 gives every table that holds a row at least one block
 * of its own (tables do not share blocks), and every PRIMARY KEY another (its index): on the
 * demo school 11 small tables and 9 keys, 20 of its 36 blocks. Since schema 7 no table of a
 * school's register has a key (analytics/schema.ts UNKEYED_TABLES: without those of pupils,
 * meta and settings the trust school of 1,000 pupils × 3 years took 74 → 69 blocks); only the
 * accounts' and the national figures' tables keep theirs, and an empty table's key takes no block.
 */
export const NEW_FILE_BLOCK_SIZE = 32_768;

/**
 * The storage format of a database file Rollcall creates (DuckDB's setting
 * storage_compatibility_version; ATTACH's STORAGE_VERSION). DuckDB writes a new file in the
 * v1.0.0 format unless told otherwise, so that DuckDB 1.0 can still read it, and that format
 * keeps, in the file's metadata, a 3 KiB HyperLogLog sketch (DuckDB's distinct-count
 * statistics) for every column of every table — whatever block size, and whether the table
 * holds a row or not: some 300 columns, ≈ 0.6 MB before a single mark, which was 3 bytes per
 * mark on the demo school. From v1.1.0 the sketch is stored in 64 bytes; v1.5.0 also
 * compresses the marks better (validity as Roaring bitmaps, dictionaries with FSST).
 * Measured on the same registers, copied into a fresh file (32 KiB blocks) after CHECKPOINT:
 * demo school (206,004 marks) v1.0.0 2.08 MB, v1.1.0 1.52, v1.5.0 1.49; 4,500 pupils × 1 year
 * (1,717,806 marks) 6.50, 5.91 (v1.1.0), 5.62 (v1.2.0), 5.52 (v1.3.0, v1.4.0), 5.42 (v1.5.0).
 * A file in this format opens only with DuckDB 1.5 or later (the version this project pins);
 * the Parquet lake (analytics/lake.ts) is what other engines read. Named, not "latest", so that
 * upgrading DuckDB never changes the format of the files Rollcall writes without a decision.
 * An existing file keeps the format it was made in until `rollcall compact` rewrites it
 * (compactDatabase).
 */
export const NEW_FILE_STORAGE_VERSION = "v1.5.0";

async function createInstance(file: string): Promise<DuckDBInstance> {
  // A folder named as the database (a nightly job's --db, ROLLCALL_DB): said in words, not
  // DuckDB's "IO Error: Could not read from file …: Is a directory" (trial 54b).
  if (file !== ":memory:" && fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`${path.resolve(file)} is a folder, not a database file: name the school's database file itself (e.g. --db ${path.join(file, "rollcall.duckdb")}).`);
  }
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  // From DuckDB's process-wide cache: the dashboard's server also loads the CLI's copy of
  // this module (analytics/cli/remote.ts), and both must share the one open database.
  // ROLLCALL_DUCKDB_MEMORY_LIMIT (e.g. "1GB") caps DuckDB's own memory: beyond it, large
  // imports spill to the database's .tmp folder instead of growing (DuckDB's default is 80 % of RAM).
  const limit = process.env.ROLLCALL_DUCKDB_MEMORY_LIMIT;
  const options: Record<string, string> = {
    default_block_size: String(NEW_FILE_BLOCK_SIZE),
    storage_compatibility_version: NEW_FILE_STORAGE_VERSION,
  };
  if (limit) options.memory_limit = limit;
  const instance = file === ":memory:" ? await DuckDBInstance.create(file, options) : await DuckDBInstance.fromCache(path.resolve(file), options);
  const connection = await instance.connect();
  try {
    try {
      if (file !== ":memory:") await refuseNonDatabaseFile(connection, file);
      const upgrade = await ensureSchema(connection, path.resolve(file));
      if (upgrade) upgradedAtOpen.set(fileKey(file), upgrade);
      // Audit rows a process left in the file's audit journal (killed before they were written
      // in) are written in now, before anything reads the trail (analytics/audit-journal.ts).
      if (file !== ":memory:") await openAuditJournal(connection, fileKey(file));
    } finally {
      connection.closeSync();
    }
  } catch (error) {
    // A file refused (a later release's schema, a failed upgrade) is let go at once: held open,
    // it kept every other process from it until this one ended (trial 33: the CLI's words after
    // a refusal in the same process were "open in another Rollcall process").
    instance.closeSync();
    throw error;
  }
  return instance;
}

/**
 * Throws when DuckDB opened `file` as something other than a database file. Given a CSV,
 * Parquet or JSON file as its database, DuckDB 1.5 opens an in-memory database with a view of
 * that file (the database's path is then null), and Rollcall answered `summary --db marks.csv`
 * as an empty school, exit 0 (trial 34). Checked on DuckDB's side, not by reading the file's
 * first bytes here: opening and closing the file in this process would let go of DuckDB's lock
 * on it were it the database this process holds (heldHere).
 */
async function refuseNonDatabaseFile(connection: DuckDBConnection, file: string): Promise<void> {
  const result = await connection.runAndReadAll("SELECT path FROM duckdb_databases() WHERE database_name = current_database()");
  if (result.getRowObjects()[0]?.path != null) return;
  throw new Error(notDatabaseFileWords(file));
}

/** The refusal of a file that is not a DuckDB database (a register CSV named as one): one sentence naming it. */
export function notDatabaseFileWords(file: string): string {
  return (
    `${path.resolve(file)} is not a DuckDB database file (a school's database is one: rollcall init or rollcall demo makes it). ` +
    `To bring a register file in, give it to rollcall import (e.g. --marks FILE) and name the school's database with --db.`
  );
}

/** Files this process upgraded to this release's schema as it opened them, not yet told (fileKey → the upgrade). */
const upgradedAtOpen = new Map<string, SchemaUpgrade>();

/**
 * The schema upgrade this process made to `file` as it opened it (ensureSchema), or undefined
 * when it made none: the dashboard's start log and the CLI say so, since the upgrade is one way
 * (an earlier release then refuses the file; README "Upgrading"). Kept until schemaUpgradeNotice tells it.
 */
export function schemaUpgradeOf(file: string): SchemaUpgrade | undefined {
  return upgradedAtOpen.get(fileKey(file));
}

/**
 * What the dashboard's start log and the CLI say of schemaUpgradeOf(file): one sentence, or
 * undefined when there was no upgrade. Said once: the upgrade is forgotten once told, and not
 * before, even when the file was closed since (`rollcall compact` closes it before it copies it,
 * and its upgrade went unsaid: trial 35).
 */
export function schemaUpgradeNotice(file: string): string | undefined {
  const upgrade = schemaUpgradeOf(file);
  if (!upgrade) return undefined;
  upgradedAtOpen.delete(fileKey(file));
  return (
    `upgraded ${path.resolve(file)} from schema ${upgrade.from} to ${upgrade.to} as it opened: one way, so a Rollcall release ` +
    `before this one cannot open the file now (README "Upgrading"; rollcall version says which schema a file is at)`
  );
}

/** The process's instance for a database file, created (with its schema) on first use. */
export function openInstance(file: string): Promise<DuckDBInstance> {
  const key = fileKey(file);
  let instance = instances.get(key);
  if (!instance) {
    instance = createInstance(file);
    instances.set(key, instance);
    instance.catch(() => instances.delete(key));
  }
  return instance;
}

/** DuckDB's refusal when another process holds the database file (its lock, heldHere). */
export const DUCKDB_LOCKED = /Could not set lock on file|Conflicting lock is held/;

/**
 * Whether this process has the file open (its instance made or being made). A second DuckDB
 * instance on such a file must not be opened here, even read-only: DuckDB's lock is a POSIX
 * record lock, which belongs to the process and is let go when any handle of the file in it is
 * closed, so closing the second would leave the file open here unlocked (trial 34: `rollcall
 * version` relayed to the server did this, and the next CLI command opened the file beside it).
 */
export function heldHere(file: string): boolean {
  return instances.has(fileKey(file));
}

/** Closes a file's instance so another process may open it (the CLI does this on exit). */
export async function closeInstance(file: string): Promise<void> {
  const key = fileKey(file);
  const instance = instances.get(key);
  if (!instance) return;
  // The audit journal's rows written in first, on the instance still open.
  await closeAuditJournal(key);
  instances.delete(key);
  // Once closed, another process may change the file: nothing remembered of it holds (nor a
  // thread count owed to the closed instance).
  forgetFile(key);
  forgetOwedThreads(key);
  await closeKeptConnections(key);
  (await instance).closeSync();
}

/** The key a file is known by here (instances, kept connections, results): its resolved path, or ":memory:". */
export function fileKey(file: string): string {
  return file === ":memory:" ? file : path.resolve(file);
}

/** Closes a kept connection, if it was ever opened and is not closed already. */
async function closeQuietly(connection: Promise<Connection> | undefined): Promise<void> {
  try {
    (await connection)?.closeSync();
  } catch {
    // Never opened, or already closed: nothing to close.
  }
}

/**
 * Connections kept open between units of work, by file and then purpose (`keptConnection`):
 * closed before their file's instance (closeInstance, closeAllInstances), which DuckDB would
 * otherwise keep open, file lock and all, while a connection to it lives.
 */
const keptConnections = new Map<string, Map<string, Promise<Connection>>>();

/**
 * A connection to `file` kept open for one purpose (e.g. "audit": analytics/audit.ts
 * auditWriter), for small writes repeated many times a second, each of which on a connection of
 * its own (withConnection) had paid connecting and preparing its statement again — several
 * trips to libuv's threads and back to a busy event loop each. The caller runs nothing on it
 * but its own statements, each committing by itself (no transaction is ever left open on it).
 * `dropKeptConnection` after a failure gives the next caller a new one.
 */
export function keptConnection(file: string, purpose: string): Promise<Connection> {
  const key = fileKey(file);
  let byPurpose = keptConnections.get(key);
  if (!byPurpose) keptConnections.set(key, (byPurpose = new Map()));
  let connection = byPurpose.get(purpose);
  if (!connection) {
    connection = openInstance(file).then(async (instance) => {
      const made = await instance.connect();
      connectionFiles.set(made, key);
      return made;
    });
    byPurpose.set(purpose, connection);
    connection.catch(() => byPurpose.get(purpose) === connection && byPurpose.delete(purpose));
  }
  // The thread count a finished withOneThread left owed is given back before this unit's statements.
  return oneThread.get(key)?.owed == null ? connection : connection.then(async (made) => (await giveBackThreads(made, key), made));
}

/** Closes and forgets the connection kept for `purpose` (after a failure on it); the next keptConnection makes another. */
export async function dropKeptConnection(file: string, purpose: string): Promise<void> {
  const key = fileKey(file);
  const connection = keptConnections.get(key)?.get(purpose);
  if (!connection) return;
  keptConnections.get(key)?.delete(purpose);
  await closeQuietly(connection);
}

/** Closes every connection kept for the file (`key`: its resolved path). */
async function closeKeptConnections(key: string): Promise<void> {
  const byPurpose = keptConnections.get(key);
  if (!byPurpose) return;
  keptConnections.delete(key);
  for (const connection of [...byPurpose.values()]) await closeQuietly(connection);
}

/** A piece of work given a connection to the register, by whatever opens it (the web app's withDb, withConnection on a file, a connection in hand). */
export type WithConnection = <T>(work: (connection: Connection) => Promise<T>) => Promise<T>;

/**
 * Runs one unit of work on its own connection to `file`, closed afterwards whatever happens,
 * at the file's thread count: any count a finished one-thread hold still owes is given back
 * first (giveBackThreads).
 */
export async function withConnection<T>(file: string, work: (connection: Connection) => Promise<T>): Promise<T> {
  const instance = await openInstance(file);
  const connection = await instance.connect();
  connectionFiles.set(connection, fileKey(file));
  try {
    await giveBackThreads(connection, fileKey(file));
    return await work(connection);
  } finally {
    connection.closeSync();
  }
}

/** Runs work in a transaction: committed if it returns, rolled back if it throws. */
/** Connections inside an inTransaction call: a nested call joins the outer transaction. */
const openTransactions = new WeakSet<Connection>();

/**
 * `options.changes`: when the work writes only these tables (names from a closed list of the
 * caller's, e.g. ["interventions"]), cached results of queries that name none of them stay
 * (recording an intervention need not recompute the register's figures). Omitted: anything
 * may have changed, and every cached result of the file is forgotten. A nested call joins the
 * outer transaction, whose own `changes` (or lack of them) decides.
 */
export async function inTransaction<T>(connection: Connection, work: () => Promise<T>, options: { changes?: readonly string[] } = {}): Promise<T> {
  // DuckDB has no nested transactions; a unit of work called inside another (settings saved
  // while a school is created) belongs to the outer one, which commits or rolls back all.
  if (openTransactions.has(connection)) return work();
  return oneWriteAtATime(connection, async () => {
    openTransactions.add(connection);
    try {
      const result = await plainTransaction(connection, work);
      dataChanged(connection, options.changes);
      return result;
    } finally {
      openTransactions.delete(connection);
    }
  });
}

/**
 * `work` in a transaction of its own on `connection`: committed when it returns, rolled back
 * (its error thrown again) when it throws. Neither queued with the file's writes nor tracked:
 * inTransaction's core, and on its own for work no other write can meet — the migrations of a
 * file as it opens (analytics/schema.ts ensureSchema runs before the file's instance is handed
 * out) and a Parquet export, which writes nothing into the file (analytics/lake.ts).
 */
export async function plainTransaction<T>(connection: Connection, work: () => Promise<T>): Promise<T> {
  await connection.run("BEGIN TRANSACTION");
  try {
    const result = await work();
    await connection.run("COMMIT");
    return result;
  } catch (error) {
    await connection.run("ROLLBACK");
    throw error;
  }
}

/** Per database file (its resolved path): the end of the queue of its writes (oneWriteAtATime). */
const writeQueues = new Map<string, Promise<void>>();

/**
 * Runs `work`, a write to the connection's database file, once every write to that file queued
 * before it in this process has ended, and holds back those queued after it until it ends.
 * The process is the file's one writer (the server while it runs; a CLI command relays to it:
 * analytics/cli/remote.ts), and this makes its writes one at a time. Why: DuckDB's optimistic
 * concurrency lets two transactions each insert a row the other would have found — two
 * imports adding the same new pupil at once would both store its UPN, `pupils` having no key
 * from schema 7 (analytics/schema.ts UNKEYED_TABLES), as two first writes of a `meta` key
 * would — and refuses the second of two that change the same row ("Transaction conflict": two
 * settings saved at once). Work must not wait, inside, on a write of the same file made on
 * another connection (it would wait for itself); on the same connection, a nested
 * oneWriteAtATime or inTransaction goes on in the turn it holds. Returns what `work` returns; throws what it throws.
 */
export async function oneWriteAtATime<T>(connection: Connection, work: () => Promise<T>): Promise<T> {
  // A connection holding the turn goes on (inTransaction's work runs in it): a save that reads
  // what it replaces and writes it (analytics/settings.ts saveSettings) is one turn, its own
  // transaction inside it.
  if (holdingTurn.has(connection)) return work();
  const key = connectionFiles.get(connection) ?? "";
  const before = writeQueues.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const end = before.then(() => mine);
  writeQueues.set(key, end);
  await before;
  holdingTurn.add(connection);
  try {
    return await work();
  } finally {
    holdingTurn.delete(connection);
    release();
    if (writeQueues.get(key) === end) writeQueues.delete(key);
  }
}

/** Connections whose work holds their file's write turn now (oneWriteAtATime). */
const holdingTurn = new WeakSet<Connection>();

/**
 * Per database file: how many units of work hold DuckDB at one thread now, the thread count to
 * give back when the last ends (read as the first began; null when it could not be read, and
 * then nothing is set), the count owed once it has ended and not yet given back (`owed`:
 * giveBackThreads), and the chain its statements run in, one after another.
 */
const oneThread = new Map<string, { holders: number; original: number | null; owed: number | null; chain: Promise<void> }>();

/**
 * Gives the database of `key` back the thread count a finished withOneThread owes it, on
 * `connection`, before the unit of work that opened it runs anything (withConnection,
 * keptConnection); nothing when none is owed.
 */
async function giveBackThreads(connection: Connection, key: string): Promise<void> {
  const entry = oneThread.get(key);
  if (!entry || entry.owed === null) return;
  await (entry.chain = entry.chain
    .then(async () => {
      // A hold begun since took the debt over (withOneThread); a failed SET leaves the count at one.
      if (entry.holders > 0 || entry.owed === null) return;
      const owed = entry.owed;
      entry.owed = null;
      await connection.run(`SET threads = ${owed}`);
    })
    .catch(() => {}));
}

/** Forgets the count owed to a file's instance as it closes: a new instance starts at DuckDB's own. */
function forgetOwedThreads(key: string): void {
  const entry = oneThread.get(key);
  if (entry) entry.owed = null;
}

/**
 * Runs `work` with DuckDB's `threads` setting at 1 on `connection`'s database, then puts it back.
 *
 * Why: DuckDB 1.5's statement loop spins on the calling thread whenever another thread holds the
 * only task left (duckdb/duckdb#22178: PendingQueryResult::ExecuteInternal busy-spins on
 * NO_TASKS_AVAILABLE). On a statement over a few hundred thousand rows or fewer — one row group,
 * one task most of the time — the second thread brings nothing but that spin, which on a
 * machine of two busy cores takes the core the work needs. Measured on a loaded two-core
 * machine, the demo school's year (90,104 marks), one DuckDB thread against two: the
 * aggregates' statements 87 → 154 ms of CPU and 162 → 340 ms wall (medians of 7); the whole
 * import 245–256 against 368–420 ms of CPU.
 *
 * `threads` is the database's, not the connection's: every connection to the file (the web
 * server's pages) runs on one thread while any unit of work holds it, and has the count it had
 * before back when the last one ends. Units that overlap share the hold; the statements that
 * read, set and give back the count run in the order they were asked for, so a hold begun as
 * another ends reads the count given back. A connection not made by withConnection (no file
 * known) runs `work` as it is.
 *
 * The count is given back by the next unit of work on the file (giveBackThreads, as
 * withConnection or keptConnection opens it), not as the hold ends: an import run by the CLI
 * or the bench is the only unit of work its instance runs before it is closed, and giving two
 * threads back — DuckDB starting its second worker — was some 10–20 ms of CPU of each import
 * of the demo school's year (profile-import-phases: `SET threads = 2`). Until then the database
 * runs on one thread, as it did throughout the hold; a hold begun while the count is still
 * owed finds it at one already and sets nothing.
 */
export async function withOneThread<T>(connection: Connection, work: () => Promise<T>): Promise<T> {
  const key = connectionFiles.get(connection);
  if (key === undefined) return work();
  let held = oneThread.get(key);
  if (!held) oneThread.set(key, (held = { holders: 0, original: null, owed: null, chain: Promise.resolve() }));
  const entry = held;
  // A failed step leaves the count as it was and the chain going.
  const step = (run: () => Promise<void>) => (entry.chain = entry.chain.then(run).catch(() => {}));
  if (entry.holders++ === 0) {
    await step(async () => {
      // Still at one thread from a hold that ended: the count owed is the one to give back.
      if (entry.owed !== null) {
        entry.original = entry.owed;
        entry.owed = null;
        return;
      }
      const row = await queryOne<{ n: number }>(connection, "SELECT current_setting('threads')::INTEGER AS n");
      // At one already (a one-core machine, or set so): nothing to set, nothing to give back.
      entry.original = Number.isInteger(row?.n) && Number(row?.n) > 1 ? Number(row?.n) : null;
      if (entry.original !== null) await connection.run("SET threads = 1");
    });
  }
  try {
    return await work();
  } finally {
    if (--entry.holders === 0) {
      await step(async () => {
        entry.owed = entry.original;
        entry.original = null;
      });
    }
  }
}

function toPlain(value: unknown): Plain {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "object" && "toDouble" in value && typeof (value as { toDouble: unknown }).toDouble === "function") {
    return (value as { toDouble(): number }).toDouble();
  }
  // Dates, timestamps and enums print as ISO text.
  return String(value);
}

/**
 * A result's rows as plain objects, keyed by the result's column names as DuckDB's
 * getRowObjects gives them (duplicates renamed, in column order), each value toPlain'd.
 * Each column's values read once (getColumns), not row by row through getRowObjects: a
 * governor's plan of a year's weeks reads some 64,000 rows of 18 columns. Each row's object
 * is then made whole, its keys in column order, before the next: filled a column at a time,
 * every object of a result grew at once, one property a pass, and its properties' storage
 * was made again as it grew (fgb33: 21 results of a governors' pack at 4,500 pupils, 167,558
 * rows, converted in 0.35 s of CPU instead of 0.50 s, median of 7 alternated).
 */
function plainRows<T extends Row>(names: readonly string[], columns: readonly (readonly DuckDBValue[])[], rowCount: number): T[] {
  const count = columns.length > 0 ? columns[0].length : rowCount;
  const rows: Row[] = new Array(count);
  for (let r = 0; r < count; r++) {
    const row: Row = {};
    for (let c = 0; c < names.length; c++) row[names[c]] = toPlain(columns[c][r]);
    rows[r] = row;
  }
  return rows as T[];
}

/**
 * Runs a query with bound parameters and returns plain rows.
 *
 * A statement with parameters is prepared, run and read in two trips to DuckDB's threads: its
 * prepare, then its run, whose result DuckDB has materialised, so its chunks are read from it at
 * once (DuckDBMaterializedResult.getChunk), not one asynchronous fetch apiece. runAndReadAll took
 * five trips or more (splitting the SQL into statements, which parses it a first time; the
 * prepare, which parses it again; the run; a fetch per chunk and one more that finds none), and
 * each trip's answer waits its turn on the server's one thread: under 50 readers at once a
 * pupil's page made afresh waited 22 turns of the event loop, 1 s in the server (issue 11,
 * item 4). DuckDB plans such a statement again at its run, in the run's own transaction.
 *
 * A statement without parameters is planned and run in one trip (DuckDB's one-shot query), never
 * prepared first: DuckDB 1.5.6 keeps a parameterless prepared statement's plan, made with the
 * table statistics of the moment it was prepared, and a commit landing between the prepare and the
 * run (an audit batch, an import) left a plan that read the new rows wrongly: the Audit page's
 * newest rows, read while the first row of a file's trail was being written, came back as "X",
 * "~", "u" for "W0", "w@s.test", "slt" (review41), and rows outside the old statistics' range
 * crash the process (duckdb/duckdb#23704 and #24182, fixed upstream by not using statistics in
 * prepared plans, duckdb/duckdb#24696, not in 1.5.6; test/prepared-plan-statistics.test.ts).
 *
 * SQL that DuckDB will not prepare as one statement (several statements, or an error) takes
 * runAndReadAll's path, which runs all but the last and throws the error it finds.
 * Throws DuckDB's error for SQL it cannot run.
 */
export async function queryRows<T extends Row = Row>(connection: Connection, sql: string, params: SqlParams = {}): Promise<T[]> {
  if (Object.keys(params).length === 0) return resultRows<T>(await connection.run(sql));
  let prepared: Awaited<ReturnType<Connection["prepare"]>>;
  try {
    prepared = await connection.prepare(sql);
  } catch {
    const reader = await connection.runAndReadAll(sql, params);
    return plainRows<T>(reader.deduplicatedColumnNames(), reader.getColumns(), reader.currentRowCount);
  }
  try {
    prepared.bind(params);
    return resultRows<T>(await prepared.run());
  } finally {
    prepared.destroySync();
  }
}

/** A materialised result's rows, its chunks read at once (queryRows). */
function resultRows<T extends Row>(result: DuckDBMaterializedResult): T[] {
  const columns: DuckDBValue[][] = [];
  for (let i = 0, chunks = result.chunkCount; i < chunks; i++) result.getChunk(i).appendToColumns(columns);
  return plainRows<T>(result.deduplicatedColumnNames(), columns, result.rowCount);
}

export async function queryOne<T extends Row = Row>(connection: Connection, sql: string, params: SqlParams = {}): Promise<T | undefined> {
  const rows = await queryRows<T>(connection, sql, params);
  return rows[0];
}

// ---------------------------------------------------------------------------------------
// Results kept per (query, data generation): issue 11, item 5 ("results are cached per
// (query, last import id, settings version) so a page that nothing changed under answers
// from memory"). Every change to the register, settings, calendar, interventions or figures
// commits through inTransaction (imports, amendments, settings, retention, interventions,
// benchmark loads), which moves the file's generation on; a query of an older generation is
// never answered from memory. A commit that says it wrote only certain tables (inTransaction's
// `changes`: recording an intervention) moves only those tables' generations on, and only the
// queries whose SQL names one of them are asked again. Off unless enableResultCache() is called (the web server does):
// test fixtures and one-shot CLI commands write outside inTransaction or read once.
// ---------------------------------------------------------------------------------------

/** The file each connection from withConnection works on (connections made elsewhere are not cached). */
const connectionFiles = new WeakMap<Connection, string>();
interface SharedCache {
  /** Commits that changed data, per database file (absolute path). */
  generations: Map<string, number>;
  /** key → the result's rows (shared by callers asking at the same time), in least-recently-used order. */
  resultCache: Map<string, Promise<Row[]>>;
  stats: { hits: number; misses: number };
  /** Called after each commit that changed data (onDataChanged). */
  listeners: Set<(file: string | null) => void>;
  /**
   * Per database file, the tables whose own commits (inTransaction's `changes`) moved on
   * without the file's generation, each with its count: part of the key of a query naming it.
   */
  tableGenerations?: Map<string, Map<string, number>>;
  /**
   * Whether the result cache is on (enableResultCache): the process's, not a copy's, so a
   * command relayed into the server (its copy of this module never told) reads through the
   * pages' cache and keys what it keeps (analytics/packs/kept-files.ts) by the same generations.
   */
  enabled?: boolean;
}
// One per process, not per copy of this module: the web server runs the pages from its bundle
// and a CLI command relayed to it (analytics/cli/remote.ts) from this file through tsx. A
// relayed import commits through the second copy and must move the pages' cache on too.
const SHARED_CACHE = Symbol.for("rollcall.analytics.db.resultCache");
const shared: SharedCache = ((globalThis as Record<symbol, unknown>)[SHARED_CACHE] as SharedCache | undefined) ??
  ((globalThis as Record<symbol, unknown>)[SHARED_CACHE] = { generations: new Map(), resultCache: new Map(), stats: { hits: 0, misses: 0 }, listeners: new Set() } satisfies SharedCache) as SharedCache;
// Added after the object above first shipped: a copy of this module may find it without.
shared.tableGenerations ??= new Map();
const { generations, resultCache } = shared;
const tableGenerations = shared.tableGenerations;
const cacheStats = shared.stats;
/** Whether the result cache is on in this process (SharedCache.enabled). */
const cacheOn = (): boolean => shared.enabled === true;
/** Most results kept, oldest used evicted first (ROLLCALL_CACHE_ENTRIES, default 4000). */
const CACHE_LIMIT = Math.max(1, Number(process.env.ROLLCALL_CACHE_ENTRIES) || 4000);

/** Turns the result cache on (the web server) or off; off clears it. */
export function enableResultCache(on = true): void {
  shared.enabled = on;
  if (!on) resultCache.clear();
}

/** Hits and misses of the result cache since the process started (tests, bench). */
export function resultCacheStats(): { hits: number; misses: number; entries: number } {
  return { ...cacheStats, entries: resultCache.size };
}

/**
 * Marks the connection's file as changed: every result cached for it is forgotten, or with
 * `tables` (a commit that wrote only those) the results of queries naming any of them. Reads
 * shared while a pack is built (withSharedReads) are forgotten either way.
 */
function dataChanged(connection: Connection, tables?: readonly string[]): void {
  sharedReads.get(connection)?.clear();
  sharedDerived.get(connection)?.clear();
  const file = connectionFiles.get(connection);
  if (file && tables && tables.length > 0) {
    forgetTables(file, tables);
  } else if (!file) {
    // A connection of unknown file: forget everything rather than risk an old answer.
    for (const key of [...generations.keys()]) generations.set(key, (generations.get(key) ?? 0) + 1);
    resultCache.clear();
  } else {
    forgetFile(file);
  }
  for (const listener of shared.listeners) {
    try {
      listener(file ?? null);
    } catch (error) {
      console.error("[rollcall] a listener for data changes failed:", error);
    }
  }
}

/**
 * Calls `listener` after every commit that changed data in this process, with the database
 * file (absolute path; null when unknown). The web server warms its pages with it
 * (scripts/warm-up.js). Returns a function that stops the calls.
 *
 * The listener runs in the asynchronous context it was subscribed in, not the committer's
 * (AsyncResource.bind): a commit made by a command a CLI relayed to the server
 * (analytics/cli/remote.ts) would otherwise hand that command's caller (analytics/cli/context.ts:
 * their environment for cliEnv, their captured output) to everything the listener starts — the
 * warm-up's round of every reader's pages — for as long as it runs.
 */
export function onDataChanged(listener: (file: string | null) => void): () => void {
  const inSubscribersContext = AsyncResource.bind(listener);
  shared.listeners.add(inSubscribersContext);
  return () => shared.listeners.delete(inSubscribersContext);
}

/** Each table's whole-word pattern, made once: namesTable runs on every cached read once a table moved on by itself. */
const tablePatterns = new Map<string, RegExp>();

/** Whether a query's SQL names a table (as a whole word, any case): what decides which commits it depends on. */
function namesTable(sql: string, table: string): boolean {
  let pattern = tablePatterns.get(table);
  if (!pattern) tablePatterns.set(table, (pattern = new RegExp(`\\b${table}\\b`, "i")));
  return pattern.test(sql);
}

/** Moves the generations of `tables` on and drops the file's cached results of queries that name any of them. */
function forgetTables(file: string, tables: readonly string[]): void {
  const counts = tableGenerations.get(file) ?? new Map<string, number>();
  tableGenerations.set(file, counts);
  for (const table of tables) {
    if (!/^[a-z_][a-z0-9_]*$/i.test(table)) throw new Error(`not a table name: "${table}"`);
    counts.set(table, (counts.get(table) ?? 0) + 1);
  }
  const prefix = `${file}\u0000`;
  for (const key of [...resultCache.keys()]) {
    if (key.startsWith(prefix) && tables.some((table) => namesTable(key, table))) resultCache.delete(key);
  }
}

/**
 * The generation a query's cached result belongs to: the file's, and for each table that
 * moved on by itself (forgetTables) and that the query names, that table's.
 */
function queryGeneration(file: string, sql: string): string {
  let generation = String(generations.get(file) ?? 0);
  for (const [table, count] of tableGenerations.get(file) ?? []) if (namesTable(sql, table)) generation += `.${table}${count}`;
  return generation;
}

/** Moves the file's generation on and drops its cached results. */
function forgetFile(file: string): void {
  generations.set(file, (generations.get(file) ?? 0) + 1);
  const prefix = `${file}\u0000`;
  for (const key of [...resultCache.keys()]) if (key.startsWith(prefix)) resultCache.delete(key);
}

const paramsKey = (params: SqlParams) => JSON.stringify(params, (_k, v) => (typeof v === "bigint" ? `${v}n` : v));

/**
 * queryRows for reads of the register and what is derived from it (marks, aggregates, pupils,
 * calendar, settings, interventions, national figures) — never sessions, users, the audit
 * trail or drafts, which change outside inTransaction. With the cache on, a query asked again
 * with the same SQL and parameters before any commit to the file is answered from memory;
 * callers at the same time share one run. Returns fresh copies (callers may change them).
 * Inside an open transaction, and for connections not from withConnection, it runs the query.
 */
export async function cachedRows<T extends Row = Row>(connection: Connection, sql: string, params: SqlParams = {}): Promise<T[]> {
  const { rows, kept } = await keptRows(connection, sql, params);
  // Rows are flat objects of plain values: a shallow copy of each is a full copy.
  return (kept ? rows.map((row) => ({ ...row })) : rows) as T[];
}

/**
 * cachedRows for a caller that only reads the rows: the kept rows themselves, not copies, so
 * never to be changed (nor the array). A governors' pack at 4,500 pupils reads its spans'
 * atoms (analytics/measures.ts summariseAtoms) as some 40 results of 1,600 to 3,200 rows of 35
 * columns, 2.4 million values, each read two or three times: their copies were about 430 MB of
 * the pack's 3.9 GB allocated, and 2.5 s of a 45 s CPU profile besides collecting them.
 */
export async function cachedRowsToRead<T extends Row = Row>(connection: Connection, sql: string, params: SqlParams = {}): Promise<readonly Readonly<T>[]> {
  return (await keptRows(connection, sql, params)).rows as T[];
}

/** cachedRows' rows: kept (shared by every caller: never changed), or a fresh run's (`kept` false: the caller's own). */
async function keptRows(connection: Connection, sql: string, params: SqlParams): Promise<{ rows: Row[]; kept: boolean }> {
  const file = connectionFiles.get(connection);
  const shared = sharedReads.get(connection);
  if (shared && !openTransactions.has(connection) && (!cacheOn() || !file)) {
    // One piece of work (a pack) asking the same read again: answered by the first run.
    const key = `${sql}\u0000${paramsKey(params)}`;
    let rows = shared.get(key);
    if (!rows) {
      rows = queryRows(connection, sql, params);
      rows.catch(() => shared.delete(key));
      shared.set(key, rows);
    }
    return { rows: await rows, kept: true };
  }
  if (!cacheOn() || !file || openTransactions.has(connection)) return { rows: await queryRows(connection, sql, params), kept: false };
  const key = `${file}\u0000${queryGeneration(file, sql)}\u0000${sql}\u0000${paramsKey(params)}`;
  let rows = resultCache.get(key);
  if (rows) {
    cacheStats.hits += 1;
    resultCache.delete(key);
  } else {
    cacheStats.misses += 1;
    rows = queryRows(connection, sql, params);
    rows.catch(() => resultCache.delete(key));
  }
  resultCache.set(key, rows);
  if (resultCache.size > CACHE_LIMIT) resultCache.delete(resultCache.keys().next().value as string);
  return { rows: await rows, kept: true };
}

/** Connections inside withSharedReads: each read's result (by SQL and parameters) while the work runs. */
const sharedReads = new WeakMap<Connection, Map<string, Promise<Row[]>>>();

/**
 * Runs `work` with the connection's reads through cachedRows shared: a read asked again with
 * the same SQL and parameters while it runs is answered by the first run (copies returned),
 * whether or not the result cache is on (it is off in the CLI and the benchmark). For one
 * piece of work that asks the same figures from several places (a report pack: the year to
 * date's measures in its headline and again in its to-date tabs). Reads inside a transaction
 * are never shared, and a commit on the connection forgets what was read. Nested calls join
 * the outer one. Returns what `work` returns; throws what it throws.
 */
export async function withSharedReads<T>(connection: Connection, work: () => Promise<T>): Promise<T> {
  if (sharedReads.has(connection)) return work();
  sharedReads.set(connection, new Map());
  sharedDerived.set(connection, new Map());
  try {
    return await work();
  } finally {
    sharedReads.delete(connection);
    sharedDerived.delete(connection);
  }
}

/**
 * Another connection to `connection`'s database for the same piece of work, so that parts of it
 * run at once (analytics/lanes.ts): it reads the same file, shares the work's reads and what was
 * made from them (withSharedReads, sharedWork) and the result cache, so a read asked on both is
 * run once. Close it with closeSiblingConnection when its part is done. Null when the connection
 * cannot have one: its file unknown (not from withConnection or keptConnection), or inside a
 * transaction, whose reads see its own uncommitted writes, which another connection would not.
 */
export async function siblingConnection(connection: Connection): Promise<Connection | null> {
  const file = connectionFiles.get(connection);
  if (file === undefined || openTransactions.has(connection) || holdingTurn.has(connection)) return null;
  const sibling = await (await openInstance(file)).connect();
  connectionFiles.set(sibling, file);
  const reads = sharedReads.get(connection);
  const derived = sharedDerived.get(connection);
  if (reads) sharedReads.set(sibling, reads);
  if (derived) sharedDerived.set(sibling, derived);
  return sibling;
}

/** Closes a connection from siblingConnection (after its last statement has finished). */
export function closeSiblingConnection(sibling: Connection): void {
  sharedReads.delete(sibling);
  sharedDerived.delete(sibling);
  sibling.closeSync();
}

/**
 * Whether keptWork keeps what it makes on this connection now (the result cache on, or inside
 * withSharedReads, outside a transaction): work started early is then there when it is asked
 * for, not made twice.
 */
export function keepsWork(connection: Connection): boolean {
  return generationKey(connection) !== undefined || (!openTransactions.has(connection) && sharedDerived.has(connection));
}

/** Connections inside withSharedReads: what was made from their reads (sharedWork), by key. */
const sharedDerived = new WeakMap<Connection, Map<string, Promise<unknown>>>();

/**
 * Inside withSharedReads (outside a transaction), what `make` makes from the register's reads
 * — a suppression plan, a period's groups — made once per `key` while the work runs and
 * forgotten with the reads (a commit on the connection, or the work's end); elsewhere `make`
 * runs each time. For the work the result cache's generation cannot key (it is off in the CLI
 * and the benchmark: generationKey undefined), so that a pack asking the same plan from each
 * of its sections (a half term's slice plan: the weekly tab, the weekdays, the to-date tabs)
 * makes it once, not once per section. `key` must say everything the value depends on
 * besides the register. Returns make()'s promise, shared by every caller (do not change it).
 */
export function sharedWork<T>(connection: Connection, key: string, make: () => Promise<T>): Promise<T> {
  const kept = openTransactions.has(connection) ? undefined : sharedDerived.get(connection);
  if (!kept) return make();
  let value = kept.get(key) as Promise<T> | undefined;
  if (!value) {
    value = make();
    value.catch(() => kept.delete(key));
    kept.set(key, value);
  }
  return value;
}

/**
 * What `make` makes from the register's reads (`key`: everything it depends on besides the
 * register), kept while nothing changes under it: with the result cache on, in `kept` under
 * the connection's data generation (at most `limit` entries, the oldest dropped first); with
 * it off (the CLI, the benchmark), once per piece of work (sharedWork). Callers at the same
 * moment share one run; a failure is not kept. For derived work too costly to repeat per
 * section or per request: a governor's slice plan for a half term, a span's finest groups.
 */
export function keptWork<T>(connection: Connection, kept: Map<string, Promise<T>>, limit: number, key: string, make: () => Promise<T>): Promise<T> {
  const generation = generationKey(connection);
  if (generation === undefined) return sharedWork(connection, key, make);
  const full = `${generation}\u0000${key}`;
  let value = kept.get(full);
  if (!value) {
    value = make();
    value.catch(() => kept.delete(full));
    kept.set(full, value);
    if (kept.size > limit) kept.delete(kept.keys().next().value!);
  }
  return value;
}

/**
 * What keptWork keeps, or is making, for `key` on this connection now (the same `kept` map and
 * key), or undefined: never starts the work. For work that can be derived from another's
 * result only where that is at hand anyway (a term's weeks sliced from its year's weeks, when
 * the same pack has read those), so that nothing is read that would not have been.
 */
export function keptAlready<T>(connection: Connection, kept: Map<string, Promise<T>>, key: string): Promise<T> | undefined {
  const generation = generationKey(connection);
  if (generation !== undefined) return kept.get(`${generation}\u0000${key}`);
  if (openTransactions.has(connection)) return undefined;
  return sharedDerived.get(connection)?.get(key) as Promise<T> | undefined;
}

/**
 * What keptWork keeps, or is making, for `key` in `kept` for `file` at its data generation now
 * (outside any transaction), without a connection, or undefined: never starts the work (the
 * result cache off: always undefined). For work looked up before a connection is opened: a
 * connection asked for only to find the answer kept waits its turn for one of libuv's threads
 * behind the DuckDB statements running on them (the root loader's settings, on every page made:
 * 10–170 ms under 50 readers, load27).
 */
export function keptForFile<T>(file: string, kept: Map<string, Promise<T>>, key: string): Promise<T> | undefined {
  const generation = fileGenerationKey(file);
  return generation === undefined ? undefined : kept.get(`${generation}\u0000${key}`);
}

/**
 * The connection's file and data generation as one key, or undefined when the result cache is
 * off or the connection is not from withConnection. Work keyed by it (the check that the shipped
 * national figures are loaded) need not be repeated until a commit moves the generation on.
 */
export function generationKey(connection: Connection): string | undefined {
  const file = connectionFiles.get(connection);
  if (!cacheOn() || !file || openTransactions.has(connection)) return undefined;
  return fileGenerationKey(file);
}

/**
 * generationKey of the file (as it is outside any transaction), without a connection: for work
 * kept by it that is looked up before one is opened (analytics/audit.ts keptAuditPage).
 * Undefined when the result cache is off.
 */
export function fileGenerationKey(path: string): string | undefined {
  if (!cacheOn()) return undefined;
  const file = fileKey(path);
  const tables = [...(tableGenerations.get(file) ?? [])].map(([table, count]) => `.${table}${count}`).join("");
  return `${file}\u0000${generations.get(file) ?? 0}${tables}`;
}

/** The file (its resolved path) a connection from withConnection or keptConnection works on, else undefined. */
export function connectionFile(connection: Connection): string | undefined {
  return connectionFiles.get(connection);
}

/**
 * Creates a table in files made before it existed (`ddl`: idempotent statements, CREATE ... IF
 * NOT EXISTS); a plain read when it is there. The check is cached like any read: a table is
 * never dropped, and a stale "missing" only runs the harmless DDL again.
 */
export async function ensureTable(connection: Connection, table: string, ddl: readonly string[]): Promise<void> {
  if (await tableExists(connection, table)) return;
  for (const statement of ddl) await connection.run(statement);
}

/** Whether the file has the table (schema main): a cached read, as ensureTable's. */
export async function tableExists(connection: Connection, table: string): Promise<boolean> {
  const existing = await cachedRows(
    connection,
    "SELECT 1 AS found FROM duckdb_tables() WHERE table_name = $table AND schema_name = 'main'",
    { table },
  );
  return existing.length > 0;
}

/** cachedRows' first row, or undefined. */
export async function cachedOne<T extends Row = Row>(connection: Connection, sql: string, params: SqlParams = {}): Promise<T | undefined> {
  return (await cachedRows<T>(connection, sql, params))[0];
}

/** Closes every open instance (end of a CLI command), so the file is complete on disk. */
export async function closeAllInstances(): Promise<void> {
  for (const key of [...instances.keys()]) await closeAuditJournal(key);
  const pending = [...instances.values()];
  for (const key of instances.keys()) {
    forgetFile(key);
    forgetOwedThreads(key);
  }
  instances.clear();
  for (const key of [...keptConnections.keys()]) await closeKeptConnections(key);
  for (const instance of pending) {
    try {
      (await instance).closeSync();
    } catch {
      // An instance that failed to open has nothing to close.
    }
  }
}
