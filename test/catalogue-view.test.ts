/**
 * Schema 6 (analytics/code-catalogue-view.ts): `code_catalogue` is a view of the code
 * catalogue's constant rows, not a table (a table took a block of the file of its own). A file
 * made before (schema 5, the catalogue a table) opens with the view in its place, at version 6,
 * its catalogue's rows and its figures as before, the change written into the file.
 */
import fs from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeInstance, queryOne, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { CODE_CATALOGUE } from "../analytics/codes.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { aggregateLevel } from "../analytics/measures.ts";
import { SCHEMA_VERSION } from "../analytics/schema.ts";
import { copyDatabase, removeDb, tempDbPath } from "./helpers/db.ts";
import { catalogueAsTable } from "./helpers/old-catalogue.ts";
import { keyValuesAsTables } from "./helpers/old-key-values.ts";

const built = tempDbPath("catalogue-view");
const old = path.join(path.dirname(built), "schema-5.duckdb");

/** The catalogue's rows, in order, with their columns' types. */
const CATALOGUE = "SELECT code::VARCHAR AS code, typeof(code) AS t, regime, category, meaning FROM code_catalogue ORDER BY ALL";

/** code_catalogue's kind in the file ("BASE TABLE" or "VIEW"). */
async function kind(c: Connection): Promise<string | undefined> {
  return (await queryOne<{ k: string }>(c, "SELECT table_type AS k FROM information_schema.tables WHERE table_name = 'code_catalogue'"))?.k;
}

/** The figures read through the catalogue: sessions by code (the join on code and regime) and the year's summary by FSM. */
async function figures(c: Connection) {
  const year = { from: "2025-08-01", to: "2026-07-31" };
  return { byCode: await aggregateLevel.sessionsByCode(c, year), byFsm: await aggregateLevel.summariseBy(c, year, "fsm"), rows: await queryRows(c, CATALOGUE) };
}

beforeAll(async () => {
  await buildDemo(built, { today: "2026-11-23" });
  await closeInstance(built);
  // The demo school as schema 5 wrote it: the catalogue a table, pupils, meta and settings keyed (to schema 7), version 5.
  await copyDatabase(built, old, async (c) => {
    await catalogueAsTable(c);
    await keyValuesAsTables(c);
    await c.run("ALTER TABLE o.pupils ADD PRIMARY KEY (upn)");
    await c.run(`ALTER TABLE o.meta ADD PRIMARY KEY ("key")`);
    await c.run(`ALTER TABLE o.settings ADD PRIMARY KEY ("key")`);
    await c.run("UPDATE o.meta SET value = '5' WHERE key = 'schema_version'");
  });
}, 300_000);
afterAll(async () => {
  await closeInstance(old);
  await removeDb(built);
});

describe("the code catalogue as a view (schema 6)", () => {
  it("a new file has the catalogue as a view of CODE_CATALOGUE's rows, at the schema's version (6 or later)", async () => {
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(6);
    const found = await withConnection(built, async (c) => ({
      kind: await kind(c),
      rows: await queryRows<{ code: string; t: string; regime: string; category: string; meaning: string }>(c, CATALOGUE),
      version: (await queryOne<{ value: string }>(c, "SELECT value FROM meta WHERE key = 'schema_version'"))!.value,
    }));
    expect(found.kind).toBe("VIEW");
    expect(found.version).toBe(String(SCHEMA_VERSION));
    expect(found.rows).toEqual(
      CODE_CATALOGUE.map((d) => ({ code: d.code, t: "ENUM('/', '\\', 'L', 'K', 'V', 'P', 'W', 'B', 'C', 'C1', 'C2', 'J1', 'M', 'S', 'I', 'R', 'T', 'E', 'G', 'N', 'O', 'U', 'X', 'Z', '#', 'D', 'Q', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', 'J', 'F', 'H', 'Y')", regime: d.regime, category: d.category, meaning: d.meaning })).sort(
        (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.regime < b.regime ? -1 : a.regime > b.regime ? 1 : 0),
      ),
    );
  });

  it("a file with the catalogue as a table (schema 5) opens with the view in its place, its rows and figures as before, the change checkpointed", async () => {
    const raw = await DuckDBInstance.create(old);
    const rc = await raw.connect();
    const before = { kind: await kind(rc), rows: await queryRows(rc, CATALOGUE) };
    rc.closeSync();
    raw.closeSync();
    expect(before.kind).toBe("BASE TABLE");
    expect(before.rows.length).toBe(CODE_CATALOGUE.length);

    const after = await withConnection(old, async (c) => ({
      kind: await kind(c),
      version: (await queryOne<{ value: string }>(c, "SELECT value FROM meta WHERE key = 'schema_version'"))!.value,
      figures: await figures(c),
    }));
    // Written into the file at once, nothing of it left in the write-ahead log.
    expect(fs.existsSync(`${old}.wal`) ? fs.statSync(`${old}.wal`).size : 0).toBe(0);
    await closeInstance(old);
    expect(after.kind).toBe("VIEW");
    expect(after.version).toBe(String(SCHEMA_VERSION));
    expect(after.figures.rows).toEqual(before.rows);
    expect(after.figures).toEqual(await withConnection(built, figures));
    expect(after.figures.byCode.length).toBeGreaterThan(5);
  });
});
