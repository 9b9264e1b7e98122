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
 * Each client asks as a browser does (Chromium's Accept-Encoding and Accept, a kept-alive
 * connection: `pageGet`) and reads every byte of every response and decodes it; a body short of
 * its Content-Length or one that does not decode is an error.
 * Reported for each phase: requests, errors (non-200 answers, short or undecodable bodies and
 * timeouts), requests a second, p50 and p95 of the request times (nearest rank), and p95 ÷ the
 * plain DuckDB scan of the year's marks (scripts/bench-pages.ts `referenceScan`) timed in the
 * same run; the bytes sent and decoded; the CPU time of the server's and the clients'
 * processes; measured inside the server by scripts/bench-load-probe.js (loaded into this
 * benchmark's server only), each request's time in the server and the event loop's delay; and
 * the requests at or above the p95 grouped by page and by how the page cache answered them (its
 * Server-Timing), each group's time split into before, in and after the server, which tells a
 * page made afresh or rebuilt from a kept one served late behind other work from one that
 * waited in the client or on its way.
 * Goal (issue 11): p95 under 200 ms with 0 errors.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { monitorEventLoopDelay } from "node:perf_hooks";
import v8 from "node:v8";
import vm from "node:vm";
import { closeAllInstances, queryOne, withConnection } from "../analytics/db.ts";
import { sqlString } from "../analytics/sql-literal.ts";
import { academicYearBounds, academicYearOf } from "../analytics/period-names.ts";
import { createTestAccounts, signedSessionCookie } from "../test/helpers/auth.ts";
import { createSession, findUserByEmail, sessionSecret } from "../analytics/users/store.ts";
import { startAppServer } from "../test/setup/app-server.ts";
import { dashboardPages, median, percentile, timedReferenceScan, warmUpRound } from "./bench-pages.ts";
import url from "node:url";
import { packPeriodOptions } from "../analytics/packs/periods.ts";
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
  /**
   * The clients' own event loop's delay during the phase (this process: how long a timer was
   * held back by its work on its one thread, or by waiting for a core), p99 and max, ms: a
   * response the server has sent waits as long before a client reads it, so a phase whose time
   * after the server is long shows here whether the clients were the ones behind.
   */
  clientLoopDelay: { p99: number; max: number };
  /**
   * Measured inside the server (scripts/bench-load-probe.js), when it could be: each request's
   * time in the server (from Node handing it to the app to its last byte handed to the socket),
   * p50 and p95, ms; and the event loop's delay (how long work on the one thread held a timer
   * back; a request arriving meanwhile waited as long before the server could read it), p99 and
   * max, ms. Undefined when the probe gave nothing.
   */
  server?: { p50: number; p95: number; loopDelayP99: number; loopDelayMax: number };
  /** KB received over the wire in the phase (compressed, as sent), and decoded. */
  wireKb: number;
  decodedKb: number;
}

/** One group of the slowest requests of a phase (LoadPhase.tail). */
export interface TailGroup {
  url: string;
  how: string;
  count: number;
  medianMs: number;
  /**
   * Of those requests, the median ms before the server had the request (queued in the client,
   * the kernel or behind the server's event loop), in the server, and after it (the response
   * on its way and read by the client), when the server's probe timed them.
   */
  split?: { before: number; server: number; after: number };
}

/**
 * One request: its page, how the page cache answered it (Server-Timing "page-cache;desc=…"),
 * its time, when it was sent and read whole (ms since the epoch, as the server's probe records
 * them), and its bytes on the wire and decoded.
 */
interface Timed {
  id: string;
  url: string;
  ms: number;
  how: string;
  sent: number;
  done: number;
  wire: number;
  decoded: number;
}

export interface LoadFigures {
  readers: number;
  rounds: number;
  referenceMs: number;
  /** The server's first background warm-up round, waited for before the first phase. */
  warmUp?: { views: number; seconds: number; failed: boolean };
  phases: LoadPhase[];
}

/**
 * What the readers send as a browser does: Chromium's Accept-Encoding (the server answers in
 * brotli or gzip as it chooses, as it would a browser) and Accept.
 */
const BROWSER_HEADERS = { "accept-encoding": "gzip, deflate, br, zstd", accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

/**
 * The readers' connections: kept alive between requests, as a browser keeps its connections to
 * a site (and as fetch's pool did); as many as there are readers.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

/** Decoders by content coding; each decodes in one call on zlib's threads (`decode`). */
const DECODERS: Record<string, (bytes: Buffer, options: zlib.ZlibOptions | zlib.BrotliOptions) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
};

