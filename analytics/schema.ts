/**
 * The register store's schema. Created on first open; the version in `meta` lets a later
 * release migrate an existing school's file.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { ALL_CODES } from "./codes.ts";
import { CODE_CATALOGUE_VIEW, migrateCodeCatalogue } from "./code-catalogue-view.ts";
import { benchmarkSchemaStatements } from "./benchmarks/schema.ts";
import { COMMENTARY_DDL } from "./packs/schema.ts";
import { STORE_DDL, ensureStore, migrateWeekCodes } from "./store.ts";
import { USERS_DDL, USERS_MUST_CHANGE_COLUMN } from "./users/schema.ts";
import { AUDIT_DDL } from "./audit-schema.ts";
import { SETTINGS_CHANGES_DDL } from "./casework/schema.ts";
import { INTERVENTIONS_DDL, INTERVENTIONS_LABEL_COLUMN } from "./interventions/schema.ts";
import { sqlString } from "./sql-literal.ts";
import { plainTransaction } from "./db.ts";
import { replaceMeta } from "./key-values.ts";
import { KEY_VALUES_DDL, KEY_VALUE_VIEWS, mergeKeyValues } from "./key-values-schema.ts";

/**
 * 8: `meta` and `settings` views over one table, `key_values` (analytics/key-values-schema.ts);
 * 7: `pupils`, `meta` and `settings` without a PRIMARY KEY (UNKEYED_TABLES); 6: `code_catalogue` a view of the code catalogue's constant rows, not a table
 * (analytics/code-catalogue-view.ts); 5: the week-and-code aggregate's dates kept as days after the week's Monday (analytics/store.ts
 * WEEK_CODE_STORE); 4: the tables nothing upserts into without a primary key (UNKEYED_TABLES); 3:
 * `pupil_characteristics` without one (UNKEYED_SPELLS); 2: marks keyed by integer pupil id
 * with aggregates (analytics/store.ts); 1 had a UPN per mark.
 */
export const SCHEMA_VERSION = 8;

/**
 * `pupil_characteristics` is kept to one spell per pupil and start date by the importers
 * (analytics/import/spells.ts refuseSpellsTwice, run in the import's transaction before it
 * commits), not by a PRIMARY KEY: DuckDB keeps a key as an ART index in blocks of its own,
 * and this one was the file's dearest after the pupils' — measured on 4,500 pupils × 1 year
 * (1,717,806 marks), 10 blocks of 32 KiB, the file 3.55 → 3.22 MB (2.07 → 1.87 bytes a mark:
 * issue 11's goal is 2). The marks never had one, for the same reason (analytics/store.ts).
 */
export const UNKEYED_SPELLS = "pupil_characteristics";

