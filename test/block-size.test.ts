/**
 * The database file's block size and format (analytics/db.ts NEW_FILE_BLOCK_SIZE and
 * NEW_FILE_STORAGE_VERSION, issue 11's storage goal): a file Rollcall creates uses 32 KiB
 * blocks and DuckDB's v1.5.0 storage format, and the demo school's register takes a fraction
 * of the space it took with DuckDB's defaults (256 KiB blocks, v1.0.0); the aggregates are
 * written in (day or week, counts, pupil) order (analytics/store.ts DAY_ORDER …); a file made
 * before keeps its own block size and format and opens as before.
 */
import fs from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { NEW_FILE_BLOCK_SIZE, NEW_FILE_STORAGE_VERSION, closeInstance, queryOne, queryRows, withConnection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { DAY_ORDER, SESSION_ORDER, WEEK_CODE_ORDER, WEEK_ORDER, ensurePupilIds } from "../analytics/store.ts";
import { seedRegister } from "./helpers/register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const made: string[] = [];
afterAll(async () => {
  for (const file of made) await removeDb(file);
});

async function blockSize(file: string): Promise<number> {
  return withConnection(file, async (c) => Number((await queryOne<{ b: number }>(c, "SELECT block_size AS b FROM pragma_database_size() WHERE database_name = current_database()"))!.b));
}

async function storageVersion(file: string): Promise<string> {
  return withConnection(file, async (c) => {
    const row = await queryOne<{ v: string }>(
      c,
      "SELECT tags['storage_version'] AS v FROM duckdb_databases() WHERE database_name = current_database()",
    );
    return String(row!.v);
  });
}

describe("the database file's blocks", () => {
  it("makes a new file in DuckDB's v1.5.0 format, whose schema alone takes under 256 KB (766 KB in v1.0.0: a 3 KiB sketch per column)", async () => {
    const file = tempDbPath("format");
    made.push(file);
    await withConnection(file, async (c) => c.run("CHECKPOINT"));
    expect(NEW_FILE_STORAGE_VERSION).toBe("v1.5.0");
    expect(await storageVersion(file)).toBe("v1.5.0+");
    await closeInstance(file);
    expect(fs.statSync(file).size).toBeLessThan(256_000);
  });

  it("makes a new file with 32 KiB blocks, and the demo school's register in under 1.6 MB", async () => {
    const file = tempDbPath("blocks");
    made.push(file);
    await buildDemo(file, { today: "2026-11-23" });
    expect(NEW_FILE_BLOCK_SIZE).toBe(32_768);
    expect(await blockSize(file)).toBe(32_768);
    const marks = await withConnection(file, async (c) => {
      await c.run("CHECKPOINT");
      return Number((await queryOne<{ n: number }>(c, "SELECT count(*) AS n FROM mark_store"))!.n);
    });
    // Snake order (analytics/store.ts SESSION_ORDER): the present marks first, then the
    // others by code; within each, a morning's pupils ascending, the afternoon's descending,
    // so the pupil id steps by 0 or ±1 from one session to the next.
    const order = await withConnection(file, async (c) =>
      queryOne<{ against: number; sessions: number; mornings_up: number; afternoons_down: number }>(
        c,
        `WITH stepped AS (
           SELECT date, pm, pupil_id - lag(pupil_id) OVER (ORDER BY rowid) AS step,
                  (code::VARCHAR, date, pm) = lag((code::VARCHAR, date, pm)) OVER (ORDER BY rowid) AS same_session
           FROM mark_store)
         SELECT count(*) FILTER (WHERE same_session AND (CASE WHEN pm THEN step > 0 ELSE step < 0 END))::INTEGER AS against,
                count(DISTINCT (date, pm))::INTEGER AS sessions,
                count(*) FILTER (WHERE same_session AND NOT pm AND step > 0)::INTEGER AS mornings_up,
                count(*) FILTER (WHERE same_session AND pm AND step < 0)::INTEGER AS afternoons_down
         FROM stepped`,
      ),
    );
    expect(order!.sessions).toBeGreaterThan(500);
    expect(order!.mornings_up).toBeGreaterThan(50_000);
    expect(order!.afternoons_down).toBeGreaterThan(50_000);
    expect(order!.against).toBe(0);
    await closeInstance(file);
    // Each import's rows in their order (analytics/store.ts): the marks by session, the
    // aggregates ordinary rows first, then by day or week and their counts, the pupil last —
    // each row after the one before it in that order (rowid is the order rows were written
    // in). An import appends its own rows, so the table steps back at most once an import
    // after the first (the marks: never, within an import).
    const disorder = await withConnection(file, async (c) => {
      const out: Record<string, number> = {};
      const imports = Number((await queryOne<{ n: number }>(c, "SELECT count(DISTINCT import_id)::INTEGER AS n FROM mark_store"))!.n);
      expect(imports).toBe(3);
      for (const [table, terms] of [
        ["mark_store", SESSION_ORDER("date", "pm", "pupil_id", "code")],
        ["mark_days", DAY_ORDER],
        ["mark_weeks", WEEK_ORDER],
        ["mark_week_code_store", WEEK_CODE_ORDER],
      ] as const) {
        const byImport = table === "mark_store" ? "PARTITION BY import_id" : "";
        const row = await queryOne<{ n: number; rows: number }>(
          c,
          `SELECT count(*) FILTER (WHERE key < before)::INTEGER AS n, count(*)::INTEGER AS rows
           FROM (SELECT key, lag(key) OVER (${byImport} ORDER BY rowid) AS before FROM (SELECT rowid, ${table === "mark_store" ? "import_id, " : ""}(${terms}) AS key FROM ${table}))`,
        );
        expect(row!.rows).toBeGreaterThan(10_000);
        out[table] = table === "mark_store" ? row!.n : Math.max(0, row!.n - (imports - 1));
      }
      return out;
    });
    expect(disorder).toEqual({ mark_store: 0, mark_days: 0, mark_weeks: 0, mark_week_code_store: 0 });
    // The week codes' full weeks present ("/" or backslash, five sessions) in a run of their
    // own ahead of each import's other rows (in week order alone a week's full weeks came after
    // other rows 80 times here, and every group of 2,048 pupil ids took 10 or 11 bits): a full
    // week's row follows another row only where an import's rows begin.
    const fullWeeksBack = await withConnection(file, async (c) => {
      const row = await queryOne<{ n: number; whole: number }>(
        c,
        `SELECT count(*) FILTER (WHERE whole AND NOT before)::INTEGER AS n, count(*) FILTER (WHERE whole)::INTEGER AS whole
         FROM (SELECT whole, lag(whole) OVER (ORDER BY rowid) AS before
               FROM (SELECT rowid, code IN ('/', '\\') AND sessions = 5 AS whole FROM mark_week_code_store))`,
      );
      return row!;
    });
    expect(fullWeeksBack.whole).toBeGreaterThan(10_000);
    expect(fullWeeksBack.n).toBeLessThanOrEqual(2);
    // Pupil ids in order of admission (ensurePupilIds): the pupils marked on the last day hold
    // nearly one run of ids (238 pupils in a span of 254; 370 with ids in UPN order).
    const roll = await withConnection(file, (c) =>
      queryOne<{ n: number; span: number }>(
        c,
        "SELECT count(*)::INTEGER AS n, (max(pupil_id) - min(pupil_id) + 1)::INTEGER AS span FROM mark_days WHERE date = (SELECT max(date) FROM mark_days)",
      ),
    );
    expect(roll!.n).toBeGreaterThan(200);
    expect(roll!.span).toBeLessThan(roll!.n * 1.1);
    // With 256 KiB blocks the same register took 9.2 MB (each small table a whole block); with
    // 32 KiB blocks in the v1.0.0 format 2.1 MB, in v1.5.0 1.5 MB, the aggregates in this order 1.36 MB.
    const bytes = fs.statSync(file).size;
    expect(marks).toBeGreaterThan(200_000);
    expect(bytes).toBeLessThan(1_600_000);
  });

  it("gives pupil ids in order of admission date, then UPN, after the ids already given", async () => {
    const file = tempDbPath("ids");
    made.push(file);
    const pupil = (upn: string, admission_date: string) => ({ upn, admission_date });
    const ids = await withConnection(file, async (c) => {
      await seedRegister(c, { pupils: [pupil("Z100", "2020-09-01"), pupil("A100", "2023-09-01"), pupil("M100", "2021-09-01"), pupil("B100", "2021-09-01")], marks: [] });
      await ensurePupilIds(c);
      await seedRegister(c, { pupils: [pupil("C100", "2019-09-01")], marks: [] });
      await ensurePupilIds(c);
      return queryRows<{ upn: string; pupil_id: number }>(c, "SELECT upn, pupil_id FROM pupil_ids ORDER BY pupil_id");
    });
    expect(ids.map((r) => `${r.pupil_id} ${r.upn}`)).toEqual(["1 Z100", "2 B100", "3 M100", "4 A100", "5 C100"]);
  });

  it("opens a file made with DuckDB's default 256 KiB blocks and v1.0.0 format as it is", async () => {
    const file = tempDbPath("blocks-old");
    made.push(file);
    // Made by DuckDB's defaults with nothing in it (a file with another program's tables is
    // refused: test/foreign-database.test.ts), then given the schema and a row by Rollcall.
    const old = await DuckDBInstance.create(file);
    old.closeSync();
    await withConnection(file, (c) => c.run("CREATE TABLE kept (x INTEGER); INSERT INTO kept VALUES (7)"));
    await closeInstance(file);
    expect(await blockSize(file)).toBe(262_144);
    expect(await storageVersion(file)).toBe("v1.0.0+");
    expect(await withConnection(file, async (c2) => (await queryOne<{ x: number }>(c2, "SELECT x FROM kept"))!.x)).toBe(7);
  });
});
