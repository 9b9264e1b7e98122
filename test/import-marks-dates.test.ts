/**
 * Trial 54: a marks import says which dates its marks cover (imports.first_date, last_date;
 * analytics/import/record-words.ts marksDatesWords), and which packs its new marks reach — not
 * only its amended ones (analytics/import/amended-periods.ts newMarksReach, importReachWords).
 * Real DuckDB, a register built by the real importer: autumn 1 runs Tue 1 Sep – Fri 23 Oct
 * 2026, autumn 2 Mon 2 Nov – Fri 18 Dec; today is Mon 7 Dec 2026. Offered then: the SLT pack for
 * September, October, November and December (to 7 Dec); the governors' pack for Autumn 2026 to
 * the end of Autumn 1 (1 Sep – 23 Oct). The register before: pupil 1 present on Tue 8 Sep,
 * Mon 5 Oct, Mon 2 Nov and Mon 23 Nov (both sessions).
 * (Every layout's dates: test/import-layouts.test.ts; a CTF's in the CLI: test/ctf-transfer.test.ts.)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeInstance, queryRows, withConnection } from "../analytics/db.ts";
import { initSchool } from "../analytics/cli/commands/init.ts";
import { importFiles, type ImportSummary } from "../analytics/import/index.ts";
import { importReach, importReachWords, newMarksReach } from "../analytics/import/amended-periods.ts";
import { importDetail, importHistory } from "../analytics/import/history.ts";
import { importCountsWords, marksDatesWords } from "../analytics/import/record-words.ts";
import { cliOn } from "./helpers/cli.ts";
import { copyDatabase, removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, marksCsv, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

const TODAY = "2026-12-07";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-marks-dates-"));
const db = path.join(dir, "school.duckdb");
const old = tempDbPath("marks-dates-old");
const file = (name: string, text: string) => {
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};
/** Both sessions of pupil `n` on each of `days`, present. */
const present = (n: number, days: string[]) => days.flatMap((d) => [[upn(n), d, "AM", "/"], [upn(n), d, "PM", "\\"]]);
/** Imports one marks file; its summary, and which path read it. */
const importMarks = async (name: string, text: string, dryRun = false) => {
  let read: string | undefined;
  const summaries = await importFiles(db, { marks: file(name, text) }, { by: BY, asOf: TODAY, dryRun, onMarksPath: (p) => (read = p) });
  return { summary: summaries.find((s) => s.kind === "marks")!, read };
};
const record = (id: number) => withConnection(db, (c) => queryRows(c, "SELECT strftime(first_date, '%Y-%m-%d') AS first, strftime(last_date, '%Y-%m-%d') AS last FROM imports WHERE import_id = $id", { id }));

// The week of Mon 30 Nov – Fri 4 Dec for pupil 1 (10 marks), with what is not a mark kept around
// it: pupil 2's "-" on Fri 27 Nov and Mon 7 Dec (no mark yet) and "#" on Sat 5 Dec (a weekend).
const WEEK = ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"];
const weekRows = (n: number) => [
  [upn(2), "2026-11-27", "AM", "-"],
  ...present(n, WEEK),
  [upn(2), "2026-12-05", "AM", "#"],
  [upn(2), "2026-12-07", "PM", "-"],
];