/**
 * The tables without a PRIMARY KEY: these from schema 4 (UNKEYED_SPELLS from 3), `pupils`,
 * `meta` and `settings` from 7 (from 8 the two are views over one table, `key_values`:
 * analytics/key-values-schema.ts). Each key's ART index took a block of 32 KiB of its own even
 * for a table of a few rows (the pupils' 4 on a school of 1,000), and no row is ever looked up
 * through the key where a scan of a few thousand rows would not do. Without a key DuckDB
 * refuses INSERT OR REPLACE / ON CONFLICT (they need it), so nothing here is written so.
 * Each is kept unique by what writes it:
 * - `pupils`, a UPN once (the register's identity): written only by the pupils import
 *   (analytics/import/pupils.ts, for a pupils file, a worksheet or a CTF's pupils), which
 *   refuses a file giving a UPN twice and inserts only the UPNs not stored (the others are
 *   updated in place), and by `pupils correct-upn` (analytics/pupil-upn.ts), which renames a
 *   pupil only to a UPN not stored and otherwise merges the two into the stored one; retention
 *   only deletes (test/unkeyed-pupils-meta.test.ts);
 * - `key_values` (the rows of `meta` and `settings`), a value a key of a scope: every write
 *   replaces the key's rows (DELETE + INSERT in the writer's transaction) or keeps the first
 *   (analytics/key-values.ts);
 * - `imports`: the id one more than the last recorded (analytics/import/values.ts nextImportId:
 *   import_id_seq, kept in the schema, is no longer read: a sequence is not rolled back, so
 *   refused files and previews left gaps); `amendments`: ids from amendment_id_seq;
 * - `calendar_periods`, `closures`, `school_days`: the calendar import refuses half terms
 *   given twice or overlapping, keeps one reason per closure day (a map by date) and makes the
 *   school days afresh from the half terms (analytics/import/calendar.ts);
 * - `audit_log`, `interventions`, `settings_changes`, `pack_commentary`: ids by their
 *   columns' DEFAULT nextval, append-only.
 * Kept keyed: `users` (one account per e-mail address, UNIQUE) and `user_sessions`, and the
 * national benchmarks' tables (`benchmark_figures` is written with INSERT OR IGNORE, which needs
 * its key). Empty, a key costs no block; a school's file that holds accounts and the shipped
 * national figures pays for them (the trust school built by `rollcall demo`, with its 5
 * accounts, took 78 blocks at schema 6 against 74 built without them).
 * Measured on files built by the demo generator (buildDemo, as the bench builds them), blocks
 * of 32 KiB (bytes a mark) after CHECKPOINT. Schema 4: the demo school 41 → 34 (6.58 → 5.47),
 * 4,500 pupils × 1 year 105 → 96 (2.01 → 1.84), a trust school of 1,000 pupils × 3 years
 * (1,144,976 marks) 89 → 81 (2.56 → 2.33). Schema 7 (the keys of `pupils`, `meta` and
 * `settings`): the demo school 29 → 26 (4.67 → 4.20), 4,500 × 1 year 90 → 79 (1.72 → 1.51),
 * the trust school 74 → 69 (2.13 → 1.99). Schema 8 (`meta` and `settings` one table,
 * analytics/key-values-schema.ts): the demo school 26 → 25 (4.20 → 4.04), by `rollcall demo`
 * with its accounts 30 → 29 (4.83 → 4.67), the trust school 69 → 68 (1.985 → 1.957).
 * A file made before loses the keys when opened (dropKeys); its file does not shrink (DuckDB
 * writes the copies before it frees the old tables' blocks, and never truncates a file: the
 * trust school's 74 blocks became 79, 9 of them free for later imports) until `rollcall
 * compact` (68).
 */
export const UNKEYED_TABLES = [
  UNKEYED_SPELLS,
  "imports",
  "amendments",
  "calendar_periods",
  "closures",
  "school_days",
  "audit_log",
  "interventions",
  "settings_changes",
  "pack_commentary",
  "pupils",
  "key_values",
] as const;

