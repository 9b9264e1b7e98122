/**
 * A pupil's page reads the register with DuckDB at one thread (app/routes/pupils.$upn.tsx,
 * analytics/db.ts withOneThread): each of its statements is about one pupil, and a second
 * thread only spun waiting for work (issue 11, item 4: the page's first making under 50
 * readers). Every statement of the page that reads marks runs while the database is held at
 * one thread, and the count is given back afterwards. The count before is set to 3, so it is
 * neither DuckDB's default on this machine nor 1.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { queryOne, withConnection } from "../analytics/db.ts";
import { loader as pupilLoader } from "../app/routes/pupils.$upn.tsx";
import { createTestAccounts, type TestAccount } from "./helpers/auth.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { loaderData } from "./helpers/loader.ts";
import { seedPartMonthRegister } from "./helpers/part-month-register.ts";
import { watchMarkReads } from "./helpers/thread-spy.ts";

const db = tempDbPath("pupil-page-one-thread");
let slt: TestAccount;
const savedToday = process.env.ROLLCALL_TODAY;

beforeAll(async () => {
  await withConnection(db, seedPartMonthRegister);
  slt = (await createTestAccounts(db)).slt;
  await withConnection(db, (c) => c.run("SET threads = 3"));
});
afterAll(async () => {
  vi.restoreAllMocks();
  if (savedToday === undefined) delete process.env.ROLLCALL_TODAY;
  else process.env.ROLLCALL_TODAY = savedToday;
  await removeDb(db);
});

describe("a pupil's page", () => {
  it("reads the register's marks with DuckDB at one thread, and gives the count back", async () => {
    process.env.ROLLCALL_TODAY = "2024-12-06";
    const watched = watchMarkReads();
    const page = await loaderData<{ identity: { upn: string } }>((args) => pupilLoader({ ...args, params: { upn: "P" } }), db, slt.cookie, "/pupils/P?period=this-term");
    watched.stop();
    expect(page.identity.upn).toBe("P");
    expect(watched.threads.length).toBeGreaterThan(3);
    expect(new Set(watched.threads)).toEqual(new Set([1]));
    // Given back by the next unit of work on the file (analytics/db.ts giveBackThreads).
    expect(await withConnection(db, (c) => queryOne<{ n: number }>(c, "SELECT current_setting('threads')::INTEGER AS n"))).toEqual({ n: 3 });
  });
});
