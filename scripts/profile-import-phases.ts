/**
 * Where the long-CSV import's time goes (issue 11's import goal; scripts/bench-import-ratio.ts
 * reports the ratio): the same import as that bench (importFiles of the demo school's 2025/26
 * marks into a copy of a database holding the calendar and pupils, or with --pupils N --years Y
 * the generated school's, onto its earlier years), every statement it runs timed — wall and the
 * process's CPU, milliseconds, medians of `runs` runs after a warm-up, each run followed by the
 * read_csv reference as the bench takes it — largest CPU first, then the totals and the ratio.
 *
 *   npx tsx scripts/profile-import-phases.ts [runs] [--pupils N --years Y] [--rows N]
 *
 * --rows N imports the file's first N marks only (its header and N rows): with N = 1 what each
 * statement costs whatever the file's length (planning, operators' set-up, round trips), to set
 * beside the whole file's figures — on the demo school's year that part is a third or more of
 * most statements' CPU (the aggregates' days, the checks, the touched pupils).
 *
 * Environment: SPLIT=1 times each statement of a multi-statement call (the aggregates' refresh)
 * on its own; THREADS=n sets DuckDB's threads on the copy before the import (the import may set
 * its own: analytics/db.ts withOneThread); SETUP=sql runs one statement on the open instance
 * before the timer (a setting to try); OPEN=1 opens the database inside the timer (by default
 * it is opened before it, as the bench's goal figure takes it); PROFILE=regex writes DuckDB's JSON profile of each
 * statement matching it to the system's temporary folder (rollcall-phase-profile-N.json).
 * Not part of `npm run bench`: a tool for finding what to cut, not a figure to report.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { DuckDBConnection, DuckDBPreparedStatement } from "@duckdb/node-api";
import { closeAllInstances, closeInstance, inTransaction, withConnection } from "../analytics/db.ts";
import { importCalendar, importFiles, importMarks, importPupils } from "../analytics/import/index.ts";
import { generateDemoSchool } from "../analytics/demo/index.ts";
import { readCsvIntoTable } from "./bench-reference-csv.ts";

const { values, positionals } = parseArgs({ options: { pupils: { type: "string" }, years: { type: "string" }, rows: { type: "string" } }, allowPositionals: true });
const runs = Number(positionals[0] ?? 7);
const sized = values.pupils !== undefined || values.years !== undefined;
const files = generateDemoSchool({ today: "2026-11-23", ...(sized ? { pupils: values.pupils ? Number(values.pupils) : undefined, years: Number(values.years ?? 3) } : {}) });
const at = files.marksCsvByYear.findIndex((m) => m.academicYear === "2025/26");
const history = sized ? files.marksCsvByYear.slice(0, at).map((m, i) => ({ pupilsCsv: files.pupilSnapshots[i].csv, asOf: files.pupilSnapshots[i].asOf, marksCsv: m.csv })) : [];
const by = { name: "Benchmark", role: "System" };
const work = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-phases-"));
const marksFile = path.join(work, "marks.csv");
const marksCsv = files.marksCsvByYear[at].csv;
fs.writeFileSync(marksFile, values.rows === undefined ? marksCsv : `${marksCsv.split("\n").slice(0, Number(values.rows) + 1).join("\n")}\n`);
const base = path.join(work, "base.duckdb");
await withConnection(base, (c) =>
  inTransaction(c, async () => {
    await importCalendar(c, { file: "calendar.csv", text: files.calendarCsv, by });
    for (const [i, year] of history.entries()) {
      await importPupils(c, { file: `pupils-${i}.csv`, text: year.pupilsCsv, asOf: year.asOf, by });
      await importMarks(c, { file: `marks-${i}.csv`, text: year.marksCsv, by });
    }
    await importPupils(c, { file: "pupils.csv", text: files.pupilSnapshots[at].csv, asOf: files.pupilSnapshots[at].asOf, by });
  }),
);
await withConnection(base, (c) => c.run("CHECKPOINT"));
await closeAllInstances();

let log: [string, number, number, number][] | null = null;
let profiled = 0;

/** Runs `call`, its wall and CPU time logged under its SQL (the first 90 characters, spaces squeezed). */
async function timed<T>(sqlText: string, call: () => Promise<T>): Promise<T> {
  const start = process.hrtime.bigint();
  const cpuAt = process.cpuUsage();
  const faultsAt = process.resourceUsage().minorPageFault;
  try {
    return await call();
  } finally {
    const sql = sqlText.replace(/\s+/g, " ").trim().slice(0, 90);
    const used = process.cpuUsage(cpuAt);
    log?.push([sql, Number(process.hrtime.bigint() - start) / 1e6, (used.user + used.system) / 1000, process.resourceUsage().minorPageFault - faultsAt]);
  }
}

