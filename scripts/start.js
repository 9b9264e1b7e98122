#!/usr/bin/env node
// `npm start`: build the app if its sources are newer than the build, then serve the
// dashboard with scripts/server.js (listening on 127.0.0.1 unless HOST says otherwise).
// With no database configured (no ROLLCALL_DB) and none at data/rollcall.duckdb, the demo
// school is built there, with one demo account per role printed once. A school that names
// its own file (ROLLCALL_DB=school.duckdb) and has none yet gets an empty school, never the
// demo (and never demo accounts): the dashboard then walks it through its first import.
// Stopping: see the end of this file (Ctrl-C or `kill PID` of this script or of npm).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { checkPort } from "./port-check.js";

const root = path.resolve(import.meta.dirname, "..");
const configured = Boolean(process.env.ROLLCALL_DB);
const db = process.env.ROLLCALL_DB || path.join(root, "data", "rollcall.duckdb");
const buildFile = path.join(root, "build", "index.js");

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(file) : fs.statSync(file).mtimeMs);
  }
  return newest;
}

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const port = process.env.PORT ?? "3000";
// A port another program holds: said before anything is built or created (a trial's busy port
// exited 1 having made an empty database file, or built the demo, for a school that never started).
const refused = await checkPort(port, process.env.HOST ?? "127.0.0.1");
if (refused) {
  console.error(refused);
  process.exit(1);
}

// The PDFs' printer (Debian's chromium and a font): installed when missing and this is root, as
// `npm test` does, else a warning; the dashboard starts either way (scripts/ensure-chromium.js).
run(process.execPath, [path.join(root, "scripts", "ensure-chromium.js"), "--for-start"]);

const sourcesChanged =
  !fs.existsSync(buildFile) ||
  Math.max(newestSource(path.join(root, "app")), newestSource(path.join(root, "analytics"))) > fs.statSync(buildFile).mtimeMs;
// VITE_CJS_IGNORE_WARNING: Remix's classic compiler loads Vite's CommonJS entry, which warns
// that it is deprecated on every build; nothing of ours uses it (Vite's documented switch).
if (sourcesChanged) run("npx", ["remix", "build"], { ...process.env, NODE_ENV: "production", VITE_CJS_IGNORE_WARNING: "true" });

if (!fs.existsSync(db)) {
  if (configured) {
    const school = process.env.ROLLCALL_SCHOOL || "Your school";
    console.log(`No database at ${db}: making an empty school ("${school}"; rename it in Settings). Import the calendar, pupils and marks next.`);
    run(process.execPath, [path.join(root, "bin", "rollcall.js"), "init", "--school", school, "--db", db]);
    // A new school has no accounts: no one could sign in to import anything.
    console.log(
      `No one can sign in yet. Add the first administrator (it works while the server runs):\n` +
        `  ROLLCALL_PASSWORD='a long passphrase' ROLLCALL_DB=${db} npx rollcall users add --email you@school.sch.uk --name "Your Name" --role admin`,
    );
  } else {
    console.log(`No database configured and none at ${db}: building the demo school (npx rollcall demo)…`);
    run(process.execPath, [path.join(root, "bin", "rollcall.js"), "demo", "--db", db]);
  }
}

// The address is printed by the server once it listens (scripts/server.js): printed here, it
// was read as working even when the port was another server's (trial21b).
console.log(`Rollcall: starting on port ${port} (database ${db})…`);
// Stopping: Ctrl-C, or `kill` of this process's PID or npm's. The server is this script's child,
// so it must not outlive it. SIGINT, SIGTERM and SIGHUP (the terminal closed) are passed on to
// it and this script ends when it does. The IPC channel ends when this process does, however it
// ends (even `kill -9`): the server stops then (scripts/server.js, "disconnect"). And a parent
// that goes away (npm killed outright) is noticed by the parent id changing, once a second.
//
// UV_THREADPOOL_SIZE (16 unless set): libuv's thread pool, which Node sizes when the process
// starts (4 by default; set later, in server.js, it is too late). Every DuckDB query holds one
// of its threads until it is answered (a pupil's page asks 8 at once), and zlib's compression
// and the file system queue behind them on the same threads: with 4, 50 readers' requests spent
// 1.7–2.2 times as long in the server at p95 (scripts/bench-load.ts, two runs each alternating,
// load average 11–16; README "Many readers at once").
const server = spawn(process.execPath, [path.join(root, "scripts", "server.js"), "build/index.js"], {
  cwd: root,
  stdio: ["inherit", "inherit", "inherit", "ipc"],
  env: { UV_THREADPOOL_SIZE: "16", ...process.env, NODE_ENV: "production", PORT: port, ROLLCALL_DB: db },
});
const stopServer = (signal) => {
  if (server.exitCode === null && server.signalCode === null) server.kill(signal);
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => stopServer(signal));
const parent = process.ppid;
const orphaned = setInterval(() => {
  if (process.ppid !== parent) stopServer("SIGTERM");
}, 1000);
server.on("exit", (code, signal) => {
  clearInterval(orphaned);
  process.exit(code ?? (signal === "SIGINT" || signal === "SIGTERM" || signal === "SIGHUP" ? 0 : 1));
});
