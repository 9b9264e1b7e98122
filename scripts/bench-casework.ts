/**
 * Casework benchmark (issue 12, "Done when"), run by `npm run bench` (scripts/bench.ts).
 * Measured, never asserted. For two registers:
 * - the demo school (three years, as of its "today"), and
 * - a whole-year register of 4,500 pupils (2025/26, every school day of the demo's calendar,
 *   as of its last school day), its pupils and calendar through the real importers, its
 *   ~1.6 million marks through the store's writer (`writeMarksUnchecked`);
 * it times:
 * - the reference: a plain DuckDB scan of the same marks — each pupil's sessions and
 *   attended sessions from 1 August of the previous academic year (the rules' look-back) to
 *   the as-of date, straight from `mark_store`;
 * - the rules (`computeCasework`, what `rollcall casework` prints), as a ratio to the scan;
 * - the Casework page's lists as the page asks for them (`caseworkLists` with `ladderFor`:
 *   every list's count, its first page of 50 worst first, each shown pupil's ladder
 *   standing), and every list whole with every pupil's standing (the CSV's), as ratios to
 *   the scan;
 * - Register checks' gap query (`registerGaps`: school-day sessions without a mark for the
 *   pupils on roll, the academic year to the as-of date), as a ratio to the scan;
 * - the Casework page's server time (GET /casework over HTTP from the built app, signed in),
 *   beside the Overview's, when the app is built (`npm run build`); else said to be skipped.
 * Each figure is the median of several runs after one warm-up, so caches are warm for all.
 */
import fs from "node:fs";
import path from "node:path";
import { closeAllInstances, inTransaction, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { computeCasework } from "../analytics/casework/compute.ts";
import { caseworkLists } from "../analytics/casework/lists.ts";
import { importCalendar, importPupils } from "../analytics/import/index.ts";
import { ladderPolicyOf } from "../analytics/interventions/policy.ts";
import { academicYearBounds, academicYearOf } from "../analytics/period-names.ts";
import { registerGaps } from "../analytics/quality.ts";
import { getSettings } from "../analytics/settings.ts";
import { writeMarksUnchecked, type RawMark } from "../analytics/store.ts";
import { createTestAccounts } from "../test/helpers/auth.ts";
import { timedReferenceScan } from "./bench-pages.ts";
import { startAppServer } from "../test/setup/app-server.ts";
import { msSince as ms } from "./bench-time.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const by = { name: "Benchmark", role: "System" };
const BIG_PUPILS = 4500;
const PUPILS_PER_WRITE = 500;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median time in ms of `runs` runs of `work`, after one untimed warm-up run. */
async function timed(runs: number, work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await work();
    times.push(ms(start));
  }
  return median(times);
}

/** A small deterministic generator (LCG), so the register is the same every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const upn = (n: number) => `B${String(n).padStart(11, "0")}1`;
const ABSENCE_RATES = [0.005, 0.01, 0.02, 0.03, 0.04, 0.05, 0.07, 0.1, 0.15, 0.3];
const ABSENCE_CODES: Array<[string, number]> = [["I", 0.5], ["O", 0.15], ["C", 0.1], ["M", 0.1], ["G", 0.05], ["U", 0.05], ["N", 0.05]];

function absenceCode(r: number): string {
  let sum = 0;
  for (const [code, weight] of ABSENCE_CODES) if (r < (sum += weight)) return code;
  return "O";
}

/**
 * One pupil's year: absent on a share of days that varies by pupil (0.5 % to 30 %), with a
 * mix of codes; some pupils have a week off ill, and a few an unauthorised run to the end
 * (so every rule has pupils to list).
 */