const proto = DuckDBConnection.prototype as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
// `run`: @duckdb/node-api's runAndReadAll (and `run` with values, through its own prepared
// statements) calls `run` for the statement, which runs it to a materialized result, so
// wrapping runAndReadAll too timed every such query twice and listed its CPU twice in the sum
// (the marks' checks read 61 ms where they took some 31).
const originalRun = proto.run;
proto.run = async function (this: unknown, ...args: unknown[]) {
  // Several statements in one call (refreshAggregates): each timed on its own.
  if (process.env.SPLIT && String(args[0]).includes(";\n") && args[1] === undefined) {
    let last: unknown;
    for (const one of String(args[0]).split(";\n")) last = await proto.run.call(this, one);
    return last;
  }
  const profile = process.env.PROFILE && log && new RegExp(process.env.PROFILE).test(String(args[0]));
  if (profile) await originalRun.call(this, `PRAGMA enable_profiling = 'json'; SET profiling_output = '${path.join(os.tmpdir(), `rollcall-phase-profile-${profiled++}.json`)}'`);
  try {
    return await timed(String(args[0]), () => originalRun.apply(this, args));
  } finally {
    if (profile) await originalRun.call(this, "PRAGMA disable_profiling");
  }
};
// queryRows (analytics/db.ts) prepares one statement itself and runs it: its prepare and its
// run are timed under its SQL. Only statements prepared here: `run` with values runs its own
// prepared statements, timed above.
const preparedSql = new WeakMap<object, string>();
const originalPrepare = proto.prepare;
proto.prepare = async function (this: unknown, ...args: unknown[]) {
  const statement = (await timed(String(args[0]), () => originalPrepare.apply(this, args))) as object;
  preparedSql.set(statement, String(args[0]));
  return statement;
};
const preparedProto = DuckDBPreparedStatement.prototype as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
const originalPreparedRun = preparedProto.run;
preparedProto.run = async function (this: object, ...args: unknown[]) {
  const sql = preparedSql.get(this);
  return sql === undefined ? originalPreparedRun.apply(this, args) : timed(sql, () => originalPreparedRun.apply(this, args));
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const byStatement = new Map<string, number[]>();
const cpuByStatement = new Map<string, number[]>();
// Minor page faults during each statement: memory DuckDB touched for the first time (a cost of its own on this machine).
const faultsByStatement = new Map<string, number[]>();
const totals: number[] = [];
const refs: number[] = [];
const cpu: number[] = [];
// The system's part of that CPU and the minor page faults (memory the process touched for the
// first time since the system gave it): a quarter of the demo year's import CPU was system time.
const systemCpu: number[] = [];
const faults: number[] = [];
for (let i = 0; i <= runs; i++) {
  const db = path.join(work, `run-${i}.duckdb`);
  fs.copyFileSync(base, db);
  if (process.env.THREADS) await withConnection(db, (c) => c.run(`SET threads = ${process.env.THREADS}`));
  // As the bench's goal figure: the database already open, untimed (OPEN=1 times the open too, as the CLI pays it).
  else if (!process.env.OPEN) await withConnection(db, async (c) => {
    // SETUP: a statement run on the open instance before the timer (a DuckDB setting to try, e.g.
    // "SET block_allocator_memory = '256MB'"); the tool's own, never the product's.
    if (process.env.SETUP) await c.run(process.env.SETUP);
  });
  log = [];
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const faultsAt = process.resourceUsage().minorPageFault;
  await importFiles(db, { marks: marksFile }, { by });
  const took = Number(process.hrtime.bigint() - start) / 1e6;
  const c = process.cpuUsage(cpuStart);
  const faulted = process.resourceUsage().minorPageFault - faultsAt;
  const seen = log;
  log = null;
  await closeInstance(db);
  fs.rmSync(db, { force: true });
  const ref = (await readCsvIntoTable(marksFile)).ms;
  if (i === 0) continue;
  totals.push(took);
  refs.push(ref);
  cpu.push((c.user + c.system) / 1000);
  systemCpu.push(c.system / 1000);
  faults.push(faulted);
  const sums = new Map<string, [number, number, number]>();
  for (const [sql, ms, used, faulted] of seen) sums.set(sql, [(sums.get(sql)?.[0] ?? 0) + ms, (sums.get(sql)?.[1] ?? 0) + used, (sums.get(sql)?.[2] ?? 0) + faulted]);
  for (const [sql, [ms, used, faulted]] of sums) {
    byStatement.set(sql, [...(byStatement.get(sql) ?? []), ms]);
    cpuByStatement.set(sql, [...(cpuByStatement.get(sql) ?? []), used]);
    faultsByStatement.set(sql, [...(faultsByStatement.get(sql) ?? []), faulted]);
  }
}
const rows = [...byStatement].map(([sql, xs]) => [median(xs), median(cpuByStatement.get(sql)!), median(faultsByStatement.get(sql)!), sql] as const).sort((a, b) => b[1] - a[1]);
let inStatements = 0;
let cpuInStatements = 0;
let faultsInStatements = 0;
for (const [ms, used, faulted, sql] of rows) {
  inStatements += ms;
  cpuInStatements += used;
  faultsInStatements += faulted;
  if (ms >= 0.5) console.log(`${ms.toFixed(1).padStart(8)} ms ${used.toFixed(1).padStart(7)} cpu ${String(faulted).padStart(6)} faults  ${sql}`);
}
console.log(`statements' minor page faults (sum of medians): ${faultsInStatements}`);
console.log(`statements' CPU (sum of medians): ${cpuInStatements.toFixed(0)} ms`);
console.log(`statements (sum of medians): ${inStatements.toFixed(0)} ms`);
console.log(`import: median ${median(totals).toFixed(0)} ms (process CPU ${median(cpu).toFixed(0)} ms, of it system ${median(systemCpu).toFixed(0)}; ${median(faults)} minor page faults); read_csv ${median(refs).toFixed(0)} ms; ratio ${(median(refs) / median(totals)).toFixed(3)}`);
await closeAllInstances();
fs.rmSync(work, { recursive: true, force: true });
