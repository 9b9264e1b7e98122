/**
 * The forecast's back-test on the demo school, written into README.md between the
 * backtest markers: builds the demo for 2026-11-23 in a temporary file, then at each
 * half-term boundary of 2024/25 and 2025/26 scores the projection of year-end persistent
 * absence. `--check` exits 1 when the README's table differs from a fresh computation.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeAllInstances, withConnection } from "../analytics/db.ts";
import { buildDemo } from "../analytics/demo/index.ts";
import { backtestForecast, backtestMarkdown } from "../analytics/forecast.ts";

export const BACKTEST_TODAY = "2026-11-23";
export const BACKTEST_YEARS = ["2024/25", "2025/26"];
const START = "<!-- backtest:start -->";
const END = "<!-- backtest:end -->";

export function replaceBlock(readme: string, table: string): string {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error("README.md has no backtest markers");
  return `${readme.slice(0, from + START.length)}\n${table}\n${readme.slice(to)}`;
}

export function readmeTable(readme: string): string {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  return readme.slice(from + START.length, to).trim();
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-backtest-"));
  const db = path.join(dir, "demo.duckdb");
  try {
    await buildDemo(db, { today: BACKTEST_TODAY });
    const rows = await withConnection(db, async (c) => (await Promise.all(BACKTEST_YEARS.map((y) => backtestForecast(c, y)))).flat());
    const table = backtestMarkdown(rows);
    const readmePath = path.resolve("README.md");
    const readme = fs.readFileSync(readmePath, "utf8");
    if (process.argv.includes("--check")) {
      if (readmeTable(readme) !== table) {
        console.error("README.md's back-test table differs from a fresh computation:\n" + table);
        process.exitCode = 1;
      }
    } else {
      fs.writeFileSync(readmePath, replaceBlock(readme, table));
      console.log(table);
    }
  } finally {
    await closeAllInstances();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("forecast-backtest.ts")) await main();
