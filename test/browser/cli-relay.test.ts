/**
 * The CLI while the dashboard runs (issue 10, item 8): the served app holds the database
 * file, and every `rollcall` command is sent to it (an authenticated local call) and prints
 * the same result it prints on its own; without a server to take it, a held file gives one
 * sentence saying what to do. The real bin/rollcall.js against the real production server.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllInstances } from "../../analytics/db.ts";
import { serverFilePath } from "../../analytics/cli/remote.ts";
import { createTestAccounts, type TestAccount } from "../helpers/auth.ts";
import { cliOn, fileWriter, writeSmallRegister, initSchool } from "../helpers/cli.ts";
import { removeDb, tempDbPath } from "../helpers/db.ts";
import { startAppServer } from "../setup/app-server.ts";

const db = tempDbPath("cli-relay");
const dir = path.dirname(db);
const rollcall = cliOn(db);

// Monday 2 – Wednesday 4 March 2026. A: 6 sessions, 1 illness. B: 6 sessions, 3 unauthorised (G, G, O).
const { calendar, pupils, marks } = writeSmallRegister(dir);
const write = fileWriter(dir);
// B's Wednesday morning was a mistake: an unauthorised absence, not present.
const amendment = write("amendment.csv", ["upn,date,session,code", "B123456789012,2026-03-04,AM,O"]);

const SUMMARY = ["summary", "--from", "2026-03-02", "--to", "2026-03-04", "--json"];
let head: TestAccount;
let server: Awaited<ReturnType<typeof startAppServer>> | undefined;
let direct = "";
/** What the command writes on standard error on its own (a 3-day span: why PA is not given). */
let directErr = "";

/** Chromium browsers the process `pid` started (its children named chromium or headless_shell). */
function browsersOf(pid: number): number {
  const children = execFileSync("ps", ["-o", "comm=", "--ppid", String(pid)], { encoding: "utf8" }).split("\n");
  return children.filter((name) => /chrom|headless/i.test(name)).length;
}

beforeAll(async () => {
  await initSchool(db);
  const imported = await rollcall("import", "--calendar", calendar, "--pupils", pupils, "--marks", marks, "--as-of", "2025-09-01");
  expect(imported.code).toBe(0);
  ({ stdout: direct, stderr: directErr } = await rollcall(...SUMMARY));
  head = (await createTestAccounts(db)).head;
  await closeAllInstances();
  server = await startAppServer(db);
});

afterAll(async () => {
  await server?.stop();
  removeDb(db);
});

