/**
 * `rollcall demo` replaces its database file whole, so it must never do so under the running
 * dashboard (a fresh-clone trial ran it while the server was up: the server went on writing to
 * the deleted file, and its imports, amendments and audit trail were lost on stop), nor over a
 * school's own register unless told to (--replace).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { closeAllInstances, queryOne, withConnection } from "../analytics/db.ts";
import { main } from "../analytics/cli/index.ts";
import { cliContext } from "../analytics/cli/context.ts";
import { cliOn } from "./helpers/cli.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-demo-replace-"));
afterAll(async () => {
  await closeAllInstances();
  fs.rmSync(dir, { recursive: true, force: true });
});
const SMALL = ["--today", "2026-11-23", "--pupils", "40", "--years", "1"];

async function schoolName(file: string): Promise<string | undefined> {
  const row = await withConnection(file, (c) => queryOne<{ v: string }>(c, "SELECT value AS v FROM settings WHERE key = 'school_name'"));
  await closeAllInstances();
  return row?.v;
}

describe("rollcall demo never replaces a file it must not", () => {
  it("refuses a school's own register (exit 1, no usage text, the file as it was); --replace replaces it", async () => {
    const file = path.join(dir, "school.duckdb");
    const rollcall = cliOn(file);
    expect((await rollcall("init", "--school", "Ludlow Primary")).code).toBe(0);
    const before = fs.readFileSync(file);
    const refused = await rollcall("demo", ...SMALL);
    expect(refused.code).toBe(1);
    expect(refused.stderr).not.toContain("Builds the demo junior school");
    expect(refused.stderr).toContain(`${file} holds a school's own register, not the demo school: rollcall demo would replace the whole file. Give --db another file, or --replace to replace it`);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(await schoolName(file)).toBe("Ludlow Primary");
    const replaced = await rollcall("demo", ...SMALL, "--replace");
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(await schoolName(file)).toBe("Ludlow Junior School (demo)");
    // A demo file is the demo's to rebuild: no --replace needed.
    expect((await rollcall("demo", ...SMALL)).code).toBe(0);
  }, 120_000);

  it("replaces a file holding nothing of a school's, as a build stopped part-way leaves it, without --replace (trial 53)", async () => {
    // Its tables made and its one transaction rolled back: no pupil, import, account or setting.
    const file = path.join(dir, "stopped.duckdb");
    await withConnection(file, async () => {});
    await closeAllInstances();
    const rebuilt = await cliOn(file)("demo", ...SMALL);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(await schoolName(file)).toBe("Ludlow Junior School (demo)");
  }, 120_000);

  it("refuses another program's DuckDB file, and a file whose only row is in the audit trail (review 53)", async () => {
    const analysis = path.join(dir, "analysis.duckdb");
    const instance = await DuckDBInstance.create(analysis);
    const c = await instance.connect();
    await c.run("CREATE TABLE my_sales AS SELECT range AS id FROM range(1000)");
    c.closeSync();
    instance.closeSync();
    const refused = await cliOn(analysis)("demo", ...SMALL);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${analysis} is another program's DuckDB database (it holds my_sales), not a school's register: rollcall demo would replace the whole file. Give --db another file, or --replace to replace it`);
    // Read without Rollcall, which refuses the file: its one table, nothing added.
    const raw = await DuckDBInstance.create(analysis);
    const rc = await raw.connect();
    expect((await rc.runAndReadAll("SELECT count(*)::INTEGER AS n FROM my_sales")).getRowObjects()[0].n).toBe(1000);
    expect((await rc.runAndReadAll("SELECT count(*)::INTEGER AS n FROM duckdb_tables()")).getRowObjects()[0].n).toBe(1);
    rc.closeSync();
    raw.closeSync();
    // Told to, it replaces it.
    const replaced = await cliOn(analysis)("demo", ...SMALL, "--replace");
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(await schoolName(analysis)).toBe("Ludlow Junior School (demo)");

    const audited = path.join(dir, "audited.duckdb");
    await withConnection(audited, (conn) =>
      conn.run("INSERT INTO audit_log (occurred_at, actor, actor_name, role, action, target, detail, ip) VALUES (now()::TIMESTAMP, 'x', 'X', 'head', 'export', 'pupils', '', '')"),
    );
    await closeAllInstances();
    expect((await cliOn(audited)("demo", ...SMALL)).code).toBe(1);
  }, 120_000);

  it("refuses a file another process holds open, leaving it as it was", async () => {
    const file = path.join(dir, "held.duckdb");
    expect((await cliOn(file)("demo", ...SMALL)).code).toBe(0);
    // Another process holding the file, as the dashboard's server does (resolved from the repository).
    const hold = `
      import { DuckDBInstance } from "@duckdb/node-api";
      const instance = await DuckDBInstance.create(process.argv[1]);
      const c = await instance.connect();
      await c.run("UPDATE key_values SET value = 'Held open' WHERE scope = 'settings' AND key = 'school_name'");
      await c.run("CHECKPOINT");
      console.log("holding");
      // Kept reachable: a module's top-level consts no closure reads are not kept alive, and a
      // collected instance closes its file and lets the lock go (this test then failed under load).
      globalThis.held = { instance, c };
      setInterval(() => {}, 1000);`;
    const holder = spawn(process.execPath, ["--input-type=module", "-e", hold, file], { cwd: process.cwd() });
    holder.stderr.on("data", (d) => process.stderr.write(d));
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on("data", (d) => String(d).includes("holding") && resolve());
        holder.on("exit", (code) => reject(new Error(`holder exited ${code}`)));
      });
      const refused = await cliOn(file)("demo", ...SMALL);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/rollcall demo: .*(open|lock)/);
      expect(fs.existsSync(file)).toBe(true);
    } finally {
      holder.kill();
      await new Promise((r) => holder.once("exit", r));
    }
    expect(await schoolName(file)).toBe("Held open");
  }, 120_000);

  it("refuses inside the dashboard's server (relayed there by a CLI that found the file locked)", async () => {
    const file = path.join(dir, "served.duckdb");
    expect((await cliOn(file)("demo", ...SMALL)).code).toBe(0);
    const modified = fs.statSync(file).mtimeMs;
    const err: string[] = [];
    const code = await cliContext.run({ remote: true, env: {}, stdout: () => {}, stderr: (t) => err.push(t) }, () => main(["demo", "--db", file, ...SMALL], { keepOpen: true }));
    expect(code).toBe(1);
    expect(err.join("")).toContain("the database is open in the dashboard's server: stop the server, then run rollcall demo again (it replaces the whole file)");
    expect(fs.statSync(file).mtimeMs).toBe(modified);
  }, 120_000);
});
