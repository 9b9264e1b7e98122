/**
 * A school's first day with its own data (issue 10, items 6, 7 and 13; preview): `rollcall
 * init` makes an empty school, never the demo; the setup steps and calendar coverage the
 * pages read; a refused benchmark file on a new database writes nothing; a dry run changes
 * nothing; and a page asked for while another process holds the file answers 503, not 500.
 */
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { closeInstance, inTransaction, queryRows, withConnection } from "../analytics/db.ts";
import { importBenchmarkFile } from "../analytics/benchmarks/load.ts";
import { importCalendar, importFiles, importPupils } from "../analytics/import/index.ts";
import { calendarCoverage, schoolSetup } from "../analytics/school-setup.ts";
import { getSettings } from "../analytics/settings.ts";
import { withDb } from "../app/lib/db.server.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, fingerprint, marksCsv, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

const exec = promisify(execFile);
const BIN = path.resolve("bin/rollcall.js");
async function rollcall(...args: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let db: string;
beforeEach(() => {
  db = tempDbPath("setup");
});
afterEach(async () => {
  await removeDb(db);
});

const CALENDAR = "kind,name,start_date,end_date\nhalf_term,autumn-1,2024-09-02,2024-10-25\n";

describe("rollcall init (item 6)", () => {
  it("makes an empty school with its name and URN, and refuses to touch an existing file", async () => {
    const made = await rollcall("init", "--school", "St Mary's C of E Primary", "--urn", "123456", "--db", db);
    expect(made.code).toBe(0);
    expect(made.stdout).toContain('Empty school "St Mary\'s C of E Primary" created');
    await withConnection(db, async (conn) => {
      expect((await getSettings(conn)).school_name).toBe("St Mary's C of E Primary");
      expect(await queryRows(conn, "SELECT value FROM meta WHERE key = 'urn'")).toEqual([{ value: "123456" }]);
      expect(await queryRows(conn, "SELECT (SELECT count(*) FROM pupils)::INTEGER AS pupils, (SELECT count(*) FROM marks)::INTEGER AS marks")).toEqual([{ pupils: 0, marks: 0 }]);
      expect(await schoolSetup(conn)).toEqual({ halfTerms: 0, pupils: 0, marks: 0, nextStep: "calendar" });
    });
    await closeInstance(db);
    const again = await rollcall("init", "--school", "Other", "--db", db);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists");
    const badUrn = await rollcall("init", "--school", "X", "--urn", "12", "--db", `${db}.2`);
    expect(badUrn.code).toBe(2);
    expect(badUrn.stderr).toContain("--urn must be six digits");
  });

  it("walks the setup steps in order: calendar, pupils, marks", async () => {
    const step = () => withConnection(db, schoolSetup);
    expect((await step()).nextStep).toBe("calendar");
    await withConnection(db, (c) => inTransaction(c, () => importCalendar(c, { file: "c.csv", text: CALENDAR, by: BY })));
    expect((await step()).nextStep).toBe("pupils");
    await withConnection(db, (c) => inTransaction(c, () => importPupils(c, { file: "p.csv", text: pupilsCsv([pupil(1)]), by: BY, asOf: "2024-09-02" })));
    expect((await step()).nextStep).toBe("marks");
  });
});

describe("calendar coverage (item 7)", () => {
  it("says a period without a calendar cannot be checked for gaps, naming the years", async () => {
    const period = { from: "2024-09-02", to: "2025-01-10" };
    expect(await withConnection(db, (c) => calendarCoverage(c, period))).toEqual({ schoolDays: 0, covered: false, missingYears: ["2024/25"] });
    await withConnection(db, (c) => inTransaction(c, () => importCalendar(c, { file: "c.csv", text: CALENDAR, by: BY })));
    // autumn-1 2024: 2 Sep – 25 Oct, 8 weeks of 5 days.
    expect(await withConnection(db, (c) => calendarCoverage(c, period))).toEqual({ schoolDays: 40, covered: true, missingYears: [] });
    expect((await withConnection(db, (c) => calendarCoverage(c, { from: "2024-09-02", to: "2025-09-10" }))).missingYears).toEqual(["2025/26"]);
  });
});

describe("refused means unchanged (item 13)", () => {
  it("a refused benchmark file on a new database writes no shipped figures and no import row", async () => {
    const bad = "time_period,geographic_level,country_code,country_name,school_type,overall_absence_perc\n2024,National,E92000001,England,Primary,x\n";
    await expect(withConnection(db, (c) => importBenchmarkFile(c, { file: "bad.csv", text: bad, by: { name: "t", role: "t" } }))).rejects.toMatchObject({ line: 2 });
    const counts = await withConnection(db, (c) =>
      queryRows(c, "SELECT (SELECT count(*) FROM benchmark_figures)::INTEGER AS figures, (SELECT count(*) FROM benchmark_imports)::INTEGER AS imports"),
    );
    expect(counts).toEqual([{ figures: 0, imports: 0 }]);
  });

  it("a page asked for while another process holds the database answers 503 with a sentence, not a bare 500", async () => {
    await withConnection(db, async () => undefined);
    await closeInstance(db);
    // Another process holds the file, as a CLI import running on its own does.
    const holder = spawn(
      process.execPath,
      ["--input-type=module", "-e", `import { DuckDBInstance } from "@duckdb/node-api"; globalThis.held = await DuckDBInstance.create(${JSON.stringify(db)}); console.log("held"); setInterval(() => {}, 1000);`],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on("data", (chunk: Buffer) => (chunk.toString().includes("held") ? resolve() : undefined));
        holder.once("exit", (code) => reject(new Error(`holder exited ${code}`)));
      });
      const saved = process.env.ROLLCALL_DB;
      process.env.ROLLCALL_DB = db;
      try {
        const thrown = await withDb(async () => "opened").then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(thrown).toBeInstanceOf(Response);
        const response = thrown as Response;
        expect(response.status).toBe(503);
        expect(await response.text()).toBe("The database is busy with an import. Try again in a moment: nothing has been lost.");
      } finally {
        if (saved === undefined) delete process.env.ROLLCALL_DB;
        else process.env.ROLLCALL_DB = saved;
      }
    } finally {
      holder.kill("SIGTERM");
    }
  });
});

