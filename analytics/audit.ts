/**
 * The audit trail (issue 9): who did what to pupil data, when and from where. Sign-ins and
 * sign-outs, every export and pack download, every view of a pupil's page, imports,
 * amendments, settings and user/role changes, retention runs and CLI commands run through
 * the dashboard's server. UK GDPR Art. 5(2) (accountability) and both schools' policies
 * (the register is a legal record) are why it exists.
 *
 * Rows are only ever inserted: no code path updates or deletes one (test/audit.test.ts
 * checks the sources). Times are stored in UTC and shown in Europe/London time.
 */
import { londonParts, londonStamp } from "./time.ts";
import type { Connection, Row, WithConnection } from "./db.ts";
import type { DuckDBPreparedStatement, DuckDBValue } from "@duckdb/node-api";
import { connectionFile, dropKeptConnection, ensureTable, fileGenerationKey, fileKey, generationKey, keptConnection, queryRows, withConnection } from "./db.ts";
import { AUDIT_APPLIED_TABLE, AUDIT_COLUMN_TYPES, AUDIT_INSERT, appendToJournal, applyJournalRows, auditJournalApplied, auditJournalOpen, auditJournalPending, auditLists as valueLists, openAuditJournal, openedAuditJournal, type AuditValues, type JournalPosition, type JournalWrite } from "./audit-journal.ts";
import { AUDIT_DDL } from "./audit-schema.ts";
import { csvLine } from "./cell-safety.ts";
import { plural } from "./plural.ts";
import { listWords } from "./list-words.ts";

export { AUDIT_ACTIONS, AUDIT_ACTION_LABELS, AUDIT_COLUMNS, isAuditAction, type AuditAction } from "./audit-actions.ts";
import { AUDIT_ACTION_LABELS, AUDIT_COLUMNS, isAuditAction, isAuditOrigin, AUDIT_ACTIONS, type AuditAction, type AuditOrigin } from "./audit-actions.ts";
import { ROLES, roleLabel } from "./users/roles.ts";
import { pageNumber } from "./list-paging.ts";

/** Who acted: an account's e-mail and name (signed-in users), or a name (the command line's user, NOT_SIGNED_IN). */
export type AuditActor = string | { email?: string | null; name?: string | null };

/** "Who acted" for a request with no signed-in account (a failed sign-in, a refused visit). */
export const NOT_SIGNED_IN = "not signed in";

export interface AuditInput {
  actor: AuditActor;
  /** The actor's role (`governor`, `slt`, `attendance_lead`, `head`, `admin`, or e.g. `CLI`). */
  role: string;
  action: AuditAction;
  /** What was acted on: a UPN, a file name, a route, a setting, a user's e-mail. */
  target?: string | null;
  /** Free text: the period, the format, counts, the values changed. */
  detail?: string | null;
  /** Where from: the client's address, or `cli` / `cli via server` for the command line. */
  ip?: string | null;
}

/** Limits that keep one row small whatever a caller passes (a detail is a summary, not a file). */
const MAX_FIELD = 2000;
const clip = (value: string | null | undefined): string | null =>
  value === null || value === undefined ? null : value.length > MAX_FIELD ? `${value.slice(0, MAX_FIELD - 1)}…` : value;

/** Creates the table in files made before the audit trail existed; a plain read when it is there. */
export async function ensureAuditTable(connection: Connection): Promise<void> {
  await ensureTable(connection, "audit_log", AUDIT_DDL);
}

/** `2026-11-30 14:05:03.123` in UTC, the form DuckDB reads as a TIMESTAMP. */
function utcTimestamp(at: Date): string {
  return at.toISOString().replace("T", " ").replace("Z", "");
}

/**
 * Rows appended to the audit trail by this process (every copy of this module: the web
 * server's bundle and a CLI command relayed to it through tsx share it on the process), moved
 * on once each row's insert has returned. The Audit page is kept while it holds
 * (app/lib/page-version.server.ts): a page made after a row was written, whatever wrote it,
 * is made at a later count. A row written inside a transaction is seen only at its commit,
 * which drops every kept page anyway (analytics/db.ts onDataChanged).
 */
const AUDIT_WRITES = Symbol.for("rollcall.analytics.audit.writes");
const writes = ((globalThis as Record<symbol, unknown>)[AUDIT_WRITES] ??= { count: 0 }) as { count: number };

/** How many audit rows this process has appended since it started (see AUDIT_WRITES). */
export function auditWriteCount(): number {
  return writes.count;
}

/**
 * Appends one row to the audit trail. Runs inside the caller's transaction when there is
 * one, so an import and its audit row commit or roll back together.
 * Throws when `action` is not in AUDIT_ACTIONS or the actor or role is empty.
 * `options.now` exists for tests of date filtering; callers leave it out.
 */
export async function recordAudit(connection: Connection, input: AuditInput, options: { now?: Date } = {}): Promise<void> {
  await recordAudits(connection, [input], options);
}

/** One row's values as recordAudits binds them; throws as recordAudit does. */
function auditValues(input: AuditInput, at: Date): AuditValues {
  if (!isAuditAction(input.action)) throw new Error(`"${String(input.action)}" is not an audit action (${AUDIT_ACTIONS.join(", ")})`);
  const actor = typeof input.actor === "string" ? { email: null, name: input.actor } : input.actor;
  const who = (actor.email ?? "").trim() || (actor.name ?? "").trim();
  if (!who) throw new Error("an audit row needs an actor (e-mail or name)");
  const role = input.role.trim();
  if (!role) throw new Error("an audit row needs the actor's role");
  return [
    utcTimestamp(at),
    clip(who)!,
    clip(actor.email && actor.name ? actor.name.trim() : null),
    clip(role)!,
    input.action,
    clip(input.target ?? null),
    clip(input.detail ?? null),
    clip(input.ip ?? null),
  ];
}

