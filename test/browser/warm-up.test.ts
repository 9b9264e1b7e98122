/**
 * Pages prepared in the background (issue 11, item 5; app/lib/warm-up.server.ts,
 * scripts/warm-up.js): the real production server renders the staff's dashboard pages after it starts and again after every commit — here a CLI import relayed to
 * it — and the header that marks its own requests opens nothing to anyone outside the process.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances } from "../../analytics/db.ts";
import { createTestAccounts, type TestAccount } from "../helpers/auth.ts";
import { cliOn, fileWriter, writeSmallRegister } from "../helpers/cli.ts";
import { removeDb, tempDbPath } from "../helpers/db.ts";
import { startAppServer } from "../setup/app-server.ts";

const db = tempDbPath("warm-up");
const dir = path.dirname(db);
const rollcall = cliOn(db);
const { calendar, pupils, marks } = writeSmallRegister(dir);
const correction = fileWriter(dir)("correction.csv", ["upn,date,session,code", "B123456789012,2026-03-04,AM,O"]);
let head: TestAccount;
let server: Awaited<ReturnType<typeof startAppServer>> | undefined;

/** The warm-up's lines in the server's log so far. */
const rounds = () => server!.log().split("\n").filter((line) => line.includes("page views prepared"));
async function roundsReach(count: number): Promise<string[]> {
  for (let waited = 0; waited < 120_000; waited += 250) {
    if (rounds().length >= count) return rounds();
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the warm-up logged ${rounds().length} rounds, not ${count}:\n${server!.log().slice(-2000)}`);
}

beforeAll(async () => {
  expect((await rollcall("import", "--calendar", calendar, "--pupils", pupils, "--marks", marks, "--as-of", "2025-09-01")).code).toBe(0);
  head = (await createTestAccounts(db)).head;
  await closeAllInstances();
  server = await startAppServer(db, { ROLLCALL_TODAY: "2026-03-04", ROLLCALL_WARM_UP_DELAY_MS: "0" });
});

afterAll(async () => {
  await server?.stop();
  removeDb(db);
});

describe("pages prepared in the background", () => {
  it("renders every page it prepares, as a head and as a governor, once the server has started", async () => {
    const [first] = await roundsReach(1);
    // The 13 staff pages and 6 governors' pages of app/lib/warm-up.server.ts, none refused.
    expect(first).toMatch(/\[rollcall\] 19 page views prepared in [\d.]+ s$/);
    expect(first).not.toContain("failed");
  });

  it("prepares them again after a change relayed from the CLI, and the pages show the change", async () => {
    const before = (await roundsReach(1)).length;
    const imported = await rollcall("import", "--marks", correction, "--user", "Office", "--reason", "Register corrected");
    expect(imported.code).toBe(0);
    const after = await roundsReach(before + 1);
    expect(after.at(-1)).toMatch(/19 page views prepared/);
    const csv = await fetch(`${server!.url}/pupils.csv?period=custom&from=2026-03-02&to=2026-03-04`, { headers: { Cookie: head.cookie } });
    expect((await csv.text()).split("\n").find((line) => line.includes("B123456789012"))).toContain(",66.7,4,6,");
  });

  it("opens nothing to a request from outside that copies the header", async () => {
    const forged = [`head ${"0".repeat(64)}`, "head", `governor ${"f".repeat(64)}`, "", `admin ${"0".repeat(64)}`, "0".repeat(64)];
    for (const value of forged) {
      const response = await fetch(`${server!.url}/`, { headers: { "x-rollcall-warm-up": value }, redirect: "manual" });
      expect(response.status, value).toBe(302);
      expect(response.headers.get("location"), value).toMatch(/^\/login/);
      const download = await fetch(`${server!.url}/pupils.csv`, { headers: { "x-rollcall-warm-up": value }, redirect: "manual" });
      expect(download.status, value).toBe(401);
    }
  });
});
