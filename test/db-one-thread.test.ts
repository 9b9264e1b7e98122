/**
 * withOneThread (analytics/db.ts): DuckDB's `threads` is 1 on the whole database while a unit
 * of work holds it (as every connection sees it), and back to what it was once the last of
 * any overlapping units ends, whether it returned or threw (the count it had when the hold
 * began, which may have been changed since an earlier hold), given back by the next unit of
 * work on the file rather than as the hold ends; an import (which holds it for a small file)
 * leaves it as it found it. The count before is set to 3 here, so it is neither
 * DuckDB's default on this machine nor 1.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne, withConnection, withOneThread, type Connection } from "../analytics/db.ts";
import { importFiles } from "../analytics/import/index.ts";
import { writeSmallRegister } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY } from "./fixtures/import/helpers.ts";

const db = tempDbPath("one-thread");
const threads = (c: Connection) => queryOne<{ n: number }>(c, "SELECT current_setting('threads')::INTEGER AS n").then((r) => r?.n);
/** The count as another connection to the file sees it. */
const seen = () => withConnection(db, threads);

beforeAll(async () => {
  await withConnection(db, (c) => c.run("SET threads = 3"));
});
afterAll(() => removeDb(db));

describe("withOneThread", () => {
  it("holds the database at one thread for the work, then gives the count back", async () => {
    const inside = await withConnection(db, (c) => withOneThread(c, async () => [await threads(c), await seen()]));
    expect(inside).toEqual([1, 1]);
    expect(await seen()).toBe(3);
  });

  it("gives the count back when the work throws, and the error is the work's", async () => {
    await expect(withConnection(db, (c) => withOneThread(c, async () => Promise.reject(new Error("refused"))))).rejects.toThrow("refused");
    expect(await seen()).toBe(3);
  });

  it("overlapping units share the hold: the first to end leaves one thread to the other, the last gives the count back", async () => {
    let endFirst: () => void = () => {};
    const firstHeld = new Promise<void>((resolve) => (endFirst = resolve));
    let firstIn: () => void = () => {};
    const firstStarted = new Promise<void>((resolve) => (firstIn = resolve));
    const first = withConnection(db, (c) =>
      withOneThread(c, async () => {
        firstIn();
        await firstHeld;
      }),
    );
    await firstStarted;
    const second = withConnection(db, (c) =>
      withOneThread(c, async () => {
        const before = await seen();
        endFirst();
        await first;
        return [before, await seen()];
      }),
    );
    expect(await second).toEqual([1, 1]);
    expect(await seen()).toBe(3);
  });

  it("gives back the count the database had when the hold began, not one it had before", async () => {
    await withConnection(db, (c) => withOneThread(c, async () => {}));
    await withConnection(db, (c) => c.run("SET threads = 4"));
    expect(await withConnection(db, (c) => withOneThread(c, () => seen()))).toBe(1);
    expect(await seen()).toBe(4);
    await withConnection(db, (c) => c.run("SET threads = 3"));
  });

  it("sets nothing as the hold ends: the next unit of work on the file gives the count back first", async () => {
    // On the hold's own connection, after it: still one thread (giving two back cost an import 10–20 ms of CPU).
    const after = await withConnection(db, async (c) => {
      await withOneThread(c, async () => {});
      return threads(c);
    });
    expect(after).toBe(1);
    expect(await seen()).toBe(3);
  });

  it("an import of a small register leaves the count as it found it", async () => {
    const files = writeSmallRegister(path.dirname(db));
    const summaries = await importFiles(db, files, { by: BY, asOf: "2025-09-01" });
    expect(summaries.map((s) => [s.kind, s.inserted])).toEqual([["calendar", 1], ["pupils", 2], ["marks", 12]]);
    expect(await seen()).toBe(3);
  });
});
