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
 * 6. Pages (scripts/bench-pages.ts): every dashboard page's and the Casework page's server
 *    time, p95 of 20 requests, on the demo school and on a generated 4,500-pupil school year
 *    (`buildDemo` with `pupils: 4500, years: 1`, ≈ 1.7 million marks), each as a ratio to a
 *    plain DuckDB scan of the same period's marks timed in the same run; bytes per mark.
 * Every figure goes to BENCHMARKS.md with the machine and the date.
 *
 * 7. Many readers at once (scripts/bench-load.ts): 50 signed-in clients reading the dashboard
 *    pages of the demo school together, then again during a web import; p95, errors, requests
 *    a second, as a ratio to the plain scan.
 * 8. Peer (scripts/bench-peer.ts): the year's per-pupil possible and absent sessions, totals
 *    and persistently absent pupils in DuckDB and in Arquero on the same in-memory marks at
 *    100k, 1M and 10M marks; Arquero's time ÷ DuckDB's (goal ≥ 10), both engines' figures
 *    checked identical.
 * 9. Packs (scripts/bench-packs.ts): the SLT and FGB packs as PDFs end to end on the demo
 *    school and on the 4,500-pupil year, median of 5 runs, as ratios to the plain scan.
 *
 * 10. The trust register (scripts/bench-trust.ts): 40 schools × 1,000 pupils × 3 years (≈ 45
 *    million marks) built one file a school, exported into one Parquet lake; bytes per mark of
 *    both, a plain DuckDB scan of the lake's year, `trustRollup` directly, and the Trust page,
 *    its drill-down into a school and that school's Overview served by the built app.
 *
 * Environment: BENCH_ONLY=trust runs only part 10 (BENCH_TRUST_SCHOOLS, BENCH_TRUST_PUPILS,
 * BENCH_TRUST_YEARS to scale it down); BENCH_ONLY=packs runs only part 9 (BENCH_REGISTERS as for the pages); BENCH_ONLY=casework runs only part 4 (building the demo school for it),
 * BENCH_ONLY=pages only part 6, BENCH_ONLY=load only part 7 (BENCH_READERS=N
 * clients, default 50), BENCH_ONLY=peer only part 8 (BENCH_PEER_SCALES=100000,1000000 to
 * choose the scales, BENCH_PEER_RUNS=N timed runs, default and at least 5); BENCH_PAGES=casework,_index only the pages
 * whose route id contains one of the words; BENCH_REQUESTS=N requests per page (default 20);
 * BENCH_REGISTERS=demo (or 4500) times the pages on that register only;
 * BENCH_CACHE=DIR keeps the generated registers there and reuses them (they are
 * deterministic: the same options give the same register; a register is built again when the
 * store's layout changed, STORE_LAYOUT).
 * A partial run (any of BENCH_ONLY, BENCH_PAGES, BENCH_REQUESTS, BENCH_REGISTERS, BENCH_PEER_SCALES, BENCH_TRUST_* set) writes
 * BENCHMARKS.partial.md (git-ignored), so the committed BENCHMARKS.md only ever holds a full run.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { NEW_FILE_BLOCK_SIZE, NEW_FILE_STORAGE_VERSION, closeAllInstances, withConnection, inTransaction } from "../analytics/db.ts";
import { SCHEMA_VERSION, schemaStatements } from "../analytics/schema.ts";
import { DAY_ORDER, SESSION_ORDER, WEEK_CODE_ORDER, WEEK_ORDER, ensurePupilIds } from "../analytics/store.ts";
import { buildDemo, generateDemoSchool } from "../analytics/demo/index.ts";
import { importCalendar, importMarks, importPupils } from "../analytics/import/index.ts";
import { DIMENSIONS, sessionsByCode, summarise, summariseBy } from "../analytics/measures.ts";
import { planRetention } from "../analytics/retention.ts";
import { benchCasework } from "./bench-casework.ts";
import { benchPages, pagesMarkdown, type RegisterFigures } from "./bench-pages.ts";
import { benchReaders } from "./bench-readers.ts";
import { benchImportRatio } from "./bench-import-ratio.ts";
import { benchLoad, loadMarkdown, type LoadFigures } from "./bench-load.ts";
import { benchPacks, packsMarkdown, type PacksFigures } from "./bench-packs.ts";
import { benchPeerInOwnProcess, peerMarkdown } from "./bench-peer.ts";
import { benchTrust, trustMarkdown, type TrustFigures } from "./bench-trust.ts";
import { msSince as ms } from "./bench-time.ts";

const TODAY = "2026-11-23";
const YEAR = "2025/26";
const PERIOD = { from: "2025-08-01", to: "2026-07-31" };
const by = { name: "Benchmark", role: "System" };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-bench-"));
const results: Array<[string, string]> = [];

const BIG = { pupils: 4500, years: 1, today: "2026-07-31" };

/** Parts 1–5: import, measures, demo build, casework, retention, readers. */
async function benchStore(): Promise<void> {
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
  results.push(...(await benchImportRatio(dir, `the demo school's ${YEAR}`, { calendarCsv: files.calendarCsv, pupilsCsv: snapshot.csv, asOf: snapshot.asOf, marksCsv: marks.csv })));

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
}

/**
 * The store's layout (file format, block size, schema version, tables, the order rows and pupil ids are written in), hashed
 * into a cached register's name: a file a build with another layout left in BENCH_CACHE is
 * built afresh, not measured (bytes per mark above all) as this code's.
 */
const STORE_LAYOUT = createHash("sha256")
  // ensurePupilIds' source: the order ids are given in is part of the layout (it decides how the ids pack).
  // The whole schema's DDL (the store's, STORE_DDL, among it): a table's key (an index's blocks) is layout too.
  .update(JSON.stringify([NEW_FILE_STORAGE_VERSION, NEW_FILE_BLOCK_SIZE, SCHEMA_VERSION, schemaStatements(), SESSION_ORDER("date", "pm", "pupil_id", "code"), DAY_ORDER, WEEK_ORDER, WEEK_CODE_ORDER, ensurePupilIds.toString()]))
  .digest("hex")
  .slice(0, 8);

/**
 * A generated register for the benchmark: built in `dir`, or copied from BENCH_CACHE when an
 * earlier run built the same one there (`listed`: its build time goes to the results table). Returns the file and the build's time in ms (an
 * earlier run's, recorded beside the cached file, when it came from the cache; null when that
 * run recorded none).
 */
async function registerTimed(
  name: string,
  options: { today: string; pupils?: number; years?: number; seed?: number; schoolName?: string },
  listed = true,
): Promise<{ file: string; buildMs: number | null; cached: boolean }> {
  const file = path.join(dir, `${name}.duckdb`);
  const cacheDir = process.env.BENCH_CACHE;
  const seed = options.seed === undefined ? "" : `-seed${options.seed}`;
  const cached = cacheDir ? path.join(cacheDir, `${name}-${options.today}-${options.pupils ?? "demo"}-${options.years ?? 3}${seed}-${STORE_LAYOUT}.duckdb`) : null;
  if (cached && fs.existsSync(cached)) {
    // A write-ahead log left by an earlier part's server on this name belongs to the file
    // being replaced: replayed against the fresh copy, DuckDB stops with an internal error.
    fs.rmSync(`${file}.wal`, { force: true });
    fs.copyFileSync(cached, file);
    const recorded = fs.existsSync(`${cached}.build-ms`) ? Number(fs.readFileSync(`${cached}.build-ms`, "utf8")) : NaN;
    return { file, buildMs: Number.isFinite(recorded) ? recorded : null, cached: true };
  }
  const start = process.hrtime.bigint();
  const built = await buildDemo(file, options);
  await closeAllInstances();
  const buildMs = ms(start);
  if (listed) results.push([`build ${name}: ${built.pupils.toLocaleString("en-GB")} pupils, ${built.marks.toLocaleString("en-GB")} marks`, `${buildMs.toFixed(0)} ms`]);
  if (cached) {
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    fs.copyFileSync(file, cached);
    fs.writeFileSync(`${cached}.build-ms`, buildMs.toFixed(0));
  }
  return { file, buildMs, cached: false };
}

/** registerTimed's file alone. */
async function register(name: string, options: { today: string; pupils?: number; years?: number }): Promise<string> {
  return (await registerTimed(name, options)).file;
}

/** Part 6: the pages on the demo school and on the 4,500-pupil year. */
async function benchAllPages(): Promise<RegisterFigures[]> {
  const only = process.env.BENCH_PAGES ? process.env.BENCH_PAGES.split(",").map((w) => w.trim()).filter(Boolean) : undefined;
  const requests = process.env.BENCH_REQUESTS ? Number(process.env.BENCH_REQUESTS) : 20;
  const figures: RegisterFigures[] = [];
  const registers = (process.env.BENCH_REGISTERS ?? "demo,4500").split(",");
  if (registers.includes("demo")) {
    const demoFile = await register("pages-demo", { today: TODAY });
    figures.push(await benchPages(`Demo school (as of ${TODAY})`, demoFile, TODAY, { requests, only }));
    await closeAllInstances();
  }
  if (!registers.includes("4500")) return figures;
  const bigFile = await register("pages-4500", BIG);
  figures.push(await benchPages(`${BIG.pupils.toLocaleString("en-GB")} pupils × ${BIG.years} year (as of ${BIG.today})`, bigFile, BIG.today, { requests, only }));
  await closeAllInstances();
  return figures;
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")} at the end`;
}

/** Part 7: many readers at once on the demo school, alone and during a web import. */
async function benchManyReaders(): Promise<LoadFigures> {
  const file = await register("load-demo", { today: TODAY });
  const figures = await benchLoad(file, TODAY, { readers: Number(process.env.BENCH_READERS ?? 50) });
  await closeAllInstances();
  return figures;
}

/** Part 9: both packs as PDFs on the demo school and on the 4,500-pupil year. */
async function benchAllPacks(): Promise<PacksFigures[]> {
  const registers = (process.env.BENCH_REGISTERS ?? "demo,4500").split(",");
  const figures: PacksFigures[] = [];
  if (registers.includes("demo")) figures.push(await benchPacks(`Demo school (as of ${TODAY})`, await register("pages-demo", { today: TODAY }), TODAY));
  if (registers.includes("4500")) {
    figures.push(await benchPacks(`${BIG.pupils.toLocaleString("en-GB")} pupils × ${BIG.years} year (as of ${BIG.today})`, await register("pages-4500", BIG), BIG.today));
  }
  return figures;
}

/** Part 10: the trust register (≈ 45 million marks by default) as a lake, the Trust page and a school's Overview at that size. */
async function benchTrustRegister(): Promise<TrustFigures> {
  const whole = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
  const figures = await benchTrust(dir, (name, options) => registerTimed(name, options, false), {
    schools: whole("BENCH_TRUST_SCHOOLS"),
    pupils: whole("BENCH_TRUST_PUPILS"),
    years: whole("BENCH_TRUST_YEARS"),
    requests: process.env.BENCH_REQUESTS ? Number(process.env.BENCH_REQUESTS) : 20,
  });
  await closeAllInstances();
  return figures;
}

/** Part 4 alone: the demo school built, then casework on it and on the 4,500-pupil year. */
async function benchCaseworkOnly(): Promise<void> {
  const files = generateDemoSchool({ today: TODAY });
  const demoDb = path.join(dir, "demo.duckdb");
  const start = process.hrtime.bigint();
  const demo = await buildDemo(demoDb, { today: TODAY });
  results.push([`demo school: ${demo.pupils} pupils, ${demo.marks.toLocaleString("en-GB")} marks`, `${ms(start).toFixed(0)} ms`]);
  await closeAllInstances();
  results.push(...(await benchCasework(dir, demoDb, TODAY, files.calendarCsv)));
}

const only = process.env.BENCH_ONLY;
if (!only) await benchStore();
if (only === "casework") await benchCaseworkOnly();
const pages = !only || only === "pages" ? await benchAllPages() : [];
const load = !only || only === "load" ? await benchManyReaders() : null;
const packs = !only || only === "packs" ? await benchAllPacks() : [];
// In a process of its own (benchPeerInOwnProcess says why).
const peer = !only || only === "peer" ? await benchPeerInOwnProcess() : [];
const trust = !only || only === "trust" ? await benchTrustRegister() : null;
fs.rmSync(dir, { recursive: true, force: true });

const width = Math.max(...results.map(([label]) => label.length), 0);
for (const [label, value] of results) console.log(`${label.padEnd(width)}  ${value.padStart(8)}`);
const partial = [only ? `BENCH_ONLY=${only}` : "", process.env.BENCH_PAGES ? `BENCH_PAGES=${process.env.BENCH_PAGES}` : "", process.env.BENCH_REQUESTS ? `BENCH_REQUESTS=${process.env.BENCH_REQUESTS}` : "", process.env.BENCH_REGISTERS ? `BENCH_REGISTERS=${process.env.BENCH_REGISTERS}` : "", process.env.BENCH_PEER_SCALES ? `BENCH_PEER_SCALES=${process.env.BENCH_PEER_SCALES}` : "", ...["BENCH_TRUST_SCHOOLS", "BENCH_TRUST_PUPILS", "BENCH_TRUST_YEARS"].map((name) => (process.env[name] ? `${name}=${process.env[name]}` : ""))].filter(Boolean);
const PAGES_INTRO =
  "Each page: GET over loopback HTTP from the built app (scripts/server.js, NODE_ENV=production), signed in as the administrator, at the period the page opens with; each request timed by the server itself (its `Server-Timing: app;dur=` header, scripts/server.js: from the request's arrival to the answer's headers, the goal's measure) and by the client, from sending the request to reading the whole response (the server's time plus a loopback transfer and the client's own work). The first request of each page is made afresh (its queries answered from the result cache the warm-up filled); the 20 after it are answered from the page kept for the session (scripts/page-cache.js), as a page nothing changed under is. Reference: a hand-written `count(*) FILTER` query over the `marks` view (possible and absent sessions, PA pupils) for the academic year to date, median of 5 runs. Goals (issue 11, on server time): p95 under half the reference; on the demo school also under 50 ms.";
const TRUST_INTRO =
  "The trust's schools built one database file each (the demo generator, a seed per school), each exported into one Parquet lake (`rollcall export parquet`), and the built app served on school 1's file with ROLLCALL_TRUST_LAKE at the lake (scripts/bench-trust.ts). The Trust page is not kept per session (scripts/page-cache.js), but each school's row of its roll-up (and each school opened) is kept per state of that school's own files (analytics/trust.ts: until that school exports again) and the server's warm-up counts it after start; the rows marked afresh give a file of school 1 a new modification time before each request, as school 1's export would, so its row is counted again and the other schools' are kept; the row afresh for every school gives a file of each school a new time, so every row is counted again, as if every school had exported at once. The Overview after its first request is kept per session. Reference for the Trust pages: a plain DuckDB scan of the lake's marks of the academic year to date (`count(*) FILTER` for possible and absent sessions and PA pupils per school), median of 5. Goals (issue 11, on server time): p95 under 300 ms and under half the reference.";
const markdown = [
  "# Benchmarks",
  "",
  `Written by \`npm run bench\` (scripts/bench.ts) on ${new Date().toISOString().replace(/\.\d+Z$/, "Z")}${partial.length ? `, a partial run (${partial.join(", ")})` : ""}.`,
  `Machine: ${machine()}. Times are inflated on a loaded machine; the ratios to the reference measured in the same run are the figures to compare.`,
  "",
  ...(pages.length ? ["## Pages", "", PAGES_INTRO, ""] : []),
  ...pages.flatMap((f) => [pagesMarkdown(f, f.label.startsWith("Demo") ? 50 : null), ""]),
  ...(load ? ["## Many readers at once (demo school)", "", loadMarkdown(load), ""] : []),
  ...(packs.length ? ["## Packs as PDF, end to end", "", ...packs.flatMap((f) => [packsMarkdown(f), ""])] : []),
  ...(peer.length ? ["## Peer: DuckDB against Arquero", "", peerMarkdown(peer), ""] : []),
  ...(trust ? ["## The trust register", "", TRUST_INTRO, "", trustMarkdown(trust), ""] : []),
  ...(results.length ? ["## Import, measures, casework, retention, readers", "", "| what | figure |", "|---|---|", ...results.map(([label, value]) => `| ${label} | ${value} |`), ""] : []),
].join("\n");
const outFile = partial.length ? "BENCHMARKS.partial.md" : "BENCHMARKS.md";
fs.writeFileSync(path.join(import.meta.dirname, "..", outFile), markdown);
console.log(`\n${outFile} written.`);
