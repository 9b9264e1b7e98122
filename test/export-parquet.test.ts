/**
 * `rollcall export parquet --out DIR` (issue 11): the register written as Parquet by the real
 * CLI in a child process, read back with DuckDB and compared with the small register it was
 * imported from (test/helpers/cli.ts: two pupils, three days of spring 2026), and the export
 * recorded in the audit trail.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeInstance, queryRows, withConnection } from "../analytics/db.ts";
import { cliOn, writeSmallRegister } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";

const db = tempDbPath("export-parquet");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-parquet-"));
const out = path.join(dir, "lake's copy"); // a quote in the path: COPY's literal must be escaped
const rollcall = cliOn(db);

beforeAll(async () => {
  const files = writeSmallRegister(dir);
  const imported = await rollcall("import", "--calendar", files.calendar, "--pupils", files.pupils, "--marks", files.marks, "--as-of", "2025-09-01");
  expect(imported.code, imported.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  await closeInstance(db);
  await removeDb(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Rows of a query over the Parquet files, in a DuckDB of its own (as another engine would read them). */
async function read(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    return (await conn.runAndReadAll(sql.replaceAll("$DIR", out.replace(/'/g, "''")))).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

describe("rollcall export parquet", () => {
  it("writes marks with UPNs, pupils, characteristics and the calendar, readable back as the register holds them", async () => {
    const { code, stdout, stderr } = await rollcall("export", "parquet", "--out", out);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`${path.join(out, "marks.parquet")}: 12 rows`);
    expect(fs.readdirSync(out).sort()).toEqual(["calendar.parquet", "marks.parquet", "pupil_characteristics.parquet", "pupils.parquet", "school_days.parquet"]);

    const marks = await read(`SELECT upn, strftime(date, '%Y-%m-%d') AS date, session, code FROM '$DIR/marks.parquet' ORDER BY upn, date, session`);
    expect(marks.map((m) => `${m.upn} ${m.date} ${m.session} ${m.code}`)).toEqual([
      "A123456789012 2026-03-02 AM /", "A123456789012 2026-03-02 PM \\", "A123456789012 2026-03-03 AM /",
      "A123456789012 2026-03-03 PM \\", "A123456789012 2026-03-04 AM /", "A123456789012 2026-03-04 PM I",
      "B123456789012 2026-03-02 AM G", "B123456789012 2026-03-02 PM G", "B123456789012 2026-03-03 AM O",
      "B123456789012 2026-03-03 PM \\", "B123456789012 2026-03-04 AM /", "B123456789012 2026-03-04 PM \\",
    ]);
    // A measure over the files alone: B's unauthorised absence, 3 of 6 sessions (G, G, O).
    expect(await read(`SELECT upn, count(*) FILTER (WHERE code IN ('G', 'N', 'O', 'U'))::INTEGER AS unauthorised, count(*)::INTEGER AS sessions FROM '$DIR/marks.parquet' GROUP BY upn ORDER BY upn`)).toEqual([
      { upn: "A123456789012", unauthorised: 0, sessions: 6 },
      { upn: "B123456789012", unauthorised: 3, sessions: 6 },
    ]);
    expect(await read(`SELECT upn, forename, surname, strftime(dob, '%Y-%m-%d') AS dob FROM '$DIR/pupils.parquet' ORDER BY upn`)).toEqual([
      { upn: "A123456789012", forename: "Ada", surname: "Lovelace", dob: "2016-04-01" },
      { upn: "B123456789012", forename: "Ben", surname: "Jonson", dob: "2016-06-01" },
    ]);
    expect(await read(`SELECT upn, fsm, sen, reg_group FROM '$DIR/pupil_characteristics.parquet' ORDER BY upn`)).toEqual([
      { upn: "A123456789012", fsm: "Y", sen: "N", reg_group: "4A" },
      { upn: "B123456789012", fsm: "N", sen: "K", reg_group: "4B" },
    ]);
    expect(await read(`SELECT kind, name, strftime(start_date, '%Y-%m-%d') AS start_date, strftime(end_date, '%Y-%m-%d') AS end_date FROM '$DIR/calendar.parquet'`)).toEqual([
      { kind: "half_term", name: "spring-2-2026", start_date: "2026-02-23", end_date: "2026-03-27" },
    ]);
    expect(await read(`SELECT count(*)::INTEGER AS n FROM '$DIR/school_days.parquet'`)).toEqual([{ n: 25 }]);

    const audit = await withConnection(db, (c) => queryRows<{ action: string; target: string; detail: string }>(c, "SELECT action, target, detail FROM audit_log WHERE action = 'export' ORDER BY id"));
    expect(audit).toEqual([
      { action: "export", target: out, detail: "Parquet: marks 12, pupils 2, pupil_characteristics 2, calendar 1, school_days 25" },
    ]);
  }, 120_000);

  it("refuses an export without a format or a folder, writing nothing", async () => {
    const none = await rollcall("export", "--out", path.join(dir, "none"));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("give the format: parquet");
    const noOut = await rollcall("export", "parquet");
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("give --out DIR");
    expect(fs.existsSync(path.join(dir, "none"))).toBe(false);
  }, 60_000);
});
