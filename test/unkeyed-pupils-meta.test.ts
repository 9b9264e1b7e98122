/**
 * Schema 7 (analytics/schema.ts UNKEYED_TABLES): `pupils`, `meta` and `settings` have no
 * PRIMARY KEY (each key's index took blocks of the file of its own: the pupils' 4 on a school
 * of 1,000). A file made before (schema 6, the three keyed) loses the keys when opened, every
 * row and figure kept, the change written into the file. What the keys guaranteed is kept by
 * what writes: a UPN stored once (the pupils import, `pupils correct-upn`), one value a key
 * (analytics/key-values.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeInstance, inTransaction, queryOne, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { importPupils } from "../analytics/import/index.ts";
import { keepMeta, replaceMeta } from "../analytics/key-values.ts";
import { aggregateLevel } from "../analytics/measures.ts";
import { correctUpn } from "../analytics/pupil-upn.ts";
import { SCHEMA_VERSION } from "../analytics/schema.ts";
import { getSettings, setSetting } from "../analytics/settings.ts";
import { sessionSecret } from "../analytics/users/store.ts";
import { copyDatabase, removeDb, tempDbPath } from "./helpers/db.ts";
import { keyValuesAsTables } from "./helpers/old-key-values.ts";
import { BY, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

const built = tempDbPath("unkeyed-7");
const old = path.join(path.dirname(built), "schema-6.duckdb");
const small = tempDbPath("unkeyed-7-writers");

/** The three tables' keys in the file, as "table: constraint", in order. */
async function keys(c: Connection): Promise<string[]> {
  const rows = await queryRows<{ k: string }>(
    c,
    `SELECT table_name || ': ' || constraint_text AS k FROM duckdb_constraints()
     WHERE database_name = current_database() AND table_name IN ('pupils', 'meta', 'settings')
       AND constraint_type IN ('PRIMARY KEY', 'UNIQUE') ORDER BY 1`,
  );
  return rows.map((r) => r.k);
}

/**
 * Each of the three tables' rows in the order written (hashed), and their count; meta's version
 * aside. meta's and settings' from `key_values` when they are its views (schema 8: a view has
 * no row ids), each row as the table's would be read.
 */
async function rows(c: Connection): Promise<Record<string, string>> {
  const views = (await queryRows(c, "SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() AND table_name = 'key_values'")).length > 0;
  const written = (scope: string) => (views ? `(SELECT key, value, rowid AS w FROM key_values WHERE scope = '${scope}')` : `(SELECT key, value, rowid AS w FROM ${scope})`);
  const out: Record<string, string> = {};
  for (const [table, source, where] of [
    ["pupils", "(SELECT CAST(p AS VARCHAR) AS r, rowid AS w FROM pupils p)", ""],
    ["meta", `(SELECT CAST({'key': key, 'value': value} AS VARCHAR) AS r, w, key FROM ${written("meta")})`, " WHERE key <> 'schema_version'"],
    ["settings", `(SELECT CAST({'key': key, 'value': value} AS VARCHAR) AS r, w FROM ${written("settings")})`, ""],
  ]) {
    // In the order written, not by row id's value: the copy without the key numbers its rows afresh.
    const row = await queryOne<{ h: string; n: number }>(c, `SELECT coalesce(md5(string_agg(r, chr(10) ORDER BY w)), '') AS h, count(*)::INTEGER AS n FROM ${source} t${where}`);
    out[table] = `${row!.n} ${row!.h}`;
  }
  return out;
}

/** The blocks the file's data takes (DuckDB's used_blocks). */
async function usedBlocks(c: Connection): Promise<number> {
  return Number((await queryOne<{ used_blocks: number }>(c, "PRAGMA database_size"))!.used_blocks);
}

async function figures(c: Connection) {
  const year = { from: "2025-08-01", to: "2026-07-31" };
  return { byCode: await aggregateLevel.sessionsByCode(c, year), byFsm: await aggregateLevel.summariseBy(c, year, "fsm") };
}

/** How many rows each UPN (or key) has in `table`, for those with more than one. */
async function twice(c: Connection, table: "pupils" | "meta" | "settings", column: "upn" | "key"): Promise<unknown[]> {
  return queryRows(c, `SELECT ${column} AS k, count(*)::INTEGER AS n FROM ${table} GROUP BY ALL HAVING count(*) > 1`);
}

