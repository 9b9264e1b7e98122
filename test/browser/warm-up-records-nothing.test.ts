/**
 * The warm-up's own renders record nothing (app/lib/warm-up.server.ts: "No warm-up
 * page writes anything"). Here with pages not shared (ROLLCALL_SHARE_PAGES=0): every page of
 * the list is rendered plainly (scripts/warm-up.js), the pages that list pupils among them, as
 * the SLT pack's document is when rolePagePreparer answers 0 (test/warm-up-ahead-kept-only.test.ts). Review 45 found 5 "pupil_list_view" rows as head recorded by each round.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances, queryRows, withConnection } from "../../analytics/db.ts";
import { cliOn, initSchool, writeSmallRegister } from "../helpers/cli.ts";
import { removeDb, tempDbPath } from "../helpers/db.ts";
import { startAppServer } from "../setup/app-server.ts";

const db = tempDbPath("warm-up-records-nothing");
const rollcall = cliOn(db);
let server: Awaited<ReturnType<typeof startAppServer>> | undefined;

beforeAll(async () => {
  const { calendar, pupils, marks } = writeSmallRegister(path.dirname(db));
  await initSchool(db);
  expect((await rollcall("import", "--calendar", calendar, "--pupils", pupils, "--marks", marks, "--as-of", "2025-09-01")).code).toBe(0);
  await closeAllInstances();
  server = await startAppServer(db, { ROLLCALL_TODAY: "2026-03-04", ROLLCALL_WARM_UP_DELAY_MS: "0", ROLLCALL_SHARE_PAGES: "0" });
});
afterAll(async () => {
  await server?.stop();
  removeDb(db);
});

describe("the warm-up with pages not shared", () => {
  it("records no view of pupils by name: nobody viewed anything", async () => {
    for (let waited = 0; waited < 120_000 && !server!.log().includes("page views prepared"); waited += 250) await new Promise((r) => setTimeout(r, 250));
    expect(server!.log()).toContain("page views prepared");
    await server!.stop();
    const rows = await withConnection(db, (c) => queryRows<{ actor_name: string | null; role: string; action: string; target: string | null }>(c, "SELECT actor_name, role, action, target FROM audit_log WHERE action = 'pupil_list_view' ORDER BY id"));
    expect(rows).toEqual([]);
  });
});
