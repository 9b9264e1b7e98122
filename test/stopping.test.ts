/**
 * Stopping the dashboard (README "Stopping"): `npm start` runs scripts/start.js, which runs
 * scripts/server.js as its child. Killing the PID of npm or of the start script — with a
 * signal it can pass on, or outright with SIGKILL — must stop the server too, freeing its
 * port and the database. Each case starts the real scripts on a free port and a temporary
 * database (an empty school, `rollcall init`), kills the parent's PID only, and checks that
 * the port refuses connections and the server's own PID (from its `<database>.server.json`,
 * analytics/cli/remote.ts) is gone.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { initSchool, cliOn, writeFebruaryWeek, writeSmallRegister } from "./helpers/cli.ts";
import { tempDbPath } from "./helpers/db.ts";
import { freePort } from "./setup/app-server.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const db = tempDbPath("stopping");
/** Server PIDs seen, killed after each case if a failure left one running. */
const servers = new Set<number>();

/** Whether something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Polls `check` every 200 ms until it holds; false if it never did within `limitMs` (a bound on waiting, not a timing claim). */
async function until(check: () => boolean | Promise<boolean>, limitMs: number): Promise<boolean> {
  for (const end = Date.now() + limitMs; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) if (await check()) return true;
  return check();
}

/** Starts `command` as the README does and waits for the server to listen; returns the parent and the server's PID. */
async function start(command: string, args: string[], options: { ownGroup?: boolean; database?: string; env?: Record<string, string> } = {}): Promise<{ parent: ChildProcess; port: number; serverPid: number; exited: Promise<number | null>; output: () => string }> {
  const port = await freePort();
  const database = options.database ?? db;
  // ownGroup: the parent leads a process group of its own, as a shell's job does, so a signal
  // can go to the whole group (Ctrl-C in a terminal).
  const parent = spawn(command, args, { cwd: ROOT, env: { ...process.env, PORT: String(port), ROLLCALL_DB: database, NODE_ENV: "production", ...options.env }, stdio: ["ignore", "pipe", "pipe"], detached: Boolean(options.ownGroup) });
  let output = "";
  parent.stdout!.on("data", (d) => (output += d));
  parent.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => parent.once("exit", (code) => resolve(code)));
  const announced = `${database}.server.json`;
  const readable = () => {
    try {
      return typeof (JSON.parse(fs.readFileSync(announced, "utf8")) as { pid?: unknown }).pid === "number";
    } catch {
      return false;
    }
  };
  const up = await until(async () => readable() && (await listening(port)), 300_000);
  if (!up) throw new Error(`the dashboard did not start:\n${output}`);
  const serverPid = (JSON.parse(fs.readFileSync(announced, "utf8")) as { pid: number }).pid;
  servers.add(serverPid);
  expect(serverPid).not.toBe(parent.pid);
  return { parent, port, serverPid, exited, output: () => output };
}

afterEach(() => {
  for (const pid of servers) if (alive(pid)) process.kill(pid, "SIGKILL");
  servers.clear();
});
afterAll(() => fs.rmSync(path.dirname(db), { recursive: true, force: true }));

const START_SCRIPT = [process.execPath, ["scripts/start.js"]] as const;
const NPM_START = ["npm", ["start", "--silent"]] as const;

describe("stopping the dashboard by killing the parent's PID", () => {
  it.each([
    ["kill PID of scripts/start.js (SIGTERM)", START_SCRIPT, "SIGTERM"],
    ["kill -HUP of scripts/start.js (the terminal closed)", START_SCRIPT, "SIGHUP"],
    ["kill -9 of scripts/start.js, which can pass nothing on", START_SCRIPT, "SIGKILL"],
    ["kill PID of npm (npm start, SIGTERM)", NPM_START, "SIGTERM"],
    // npm passes SIGINT on to its script's process and dies of SIGHUP; with `sh -c` between them
    // (package.json's start without `exec`) the first went nowhere and the second left the start
    // script and the server running under PID 1 (a fresh-clone trial).
    ["kill -INT PID of npm (npm start)", NPM_START, "SIGINT"],
    ["kill -HUP PID of npm (npm start, the terminal closed)", NPM_START, "SIGHUP"],
  ] as const)("%s: the server stops, the port is free, the parent exits", async (_name, [command, args], signal) => {
    const { parent, port, serverPid, exited } = await start(command, [...args]);
    parent.kill(signal);
    await exited;
    expect(await until(async () => !alive(serverPid) && !(await listening(port)), 30_000)).toBe(true);
  }, 600_000);
});

describe("the server's thread pool", () => {
  // scripts/start.js sizes libuv's pool for DuckDB's queries, zlib and the file system (which
  // Node reads from the environment when the process starts): fails without it (no
  // UV_THREADPOOL_SIZE in the server's environment, so Node's 4).
  it("starts the server with UV_THREADPOOL_SIZE=16 unless one is set", async () => {
    const env = { ...process.env };
    delete process.env.UV_THREADPOOL_SIZE;
    try {
      const { parent, serverPid, exited } = await start(START_SCRIPT[0], [...START_SCRIPT[1]]);
      const environment = fs.readFileSync(`/proc/${serverPid}/environ`, "utf8").split("\0");
      parent.kill("SIGTERM");
      await exited;
      expect(environment).toContain("UV_THREADPOOL_SIZE=16");
    } finally {
      process.env = env;
    }
  }, 600_000);
});