/** AUDIT_INSERT (analytics/audit-journal.ts) giving the new rows' ids (auditWriter: the rows it adds to the kept newest rows). */
const AUDIT_INSERT_RETURNING = `${AUDIT_INSERT} RETURNING id::INTEGER AS id`;

/** The rows' values as AUDIT_INSERT binds them, checked first (throws as recordAudit does). */
function auditLists(inputs: readonly AuditInput[], at: Date): DuckDBValue[] {
  return valueLists(inputs.map((input) => auditValues(input, at)));
}

/**
 * Appends rows to the audit trail in one INSERT (so one commit when the caller has no
 * transaction: DuckDB syncs its log to disk at every commit, 5–20 ms on this machine, which a
 * row each had paid). All or none: every row is checked first (throws as recordAudit does, and
 * writes nothing), and the statement commits or fails as one. Rows get their ids in the order
 * given. No rows: nothing is written.
 */
export async function recordAudits(connection: Connection, inputs: readonly AuditInput[], options: { now?: Date } = {}): Promise<void> {
  if (inputs.length === 0) return;
  const lists = auditLists(inputs, options.now ?? new Date());
  await ensureAuditTable(connection);
  await connection.run(AUDIT_INSERT, lists, AUDIT_COLUMN_TYPES);
  writes.count += inputs.length;
  // Perhaps inside a transaction, seen only at its commit (or never): the kept newest rows are
  // read again rather than added to (KeptHead).
  noteChange(connectionFile(connection) ?? null, null);
}

/** The purpose the audit writer's connection is kept under (analytics/db.ts keptConnection). */
const AUDIT_WRITER = "audit";
/** AUDIT_INSERT prepared, per kept connection. */
const preparedInserts = new WeakMap<Connection, Promise<DuckDBPreparedStatement>>();
/** Per file (resolved path), the end of the audit writer's last batch: the next waits for it. */
const writerTurns = new Map<string, Promise<void>>();

/**
 * Runs `work` when the audit writer's batches asked for before it on `file` have finished: the
 * writer is single-flight per file, since its batches share one prepared INSERT (two at once
 * had broken it: load25) and the journal's position moves from one batch to the next.
 */
function inWriterTurn<T>(file: string, work: () => Promise<T>): Promise<T> {
  const key = fileKey(file);
  const run = (writerTurns.get(key) ?? Promise.resolve()).then(work);
  const done = run.then(
    () => {},
    () => {},
  );
  writerTurns.set(key, done);
  void done.then(() => writerTurns.get(key) === done && writerTurns.delete(key));
  return run;
}

/**
 * Writes one batch of rows' values (auditValues) to `file` on the audit writer's kept
 * connection: with `position` (a batch of the journal's), in one transaction with the journal's
 * applied position moved from `position.from` to `position.upTo` ("stale", writing nothing, when
 * it was not at `from`); without, as one statement that commits by itself. Adds the rows to the
 * kept newest rows once committed. A failure drops the connection (the next batch starts afresh)
 * and is thrown. Call only in the writer's turn (inWriterTurn).
 */
async function writeBatch(file: string, values: readonly AuditValues[], position?: JournalPosition): Promise<"applied" | "stale"> {
  const lists = valueLists(values);
  let ids: number[];
  let connection: Connection;
  try {
    connection = await keptConnection(file, AUDIT_WRITER);
    const kept = connection;
    let prepared = preparedInserts.get(kept);
    if (!prepared) {
      prepared = ensureAuditTable(kept).then(() => kept.prepare(AUDIT_INSERT_RETURNING));
      preparedInserts.set(kept, prepared);
    }
    const statement = await prepared;
    const insert = async () => {
      statement.bind(lists, AUDIT_COLUMN_TYPES);
      const reader = await statement.runAndReadAll();
      return reader.getColumns()[0].map(Number);
    };
    if (position) {
      const done = await applyJournalRows(kept, position, insert);
      if (!done.applied) return "stale";
      ids = done.inserted;
    } else {
      ids = await insert();
      writes.count += values.length;
    }
  } catch (error) {
    await dropKeptConnection(file, AUDIT_WRITER);
    throw error;
  }
  // In the same step: the journal's rows not yet applied, and the kept newest rows (KeptHead).
  position?.committed?.();
  writerCommitted(connectionFile(connection) ?? null, values, ids);
  return "applied";
}

/**
 * Writes batches of audit rows to `file` as recordAudits does, outside any transaction (each
 * batch commits by itself), on a connection kept open for them with AUDIT_INSERT prepared once
 * (analytics/db.ts keptConnection): a batch is one trip to DuckDB. On a connection of its own
 * each time, a batch had taken five (connecting, the table's check, parsing, preparing, running),
 * each then waiting its turn on the server's event loop: under 50 readers, while the pages that
 * name pupils waited for their views' rows, a batch took 73–150 ms (median) where its statement
 * alone took under 10. A failed batch closes the connection, so the next one starts afresh.
 * One batch at a time per file (a call while another runs waits for it: inWriterTurn). Rows
 * recorded by the web server go through the audit journal (recordDurably), whose batches this
 * writer writes in.
 */
export function auditWriter(file: string): (rows: readonly AuditInput[]) => Promise<void> {
  return async (rows) => {
    if (rows.length === 0) return;
    const at = new Date();
    const values = rows.map((input) => auditValues(input, at));
    await inWriterTurn(file, () => writeBatch(file, values));
  };
}

/** The audit writer's journaled form, for `file`: the journal's batches written in, each with its position (JournalWrite). */
function journalWriter(file: string): JournalWrite {
  return (values, position) => inWriterTurn(file, () => writeBatch(file, values, position));
}

