/**
 * Many readers at once (issue 11, item 4), run by `npm run bench` (scripts/bench.ts).
 * Measured, never asserted. On the demo school served by the built app (scripts/server.js,
 * NODE_ENV=production, a separate process) over loopback only:
 * - `readers` (50) clients at once, each signed in as the administrator (who may open every page), each
 *   opening the dashboard pages one after another in its own order for `rounds` rounds: a
 *   bounded number of requests (readers × rounds), each with a 120 s timeout, never an
 *   open-ended flood; first all in one session, then each in a session of their own (pages are
 *   kept in memory per session, scripts/page-cache.js: the second phase shows the pages made
 *   afresh);
 * - the same readers (one session) again while a web import runs: the Import page's own preview-then-import
 *   of the autumn half term's marks (a re-import: every mark already stored, so the school's
 *   figures do not move while they are read);
 * Reported for each phase: requests, errors (non-200 answers and timeouts), requests a
 * second, p50 and p95 of the request times (nearest rank), and p95 ÷ the plain DuckDB scan of
 * the year's marks (scripts/bench-pages.ts `referenceScan`) timed in the same run, and the
 * requests at or above the p95 grouped by page and by how the page cache answered them (its
 * Server-Timing), which tells a page made afresh or rebuilt from a kept one served late behind
 * other work.
 * Goal (issue 11): p95 under 200 ms with 0 errors.
 */
import fs from "node:fs";
import path from "node:path";
import { closeAllInstances, queryOne, withConnection } from "../analytics/db.ts";
import { sqlString } from "../analytics/sql-literal.ts";
import { academicYearBounds, academicYearOf } from "../analytics/period-names.ts";
import { createTestAccounts, signedSessionCookie } from "../test/helpers/auth.ts";
import { createSession, findUserByEmail, sessionSecret } from "../analytics/users/store.ts";
import { startAppServer } from "../test/setup/app-server.ts";
import { dashboardPages, median, percentile, timedReferenceScan, warmUpRound } from "./bench-pages.ts";
import { msSince as ms } from "./bench-time.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const REQUEST_TIMEOUT_MS = 120_000;

export interface LoadPhase {
  label: string;
  requests: number;
  errors: number;
  /** The first few distinct errors, e.g. "HTTP 500 /pupils" or "timeout /groups". */
  errorKinds: string[];
  seconds: number;
  p50: number;
  p95: number;
  /** p95 of each reader's first request only (the pages nobody has asked for yet in this phase). */
  firstP95: number;
  /** p95 ÷ the reference scan. */
  ratio: number;
  /** For the import phase: how long the import itself took, ms. */
  importMs?: number;
  /**
   * What the slowest requests were (those at or above the phase's p95): by page and by how the
   * page cache answered (its Server-Timing: "hit", "role", "shared", "miss"; "-" for none), the
   * count and the median ms, most first.
   */
  tail: TailGroup[];
  /**
   * CPU time used during the phase, ms: by the server process (all its threads: DuckDB's, zlib's;
   * from /proc, NaN where there is none) and by this process, the 50 clients (fetch, gunzip).
   * Less swayed than the times by other work on a shared machine, so the figure to compare runs by.
   */
  serverCpuMs: number;
  clientCpuMs: number;
}

/** One group of the slowest requests of a phase (LoadPhase.tail). */
export interface TailGroup {
  url: string;
  how: string;
  count: number;
  medianMs: number;
}

/** One request's time, page and how the page cache answered it (Server-Timing "page-cache;desc=…"). */
interface Timed {
  url: string;
  ms: number;
  how: string;
}

export interface LoadFigures {
  readers: number;
  rounds: number;
  referenceMs: number;
  /** The server's first background warm-up round, waited for before the first phase. */
  warmUp?: { views: number; seconds: number; failed: boolean };
  phases: LoadPhase[];
}