/** Runs bin/rollcall.js on the test's database (relayed into the running server if there is one). */
function rollcall(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/rollcall.js", ...args, "--db", db], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    child.once("exit", (code) => resolve({ code, output }));
  });
}

describe("stopping saves the database into its file", () => {
  // DuckDB keeps recent writes in <database>.wal until a checkpoint; a server that exits without
  // one leaves them there, and a copy of the database file alone (a backup, `rollcall compact`
  // on a copy) lacks them. Fails without the CHECKPOINT on stopping (scripts/server.js stop):
  // the .wal is left beside the file and the copy has no such account.
  it("writes a change made through the server into the file itself: a copy of the file alone has it", async () => {
    const { parent, serverPid, exited } = await start(START_SCRIPT[0], [...START_SCRIPT[1]]);
    const added = await rollcall(["users", "add", "--email", "saved@school.test", "--name", "Saved On Stopping", "--role", "slt"], { ROLLCALL_PASSWORD: "a long passphrase for the test" });
    expect(added.code, added.output).toBe(0);
    parent.kill("SIGTERM");
    await exited;
    expect(await until(() => !alive(serverPid), 30_000)).toBe(true);
    expect(fs.existsSync(`${db}.wal`)).toBe(false);
    const copy = path.join(path.dirname(db), "copy.duckdb");
    fs.copyFileSync(db, copy);
    const listed = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, ["bin/rollcall.js", "users", "list", "--json", "--db", copy], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout!.on("data", (d) => (out += d));
      child.once("exit", () => resolve(out));
    });
    expect(listed).toContain("saved@school.test");
  }, 600_000);

  // Ctrl-C sends SIGINT to the whole process group, and scripts/start.js passes one more on to
  // the server: a second signal once killed the server before its save (its handler was `once`),
  // leaving the .wal (a fresh-clone trial, with SIGTERM to the group too). Fails with `once`.
  it.each(["SIGINT", "SIGTERM"] as const)("saves on %s to the whole process group (Ctrl-C in a terminal), saying so", async (signal) => {
    const { parent, serverPid, exited, output } = await start(START_SCRIPT[0], [...START_SCRIPT[1]], { ownGroup: true });
    const email = `group-${signal.toLowerCase()}@school.test`;
    const added = await rollcall(["users", "add", "--email", email, "--name", "Saved On Ctrl-C", "--role", "slt"], { ROLLCALL_PASSWORD: "a long passphrase for the test" });
    expect(added.code, added.output).toBe(0);
    process.kill(-parent.pid!, signal);
    await exited;
    expect(await until(() => !alive(serverPid), 60_000)).toBe(true);
    expect(fs.existsSync(`${db}.wal`)).toBe(false);
    expect(output()).toContain("[rollcall] stopping: saving the database into its file");
    expect(output()).toMatch(/\[rollcall\] saved: everything is in .* \(no \.wal beside it\); stopped\./);
  }, 600_000);
});

/** The PIDs of `pid`'s descendants whose command line names Chromium (the print browser and its helpers). */
function chromiumUnder(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const under = (child: number): boolean => {
    for (let at = parentOf.get(child); at !== undefined && at > 1; at = parentOf.get(at)) if (at === pid) return true;
    return false;
  };
  return [...parentOf.keys()].filter((child) => {
    if (!under(child)) return false;
    try {
      return fs.readFileSync(`/proc/${child}/cmdline`, "utf8").includes("chromium");
    } catch {
      return false;
    }
  });
}