/**
 * Records one row in the audit trail of `file` durably, for the web server (a view of pupil
 * data, a download): appended to the file's audit journal and fdatasync'd
 * (analytics/audit-journal.ts) — written to disk, which is at least what a DuckDB commit gave —
 * and resolved then, without waiting for DuckDB; the audit writer writes the journal's rows into
 * audit_log in batches in the background, and every reader of the trail waits for them
 * (queryAudit, auditRoles, keptAuditPage). ":memory:" has no journal: resolved once committed.
 * Throws what recordAudit throws for a bad row, and when the journal cannot be written (disk
 * full, no permission): the row is then not recorded, and the caller must not send the page.
 */
export async function recordDurably(file: string, input: AuditInput): Promise<void> {
  const values = auditValues(input, new Date());
  const key = fileKey(file);
  if (key === ":memory:") {
    await inWriterTurn(file, () => writeBatch(file, [values]));
    return;
  }
  for (;;) {
    // Opened with the file (analytics/db.ts); again after the file was closed (closeInstance).
    const journal = await (openedAuditJournal(key) ?? withConnection(file, (c) => openAuditJournal(c, key)));
    if (journal.closed) continue;
    await appendToJournal(journal, [values], journalWriter(file));
    // Recorded: a page of the trail made from now on shows it (app/lib/page-version.server.ts).
    writes.count += 1;
    return;
  }
}

/**
 * A queue that records rows in batches (group commit): `record(input)` resolves once its row is
 * in the trail (committed), rejects if its batch failed. While one batch is being written, the
 * rows that come meanwhile wait and go together in the next, one INSERT (recordAudits) and one
 * commit for all of them: 50 readers opening pupils' pages at once had each waited for the
 * commits of all the others' rows, one after another (issue 11, item 4). A row alone is written
 * at once, as recordAudit would. `write(rows)` writes one batch (on a connection of its own,
 * outside any transaction); at most `maxBatch` rows a batch. `stats`: batches written and rows.
 * The web server no longer waits on it: its rows go through the audit journal (recordDurably),
 * whose rows are written in the same way, a batch of all that came meanwhile at a time.
 */
