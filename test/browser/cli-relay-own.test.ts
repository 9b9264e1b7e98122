/**
 * The relayed CLI says and reads what it does on its own (review 48; the real bin/rollcall.js against the real server).
 * 1. A bare `rollcall summary` relayed prints its period line twice on stderr (once by the caller's
 *    own attempt before the file was found held, once by the server), where on its own it prints it once.
 * 2. `import --marks DIR` (a folder, relative): relayed, the server reads the relative path from its
 *    own working directory and says the file does not exist there; on its own, "is a folder".
 */
import fs from "node:fs";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances } from "../../analytics/db.ts";
import { cliOn, writeSmallRegister, initSchool } from "../helpers/cli.ts";
import { removeDb, tempDbPath } from "../helpers/db.ts";
import { startAppServer } from "../setup/app-server.ts";

const db = tempDbPath("cli-relay-own");
const dir = path.dirname(db);
const rollcall = cliOn(db);
const { calendar, pupils, marks } = writeSmallRegister(dir);
const BIN = path.resolve("bin/rollcall.js");
/** The CLI run with `cwd` as its working directory. */
async function inDir(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
let server: Awaited<ReturnType<typeof startAppServer>> | undefined;
let direct = { code: 0, stdout: "", stderr: "" };

const savedToday = process.env.ROLLCALL_TODAY;
beforeAll(async () => {
  process.env.ROLLCALL_TODAY = "2026-03-04";
  await initSchool(db);
  expect((await rollcall("import", "--calendar", calendar, "--pupils", pupils, "--marks", marks, "--as-of", "2025-09-01")).code).toBe(0);
  direct = await rollcall("summary", "--json");
  await closeAllInstances();
  server = await startAppServer(db);
});

afterAll(async () => {
  await server?.stop();
  removeDb(db);
  if (savedToday === undefined) delete process.env.ROLLCALL_TODAY;
  else process.env.ROLLCALL_TODAY = savedToday;
});

describe("the relayed CLI, as on its own", () => {
  it("a bare rollcall summary relayed says its period once, as it does on its own", async () => {
    expect(direct.stderr.match(/the academic year to date/g)).toHaveLength(1);
    const relayed = await rollcall("summary", "--json");
    expect(relayed).toEqual(direct);
  });

  it("a folder given as --marks is named a folder relayed too, never read from the server's working directory", async () => {
    const folder = path.join(dir, "a-folder");
    fs.mkdirSync(folder, { recursive: true });
    // Typed in the folder above it, by a relative path (the server's working directory is the repository's).
    const relayed = await inDir(dir, "import", "--marks", "a-folder", "--db", db);
    expect(relayed.code).toBe(1);
    expect(relayed.stderr).toContain("is a folder");
  });
});