const todayBefore = process.env.ROLLCALL_TODAY;
beforeAll(async () => {
  process.env.ROLLCALL_TODAY = TODAY;
  await initSchool(db, { school: "Brook Lane Primary", urn: "123456" });
  const calendar = file("calendar.csv", "kind,name,start_date,end_date\nhalf_term,autumn-1,2026-09-01,2026-10-23\nhalf_term,autumn-2,2026-11-02,2026-12-18\n");
  const marks = file("marks.csv", marksCsv(present(1, ["2026-09-08", "2026-10-05", "2026-11-02", "2026-11-23"])));
  await importFiles(db, { calendar, pupils: file("pupils.csv", pupilsCsv([pupil(1), pupil(2), pupil(3)])), marks }, { by: BY, asOf: TODAY });
}, 60_000);
afterAll(async () => {
  if (todayBefore === undefined) delete process.env.ROLLCALL_TODAY;
  else process.env.ROLLCALL_TODAY = todayBefore;
  await closeInstance(db);
  await removeDb(old);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the dates a marks import covers", () => {
  it("a week read by DuckDB (the long CSV's SQL path): 30 Nov to 4 Dec, not the '-' and '#' around it, in the summary and the record", async () => {
    const { summary, read } = await importMarks("week-sql.csv", marksCsv(weekRows(1)));
    expect(read).toBe("sql");
    expect(summary).toMatchObject({ inserted: 10, amended: 0, unchanged: 0, skipped: 3, firstDate: "2026-11-30", lastDate: "2026-12-04" });
    expect(await record(summary.importId!)).toEqual([{ first: "2026-11-30", last: "2026-12-04" }]);
    const [latest] = await withConnection(db, (c) => importHistory(c, 1));
    expect(importCountsWords(latest)).toBe("13 rows read, 10 marks, 30 Nov 2026 to 4 Dec 2026: 10 new, 0 amended, 0 unchanged");
  });

  it("the same week read by Rollcall's reader (quoted fields): the same dates; and unchanged marks count, a file changing nothing says them too", async () => {
    const quoted = marksCsv(weekRows(1).map(([u, d, s, c]) => [u, d, s, `"${c}"`]));
    const again = await importMarks("week-rows.csv", quoted);
    expect(again.read).toBe("rows");
    // Nothing new: no record, but the summary (what the page and the CLI say) has the dates.
    expect(again.summary).toMatchObject({ inserted: 0, unchanged: 10, importId: null, firstDate: "2026-11-30", lastDate: "2026-12-04" });
    const other = await importMarks("week-rows-3.csv", marksCsv(weekRows(3).map(([u, d, s, c]) => [u, d, s, `"${c}"`])));
    expect(other.read).toBe("rows");
    expect(other.summary).toMatchObject({ inserted: 10, firstDate: "2026-11-30", lastDate: "2026-12-04" });
    expect(await record(other.summary.importId!)).toEqual([{ first: "2026-11-30", last: "2026-12-04" }]);
  });

  it("one day is said as one; a file of only '-' marks has no dates; a calendar or pupils import none", async () => {
    const one = await importMarks("one-day.csv", marksCsv([[upn(2), "2026-12-04", "AM", "/"]]));
    expect(one.summary).toMatchObject({ firstDate: "2026-12-04", lastDate: "2026-12-04" });
    const [latest] = await withConnection(db, (c) => importHistory(c, 1));
    expect(importCountsWords(latest)).toBe("1 mark read, on 4 Dec 2026: 1 new, 0 amended, 0 unchanged");
    const dashes = await importMarks("dashes.csv", marksCsv([[upn(2), "2026-12-07", "AM", "-"], [upn(2), "2026-12-07", "PM", "-"]]));
    expect(dashes.summary.firstDate).toBeUndefined();
    expect(dashes.summary.lastDate).toBeUndefined();
    expect(await withConnection(db, (c) => queryRows(c, "SELECT kind, first_date IS NULL AND last_date IS NULL AS none FROM imports WHERE kind <> 'marks' ORDER BY kind"))).toEqual([
      { kind: "calendar", none: true },
      { kind: "pupils", none: true },
    ]);
  });

  it("the words: a span, one day, none; with rows that are not one a mark", () => {
    expect(marksDatesWords("2026-11-30", "2026-12-04")).toBe("30 Nov 2026 to 4 Dec 2026");
    expect(marksDatesWords("2026-12-04", "2026-12-04")).toBe("on 4 Dec 2026");
    expect(marksDatesWords("2026-12-04", "2026-12-04", false)).toBe("4 Dec 2026");
    expect(marksDatesWords(null, null)).toBeNull();
    const grid = { kind: "marks", rows_read: 238, rows_inserted: 2_380, rows_amended: 0, rows_unchanged: 0, first_date: "2026-11-30", last_date: "2026-12-04" };
    expect(importCountsWords(grid)).toBe("238 rows read, 2,380 marks, 30 Nov 2026 to 4 Dec 2026: 2,380 new, 0 amended, 0 unchanged");
    expect(importCountsWords({ ...grid, first_date: null, last_date: null })).toBe("238 rows read, 2,380 marks: 2,380 new, 0 amended, 0 unchanged");
  });
});

