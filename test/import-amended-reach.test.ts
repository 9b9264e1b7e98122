/**
 * What an import's amended marks reach, as the Import page says it after "Import these files"
 * (analytics/import/amended-periods.ts): how many, the earliest date, and the packs offered
 * today whose figures read an amended date (their own period or the year to date before it; the
 * governors' also the year before). Real DuckDB, a register built by the real importer:
 * autumn 1 runs Tue 1 Sep – Fri 23 Oct 2026, autumn 2 from Mon 2 Nov to Fri 18 Dec; today is
 * Fri 27 Nov 2026. Offered then: the SLT pack for September, October and November (to 27 Nov);
 * the governors' pack for Autumn 2026 to the end of Autumn 1 (1 Sep – 23 Oct).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeInstance, withConnection } from "../analytics/db.ts";
import { initSchool } from "../analytics/cli/commands/init.ts";
import { importFiles } from "../analytics/import/index.ts";
import { amendedReach, amendedReachWords } from "../analytics/import/amended-periods.ts";
import { cliOn } from "./helpers/cli.ts";
import { packReachedBy } from "../analytics/packs/periods.ts";
import { BY, marksCsv, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

const TODAY = "2026-11-27";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-amended-reach-"));
const db = path.join(dir, "school.duckdb");
const file = (name: string, text: string) => {
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};
/** Imports one marks file and returns its import's id (null when it changed nothing). */
const importMarks = async (name: string, rows: string[][]) =>
  (await importFiles(db, { marks: file(name, marksCsv(rows)) }, { by: BY, asOf: TODAY })).find((s) => s.kind === "marks")!.importId;

