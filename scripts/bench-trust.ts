/**
 * The trust register benchmark (issue 11: "every page within 300 ms on a 45-million-mark trust
 * register"), run by `npm run bench` (scripts/bench.ts, BENCH_ONLY=trust). Measured, never
 * asserted.
 * - The register: S schools × P pupils × Y years of the deterministic demo (`buildDemo`, seeds
 *   DEFAULT_DEMO_SEED + k − 1 and names "Demo Junior School k of S", as `rollcall demo
 *   --schools S` writes them), ≈ S × P × Y × 380 marks: by default 40 × 1,000 × 3 ≈ 45 million.
 *   Each school is one database file (BENCH_CACHE keeps them, as the other parts' registers);
 *   reported: marks, build time, bytes per mark of all the files after CHECKPOINT.
 * - The lake: each school exported (`exportParquet`, URNs 100001 …) into one directory, as
 *   `rollcall export parquet --school URN` does; reported: the export's time and the lake's
 *   bytes per mark (all its Parquet files, and the `marks` table's alone).
 * - The reference: a plain DuckDB scan of the lake's marks of the academic year to date
 *   (possible and absent sessions and PA pupils per school, `count(*) FILTER` over the hive
 *   folders, codes classified by each school's exported code catalogue), median of 5 after one
 *   warm-up, in this process.
 * - `trustRollup` called directly, alone and with one school opened by year group, median of 5:
 *   afresh (before each call one Parquet file of school 1 gets a new modification time, as
 *   school 1's export would give its files, so school 1's row — kept per the state of its own
 *   files — is counted again; the schools counted per call are reported, from
 *   `trustRollupStats`), afresh for every school at once (one file of each school touched
 *   before each call: every row counted again, as after all the schools export) and again on
 *   the unchanged lake (answered from what was kept).
 * - The built app (scripts/server.js, NODE_ENV=production) serving school 1's file with
 *   ROLLCALL_TRUST_LAKE at the lake: the Trust page, its drill-down into school 1
 *   (`?school=URN&by=year_group`, the link the page's school names carry) and school 1's own
 *   Overview, each timed as the pages benchmark times a page (scripts/bench-pages.ts
 *   `timePage`: the first request, then p95 and median of 20), and the two Trust pages again
 *   afresh (school 1's file touched before each request), and the Trust page afresh for every
 *   school at once (one file of each school touched). The Trust pages' ratio is to the
 *   lake scan; the Overview's to the same scan of school 1's own database (`referenceScan`).
 *   Beside the times, CPU: the server process's per request of each page (/proc/PID/stat) and
 *   trustRollup's per call afresh for every school (this process's), which the machine's load
 *   inflates less than the wall's, so what the page costs beyond its roll-up can be told apart
 *   from what the load does to both.
 * Goal (issue 11): p95 under 300 ms and under half the reference.
 *
 * Environment: BENCH_TRUST_SCHOOLS (default 40), BENCH_TRUST_PUPILS (default 1,000),
 * BENCH_TRUST_YEARS (default 3) to scale the register down for a quick try.
 */