describe("the packs an import's new marks reach", () => {
  it("new marks of 30 Nov, imported in December, name November's SLT pack (ended), not December's to date", async () => {
    const [week] = await withConnection(db, (c) => queryRows<{ import_id: number }>(c, "SELECT import_id FROM imports WHERE file_name = 'week-sql.csv'"));
    const reach = await withConnection(db, (c) => newMarksReach(c, [week.import_id], TODAY));
    // Pupil 1's two marks of Mon 30 Nov (November's pack, 1–30 Nov); his eight of 1–4 Dec are in
    // December's to date, not ended; none reaches October's (to 31 Oct) or Autumn 1's (to 23 Oct).
    expect(reach).toEqual({ count: 2, earliest: "2026-11-30", slt: ["November 2026"], governors: [] });
    const words = importReachWords(await withConnection(db, (c) => importReach(c, [week.import_id], TODAY)));
    expect(words).toBe("2 new marks dated in a period already ended, the earliest on Mon 30 Nov 2026: the figures of these packs may have changed since a copy was made — the SLT pack for November 2026.");
    // On /imports/N the record is read afresh: the same words.
    const detail = await withConnection(db, (c) => importDetail(c, week.import_id));
    expect(importCountsWords(detail!.record)).toBe("13 rows read, 10 marks, 30 Nov 2026 to 4 Dec 2026: 10 new, 0 amended, 0 unchanged");
  });

  it("names nothing for new marks of the month to date alone, nor for the first marks of an empty register", async () => {
    const one = await withConnection(db, (c) => queryRows<{ import_id: number }>(c, "SELECT import_id FROM imports WHERE file_name = 'one-day.csv'"));
    expect(await withConnection(db, (c) => newMarksReach(c, [one[0].import_id], TODAY))).toEqual({ count: 0, earliest: null, slt: [], governors: [] });
    const first = await withConnection(db, (c) => queryRows<{ import_id: number }>(c, "SELECT import_id FROM imports WHERE file_name = 'marks.csv'"));
    // Every mark of Sep–Nov was new, but no pack could have been made before them.
    expect(await withConnection(db, (c) => newMarksReach(c, [first[0].import_id], TODAY))).toEqual({ count: 0, earliest: null, slt: [], governors: [] });
  });

  it("names nothing for a new year's first file, imported late, though last year's marks are held (a pack of that year read none before)", async () => {
    const fresh = path.join(dir, "new-year.duckdb");
    await initSchool(fresh, { school: "Brook Lane Primary", urn: "123456" });
    const calendar = file("calendar-2y.csv", "kind,name,start_date,end_date\nhalf_term,summer-2,2026-06-01,2026-07-17\nhalf_term,autumn-1,2026-09-01,2026-10-23\nhalf_term,autumn-2,2026-11-02,2026-12-18\n");
    await importFiles(fresh, { calendar, pupils: file("pupils-2y.csv", pupilsCsv([pupil(1)])), marks: file("last-year.csv", marksCsv(present(1, ["2026-07-13"]))) }, { by: BY, asOf: TODAY });
    // 2026/27 from 8 Sep to 4 Dec, in one file in December: September to November have ended,
    // but no pack of 2026/27 read a mark before it (the governors' pack only last year's beside none).
    const [year] = await importFiles(fresh, { marks: file("this-year.csv", marksCsv(present(1, ["2026-09-08", "2026-10-05", "2026-11-30", "2026-12-04"]))) }, { by: BY, asOf: TODAY });
    expect(await withConnection(fresh, (c) => newMarksReach(c, [year.importId!], TODAY))).toEqual({ count: 0, earliest: null, slt: [], governors: [] });
    // A later file of Mon 2 Nov, once September's marks are held: November, October's year to date held.
    const [late] = await importFiles(fresh, { marks: file("late.csv", marksCsv(present(1, ["2026-11-02"]))) }, { by: BY, asOf: TODAY });
    expect(await withConnection(fresh, (c) => newMarksReach(c, [late.importId!], TODAY))).toEqual({ count: 2, earliest: "2026-11-02", slt: ["November 2026"], governors: [] });
    await closeInstance(fresh);
  });

  it("new and amended marks together: one sentence, each pack with which reaches it (the preview says it first)", async () => {
    // Pupil 1's 5 Oct AM amended to M (October, November, December to date, Autumn 1); pupil 3's
    // Mon 2 Nov new (November, ended; not Autumn 1, which ended 23 Oct).
    const rows = [[upn(1), "2026-10-05", "AM", "M"], [upn(3), "2026-11-02", "AM", "/"], [upn(3), "2026-11-02", "PM", "\\"]];
    const expected =
      "1 mark amended, on Mon 5 Oct 2026, and 2 new marks dated in a period already ended, the earliest on Mon 2 Nov 2026: the figures of these packs may have changed since a copy was made — " +
      "the SLT packs for October 2026 (amended marks), November 2026 (new and amended marks) and December 2026 to 7 Dec 2026 (amended marks), " +
      "the governors' pack for Autumn 2026 to the end of Autumn 1 (amended marks).";
    const preview = await importMarks("both-preview.csv", marksCsv(rows), true);
    expect(preview.summary.notes).toContain(`If imported: ${expected}`);
    const made: ImportSummary = (await importMarks("both.csv", marksCsv(rows))).summary;
    expect(importReachWords(await withConnection(db, (c) => importReach(c, [made.importId!], TODAY)))).toBe(expected);
  });
});