/**
 * The body as the page it carries: decoded from its content coding, as a browser decodes it.
 * In one call with room for the whole page (gzip's trailer says its length; else 1 MB), on
 * zlib's threads: decoding in zlib's 16 KB steps, each a trip to a thread and back to this one
 * (as fetch does), had been half of the clients' CPU time. Throws on a coding it does not know
 * or a body that does not decode.
 */
function decode(bytes: Buffer, coding: string): Promise<Buffer> {
  if (coding === "" || coding === "identity") return Promise.resolve(bytes);
  const decoder = DECODERS[coding];
  if (!decoder) throw new Error(`unknown content coding ${coding}`);
  const size = coding === "gzip" && bytes.length >= 18 ? bytes.readUInt32LE(bytes.length - 4) : 0;
  return decoder(bytes, { chunkSize: Math.min(64 * 2 ** 20, Math.max(64 * 1024, size || 2 ** 20)) });
}

/**
 * GET `url` as a browser would (BROWSER_HEADERS, a kept-alive connection, no redirect
 * followed): every byte of the response read off the connection and the body decoded. The
 * time is from before the request is written to the body decoded. Throws on a body shorter
 * than its Content-Length, one that does not decode, a socket error or the timeout.
 * node:http rather than fetch: the 50 clients share the 2 cores with the server, and fetch's
 * own work per request (its streams, headers objects and decoding in 16 KB steps) had cost the
 * clients' process more CPU time than the server's whole work (992 ms to 680 ms a phase).
 */
function pageGet(url: string, headers: Record<string, string>): Promise<{ status: number; serverTiming: string; wire: number; decoded: number }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers: { ...BROWSER_HEADERS, ...headers }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }, (response) => {
      const chunks: Buffer[] = [];
      let wire = 0;
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        wire += chunk.length;
      });
      response.on("error", reject);
      response.on("end", () => {
        const declared = response.headers["content-length"];
        if (declared !== undefined && Number(declared) !== wire) {
          reject(new Error(`${wire} bytes of ${declared}`));
          return;
        }
        const serverTiming = String(response.headers["server-timing"] ?? "");
        decode(Buffer.concat(chunks, wire), String(response.headers["content-encoding"] ?? "identity")).then(
          (body) => resolve({ status: response.statusCode ?? 0, serverTiming, wire, decoded: body.length }),
          reject,
        );
      });
    });
    request.on("error", reject);
  });
}

/** The time now, ms since the epoch to a fraction (as the server's probe records its times). */
const wallMs = () => performance.timeOrigin + performance.now();
let requestCount = 0;

/** One reader: every page in turn from its own starting point, `rounds` times. */
async function reader(base: string, cookie: string, pages: string[], start: number, rounds: number, times: Timed[], firsts: number[], errors: string[]): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const url = pages[(start + i) % pages.length];
    // Sent with the request, so the server's probe (scripts/bench-load-probe.js) times it too.
    const id = String(++requestCount);
    const sent = wallMs();
    const begun = process.hrtime.bigint();
    let how = "-";
    let wire = 0;
    let decoded = 0;
    try {
      const response = await pageGet(`${base}${url}`, { cookie, "x-bench-request": id });
      how = /page-cache;desc="?([a-z]+)/.exec(response.serverTiming)?.[1] ?? "-";
      wire = response.wire;
      decoded = response.decoded;
      if (response.status !== 200) errors.push(`HTTP ${response.status} ${url}`);
    } catch (error) {
      errors.push(`${(error as Error).name === "TimeoutError" || (error as Error).name === "AbortError" ? "timeout" : (error as Error).message} ${url}`);
    }
    times.push({ id, url, ms: ms(begun), how, sent, done: wallMs(), wire, decoded });
    if (i === 0) firsts.push(times[times.length - 1].ms);
  }
}

/**
 * The requests at or above `p95`, grouped by page and cache answer, largest groups first; with
 * the server's times of the requests (`inServer`, by request id), each group's split.
 */
