/**
 * `rollcall demo --files DIR`: the demo school's register files, in the formats a school's own
 * come in, so a new user can try an import without writing one (a fresh-clone trial had to).
 * Imported, they give the register the demo database holds.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { queryOne, withConnection, closeAllInstances } from "../analytics/db.ts";
import { cliOn, initSchool } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("demo-files");
const dir = path.join(path.dirname(db), "demo-files");
const rollcall = cliOn(db);
/** Without --db: `demo --files` writes files, not a database. */
const rollcallNoDb = cliOn(null);
afterAll(() => {
  removeDb(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("rollcall demo --files", () => {
  it("writes the calendar, a pupils file and a marks file per year, which import as they are", async () => {
    const written = await rollcallNoDb("demo", "--files", dir, "--today", "2026-11-23", "--pupils", "40", "--years", "1");
    expect(written.code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(["calendar.csv", "marks-2026-27.csv", "pupils-2026-09-01.csv"]);
    expect(written.stdout).toContain(`Demo register files written to ${dir}`);
    // It says how to import them: the command below, as printed.
    expect(written.stdout).toContain(`make it, then import oldest year first:\n  npx rollcall init --school "Demo register files" --db school.duckdb\n`);
    expect(written.stdout).toContain(`  npx rollcall import --db school.duckdb --calendar ${path.join(dir, "calendar.csv")} --pupils ${path.join(dir, "pupils-2026-09-01.csv")} --marks ${path.join(dir, "marks-2026-27.csv")} --as-of 2026-09-01`);
    const marks = fs.readFileSync(path.join(dir, "marks-2026-27.csv"), "utf8").trim().split("\n");
    expect(marks[0]).toBe("upn,date,session,code,minutes_late");
    await initSchool(db);
    const imported = await rollcall("import", "--calendar", path.join(dir, "calendar.csv"), "--pupils", path.join(dir, "pupils-2026-09-01.csv"), "--marks", path.join(dir, "marks-2026-27.csv"), "--as-of", "2026-09-01");
    expect(imported.code, imported.stderr).toBe(0);
    const stored = await withConnection(db, (c) => queryOne<{ n: number }>(c, "SELECT count(*)::INTEGER AS n FROM marks"));
    await closeAllInstances();
    expect(stored!.n).toBe(marks.length - 1);
  });

  it("refuses --files with --db or --schools (usage, exit 2)", async () => {
    const both = await rollcallNoDb("demo", "--files", dir, "--schools", "2");
    expect((await rollcall("demo", "--files", dir)).code).toBe(2);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--files writes one school's register files/);
  });
});