/** One reader: every page in turn from its own starting point, `rounds` times. */
async function reader(base: string, cookie: string, pages: string[], start: number, rounds: number, times: Timed[], firsts: number[], errors: string[]): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const url = pages[(start + i) % pages.length];
    const begun = process.hrtime.bigint();
    let how = "-";
    try {
      const response = await fetch(`${base}${url}`, { headers: { cookie }, redirect: "manual", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      await response.arrayBuffer();
      how = /page-cache;desc="?([a-z]+)/.exec(response.headers.get("server-timing") ?? "")?.[1] ?? "-";
      if (response.status !== 200) errors.push(`HTTP ${response.status} ${url}`);
    } catch (error) {
      errors.push(`${(error as Error).name === "TimeoutError" ? "timeout" : (error as Error).message} ${url}`);
    }
    times.push({ url, ms: ms(begun), how });
    if (i === 0) firsts.push(times[times.length - 1].ms);
  }
}

/** The requests at or above `p95`, grouped by page and cache answer, largest groups first. */
function tailOf(times: Timed[], p95: number): TailGroup[] {
  const groups = new Map<string, Timed[]>();
  for (const t of times) {
    if (t.ms < p95) continue;
    const key = `${t.url} ${t.how}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return [...groups.values()]
    .map((g) => ({ url: g[0].url, how: g[0].how, count: g.length, medianMs: median(g.map((t) => t.ms)) }))
    .sort((a, b) => b.count - a.count || b.medianMs - a.medianMs);
}

/** The Import page's two posts (preview, then import with the preview's fingerprint), as a browser without scripts sends them. */
async function webImport(base: string, cookie: string, marksCsv: Buffer): Promise<void> {
  const html = await (await fetch(`${base}/import`, { headers: { cookie } })).text();
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error("no CSRF token on the import page");
  const body = (fields: Record<string, string>) => {
    const boundary = "----rollcall-bench-load";
    return {
      type: `multipart/form-data; boundary=${boundary}`,
      bytes: Buffer.concat([
        ...Object.entries({ csrf: token, ...fields }).map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="marks"; filename="marks-autumn-1.csv"\r\nContent-Type: text/csv\r\n\r\n`),
        marksCsv,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    };
  };
  const post = async (fields: Record<string, string>) => {
    const { type, bytes } = body(fields);
    const response = await fetch(`${base}/import`, { method: "POST", headers: { cookie, Origin: base, "Content-Type": type }, body: new Uint8Array(bytes), signal: AbortSignal.timeout(600_000) });
    return { status: response.status, html: await response.text() };
  };
  const preview = await post({ intent: "preview" });
  const fingerprint = /name="fingerprint" value="([0-9a-f]{64})"/.exec(preview.html)?.[1];
  if (!fingerprint) throw new Error(`the import preview did not offer to import (HTTP ${preview.status})`);
  const done = await post({ intent: "import", fingerprint });
  if (!done.html.includes('data-testid="import-done"')) throw new Error(`the web import did not finish (HTTP ${done.status})`);
}

/**
 * CPU time a process has used so far, ms (user + system, all threads), from /proc/PID/stat in
 * clock ticks of 10 ms (Linux's USER_HZ); NaN without /proc or a process id.
 */
function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

