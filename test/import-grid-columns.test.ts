/**
 * A refused grid names each fault's own column: the session's column for a date that is not a
 * school day or is after today, the UPN's column for an unknown pupil. A fresh-clone trial's
 * grid (UPN, Surname, Forename, Class, then sessions) gave every date fault as column 2, the
 * Surname, because the set-based checks used one column per file (a long file's date column).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOne, withConnection } from "../analytics/db.ts";
import { importFiles } from "../analytics/import/index.ts";
import { ImportRefused } from "../analytics/import/problems.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-grid-columns-"));
const write = (name: string, content: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
let db: string;

// Autumn 1 2024: Mon 2 Sep (an INSET day) to Fri 25 Oct; half-term holiday 28 Oct – 1 Nov; autumn 2 from Mon 4 Nov.
const CALENDAR = [
  "kind,name,start_date,end_date",
  "half_term,autumn-1,2024-09-02,2024-10-25",
  "closure,INSET day,2024-09-02,2024-09-02",
  "half_term,autumn-2,2024-11-04,2024-12-20",
].join("\n");

beforeAll(async () => {
  process.env.ROLLCALL_TODAY = "2024-11-06";
  db = tempDbPath("grid-columns");
  await importFiles(db, { calendar: write("calendar.csv", CALENDAR), pupils: write("pupils.csv", pupilsCsv([1, 2, 3].map((n) => pupil(n, { admission_date: "2019-09-02" })))) }, { by: BY, asOf: "2024-09-02" });
}, 120_000);
afterAll(async () => {
  delete process.env.ROLLCALL_TODAY;
  await removeDb(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The refusal of importing `file` as marks (failing the test if it was not refused). */
async function refusedBy(file: string): Promise<ImportRefused> {
  const error = await importFiles(db, { marks: file }, { by: BY }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportRefused);
  return error as ImportRefused;
}

describe("a grid's faults", () => {
  it("are each given at their own column, in column order, and the refusal changes nothing", async () => {
    // Columns: 1 UPN, 2 Surname, 3 Forename, 4 Class, 5 Tue 3 Sep (fine), 6 Thu 7 Nov (after today),
    // 7 Sat 7 Sep, 8 Mon 2 Sep (INSET day), 9 Tue 29 Oct (half-term holiday).
    const grid = write(
      "grid.csv",
      [
        "UPN,Surname,Forename,Class,Tue 03/09/2024 AM,Thu 07/11/2024 AM,Sat 07/09/2024 AM,Mon 02/09/2024 AM,Tue 29/10/2024 AM",
        `${upn(1)},Bowen,Millie,4A,/,/,/,/,/`,
        // An unknown pupil whose UPN is in column 1: said there, once.
        `${upn(9)},Nobody,Known,4A,/,,,,`,
      ].join("\n"),
    );
    const error = await refusedBy(grid);
    expect(error.message.split("\n")).toEqual([
      // A date's fault is its column's: said at the header cell (line 1), with how many rows have marks there.
      "grid.csv:1:6: 2024-11-07 is after today (2024-11-06): a register cannot hold a session that has not happened (1 row has a mark in this column)",
      "grid.csv:1:7: 2024-09-07 is a Saturday: registers are taken on school days only (1 row has a mark in this column)",
      "grid.csv:1:8: 2024-09-02 is a closure in the school's calendar (INSET day), not a school day (1 row has a mark in this column)",
      "grid.csv:1:9: 2024-10-29 is in a holiday in the school's calendar (outside every half term), not a school day (1 row has a mark in this column)",
      `grid.csv:3:1: unknown pupil ${upn(9)}: import the pupil first`,
    ]);
    expect(await withConnection(db, (c) => queryOne<{ n: number }>(c, "SELECT count(*)::INTEGER AS n FROM marks"))).toEqual({ n: 0 });
  });

  it("says a Saturday column once, at its header cell, with how many rows have marks in it (trial21: once per pupil row)", async () => {
    // Columns: 1 UPN, 2 Surname, 3 Tue 3 Sep AM, 4 Sat 7 Sep AM, 5 Sat 7 Sep PM. By hand: pupils 1 and 3 have
    // marks in column 4 (pupil 2's cell is blank: no mark); only pupil 1 in column 5.
    const grid = write(
      "grid-saturday.csv",
      [
        "UPN,Surname,Tue 03/09/2024 AM,Sat 07/09/2024 AM,Sat 07/09/2024 PM",
        `${upn(1)},Bowen,/,/,\\`,
        `${upn(2)},Carter,/,,`,
        `${upn(3)},Davies,/,N,`,
      ].join("\n"),
    );
    const error = await refusedBy(grid);
    expect(error.message.split("\n")).toEqual([
      "grid-saturday.csv:1:4: 2024-09-07 is a Saturday: registers are taken on school days only (2 rows have marks in this column)",
      "grid-saturday.csv:1:5: 2024-09-07 is a Saturday: registers are taken on school days only (1 row has a mark in this column)",
    ]);
    expect(error.total).toBe(2);
  });
});
