/**
 * Global setup of the browser tests: builds the app (remix build), builds the demo school
 * for a fixed "today" into a temporary database with one signed-in test account per role
 * (test/helpers/auth.ts), and serves it with scripts/server.js — the production server a
 * school would run. Torn down after the run.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { closeAllInstances } from "../../analytics/db.ts";
import { buildDemo } from "../../analytics/demo/index.ts";
import { queryRows, withConnection } from "../../analytics/db.ts";
import type { Role } from "../../analytics/users/roles.ts";
import { createTestAccounts, type TestAccount } from "../helpers/auth.ts";

export const DEMO_TODAY = "2026-11-23";
const ROOT = path.resolve(import.meta.dirname, "../..");

/** A TCP port on 127.0.0.1 that nothing listens on now (the OS's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitForServer(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 180_000; // generous: the machine may be busy
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app server exited (${child.exitCode}):\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app server did not answer at ${url} within 180 s:\n${output()}`);
}

export default async function setup(project: TestProject) {
  if (process.env.ROLLCALL_SKIP_BUILD !== "1" || !fs.existsSync(path.join(ROOT, "build/index.js"))) {
    // Vitest sets NODE_ENV=test, which would make remix build a development bundle.
    const build = spawnSync("npx", ["remix", "build"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_ENV: "production", VITE_CJS_IGNORE_WARNING: "true" } });
    if (build.status !== 0) throw new Error(`remix build failed:\n${build.stdout}\n${build.stderr}`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-browser-"));
  const db = path.join(dir, "demo.duckdb");
  await buildDemo(db, { today: DEMO_TODAY });
  const accounts = await createTestAccounts(db);
  // Every pupil's UPN and name, for the crawls that insist a governor never sees one.
  const pupils = await withConnection(db, (c) => queryRows<{ upn: string; forename: string; surname: string }>(c, "SELECT upn, forename, surname FROM pupils ORDER BY upn"));
  await closeAllInstances(); // The server process must be able to open the file.

  const server = await startAppServer(db, { ROLLCALL_TODAY: DEMO_TODAY });
  const url = server.url;

  project.provide("appUrl", url);
  project.provide("appDb", db);
  project.provide("accounts", accounts);
  project.provide("pupils", pupils);
  return async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

/**
 * Serves the built app (scripts/server.js) on a free port of 127.0.0.1 over a database file;
 * also used by tests that need a server of their own (the lockout, which locks the address).
 */
export async function startAppServer(
  db: string,
  env: Record<string, string> = {},
): Promise<{ url: string; port: number; /** The server process's id (the load bench reads its CPU time). */ pid: number | undefined; stop(): Promise<void>; /** What the server printed so far (stdout and stderr). */ log(): string }> {
  const port = await freePort();
  let log = "";
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/server.js"), "build/index.js"], {
    cwd: ROOT,
    // libuv's thread pool as scripts/start.js sizes it (16 unless set: see there).
    env: { UV_THREADPOOL_SIZE: "16", ...process.env, PORT: String(port), HOST: "127.0.0.1", ROLLCALL_DB: db, NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => (log += chunk));
  child.stderr?.on("data", (chunk) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;
  await waitForServer(url, child, () => log);
  return {
    url,
    port,
    pid: child.pid,
    log: () => log,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    appUrl: string;
    appDb: string;
    accounts: Record<Role, TestAccount>;
    pupils: Array<{ upn: string; forename: string; surname: string }>;
  }
}