describe("rollcall import", () => {
  it("says the dates with the counts, and the packs new marks reach, after an import and in a dry run", async () => {
    await closeInstance(db); // the command is a process of its own
    const cli = cliOn(db);
    const week = file("week-cli.csv", marksCsv([[upn(2), "2026-11-30", "AM", "/"], [upn(2), "2026-12-01", "AM", "/"]]));
    const dry = await cli("import", "--marks", week, "--dry-run");
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("marks week-cli.csv: 2 rows read, 30 Nov 2026 to 1 Dec 2026: 2 new, 0 amended, 0 unchanged\n");
    expect(dry.stdout).toContain("  If imported: 1 new mark dated in a period already ended, on Mon 30 Nov 2026: the figures of these packs may have changed since a copy was made — the SLT pack for November 2026.\n");
    const made = await cli("import", "--marks", week);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain("marks week-cli.csv: 2 rows read, 30 Nov 2026 to 1 Dec 2026: 2 new, 0 amended, 0 unchanged\n");
    expect(made.stdout).toContain("\n1 new mark dated in a period already ended, on Mon 30 Nov 2026: the figures of these packs may have changed since a copy was made — the SLT pack for November 2026.\n");
  }, 60_000);
});

describe("a file made before the dates were kept", () => {
  it("gets the columns as it opens, its imports without dates (said as before), and records the next import's", async () => {
    await copyDatabase(db, old, async (c) => {
      await c.run("ALTER TABLE o.imports DROP COLUMN first_date");
      await c.run("ALTER TABLE o.imports DROP COLUMN last_date");
    });
    await closeInstance(old);
    const before = await withConnection(old, (c) => importHistory(c));
    const week = before.find((r) => r.file_name === "week-sql.csv")!;
    expect([week.first_date, week.last_date]).toEqual([null, null]);
    expect(importCountsWords(week)).toBe("13 rows read, 10 marks: 10 new, 0 amended, 0 unchanged");
    const [summary] = await importFiles(old, { marks: file("after.csv", marksCsv([[upn(3), "2026-11-26", "AM", "/"]])) }, { by: BY, asOf: TODAY });
    const rows = await withConnection(old, (c) => queryRows(c, "SELECT strftime(first_date, '%Y-%m-%d') AS first, strftime(last_date, '%Y-%m-%d') AS last FROM imports WHERE import_id = $id", { id: summary.importId! }));
    expect(rows).toEqual([{ first: "2026-11-26", last: "2026-11-26" }]);
  }, 60_000);
});
