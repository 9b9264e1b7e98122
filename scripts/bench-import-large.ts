/**
 * The large-file import measure of issue 11 (item 1: "imports stream in bounded memory; the
 * 7.7-million-mark file must import"): a year of one-row-per-session marks for every pupil of
 * a register, imported by the CLI in a child process with a capped JavaScript heap, its peak
 * resident memory read from /usr/bin/time -v, as a ratio to DuckDB's own read_csv of the same
 * file into a table (timed in the same run, in this process).
 *
 *   npx tsx analytics/cli/index.ts demo --pupils 20000 --years 1 --db /tmp/big.duckdb
 *   npx tsx scripts/bench-import-large.ts --db /tmp/big.duckdb [--heap-mb 1024] [--keep DIR]
 *
 * The database given is not changed: it is copied, and the copy's marks are removed (the
 * pupils and the calendar stay), so the import is a first load of the whole year. The file
 * holds every pupil on roll for every school day of the latest academic year the calendar
 * covers, with a deterministic mix of codes (`hash` of pupil, date and session).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import { sqlString } from "../analytics/sql-literal.ts";
import { readCsvIntoTable } from "./bench-reference-csv.ts";

const { values } = parseArgs({
  options: { db: { type: "string" }, "heap-mb": { type: "string" }, keep: { type: "string" } },
});
if (!values.db) throw new Error("give --db FILE: a database with pupils and a calendar (e.g. from rollcall demo --pupils 20000 --years 1)");
const heapMb = Number(values["heap-mb"] ?? 1024);
const work = values.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-bench-large-"));
fs.mkdirSync(work, { recursive: true });
const db = path.join(work, "import.duckdb");
const marksFile = path.join(work, "marks-year.csv");

async function prepare(): Promise<{ marks: number; lastDay: string }> {
  fs.copyFileSync(values.db!, db);
  const instance = await DuckDBInstance.create(db);
  const conn = await instance.connect();
  try {
    for (const table of ["mark_store", "mark_days", "mark_weeks", "mark_week_code_store", "amendments"]) await conn.run(`DELETE FROM ${table}`);
    await conn.run("CHECKPOINT");
    const year = (await conn.runAndReadAll(
      `SELECT max(CASE WHEN month(date) >= 8 THEN year(date) ELSE year(date) - 1 END)::INTEGER AS ay FROM school_days`,
    )).getRowObjects()[0].ay as number;
    await conn.run(
      `COPY (
         SELECT p.upn, strftime(d.date, '%Y-%m-%d') AS date, s.session,
                CASE WHEN h < 30 THEN 'I' WHEN h < 40 THEN 'N' WHEN h < 55 THEN 'L' WHEN h < 60 THEN 'M' WHEN h < 62 THEN 'G'
                     WHEN s.session = 'AM' THEN '/' ELSE '\\' END AS code,
                CASE WHEN h >= 40 AND h < 55 THEN (h % 20)::VARCHAR ELSE '' END AS minutes_late
         FROM pupils p
         JOIN school_days d ON d.date >= p.admission_date AND (p.leaving_date IS NULL OR d.date <= p.leaving_date)
         CROSS JOIN (VALUES ('AM'), ('PM')) s(session),
         LATERAL (SELECT hash(p.upn, d.date, s.session) % 1000 AS h)
         WHERE d.date BETWEEN make_date(${year}, 8, 1) AND make_date(${year + 1}, 7, 31)
         ORDER BY d.date, s.session, p.upn
       ) TO ${sqlString(marksFile)} (HEADER, DELIMITER ',', QUOTE '')`,
    );
    const row = (await conn.runAndReadAll(
      `SELECT count(*)::INTEGER AS n, strftime(max(date::DATE), '%Y-%m-%d') AS last FROM read_csv(${sqlString(marksFile)}, all_varchar = true, header = true)`,
    )).getRowObjects()[0];
    return { marks: row.n as number, lastDay: row.last as string };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}


const { marks, lastDay } = await prepare();
// DuckDB's own read of the same file into a table (the reference), seconds.
const reference = (await readCsvIntoTable(marksFile)).ms / 1000;
const start = performance.now();
const run = spawnSync(
  "/usr/bin/time",
  ["-v", process.execPath, `--max-old-space-size=${heapMb}`, "bin/rollcall.js", "import", "--marks", marksFile, "--db", db],
  { env: { ...process.env, ROLLCALL_TODAY: lastDay }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
);
const seconds = (performance.now() - start) / 1000;
const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1] ?? NaN);
const stderr = run.stderr.split("\n").filter((l) => !/^\s+\S.*: /.test(l) || /Maximum resident|Elapsed|Exit status|User time|System time|Percent of CPU/.test(l));
console.log(run.stdout.trim());
console.log(stderr.join("\n").trim());
const fmt = (n: number) => Math.round(n).toLocaleString("en-GB");
console.log(`file: ${fmt(marks)} marks, ${(fs.statSync(marksFile).size / 1024 / 1024).toFixed(0)} MB`);
console.log(`DuckDB read_csv into a table: ${reference.toFixed(1)} s (${fmt(marks / reference)} marks/s)`);
console.log(
  `rollcall import (node --max-old-space-size=${heapMb}): exit ${run.status}, ${seconds.toFixed(1)} s (${fmt(marks / seconds)} marks/s) = ` +
    `${(reference / seconds).toFixed(3)} × read_csv; peak RSS ${(rssKb / 1024).toFixed(0)} MB`,
);
if (!values.keep) fs.rmSync(work, { recursive: true, force: true });
process.exitCode = run.status === 0 ? 0 : 1;
