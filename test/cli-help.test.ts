/**
 * `rollcall COMMAND --help` (or -h): the command's usage on stdout, exit 0, nothing opened or
 * made. Every command's own option parsing had refused --help as an unknown option (exit 2).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../analytics/cli/index.ts";
import { cliContext } from "../analytics/cli/context.ts";
import { cliOn } from "./helpers/cli.ts";
import { tempDbPath } from "./helpers/db.ts";

const missing = tempDbPath("cli-help");
afterAll(() => fs.rmSync(path.dirname(missing), { recursive: true, force: true }));

const COMMANDS = ["import", "init", "summary", "demo", "pack", "report", "benchmarks", "users", "casework", "retention", "export", "compact", "settings", "pupils", "version"];

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await cliContext.run({ remote: false, env: {}, stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) }, () => main(argv));
  return { code, stdout: stdout.join(""), stderr: stderr.join("") };
}

describe("rollcall COMMAND --help", () => {
  it.each(COMMANDS)("%s --help and -h: its usage, exit 0, no database made", async (name) => {
    for (const flag of ["--help", "-h"]) {
      const said = await run([name, flag, "--db", missing]);
      expect(said).toMatchObject({ code: 0, stderr: "" });
      expect(said.stdout).toMatch(new RegExp(`^rollcall ${name}`));
    }
    expect(fs.existsSync(missing)).toBe(false);
  });

  it("rollcall help COMMAND: that command's usage alone", async () => {
    const said = await run(["help", "pupils"]);
    expect(said).toMatchObject({ code: 0, stderr: "" });
    expect(said.stdout).toMatch(/^rollcall pupils/);
    expect(said.stdout).not.toContain("rollcall import");
  });

  it("through bin/rollcall.js, as a person types it", async () => {
    const said = await cliOn(null)("import", "--help");
    expect(said).toMatchObject({ code: 0, stderr: "" });
    expect(said.stdout).toContain("rollcall import [--calendar FILE]");
  });
});
