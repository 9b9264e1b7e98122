/**
 * Schema 8 (analytics/key-values-schema.ts): `meta` and `settings` are views over one table,
 * `key_values` (scope, key, value), not two tables: DuckDB gives every table holding a row a
 * block of 32 KiB of its own, so a file takes one block less. A file made before (schema 7,
 * the two tables) opens with the one table and the views in their place, at version 8, every
 * row in the order written and every figure as before, the change written into the file.
 */
import fs from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeInstance, queryOne, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { aggregateLevel } from "../analytics/measures.ts";
import { SCHEMA_VERSION } from "../analytics/schema.ts";
import { getSettings, setSetting } from "../analytics/settings.ts";
import { copyDatabase, removeDb, tempDbPath } from "./helpers/db.ts";
import { asSchemaSeven, keyValuesAsTables } from "./helpers/old-key-values.ts";

const built = tempDbPath("key-values");
const dir = path.dirname(built);
/** The demo school as schema 7 wrote it: meta and settings tables, version 7. */
const old = path.join(dir, "schema-7.duckdb");
/** A fresh copy of the new file (DuckDB's COPY FROM DATABASE, as `rollcall compact` makes one). */
const fresh = path.join(dir, "fresh-8.duckdb");
/** The same fresh copy with meta and settings as two tables. */
const freshTwo = path.join(dir, "fresh-7.duckdb");

/** meta's and settings' rows (key, value), in the order a reader gets them. */
async function lists(c: Connection) {
  return {
    meta: await queryRows<{ key: string; value: string }>(c, "SELECT key, value FROM meta"),
    settings: await queryRows<{ key: string; value: string }>(c, "SELECT key, value FROM settings"),
  };
}

/** The file's tables and views among the three names, as "name kind". */
async function kinds(c: Connection): Promise<string[]> {
  const rows = await queryRows<{ k: string }>(
    c,
    "SELECT table_name || ' ' || table_type AS k FROM information_schema.tables WHERE table_name IN ('meta', 'settings', 'key_values') ORDER BY 1",
  );
  return rows.map((r) => r.k);
}

async function figures(c: Connection) {
  const year = { from: "2025-08-01", to: "2026-07-31" };
  return { year: await aggregateLevel.summarise(c, year), byFsm: await aggregateLevel.summariseBy(c, year, "fsm") };
}

/** The blocks the file's data takes (DuckDB's used_blocks), read without the store's own opening. */
async function usedBlocks(file: string): Promise<number> {
  const instance = await DuckDBInstance.create(file);
  const c = await instance.connect();
  const blocks = Number((await c.runAndReadAll("PRAGMA database_size")).getRowObjects()[0].used_blocks);
  c.closeSync();
  instance.closeSync();
  return blocks;
}

beforeAll(async () => {
  await buildDemo(built, { today: "2026-11-23" });
  await closeInstance(built);
  await copyDatabase(built, old, asSchemaSeven);
  await copyDatabase(built, fresh, async (c) => {
    await c.run("CHECKPOINT o");
  });
  await copyDatabase(built, freshTwo, async (c) => {
    await keyValuesAsTables(c);
    await c.run("CHECKPOINT o");
  });
}, 300_000);
afterAll(async () => {
  await closeInstance(old);
  await removeDb(built);
});

describe("meta and settings as views over one table (schema 8)", () => {
  it("a new file has key_values and the two views, at schema version 8, in one block less than with two tables", async () => {
    expect(SCHEMA_VERSION).toBe(8);
    const found = await withConnection(built, async (c) => ({ kinds: await kinds(c), lists: await lists(c) }));
    expect(found.kinds).toEqual(["key_values BASE TABLE", "meta VIEW", "settings VIEW"]);
    expect(found.lists.meta).toContainEqual({ key: "schema_version", value: "8" });
    expect(found.lists.settings.length).toBeGreaterThan(1);
    // The same rows, the two lists as tables: one block more.
    const blocks = { one: await usedBlocks(fresh), two: await usedBlocks(freshTwo) };
    expect(blocks.one).toBe(blocks.two - 1);
  });

  it("a file with the two tables (schema 7) opens with the one table and the views in their place, every row in order, its figures as before, the change checkpointed", async () => {
    const raw = await DuckDBInstance.create(old);
    const rc = await raw.connect();
    const before = { kinds: await kinds(rc), lists: await lists(rc) };
    rc.closeSync();
    raw.closeSync();
    expect(before.kinds).toEqual(["meta BASE TABLE", "settings BASE TABLE"]);
    expect(before.lists.meta).toContainEqual({ key: "schema_version", value: "7" });

    const after = await withConnection(old, async (c) => ({ kinds: await kinds(c), lists: await lists(c), figures: await figures(c) }));
    // Written into the file at once, nothing of it left in the write-ahead log.
    expect(fs.existsSync(`${old}.wal`) ? fs.statSync(`${old}.wal`).size : 0).toBe(0);
    await closeInstance(old);
    expect(after.kinds).toEqual(["key_values BASE TABLE", "meta VIEW", "settings VIEW"]);
    // Every row as before and in the order written; the version raised (rewritten: last).
    const unversioned = (rows: Array<{ key: string; value: string }>) => rows.filter((r) => r.key !== "schema_version");
    expect(unversioned(after.lists.meta)).toEqual(unversioned(before.lists.meta));
    expect(after.lists.meta.at(-1)).toEqual({ key: "schema_version", value: String(SCHEMA_VERSION) });
    expect(after.lists.settings).toEqual(before.lists.settings);
    expect(after.figures).toEqual(await withConnection(built, figures));
    expect(after.figures.year.possible_sessions).toBeGreaterThan(1000);

    // Written and read through the views afterwards as in a new file.
    await withConnection(old, (c) => setSetting(c, "target_attendance_pct", "97.5"));
    const settings = await withConnection(old, async (c) => ({ read: await getSettings(c), rows: await queryOne<{ n: number }>(c, "SELECT count(*)::INTEGER AS n FROM settings WHERE key = 'target_attendance_pct'") }));
    expect(settings.read.target_attendance_pct).toBe(97.5);
    expect(settings.rows!.n).toBe(1);
  });
});
