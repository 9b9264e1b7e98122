/**
 * An import into a database this process holds open (the dashboard's server holds its file's
 * instance from start: analytics/db.ts openInstance) runs on that instance: it neither opens the
 * file again nor checks its schema again. The bench's import goal (scripts/bench-import-ratio.ts)
 * times the import so, with the open before its timer, as its reference makes its database
 * before its own; this says that is what the Import page's import pays. Counts from
 * test/helpers/cli.ts's small register (12 marks).
 */
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { closeInstance, heldHere, withConnection } from "../analytics/db.ts";
import { importFiles } from "../analytics/import/index.ts";
import { writeSmallRegister } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY } from "./fixtures/import/helpers.ts";

const db = tempDbPath("import-open-instance");
const files = writeSmallRegister(path.dirname(db));

afterAll(async () => {
  vi.restoreAllMocks();
  await removeDb(db);
});

describe("an import into a database already open", () => {
  it("opens no second instance; once closed, the import opens the file itself", async () => {
    await withConnection(db, async () => {});
    expect(heldHere(db)).toBe(true);
    const opens = vi.spyOn(DuckDBInstance, "fromCache");
    const held = await importFiles(db, files, { by: BY, asOf: "2025-09-01" });
    expect(held.map((s) => [s.kind, s.inserted])).toEqual([["calendar", 1], ["pupils", 2], ["marks", 12]]);
    expect(opens).not.toHaveBeenCalled();
    // The spy sees an open: the file closed, the same import (nothing new) makes the instance again.
    await closeInstance(db);
    await importFiles(db, files, { by: BY, asOf: "2025-09-01" });
    expect(opens).toHaveBeenCalledTimes(1);
  });
});