import fs from "node:fs";
import path from "node:path";
import { closeAllInstances, queryOne, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { REGIME_2024_FROM } from "../analytics/codes.ts";
import { DEFAULT_DEMO_SEED } from "../analytics/demo/index.ts";
import { exportParquet, lakeYears, openLakeSchools } from "../analytics/lake.ts";
import { markLevel } from "../analytics/measures.ts";
import { academicYearBounds, academicYearOf } from "../analytics/period-names.ts";
import { ROLLUP_TABLES, trustRollup, trustRollupStats, type TrustRollup, type TrustSchool } from "../analytics/trust.ts";
import { createTestAccounts } from "../test/helpers/auth.ts";
import { startAppServer } from "../test/setup/app-server.ts";
import { median, pagePasses, timedReferenceScan, timePage, warmUpRound, type PageFigure } from "./bench-pages.ts";
import { processCpuMs } from "./bench-load.ts";
import { msSince as ms } from "./bench-time.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

/** What the benchmark asks of bench.ts: a generated school's database file, built or from BENCH_CACHE. */
export type SchoolRegister = (
  name: string,
  options: { today: string; pupils: number; years: number; seed: number; schoolName: string },
) => Promise<{ file: string; buildMs: number | null; cached: boolean }>;

export interface TrustFigures {
  label: string;
  schools: number;
  pupilsAsked: number;
  years: number;
  today: string;
  period: { from: string; to: string };
  /** Pupils in all the schools' files (every pupil on roll at some point of the years). */
  pupils: number;
  marks: number;
  /** Marks in the period (the year to date), from the reference scan. */
  yearMarks: number;
  /** Build time of the schools built in this run, ms, and how many came from BENCH_CACHE (their earlier build time when recorded). */
  buildMs: number;
  cachedSchools: number;
  cachedBuildMs: number | null;
  dbBytes: number;
  exportMs: number;
  lakeBytes: number;
  lakeMarksBytes: number;
  /** The tables the roll-up reads (ROLLUP_TABLES: the per-pupil aggregates, pupils, settings), bytes. */
  lakeRollupBytes: number;
  referenceMs: number;
  reference: { possible: number; absent: number; pa: number };
  /** The roll-up's own sums over its schools, to set beside the reference's. */
  rollupSums: { possible: number; absent: number; pa: number };
  /**
   * Each school's row checked against the mark-level definition (markLevel.summarise, whole
   * roll and DfE population, on its own files in the lake): the schools checked and those whose
   * figures differ; and whether the rows counted afresh for every school at once equal the rows
   * counted one school at a time.
   */
  markLevelCheck: { schools: number; differing: string[]; allFreshEqual: boolean };
  /**
   * trustRollup's median ms: afresh (school 1's files just changed), afresh for every school
   * (every school's files just changed) and again (unchanged), alone and with school 1 opened;
   * `freshRows`: school rows counted per call afresh (one, when only school 1's row is counted again).
   */
  rollup: { fresh: number; freshRows: number; allFresh: number; allFreshRows: number; kept: number; openFresh: number; openKept: number };
  /** trustRollup's median CPU time (ms, this process, every thread) afresh for every school: beside the server's per request (`pages[].serverCpuMs`). */
  rollupAllFreshCpuMs: number;
  schoolReferenceMs: number;
  schoolMarks: number;
  requests: number;
  runs: number;
  warmUp?: { views: number; seconds: number; failed: boolean };
  /**
   * Each page's server CPU time per request (`serverCpuMs`, ms: the server process's user +
   * system time over the page's requests, every thread, from /proc/PID/stat, ÷ the requests,
   * the first included; NaN without /proc): what the page costs beside the roll-up's own CPU.
   */
  pages: Array<PageFigure & { against: "lake" | "school"; afresh: Afresh; serverCpuMs: number }>;
}

/** Whose files changed before each request or call: nobody's (kept), school 1's (as its export changes them), every school's. */
type Afresh = null | "one" | "all";

/** The URN the benchmark gives school `k` (1-based): 100001, 100002, … */
export const benchUrn = (k: number) => String(100000 + k);

/**
 * The reference: possible and absent sessions and PA pupils per school over `period`, a plain
 * scan of the lake's `marks` folders of the academic year (hive partitions `school`,
 * `academic_year`), codes classified by each school's exported catalogue by the regulations
 * of their dates. Rows in URN order.
 */
export async function lakeReferenceScan(
  c: Connection,
  lake: string,
  period: { from: string; to: string },
): Promise<Array<{ school: string; possible: number; absent: number; pa: number }>> {
  const rows = await queryRows<{ school: string; possible: number; absent: number; pa: number }>(
    c,
    `WITH m AS (
       SELECT school, upn, date, code
       FROM read_parquet($marks, hive_partitioning = true, hive_types_autocast = false)
       WHERE academic_year = $year AND date BETWEEN $from::DATE AND $to::DATE),
     cc AS (SELECT school, code, regime, category FROM read_parquet($catalogue, hive_partitioning = true, hive_types_autocast = false)),
     per_pupil AS (
       SELECT m.school, m.upn,
              count(*) FILTER (WHERE cc.category <> 'not_counted') AS possible,
              count(*) FILTER (WHERE cc.category IN ('authorised', 'unauthorised')) AS absent
       FROM m
       JOIN cc ON cc.school = m.school AND cc.code = m.code AND cc.regime = CASE WHEN m.date >= $regime::DATE THEN '2024' ELSE '2006' END
       GROUP BY m.school, m.upn)
     SELECT school, sum(possible)::BIGINT AS possible, sum(absent)::BIGINT AS absent,
            count(*) FILTER (WHERE possible > 0 AND 10 * absent >= possible)::INTEGER AS pa
     FROM per_pupil GROUP BY school ORDER BY school`,
    {
      marks: path.join(lake, "marks", "*", "*", "*.parquet"),
      catalogue: path.join(lake, "code_catalogue", "*", "*.parquet"),
      year: academicYearOf(period.from).replace("/", "-"),
      ...period,
      regime: REGIME_2024_FROM,
    },
  );
  return rows.map((r) => ({ school: String(r.school), possible: Number(r.possible), absent: Number(r.absent), pa: Number(r.pa) }));
}

/**
 * The URNs of the `rows` (trustRollup's) whose figures differ from the mark-level definition
 * (markLevel.summarise over the school's own files in the lake, the whole roll and the DfE's
 * population): pupils, sessions, PA and SA pupils and every rate. Not timed.
 */
async function differingFromMarks(lake: string, period: { from: string; to: string }, rows: readonly TrustSchool[]): Promise<string[]> {
  const differing: string[] = [];
  for (const row of rows) {
    const opened = await openLakeSchools(lake, [row.urn], undefined, undefined, { years: lakeYears(period) });
    try {
      const c = await opened.connect(row.urn);
      const whole = await markLevel.summarise(c, period);
      const dfe = await markLevel.summarise(c, { ...period, population: "dfe" });
      const expected = [whole.pupils, whole.possible_sessions, whole.attendance_pct, whole.absence_pct, whole.pa_pupils, whole.pa_pct, whole.sa_pupils, whole.sa_pct, dfe.absence_pct, dfe.pa_pct];
      const counted = [row.pupils, row.possible_sessions, row.attendance_pct, row.absence_pct, row.pa_pupils, row.pa_pct, row.sa_pupils, row.sa_pct, row.dfe_absence_pct, row.dfe_pa_pct];
      if (JSON.stringify(counted) !== JSON.stringify(expected)) differing.push(row.urn);
    } finally {
      opened.close();
    }
  }
  return differing;
}

/** Every file's size under `dir`, bytes (0 when it is missing). */
function bytesUnder(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + fs.statSync(path.join(e.parentPath, e.name)).size, 0);
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await work();
  return { ms: ms(start), value };
}