/** DDL for the store, a statement each, in order (a new file runs them all). Values inside come only from the code catalogue, never from input. */
export function schemaStatements(): string[] {
  const codeEnum = ALL_CODES.map(sqlString).join(", ");
  return [
    `CREATE TYPE mark_code AS ENUM (${codeEnum})`,
    `CREATE TYPE register_session AS ENUM ('AM', 'PM')`,
    // One value a key, kept so by their one writer (analytics/key-values.ts), not by a key
    // (UNKEYED_TABLES); `meta` and `settings` views over the one table (analytics/key-values-schema.ts).
    KEY_VALUES_DDL,
    ...KEY_VALUE_VIEWS,
    // The code catalogue: a view of constant rows, not a table (analytics/code-catalogue-view.ts).
    CODE_CATALOGUE_VIEW,
    `CREATE SEQUENCE import_id_seq START 1`,
    `CREATE TABLE imports (
       import_id INTEGER NOT NULL,
       kind VARCHAR NOT NULL,
       file_name VARCHAR NOT NULL,
       sha256 VARCHAR NOT NULL,
       rows_read INTEGER NOT NULL,
       rows_inserted INTEGER NOT NULL,
       rows_amended INTEGER NOT NULL,
       rows_unchanged INTEGER NOT NULL,
       imported_at TIMESTAMP NOT NULL,
       imported_by VARCHAR NOT NULL,
       imported_by_role VARCHAR NOT NULL,
       first_date DATE,
       last_date DATE)`,
    // A UPN stored once, kept so by its writers (UNKEYED_TABLES), not by a key.
    `CREATE TABLE pupils (
       upn VARCHAR NOT NULL,
       forename VARCHAR NOT NULL,
       surname VARCHAR NOT NULL,
       dob DATE NOT NULL,
       sex VARCHAR NOT NULL,
       ethnicity VARCHAR NOT NULL,
       admission_date DATE NOT NULL,
       leaving_date DATE)`,
    // One row per spell of unchanged characteristics; valid_to NULL is the current row. One
    // spell per pupil and start date, kept by the importers (UNKEYED_SPELLS).
    `CREATE TABLE pupil_characteristics (
       upn VARCHAR NOT NULL,
       valid_from DATE NOT NULL,
       valid_to DATE,
       year_group VARCHAR NOT NULL,
       reg_group VARCHAR NOT NULL,
       sen VARCHAR NOT NULL,
       fsm VARCHAR NOT NULL,
       eal VARCHAR NOT NULL,
       lac VARCHAR NOT NULL)`,
    // Half terms as the school published them; school days are the weekdays inside them
    // that are not closures.
    `CREATE TABLE calendar_periods (
       half_term VARCHAR NOT NULL,
       start_date DATE NOT NULL,
       end_date DATE NOT NULL)`,
    `CREATE TABLE closures (
       date DATE NOT NULL,
       reason VARCHAR NOT NULL)`,
    `CREATE TABLE school_days (
       date DATE NOT NULL,
       academic_year VARCHAR NOT NULL,
       term VARCHAR NOT NULL,
       half_term VARCHAR NOT NULL)`,
    // Marks: the compact store, its aggregates and the read-only `marks` view (analytics/store.ts).
    ...STORE_DDL,
    `CREATE SEQUENCE amendment_id_seq START 1`,
    `CREATE TABLE amendments (
       amendment_id INTEGER NOT NULL,
       upn VARCHAR NOT NULL,
       date DATE NOT NULL,
       session register_session NOT NULL,
       original_code mark_code NOT NULL,
       new_code mark_code NOT NULL,
       reason VARCHAR NOT NULL,
       amended_at TIMESTAMP NOT NULL,
       amended_by VARCHAR NOT NULL,
       amended_by_role VARCHAR NOT NULL,
       import_id INTEGER,
       original_minutes_late SMALLINT,
       new_minutes_late SMALLINT)`,
    // Report packs: the head's commentary per pack, period and heading, every save kept
    // (analytics/packs/commentary.ts also creates these on first use, for older files).
    ...COMMENTARY_DDL,
    // The audit trail (analytics/audit.ts): append-only.
    ...AUDIT_DDL,
    // Who changed which setting and when (analytics/settings.ts).
    ...SETTINGS_CHANGES_DDL,
    // Interventions recorded on pupils' pages, append-only (analytics/interventions/).
    ...INTERVENTIONS_DDL,
    // National benchmarks (analytics/benchmarks/): published figures and their imports.
    ...benchmarkSchemaStatements(),
    // Sign-in (analytics/users/): accounts, sessions, failed attempts.
    ...USERS_DDL,
  ];
}

/**
 * Brings a file made before schema 7 to today's: each table of UNKEYED_TABLES that the file
 * holds with a PRIMARY KEY (UNKEYED_SPELLS from schema 2; the others of schema 4 from 2 or 3;
 * `pupils` from any before 7) rebuilt without it
 * (DuckDB cannot drop a table's key in place): made from the DDL a new file gets under a
 * temporary name, its rows copied in the order they were written (by name: a column added to
 * the table since, such as interventions' label, is filled as ALTER TABLE … ADD COLUMN fills
 * it), the old table dropped and the new one renamed; in one transaction (a failure leaves
 * the file as it was). The ids' sequences are untouched. True when the version was raised
 * (the caller checkpoints). `meta` and `settings`, keyed before 7 too, are not among them: the
 * merge into `key_values` (mergeKeyValues, run first) has already made them afresh.
 */