beforeAll(async () => {
  await buildDemo(built, { today: "2026-11-23" });
  await closeInstance(built);
  // The demo school as schema 6 wrote it: pupils, meta and settings keyed, version 6.
  await copyDatabase(built, old, async (c) => {
    await keyValuesAsTables(c);
    await c.run("ALTER TABLE o.pupils ADD PRIMARY KEY (upn)");
    await c.run(`ALTER TABLE o.meta ADD PRIMARY KEY ("key")`);
    await c.run(`ALTER TABLE o.settings ADD PRIMARY KEY ("key")`);
    await c.run("UPDATE o.meta SET value = '6' WHERE key = 'schema_version'");
    await c.run("CHECKPOINT o");
  });
}, 300_000);
afterAll(async () => {
  await closeInstance(old);
  await removeDb(built);
  await removeDb(small);
});

describe("pupils, meta and settings without a primary key (schema 7)", () => {
  it("a new file has no key on the three, at schema version 8", async () => {
    expect(SCHEMA_VERSION).toBe(8);
    const found = await withConnection(built, async (c) => ({ keys: await keys(c), version: (await queryOne<{ value: string }>(c, "SELECT value FROM meta WHERE key = 'schema_version'"))!.value }));
    expect(found).toEqual({ keys: [], version: String(SCHEMA_VERSION) });
  });

  it("a file made with the keys (schema 6) loses them when opened, every row and figure kept, in fewer blocks, the change checkpointed", async () => {
    const raw = await DuckDBInstance.create(old);
    const rc = await raw.connect();
    const before = { keys: await keys(rc), rows: await rows(rc), blocks: await usedBlocks(rc) };
    rc.closeSync();
    raw.closeSync();
    expect(before.keys).toEqual(['meta: PRIMARY KEY("key")', "pupils: PRIMARY KEY(upn)", 'settings: PRIMARY KEY("key")']);
    expect(Number(before.rows.pupils.split(" ")[0])).toBeGreaterThan(200);

    const after = await withConnection(old, async (c) => ({
      keys: await keys(c),
      rows: await rows(c),
      version: (await queryOne<{ value: string }>(c, "SELECT value FROM meta WHERE key = 'schema_version'"))!.value,
      figures: await figures(c),
      blocks: await usedBlocks(c),
    }));
    // Written into the file at once, nothing of it left in the write-ahead log.
    expect(fs.existsSync(`${old}.wal`) ? fs.statSync(`${old}.wal`).size : 0).toBe(0);
    await closeInstance(old);
    expect(after.keys).toEqual([]);
    expect(after.version).toBe(String(SCHEMA_VERSION));
    expect(after.rows).toEqual(before.rows);
    expect(after.figures).toEqual(await withConnection(built, figures));
    expect(after.figures.byCode.length).toBeGreaterThan(5);
    // The three keys' indexes' blocks freed.
    expect(after.blocks).toBeLessThan(before.blocks);
  });
});

