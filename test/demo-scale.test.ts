/**
 * The demo generator at scale (issue 11, item 1): `--pupils N --years Y --schools S` build
 * registers of a chosen size, deterministically, for the benchmark.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { queryRows, withConnection, closeAllInstances } from "../analytics/db.ts";
import { generateDemoSchool, upnCheckLetter } from "../analytics/demo/index.ts";
import { cliOn } from "./helpers/cli.ts";

const TODAY = "2026-11-23";
const rows = (csv: string) => csv.trim().split("\n").slice(1).map((l) => l.split(","));

describe("demo generator at scale", () => {
  it("builds about the pupils asked for, in classes of about 30, over the years asked for", () => {
    const files = generateDemoSchool({ today: TODAY, pupils: 960, years: 2 });
    expect(files.pupilSnapshots.map((s) => s.asOf)).toEqual(["2025-09-01", "2026-09-01"]);
    expect(files.marksCsvByYear.map((m) => m.academicYear)).toEqual(["2025/26", "2026/27"]);
    expect(files.calendarCsv).toContain("2025-09");
    expect(files.calendarCsv).not.toContain("2024-09");
    const current = rows(files.pupilSnapshots[1].csv);
    // 240 a year group (±2), joiners and leavers aside.
    expect(current.length).toBeGreaterThan(940);
    expect(current.length).toBeLessThan(990);
    const classes = new Map<string, number>();
    for (const r of current) classes.set(r[6], (classes.get(r[6]) ?? 0) + 1);
    expect(classes.size).toBe(4 * 8);
    for (const [, n] of classes) expect(n).toBeGreaterThanOrEqual(24);
    for (const [, n] of classes) expect(n).toBeLessThanOrEqual(36);
    const upns = current.map((r) => r[0]);
    expect(new Set(upns).size).toBe(upns.length);
    for (const upn of upns) expect(upn[0]).toBe(upnCheckLetter(upn.slice(1)));
    // Every pupil on roll has marks in the current year.
    const marked = new Set(rows(files.marksCsvByYear[1].csv).map((r) => r[0]));
    expect(current.filter((r) => r[8] === "" && r[7] <= "2026-11-16").every((r) => marked.has(r[0]))).toBe(true);
  });

  it("is deterministic, and one year alone still has its named cases", () => {
    const a = generateDemoSchool({ today: TODAY, pupils: 400, years: 1 });
    const b = generateDemoSchool({ today: TODAY, pupils: 400, years: 1 });
    expect(a).toEqual(b);
    expect(a.marksCsvByYear).toHaveLength(1);
    const codes = new Set(rows(a.marksCsvByYear[0].csv).map((r) => r[3]));
    // The part-time timetable (C2) and runs of O come from the named cases.
    expect(codes.has("C2")).toBe(true);
    expect(codes.has("O")).toBe(true);
    expect(() => generateDemoSchool({ today: TODAY, years: 0 })).toThrow(/years must be/);
    expect(() => generateDemoSchool({ today: TODAY, pupils: 10 })).toThrow(/pupils must be/);
  });

  it("rollcall demo --schools 2 writes one database per school, each its own school", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-demo-scale-"));
    try {
      const db = path.join(dir, "trust.duckdb");
      const result = await cliOn(db)("demo", "--today", TODAY, "--pupils", "80", "--years", "1", "--schools", "2");
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(fs.existsSync(db)).toBe(false);
      const summaries = [];
      for (const k of [1, 2]) {
        const file = path.join(dir, `trust-school-${k}.duckdb`);
        expect(result.stdout).toContain(`Demo school written to ${file}`);
        summaries.push(
          await withConnection(file, async (c) => {
            const [row] = await queryRows<{ name: string; pupils: number; upns: string }>(
              c,
              `SELECT (SELECT value FROM settings WHERE key = 'school_name') AS name, count(*)::INTEGER AS pupils,
                      string_agg(upn, ',' ORDER BY upn) AS upns FROM pupils`,
            );
            return row;
          }),
        );
      }
      expect(summaries.map((s) => s.name)).toEqual(["Demo Junior School 1 of 2", "Demo Junior School 2 of 2"]);
      for (const s of summaries) expect(s.pupils).toBeGreaterThan(70);
      expect(summaries[0].upns).not.toBe(summaries[1].upns);
      expect((await cliOn(path.join(dir, "x.duckdb"))("demo", "--schools", "0")).code).toBe(2);
    } finally {
      await closeAllInstances();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