async function dropKeys(connection: DuckDBConnection, known?: number): Promise<boolean> {
  if ((known ?? (await schemaVersion(connection))) >= 7) return false;
  const keyed = await connection.runAndReadAll(
    `SELECT DISTINCT table_name FROM duckdb_constraints()
     WHERE database_name = current_database() AND schema_name = 'main' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')
       AND table_name IN (${UNKEYED_TABLES.map(sqlString).join(", ")})
     ORDER BY table_name`,
  );
  const statements = schemaStatements();
  await plainTransaction(connection, async () => {
    for (const { table_name } of keyed.getRowObjects()) {
      const table = String(table_name);
      const ddl = statements.find((s) => s.startsWith(`CREATE TABLE ${table} (`) || s.startsWith(`CREATE TABLE IF NOT EXISTS ${table} (`));
      if (!ddl) throw new Error(`internal: no DDL for ${table}`);
      await connection.run(ddl.replace(/^CREATE TABLE (IF NOT EXISTS )?\w+ \(/, `CREATE TABLE ${table}_unkeyed (`));
      await connection.run(`INSERT INTO ${table}_unkeyed BY NAME SELECT * FROM ${table} ORDER BY rowid`);
      await connection.run(`DROP TABLE ${table}`);
      await connection.run(`ALTER TABLE ${table}_unkeyed RENAME TO ${table}`);
    }
    await replaceMeta(connection, "schema_version", String(SCHEMA_VERSION));
  });
  return true;
}

/**
 * The columns an amendment made before minutes late were recorded with it lacks: a mark's
 * minutes changed by an import (6 → 10, or kept) are part of the legal record as its code is.
 */
const AMENDMENTS_MINUTES_COLUMNS = [
  `ALTER TABLE amendments ADD COLUMN IF NOT EXISTS original_minutes_late SMALLINT`,
  `ALTER TABLE amendments ADD COLUMN IF NOT EXISTS new_minutes_late SMALLINT`,
];

/**
 * The columns an import recorded before the dates of its marks were kept with it lacks: the
 * first and last date of the marks a marks file gave (null for a calendar or pupils file, and
 * for an import recorded before), so its record says which days it covered (trial 54: a week's
 * marks said only "2,380 marks read", not that they were 30 Nov to 4 Dec). Added in place, as
 * the other columns of ADDED_COLUMNS, with no new schema version: a file of schema 8 either has
 * them or gets them as it opens, and an earlier release writing to it names its columns.
 */
const IMPORTS_DATES_COLUMNS = [
  `ALTER TABLE imports ADD COLUMN IF NOT EXISTS first_date DATE`,
  `ALTER TABLE imports ADD COLUMN IF NOT EXISTS last_date DATE`,
];

/**
 * Throws NewerSchemaError when a file's schema `version` is past this release's: a later
 * Rollcall changed its tables (schema 8 made `meta` a view, which an earlier release took for
 * a file with no schema and failed on with DuckDB's "Type with name mark_code already
 * exists"), so reading or migrating it here could go wrong. Nothing has changed the file yet.
 */
function refuseNewer(version: number): void {
  if (version > SCHEMA_VERSION) throw new NewerSchemaError(version);
}

/** A database file written by a later Rollcall (its schema version past SCHEMA_VERSION): the words say what to do. */
export class NewerSchemaError extends Error {
  constructor(readonly version: number) {
    super(
      `this database file has been opened by a newer Rollcall (its schema is version ${version}; this Rollcall reads up to version ${SCHEMA_VERSION}), so this one cannot read it: use that release or a later one. The file is unchanged.`,
    );
    this.name = "NewerSchemaError";
  }
}

/**
 * A DuckDB database file of another program's (its own tables, none of Rollcall's), or a
 * Rollcall file that has lost its schema version: refused before anything is added to it.
 * Rollcall had made its schema beside the other tables and answered `summary` as an empty
 * school (review 53's note), leaving some thirty tables in someone's analysis file; a file
 * with a table of its own named `meta` had that table taken for Rollcall's (review 54).
 * `names`: up to three of what it holds (tables, views, sequences, types, macros, schemas);
 * `more`: how many others; `rollcallTables`: it holds Rollcall's own tables (pupils, the marks'
 * store) without the schema version, so it is a damaged register, not another program's.
 */
export class ForeignDatabaseError extends Error {
  /** What it holds, in words: "sales, v and 4 more". */
  readonly holds: string;
  constructor(readonly file: string, names: readonly string[], more: number, readonly rollcallTables = false) {
    const holds = `${names.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
    super(
      rollcallTables
        ? `${file} holds Rollcall's tables (${holds}) but not the schema version that says how to read them (its key_values table is missing or not Rollcall's), so it cannot be read as it is: Rollcall has not changed it. Restore the file from a copy made before (README "Upgrading" says how to keep one).`
        : `${file} is another program's DuckDB database (it holds ${holds}), not a school's register: Rollcall has not changed it. ` +
          `Give the school's database with --db FILE (or ROLLCALL_DB), or make a new one with rollcall init --school NAME --db NEW_FILE (or try rollcall demo).`,
    );
    this.name = "ForeignDatabaseError";
    this.holds = holds;
  }
}