async function phase(label: string, base: string, serverPid: number | undefined, cookies: string[], pages: string[], readers: number, rounds: number, referenceMs: number, during?: () => Promise<void>): Promise<LoadPhase> {
  const serverCpu = processCpuMs(serverPid);
  const clientCpu = process.cpuUsage();
  const times: Timed[] = [];
  const firsts: number[] = [];
  const errors: string[] = [];
  const begun = process.hrtime.bigint();
  let importMs: number | undefined;
  const background = during
    ? (async () => {
        const start = process.hrtime.bigint();
        await during();
        importMs = ms(start);
      })()
    : Promise.resolve();
  await Promise.all([
    ...Array.from({ length: readers }, (_, i) => reader(base, cookies[i % cookies.length], pages, i, rounds, times, firsts, errors)),
    background,
  ]);
  const seconds = ms(begun) / 1000;
  const all = times.map((t) => t.ms);
  const p95 = percentile(all, 0.95);
  const tail = tailOf(times, p95);
  const clientUsed = process.cpuUsage(clientCpu);
  const serverCpuMs = processCpuMs(serverPid) - serverCpu;
  const clientCpuMs = (clientUsed.user + clientUsed.system) / 1000;
  process.stderr.write(`  load ${label}: ${times.length} requests, ${errors.length} errors, p95 ${p95.toFixed(0)} ms, CPU server ${serverCpuMs.toFixed(0)} ms client ${clientCpuMs.toFixed(0)} ms; tail: ${tailText(tail)}\n`);
  return { label, requests: times.length, errors: errors.length, errorKinds: [...new Set(errors)].slice(0, 5), seconds, p50: median(all), p95, firstP95: percentile(firsts, 0.95), ratio: p95 / referenceMs, importMs, tail, serverCpuMs, clientCpuMs };
}

/**
 * Runs both phases on the register in `db` (a copy: it gets test accounts and a re-import)
 * as of `today`. Throws when the app is not built or the server does not start.
 */
export async function benchLoad(db: string, today: string, options: { readers?: number; rounds?: number } = {}): Promise<LoadFigures> {
  const readers = options.readers ?? 50;
  const rounds = options.rounds ?? 10;
  if (!fs.existsSync(path.join(ROOT, "build/index.js"))) throw new Error("the load benchmark needs the built app: npm run build first");
  const period = { from: academicYearBounds(academicYearOf(today)).from, to: today };
  const marksCsv = path.join(path.dirname(db), "load-reimport.csv");
  const base = await withConnection(db, async (c) => {
    const upn = await queryOne<{ upn: string }>(c, "SELECT upn FROM pupils WHERE leaving_date IS NULL ORDER BY upn LIMIT 1");
    // The first half term's marks, as the school's MIS would send them again.
    const half = await queryOne<{ from: string; to: string }>(
      c,
      `SELECT strftime(min(date), '%Y-%m-%d') AS "from", strftime(least(max(date), $to::DATE), '%Y-%m-%d') AS "to"
       FROM school_days WHERE date BETWEEN $from::DATE AND $to::DATE AND date < $from::DATE + INTERVAL 70 DAY`,
      period,
    );
    await c.run(
      `COPY (SELECT upn, strftime(date, '%Y-%m-%d') AS date, session::VARCHAR AS session, code::VARCHAR AS code FROM marks
             WHERE date BETWEEN $from::DATE AND $to::DATE ORDER BY upn, date, session) TO ${sqlString(marksCsv)} (HEADER, DELIMITER ',')`,
      { from: half?.from ?? period.from, to: half?.to ?? period.to },
    );
    return { upn: upn?.upn ?? "", referenceMs: await timedReferenceScan(c, period, 5) };
  });
  await closeAllInstances();
  const accounts = await createTestAccounts(db);
  // One session per reader as well, as 50 people signed in would have: pages are kept per
  // session (scripts/page-cache.js), so these readers find nothing kept by the others.
  const ownSessions = await withConnection(db, async (c) => {
    const secret = await sessionSecret(c);
    const admin = await findUserByEmail(c, accounts.admin.email);
    if (!admin) throw new Error("the administrator's test account is missing");
    const cookies: string[] = [];
    for (let i = 0; i < readers; i++) cookies.push(await signedSessionCookie(secret, (await createSession(c, admin.id)).sessionId));
    return cookies;
  });
  await closeAllInstances();
  const server = await startAppServer(db, { ROLLCALL_TODAY: today, ROLLCALL_WARM_UP_DELAY_MS: "0" });
  try {
    // As for the pages: readers come once the server's background warm-up has prepared the
    // pages it prepares after a start or an import (a server that has just started is not the
    // steady state being measured; the first-request column shows what a cold page costs).
    const warmUp = await warmUpRound(server.log);
    const pages = dashboardPages(base.upn).map((p) => p.url);
    // The administrator may open every page, so every non-200 answer is a fault.
    const readersCookies = [accounts.admin.cookie];
    const figures: LoadFigures = { readers, rounds, referenceMs: base.referenceMs, warmUp, phases: [] };
    figures.phases.push(await phase(`${readers} readers, one session`, server.url, server.pid, readersCookies, pages, readers, rounds, base.referenceMs));
    figures.phases.push(await phase(`${readers} readers, a session each`, server.url, server.pid, ownSessions, pages, readers, rounds, base.referenceMs));
    const csv = fs.readFileSync(marksCsv);
    figures.phases.push(await phase(`${readers} readers during a web import`, server.url, server.pid, readersCookies, pages, readers, rounds, base.referenceMs, () => webImport(server.url, accounts.attendance_lead.cookie, csv)));
    return figures;
  } finally {
    await server.stop();
  }
}

