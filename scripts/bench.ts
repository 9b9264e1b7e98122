/**
 * Performance benchmark (measured, not asserted): `npm run bench`.
 * 1. Import of one 240-pupil school-year (calendar, pupils, ~90,000 marks) into a fresh database.
 * 2. A whole-year summary, and the same year broken down by every dimension.
 * 3. Building the whole demo school (three years).
 * 4. Casework (scripts/bench-casework.ts): the rules, the lists with ladder standings and the
 *    Casework page's server time, on the demo school and on a whole-year register of 4,500
 *    pupils, each as a ratio to a plain DuckDB scan of the same marks timed in the same run.
 * 5. Retention on the demo school two years on: the dry run and the removal of its first
 *    school year (marks deleted through the store, aggregates recomputed), as ratios to the
 *    year's import measured in the same run.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeAllInstances, withConnection, inTransaction } from "../analytics/db.ts";
import { buildDemo, generateDemoSchool } from "../analytics/demo/index.ts";
import { importCalendar, importMarks, importPupils } from "../analytics/import/index.ts";
import { DIMENSIONS, sessionsByCode, summarise, summariseBy } from "../analytics/measures.ts";
import { planRetention } from "../analytics/retention.ts";
import { benchCasework } from "./bench-casework.ts";
import { benchReaders } from "./bench-readers.ts";

const TODAY = "2026-11-23";
const YEAR = "2025/26";
const PERIOD = { from: "2025-08-01", to: "2026-07-31" };
const by = { name: "Benchmark", role: "System" };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-bench-"));
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const results: Array<[string, string]> = [];

const files = generateDemoSchool({ today: TODAY });
const snapshot = files.pupilSnapshots.find((s) => s.asOf.startsWith("2025-"))!;
const marks = files.marksCsvByYear.find((m) => m.academicYear === YEAR)!;
const markCount = marks.csv.trim().split("\n").length - 1;

const yearDb = path.join(dir, "year.duckdb");
let start = process.hrtime.bigint();
await withConnection(yearDb, (c) =>
  inTransaction(c, async () => {
    await importCalendar(c, { file: "calendar.csv", text: files.calendarCsv, by });
    await importPupils(c, { file: "pupils.csv", text: snapshot.csv, asOf: snapshot.asOf, by });
    await importMarks(c, { file: "marks.csv", text: marks.csv, by });
  }),
);
const importMs = ms(start);
results.push([`import ${YEAR}: calendar, pupils, ${markCount.toLocaleString("en-GB")} marks`, `${importMs.toFixed(0)} ms`]);

await withConnection(yearDb, async (c) => {
  start = process.hrtime.bigint();
  await summarise(c, PERIOD);
  results.push([`summary ${YEAR} (whole school)`, `${ms(start).toFixed(0)} ms`]);
  const all = process.hrtime.bigint();
  for (const dimension of DIMENSIONS) {
    start = process.hrtime.bigint();
    if (dimension === "code") await sessionsByCode(c, PERIOD);
    else await summariseBy(c, PERIOD, dimension);
    results.push([`summary ${YEAR} by ${dimension}`, `${ms(start).toFixed(0)} ms`]);
  }
  results.push([`summary ${YEAR} by all ${DIMENSIONS.length} dimensions`, `${ms(all).toFixed(0)} ms`]);
});
await closeAllInstances();

start = process.hrtime.bigint();
const demoDb = path.join(dir, "demo.duckdb");
const demo = await buildDemo(demoDb, { today: TODAY });
results.push([`demo school: ${demo.pupils} pupils, ${demo.marks.toLocaleString("en-GB")} marks`, `${ms(start).toFixed(0)} ms`]);
await closeAllInstances();
// Casework first: retention below changes the demo school.
results.push(...(await benchCasework(dir, demoDb, TODAY, files.calendarCsv)));

// Two years after the demo's "today", its first school year is older than three years.
const LATER = "2028-09-01";
const ratio = (value: number) => `${value.toFixed(0)} ms, ${(value / importMs).toFixed(2)}× the import`;
await withConnection(demoDb, async (c) => {
  start = process.hrtime.bigint();
  const plan = await planRetention(c, { today: LATER });
  results.push([`retention dry run (before ${plan.cutoff}: ${plan.marks.toLocaleString("en-GB")} marks, ${plan.pupils} pupils)`, ratio(ms(start))]);
  start = process.hrtime.bigint();
  await planRetention(c, { today: LATER, apply: true, by: { actor: "Benchmark", role: "System" } });
  results.push([`retention --apply (the same, aggregates recomputed)`, ratio(ms(start))]);
});
await closeAllInstances();
results.push(...(await benchReaders(dir)));
fs.rmSync(dir, { recursive: true, force: true });

const width = Math.max(...results.map(([label]) => label.length));
for (const [label, value] of results) console.log(`${label.padEnd(width)}  ${value.padStart(8)}`);
