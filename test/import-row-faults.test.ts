/**
 * A refused pupils or calendar file names every fault of every row (file, line, column), as a
 * marks file does, bounded at the first MAX_REPORTED_ERRORS: a fresh-clone trial's pupils row
 * `…,X,Year 15,…,Q,maybe,…` was refused for its sex only, then on the next attempt for its
 * year group; a date of birth in 2027 was hidden behind the same row's leaving-date error.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inTransaction, withConnection, type Connection } from "../analytics/db.ts";
import { importCalendar, importPupils } from "../analytics/import/index.ts";
import { ImportRefused } from "../analytics/import/problems.ts";
import { MAX_REPORTED_ERRORS } from "../analytics/import/limits.ts";
import { tempDbPath, removeDb } from "./helpers/db.ts";
import { BY, fingerprint, pupil, pupilsCsv } from "./fixtures/import/helpers.ts";

let db: string;
beforeEach(() => {
  db = tempDbPath("import-row-faults");
});
afterEach(async () => {
  await removeDb(db);
});

const tx = <T>(work: (conn: Connection) => Promise<T>) => withConnection(db, (conn) => inTransaction(conn, () => work(conn)));

/** The refusal of `work`, checking that it changed nothing. */
async function refusal(work: (conn: Connection) => Promise<unknown>): Promise<ImportRefused> {
  const before = await withConnection(db, fingerprint);
  const error = await tx(work).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ImportRefused);
  expect(await withConnection(db, fingerprint)).toEqual(before);
  return error as ImportRefused;
}

describe("a pupils file's refusal", () => {
  const load = (text: string) => (conn: Connection) => importPupils(conn, { file: "bad.csv", text, by: BY, asOf: "2024-09-02", today: "2026-12-03" });

  it("names every fault of every row, each at its own column, not only the first of each row", async () => {
    const text = pupilsCsv([
      // Columns: upn 1, forename 2, surname 3, dob 4, sex 5, year group 6, class 7, admission 8, leaving 9, SEN 10, FSM 11, EAL 12, LAC 13.
      pupil(1, { sex: "X", year_group: "Year 15", sen: "Q", fsm: "maybe" }),
      pupil(2, { dob: "2027-05-04", admission_date: "2024-09-04", leaving_date: "2024-09-03" }),
      // The admission date cannot be read: the date of birth is still checked against today.
      pupil(3, { dob: "2030-01-01", admission_date: "2024-02-30" }),
      pupil(4),
    ]);
    const error = await refusal(load(text));
    expect(error.message.split("\n")).toEqual([
      'bad.csv:2:5: sex must be M or F, not "X"',
      'bad.csv:2:6: year group "Year 15" is not one of N1, N2, R, 1–13 (also written "Year 3" or "Y3")',
      'bad.csv:2:10: SEN provision must be E (EHC plan), K (SEN support) or N (none), not "Q"',
      'bad.csv:2:11: FSM must be Y or N, not "maybe"',
      "bad.csv:3:4: date of birth 2027-05-04 is after today (2026-12-03)",
      "bad.csv:3:9: leaving date 2024-09-03 is before the admission date 2024-09-04",
      "bad.csv:4:4: date of birth 2030-01-01 is after today (2026-12-03)",
      `bad.csv:4:8: admission date: "2024-02-30" is not a date: February 2024 has 29 days`,
    ]);
    expect(error.total).toBe(8);
  });

  it("lists the first MAX_REPORTED_ERRORS faults, earliest first, and counts the rest", async () => {
    // 40 rows of 2 faults each (sex, LAC): 80 in all, the first 50 those of lines 2 to 26.
    const rows = Array.from({ length: 40 }, (_, i) => pupil(i + 1, { sex: "?", lac: "?" }));
    const error = await refusal(load(pupilsCsv(rows)));
    expect(MAX_REPORTED_ERRORS).toBe(50);
    expect(error.total).toBe(80);
    expect(error.errors).toHaveLength(50);
    expect(error.errors.map((e) => `${e.line}:${e.column}`).slice(-3)).toEqual(["25:13", "26:5", "26:13"]);
    expect(error.message.split("\n").at(-1)).toBe("… and 30 more error(s) not listed (the first 50 are shown)");
  });
});

describe("a calendar file's refusal", () => {
  it("names every fault of every row; a check across fields runs only where the fields it needs were read", async () => {
    const text =
      "kind,name,start_date,end_date\n" +
      // An unknown kind: its name cannot be judged (a half term's or a closure's?), its dates can.
      "holiday,autumn-9,2025-13-01,2025-09-01\n" +
      "half_term,autumn-3,2025-09-31,2025-08-24\n" +
      "half_term,spring-1,2025-09-01,2025-08-24\n" +
      "closure,,2025-09-01,2026-09-01\n" +
      "half_term,autumn-1,2025-09-01,2025-10-24\n";
    const error = await refusal((conn) => importCalendar(conn, { file: "bad.csv", text, by: BY }));
    expect(error.message.split("\n")).toEqual([
      'bad.csv:2:1: kind must be half_term or closure, not "holiday"',
      `bad.csv:2:3: start date: "2025-13-01" is not a date: there is no month 13 (months are 01 to 12)`,
      'bad.csv:3:2: half term "autumn-3" is not one of autumn-1, autumn-2, spring-1, spring-2, summer-1, summer-2',
      `bad.csv:3:3: start date: "2025-09-31" is not a date: September 2025 has 30 days`,
      "bad.csv:4:3: spring-1 starts on 2025-09-01: it must start between January and July",
      "bad.csv:4:4: end date 2025-08-24 is before the start date 2025-09-01",
      "bad.csv:5:2: closure reason is empty",
      'bad.csv:5:4: closure "" runs from 2025-09-01 to 2026-09-01, across more than one academic year (1 August to 31 July): check the years',
    ]);
  });
});
