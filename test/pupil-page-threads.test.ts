/**
 * A pupil's page reads the register at the database's own DuckDB thread count, setting none
 * (app/routes/pupils.$upn.tsx): session 39 held it at one thread (analytics/db.ts withOneThread),
 * and setting the count, then giving it back for the next page, made DuckDB stop and start its
 * worker, 27–33 ms of CPU and 31–60 ms of the page's wait in the server (issue 11, item 4: the
 * page's first making under 50 readers). Every statement of the page that reads marks runs at
 * the count the database had, set to 3 first so it is neither DuckDB's default on this machine
 * nor 1, and no statement of the page sets it.
 */
import { DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { queryOne, withConnection } from "../analytics/db.ts";
import { loader as pupilLoader } from "../app/routes/pupils.$upn.tsx";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { loaderData } from "./helpers/loader.ts";
import { restoreTodayAfterAll } from "./helpers/break-register.ts";
import { seedPartMonthRegister } from "./helpers/part-month-register.ts";
import { watchMarkReads } from "./helpers/thread-spy.ts";

const db = tempDbPath("pupil-page-threads");
let slt: TestAccount;
restoreTodayAfterAll();

beforeAll(async () => {
  await withConnection(db, seedPartMonthRegister);
  slt = (await createTestAccounts(db)).slt;
  await withConnection(db, (c) => c.run("SET threads = 3"));
});
afterAll(async () => {
  vi.restoreAllMocks();
  await removeDb(db);
});

describe("a pupil's page", () => {
  it("reads the register's marks at the database's thread count and sets none", async () => {
    process.env.ROLLCALL_TODAY = "2024-12-06";
    const watched = watchMarkReads();
    const sets = vi.spyOn(DuckDBConnection.prototype, "run");
    const page = await loaderData<{ identity: { upn: string } }>((args) => pupilLoader({ ...args, params: { upn: "P" } }), db, slt.cookie, "/pupils/P?period=this-term");
    const setSql = sets.mock.calls.map((call) => String(call[0])).filter((sql) => /^\s*SET\b.*\bthreads\b/i.test(sql));
    sets.mockRestore();
    watched.stop();
    expect(page.identity.upn).toBe("P");
    expect(watched.threads.length).toBeGreaterThan(3);
    expect(new Set(watched.threads)).toEqual(new Set([3]));
    expect(setSql).toEqual([]);
    expect(await withConnection(db, (c) => queryOne<{ n: number }>(c, "SELECT current_setting('threads')::INTEGER AS n"))).toEqual({ n: 3 });
  });
});