/**
 * The keys a `meta` table of Rollcall's ever held: only files before schema 8 have the table
 * (since, `meta` is a view over key_values), so the list is closed. "demo_school" is the demo's
 * marker (analytics/users/store.ts DEMO_MARKER).
 */
const META_KEYS = ["schema_version", "urn", "session_secret", "demo_school"];

/**
 * Whether the file's `meta` or `key_values` table (`tables` says which it has) is Rollcall's: a
 * `key_values` of (scope, key, value) in Rollcall's scopes holding the schema version, or a
 * `meta` of (key, value) holding none but Rollcall's keys (a file before the audit trail held an
 * empty one). Another program's table of that name has other columns (the read fails) or keys.
 */
async function ownBookkeeping(connection: DuckDBConnection, tables: ReadonlySet<string>): Promise<boolean> {
  try {
    const sql = tables.has("key_values")
      ? `SELECT count(*) FILTER (WHERE scope NOT IN ('meta', 'settings'))::INTEGER AS foreign_rows,
                count(*) FILTER (WHERE scope = 'meta' AND key = 'schema_version')::INTEGER AS versions FROM key_values`
      : `SELECT count(*) FILTER (WHERE key NOT IN (${META_KEYS.map((k) => `'${k}'`).join(", ")}))::INTEGER AS foreign_rows, 1 AS versions FROM meta`;
    const row = (await connection.runAndReadAll(sql)).getRowObjects()[0];
    return Number(row.foreign_rows) === 0 && Number(row.versions) >= 1;
  } catch {
    return false;
  }
}

/**
 * Throws ForeignDatabaseError when the open file, which has no Rollcall schema, holds anything of
 * its own — a table, view, sequence, type, macro or schema (whatever `file` was used for before):
 * only a file with nothing in it is given Rollcall's schema.
 */
async function refuseForeignDatabase(connection: DuckDBConnection, file: string): Promise<void> {
  const found = await connection.runAndReadAll(
    `SELECT name FROM (
       SELECT table_name AS name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary
       UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal AND NOT temporary
       UNION ALL SELECT sequence_name FROM duckdb_sequences() WHERE database_name = current_database() AND NOT temporary
       UNION ALL SELECT type_name FROM duckdb_types() WHERE database_name = current_database() AND NOT internal
       UNION ALL SELECT DISTINCT function_name FROM duckdb_functions() WHERE database_name = current_database() AND NOT internal AND function_type IN ('macro', 'table_macro')
       UNION ALL SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database() AND NOT internal AND schema_name <> 'main')
     ORDER BY name`,
  );
  const names = found.getRowObjects().map((r) => String(r.name));
  if (names.length === 0) return;
  // Rollcall's own tables without the schema version: a damaged register, said so.
  const own = new Set(schemaTableNames());
  const ours = names.filter((name) => own.has(name));
  const damaged = ours.includes("pupils") || ours.includes("mark_store");
  const shown = damaged ? ours : names;
  throw new ForeignDatabaseError(file, shown.slice(0, 3), Math.max(0, shown.length - 3), damaged);
}

