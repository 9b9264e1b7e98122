/**
 * The database file's block size (analytics/db.ts NEW_FILE_BLOCK_SIZE, issue 11's storage
 * goal): a file Rollcall creates uses 32 KiB blocks, and the demo school's register takes a
 * fraction of the space it took with DuckDB's default 256 KiB; a file made before keeps its
 * own block size and opens as before.
 */
import fs from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { NEW_FILE_BLOCK_SIZE, closeInstance, queryOne, withConnection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const made: string[] = [];
afterAll(async () => {
  for (const file of made) await removeDb(file);
});

async function blockSize(file: string): Promise<number> {
  return withConnection(file, async (c) => Number((await queryOne<{ b: number }>(c, "SELECT block_size AS b FROM pragma_database_size() WHERE database_name = current_database()"))!.b));
}

describe("the database file's blocks", () => {
  it("makes a new file with 32 KiB blocks, and the demo school's register in under 4 MB", async () => {
    const file = tempDbPath("blocks");
    made.push(file);
    await buildDemo(file, { today: "2026-11-23" });
    expect(NEW_FILE_BLOCK_SIZE).toBe(32_768);
    expect(await blockSize(file)).toBe(32_768);
    const marks = await withConnection(file, async (c) => {
      await c.run("CHECKPOINT");
      return Number((await queryOne<{ n: number }>(c, "SELECT count(*) AS n FROM mark_store"))!.n);
    });
    // Snake order (analytics/store.ts SESSION_ORDER): a morning's pupils ascending, the
    // afternoon's descending, so the pupil id steps by 0 or ±1 from one session to the next.
    const order = await withConnection(file, async (c) =>
      queryOne<{ against: number; sessions: number; mornings_up: number; afternoons_down: number }>(
        c,
        `WITH stepped AS (
           SELECT date, pm, pupil_id - lag(pupil_id) OVER (ORDER BY rowid) AS step,
                  (date, pm) = lag((date, pm)) OVER (ORDER BY rowid) AS same_session
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
    // With 256 KiB blocks the same register took 9.2 MB (each small table a whole block).
    const bytes = fs.statSync(file).size;
    expect(marks).toBeGreaterThan(200_000);
    expect(bytes).toBeLessThan(4_000_000);
  });

  it("opens a file made with DuckDB's default 256 KiB blocks as it is", async () => {
    const file = tempDbPath("blocks-old");
    made.push(file);
    const old = await DuckDBInstance.create(file);
    const c = await old.connect();
    await c.run("CREATE TABLE kept (x INTEGER)");
    await c.run("INSERT INTO kept VALUES (7)");
    c.closeSync();
    old.closeSync();
    expect(await blockSize(file)).toBe(262_144);
    expect(await withConnection(file, async (c2) => (await queryOne<{ x: number }>(c2, "SELECT x FROM kept"))!.x)).toBe(7);
  });
});