describe("what the keys guaranteed, kept by the writers", () => {
  const tx = <T>(work: (c: Connection) => Promise<T>) => withConnection(small, (c) => inTransaction(c, () => work(c)));
  const imported = (file: string, rows: ReturnType<typeof pupil>[], asOf: string) => tx((c) => importPupils(c, { file, text: pupilsCsv(rows), by: BY, asOf }));

  it("a UPN is stored once: a pupils file imported twice, a pupil amended, a UPN corrected (renamed and merged)", async () => {
    await imported("p1.csv", [pupil(1), pupil(2), pupil(3)], "2024-09-02");
    expect(await withConnection(small, keys)).toEqual([]);
    // The same file again, then one amending pupil 1's name and adding pupil 4.
    await imported("p1.csv", [pupil(1), pupil(2), pupil(3)], "2024-09-02");
    await imported("p2.csv", [pupil(1, { surname: "Amended" }), pupil(2), pupil(3), pupil(4)], "2024-10-01");
    await withConnection(small, async (c) => {
      expect(await twice(c, "pupils", "upn")).toEqual([]);
      expect(await queryRows(c, "SELECT upn, surname FROM pupils ORDER BY upn")).toEqual(
        [1, 2, 3, 4].map((n) => ({ upn: upn(n), surname: n === 1 ? "Amended" : `Surname${n}` })).sort((a, b) => (a.upn < b.upn ? -1 : 1)),
      );
    });
    // Pupil 2 renamed to a UPN not stored; pupil 3 imported again under a second UPN, then merged into it.
    const by = { actor: "Ann Office", role: "attendance officer" };
    expect((await withConnection(small, (c) => correctUpn(c, { from: upn(2), to: upn(20), by }))).kind).toBe("renamed");
    await imported("p3.csv", [pupil(1, { surname: "Amended" }), pupil(20), pupil(3), pupil(4), pupil(30, { forename: "Forename3", surname: "Surname3" })], "2024-10-01");
    expect((await withConnection(small, (c) => correctUpn(c, { from: upn(30), to: upn(3), by }))).kind).toBe("merged");
    await withConnection(small, async (c) => {
      expect(await twice(c, "pupils", "upn")).toEqual([]);
      expect((await queryRows<{ upn: string }>(c, "SELECT upn FROM pupils ORDER BY upn")).map((r) => r.upn)).toEqual([upn(1), upn(20), upn(3), upn(4)].sort());
    });
  });

  it("writes at the same moment, each on its own connection, are made one at a time (db.ts oneWriteAtATime): two imports adding the same new pupil store the UPN once, two first session secrets keep one, two settings saved both succeed", async () => {
    // Each import's transaction would otherwise read the pupils before the other committed
    // and insert the new pupil too: DuckDB lets both through with no key on pupils.
    const at = (n: number, forename: string) => imported(`both-${forename}.csv`, [pupil(n, { forename })], "2024-11-01");
    await Promise.all([at(50, "First"), at(50, "Second"), at(51, "Third"), at(51, "Fourth")]);
    await withConnection(small, async (c) => {
      expect(await twice(c, "pupils", "upn")).toEqual([]);
      // One row each; the later import of each pair (whichever that was) amended the pupil it found.
      const rows = await queryRows<{ upn: string; forename: string }>(c, "SELECT upn, forename FROM pupils WHERE upn IN ($a, $b) ORDER BY upn", { a: upn(50), b: upn(51) });
      expect(rows.map((r) => r.upn)).toEqual([upn(50), upn(51)].sort());
      for (const row of rows) expect(row.upn === upn(50) ? ["First", "Second"] : ["Third", "Fourth"]).toContain(row.forename);
    });
    // Two first keepMeta calls at once (a server's first requests each making the session secret).
    const kept = await Promise.all(["a", "b", "c"].map((value) => withConnection(small, (c) => keepMeta(c, "race_probe", value))));
    expect(kept).toHaveLength(3);
    // Two settings saved at once: queued, both committed (DuckDB refuses the second of two
    // transactions deleting the same row), the later one's value kept. Which is later depends on
    // which connection is ready first, so the check is that they chain.
    await Promise.all(["94", "95.5"].map((value) => withConnection(small, (c) => setSetting(c, "target_attendance_pct", value))));
    await withConnection(small, async (c) => {
      // One secret kept: the first made, whichever that was.
      const probe = await queryRows<{ value: string }>(c, "SELECT value FROM meta WHERE key = 'race_probe'");
      expect(probe).toHaveLength(1);
      expect(["a", "b", "c"]).toContain(probe[0].value);
      const stored = await queryRows<{ value: string }>(c, "SELECT value FROM settings WHERE key = 'target_attendance_pct'");
      expect(stored).toHaveLength(1);
      const last = stored[0].value;
      const first = last === "95.5" ? "94" : "95.5";
      expect([first, last].sort()).toEqual(["94", "95.5"]);
      const history = await queryRows<{ old_value: string; new_value: string }>(c, "SELECT old_value, new_value FROM settings_changes WHERE key = 'target_attendance_pct' ORDER BY changed_at, rowid");
      expect(history.slice(-2).map((h) => [h.old_value, h.new_value])).toEqual([
        [history.at(-2)!.old_value, first],
        [first, last],
      ]);
    });
  });

  it("a setting or meta entry written twice leaves one row, with the last value; the session secret, once made, is kept", async () => {
    await withConnection(small, async (c) => {
      expect(await keys(c)).toEqual([]);
      await setSetting(c, "target_attendance_pct", "95");
      await setSetting(c, "target_attendance_pct", "97.5");
      await inTransaction(c, async () => {
        await replaceMeta(c, "urn", "100001");
        await replaceMeta(c, "urn", "100002");
      });
      await keepMeta(c, "probe", "first");
      await keepMeta(c, "probe", "second");
      const secret = await sessionSecret(c);
      expect(await sessionSecret(c)).toBe(secret);
      expect(await twice(c, "settings", "key")).toEqual([]);
      expect(await twice(c, "meta", "key")).toEqual([]);
      expect((await getSettings(c)).target_attendance_pct).toBe(97.5);
      expect(await queryRows(c, "SELECT value FROM settings WHERE key = 'target_attendance_pct'")).toEqual([{ value: "97.5" }]);
      expect(await queryRows(c, "SELECT key, value FROM meta WHERE key IN ('urn', 'probe') ORDER BY key")).toEqual([
        { key: "probe", value: "first" },
        { key: "urn", value: "100002" },
      ]);
      expect(await queryRows(c, "SELECT value FROM meta WHERE key = 'session_secret'")).toEqual([{ value: secret }]);
    });
  });
});
