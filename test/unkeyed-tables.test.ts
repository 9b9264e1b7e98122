/**
 * Schema 4 (analytics/schema.ts UNKEYED_TABLES): the tables nothing upserts into have no
 * PRIMARY KEY (each key's index took a block of the file); a file made with the keys (schema 3)
 * loses them when opened, every row kept and every id sequence going on from where it was.
 *
 * Schema 3 (analytics/schema.ts UNKEYED_SPELLS): `pupil_characteristics` has no PRIMARY KEY
 * (DuckDB's index for it took more of a school's file than any table but the marks'); a file
 * made with the key (schema 2) loses it when opened, every row and figure kept; the importers
 * keep one spell per pupil and start date, refusing a file that would store a second, with
 * nothing written. (`pupils` lost its key in schema 7: test/unkeyed-pupils-meta.test.ts.)
 */
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeInstance, inTransaction, queryOne, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { importPupils } from "../analytics/import/index.ts";
import { replaceCharacteristicHistory } from "../analytics/import/ctf-history.ts";
import { aggregateLevel } from "../analytics/measures.ts";
import { SCHEMA_VERSION, UNKEYED_TABLES } from "../analytics/schema.ts";
import { copyDatabase, removeDb, tempDbPath } from "./helpers/db.ts";
import { catalogueAsTable } from "./helpers/old-catalogue.ts";
import { keyValuesAsTables } from "./helpers/old-key-values.ts";
import { BY, fingerprint, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

const TODAY = "2026-11-23";
const built = tempDbPath("unkeyed");
const keyed = path.join(path.dirname(built), "schema-2.duckdb");
const keyed3 = path.join(path.dirname(built), "schema-3.duckdb");

/** The week-and-code aggregate as schemas 2 to 4 kept it: a table, with dates. */
const SCHEMA_4_WEEK_CODES = `CREATE TABLE mark_week_codes (
   pupil_id INTEGER NOT NULL, week DATE NOT NULL, first_date DATE NOT NULL, last_date DATE NOT NULL,
   code mark_code NOT NULL, sessions USMALLINT NOT NULL)`;

/** The week-and-code aggregate's rows, in order. */
const WEEK_CODES = "SELECT pupil_id, week::VARCHAR AS week, first_date::VARCHAR AS f, last_date::VARCHAR AS l, code::VARCHAR AS code, sessions FROM mark_week_codes ORDER BY ALL";

/** The keys schema 3 gave the tables of UNKEYED_TABLES other than the spells (as analytics/ had them). */
const SCHEMA_3_KEYS: Record<string, string> = {
  imports: "import_id",
  amendments: "amendment_id",
  calendar_periods: "start_date",
  closures: "date",
  school_days: "date",
  audit_log: "id",
  interventions: "intervention_id",
  settings_changes: "change_id",
  pack_commentary: "entry_id",
};
const small = tempDbPath("unkeyed-small");

/** The tables keyed up to schema 6 that schema 7 unkeys (a file made before has them keyed). */
const SCHEMA_6_KEYED = ["pupils", "meta", "settings"];

/** In a copy being made (copyDatabase's, as `o`): the keys of SCHEMA_6_KEYED, as schemas 2 to 6 had them (meta and settings tables, as before schema 8). */
async function schema6Keys(c: Connection): Promise<void> {
  await keyValuesAsTables(c);
  await c.run("ALTER TABLE o.pupils ADD PRIMARY KEY (upn)");
  await c.run(`ALTER TABLE o.meta ADD PRIMARY KEY ("key")`);
  await c.run(`ALTER TABLE o.settings ADD PRIMARY KEY ("key")`);
}

/** Schema 2's DDL for the spells (as analytics/schema.ts had it). */
const SCHEMA_2_SPELLS = `CREATE TABLE pupil_characteristics (
   upn VARCHAR NOT NULL, valid_from DATE NOT NULL, valid_to DATE, year_group VARCHAR NOT NULL,
   reg_group VARCHAR NOT NULL, sen VARCHAR NOT NULL, fsm VARCHAR NOT NULL, eal VARCHAR NOT NULL,
   lac VARCHAR NOT NULL, PRIMARY KEY (upn, valid_from))`;

/**
 * In a copy being made (copyDatabase's `change`, the built file attached as `b`, the copy as
 * `o`): `table` created in the copy from `ddl`, every row of the built file's copied into it
 * (in `order`), and the copy's schema version set to `version`.
 */
async function remade(c: Connection, ddl: string, table: string, order: string, version: number): Promise<void> {
  await c.run("USE o");
  await c.run(ddl);
  await c.run("USE memory");
  await c.run(`INSERT INTO o.${table} SELECT * FROM b.${table}${order}`);
  await c.run(`UPDATE o.meta SET value = '${version}' WHERE key = 'schema_version'`);
}

beforeAll(async () => {
  await buildDemo(built, { today: TODAY });
  await closeInstance(built);
  // The demo school as schema 2 wrote it: the spells with their key, version 2.
  await copyDatabase(built, keyed, async (c) => {
    await schema6Keys(c);
    await c.run("DROP TABLE o.pupil_characteristics");
    await remade(c, SCHEMA_2_SPELLS, "pupil_characteristics", "", 2);
  });
  // The demo school as schema 3 wrote it: every other table of UNKEYED_TABLES with its key, and
  // the week-and-code aggregate a table of dates (before schema 5), version 3.
  await copyDatabase(built, keyed3, async (c) => {
    // The catalogue a keyed table too, as schema 3 had it (a view from schema 6).
    await catalogueAsTable(c);
    await c.run("ALTER TABLE o.code_catalogue ADD PRIMARY KEY (code, regime)");
    for (const [table, key] of Object.entries(SCHEMA_3_KEYS)) await c.run(`ALTER TABLE o.${table} ADD PRIMARY KEY (${key})`);
    await schema6Keys(c);
    await c.run("DROP VIEW o.mark_week_codes");
    await c.run("DROP TABLE o.mark_week_code_store");
    await remade(c, SCHEMA_4_WEEK_CODES, "mark_week_codes", " ORDER BY week, code, pupil_id", 3);
  });
}, 120_000);
afterAll(async () => {
  await closeInstance(keyed);
  await closeInstance(keyed3);
  await removeDb(built);
  await removeDb(small);
});

/** The tables among pupils and pupil_characteristics with a key. */
async function keys(c: Connection): Promise<string[]> {
  const rows = await queryRows<{ table_name: string }>(
    c,
    "SELECT DISTINCT table_name FROM duckdb_constraints() WHERE table_name IN ('pupils', 'pupil_characteristics') AND constraint_type IN ('PRIMARY KEY', 'UNIQUE') ORDER BY 1",
  );
  return rows.map((r) => r.table_name);
}

const HASHES = `SELECT (SELECT sum(hash(p))::VARCHAR FROM pupils p) AS pupils, (SELECT sum(hash(s))::VARCHAR FROM pupil_characteristics s) AS spells,
                       (SELECT count(*) FROM pupil_characteristics)::INTEGER AS n`;

/** Every table's key in the file: table name and constraint, in order. */
async function allKeys(c: Connection): Promise<string[]> {
  const rows = await queryRows<{ k: string }>(
    c,
    `SELECT table_name || ': ' || constraint_text AS k FROM duckdb_constraints()
     WHERE database_name = current_database() AND constraint_type IN ('PRIMARY KEY', 'UNIQUE') ORDER BY 1`,
  );
  return rows.map((r) => r.k);
}

/** Each table of SCHEMA_3_KEYS: its rows in the order written, hashed, and their count. */
async function unkeyedRows(c: Connection): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of Object.keys(SCHEMA_3_KEYS)) {
    const row = await queryOne<{ h: string; n: number }>(c, `SELECT coalesce(sum(hash(t, rowid))::VARCHAR, '') AS h, count(*)::INTEGER AS n FROM ${table} t`);
    out[table] = `${row!.n} ${row!.h}`;
  }
  return out;
}