describe("stopping while a PDF is being printed", () => {
  // Trial 47: Ctrl-C while the warm-up printed a pack logged Playwright's "Target page, context
  // or browser has been closed" with its stack (2 of 5 stops), Playwright's own SIGINT handler
  // having closed the browser under the print; and it ended the process with 130. Each case
  // starts the server on the small register (its packs printed by the first warm-up round),
  // signals the whole group as soon as the print browser is up, and checks that the server
  // exits 0 saying at most that the print was abandoned, and leaves no Chromium behind.
  it.each(["SIGINT", "SIGTERM"] as const)("%s to the whole group mid-print: exit 0, the database saved, no stack trace, no Chromium left", async (signal) => {
    const database = path.join(path.dirname(db), `printing-${signal.toLowerCase()}.duckdb`);
    const dir = path.dirname(database);
    const { calendar, pupils, marks } = writeSmallRegister(dir);
    // February's last week too, so the Packs page offers a month and a term to print (test/browser/warm-up.test.ts).
    const february = writeFebruaryWeek(dir);
    await initSchool(database);
    const rollcallOn = cliOn(database);
    expect((await rollcallOn("import", "--calendar", calendar, "--pupils", pupils, "--marks", marks, "--as-of", "2025-09-01")).code).toBe(0);
    expect((await rollcallOn("import", "--marks", february)).code).toBe(0);
    const { parent, serverPid, exited, output } = await start(START_SCRIPT[0], [...START_SCRIPT[1]], { ownGroup: true, database, env: { ROLLCALL_TODAY: "2026-03-04", ROLLCALL_WARM_UP_DELAY_MS: "0" } });
    // The warm-up prints the two packs after the pages (app/lib/warm-up.server.ts): the browser
    // is started for the first of them.
    let printing: number[] = [];
    expect(await until(() => (printing = chromiumUnder(serverPid)).length > 0, 300_000), output()).toBe(true);
    process.kill(-parent.pid!, signal);
    const code = await exited;
    expect(await until(() => !alive(serverPid), 60_000)).toBe(true);
    expect(code, output()).toBe(0);
    expect(output()).toMatch(/\[rollcall\] saved: everything is in .* \(no \.wal beside it\); stopped\./);
    expect(output()).not.toMatch(/has been closed|Target closed|^\s+at /m);
    // Playwright's exit handler kills what is left at the latest; nothing outlives the server.
    expect(await until(() => printing.every((pid) => !alive(pid)), 10_000), `left: ${printing.filter(alive).join(", ")}`).toBe(true);
  }, 600_000);
});

describe("a busy port", () => {
  // A port another program holds: one sentence and exit 1, before anything is built or created
  // (a fresh-clone trial: `ROLLCALL_DB=/tmp/x.duckdb PORT=3077 node scripts/start.js` on a busy
  // port said so but had made the empty school's database file first; the demo, built).
  it("scripts/start.js says so and exits 1, having made no database", async () => {
    const port = await freePort();
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(port, "127.0.0.1", resolve));
    const fresh = path.join(path.dirname(db), "never-made.duckdb");
    try {
      const child = spawn(process.execPath, ["scripts/start.js"], { cwd: ROOT, env: { ...process.env, PORT: String(port), ROLLCALL_DB: fresh, NODE_ENV: "production" }, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout!.on("data", (d) => (output += d));
      child.stderr!.on("data", (d) => (output += d));
      const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
      expect([code, output.trim()]).toEqual([1, `Rollcall did not start: port ${port} is already in use (another Rollcall or another program is on it). Stop it, or start on another port: PORT=3001 npm start`]);
      expect(fs.existsSync(fresh)).toBe(false);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 120_000);
});

describe("a database another dashboard holds", () => {
  // A second `npm start` on the file a running dashboard holds (a fresh-clone trial, 28): one
  // sentence naming where the first answers and its PID, and exit 1 — it had ended in an
  // uncaught "IO Error: Could not set lock on file" with a stack trace.
  it("scripts/start.js says where the running one answers and exits 1", async () => {
    const first = await start(START_SCRIPT[0], [...START_SCRIPT[1]]);
    try {
      const port = await freePort();
      const child = spawn(process.execPath, ["scripts/start.js"], { cwd: ROOT, env: { ...process.env, PORT: String(port), ROLLCALL_DB: db, NODE_ENV: "production" }, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout!.on("data", (d) => (output += d));
      child.stderr!.on("data", (d) => (output += d));
      const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
      expect(code).toBe(1);
      expect(output).toContain(
        `Rollcall did not start: the database ${db} is already open. A Rollcall dashboard already serves it at http://127.0.0.1:${first.port} (PID ${first.serverPid}): use that one, or stop it first (kill ${first.serverPid}).`,
      );
      expect(output).not.toMatch(/IO Error|triggerUncaughtException|^\s+at /m);
      // The first still answers.
      expect(await listening(first.port)).toBe(true);
    } finally {
      first.parent.kill("SIGTERM");
      await first.exited;
    }
  }, 600_000);
});

describe("a database the dashboard cannot open", () => {
  // A register CSV named as the database (DuckDB 1.5 opens it as an in-memory database with a
  // view of it) and a file DuckDB cannot read: one sentence naming the file, exit 1, no stack
  // trace, the file left as it was (trial 34: the CLI answered the CSV as an empty school).
  it.each([
    ["marks.csv", "upn,date,session,code\n", "is not a DuckDB database file"],
    ["garbage.duckdb", "not a database", "is not a valid DuckDB database file"],
  ])("%s: refused in one sentence, exit 1", async (name, text, words) => {
    const file = path.join(path.dirname(db), name);
    fs.writeFileSync(file, text);
    const port = await freePort();
    const child = spawn(process.execPath, ["scripts/start.js"], { cwd: ROOT, env: { ...process.env, PORT: String(port), ROLLCALL_DB: file, NODE_ENV: "production", ROLLCALL_WARM_UP: "0" }, stdio: ["ignore", "pipe", "pipe"] });
    let errors = "";
    child.stderr!.on("data", (d) => (errors += d));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(errors).toContain(`Rollcall cannot start on ${file}: `);
    expect(errors).toContain(words);
    expect(errors).not.toMatch(/\n\s+at /);
    expect(fs.readFileSync(file, "utf8")).toBe(text);
  }, 600_000);
});
