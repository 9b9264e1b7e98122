/**
 * `rollcall compact` (analytics/compact.ts): a file in the layout Rollcall wrote before (DuckDB's
 * v1.0.0 storage format, 256 KiB blocks) opens and answers as it is, and compacting rewrites it
 * in a new file's layout (v1.5.0, 32 KiB blocks, no free blocks, the store's rows in a fresh
 * import's order) with every row, every figure and the sequences as they were.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliContext } from "../analytics/cli/context.ts";
import { main } from "../analytics/cli/index.ts";
import { compactDatabase } from "../analytics/compact.ts";
import { closeInstance, queryOne, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { nextImportId } from "../analytics/import/values.ts";
import { aggregateLevel } from "../analytics/measures.ts";
import { STORE_ROW_ORDER } from "../analytics/store.ts";
import { copyDatabase, removeDb, tempDbPath } from "./helpers/db.ts";

const TODAY = "2026-11-23";
const built = tempDbPath("compact-built");
const old = path.join(path.dirname(built), "old-layout.duckdb");

beforeAll(async () => {
  await buildDemo(built, { today: TODAY });
  await closeInstance(built);
  // The demo school written as Rollcall wrote every file before: DuckDB's defaults …
  await copyDatabase(built, old, async (c) => {
    // … with the marks and the aggregates in the order the code before wrote them (marks by
    // session, every code together; aggregates by day or week, then pupil).
    for (const [table, order] of [
      ["mark_store", "date, pm, CASE WHEN pm THEN -pupil_id ELSE pupil_id END"],
      ["mark_days", "date, pupil_id"],
      ["mark_weeks", "week, pupil_id"],
      ["mark_week_code_store", "week, pupil_id, code"],
    ]) {
      await c.run(`CREATE TEMP TABLE kept AS SELECT * FROM o.${table}`);
      await c.run(`DELETE FROM o.${table}`);
      await c.run(`INSERT INTO o.${table} SELECT * FROM kept ORDER BY ${order}`);
      await c.run("DROP TABLE kept");
    }
  }, "BLOCK_SIZE 262144, STORAGE_VERSION 'v1.0.0'");
}, 120_000);
afterAll(async () => {
  await closeInstance(old);
  await removeDb(built);
});

/** Every table's rows (hashed, in no particular order), the year's figures and the import sequence's next value. */
async function snapshot(c: Connection) {
  const tables = await queryRows<{ table_name: string }>(c, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY table_name");
  const rows: Record<string, string> = {};
  for (const { table_name } of tables) {
    // Names from the file's own catalogue.
    const row = await queryOne<{ n: number; h: string }>(c, `SELECT count(*)::INTEGER AS n, coalesce(sum(hash(t))::VARCHAR, '') AS h FROM "${table_name}" t`);
    rows[table_name] = `${row!.n} ${row!.h}`;
  }
  const year = await aggregateLevel.summarise(c, { from: "2025-08-01", to: "2026-07-31" });
  const byYear = await aggregateLevel.summariseBy(c, { from: "2026-08-01", to: TODAY }, "year_group");
  return { rows, year, byYear };
}

/** Rows of each store table out of the order a fresh import writes (STORE_ROW_ORDER), by rowid (the order they were written in). */
async function disorder(c: Connection): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [table, terms] of Object.entries(STORE_ROW_ORDER)) {
    const row = await queryOne<{ n: number }>(
      c,
      `SELECT count(*) FILTER (WHERE key < before)::INTEGER AS n
       FROM (SELECT key, lag(key) OVER (ORDER BY rowid) AS before FROM (SELECT rowid, (${terms}) AS key FROM ${table}))`,
    );
    out[table] = row!.n;
  }
  return out;
}

async function layout(file: string) {
  const row = await withConnection(file, (c) =>
    queryOne<{ v: string; b: number }>(
      c,
      "SELECT d.tags['storage_version'] AS v, s.block_size::INTEGER AS b FROM duckdb_databases() d JOIN pragma_database_size() s USING (database_name) WHERE d.database_name = current_database()",
    ),
  );
  return { version: row!.v, blockSize: row!.b };
}

