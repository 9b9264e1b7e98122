/**
 * Schema 3 (analytics/schema.ts UNKEYED_TABLES): `pupils` and `pupil_characteristics` have no
 * PRIMARY KEY (DuckDB's index for it was most of the file's index blocks); a file made with
 * the keys (schema 2) loses them when opened, with every row and figure kept; the importers
 * keep the rows unique.
 */
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeInstance, queryOne, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { replaceCharacteristicHistory } from "../analytics/import/ctf-history.ts";
import { aggregateLevel } from "../analytics/measures.ts";
import { SCHEMA_VERSION } from "../analytics/schema.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const TODAY = "2026-11-23";
const built = tempDbPath("unkeyed");
const keyed = path.join(path.dirname(built), "schema-2.duckdb");

/** Schema 2's DDL for the two tables (as analytics/schema.ts had it). */
const SCHEMA_2 = {
  pupils: `CREATE TABLE pupils (
     upn VARCHAR PRIMARY KEY, forename VARCHAR NOT NULL, surname VARCHAR NOT NULL, dob DATE NOT NULL,
     sex VARCHAR NOT NULL, ethnicity VARCHAR NOT NULL, admission_date DATE NOT NULL, leaving_date DATE)`,
  pupil_characteristics: `CREATE TABLE pupil_characteristics (
     upn VARCHAR NOT NULL, valid_from DATE NOT NULL, valid_to DATE, year_group VARCHAR NOT NULL,
     reg_group VARCHAR NOT NULL, sen VARCHAR NOT NULL, fsm VARCHAR NOT NULL, eal VARCHAR NOT NULL,
     lac VARCHAR NOT NULL, PRIMARY KEY (upn, valid_from))`,
};

beforeAll(async () => {
  await buildDemo(built, { today: TODAY });
  await closeInstance(built);
  // The demo school as schema 2 wrote it: the two tables with their keys, version 2.
  const instance = await DuckDBInstance.create(":memory:");
  const c = await instance.connect();
  await c.run(`ATTACH '${built}' AS b (READ_ONLY)`);
  await c.run(`ATTACH '${keyed}' AS o`);
  await c.run("COPY FROM DATABASE b TO o");
  for (const [table, ddl] of Object.entries(SCHEMA_2)) {
    await c.run(`DROP TABLE o.${table}`);
    await c.run("USE o");
    await c.run(ddl);
    await c.run(`INSERT INTO o.${table} SELECT * FROM b.${table}`);
    await c.run("USE memory");
  }
  await c.run("UPDATE o.meta SET value = '2' WHERE key = 'schema_version'");
  await c.run("DETACH o");
  c.closeSync();
  instance.closeSync();
}, 120_000);
afterAll(async () => {
  await closeInstance(keyed);
  await removeDb(built);
});

async function keys(c: Connection): Promise<string[]> {
  const rows = await queryRows<{ table_name: string }>(
    c,
    "SELECT DISTINCT table_name FROM duckdb_constraints() WHERE table_name IN ('pupils', 'pupil_characteristics') AND constraint_type IN ('PRIMARY KEY', 'UNIQUE') ORDER BY 1",
  );
  return rows.map((r) => r.table_name);
}

async function contents(c: Connection) {
  const hashes = await queryOne<{ pupils: string; spells: string; n: number }>(
    c,
    `SELECT (SELECT sum(hash(p))::VARCHAR FROM pupils p) AS pupils, (SELECT sum(hash(s))::VARCHAR FROM pupil_characteristics s) AS spells,
            (SELECT count(*) FROM pupil_characteristics)::INTEGER AS n`,
  );
  const byFsm = await aggregateLevel.summariseBy(c, { from: "2025-08-01", to: "2026-07-31" }, "fsm");
  return { hashes, byFsm };
}

describe("pupils and their characteristics without a primary key", () => {
  it("a new file has no key on either table, at schema version 3", async () => {
    expect(SCHEMA_VERSION).toBe(3);
    expect(await withConnection(built, keys)).toEqual([]);
    const version = await withConnection(built, (c) => queryOne<{ value: string }>(c, "SELECT value FROM meta WHERE key = 'schema_version'"));
    expect(version!.value).toBe("3");
  });

  it("a file made with the keys (schema 2) loses them when opened, every row and figure kept", async () => {
    // Read with DuckDB alone first: the keys are there, and what the file holds.
    const raw = await DuckDBInstance.create(keyed);
    const rc = await raw.connect();
    expect(await keys(rc)).toEqual(["pupil_characteristics", "pupils"]);
    const before = await queryOne<{ pupils: string; spells: string; n: number }>(
      rc,
      `SELECT (SELECT sum(hash(p))::VARCHAR FROM pupils p) AS pupils, (SELECT sum(hash(s))::VARCHAR FROM pupil_characteristics s) AS spells,
              (SELECT count(*) FROM pupil_characteristics)::INTEGER AS n`,
    );
    rc.closeSync();
    raw.closeSync();

    const after = await withConnection(keyed, async (c) => ({ keys: await keys(c), ...(await contents(c)) }));
    expect(after.keys).toEqual([]);
    expect(after.hashes).toEqual(before);
    expect(after.hashes!.n).toBeGreaterThan(300);
    expect(after.byFsm).toEqual(await withConnection(built, async (c) => (await contents(c)).byFsm));
    const version = await withConnection(keyed, (c) => queryOne<{ value: string }>(c, "SELECT value FROM meta WHERE key = 'schema_version'"));
    expect(version!.value).toBe("3");
  });

  it("a CTF history giving a pupil two spells from the same date is refused, and nothing is written", async () => {
    const spell = { upn: "X", to: null, yearGroup: "3", regGroup: "3A", sen: "N", fsm: "N", eal: "N", lac: "N" };
    await withConnection(built, async (c) => {
      const upn = (await queryOne<{ upn: string }>(c, "SELECT upn FROM pupils ORDER BY upn LIMIT 1"))!.upn;
      const spellsBefore = await queryRows(c, "SELECT * FROM pupil_characteristics WHERE upn = $upn ORDER BY valid_from", { upn });
      await expect(
        replaceCharacteristicHistory(c, [
          { ...spell, upn, from: "2024-09-01" },
          { ...spell, upn, from: "2024-09-01", fsm: "Y" },
        ]),
      ).rejects.toThrow(`the CTF gives ${upn} two characteristic spells from 2024-09-01`);
      expect(await queryRows(c, "SELECT * FROM pupil_characteristics WHERE upn = $upn ORDER BY valid_from", { upn })).toEqual(spellsBefore);
    });
  });
});
