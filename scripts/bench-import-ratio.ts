/**
 * The import goal of issue 11: "marks per second at least 45 % of DuckDB's own read_csv of the
 * same file into a table (measured in the same run), all validation included". Run by
 * `npm run bench` (scripts/bench.ts, part 1).
 *
 * The file: a school year's marks as a long CSV (one row per pupil session), written to disk.
 * - Rollcall: `importFiles` (the CLI's and the Import page's path: the file opened and
 *   decoded as a stream, every value and cross-row check, the merge, the aggregates, in one
 *   transaction) into a copy of a database that already holds the calendar and the pupils,
 *   so only the marks are timed; in this process (no CLI start-up).
 * - Reference: `CREATE TABLE … AS SELECT * FROM read_csv(file, all_varchar = true)` into an
 *   in-memory database, as scripts/bench-import-large.ts and bench-readers.ts take it.
 * Each the median of `runs` (5) runs after one warm-up, side by side.
 *
 * Like for like, the goal's figure is the import into a database already open: the reference
 * creates its database and connection before its timer and times its one statement, and the
 * dashboard's Import page imports into the instance its server holds open (analytics/db.ts
 * openInstance gives the process's one instance of the file; withConnection only connects to
 * it). So each run opens its copy first, untimed (the instance made, the schema checked, the
 * audit journal read: createInstance), then times importFiles. A second row keeps the import
 * with the open inside the timer, as the CLI pays it (`rollcall import` opens the file itself),
 * on another copy in the same run.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { closeAllInstances, closeInstance, inTransaction, withConnection } from "../analytics/db.ts";
import { importCalendar, importFiles, importMarks, importPupils } from "../analytics/import/index.ts";
import { median } from "./bench-pages.ts";
import { msSince as ms } from "./bench-time.ts";
import { readCsvIntoTable } from "./bench-reference-csv.ts";

const IMPORT_GOAL = 0.45;
const by = { name: "Benchmark", role: "System" };


/**
 * Rows for the results table: the file, Rollcall's import and the reference (marks/s), the
 * ratio and pass/fail against the goal. `register` gives the calendar and pupils CSV texts
 * (with the pupils' as-of date) and the marks CSV text; `label` names it in the rows.
 * `register.history`, when given, is earlier years (each a pupils snapshot and its marks),
 * imported into the database before the timed file, as a school's own earlier imports are.
 */