/** The tables a new file's schema makes (schemaStatements' CREATE TABLEs), by name. */
export function schemaTableNames(): string[] {
  return schemaStatements().flatMap((statement) => /^CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+) \(/.exec(statement.trim())?.[1] ?? []);
}

/** The open file's schema version (meta), 0 when it has none. */
export async function schemaVersion(connection: DuckDBConnection): Promise<number> {
  const version = await connection.runAndReadAll("SELECT value FROM meta WHERE key = 'schema_version'");
  return Number(version.getRowObjects()[0]?.value ?? 0);
}

/** The columns added to a table after its first schema (each with the DDL that adds it), checked as a file opens. */
const ADDED_COLUMNS = [
  { table: "interventions", column: "label", ddl: [INTERVENTIONS_LABEL_COLUMN] },
  { table: "users", column: "must_change_password", ddl: [USERS_MUST_CHANGE_COLUMN] },
  { table: "amendments", column: "new_minutes_late", ddl: AMENDMENTS_MINUTES_COLUMNS },
  { table: "imports", column: "last_date", ddl: IMPORTS_DATES_COLUMNS },
] as const;

/**
 * The schema version and which of ADDED_COLUMNS the file's tables (`tables`: those it holds)
 * have, in one query: as four they were four round trips of every import the CLI runs
 * (each opens the file afresh), 2–4 ms of CPU each (profile-import-phases).
 */
async function probeSchema(connection: DuckDBConnection, tables: Set<string>): Promise<{ version: number; columns: Set<string> }> {
  const added = ADDED_COLUMNS.filter((a) => tables.has(a.table));
  const params: Record<string, string> = {};
  const parts = ["SELECT 'meta' AS what, value FROM meta WHERE key = 'schema_version'"];
  for (const [i, a] of added.entries()) {
    params[`column${i}`] = a.column;
    // The table's name is from ADDED_COLUMNS (a closed list); the column's is bound.
    parts.push(`SELECT '${a.table}', name FROM pragma_table_info('${a.table}') WHERE name = $column${i}`);
  }
  const found = (await connection.runAndReadAll(parts.join(" UNION ALL "), params)).getRowObjects();
  const version = found.find((r) => r.what === "meta");
  return { version: Number(version?.value ?? 0), columns: new Set(found.filter((r) => r.what !== "meta").map((r) => `${r.what}.${r.value}`)) };
}

/**
 * Runs `ddl` when `table` has no column `column`; true when it did (the caller checkpoints).
 * `present`: whether it has, when the caller knows (probeSchema); else it is looked up.
 */
async function addMissingColumn(connection: DuckDBConnection, table: (typeof ADDED_COLUMNS)[number]["table"], column: string, ddl: readonly string[], present?: boolean): Promise<boolean> {
  if (present ?? (await hasColumn(connection, table, column))) return false;
  for (const statement of ddl) await connection.run(statement);
  return true;
}