/**
 * Median of `runs` timed calls after one (timed too, returned as `first`), and the median CPU
 * time of the same calls (`cpu`, ms: this process's user + system time, every thread, so
 * DuckDB's too: a figure the machine's load inflates less than the wall's).
 */
async function medianOf(runs: number, work: () => Promise<unknown>, before?: () => void): Promise<{ first: number; median: number; cpu: number }> {
  before?.();
  const first = (await timed(work)).ms;
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    const used = process.cpuUsage();
    times.push((await timed(work)).ms);
    const { user, system } = process.cpuUsage(used);
    cpu.push((user + system) / 1000);
  }
  return { first, median: median(times), cpu: median(cpu) };
}

/**
 * A change of the lake as schools' exports make it (analytics/lake.ts `lakeSchoolStates`),
 * without changing a figure: the settings file of school 1 (`"one"`, as school 1's export
 * changes its own files) or of every school (`"all"`, as if every school exported) gets a new
 * modification time, a second later each call.
 */
function lakeToucher(lake: string, schools: number, which: "one" | "all"): () => void {
  const files = Array.from({ length: which === "one" ? 1 : schools }, (_, i) => path.join(lake, "settings", `school=${benchUrn(i + 1)}`, "data_0.parquet"));
  let seconds = Math.ceil(Math.max(...files.map((file) => fs.statSync(file).mtimeMs)) / 1000);
  return () => {
    seconds += 1;
    for (const file of files) fs.utimesSync(file, seconds, seconds);
  };
}