function pupilMarks(p: number, days: string[]): RawMark[] {
  const next = random(p * 7919 + 17);
  const rate = ABSENCE_RATES[p % ABSENCE_RATES.length];
  const illFrom = p % 50 === 7 ? Math.floor(next() * (days.length - 6)) : -1;
  const missingFrom = p % 200 === 3 ? days.length - 25 : days.length;
  const marks: RawMark[] = [];
  days.forEach((date, i) => {
    let am = "/";
    let pm = "\\";
    if (i >= missingFrom) am = pm = "O";
    else if (illFrom >= 0 && i >= illFrom && i < illFrom + 6) am = pm = "I";
    else if (next() < rate) am = pm = absenceCode(next());
    else if (next() < 0.02) am = "L";
    marks.push({ upn: upn(p), date, session: "AM", code: am }, { upn: upn(p), date, session: "PM", code: pm });
  });
  return marks;
}

/** Builds the 4,500-pupil year into `db`; returns its as-of date (the year's last school day) and its mark count. */
export async function buildBigYear(db: string, calendarCsv: string, pupils: number): Promise<{ asOf: string; marks: number }> {
  const header = "upn,forename,surname,dob,sex,year_group,reg_group,admission_date,leaving_date,sen,fsm,eal,lac,ethnicity";
  const lines = [header];
  for (let p = 0; p < pupils; p++) {
    const year = 1 + (p % 6);
    lines.push(`${upn(p)},F${p},S${p},2017-05-04,${p % 2 ? "F" : "M"},${year},${year}${"ABCDEFGHIJKLMNOPQRSTUVWXY"[Math.floor(p / 6) % 25]},2021-09-01,,${p % 7 ? "N" : "K"},${p % 4 ? "N" : "Y"},${p % 5 ? "N" : "Y"},N,WBRI`);
  }
  return withConnection(db, (c) =>
    inTransaction(c, async () => {
      await importCalendar(c, { file: "calendar.csv", text: calendarCsv, by });
      await importPupils(c, { file: "pupils.csv", text: `${lines.join("\n")}\n`, asOf: "2025-09-01", by, today: "2025-09-01" });
      const days = (
        await queryRows<{ date: string }>(c, `SELECT strftime(date, '%Y-%m-%d') AS date FROM school_days WHERE date BETWEEN DATE '2025-08-01' AND DATE '2026-07-31' ORDER BY date`)
      ).map((r) => r.date);
      let marks = 0;
      for (let from = 0; from < pupils; from += PUPILS_PER_WRITE) {
        const chunk: RawMark[] = [];
        for (let p = from; p < Math.min(from + PUPILS_PER_WRITE, pupils); p++) chunk.push(...pupilMarks(p, days));
        await writeMarksUnchecked(c, chunk);
        marks += chunk.length;
      }
      return { asOf: days[days.length - 1], marks };
    }),
  );
}

/** The reference: each pupil's sessions and attended sessions over the rules' span, straight from the store. */
async function scan(c: Connection, asOf: string): Promise<number> {
  const from = `${Number(academicYearBounds(academicYearOf(asOf)).from.slice(0, 4)) - 1}-08-01`;
  const rows = await queryRows(
    c,
    `SELECT pupil_id, count(*) AS sessions, count(*) FILTER (WHERE code IN ('/', '\\', 'L')) AS attended
     FROM mark_store WHERE date BETWEEN $from::DATE AND $to::DATE GROUP BY pupil_id`,
    { from, to: asOf },
  );
  return rows.length;
}

/** Median server time of GET `pathname` (the whole response read), signed in as the attendance lead. */
async function pageTime(url: string, cookie: string, pathname: string, runs: number): Promise<number> {
  return timed(runs, async () => {
    const response = await fetch(`${url}${pathname}`, { headers: { cookie } });
    const body = await response.text();
    if (!response.ok) throw new Error(`GET ${pathname} answered ${response.status}: ${body.slice(0, 200)}`);
  });
}