describe("preview before commit", () => {
  it("a dry run reports new and changed pupils and amended marks with codes before and after, and changes nothing", async () => {
    const dir = path.dirname(db);
    const write = (name: string, text: string) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return file;
    };
    const calendar = write("calendar.csv", CALENDAR);
    const pupils = write("pupils.csv", pupilsCsv([pupil(1, { admission_date: "2024-09-02" }), pupil(2, { admission_date: "2024-09-02" })]));
    const marks = write("marks.csv", marksCsv([[upn(1), "2024-09-03", "AM", "/"], [upn(1), "2024-09-03", "PM", "N"], [upn(2), "2024-09-03", "AM", "/"]]));
    await importFiles(db, { calendar, pupils, marks }, { by: BY, asOf: "2024-09-02" });
    const before = await withConnection(db, fingerprint);

    const changedPupils = write("pupils2.csv", pupilsCsv([pupil(1, { admission_date: "2024-09-02", surname: "Jones", year_group: "4", reg_group: "4A", fsm: "Y", leaving_date: "2025-07-18" }), pupil(2, { admission_date: "2024-09-02" }), pupil(3, { admission_date: "2024-09-02" })]));
    const changedMarks = write("marks2.csv", marksCsv([[upn(1), "2024-09-03", "AM", "/"], [upn(1), "2024-09-03", "PM", "I"], [upn(3), "2024-09-03", "AM", "L"]]));
    const stages: string[] = [];
    const preview = await importFiles(db, { pupils: changedPupils, marks: changedMarks }, { by: BY, asOf: "2024-09-02", dryRun: true, onProgress: (m) => stages.push(m) });
    expect(preview).toEqual([
      {
        kind: "pupils", file: "pupils2.csv", rowsRead: 3, inserted: 1, amended: 1, unchanged: 1, importId: null,
        changedPupils: [
          // What changed, detail by detail (a fresh-clone trial read only "Changed" for a renamed pupil).
          {
            upn: upn(1), name: "Forename1 Jones", change: "changed",
            changes: [
              { field: "Surname", before: "Surname1", after: "Jones" },
              { field: "Year group", before: "Year 3", after: "Year 4" },
              { field: "Class", before: "3B", after: "4A" },
              { field: "Leaving date", before: "none", after: "18 Jul 2025" },
              { field: "FSM", before: "Not eligible for FSM", after: "Eligible for FSM" },
            ],
          },
          { upn: upn(3), name: "Forename3 Surname3", change: "new" },
        ],
        appliesFrom: { date: "2024-09-02", source: "the date given with the file" },
      },
      {
        kind: "marks", file: "marks2.csv", rowsRead: 3, inserted: 1, amended: 1, unchanged: 1, importId: null, firstDate: "2024-09-03", lastDate: "2024-09-03",
        amendedMarks: [{ upn: upn(1), name: "Jones, Forename1", date: "2024-09-03", session: "PM", before: "N", after: "I", beforeCode: "N", afterCode: "I" }],
        // The packs the amendment would reach, before it is made (trial 50b): the calendar's autumn 2024.
        notes: [
          // Pupil 3's new mark of 3 Sep, a month over, reaches the same packs (trial 54).
          "If imported: 1 mark amended, on Tue 3 Sep 2024, and 1 new mark dated in a period already ended, on Tue 3 Sep 2024: the figures of these packs may have changed since a copy was made — " +
            "the SLT packs for September 2024 (new and amended marks) and October 2024 (new and amended marks), the governors' pack for Autumn 2024 (new and amended marks).",
        ],
      },
    ]);
    expect(stages).toEqual(["reading pupils2.csv (0.0 MB)", "reading marks2.csv (0.0 MB)", "checking pupils2.csv", "checking marks2.csv"]);
    expect(await withConnection(db, fingerprint)).toEqual(before);

    await closeInstance(db);
    const cli = await rollcall("import", "--pupils", changedPupils, "--marks", changedMarks, "--as-of", "2024-09-02", "--dry-run", "--db", db);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain("Dry run: nothing was imported.");
    expect(cli.stdout).toContain(`  amend ${upn(1)} (Jones, Forename1) 2024-09-03 PM: N -> I`);
    expect(cli.stdout).toContain(`  new pupil ${upn(3)} Forename3 Surname3`);
    // From when the changed details apply (a fresh-clone trial: the preview did not say).
    expect(cli.stdout).toContain(
      "  Changed details apply from 2 Sep 2024 (the date given with the file): a pupil already on the roll changes from then, never before; a new pupil's details start at their admission\n",
    );
    expect(cli.stdout).toContain(
      `  changed pupil ${upn(1)} Forename1 Jones: Surname: Surname1 → Jones; Year group: Year 3 → Year 4; Class: 3B → 4A; Leaving date: none → 18 Jul 2025; FSM: Not eligible for FSM → Eligible for FSM\n`,
    );
  });
});