describe("tables without a primary key (schema 4), week codes by day of the week (schema 5)", () => {
  it("a new file keys only the accounts and the benchmarks, at schema version 8", async () => {
    expect(SCHEMA_VERSION).toBe(8);
    // meta and settings: views over key_values from schema 8.
    expect([...UNKEYED_TABLES].sort()).toEqual(["pupil_characteristics", ...Object.keys(SCHEMA_3_KEYS), "pupils", "key_values"].sort());
    expect(await withConnection(built, allKeys)).toEqual([
      "benchmark_figures: PRIMARY KEY(figure_id)",
      "benchmark_imports: PRIMARY KEY(import_id)",
      "user_sessions: PRIMARY KEY(session_id)",
      "users: PRIMARY KEY(user_id)",
      "users: UNIQUE(email)",
    ]);
    const version = await withConnection(built, (c) => queryOne<{ value: string }>(c, "SELECT value FROM meta WHERE key = 'schema_version'"));
    expect(version!.value).toBe(String(SCHEMA_VERSION));
  });

  it("a file made with the keys (schema 3) loses them when opened, every row kept, and its ids go on from where they were; its week codes become days after the Monday, read as before", async () => {
    const raw = await DuckDBInstance.create(keyed3);
    const rc = await raw.connect();
    const keysBefore = await allKeys(rc);
    const rowsBefore = await unkeyedRows(rc);
    const codesBefore = await queryRows(rc, WEEK_CODES);
    const next = await queryOne<{ audit: number; intervention: number }>(
      rc,
      "SELECT (SELECT max(id) FROM audit_log)::INTEGER AS audit, (SELECT max(intervention_id) FROM interventions)::INTEGER AS intervention",
    );
    rc.closeSync();
    raw.closeSync();
    expect(keysBefore).toContain("school_days: PRIMARY KEY(date)");
    expect(keysBefore).toContain("code_catalogue: PRIMARY KEY(code, regime)");
    expect(codesBefore.length).toBeGreaterThan(40_000);
    expect(keysBefore).toContain("audit_log: PRIMARY KEY(id)");
    expect(keysBefore).toContain("pupils: PRIMARY KEY(upn)");
    expect(Number(rowsBefore.school_days.split(" ")[0])).toBeGreaterThan(500);
    expect(Number(rowsBefore.interventions.split(" ")[0])).toBeGreaterThan(100);

    const byFsm = (c: Connection) => aggregateLevel.summariseBy(c, { from: "2025-08-01", to: "2026-07-31" }, "fsm");
    const after = await withConnection(keyed3, async (c) => {
      const found = { keys: await allKeys(c), rows: await unkeyedRows(c), byFsm: await byFsm(c), codes: await queryRows(c, WEEK_CODES) };
      const kinds = await queryRows<{ name: string; kind: string }>(
        c,
        `SELECT table_name AS name, table_type AS kind FROM information_schema.tables WHERE table_name IN ('mark_week_codes', 'mark_week_code_store') ORDER BY 1`,
      );
      expect(kinds).toEqual([
        { name: "mark_week_code_store", kind: "BASE TABLE" },
        { name: "mark_week_codes", kind: "VIEW" },
      ]);
      const ids = await queryOne<{ audit: number; intervention: number }>(
        c,
        `SELECT nextval('audit_log_seq')::INTEGER AS audit, nextval('intervention_id_seq')::INTEGER AS intervention`,
      );
      const version = await queryOne<{ value: string }>(c, "SELECT value FROM meta WHERE key = 'schema_version'");
      return { ...found, ids, version: version!.value };
    });
    expect(after.keys).toEqual(await withConnection(built, allKeys));
    expect(after.rows).toEqual(rowsBefore);
    // The week codes read as before, and as the file built by this code reads them.
    expect(after.codes).toEqual(codesBefore);
    expect(after.codes).toEqual(await withConnection(built, (c) => queryRows(c, WEEK_CODES)));
    expect(after.byFsm).toEqual(await withConnection(built, byFsm));
    expect(after.ids).toEqual({ audit: next!.audit + 1, intervention: next!.intervention + 1 });
    expect(after.version).toBe(String(SCHEMA_VERSION));
  });
});

