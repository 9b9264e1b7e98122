#!/usr/bin/env node
// The npm registry mirror this project is developed against serves only this machine's
// (linux-x64) builds of packages with per-platform binaries. npm therefore writes no lock
// entries for the other platforms' optional packages, and then `npm ci` refuses its own
// lock file ("Missing: @rollup/rollup-darwin-arm64@ from lock file"). This script adds the
// entries the public registry would have produced — name, version, os, cpu, libc, optional —
// so `npm ci` accepts the lock; on any machine npm skips them by platform and never fetches
// them. Run it after `npm install` changes the lock: `node scripts/complete-lockfile.js`.
import fs from "node:fs";
import path from "node:path";

const file = path.resolve(import.meta.dirname, "..", "package-lock.json");
const lock = JSON.parse(fs.readFileSync(file, "utf8"));
const packages = lock.packages;

const OS = ["android", "darwin", "freebsd", "linux", "openbsd", "openharmony", "win32", "netbsd", "sunos", "aix"];
const CPU = { "arm-eabi": "arm", arm64: "arm64", x64: "x64", ia32: "ia32", arm: "arm", loong64: "loong64", ppc64: "ppc64", riscv64: "riscv64", s390x: "s390x" };

/** os, cpu and libc from a platform package's name, e.g. rollup-linux-arm64-musl. */
function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const osIndex = parts.findIndex((p) => OS.includes(p));
  if (osIndex < 0) return undefined;
  const rest = parts.slice(osIndex + 1);
  const cpu = CPU[rest.slice(0, 2).join("-")] ?? CPU[rest[0]];
  if (!cpu) return undefined;
  const libc = rest.includes("musl") || rest.includes("musleabihf") ? ["musl"] : rest.includes("gnu") || rest.includes("gnueabihf") ? ["glibc"] : undefined;
  return { os: [parts[osIndex]], cpu: [cpu], libc };
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const parentDir = location === "" ? "" : `${location}/`;
    const nested = `${parentDir}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    const platform = platformOf(name);
    if (!platform) continue; // Only per-platform binaries are restored.
    packages[hoisted] = {
      version,
      cpu: platform.cpu,
      ...(entry.dev ? { dev: true } : {}),
      ...(platform.libc ? { libc: platform.libc } : {}),
      optional: true,
      os: platform.os,
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} platform entries`);