export function auditQueue(write: (rows: AuditInput[]) => Promise<void>, maxBatch = 500): { record(input: AuditInput): Promise<void>; stats: { batches: number; rows: number } } {
  let pending: Array<{ input: AuditInput; resolve: () => void; reject: (error: unknown) => void }> = [];
  let writing = false;
  const stats = { batches: 0, rows: 0 };
  const drain = async () => {
    writing = true;
    try {
      while (pending.length > 0) {
        const batch = pending.slice(0, maxBatch);
        pending = pending.slice(batch.length);
        try {
          await write(batch.map((p) => p.input));
          stats.batches += 1;
          stats.rows += batch.length;
          for (const p of batch) p.resolve();
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      writing = false;
    }
  };
  return {
    stats,
    record(input) {
      return new Promise<void>((resolve, reject) => {
        // A row that cannot be written is refused alone, never failing the batch it would join.
        try {
          auditValues(input, new Date());
        } catch (error) {
          reject(error);
          return;
        }
        pending.push({ input, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}

// ---------------------------------------------------------------------------------------
// Europe/London time: stored instants are UTC; people read and filter by London dates.

/** `2026-07-01 15:04:05 BST` for an instant: the shared London formatter (analytics/time.ts). */
export const formatLondon = (at: Date): string => londonStamp(at);

/** The UTC instant at which a London calendar day (YYYY-MM-DD) begins. */
export function londonDayStart(date: string): Date {
  const midnightUtc = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(midnightUtc.getTime())) throw new Error(`"${date}" is not a date (YYYY-MM-DD)`);
  // London is UTC or UTC+1; the offset at that day's UTC midnight is the day's offset
  // (the clocks change at 01:00 UTC, after London's midnight on both changeover days).
  const offsetHours = Number(londonParts(midnightUtc).hour) === 1 ? 1 : 0;
  return new Date(midnightUtc.getTime() - offsetHours * 3_600_000);
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------
// Reading the trail.

export interface AuditFilter {
  /** First London day shown, YYYY-MM-DD (inclusive). */
  from?: string | null;
  /** Last London day shown, YYYY-MM-DD (inclusive). */
  to?: string | null;
  /** Part of the actor's e-mail or name, any case. */
  actor?: string | null;
  role?: string | null;
  action?: AuditAction | null;
  /** Where it was done: the web, or the command line (AUDIT_ORIGINS). */
  origin?: AuditOrigin | null;
  /** Only rows recorded before the row with this id (a whole-trail download's next batch: auditTrailCsv). */
  beforeId?: number | null;
}

export interface AuditRow {
  id: number;
  /** ISO instant in UTC, e.g. 2026-11-30T14:05:03.123Z. */
  at: string;
  /** The same instant as London time, e.g. 2026-11-30 14:05:03 GMT. */
  at_london: string;
  actor: string;
  actor_name: string | null;
  role: string;
  action: AuditAction;
  target: string | null;
  detail: string | null;
  ip: string | null;
}

export interface AuditPage {
  rows: AuditRow[];
  /** Rows matching the filter, over all pages. */
  total: number;
  /** 1-based. */
  page: number;
  pageSize: number;
  pages: number;
}

export const AUDIT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

/**
 * The statement that reads one page of the trail (queryAudit): rows of `part` 0 are the page's
 * rows (`n`: the id), the row of part 1 the count of rows matching the filter (`n`), rows of
 * part 2 each role in the whole trail (`role`, only with `roles`), the row of part 3 the audit
 * journal's position applied to the file (`n`, only with `position`: the file must hold its
 * table, analytics/audit-journal.ts auditJournalOpen), read in the same snapshot as the rows, so
 * every journal row at or below it is among them. `page` is 1-based; the filter's values are
 * bound as `params`. Throws a message fit for the user for a bad date or an unknown action.
 *
 * Each part reads only what it needs, so the page costs a few ms at any size of the trail
 * (every view of a page that names pupils adds a row: 50 readers add thousands in minutes):
 * - the page's rows: the ids of the matching rows ranked by id (one column), then the whole rows
 *   of the ids between the page's first and last (the row groups outside that range are skipped
 *   by their id ranges); ids are unique, so those are exactly the page's rows;
 * - the count: count(*) of the matching rows (of the whole trail: from the table's statistics).
 * The trail had been read as one materialised set of every matching row, every column (a
 * `WITH matching AS (SELECT * …)` used twice), then sorted for the page and counted: at a
 * million rows 79 ms for the first page and 274 ms for page 10,000 where these parts take 5 and
 * 16 (one sitting, this machine).
 */
export function auditPageStatement(
  filter: AuditFilter,
  page: number,
  pageSize: number,
  roles: boolean,
  position = false,
): { sql: string; params: Record<string, string | number> } {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (filter.from) {
    where.push("occurred_at >= $from::TIMESTAMP");
    params.from = utcTimestamp(londonDayStart(filter.from));
  }
  if (filter.to) {
    where.push("occurred_at < $to::TIMESTAMP");
    params.to = utcTimestamp(londonDayStart(addDays(filter.to, 1)));
  }
  if (filter.actor?.trim()) {
    where.push("(contains(lower(actor), $actor) OR contains(lower(coalesce(actor_name, '')), $actor))");
    params.actor = filter.actor.trim().toLowerCase();
  }
  if (filter.role?.trim()) {
    where.push("role = $role");
    params.role = filter.role.trim();
  }
  if (filter.action) {
    if (!isAuditAction(filter.action)) throw new Error(`"${filter.action}" is not an audit action`);
    where.push("action = $action");
    params.action = filter.action;
  }
  // The command line's rows say "cli" or "cli via server" in `ip` (analytics/cli/context.ts cliOrigin).
  if (filter.origin === "cli") where.push("starts_with(coalesce(ip, ''), 'cli')");
  else if (filter.origin === "web") where.push("NOT starts_with(coalesce(ip, ''), 'cli')");
  if (typeof filter.beforeId === "number") {
    where.push("id < $before_id");
    params.before_id = filter.beforeId;
  }
  const matching = where.join(" AND ");
  const clause = matching ? `WHERE ${matching}` : "";
  const size = Math.max(1, Math.floor(pageSize));
  const offset = (Math.max(1, Math.floor(page)) - 1) * size;
  const sql = `SELECT 0 AS part, id::INTEGER AS n, strftime(occurred_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS at, actor, actor_name, role, action, target, detail, ip
       FROM audit_log,
            (SELECT min(id) AS lo, max(id) AS hi FROM (SELECT id FROM audit_log ${clause} ORDER BY id DESC LIMIT ${size} OFFSET ${offset})) AS shown
       WHERE id BETWEEN shown.lo AND shown.hi${matching ? ` AND ${matching}` : ""}
       UNION ALL
       SELECT 1, count(*)::INTEGER, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM audit_log ${clause}
       ${roles ? "UNION ALL SELECT 2, NULL, NULL, NULL, NULL, role, NULL, NULL, NULL, NULL FROM (SELECT DISTINCT role FROM audit_log)" : ""}
       ${position ? `UNION ALL SELECT 3, (SELECT max(applied) FROM ${AUDIT_APPLIED_TABLE})::INTEGER, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL` : ""}
       ORDER BY part, n DESC, role`;
  return { sql, params };
}

/** What one read of auditPageStatement gave: the page's rows, the count of matching rows, the roles, the journal's position (0 without `position`). */
async function readAuditPage(connection: Connection, filter: AuditFilter, page: number, pageSize: number, roles: boolean, position = false): Promise<{ rows: AuditRow[]; total: number; roles: string[]; journal: number }> {
  const { sql, params } = auditPageStatement(filter, page, pageSize, roles, position);
  const rows = await queryRows<Row & Omit<AuditRow, "at_london" | "id"> & { part: number; n: number | null }>(connection, sql, params);
  return {
    rows: rows.filter((r) => r.part === 0).map(({ part: _part, n, ...row }) => ({ ...row, id: n, at_london: formatLondon(new Date(row.at)) }) as AuditRow),
    total: rows.find((r) => r.part === 1)?.n ?? 0,
    roles: rows.filter((r) => r.part === 2).map((r) => r.role),
    journal: rows.find((r) => r.part === 3)?.n ?? 0,
  };
}

/**
 * The newest rows of a file's trail, its count and its roles, kept in memory (the web server:
 * with the result cache on, analytics/db.ts generationKey) so that the Audit page's first pages,
 * unfiltered, are answered without a trip to DuckDB. Every view of a page that names pupils adds
 * a row, and the Audit page is made again for each reader after rows were added (its version,
 * app/lib/page-version.server.ts): under 50 readers each such making had waited 95–330 ms for
 * its statement, behind the pages' queries, and some readers for two makings.
 *
 * Kept while it is known to be the trail as committed. Rows the audit writer adds (auditWriter:
 * the views' rows, a batch at a time, outside any transaction) are added to it once committed,
 * with the ids DuckDB gave them — also those committed while the newest rows were being read,
 * which the read may or may not have seen (told apart by their ids: a batch's ids follow every
 * id committed before it). A row written any other way (recordAudits: perhaps in a
 * transaction, seen only at its commit or never), or any commit (the file's generation), makes
 * the next reader read the newest rows again. One object per process (every copy of this
 * module: the web server's bundle and a CLI command relayed to it through tsx), as the count of
 * rows written is.
 */
interface KeptHead {
  /** generationKey when read (the file and its commits). */
  generation: string;
  /** heads.stamp up to which it holds every change. */
  stamp: number;
  total: number;
  /** Every role in the trail, in order. */
  roles: string[];
  /** The newest HEAD_ROWS rows (fewer when the trail is shorter), newest first. */
  rows: AuditRow[];
  /**
   * The audit journal's position read with the rows (auditPageStatement's part 3; 0 when the
   * file had no journal open): every journal row at or below it is in them, so only the rows
   * past it are added from the journal (withJournal). DuckDB shows a batch to a read begun after
   * its commit, before the commit returns to the writer and the writer takes the rows from the
   * journal: a read in that moment (a CI run under load) had counted them twice.
   */
  journal: number;
}
/**
 * A change to a trail: `rows`, a batch the audit writer committed to `file` (ids in order), or
 * null for rows written any other way (to `file`, or to a file not known when null).
 */
interface TrailChange {
  stamp: number;
  file: string | null;
  rows: AuditRow[] | null;
}
const AUDIT_HEADS = Symbol.for("rollcall.analytics.audit.heads.v2");
const heads = ((globalThis as Record<symbol, unknown>)[AUDIT_HEADS] ??= { stamp: 0, byFile: new Map(), changes: [] }) as {
  stamp: number;
  byFile: Map<string, KeptHead>;
  /** The latest changes (CHANGES_KEPT), oldest first: what a read that ran meanwhile catches up with. */
  changes: TrailChange[];
};
/** How many of the newest rows are kept: the Audit page's first four pages. */
const HEAD_ROWS = 4 * AUDIT_PAGE_SIZE;
/** How many changes are remembered for reads that were running meanwhile. */
const CHANGES_KEPT = 100;

/** Moves `stamp` on for a change to the trail, remembered for reads running meanwhile; returns the new stamp. */
function noteChange(file: string | null, rows: AuditRow[] | null): number {
  heads.stamp += 1;
  heads.changes.push({ stamp: heads.stamp, file, rows });
  if (heads.changes.length > CHANGES_KEPT) heads.changes.shift();
  return heads.stamp;
}

/**
 * Adds a batch of the audit writer's (ids in order) to kept newest rows: true when they now hold
 * it (already did: read after its commit; or it was newer than every row they hold), false when
 * they cannot be said to (a batch older than their newest row that they do not hold).
 */
function addBatch(head: KeptHead, batch: readonly AuditRow[]): boolean {
  if (batch.length === 0) return true;
  const newest = head.rows[0]?.id ?? 0;
  if (batch[0].id > newest) {
    head.rows = [...[...batch].reverse(), ...head.rows].slice(0, HEAD_ROWS);
    head.total += batch.length;
    head.roles = [...new Set([...head.roles, ...batch.map((row) => row.role)])].sort();
    return true;
  }
  const kept = new Set(head.rows.map((row) => row.id));
  return batch.every((row) => kept.has(row.id));
}

/**
 * Brings kept newest rows (of `file`) from `head.stamp` up to now, with the changes made since:
 * true when it could (every change since was a batch of the audit writer's, or to another file).
 */
function catchUp(head: KeptHead, file: string): boolean {
  const since = heads.changes.filter((change) => change.stamp > head.stamp);
  if (since.length !== heads.stamp - head.stamp) return false; // some are no longer remembered
  for (const change of since) {
    if (change.file !== null && change.file !== file) continue;
    if (!change.rows || !addBatch(head, change.rows)) return false;
  }
  head.stamp = heads.stamp;
  return true;
}

/** The kept newest rows of the connection's file, if they are still the trail as committed; else null. */
function keptHead(connection: Connection): KeptHead | null {
  const file = connectionFile(connection);
  const generation = generationKey(connection);
  return file && generation !== undefined ? keptHeadOf(file, generation) : null;
}

/** The kept newest rows of `file` (its key) at `generation`, if they are still the trail as committed; else null. */
function keptHeadOf(file: string, generation: string): KeptHead | null {
  const head = heads.byFile.get(file);
  if (!head || head.generation !== generation) return null;
  if (head.stamp === heads.stamp || catchUp(head, file)) return head;
  heads.byFile.delete(file);
  return null;
}

/**
 * Reads the newest rows, the count and the roles; kept (brought up to the changes made while
 * they were read) when that can be done; null where nothing is kept (the result cache off).
 */
async function readHead(connection: Connection): Promise<KeptHead | null> {
  const file = connectionFile(connection);
  const generation = generationKey(connection);
  if (!file || generation === undefined) return null;
  const stamp = heads.stamp;
  const read = await readAuditPage(connection, {}, 1, HEAD_ROWS, true, auditJournalOpen(file));
  const head: KeptHead = { generation, stamp, total: read.total, roles: read.roles, rows: read.rows, journal: read.journal };
  if (generationKey(connection) === generation && catchUp(head, file)) heads.byFile.set(file, head);
  return head;
}

/** The audit writer's rows just committed to `file` (their values, with the `ids` DuckDB gave them), noted as a change to its trail. */
function writerCommitted(file: string | null, values: readonly AuditValues[], ids: readonly number[]): void {
  // Ids in the order the rows were given (recordAudits).
  const sorted = [...ids].sort((a, b) => a - b);
  if (file === null || sorted.length !== values.length) {
    noteChange(file, null);
    return;
  }
  noteChange(file, values.map((row, k) => auditRow(row, sorted[k])));
}

/** A row's values (auditValues) as the trail shows it, with `id`. */
function auditRow([occurred, actor, actor_name, role, action, target, detail, ip]: AuditValues, id: number): AuditRow {
  const at = new Date(`${occurred!.replace(" ", "T")}Z`);
  return { id, at: at.toISOString(), at_london: formatLondon(at), actor: actor!, actor_name, role: role!, action: action as AuditAction, target, detail, ip };
}

/**
 * The kept newest rows with the rows still in the audit journal on top (newest first; `pending`:
 * auditJournalPending past `head.journal`): the whole trail as it stands, without waiting for
 * them to be written in. The journal's rows have no id
 * yet: each is shown with one after the newest kept (unique on the page; DuckDB gives the real
 * ones when they are written in).
 */
function withJournal(head: KeptHead, pending: readonly AuditValues[]): KeptHead {
  if (pending.length === 0) return head;
  const newest = head.rows[0]?.id ?? 0;
  const rows = pending.map((values, k) => auditRow(values, newest + k + 1)).reverse();
  return { ...head, total: head.total + pending.length, roles: [...new Set([...head.roles, ...rows.map((row) => row.role)])].sort(), rows: [...rows, ...head.rows].slice(0, HEAD_ROWS) };
}

/** Page `asked` (answered as the last when past it) of the whole trail from its kept newest rows, or null when they do not hold it. */
function pageOfHead(head: KeptHead, asked: number, pageSize: number, withRoles: boolean): (AuditPage & { roles?: string[] }) | null {
  const pages = Math.max(1, Math.ceil(head.total / pageSize));
  const page = Math.min(pages, asked);
  const end = Math.min(head.total, page * pageSize);
  if (end > head.rows.length) return null;
  const rows = head.rows.slice((page - 1) * pageSize, end).map((row) => ({ ...row }));
  return { rows, total: head.total, page, pageSize, pages, ...(withRoles ? { roles: [...head.roles] } : {}) };
}

/**
 * What queryAudit would answer, from the trail's newest rows kept in memory (KeptHead), without
 * opening a connection: for the Audit page, whose making had waited 5–270 ms under 50 readers
 * for a connection to DuckDB it then did not use. The rows recorded through the audit journal
 * and not yet written into DuckDB are read from it (withJournal): waiting for them had kept the
 * Audit page 0.3–1.2 s under 50 readers, for a batch's four trips to DuckDB. Null when they do
 * not answer it (a filter, a page beyond them, nothing kept, the result cache off): ask
 * queryAudit, which reads the newest rows and keeps them (headPage), or else waits for the journal.
 */
export function keptAuditPage(
  file: string,
  filter: AuditFilter = {},
  paging: { page?: number; pageSize?: number } = {},
  options: { roles?: boolean } = {},
): (AuditPage & { roles?: string[] }) | null {
  const generation = fileGenerationKey(file);
  if (generation === undefined || !wholeTrail(filter)) return null;
  const head = keptHeadOf(fileKey(file), generation);
  if (!head) return null;
  const { asked, pageSize } = pagingOf(paging);
  // Read in the same step as the kept rows: a batch written in moves its rows from one to the other at once.
  return pageOfHead(withJournal(head, auditJournalPending(fileKey(file), head.journal)), asked, pageSize, options.roles === true);
}

/** The page asked for (1-based, at least 1) and the page size (1 to MAX_PAGE_SIZE, AUDIT_PAGE_SIZE by default), as keptAuditPage and queryAudit read them. */
function pagingOf(paging: { page?: number; pageSize?: number }): { asked: number; pageSize: number } {
  return { asked: Math.max(1, Math.floor(paging.page ?? 1)), pageSize: Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(paging.pageSize ?? AUDIT_PAGE_SIZE))) };
}

/** Whether the filter filters nothing (the whole trail). */
const wholeTrail = (filter: AuditFilter) => !filter.from && !filter.to && !filter.actor?.trim() && !filter.role?.trim() && !filter.action && !filter.origin && typeof filter.beforeId !== "number";

/**
 * One page of the trail, newest first, filtered by London date range, actor, role and
 * action; with `options.roles`, also the roles that appear in the whole trail (auditRoles), for
 * the Audit page's filter. The whole trail's first pages come from its newest rows kept in
 * memory (KeptHead, in the web server; read now when none are kept), with the rows still in the
 * audit journal on top, without waiting for the journal (headPage); else, once every row
 * recorded so far is written in (journalApplied), one statement (auditPageStatement: the page's rows,
 * the count of matching rows and the roles together): three statements one after another had
 * kept the page waiting three times for DuckDB. A page past the last is answered as the last
 * (from DuckDB, a second statement, only then). Throws a message fit for the user for a bad
 * date or an unknown action.
 */
export async function queryAudit(
  connection: Connection,
  filter: AuditFilter = {},
  paging: { page?: number; pageSize?: number } = {},
  options: { roles?: boolean } = {},
): Promise<AuditPage & { roles?: string[] }> {
  const { asked, pageSize } = pagingOf(paging);
  const withRoles = options.roles === true;
  if (wholeTrail(filter) && asked * pageSize <= HEAD_ROWS) {
    const answer = await headPage(connection, asked, pageSize, withRoles);
    if (answer) return answer;
  }
  await journalApplied(connection);
  await ensureAuditTable(connection);
  if (wholeTrail(filter)) {
    const head = keptHead(connection) ?? (asked * pageSize <= HEAD_ROWS ? await readHead(connection) : null);
    const answer = head ? pageOfHead(head, asked, pageSize, withRoles) : null;
    if (answer) return answer;
  }
  let result = await readAuditPage(connection, filter, asked, pageSize, withRoles);
  const pages = Math.max(1, Math.ceil(result.total / pageSize));
  const page = Math.min(pages, asked);
  if (page !== asked) result = await readAuditPage(connection, filter, page, pageSize, withRoles);
  return { rows: result.rows, total: result.total, page, pageSize, pages, ...(withRoles ? { roles: result.roles } : {}) };
}

/**
 * Page `asked` of the whole trail from its newest rows (kept, or read now and kept) with the
 * rows still in the audit journal on top (withJournal), without waiting for the journal to be
 * written into DuckDB; null when they cannot answer it (nothing can be kept: the result cache
 * off, a transaction open; a change the read could not be brought up to; a page past them).
 * Every row recorded before it was asked is on it: a batch the writer committed before the
 * read began is in the read; one committed since the read's stamp is added from the changes
 * (catchUp, by ids: a batch the read also saw is not added twice); the rest are still in the
 * journal, read in the same step as the kept rows, less those the read saw already (committed
 * in DuckDB, not yet taken from the journal: told by the journal's position read with the rows,
 * KeptHead.journal). Waiting for the journal instead had made
 * the Audit page, when no kept rows answered (the first after the server's start or after a
 * commit), wait for a batch's four trips to DuckDB behind every other request (0.7–1.2 s in the
 * server under 50 readers).
 */
async function headPage(connection: Connection, asked: number, pageSize: number, withRoles: boolean): Promise<(AuditPage & { roles?: string[] }) | null> {
  const file = connectionFile(connection);
  if (!file) return null;
  if (!keptHead(connection)) {
    await ensureAuditTable(connection);
    await readHead(connection);
  }
  // Looked up again after the read, in the same step as the journal's rows: a batch committed
  // meanwhile moved its rows from the journal to the changes the kept rows are brought up to.
  const head = keptHead(connection);
  return head ? pageOfHead(withJournal(head, auditJournalPending(file, head.journal)), asked, pageSize, withRoles) : null;
}

/**
 * Waits for the rows recorded through the audit journal (recordDurably) to be in the
 * connection's file, so a reader of the trail sees every row recorded before it asked.
 */
async function journalApplied(connection: Connection): Promise<void> {
  const file = connectionFile(connection);
  if (file) await auditJournalApplied(file);
}

/** The roles that appear in the trail, for the page's filter. */
export async function auditRoles(connection: Connection): Promise<string[]> {
  await journalApplied(connection);
  await ensureAuditTable(connection);
  const rows = await queryRows<{ role: string }>(connection, "SELECT DISTINCT role FROM audit_log ORDER BY role");
  return rows.map((r) => r.role);
}


/**
 * The rows an import read, in words for the CLI's and the audit trail's summary line: "1 row
 * read", "20 rows read"; with the marks a marks file's rows gave where they are not one a
 * row (a grid, week strings, a workbook, a CTF): "2 rows read (4 marks)".
 */
export function rowsReadWords(rows: number, marks?: number): string {
  // Thousands with commas, as the pages print them (trial 54b: the CLI's "2380 rows read" beside the page's "2,380").
  const read = `${count(rows)} ${plural(rows, "row")} read`;
  return marks === undefined || marks === rows ? read : `${read} (${count(marks)} ${plural(marks, "mark")})`;
}

/** A count as every page prints it: "2,380". */
const count = (n: number): string => n.toLocaleString("en-GB");

/**
 * The sessions an import read but did not store (ImportSummary.skipped: blank cells, "-" marks
 * not yet taken, closure days, another school's marks in a CTF), in words for the same line, as
 * the Import page's column says them ("Skipped (no mark)"): "3 sessions skipped (no mark)". A
 * trial (50b) read the CLI's "3 sessions read but not stored" beside the page's "Skipped (no
 * mark) 3" as two different things. The summary's notes say why.
 */
export function skippedWords(skipped: number): string {
  return `${count(skipped)} ${skipped === 1 ? "session" : "sessions"} skipped (no mark)`;
}

/** What an import did, as audit rows' target and detail: one `import` row, plus an `amendment` row when marks changed. */
export function importAuditEntries(
  summaries: Array<{ kind: string; file: string; rowsRead: number; marksRead?: number; inserted: number; amended: number; unchanged: number; removed?: number; skipped?: number }>,
): Array<{ action: AuditAction; target: string; detail: string }> {
  // A CTF gives a pupils and a marks summary of one file: named once (a trial read "ctf.xml, ctf.xml").
  const target = [...new Set(summaries.map((s) => s.file))].join(", ");
  // Marks read but not stored (another school's, blank cells, closures) are said, so a CTF's
  // "0 rows read" beside the page's "20 marks skipped" does not read as nothing read.
  const skipped = (s: { skipped?: number }) => (s.skipped ? `, ${skippedWords(s.skipped)}` : "");
  const entries: Array<{ action: AuditAction; target: string; detail: string }> = [
    {
      action: "import",
      target,
      detail: summaries.map((s) => `${s.kind} ${s.file}: ${rowsReadWords(s.rowsRead, s.marksRead)}, ${count(s.inserted)} new, ${count(s.amended)} amended, ${count(s.unchanged)} unchanged${s.removed ? `, ${count(s.removed)} removed` : ""}${skipped(s)}`).join("; "),
    },
  ];
  const amended = summaries.filter((s) => s.kind === "marks" && s.amended > 0);
  for (const s of amended) entries.push({ action: "amendment", target: s.file, detail: `${s.amended} stored marks amended by import (originals kept in the amendment trail)` });
  return entries;
}

/** The CSV of an Audit page: the same rows and columns, the times in London time as shown. */
export function auditCsv(page: AuditPage): string {
  return `${[auditCsvHeader(), ...page.rows.map(auditCsvLine)].join("\r\n")}\r\n`;
}

const auditCsvHeader = () => csvLine(AUDIT_COLUMNS.map((c) => c.label));

/** One row of the trail as a CSV line: the words the page shows (the action's label, the role's name, "Headteacher" not "head"). */
function auditCsvLine(row: AuditRow): string {
  return csvLine(AUDIT_COLUMNS.map((c) => (c.key === "action" ? AUDIT_ACTION_LABELS[row.action] ?? row.action : c.key === "role" ? roleLabel(row.role) : (row[c.key] as string | null))));
}

/** Runs a read on a connection: the one in hand, or (a stream read after its request's work) one opened for it. */
export type AuditRead = WithConnection;

/**
 * Every row of the trail matching `filter` as CSV (the Audit page's columns, newest first),
 * as text chunks to send one after another: the header and the first batch, then a chunk per
 * batch. Read in batches of `batch` rows (at most 1,000, queryAudit's largest page), each the
 * rows recorded before the last one read (`beforeId`), so a row recorded while it is read
 * neither shifts a batch nor is read twice, and no statement reads more than a batch. The
 * first batch is read now on `connection`, with the count of matching rows in the same
 * statement (`rows`: the file's data lines; a row recorded later is newer than the first
 * batch, so never in the file); the others as the chunks are asked for, each through
 * `readLater` (default: `connection`, which must then stay open until the last chunk).
 * Throws what queryAudit throws.
 */
export async function auditTrailCsvStream(
  connection: Connection,
  filter: AuditFilter,
  batch = MAX_PAGE_SIZE,
  readLater: AuditRead = (work) => work(connection),
): Promise<{ rows: number; chunks: AsyncIterable<string> }> {
  const size = Math.min(batch, MAX_PAGE_SIZE);
  const first = await queryAudit(connection, { ...filter, beforeId: null }, { page: 1, pageSize: batch });
  const lines = (rows: AuditRow[]) => rows.map((row) => `${auditCsvLine(row)}\r\n`).join("");
  async function* chunks(): AsyncGenerator<string> {
    yield `${auditCsvHeader()}\r\n${lines(first.rows)}`;
    let last = first.rows;
    while (last.length >= size) {
      const beforeId = last.at(-1)!.id;
      last = (await readLater((c) => queryAudit(c, { ...filter, beforeId }, { page: 1, pageSize: batch }))).rows;
      if (last.length > 0) yield lines(last);
    }
  }
  return { rows: first.total, chunks: chunks() };
}

/** auditTrailCsvStream's chunks as one string, and its row count (for a script or test). */
export async function auditTrailCsv(connection: Connection, filter: AuditFilter, batch = MAX_PAGE_SIZE): Promise<{ csv: string; rows: number }> {
  const { rows, chunks } = await auditTrailCsvStream(connection, filter, batch);
  let csv = "";
  for await (const chunk of chunks) csv += chunk;
  return { csv, rows };
}

/** Reads the Audit page's filter and page from a URL's search (the page and its CSV share it). */
export function auditQueryFromSearch(search: URLSearchParams): { filter: AuditFilter; page: number; problems: string[] } {
  const problems: string[] = [];
  const date = (name: string) => {
    const value = search.get(name)?.trim() ?? "";
    if (!value) return null;
    // A real calendar date (Date.parse reads 2026-02-30 as 2 March), and one whose next day
    // DuckDB can read: 9999-12-31's is year 10000, which answered a 500.
    const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
    if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value || value < "1900-01-01" || value > "9998-12-31") {
      problems.push(`"${value.slice(0, 20)}" is not a date (YYYY-MM-DD)`);
      return null;
    }
    return value;
  };
  let action = search.get("action")?.trim() ?? "";
  let origin = search.get("from_where")?.trim() ?? "";
  // Bookmarks of the old "Ran a CLI command" action (never written: CLI commands are recorded
  // under what they did) read as the command line.
  if (action === "cli_command") {
    action = "";
    origin = "cli";
  }
  if (action && !isAuditAction(action)) problems.push(`"${action.slice(0, 30)}" is not an action`);
  if (origin && !isAuditOrigin(origin)) problems.push(`"${origin.slice(0, 30)}" is not a place actions are taken from`);
  // A page number in digits, as every list reads it (list-paging.ts pageNumber): `page=1e3` had
  // been read as page 1,000 and `page=abc` as the first page, without a word (trial 25b).
  const rawPage = search.get("page")?.trim() ?? "";
  const page = rawPage ? pageNumber(rawPage) : 1;
  if (page === null) problems.push(`"${rawPage.slice(0, 20)}" is not a page number such as 2`);
  let from = date("from");
  let to = date("to");
  // A range that starts after it ends holds no day: said, and read as no range (trial 26: an
  // empty list without a word), as a page says a custom period it cannot read.
  if (from && to && from > to) {
    problems.push(`the range starts (${from}) after it ends (${to})`);
    from = null;
    to = null;
  }
  return {
    filter: {
      from,
      to,
      actor: search.get("actor")?.trim().slice(0, 200) || null,
      role: search.get("role")?.trim().slice(0, 60) || null,
      action: action && isAuditAction(action) ? action : null,
      origin: origin && isAuditOrigin(origin) ? origin : null,
    },
    page: page ?? 1,
    problems,
  };
}

/**
 * Why the address's `role` (as auditQueryFromSearch read it) is not read, or null: a role that
 * is neither one of the five (ROLES) nor one recorded in the trail (`trailRoles`, queryAudit's
 * `roles`: "none", "script", "CLI", …), in the words of auditQueryFromSearch's problems. The
 * Audit page says it and shows every role; its CSV is refused. `role=nope` had given an empty
 * list (the page) and a file of the header alone (the CSV) without a word (trial 26).
 */
export function auditRoleProblem(role: string | null | undefined, trailRoles: readonly string[]): string | null {
  if (!role || (ROLES as readonly string[]).includes(role) || trailRoles.includes(role)) return null;
  // Each role as people read it, with the word the address takes (trial 26: the notice had
  // listed only the ids, "attendance_lead").
  // Not in brackets: a role's name may hold some ("Rollcall itself (set-up or a script)"), and
  // the list in brackets had ended "(script))" (trial 27).
  const known = [...new Set([...ROLES, ...trailRoles])].map((id) => (roleLabel(id) === id ? id : `${id} for ${roleLabel(id)}`));
  return `"${role.slice(0, 30)}" is not a role: the address takes ${listWords(known)}`;
}
