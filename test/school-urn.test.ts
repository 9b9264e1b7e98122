/**
 * One school per database file (issue 11, item 6: `rollcall import --school URN`): the real
 * CLI records the school with the first import that names it, refuses another school's files
 * changing nothing, records nothing for a refused or dry-run import, and the Parquet export
 * names the school it recorded.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closeInstance, withConnection } from "../analytics/db.ts";
import { cliOn, fileWriter, initSchool, writeSmallRegister } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

let db: string;
let rollcall: ReturnType<typeof cliOn>;
let files: ReturnType<typeof writeSmallRegister>;
let correction: string;
const SUMMARY = ["summary", "--from", "2026-03-02", "--to", "2026-03-04", "--json"];
const unauthorised = async () => JSON.parse((await rollcall(...SUMMARY)).stdout).unauthorised_sessions as number;

beforeEach(() => {
  db = tempDbPath("school-urn");
  rollcall = cliOn(db);
  files = writeSmallRegister(path.dirname(db));
  // B's Wednesday morning: present in the register, an unauthorised absence in this file.
  correction = fileWriter(path.dirname(db))("correction.csv", ["upn,date,session,code", "B123456789012,2026-03-04,AM,O"]);
});
afterEach(() => removeDb(db));

const importAll = (...extra: string[]) =>
  rollcall("import", "--calendar", files.calendar, "--pupils", files.pupils, "--marks", files.marks, "--as-of", "2025-09-01", ...extra);

describe("rollcall import --school", () => {
  // An empty school made as a school makes one (rollcall init); a demo (below) makes its own file.
  beforeEach(() => initSchool(db));

  it("records the school with the first import that names it, and the export names it", async () => {
    const first = await importAll("--school", "123456");
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("this database now holds the school with URN 123456");
    // The same school again: imported, nothing more said.
    const again = await rollcall("import", "--marks", correction, "--school", "123456");
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain("now holds");
    expect(await unauthorised()).toBe(4);
    const lake = path.join(path.dirname(db), "lake");
    expect((await rollcall("export", "parquet", "--out", lake)).code).toBe(0);
    expect(fs.readdirSync(path.join(lake, "pupils"))).toEqual(["school=123456"]);
  });

  it("refuses another school's files and changes nothing", async () => {
    expect((await importAll("--school", "123456")).code).toBe(0);
    expect(await unauthorised()).toBe(3);
    const other = await rollcall("import", "--marks", correction, "--school", "654321");
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("URN 123456");
    expect(other.stderr).toContain("--school 654321 names another school");
    expect(other.stderr).toContain("nothing was imported");
    expect(await unauthorised()).toBe(3);
  });

  it("records nothing when the import is refused or only a dry run", async () => {
    const bad = fileWriter(path.dirname(db))("bad.csv", ["upn,date,session,code", "B123456789012,2026-03-04,AM,ZZ"]);
    expect((await importAll()).code).toBe(0);
    expect((await rollcall("import", "--marks", bad, "--school", "111111")).code).toBe(1);
    expect((await rollcall("import", "--marks", correction, "--school", "222222", "--dry-run")).code).toBe(0);
    // Neither recorded its URN: a third school may still claim the file, and its import lands.
    const third = await rollcall("import", "--marks", correction, "--school", "333333");
    expect(third.code).toBe(0);
    expect(third.stdout).toContain("URN 333333");
    expect(await unauthorised()).toBe(4);
  });

  it("says what a URN is when given something else", async () => {
    const result = await rollcall("import", "--marks", correction, "--school", "12345");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--school must be a URN, six digits");
  });
});

describe("rollcall export parquet names the database's own school (fresh-clone trial, session 17)", () => {
  const lakeOf = () => path.join(path.dirname(db), "lake");
  const schoolsIn = (lake: string) => (fs.existsSync(path.join(lake, "pupils")) ? fs.readdirSync(path.join(lake, "pupils")) : []);

  it("exports the demo school without --school, under its recorded URN 900000, and a demo built before it recorded one too", async () => {
    expect((await rollcall("demo", "--today", "2026-03-06", "--pupils", "40", "--years", "1")).code).toBe(0);
    const exported = await rollcall("export", "parquet", "--out", lakeOf());
    expect(exported.stderr).toBe("");
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain("School 900000:");
    expect(schoolsIn(lakeOf())).toEqual(["school=900000"]);
    // A demo file built before the demo recorded its URN: the demo's all the same.
    await withConnection(db, (c) => c.run("DELETE FROM key_values WHERE scope = 'meta' AND key = 'urn'"));
    await closeInstance(db);
    fs.rmSync(lakeOf(), { recursive: true });
    expect((await rollcall("export", "parquet", "--out", lakeOf())).code).toBe(0);
    expect(schoolsIn(lakeOf())).toEqual(["school=900000"]);
  });

  it("refuses --school naming another school than the one recorded, and writes nothing", async () => {
    await initSchool(db);
    expect((await importAll("--school", "123456")).code).toBe(0);
    const other = await rollcall("export", "parquet", "--out", lakeOf(), "--school", "654321");
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("URN 123456, and --school 654321 names another school, so nothing was exported");
    expect(schoolsIn(lakeOf())).toEqual([]);
    expect((await rollcall("export", "parquet", "--out", lakeOf(), "--school", "123456")).code).toBe(0);
    expect(schoolsIn(lakeOf())).toEqual(["school=123456"]);
  });
});