describe("rollcall compact", () => {
  it("opens a file in the old layout as it is, then rewrites it in the new one with every row, figure and sequence kept", async () => {
    expect(await layout(old)).toEqual({ version: "v1.0.0+", blockSize: 262_144 });
    const before = await withConnection(old, snapshot);
    expect(before.year.possible_sessions).toBeGreaterThan(50_000);
    expect(Object.keys(before.rows)).toContain("mark_store");
    const unordered = await withConnection(old, disorder);
    expect(unordered.mark_store).toBeGreaterThan(1000);
    expect(unordered.mark_days).toBeGreaterThan(1000);
    expect(unordered.mark_weeks).toBeGreaterThan(1000);
    expect(unordered.mark_week_code_store).toBeGreaterThan(1000);
    // Opening it wrote nothing in another layout.
    expect(await layout(old)).toEqual({ version: "v1.0.0+", blockSize: 262_144 });
    await closeInstance(old);
    const oldBytes = fs.statSync(old).size;

    const result = await compactDatabase(old);
    expect(result.before).toMatchObject({ bytes: oldBytes, blockSize: 262_144, storageVersion: "v1.0.0+" });
    expect(result.after).toMatchObject({ blockSize: 32_768, storageVersion: "v1.5.0+", freeBlocks: 0 });
    expect(result.tables).toBe(Object.keys(before.rows).length);
    // 9.2 MB in the old layout; 1.4 MB in the new.
    expect(result.after.bytes).toBeLessThan(oldBytes / 4);
    expect(fs.statSync(old).size).toBe(result.after.bytes);
    expect(fs.existsSync(`${old}.compacting`)).toBe(false);

    expect(await layout(old)).toEqual({ version: "v1.5.0+", blockSize: 32_768 });
    expect(await withConnection(old, snapshot)).toEqual(before);
    // The store's rows are written afresh in the order a fresh import writes them.
    expect(await withConnection(old, disorder)).toEqual({ mark_store: 0, mark_days: 0, mark_weeks: 0, mark_week_code_store: 0 });
    // The numbering carries on: the next import gets the next number.
    const last = await withConnection(old, (c) => queryOne<{ id: number }>(c, "SELECT max(import_id)::INTEGER AS id FROM imports"));
    expect(await withConnection(old, (c) => nextImportId(c))).toBe(last!.id + 1);
  }, 120_000);

  it("from the command line: prints the layout before and after; a missing file is an error and makes none", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const writeErr = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
    const missing = path.join(path.dirname(built), "missing.duckdb");
    try {
      expect(await main(["compact", "--db", built])).toBe(0);
      expect(await main(["compact", "--db", missing])).toBe(1);
    } finally {
      process.stdout.write = write;
      process.stderr.write = writeErr;
    }
    expect(out.join("")).toMatch(/Compacted .*built.*\(\d+ tables, every row checked\):\n {2}before: [\d.]+ MB, format v1\.5\.0\+, 32 KiB blocks, \d+ free\n {2}after: {2}[\d.]+ MB, format v1\.5\.0\+, 32 KiB blocks, 0 free/);
    expect(err.join("")).toBe(`rollcall compact: there is no database at ${missing}: give --db FILE or set ROLLCALL_DB to the school's database, or create one with rollcall init --school NAME --db ${missing} (or try rollcall demo)\n`);
    expect(fs.existsSync(missing)).toBe(false);
  }, 120_000);

  it("refuses to run inside the dashboard's server (relayed by a CLI that found the file locked), leaving the file as it is", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const bytes = fs.statSync(built).size;
    const modified = fs.statSync(built).mtimeMs;
    const code = await cliContext.run({ remote: true, env: {}, stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, () =>
      main(["compact", "--db", built], { keepOpen: true }),
    );
    expect(code).toBe(2);
    expect(err.join("")).toContain("the database is open in the dashboard's server: stop the server, then run rollcall compact again");
    expect(out.join("")).toBe("");
    expect(fs.statSync(built).size).toBe(bytes);
    expect(fs.statSync(built).mtimeMs).toBe(modified);
    expect(fs.existsSync(`${built}.compacting`)).toBe(false);
  });
});