function tailOf(times: Timed[], p95: number, inServer: Map<string, { began: number; finished: number }>): TailGroup[] {
  const groups = new Map<string, Timed[]>();
  for (const t of times) {
    if (t.ms < p95) continue;
    const key = `${t.url} ${t.how}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return [...groups.values()]
    .map((g) => {
      const timed = g.flatMap((t) => {
        const s = inServer.get(t.id);
        return s ? [{ before: s.began - t.sent, server: s.finished - s.began, after: t.done - s.finished }] : [];
      });
      const split = timed.length ? { before: median(timed.map((x) => x.before)), server: median(timed.map((x) => x.server)), after: median(timed.map((x) => x.after)) } : undefined;
      return { url: g[0].url, how: g[0].how, count: g.length, medianMs: median(g.map((t) => t.ms)), split };
    })
    .sort((a, b) => b.count - a.count || b.medianMs - a.medianMs);
}

/** What the server's probe (scripts/bench-load-probe.js) wrote for one stretch. */
interface ProbeDump {
  loopDelayMs: { p50: number; p99: number; max: number };
  requests: Array<{ id: string; began: number; finished: number }>;
}

/**
 * Asks the server's probe for what it measured since it was last asked (SIGUSR2), and waits
 * (at most 5 s) for the file it writes: `${prefix}.${n}.json`. Null without a probe.
 */
async function probeDump(pid: number | undefined, prefix: string | undefined, n: number): Promise<ProbeDump | null> {
  if (pid === undefined || prefix === undefined) return null;
  const file = `${prefix}.${n}.json`;
  try {
    process.kill(pid, "SIGUSR2");
  } catch {
    return null;
  }
  for (let waited = 0; waited < 5000; waited += 20) {
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as ProbeDump;
    await new Promise((r) => setTimeout(r, 20));
  }
  return null;
}

/** The probe's sampling interval (scripts/bench-load-probe.js), which every delay it records includes. */
const PROBE_RESOLUTION_MS = 5;

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
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** The server's process and its probe's files (`probe`: their prefix, and how many were written so far). */
interface Served {
  url: string;
  pid: number | undefined;
  probe?: { prefix: string; dumps: number };
}

/**
 * A full garbage collection of this process (the clients'), made before each phase: what the
 * benchmark's own set-up left on the clients' heap (the register's reference scan, the export of
 * the marks to import, the accounts) is not the readers' work. Without it the first phase met a
 * young generation of 67 MB grown by that set-up: a scavenge of 94 ms as the 50 first answers
 * came in (the clients' event loop held back 121 ms; --trace-gc, load 9), where the phases
 * after it had 1–8 ms scavenges. Node's gc() is reached through V8's --expose-gc flag set at run
 * time (v8.setFlagsFromString) and read from a fresh context, so the bench needs no flag of its own.
 */
function collectClientsGarbage(): void {
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
}

async function phase(label: string, server: Served, cookies: string[], pages: string[], readers: number, rounds: number, referenceMs: number, during?: () => Promise<void>): Promise<LoadPhase> {
  const base = server.url;
  const serverPid = server.pid;
  collectClientsGarbage();
  // The probe starts afresh: what it measured before the phase is not the phase's.
  if (server.probe) await probeDump(serverPid, server.probe.prefix, server.probe.dumps++);
  const serverCpu = processCpuMs(serverPid);
  const clientCpu = process.cpuUsage();
  const clientDelay = monitorEventLoopDelay({ resolution: PROBE_RESOLUTION_MS });
  clientDelay.enable();
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
  try {
    await Promise.all([
      ...Array.from({ length: readers }, (_, i) => reader(base, cookies[i % cookies.length], pages, i, rounds, times, firsts, errors)),
      background,
    ]);
  } finally {
    // Off whether the phase ended or its import failed (the failure goes on to the caller).
    clientDelay.disable();
  }
  const seconds = ms(begun) / 1000;
  const clientUsed = process.cpuUsage(clientCpu);
  const serverCpuMs = processCpuMs(serverPid) - serverCpu;
  const clientCpuMs = (clientUsed.user + clientUsed.system) / 1000;
  const dump = server.probe ? await probeDump(serverPid, server.probe.prefix, server.probe.dumps++) : null;
  const inServer = new Map((dump?.requests ?? []).map((r) => [r.id, r]));
  const serverTimes = times.flatMap((t) => {
    const s = inServer.get(t.id);
    return s ? [s.finished - s.began] : [];
  });
  const all = times.map((t) => t.ms);
  const p95 = percentile(all, 0.95);
  const tail = tailOf(times, p95, inServer);
  const loop = (value: number) => Math.max(0, value - PROBE_RESOLUTION_MS);
  const clientLoopDelay = { p99: loop(clientDelay.percentile(99) / 1e6), max: loop(clientDelay.max / 1e6) };
  const inside = dump && serverTimes.length ? { p50: median(serverTimes), p95: percentile(serverTimes, 0.95), loopDelayP99: loop(dump.loopDelayMs.p99), loopDelayMax: loop(dump.loopDelayMs.max) } : undefined;
  const kb = (bytes: number) => bytes / 1024;
  const wireKb = kb(times.reduce((sum, t) => sum + t.wire, 0));
  const decodedKb = kb(times.reduce((sum, t) => sum + t.decoded, 0));
  process.stderr.write(
    `  load ${label}: ${times.length} requests, ${errors.length} errors, p50 ${median(all).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, in server p95 ${inside ? inside.p95.toFixed(0) : "?"} ms, loop delay p99 ${inside ? inside.loopDelayP99.toFixed(0) : "?"} max ${inside ? inside.loopDelayMax.toFixed(0) : "?"} ms, CPU server ${serverCpuMs.toFixed(0)} ms client ${clientCpuMs.toFixed(0)} ms, clients' loop delay p99 ${clientLoopDelay.p99.toFixed(0)} max ${clientLoopDelay.max.toFixed(0)} ms, ${wireKb.toFixed(0)} KB on the wire (${decodedKb.toFixed(0)} decoded), load average ${os.loadavg()[0].toFixed(1)}; tail: ${tailText(tail)}\n`,
  );
  return { label, requests: times.length, errors: errors.length, errorKinds: [...new Set(errors)].slice(0, 5), seconds, p50: median(all), p95, firstP95: percentile(firsts, 0.95), ratio: p95 / referenceMs, importMs, tail, serverCpuMs, clientCpuMs, clientLoopDelay, server: inside, wireKb, decodedKb };
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
    return { upn: upn?.upn ?? "", packs: await packPeriodOptions(c, today), referenceMs: await timedReferenceScan(c, period, 5) };
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
  // The server carries the probe (scripts/bench-load-probe.js): its own times of the requests
  // and its event loop's delay, written where this process reads them.
  const probeDir = fs.mkdtempSync(path.join(path.dirname(db), "load-probe-"));
  const probePrefix = path.join(probeDir, "probe");
  const probeFile = url.pathToFileURL(path.join(ROOT, "scripts/bench-load-probe.js")).href;
  const server = await startAppServer(db, {
    ROLLCALL_TODAY: today,
    ROLLCALL_WARM_UP_DELAY_MS: "0",
    ROLLCALL_BENCH_PROBE: probePrefix,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${probeFile}`.trim(),
  });
  const served: Served = { url: server.url, pid: server.pid, probe: { prefix: probePrefix, dumps: 0 } };
  try {
    // As for the pages: readers come once the server's background warm-up has prepared the
    // pages it prepares after a start or an import (a server that has just started is not the
    // steady state being measured; the first-request column shows what a cold page costs).
    const warmUp = await warmUpRound(server.log);
    // Every dashboard page, and the documents the two pack pages load into their frames (a
    // reader who opens a pack page fetches both).
    const pages = [
      ...dashboardPages(base.upn).map((p) => p.url),
      ...(base.packs.defaultMonth ? [`/packs/slt/html?month=${base.packs.defaultMonth}`] : []),
      ...(base.packs.defaultTerm ? [`/packs/fgb/html?term=${base.packs.defaultTerm}`] : []),
    ];
    // The administrator may open every page, so every non-200 answer is a fault.
    const readersCookies = [accounts.admin.cookie];
    const figures: LoadFigures = { readers, rounds, referenceMs: base.referenceMs, warmUp, phases: [] };
    figures.phases.push(await phase(`${readers} readers, one session`, served, readersCookies, pages, readers, rounds, base.referenceMs));
    figures.phases.push(await phase(`${readers} readers, a session each`, served, ownSessions, pages, readers, rounds, base.referenceMs));
    const csv = fs.readFileSync(marksCsv);
    figures.phases.push(await phase(`${readers} readers during a web import`, served, readersCookies, pages, readers, rounds, base.referenceMs, () => webImport(server.url, accounts.attendance_lead.cookie, csv)));
    return figures;
  } finally {
    await server.stop();
    agent.destroy();
    fs.rmSync(probeDir, { recursive: true, force: true });
  }
}

/** The tail groups as text: "/audit miss ×12 (310 ms), …" (the first eight). */
function tailText(tail: TailGroup[]): string {
  return tail
    .slice(0, 8)
    .map((g) => `${g.url} ${g.how} ×${g.count} (${g.medianMs.toFixed(0)} ms${g.split ? `: ${g.split.before.toFixed(0)} before, ${g.split.server.toFixed(0)} in, ${g.split.after.toFixed(0)} after the server` : ""})`)
    .join(", ");
}

/** Markdown of the load figures with pass/fail against the goal. */
export function loadMarkdown(f: LoadFigures): string {
  const warm = f.warmUp
    ? `They start once the server's background warm-up after start (scripts/warm-up.js: ${f.warmUp.views} page views in ${f.warmUp.seconds.toFixed(1)} s${f.warmUp.failed ? ", some failed" : ""}) is done.`
    : "The server's warm-up did not finish: the first requests were cold.";
  return [
    `Each phase: ${f.readers} clients at once over loopback, each opening the dashboard pages and the two pack pages' documents (their frames) in turn ${f.rounds} times (${f.readers * f.rounds} requests), signed in as the administrator: all in one session, then each in their own (pages are kept in memory per session, scripts/page-cache.js, so the second finds nothing another reader's request made). ${warm} "First p95" is the p95 of each reader's first request of the phase. Reference: the plain scan of the year's marks, ${f.referenceMs.toFixed(1)} ms (median of 5). Goal (issue 11): p95 < 200 ms with 0 errors.`,
    "",
    "Each client asks as a browser does (Chromium's Accept-Encoding, so the server answers in brotli or gzip as it chooses; connections kept alive) and reads every byte of each response and decodes it (a body shorter than its Content-Length, or one that does not decode, is an error); a request's time runs from writing it to its body decoded. The clients use node:http, not fetch: they share the machine's cores with the server, and fetch's own work per request (decoding in 16 KB steps, each a trip to zlib's threads and back) had cost the clients' process more CPU than the server's whole work. CPU: what the server process (all its threads) and the clients' process used during the phase, less swayed than the times by other work on a shared machine. The clients' loop delay: how long the clients' own event loop was held back during the phase (their work on their one thread, or their wait for a core), p99 and max; a response the server had sent waited as long to be read. In the server (measured inside it by scripts/bench-load-probe.js, loaded into the benchmark's server only): each request's time from Node handing it to the app to its last byte handed to the socket, and the event loop's delay (how long a timer was held back, by work on the one thread or by the process waiting for a core on a loaded machine; a request arriving meanwhile waited as long to be read), p99 and max.",
    "",
    "| phase | requests | errors | requests/s | p50 ms | p95 ms | first p95 ms | p95 ÷ scan | in server p50 / p95 ms | loop delay p99 / max ms | KB sent (decoded) | import ms | server CPU ms | clients' CPU ms | clients' loop delay p99 / max ms | goal |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...f.phases.map(
      (p) =>
        `| ${p.label} | ${p.requests} | ${p.errors}${p.errorKinds.length ? ` (${p.errorKinds.join("; ")})` : ""} | ${(p.requests / p.seconds).toFixed(1)} | ${p.p50.toFixed(0)} | ${p.p95.toFixed(0)} | ${p.firstP95.toFixed(0)} | ${p.ratio.toFixed(1)} | ${p.server ? `${p.server.p50.toFixed(1)} / ${p.server.p95.toFixed(0)}` : "—"} | ${p.server ? `${p.server.loopDelayP99.toFixed(0)} / ${p.server.loopDelayMax.toFixed(0)}` : "—"} | ${p.wireKb.toFixed(0)} (${p.decodedKb.toFixed(0)}) | ${p.importMs === undefined ? "—" : p.importMs.toFixed(0)} | ${Number.isFinite(p.serverCpuMs) ? p.serverCpuMs.toFixed(0) : "—"} | ${p.clientCpuMs.toFixed(0)} | ${p.clientLoopDelay ? `${p.clientLoopDelay.p99.toFixed(0)} / ${p.clientLoopDelay.max.toFixed(0)}` : "—"} | ${p.p95 < 200 && p.errors === 0 ? "pass" : "fail"} |`,
    ),
    "",
    "The slowest requests of each phase (at or above its p95), by page and how the page cache answered (Server-Timing: hit = the session's kept page, role = a copy of the page made for the role, shared = another request's page of the session, miss = made afresh), count and median ms, and the medians of their time before the server had them (in the client, the kernel or waiting for the server's event loop), in the server and after it (on their way and read by the client):",
    "",
    ...f.phases.map((p) => `- ${p.label}: ${tailText(p.tail ?? [])}`),
  ].join("\n");
}