async function benchOne(label: string, db: string, asOf: string, runs: number): Promise<Array<[string, string]>> {
  const results: Array<[string, string]> = [];
  const figures = await withConnection(db, async (c) => {
    const settings = await getSettings(c);
    const reference = await timed(runs, () => scan(c, asOf));
    // The pages' reference (bench-pages.ts): the year to date's marks, as issue 11's goal is put.
    const yearScan = await timedReferenceScan(c, { from: academicYearBounds(academicYearOf(asOf)).from, to: asOf }, runs);
    let entries = 0;
    const rules = await timed(runs, async () => {
      entries = (await computeCasework(c, { asOf, numbers: settings.policy })).length;
    });
    const lists = await timed(runs, () => caseworkLists(c, { asOf, policy: settings.policy, ladder: ladderPolicyOf(settings) }));
    const wholeLists = await timed(runs, () => caseworkLists(c, { asOf, policy: settings.policy, ladder: ladderPolicyOf(settings), pageSize: null }));
    let gapCount = 0;
    const gaps = await timed(runs, async () => {
      gapCount = (await registerGaps(c, { from: academicYearBounds(academicYearOf(asOf)).from, to: asOf }, { date: asOf, pm: true })).length;
    });
    return { reference, yearScan, rules, lists, wholeLists, entries, gaps, gapCount };
  });
  const ratio = (value: number) => `${(value / figures.reference).toFixed(1)}×`;
  const both = (value: number) => `${value.toFixed(0)} ms, ${(value / figures.reference).toFixed(2)}×, ${(value / figures.yearScan).toFixed(2)}×`;
  results.push([`casework ${label}: reference scan of the marks`, `${figures.reference.toFixed(0)} ms`]);
  results.push([`casework ${label}: the pages' reference scan (year to date, bench-pages.ts)`, `${figures.yearScan.toFixed(0)} ms`]);
  results.push([`casework ${label}: the twelve rules (${figures.entries} entries): time, × scan, × year-to-date scan`, both(figures.rules)]);
  results.push([`casework ${label}: lists as the page shows them (first page of each, ladder standings), × scan`, ratio(figures.lists)]);
  results.push([`casework ${label}: every list whole with ladder standings (the CSV), × scan`, ratio(figures.wholeLists)]);
  results.push([`register checks ${label}: gaps in the year to date (${figures.gapCount} sessions): time, × scan, × year-to-date scan`, both(figures.gaps)]);

  if (!fs.existsSync(path.join(ROOT, "build/index.js"))) {
    results.push([`casework ${label}: page server time`, "skipped (npm run build first)"]);
    return results;
  }
  const accounts = await createTestAccounts(db);
  await closeAllInstances(); // the server process opens the file
  const server = await startAppServer(db, { ROLLCALL_TODAY: asOf });
  try {
    const cookie = accounts.attendance_lead.cookie;
    const casework = await pageTime(server.url, cookie, `/casework?asOf=${asOf}`, runs);
    const overview = await pageTime(server.url, cookie, "/", runs);
    results.push([`casework ${label}: Casework page server time`, `${casework.toFixed(0)} ms`]);
    results.push([`casework ${label}: Overview page server time`, `${overview.toFixed(0)} ms`]);
    results.push([`casework ${label}: Casework page, × scan`, ratio(casework)]);
  } finally {
    await server.stop();
  }
  return results;
}

/**
 * Runs the casework benchmark over the demo database already built at `demoDb` (as of
 * `demoToday`) and a whole year of `pupils` pupils (4,500 by default) built in `dir` from the
 * demo's calendar. Returns [label, figure] rows for the bench's table.
 */
export async function benchCasework(dir: string, demoDb: string, demoToday: string, calendarCsv: string, pupils = BIG_PUPILS): Promise<Array<[string, string]>> {
  const results: Array<[string, string]> = [];
  results.push(...(await benchOne("demo school", demoDb, demoToday, 5)));
  await closeAllInstances();

  const bigDb = path.join(dir, `casework-${pupils}.duckdb`);
  const start = process.hrtime.bigint();
  const big = await buildBigYear(bigDb, calendarCsv, pupils);
  results.push([`casework: build a ${pupils.toLocaleString("en-GB")}-pupil year (${big.marks.toLocaleString("en-GB")} marks)`, `${ms(start).toFixed(0)} ms`]);
  await closeAllInstances();
  results.push(...(await benchOne(`${pupils.toLocaleString("en-GB")} pupils`, bigDb, big.asOf, 5)));
  await closeAllInstances();
  return results;
}