// The preview and the command line judge the packs offered today (currentDate), as the Import page does.
const todayBefore = process.env.ROLLCALL_TODAY;
beforeAll(async () => {
  process.env.ROLLCALL_TODAY = TODAY;
  await initSchool(db, { school: "Brook Lane Primary", urn: "123456" });
  const calendar = file("calendar.csv", "kind,name,start_date,end_date\nhalf_term,autumn-1,2026-09-01,2026-10-23\nhalf_term,autumn-2,2026-11-02,2026-12-18\n");
  // Present on four days: Tue 8 Sep, Mon 5 Oct, Mon 2 Nov, Mon 23 Nov.
  const days = ["2026-09-08", "2026-10-05", "2026-11-02", "2026-11-23"];
  const marks = file("marks.csv", marksCsv(days.flatMap((d) => [[upn(1), d, "AM", "/"], [upn(1), d, "PM", "\\"]])));
  await importFiles(db, { calendar, pupils: file("pupils.csv", pupilsCsv([pupil(1)])), marks }, { by: BY, asOf: TODAY });
});
afterAll(async () => {
  if (todayBefore === undefined) delete process.env.ROLLCALL_TODAY;
  else process.env.ROLLCALL_TODAY = todayBefore;
  await closeInstance(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the reach of an import's amended marks", () => {
  it("counts them, gives the earliest date, and names each pack offered whose period holds one", async () => {
    // Two marks of October and one of 23 Nov amended; one new mark (Tue 24 Nov) is not an amendment.
    const id = await importMarks("amend.csv", [
      [upn(1), "2026-11-23", "AM", "I"],
      [upn(1), "2026-10-05", "AM", "M"],
      [upn(1), "2026-10-05", "PM", "M"],
      [upn(1), "2026-11-24", "AM", "/"],
    ]);
    const reach = await withConnection(db, (c) => amendedReach(c, [id!], TODAY));
    expect(reach).toEqual({ count: 3, earliest: "2026-10-05", slt: ["October 2026", "November 2026 to 27 Nov 2026"], governors: ["Autumn 2026 to the end of Autumn 1"] });
    expect(amendedReachWords(reach)).toBe(
      "3 marks amended, the earliest on Mon 5 Oct 2026: the figures of these packs may have changed since a copy was made — " +
        "the SLT packs for October 2026 and November 2026 to 27 Nov 2026, the governors' pack for Autumn 2026 to the end of Autumn 1.",
    );
  });

  it("names every later month's SLT pack too: each reads the year to date (trial 49b: an amended 7 October changed November's pack, not named)", async () => {
    const id = await importMarks("amend-sep.csv", [[upn(1), "2026-09-08", "AM", "M"]]);
    const reach = await withConnection(db, (c) => amendedReach(c, [id!], TODAY));
    expect(reach).toEqual({ count: 1, earliest: "2026-09-08", slt: ["September 2026", "October 2026", "November 2026 to 27 Nov 2026"], governors: ["Autumn 2026 to the end of Autumn 1"] });
  });

  it("reaches a pack from its year's 1 August to its end, and the governors' pack from the year before's (its same period last year)", () => {
    // A pack of the year 2026/27 ending Fri 23 Oct 2026.
    expect(packReachedBy(["2026-08-01"], "2026-10-23", false)).toBe(true);
    expect(packReachedBy(["2026-10-23"], "2026-10-23", false)).toBe(true);
    expect(packReachedBy(["2026-10-26"], "2026-10-23", true)).toBe(false);
    expect(packReachedBy(["2026-07-31"], "2026-10-23", false)).toBe(false);
    expect(packReachedBy(["2026-07-31"], "2026-10-23", true)).toBe(true);
    expect(packReachedBy(["2025-08-01"], "2026-10-23", true)).toBe(true);
    expect(packReachedBy(["2025-07-31"], "2026-10-23", true)).toBe(false);
    expect(packReachedBy(["2025-07-31", "2026-09-01"], "2026-10-23", false)).toBe(true);
  });

  it("names no governors' pack for a mark of a half term not yet ended, and one mark as one", async () => {
    const id = await importMarks("amend-nov.csv", [[upn(1), "2026-11-02", "PM", "L"]]);
    const reach = await withConnection(db, (c) => amendedReach(c, [id!], TODAY));
    expect(reach).toEqual({ count: 1, earliest: "2026-11-02", slt: ["November 2026 to 27 Nov 2026"], governors: [] });
    expect(amendedReachWords(reach)).toBe("1 mark amended, on Mon 2 Nov 2026: the figures of these packs may have changed since a copy was made — the SLT pack for November 2026 to 27 Nov 2026.");
  });

  it("says nothing of an import that amended no mark", async () => {
    const id = await importMarks("new-only.csv", [[upn(1), "2026-11-25", "AM", "/"]]);
    const reach = await withConnection(db, (c) => amendedReach(c, [id!], TODAY));
    expect(reach).toEqual({ count: 0, earliest: null, slt: [], governors: [] });
    expect(amendedReachWords(reach)).toBeNull();
    expect(amendedReachWords({ count: 2, earliest: "2026-08-28", slt: [], governors: [] })).toBe("2 marks amended, the earliest on Fri 28 Aug 2026.");
  });

  it("says it in the preview, before anything is imported (trial 50b: only the import's result said it), and the store is unchanged", async () => {
    const amend = file("amend-preview.csv", marksCsv([[upn(1), "2026-10-05", "AM", "G"]]));
    const [summary] = await importFiles(db, { marks: amend }, { by: BY, asOf: TODAY, dryRun: true });
    expect(summary.amended).toBe(1);
    expect(summary.notes).toContain(
      "If imported: 1 mark amended, on Mon 5 Oct 2026: the figures of these packs may have changed since a copy was made — " +
        "the SLT packs for October 2026 and November 2026 to 27 Nov 2026, the governors' pack for Autumn 2026 to the end of Autumn 1.",
    );
    const stored = await withConnection(db, (c) => c.runAndReadAll("SELECT code::VARCHAR AS code FROM marks WHERE date = DATE '2026-10-05' AND session = 'AM'"));
    expect(stored.getRowObjects()).toEqual([{ code: "M" }]);
  });

  it("the command line says it too, after an import and in a dry run, with the import's number", async () => {
    await closeInstance(db); // the command is a process of its own
    const cli = cliOn(db);
    const amend = file("amend-cli.csv", marksCsv([[upn(1), "2026-11-23", "PM", "I"]]));
    const dry = await cli("import", "--marks", amend, "--dry-run");
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("If imported: 1 mark amended, on Mon 23 Nov 2026: the figures of these packs may have changed since a copy was made — the SLT pack for November 2026 to 27 Nov 2026.");
    const made = await cli("import", "--marks", amend);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/^Recorded as import \d+ \(the dashboard's \/imports\/\d+\)\.$/m);
    expect(made.stdout).toContain("\n1 mark amended, on Mon 23 Nov 2026: the figures of these packs may have changed since a copy was made — the SLT pack for November 2026 to 27 Nov 2026.\n");
    expect(made.stdout).not.toContain("If imported");
  });
});