describe("pupils' characteristics without a primary key", () => {

  it("a file made with the key (schema 2) loses it when opened, every row and figure kept", async () => {
    // Read with DuckDB alone first: the keys are there, and what the file holds.
    const raw = await DuckDBInstance.create(keyed);
    const rc = await raw.connect();
    expect(await keys(rc)).toEqual(["pupil_characteristics", "pupils"]);
    const before = await queryOne<{ pupils: string; spells: string; n: number }>(rc, HASHES);
    rc.closeSync();
    raw.closeSync();

    const byFsm = (c: Connection) => aggregateLevel.summariseBy(c, { from: "2025-08-01", to: "2026-07-31" }, "fsm");
    const after = await withConnection(keyed, async (c) => ({ keys: await keys(c), hashes: await queryOne(c, HASHES), byFsm: await byFsm(c) }));
    expect(after.keys).toEqual([]);
    expect(after.hashes).toEqual(before);
    expect(after.hashes!.n).toBeGreaterThan(300);
    expect(after.byFsm).toEqual(await withConnection(built, byFsm));
    const version = await withConnection(keyed, (c) => queryOne<{ value: string }>(c, "SELECT value FROM meta WHERE key = 'schema_version'"));
    expect(version!.value).toBe(String(SCHEMA_VERSION));
  });

  it("a pupils file that would give a pupil a second spell from a date already stored is refused, and nothing is written", async () => {
    // Pupil 1's only spell, from admission (1 September 2021), closed on 19 July 2024 (as a
    // CTF's history closes it): the pupils file lists them again, with no spell open, so the
    // import would open one from their admission date — the date of the stored one.
    const tx = <T>(work: (c: Connection) => Promise<T>) => withConnection(small, (c) => inTransaction(c, () => work(c)));
    await tx((c) => importPupils(c, { file: "p1.csv", text: pupilsCsv([pupil(1), pupil(2)]), by: BY, asOf: "2024-09-02" }));
    await withConnection(small, (c) => c.run("UPDATE pupil_characteristics SET valid_to = DATE '2024-07-19' WHERE upn = $upn", { upn: upn(1) }));
    const before = await withConnection(small, fingerprint);
    const refused = await tx((c) => importPupils(c, { file: "p2.csv", text: pupilsCsv([pupil(2, { fsm: "Y" }), pupil(1)]), by: BY, asOf: "2024-10-01" })).catch(
      (e: Error) => e.message,
    );
    expect(refused).toBe(
      `p2.csv:3:1: ${upn(1)} would have two spells of characteristics from 2021-09-01 (one is stored already); correct the admission date (a pupil who returns after leaving is admitted again on the day they return)`,
    );
    expect(await withConnection(small, fingerprint)).toEqual(before);
  });

  it("a CTF history giving a pupil two spells from the same date is refused, and nothing is written", async () => {
    const spell = { upn: "X", to: null, yearGroup: "3", regGroup: "3A", sen: "N", fsm: "N", eal: "N", lac: "N" };
    await withConnection(built, async (c) => {
      const upn = (await queryOne<{ upn: string }>(c, "SELECT upn FROM pupils ORDER BY upn LIMIT 1"))!.upn;
      const spellsBefore = await queryRows(c, "SELECT * FROM pupil_characteristics WHERE upn = $upn ORDER BY valid_from", { upn });
      await expect(
        replaceCharacteristicHistory(c, "move.xml", [
          { ...spell, upn, from: "2024-09-01" },
          { ...spell, upn, from: "2024-09-01", fsm: "Y" },
        ]),
      ).rejects.toThrow(`move.xml: the CTF gives ${upn} two spells of characteristics from 2024-09-01; nothing was imported`);
      expect(await queryRows(c, "SELECT * FROM pupil_characteristics WHERE upn = $upn ORDER BY valid_from", { upn })).toEqual(spellsBefore);
    });
  });
});