describe("the CLI while the dashboard runs", () => {
  it("announces the server beside the database, readable only by its own account", () => {
    const file = serverFilePath(db);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(Object.keys(JSON.parse(fs.readFileSync(file, "utf8"))).sort()).toEqual(["database", "pid", "token", "url"]);
  });

  it("prints exactly what the command prints on its own", async () => {
    const relayed = await rollcall(...SUMMARY);
    expect(relayed).toEqual({ code: 0, stdout: direct, stderr: directErr });
    expect(JSON.parse(relayed.stdout)).toMatchObject({ pupils: 2, possible_sessions: 12, unauthorised_sessions: 3 });
    expect(directErr).toMatch(/^Persistent and severe absence are not given for 2 Mar 2026 to 4 Mar 2026: 3 school days/);
  });

  it("keeps the caller's ROLLCALL_TODAY (trial18b: a report asked for 20 Sep ran to the server's today)", async () => {
    const out = path.join(dir, "report-3-march.csv");
    const before = process.env.ROLLCALL_TODAY;
    process.env.ROLLCALL_TODAY = "2026-03-03";
    try {
      const relayed = await rollcall("report", "benchmark", "--year", "2025/26", "--format", "csv", "--out", out);
      expect(relayed.code).toBe(0);
    } finally {
      if (before === undefined) delete process.env.ROLLCALL_TODAY;
      else process.env.ROLLCALL_TODAY = before;
    }
    expect(fs.readFileSync(out, "utf8")).toContain("2025/26 year to date (to 3 Mar 2026)");
  });

  it("takes a command whose --db is a symbolic link to the file (the same database by another path)", async () => {
    const link = path.join(dir, "link-to-school.duckdb");
    fs.rmSync(link, { force: true });
    fs.symlinkSync(db, link);
    try {
      const relayed = await cliOn(link)(...SUMMARY);
      expect(relayed).toEqual({ code: 0, stdout: direct, stderr: directErr });
    } finally {
      fs.rmSync(link, { force: true });
    }
  });

  it("keeps the command's exit status and messages for bad usage", async () => {
    const relayed = await rollcall("casework", "--as-of", "2026-03-04", "--rule", "no_such_rule");
    expect(relayed.code).toBe(2);
    expect(relayed.stderr).toContain("no_such_rule");
    expect(relayed.stderr).toContain("persistent_absence");
  });

  it("runs on the dashboard's own copy of analytics/: a governors' pack the dashboard made needs no plan worked out again (trial 47: 27-35 s)", async () => {
    // The server's first warm-up round over, so no page it prepares works out a plan meanwhile.
    await expect.poll(() => server!.log().includes("page views prepared"), { timeout: 120_000, interval: 200 }).toBe(true);
    // The chair reads the FGB pack of the spring term on the dashboard: its plans worked out and kept there.
    const page = await fetch(`${server!.url}/packs/fgb/html?term=spring-2026`, { headers: { Cookie: head.cookie } });
    expect(page.status).toBe(200);
    // A workbook of the same term, typed at the CLI: made afresh (no file kept), from the plans kept.
    const relayed = await rollcall("pack", "fgb", "--term", "spring-2026", "--format", "xlsx", "--out", path.join(dir, "fgb-spring.xlsx"));
    expect(relayed.stderr).toBe("");
    expect(relayed.stdout).toMatch(/\(figures \d+\.\d\d s, XLSX/);
    // The server logs what each relayed command cost it (scripts/server.js): with the tsx-loaded
    // second copy of analytics/ the command worked every governors' table out again.
    const costs = server!.log().match(/relayed rollcall pack: exit 0 in [\d.]+ s, \d+ governors' tables worked out/g) ?? [];
    expect(costs.at(-1)).toMatch(/, 0 governors' tables worked out$/);
  });

  it("writes the pack file the dashboard keeps, keeps one it makes for the dashboard, and makes it again after a change (trial 46: made afresh, 28 s)", async () => {
    const out = (name: string) => path.join(dir, name);
    // The head reads the SLT pack's document of March on the dashboard: made and kept there.
    const page = await fetch(`${server!.url}/packs/slt/html?month=2026-03`, { headers: { Cookie: head.cookie } });
    expect(page.status).toBe(200);
    const document = Buffer.from(await page.arrayBuffer());
    const html = await rollcall("pack", "slt", "--month", "2026-03", "--format", "html", "--out", out("slt-march.html"));
    expect(html.stderr).toBe("");
    expect(html.code).toBe(0);
    expect(html.stdout).toContain("the file the dashboard keeps for the register as it is now");
    expect(fs.readFileSync(out("slt-march.html")).equals(document)).toBe(true);
    // A workbook no one asked for yet is made (its figures worked out), then kept for the next.
    const first = await rollcall("pack", "slt", "--month", "2026-03", "--format", "xlsx", "--out", out("slt-1.xlsx"));
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/\(figures \d+\.\d\d s, XLSX \d+\.\d\d s\)/);
    const again = await rollcall("pack", "slt", "--month", "2026-03", "--format", "xlsx", "--out", out("slt-2.xlsx"));
    expect(again.stdout).toContain("the file the dashboard keeps");
    expect(fs.readFileSync(out("slt-2.xlsx")).equals(fs.readFileSync(out("slt-1.xlsx")))).toBe(true);
    // A settings change is a commit: no file made before it is written after it.
    expect((await rollcall("settings", "set", "am_register_closes", "09:25")).code).toBe(0);
    const after = await rollcall("pack", "slt", "--month", "2026-03", "--format", "xlsx", "--out", out("slt-3.xlsx"));
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/\(figures \d+\.\d\d s, XLSX/);
    // A PDF the command prints is printed on the dashboard's own browser, not a second Chromium:
    // the dashboard prints one (its browser stays open a minute), a change drops it, the CLI's is printed.
    const pdf = await fetch(`${server!.url}/packs/slt/pdf?month=2026-03`, { headers: { Cookie: head.cookie } });
    expect([pdf.status, pdf.headers.get("Content-Type")]).toEqual([200, "application/pdf"]);
    expect((await rollcall("settings", "set", "am_register_closes", "09:20")).code).toBe(0);
    const printed = await rollcall("pack", "slt", "--month", "2026-03", "--format", "pdf", "--out", out("slt-march.pdf"));
    expect(printed.stdout).toMatch(/\(figures \d+\.\d\d s, PDF/);
    expect(fs.readFileSync(out("slt-march.pdf")).subarray(0, 5).toString()).toBe("%PDF-");
    expect(browsersOf(server!.pid!)).toBe(1);
    // And a period with no pack is refused in buildPack's words, exit 1, nothing kept.
    const refused = await rollcall("pack", "slt", "--month", "2031-01", "--format", "html", "--out", out("slt-2031.html"));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^rollcall pack: /);
    expect(fs.existsSync(out("slt-2031.html"))).toBe(false);
  });

  it("imports through the server, in the audit trail as a command via the server, and the pages see it at once", async () => {
    // B's row of the pupils' CSV for the three days, read once before so the server holds it in memory.
    const pupilRowB = async () => {
      const response = await fetch(`${server!.url}/pupils.csv?period=custom&from=2026-03-02&to=2026-03-04`, { headers: { Cookie: head.cookie } });
      expect(response.status).toBe(200);
      return (await response.text()).split("\n").find((line) => line.includes("B123456789012")) ?? "";
    };
    const before = await pupilRowB();
    expect(before).not.toBe("");
    const imported = await rollcall("import", "--marks", amendment, "--user", "Nightly MIS job", "--reason", "Register corrected");
    expect(imported.stderr).toBe("");
    expect(imported.code).toBe(0);
    expect(JSON.parse((await rollcall(...SUMMARY)).stdout)).toMatchObject({ unauthorised_sessions: 4, present_sessions: 7 });
    // The page's figures moved with the relayed import: B now has 4 unauthorised sessions of 6, not 3.
    const after = await pupilRowB();
    expect(before).toContain(",50.0,3,6,"); // unauthorised: 3 of 6 sessions
    expect(after).toContain(",66.7,4,6,"); // 4 of 6 after the correction
    const audit = await fetch(`${server!.url}/audit.csv`, { headers: { Cookie: head.cookie } });
    expect(audit.status).toBe(200);
    const rows = (await audit.text()).split("\n").filter((line) => line.includes("Nightly MIS job"));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.includes("cli via server"))).toBe(true);
  });

  it("prints each stage of an import once (--progress), as it does on its own", async () => {
    const relayed = await rollcall("import", "--marks", amendment, "--progress", "--dry-run");
    expect(relayed.code).toBe(0);
    const stages = relayed.stderr.trim().split("\n");
    expect(stages[0]).toMatch(/^rollcall import: reading amendment\.csv \(0\.0 MB\)…$/);
    expect(stages.filter((line) => line.includes("reading amendment.csv"))).toHaveLength(1);
    expect(new Set(stages).size).toBe(stages.length);
    expect(stages).toContain("rollcall import: checking amendment.csv…");
  });

  it("adds an account with the password piped to the CLI, as it does on its own", async () => {
    // A child process with its standard input piped (not spawnSync: the test must keep serving the app's pipes).
    const run = (args: string[], input: string) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [path.resolve("bin/rollcall.js"), ...args, "--db", db], { env: { ...process.env, ROLLCALL_PASSWORD: "" } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => (stdout += chunk));
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.once("error", reject);
        child.once("close", (status) => resolve({ status, stdout, stderr }));
        child.stdin.end(input);
      });
    const added = await run(["users", "add", "--email", "piped@school.example", "--name", "Piped Password", "--role", "slt"], "a long piped passphrase\n");
    expect(added.stderr).toBe("");
    expect(added.status).toBe(0);
    expect(added.stdout).toContain("Added Piped Password <piped@school.example>");
    const listed = await run(["users", "list", "--json"], "");
    expect(JSON.parse(listed.stdout).map((u: { email: string }) => u.email)).toContain("piped@school.example");
  });

  it("says both ways of giving a password when nothing was piped, as it does on its own (reset-password </dev/null)", async () => {
    const child = spawn(process.execPath, [path.resolve("bin/rollcall.js"), "users", "reset-password", "--email", "piped@school.example", "--db", db], {
      env: { ...process.env, ROLLCALL_PASSWORD: "" },
      stdio: [fs.openSync("/dev/null", "r"), "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    const status = await new Promise<number | null>((resolve) => child.once("close", resolve));
    expect(status).toBe(2);
    expect(stderr).toContain("ROLLCALL_PASSWORD");
    expect(stderr).toContain("first line of standard input");
  });

  it("refuses a call without the token, changing nothing", async () => {
    const response = await fetch(`${server!.url}/_rollcall/cli`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: "Bearer not-the-token" },
      body: JSON.stringify({ argv: ["import", "--marks", marks, "--db", db] }),
    });
    expect(response.status).toBe(401);
    expect(JSON.parse((await rollcall(...SUMMARY)).stdout)).toMatchObject({ unauthorised_sessions: 4 });
  });

  it("works on its own again once the dashboard stops, with what was imported through it", async () => {
    await server!.stop();
    server = undefined;
    expect(fs.existsSync(serverFilePath(db))).toBe(false);
    const alone = await rollcall(...SUMMARY);
    expect(alone.code).toBe(0);
    expect(JSON.parse(alone.stdout)).toMatchObject({ unauthorised_sessions: 4, present_sessions: 7 });
  });

  it("says in one sentence what to do when another process holds the file and no server will take the command", async () => {
    // Another process holding the file: a DuckDB opened by a plain Node process, no server file.
    const holder: ChildProcess = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const { DuckDBInstance } = await import("@duckdb/node-api"); const i = await DuckDBInstance.create(${JSON.stringify(db)}); globalThis.held = [i, await i.connect()]; console.log("holding"); setInterval(() => {}, 1000);`,
      ],
      { cwd: path.resolve(import.meta.dirname, "../.."), stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on("data", (chunk) => String(chunk).includes("holding") && resolve());
        holder.once("exit", (code) => reject(new Error(`the holder exited (${code})`)));
      });
      const refused = await rollcall(...SUMMARY);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe("");
      expect(refused.stderr.trim().split("\n")).toHaveLength(1);
      expect(refused.stderr).toContain(`the database ${db} is open in another Rollcall process`);
      expect(refused.stderr).toContain("wait for it to finish or stop it, then run this again");
    } finally {
      holder.kill("SIGKILL");
    }
  });
});
