/**
 * The school's settings kept in memory while nothing is committed (analytics/settings.ts
 * getSettings, keptSettings): every page made reads them in its root loader, which had asked
 * for a DuckDB connection each time only to find them in the result cache, waiting its turn for
 * one of libuv's threads behind the statements running (10–170 ms under 50 readers, load27).
 * keptSettings answers without a connection or a read while the file's data generation holds,
 * and nothing once a save has committed; a transaction reads its own. Real DuckDB file.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { enableResultCache, inTransaction, resultCacheStats, withConnection } from "../analytics/db.ts";
import { getSettings, keptSettings, saveSettings } from "../analytics/settings.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

let db = "";
const HEAD = { name: "Head", role: "admin" };
beforeAll(() => enableResultCache());
afterAll(() => enableResultCache(false));
beforeEach(async () => {
  db = tempDbPath("settings-kept");
  await withConnection(db, (c) => saveSettings(c, { school_name: "Ludlow Primary", small_group_min: "6" }, HEAD));
  return () => removeDb(db);
});

describe("settings kept in memory", () => {
  it("answers from what getSettings read since the last commit, without a read; nothing before it has read", async () => {
    expect(await keptSettings(db)).toBeNull();
    const read = await withConnection(db, (c) => getSettings(c));
    expect(read).toMatchObject({ school_name: "Ludlow Primary", small_group_min: 6 });
    const before = resultCacheStats();
    expect(await keptSettings(db)).toEqual(read);
    // Not even a cached read (each is counted, hit or miss).
    expect(resultCacheStats()).toEqual(before);
  });

  it("answers nothing once a save has committed, then the saved settings once read", async () => {
    await withConnection(db, (c) => getSettings(c));
    await withConnection(db, (c) => saveSettings(c, { school_name: "Ludlow Church Primary", small_group_min: "8" }, HEAD));
    expect(await keptSettings(db)).toBeNull();
    expect(await withConnection(db, (c) => getSettings(c))).toMatchObject({ school_name: "Ludlow Church Primary", small_group_min: 8 });
    expect(await keptSettings(db)).toMatchObject({ school_name: "Ludlow Church Primary", small_group_min: 8 });
  });

  it("reads a transaction's own settings inside it, never the kept ones", async () => {
    await withConnection(db, (c) => getSettings(c));
    await withConnection(db, (c) =>
      inTransaction(c, async () => {
        await saveSettings(c, { school_name: "Inside Primary" }, HEAD);
        expect((await getSettings(c)).school_name).toBe("Inside Primary");
        throw new Error("rolled back");
      }),
    ).catch(() => {});
    // Rolled back: the kept settings stand, and say the stored name.
    expect((await keptSettings(db))?.school_name).toBe("Ludlow Primary");
    expect((await withConnection(db, (c) => getSettings(c))).school_name).toBe("Ludlow Primary");
  });

  it("gives each caller a copy of its own", async () => {
    const first = await withConnection(db, (c) => getSettings(c));
    first.school_name = "Changed by a caller";
    expect((await keptSettings(db))?.school_name).toBe("Ludlow Primary");
    const kept = await keptSettings(db);
    kept!.small_group_min = 99;
    expect((await withConnection(db, (c) => getSettings(c))).small_group_min).toBe(6);
  });
});