/**
 * Builds (or takes from the cache) the trust's schools in `dir`, exports them into one lake,
 * and times the reference, the roll-up and the pages. School 1's file stays (it is served,
 * with test accounts added); the others are removed once exported.
 */
export async function benchTrust(
  dir: string,
  register: SchoolRegister,
  options: { schools?: number; pupils?: number; years?: number; today?: string; requests?: number; runs?: number } = {},
): Promise<TrustFigures> {
  const schools = options.schools ?? 40;
  const pupilsAsked = options.pupils ?? 1000;
  const years = options.years ?? 3;
  const today = options.today ?? "2026-07-31";
  const requests = options.requests ?? 20;
  const runs = Math.max(5, options.runs ?? 5);
  const period = { from: academicYearBounds(academicYearOf(today)).from, to: today };
  const lake = path.join(dir, "trust-lake");
  fs.rmSync(lake, { recursive: true, force: true });
  const label = `${schools} schools × ${pupilsAsked.toLocaleString("en-GB")} pupils × ${years} years (as of ${today})`;

  let buildMs = 0;
  let cachedSchools = 0;
  let cachedBuildMs: number | null = 0;
  let dbBytes = 0;
  let exportMs = 0;
  let pupils = 0;
  let marks = 0;
  let served = "";
  let schoolMarks = 0;
  for (let k = 1; k <= schools; k++) {
    const school = await register(`trust-${schools}-school-${k}`, {
      today,
      pupils: pupilsAsked,
      years,
      seed: DEFAULT_DEMO_SEED + (k - 1),
      schoolName: `Demo Junior School ${k} of ${schools}`,
    });
    if (school.cached) {
      cachedSchools += 1;
      cachedBuildMs = school.buildMs === null || cachedBuildMs === null ? null : cachedBuildMs + school.buildMs;
    } else {
      buildMs += school.buildMs ?? 0;
    }
    const urn = benchUrn(k);
    const counts = await withConnection(school.file, async (c) => {
      await c.run("CHECKPOINT");
      const row = await queryOne<{ marks: number; pupils: number }>(
        c,
        "SELECT (SELECT count(*) FROM mark_store)::INTEGER AS marks, (SELECT count(*) FROM pupils)::INTEGER AS pupils",
      );
      const exported = await timed(() => exportParquet(c, { out: lake, school: urn }));
      exportMs += exported.ms;
      return { marks: Number(row?.marks ?? 0), pupils: Number(row?.pupils ?? 0) };
    });
    await closeAllInstances();
    dbBytes += fs.statSync(school.file).size;
    marks += counts.marks;
    pupils += counts.pupils;
    if (k === 1) {
      served = school.file;
      schoolMarks = counts.marks;
    } else {
      fs.rmSync(school.file, { force: true });
    }
    process.stderr.write(`  trust school ${k}/${schools}: ${counts.marks.toLocaleString("en-GB")} marks${school.cached ? " (cached)" : ` built in ${((school.buildMs ?? 0) / 1000).toFixed(1)} s`}\n`);
  }
  const lakeBytes = bytesUnder(lake);
  const lakeMarksBytes = bytesUnder(path.join(lake, "marks"));
  const lakeRollupBytes = ROLLUP_TABLES.reduce((sum, table) => sum + bytesUnder(path.join(lake, table)), 0);

  const scan = await withConnection(":memory:", async (c) => {
    const perSchool = await lakeReferenceScan(c, lake, period);
    const t = await medianOf(runs, () => lakeReferenceScan(c, lake, period));
    return { perSchool, ms: t.median };
  });
  await closeAllInstances();
  const reference = scan.perSchool.reduce((sum, r) => ({ possible: sum.possible + r.possible, absent: sum.absent + r.absent, pa: sum.pa + r.pa }), { possible: 0, absent: 0, pa: 0 });
  const yearMarks = await withConnection(":memory:", async (c) =>
    Number(
      (
        await queryOne<{ n: number }>(
          c,
          `SELECT count(*)::BIGINT AS n FROM read_parquet($marks, hive_partitioning = true, hive_types_autocast = false)
           WHERE academic_year = $year AND date BETWEEN $from::DATE AND $to::DATE`,
          { marks: path.join(lake, "marks", "*", "*", "*.parquet"), year: academicYearOf(period.from).replace("/", "-"), ...period },
        )
      )?.n ?? 0,
    ),
  );
  await closeAllInstances();

  const touch = lakeToucher(lake, schools, "one");
  const touchAll = lakeToucher(lake, schools, "all");
  const open = { urn: benchUrn(1), by: "year_group" as const };
  let rollup: TrustRollup | null = null;
  // Counted once before the afresh runs, so each run after it counts only what its change made stale.
  await trustRollup(lake, period);
  const rowsBefore = trustRollupStats().rows;
  const aloneFresh = await medianOf(runs, async () => (rollup = await trustRollup(lake, period)), touch);
  const freshRows = (trustRollupStats().rows - rowsBefore) / (runs + 1);
  const rowsBeforeAll = trustRollupStats().rows;
  let allFreshRollup: TrustRollup | null = null;
  const allFresh = await medianOf(runs, async () => (allFreshRollup = await trustRollup(lake, period)), touchAll);
  const allFreshRows = (trustRollupStats().rows - rowsBeforeAll) / (runs + 1);
  const aloneKept = await medianOf(runs, () => trustRollup(lake, period));
  const openFresh = await medianOf(runs, () => trustRollup(lake, period, open), touch);
  const openKept = await medianOf(runs, () => trustRollup(lake, period, open));
  const rows = (rollup as TrustRollup | null)?.schools ?? [];
  const rollupSums = rows.reduce(
    (sum, s) => ({ possible: sum.possible + s.possible_sessions, absent: sum.absent + Math.round(((s.absence_pct ?? 0) * s.possible_sessions) / 100), pa: sum.pa + s.pa_pupils }),
    { possible: 0, absent: 0, pa: 0 },
  );

  const markLevelCheck = {
    schools: rows.length,
    differing: await differingFromMarks(lake, period, rows),
    allFreshEqual: JSON.stringify((allFreshRollup as TrustRollup | null)?.schools) === JSON.stringify(rows),
  };
  process.stderr.write(`  trust rows against the mark-level definition: ${markLevelCheck.differing.length ? `differ for ${markLevelCheck.differing.join(", ")}` : `equal for all ${rows.length} schools`}; afresh for every school ${markLevelCheck.allFreshEqual ? "equal to" : "DIFFERENT from"} one at a time\n`);

  const schoolReferenceMs = await withConnection(served, (c) => timedReferenceScan(c, period, runs));
  await closeAllInstances();

  const figures: TrustFigures = {
    label,
    schools,
    pupilsAsked,
    years,
    today,
    period,
    pupils,
    marks,
    yearMarks,
    buildMs,
    cachedSchools,
    cachedBuildMs: cachedSchools ? cachedBuildMs : null,
    dbBytes,
    exportMs,
    lakeBytes,
    lakeMarksBytes,
    lakeRollupBytes,
    referenceMs: scan.ms,
    reference,
    rollupSums,
    markLevelCheck,
    rollup: { fresh: aloneFresh.median, freshRows, allFresh: allFresh.median, allFreshRows, kept: aloneKept.median, openFresh: openFresh.median, openKept: openKept.median },
    rollupAllFreshCpuMs: allFresh.cpu,
    schoolReferenceMs,
    schoolMarks,
    requests,
    runs,
    pages: [],
  };
  if (!fs.existsSync(path.join(ROOT, "build/index.js"))) throw new Error("the trust benchmark needs the built app: npm run build first");
  const accounts = await createTestAccounts(served);
  await closeAllInstances(); // the server process opens the file
  const server = await startAppServer(served, { ROLLCALL_TODAY: today, ROLLCALL_WARM_UP_DELAY_MS: "0", ROLLCALL_TRUST_LAKE: lake });
  try {
    figures.warmUp = await warmUpRound(server.log);
    const cookie = accounts.admin.cookie;
    const drill = `/trust?school=${benchUrn(1)}&by=year_group`;
    const pages: Array<{ routeId: string; url: string; against: "lake" | "school"; afresh: Afresh }> = [
      { routeId: "routes/trust", url: "/trust", against: "lake", afresh: null },
      { routeId: "routes/trust", url: drill, against: "lake", afresh: null },
      { routeId: "routes/_index", url: "/", against: "school", afresh: null },
      { routeId: "routes/trust", url: "/trust", against: "lake", afresh: "one" },
      { routeId: "routes/trust", url: drill, against: "lake", afresh: "one" },
      { routeId: "routes/trust", url: "/trust", against: "lake", afresh: "all" },
    ];
    for (const page of pages) {
      const cpuBefore = processCpuMs(server.pid);
      const t = await timePage(server, cookie, page.url, requests, page.afresh === "one" ? touch : page.afresh === "all" ? touchAll : undefined);
      // timePage's requests: the first and `requests` more.
      const serverCpuMs = (processCpuMs(server.pid) - cpuBefore) / (requests + 1);
      const reference = page.against === "lake" ? figures.referenceMs : schoolReferenceMs;
      figures.pages.push({ routeId: page.routeId, ...t, ratio: t.serverP95 / reference, against: page.against, afresh: page.afresh, serverCpuMs });
      process.stderr.write(`  trust ${page.url}${page.afresh ? ` (afresh: ${page.afresh})` : ""}: server p95 ${t.serverP95.toFixed(1)} ms (${(t.serverP95 / reference).toFixed(2)}× scan), server CPU ${serverCpuMs.toFixed(0)} ms a request, full response p95 ${t.p95.toFixed(0)} ms${t.error ? ` ${t.error}` : ""}\n`);
    }
  } finally {
    await server.stop();
  }
  return figures;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const count = (n: number) => n.toLocaleString("en-GB");

/** Markdown of the trust register's figures, each page's pass/fail against the goals (< 300 ms, < 0.5× scan). */
export function trustMarkdown(f: TrustFigures): string {
  const built =
    f.cachedSchools === f.schools
      ? `all ${f.schools} schools from BENCH_CACHE${f.cachedBuildMs === null ? "" : ` (built in ${(f.cachedBuildMs / 1000).toFixed(0)} s by an earlier run)`}`
      : `${((f.buildMs / 1000) / 60).toFixed(1)} min for the ${f.schools - f.cachedSchools} schools built in this run (${(f.buildMs / 1000 / (f.schools - f.cachedSchools)).toFixed(1)} s a school)${f.cachedSchools ? `, ${f.cachedSchools} from BENCH_CACHE` : ""}`;
  const lines = [
    `### ${f.label}: ${count(f.pupils)} pupils, ${count(f.marks)} marks`,
    "",
    `- build (\`buildDemo\`, one database file a school, one after another): ${built}`,
    `- storage: ${(f.dbBytes / f.marks).toFixed(1)} bytes per mark in the ${f.schools} database files after CHECKPOINT (${mb(f.dbBytes)}; goal ≤ 2: ${f.dbBytes / f.marks <= 2 ? "pass" : "fail"})`,
    `- the lake (\`exportParquet\` of each school into one directory): ${(f.exportMs / 1000).toFixed(1)} s in all (${(f.exportMs / f.schools / 1000).toFixed(2)} s a school); ${(f.lakeBytes / f.marks).toFixed(2)} bytes per mark (${mb(f.lakeBytes)}), the \`marks\` table alone ${(f.lakeMarksBytes / f.marks).toFixed(2)}, the tables the roll-up reads (the per-pupil aggregates \`mark_weeks\` and \`mark_days\`, the pupils, the settings; not the marks) ${(f.lakeRollupBytes / f.marks).toFixed(2)}`,
    `- reference: plain DuckDB scan of the lake's marks ${f.period.from} to ${f.period.to} (${count(f.yearMarks)} marks; possible, absent, PA pupils per school): ${f.referenceMs.toFixed(0)} ms (median of ${f.runs}); totals ${count(f.reference.possible)} possible, ${count(f.reference.absent)} absent, ${count(f.reference.pa)} PA pupils (the roll-up's, on pupils on roll: ${count(f.rollupSums.possible)}, ${count(f.rollupSums.absent)}, ${count(f.rollupSums.pa)}); each school's row against the mark-level definition on its own files (whole roll and DfE population): ${f.markLevelCheck.differing.length ? `**differs** for ${f.markLevelCheck.differing.join(", ")}` : `equal for all ${f.markLevelCheck.schools}`}; rows counted afresh for every school at once ${f.markLevelCheck.allFreshEqual ? "equal to" : "**differ from**"} those counted one school at a time`,
    `- \`trustRollup\` called directly, median of ${f.runs}: afresh (a file of school ${benchUrn(1)} given a new time before each call, as its export changes its files; ${f.rollup.freshRows.toFixed(1)} school rows counted a call) ${f.rollup.fresh.toFixed(0)} ms (${(f.rollup.fresh / f.referenceMs).toFixed(2)}× scan); afresh for every school at once (a file of each school touched; ${f.rollup.allFreshRows.toFixed(1)} rows counted a call) ${f.rollup.allFresh.toFixed(0)} ms (${(f.rollup.allFresh / f.referenceMs).toFixed(2)}× scan); again on the unchanged lake ${f.rollup.kept.toFixed(1)} ms (${(f.rollup.kept / f.referenceMs).toFixed(3)}× scan); with school ${benchUrn(1)} opened by year group afresh ${f.rollup.openFresh.toFixed(0)} ms (${(f.rollup.openFresh / f.referenceMs).toFixed(2)}×), again ${f.rollup.openKept.toFixed(1)} ms (${(f.rollup.openKept / f.referenceMs).toFixed(3)}×); CPU time (this process, every thread, DuckDB's included) afresh for every school ${f.rollupAllFreshCpuMs.toFixed(0)} ms a call (median), to set beside the server's CPU a request of that page below`,
    `- pages: the app serving school ${benchUrn(1)}'s file (${count(f.schoolMarks)} marks; its own plain scan of the year ${f.schoolReferenceMs.toFixed(1)} ms, the Overview's reference) with ROLLCALL_TRUST_LAKE at the lake; p95 of ${f.requests} requests each after the first, signed in as the administrator: the server's own time (Server-Timing; the goal's measure), the server process's CPU time a request (user + system, every thread, from /proc: all ${f.requests + 1} requests' ÷ ${f.requests + 1}) and the full response read over loopback`,
    f.warmUp
      ? `- the server's background warm-up after start: ${f.warmUp.views} page views in ${f.warmUp.seconds.toFixed(1)} s${f.warmUp.failed ? " (some failed: see the run's log)" : ""}; first requests are made after it`
      : "- the server's background warm-up did not finish: first requests are cold",
    "",
    "| page | server p95 ms | server median ms | server CPU ms a request | full response p95 ms | full response median ms | first request ms | HTML KB | reference | server p95 ÷ scan | first ÷ scan | goal: server p95 < 300 ms, < 0.5× scan |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|",
  ];
  for (const p of f.pages) {
    const reference = p.against === "lake" ? f.referenceMs : f.schoolReferenceMs;
    const pass = pagePasses(p, 300);
    lines.push(
      `| ${p.url}${p.afresh === "one" ? ` afresh (a file of school ${benchUrn(1)} given a new time before each request, as its export would)` : p.afresh === "all" ? " afresh for every school (a file of each school given a new time before each request)" : ""} | ${p.serverP95.toFixed(1)} | ${p.serverMedian.toFixed(1)} | ${p.serverCpuMs.toFixed(0)} | ${p.p95.toFixed(0)} | ${p.median.toFixed(0)} | ${p.firstMs.toFixed(0)} | ${(p.bytes / 1024).toFixed(0)} | ${p.against === "lake" ? "the lake" : "school 1's file"} | ${p.ratio.toFixed(2)} | ${(p.firstMs / reference).toFixed(2)} | ${p.error ?? (pass ? "pass" : "fail")} |`,
    );
  }
  return lines.join("\n");
}