/** The tail groups as text: "/audit miss ×12 (310 ms), …" (the first eight). */
function tailText(tail: TailGroup[]): string {
  return tail
    .slice(0, 8)
    .map((g) => `${g.url} ${g.how} ×${g.count} (${g.medianMs.toFixed(0)} ms)`)
    .join(", ");
}

/** Markdown of the load figures with pass/fail against the goal. */
export function loadMarkdown(f: LoadFigures): string {
  const warm = f.warmUp
    ? `They start once the server's background warm-up after start (scripts/warm-up.js: ${f.warmUp.views} page views in ${f.warmUp.seconds.toFixed(1)} s${f.warmUp.failed ? ", some failed" : ""}) is done.`
    : "The server's warm-up did not finish: the first requests were cold.";
  return [
    `Each phase: ${f.readers} clients at once over loopback, each opening the dashboard pages in turn ${f.rounds} times (${f.readers * f.rounds} requests), signed in as the administrator: all in one session, then each in their own (pages are kept in memory per session, scripts/page-cache.js, so the second finds nothing another reader's request made). ${warm} "First p95" is the p95 of each reader's first request of the phase. Reference: the plain scan of the year's marks, ${f.referenceMs.toFixed(1)} ms (median of 5). CPU: what the server process (all its threads) and the clients' process used during the phase, less swayed than the times by other work on a shared machine. Goal (issue 11): p95 < 200 ms with 0 errors.`,
    "",
    "| phase | requests | errors | requests/s | p50 ms | p95 ms | first p95 ms | p95 ÷ scan | import ms | server CPU ms | clients' CPU ms | goal |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...f.phases.map(
      (p) =>
        `| ${p.label} | ${p.requests} | ${p.errors}${p.errorKinds.length ? ` (${p.errorKinds.join("; ")})` : ""} | ${(p.requests / p.seconds).toFixed(1)} | ${p.p50.toFixed(0)} | ${p.p95.toFixed(0)} | ${p.firstP95.toFixed(0)} | ${p.ratio.toFixed(1)} | ${p.importMs === undefined ? "—" : p.importMs.toFixed(0)} | ${Number.isFinite(p.serverCpuMs) ? p.serverCpuMs.toFixed(0) : "—"} | ${p.clientCpuMs.toFixed(0)} | ${p.p95 < 200 && p.errors === 0 ? "pass" : "fail"} |`,
    ),
    "",
    "The slowest requests of each phase (at or above its p95), by page and how the page cache answered (Server-Timing: hit = the session's kept page, role = a copy of the page made for the role, shared = another request's page of the session, miss = made afresh), count and median ms:",
    "",
    ...f.phases.map((p) => `- ${p.label}: ${tailText(p.tail ?? [])}`),
  ].join("\n");
}
