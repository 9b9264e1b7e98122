/**
 * A late arrival's minutes survive a re-import from a file that has no minutes-late column
 * (a grid, week strings, a long file without the column: analytics/import/marks.ts
 * keepStoredMinutes), through both of the import's paths (DuckDB's read_csv for a plain long
 * file, the readers' for the other layouts); a change of minutes alone, from a file with the
 * column, is an amendment recorded with the minutes before and after (analytics/amended-mark.ts).
 * A fresh-clone trial re-imported a grid: a stored "L, 6 minutes late" lost its minutes and the
 * import page and pupil page said "Was L, Now L".
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, withConnection } from "../analytics/db.ts";
import { importFiles } from "../analytics/import/index.ts";
import { importDetail } from "../analytics/import/history.ts";
import { pupilRecord } from "../analytics/pupil.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-minutes-late-"));
const write = (name: string, content: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
const CALENDAR = ["kind,name,start_date,end_date", "half_term,autumn-1,2024-09-02,2024-10-25"].join("\n");
let db: string;
const paths: string[] = [];
const run = async (name: string, content: string) => {
  const [summary] = await importFiles(db, { marks: write(name, content) }, { by: BY, onMarksPath: (p) => paths.push(p) });
  return summary;
};
/** Pupil 1's Monday 2 September 2024 AM as stored: code and minutes late. */
const stored = () =>
  withConnection(db, (c) =>
    queryRows<{ code: string; minutes_late: number | null }>(
      c,
      `SELECT code::VARCHAR AS code, minutes_late::INTEGER AS minutes_late FROM mark_store
       WHERE pupil_id = (SELECT pupil_id FROM pupil_ids WHERE upn = $upn) AND date = DATE '2024-09-02' AND NOT pm`,
      { upn: upn(1) },
    ),
  ).then((rows) => rows[0]);

beforeAll(async () => {
  process.env.ROLLCALL_TODAY = "2024-09-20";
  db = tempDbPath("minutes-late");
  await importFiles(db, { calendar: write("calendar.csv", CALENDAR), pupils: write("pupils.csv", pupilsCsv([1, 2].map((n) => pupil(n, { admission_date: "2019-09-02" })))) }, { by: BY, asOf: "2024-09-02" });
  // Pupil 1 late 6 minutes on Monday AM, present Monday PM; pupil 2 present both.
  await run("first.csv", `upn,date,session,code,minutes_late\n${upn(1)},2024-09-02,AM,L,6\n${upn(1)},2024-09-02,PM,\\,\n${upn(2)},2024-09-02,AM,/,\n${upn(2)},2024-09-02,PM,\\,\n`);
}, 120_000);
afterAll(async () => {
  delete process.env.ROLLCALL_TODAY;
  await removeDb(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("minutes late on re-import", () => {
  it("a long file without the column (DuckDB's path) keeps the stored minutes: nothing amended", async () => {
    paths.length = 0;
    const summary = await run("no-minutes.csv", `upn,date,session,code\n${upn(1)},2024-09-02,AM,L\n${upn(1)},2024-09-02,PM,\\\n`);
    expect(paths).toEqual(["sql"]);
    expect(summary).toMatchObject({ inserted: 0, amended: 0, unchanged: 2 });
    expect(await stored()).toEqual({ code: "L", minutes_late: 6 });
  });

  it("a grid (the readers' path) keeps them too; a new code that is still late (U) keeps them, one that is not drops them", async () => {
    paths.length = 0;
    const grid = (code: string) => `UPN,Surname,Forename,2024-09-02 AM,2024-09-02 PM\n${upn(1)},Surname1,Forename1,${code},\\\n`;
    expect(await run("grid-same.csv", grid("L"))).toMatchObject({ amended: 0, unchanged: 2 });
    expect(paths[0]).not.toBe("sql");
    expect(await stored()).toEqual({ code: "L", minutes_late: 6 });
    expect(await run("grid-u.csv", grid("U"))).toMatchObject({ amended: 1, unchanged: 1 });
    expect(await stored()).toEqual({ code: "U", minutes_late: 6 });
    const toPresent = await run("grid-present.csv", grid("/"));
    expect(toPresent).toMatchObject({ amended: 1, unchanged: 1 });
    expect(toPresent.amendedMarks).toEqual([{ upn: upn(1), name: "Surname1, Forename1", date: "2024-09-02", session: "AM", before: "U (6 min late)", after: "/ (no minutes late)", beforeCode: "U", afterCode: "/" }]);
    expect(await stored()).toEqual({ code: "/", minutes_late: null });
  });

  it("a change of minutes alone, from a file with the column, is an amendment with the minutes before and after", async () => {
    await run("late-again.csv", `upn,date,session,code,minutes_late\n${upn(1)},2024-09-02,AM,L,6\n`);
    const summary = await run("late-ten.csv", `upn,date,session,code,minutes_late\n${upn(1)},2024-09-02,AM,L,10\n`);
    expect(summary).toMatchObject({ amended: 1 });
    expect(summary.amendedMarks).toEqual([{ upn: upn(1), name: "Surname1, Forename1", date: "2024-09-02", session: "AM", before: "L (6 min late)", after: "L (10 min late)", beforeCode: "L", afterCode: "L" }]);
    expect(await stored()).toEqual({ code: "L", minutes_late: 10 });
    const detail = await withConnection(db, (c) => importDetail(c, summary.importId!));
    expect(detail!.amendments.map((a) => [a.before, a.after])).toEqual([["L (6 min late)", "L (10 min late)"]]);
    const record = await withConnection(db, (c) => pupilRecord(c, upn(1), { from: "2024-09-02", to: "2024-09-20" }));
    // Newest first: 6 → 10 min, L (no minutes) back to L at 6, / → … and the earlier code changes.
    expect(record!.amendments.map((a) => `${a.before} → ${a.after}`)).toContain("L (6 min late) → L (10 min late)");
    expect(record!.amendments.map((a) => `${a.before} → ${a.after}`)).toContain("L → U");
  });
});