async function hasColumn(connection: DuckDBConnection, table: (typeof ADDED_COLUMNS)[number]["table"], column: string): Promise<boolean> {
  const found = await connection.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM pragma_table_info('${table}') WHERE name = $column`, { column });
  return Number(found.getRowObjects()[0].n) > 0;
}

/** An existing file brought to this release's schema as it was opened: schema versions before and after (whole numbers). */
export interface SchemaUpgrade {
  from: number;
  to: number;
}

/**
 * Makes a new file's schema, or brings an existing file's to SCHEMA_VERSION (one way: README
 * "Upgrading"). Returns the upgrade when an existing file of an earlier schema was upgraded,
 * so that the dashboard's start log and the CLI can say so; null otherwise.
 * @throws Error for a file a later release wrote (refuseNewer), before anything changes it.
 * @throws ForeignDatabaseError for a file with no Rollcall schema that holds anything else
 *   (`file`: its path, for the words; ":memory:" is never foreign).
 */
export async function ensureSchema(connection: DuckDBConnection, file = ":memory:"): Promise<SchemaUpgrade | null> {
  // One look at the catalogue for every check below: the CLI and the bench open the file for
  // each import, and the first query of duckdb_columns() on a fresh instance took 12–15 ms.
  const found = await connection.runAndReadAll(
    "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND table_name IN ('meta', 'settings', 'key_values', 'marks', 'mark_store', 'mark_week_codes', 'code_catalogue', 'interventions', 'users', 'amendments', 'imports')",
  );
  const tables = new Set(found.getRowObjects().map((r) => String(r.table_name)));
  // Another program's table named meta or key_values is not taken for Rollcall's (review 54).
  if ((tables.has("meta") || tables.has("key_values")) && (file === ":memory:" || (await ownBookkeeping(connection, tables)))) {
    // `meta` and `settings` as tables (before schema 8): one table and two views instead, first,
    // as every migration below writes the version through replaceMeta (into that table).
    const merged = tables.has("meta");
    let was: number | undefined;
    if (merged) {
      // A file a later Rollcall wrote is refused before anything here changes it.
      was = await schemaVersion(connection);
      refuseNewer(was);
      await mergeKeyValues(connection, SCHEMA_VERSION, tables, was);
    }
    // An existing file: bring its marks to the compact store if it predates it (a `marks`
    // table, not the view) or has no store yet (ensureStore decides what to do).
    const migrating = tables.has("marks") || !tables.has("mark_store");
    // A file of today's store (no migration below changes its tables first): its version and
    // added columns read in one query; otherwise each is read after the migrations before it.
    const probed = migrating || tables.has("mark_week_codes") ? undefined : await probeSchema(connection, tables);
    if (!merged) {
      was = probed?.version ?? (await schemaVersion(connection));
      refuseNewer(was);
    }
    if (migrating) await ensureStore(connection);
    let upgraded = (await dropKeys(connection, probed?.version)) || merged;
    // The week-and-code aggregate as a table of dates (before schema 5): its days kept instead.
    if (tables.has("mark_week_codes")) upgraded = (await migrateWeekCodes(connection)) || upgraded;
    // The code catalogue as a table (before schema 6): the view of constant rows instead.
    if (tables.has("code_catalogue")) upgraded = (await migrateCodeCatalogue(connection, SCHEMA_VERSION)) || upgraded;
    // Interventions recorded before their words were stored with them (INTERVENTIONS_LABEL_COLUMN);
    // accounts made before an administrator's password could be marked for changing
    // (USERS_MUST_CHANGE_COLUMN); amendments recorded before a change of minutes late was kept
    // with them (AMENDMENTS_MINUTES_COLUMNS); imports recorded before their marks' dates were
    // (IMPORTS_DATES_COLUMNS). A file without the interventions or users table
    // makes it with the column on first use. dropKeys may have rebuilt a table (from today's
    // DDL, the column with it): the probe's answer holds only when it did not.
    const rebuilt = upgraded;
    for (const { table, column, ddl } of ADDED_COLUMNS) {
      if (!tables.has(table)) continue;
      const present = probed && !rebuilt ? probed.columns.has(`${table}.${column}`) : undefined;
      upgraded = (await addMissingColumn(connection, table, column, ddl, present)) || upgraded;
    }
    // Write the upgrade into the file now, leaving nothing of it in the write-ahead log: DuckDB
    // 1.5.6 cannot replay an ADD COLUMN on a table with a function default (users.user_id
    // DEFAULT nextval), so a process killed before closing (power cut, out-of-memory kill) left
    // a file that would not open (duckdb/duckdb#18259; test/schema-upgrade-crash.test.ts).
    if (upgraded) await connection.run("CHECKPOINT");
    return was !== undefined && was < SCHEMA_VERSION && (upgraded || migrating) ? { from: was, to: SCHEMA_VERSION } : null;
  }
  if (file !== ":memory:") await refuseForeignDatabase(connection, file);
  await plainTransaction(connection, async () => {
    for (const statement of schemaStatements()) await connection.run(statement);
    await replaceMeta(connection, "schema_version", String(SCHEMA_VERSION));
  });
  return null;
}