export async function benchImportRatio(
  dir: string,
  label: string,
  register: { calendarCsv: string; pupilsCsv: string; asOf: string; marksCsv: string; history?: { pupilsCsv: string; asOf: string; marksCsv: string }[] },
  runs = 5,
): Promise<Array<[string, string]>> {
  const work = fs.mkdtempSync(path.join(dir, "import-ratio-"));
  const marksFile = path.join(work, "marks.csv");
  fs.writeFileSync(marksFile, register.marksCsv);
  const marks = register.marksCsv.trimEnd().split("\n").length - 1;
  const base = path.join(work, "base.duckdb");
  await withConnection(base, (c) =>
    inTransaction(c, async () => {
      await importCalendar(c, { file: "calendar.csv", text: register.calendarCsv, by });
      for (const [i, year] of (register.history ?? []).entries()) {
        await importPupils(c, { file: `pupils-${i}.csv`, text: year.pupilsCsv, asOf: year.asOf, by });
        await importMarks(c, { file: `marks-${i}.csv`, text: year.marksCsv, by });
      }
      await importPupils(c, { file: "pupils.csv", text: register.pupilsCsv, asOf: register.asOf, by });
    }),
  );
  await withConnection(base, (c) => c.run("CHECKPOINT"));
  await closeAllInstances();

  const ours: number[] = [];
  const oursCpu: number[] = [];
  const opening: number[] = [];
  const openingCpu: number[] = [];
  // Which path read the file (analytics/import/index.ts onMarksPath): "sql" when DuckDB did.
  let route = "";
  const reference: number[] = [];
  /** importFiles into a fresh copy of the base: wall and process CPU (ms), the open timed or not. */
  const importCopy = async (db: string, openTimed: boolean): Promise<[number, number]> => {
    fs.copyFileSync(base, db);
    // Untimed: the instance made as the dashboard's server holds it (an empty unit of work opens it).
    if (!openTimed) await withConnection(db, async () => {});
    const start = process.hrtime.bigint();
    const cpuAt = process.cpuUsage();
    await importFiles(db, { marks: marksFile }, { by, onMarksPath: (p, why) => (route = why ? `${p}: ${why}` : p) });
    const took = ms(start);
    const cpu = process.cpuUsage(cpuAt);
    await closeInstance(db);
    fs.rmSync(db, { force: true });
    return [took, (cpu.user + cpu.system) / 1000];
  };
  for (let i = 0; i <= runs; i++) {
    // Which of the two goes first alternates, so neither always follows the reference.
    const open = i % 2 === 0 ? await importCopy(path.join(work, `run-${i}.duckdb`), false) : undefined;
    const cold = await importCopy(path.join(work, `cold-${i}.duckdb`), true);
    const held = open ?? (await importCopy(path.join(work, `run-${i}.duckdb`), false));
    const ref = (await readCsvIntoTable(marksFile)).ms;
    if (i === 0) continue; // the warm-up
    ours.push(held[0]);
    oursCpu.push(held[1]);
    opening.push(cold[0]);
    openingCpu.push(cold[1]);
    reference.push(ref);
  }
  fs.rmSync(work, { recursive: true, force: true });
  const oursMs = median(ours);
  const openMs = median(opening);
  const refMs = median(reference);
  const rate = (t: number) => Math.round(marks / (t / 1000)).toLocaleString("en-GB");
  const ratio = refMs / oursMs;
  return [
    [`import goal (${label}, ${marks.toLocaleString("en-GB")} marks, long CSV): DuckDB read_csv into a table`, `${refMs.toFixed(0)} ms, ${rate(refMs)} marks/s (median of ${runs})`],
    [
      `import goal (${label}): Rollcall's import of the same file into the database already open (as the Import page's server holds it; the reference's database is made before its timer too), every check, merge and aggregates (read by: ${route})`,
      `${oursMs.toFixed(0)} ms (CPU ${median(oursCpu).toFixed(0)}), ${rate(oursMs)} marks/s = ${ratio.toFixed(3)} × read_csv (goal ≥ ${IMPORT_GOAL}: ${ratio >= IMPORT_GOAL ? "pass" : "fail"})`,
    ],
    [
      `import (${label}): the same, the database opened inside the timer (as \`rollcall import\` pays it: the instance made, schema checked, audit journal read)`,
      `${openMs.toFixed(0)} ms (CPU ${median(openingCpu).toFixed(0)}), ${rate(openMs)} marks/s = ${(refMs / openMs).toFixed(3)} × read_csv (not the goal's figure)`,
    ],
  ];
}

/**
 * Run alone (`npx tsx scripts/bench-import-ratio.ts [runs]`): the demo school's 2025/26 marks,
 * as `npm run bench` times them (scripts/bench.ts, part 1), without the rest of the bench.
 * With `--pupils N --years Y` (the demo generator's sizes, Y ≥ 2): the generated school's
 * 2025/26 marks imported onto its earlier years (their pupils and marks already in the
 * database), e.g. `--pupils 4500 --years 3`: the 2025/26 file onto 2024/25.
 */
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { parseArgs } = await import("node:util");
  const { values, positionals } = parseArgs({ options: { pupils: { type: "string" }, years: { type: "string" } }, allowPositionals: true });
  const { generateDemoSchool } = await import("../analytics/demo/index.ts");
  const os = await import("node:os");
  const sized = values.pupils !== undefined || values.years !== undefined;
  const files = generateDemoSchool({ today: "2026-11-23", ...(sized ? { pupils: values.pupils ? Number(values.pupils) : undefined, years: Number(values.years ?? 3) } : {}) });
  const at = files.marksCsvByYear.findIndex((m) => m.academicYear === "2025/26");
  const snapshot = files.pupilSnapshots[at];
  const marks = files.marksCsvByYear[at];
  const history = sized ? files.marksCsvByYear.slice(0, at).map((m, i) => ({ pupilsCsv: files.pupilSnapshots[i].csv, asOf: files.pupilSnapshots[i].asOf, marksCsv: m.csv })) : [];
  const label = sized ? `${values.pupils ?? "the demo's"} pupils × ${values.years ?? 3} years, 2025/26 onto ${history.length} earlier` : "the demo school's 2025/26";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-import-ratio-"));
  try {
    const rows = await benchImportRatio(dir, label, { calendarCsv: files.calendarCsv, pupilsCsv: snapshot.csv, asOf: snapshot.asOf, marksCsv: marks.csv, history }, Number(positionals[0] ?? 5));
    for (const [what, figure] of rows) console.log(`${what}: ${figure}`);
  } finally {
    await closeAllInstances();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
