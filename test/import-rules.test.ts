/**
 * Real registers' rules (issue 10, items 2, 5, 10, 11, 12 and 14): COVID-era sub-codes,
 * "no mark yet" cells, lower-case codes, Z outside the roll, text and date-of-birth limits,
 * marks off school days or in the future, calendars that disagree with stored marks, and
 * up to 50 errors in one refusal. Real DuckDB files; every refusal leaves the store as it was.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inTransaction, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { InputError } from "../analytics/csv.ts";
import { importCalendar, importMarks, importPupils } from "../analytics/import/index.ts";
import { ImportRefused } from "../analytics/import/problems.ts";
import { tempDbPath, removeDb } from "./helpers/db.ts";
import { BY, fingerprint, marksCsv, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

let db: string;
const tx = <T>(work: (conn: Connection) => Promise<T>) => withConnection(db, (conn) => inTransaction(conn, () => work(conn)));
const loadMarks = (text: string, today = "2026-11-30") => tx((conn) => importMarks(conn, { file: "marks.csv", text, by: BY, today }));
const loadPupils = (text: string) => tx((conn) => importPupils(conn, { file: "pupils.csv", text, by: BY, asOf: "2023-09-04", today: "2026-11-30" }));
const loadCalendar = (text: string) => tx((conn) => importCalendar(conn, { file: "calendar.csv", text, by: BY }));
async function refused(work: Promise<unknown>): Promise<InputError> {
  const error = await work.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof InputError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}
const marks = () => withConnection(db, (conn) => queryRows(conn, "SELECT upn, strftime(date, '%Y-%m-%d') AS date, session::VARCHAR AS session, code::VARCHAR AS code FROM marks ORDER BY upn, date, session"));
const print = () => withConnection(db, fingerprint);

// 2024/25, by hand: autumn-1 Mon 2 Sep – Fri 25 Oct 2024 with an INSET day on Mon 2 Sep;
// the October half-term holiday is 28 Oct – 1 Nov.
const CALENDAR_2024 = [
  "kind,name,start_date,end_date",
  "half_term,autumn-1,2024-09-02,2024-10-25",
  "closure,INSET day,2024-09-02,2024-09-02",
  "half_term,autumn-2,2024-11-04,2024-12-20",
  "half_term,spring-1,2025-01-06,2025-02-14",
  "half_term,spring-2,2025-02-24,2025-04-04",
  "half_term,summer-1,2025-04-22,2025-05-23",
  "half_term,summer-2,2025-06-02,2025-07-22",
].join("\n");

beforeEach(async () => {
  db = tempDbPath("import-rules");
  // Pupil 1 on roll from 2019-09-02; pupil 2 from 2023-09-04 to 2024-12-20.
  await loadPupils(pupilsCsv([pupil(1, { admission_date: "2019-09-02", dob: "2015-05-04" }), pupil(2, { admission_date: "2023-09-04", leaving_date: "2024-12-20" })]));
});
afterEach(async () => {
  await removeDb(db);
});

describe("codes real registers hold (item 2)", () => {
  it("stores COVID-era sub-codes of 2020–22 as the census code the DfE collected, and says so in the summary", async () => {
    const s = await loadMarks(
      marksCsv([
        [upn(1), "2021-01-11", "AM", "X02"],
        [upn(1), "2021-01-11", "PM", "i02"],
        [upn(1), "2021-01-12", "AM", "I01"],
        [upn(1), "2021-01-12", "PM", "X06"],
      ]),
    );
    expect(s.inserted).toBe(4);
    expect((await marks()).map((m) => m.code)).toEqual(["X", "I", "I", "X"]);
    expect(s.notes).toEqual(["COVID-era sub-codes stored as the census code the DfE collected: I01 ×1 as I, I02 ×1 as I, X02 ×1 as X, X06 ×1 as X"]);
  });

  it("refuses a COVID-era sub-code on a session after 2021/22, naming its place", async () => {
    const before = await print();
    const e = await refused(loadMarks(marksCsv([[upn(1), "2024-09-10", "AM", "X02"]])));
    expect(e.message).toBe('marks.csv:2:4: "X02" (Self-isolating with COVID-19 symptoms) is a COVID-era sub-code, read only for sessions from 2019-08-01 to 2022-07-31, not on 2024-09-10');
    expect(await print()).toEqual(before);
  });

  it('skips "-" and empty cells (no mark yet in a daytime export) with a count, storing nothing for them', async () => {
    const s = await loadMarks(
      marksCsv([
        [upn(1), "2024-09-10", "AM", "/"],
        [upn(1), "2024-09-10", "PM", "-"],
        [upn(2), "2024-09-10", "AM", ""],
      ]),
    );
    expect(s).toMatchObject({ rowsRead: 3, inserted: 1, skipped: 2 });
    expect(s.notes).toEqual(['2 sessions with no mark yet ("-" or empty) skipped: they stay register gaps until marked']);
    expect(await marks()).toEqual([{ upn: upn(1), date: "2024-09-10", session: "AM", code: "/" }]);
  });

  it("reads lower-case codes as the capitals the regulations use", async () => {
    await loadMarks(marksCsv([[upn(1), "2024-09-10", "AM", "l"], [upn(1), "2024-09-10", "PM", "c1"], [upn(2), "2024-09-10", "AM", "n"]]));
    expect((await marks()).map((m) => m.code)).toEqual(["L", "C1", "N"]);
  });
});

describe("Z and the roll (item 5)", () => {
  it("accepts Z (not on roll) before admission and after leaving; refuses any other code there", async () => {
    const s = await loadMarks(marksCsv([[upn(2), "2023-09-01", "AM", "Z"], [upn(2), "2023-09-01", "PM", "z"], [upn(2), "2025-01-06", "AM", "Z"]]));
    expect(s.inserted).toBe(3);
    const e = await refused(loadMarks(marksCsv([[upn(2), "2023-08-31", "AM", "X"]]).replace("2023-08-31", "2023-08-30")));
    expect(e.message).toBe(`marks.csv:2:2: ${upn(2)} was not on roll on 2023-08-30 (admitted 2023-09-04, left 2024-12-20): only Z (not on roll) may be recorded outside a pupil's time on roll, not "X"`);
  });

  it("a new admission date may leave Z marks before it, but no other mark", async () => {
    await loadMarks(marksCsv([[upn(2), "2023-09-04", "AM", "Z"], [upn(2), "2023-09-05", "AM", "/"]]));
    const later = (admission: string) => loadPupils(pupilsCsv([pupil(1, { admission_date: "2019-09-02", dob: "2015-05-04" }), pupil(2, { admission_date: admission, leaving_date: "2024-12-20" })]));
    expect((await later("2023-09-05")).amended).toBe(1);
    const e = await refused(later("2023-09-06"));
    expect(e.message).toContain("would leave 1 stored mark(s)");
  });
});

describe("text and dates of birth (item 11)", () => {
  const one = (over: Parameters<typeof pupil>[1]) => pupilsCsv([pupil(3, over)]);
  const cases: [string, Parameters<typeof pupil>[1], string][] = [
    ["a NUL byte", { forename: "Ann\u0000a" }, "pupils.csv:2:2: forename contains a NUL byte at character 4: no register holds one"],
    ["a terminal escape", { surname: "Lee\u001b[2J" }, "pupils.csv:2:3: surname contains a control character (U+001B) at character 4: no register holds one"],
    ["a 100,000-character forename", { forename: "A".repeat(100_000) }, "pupils.csv:2:2: forename is 100,000 characters long; the limit is 100"],
    ["a 101-character surname", { surname: "B".repeat(101) }, "pupils.csv:2:3: surname is 101 characters long; the limit is 100"],
    ["born in 1900", { dob: "1900-01-01" }, "pupils.csv:2:4: date of birth 1900-01-01 makes the pupil 121 on admission (2021-09-01); a primary pupil is admitted aged 2 to 13"],
    ["born in 2031", { dob: "2031-01-01" }, "pupils.csv:2:4: date of birth 2031-01-01 is after today (2026-11-30)"],
    ["born after admission", { dob: "2022-01-01" }, "pupils.csv:2:4: date of birth 2022-01-01 is on or after the admission date 2021-09-01"],
  ];
  for (const [label, over, message] of cases) {
    it(`refuses ${label}, naming its place, and stores nothing`, async () => {
      const before = await print();
      const e = await refused(loadPupils(one(over)));
      expect(e.message).toBe(message);
      expect(await print()).toEqual(before);
    });
  }

  it("accepts a 100-character name and the age limits' edges (2 and 13 on admission)", async () => {
    const s = await loadPupils(
      pupilsCsv([
        pupil(3, { surname: "C".repeat(100) }),
        pupil(4, { dob: "2019-09-01", admission_date: "2021-09-01" }),
        pupil(5, { dob: "2008-09-02", admission_date: "2022-09-01" }),
      ]),
    );
    expect(s.inserted).toBe(3);
  });

  it("cuts a quoted value in a message to a few dozen characters (item 12)", async () => {
    const e = await refused(loadMarks(marksCsv([["U".repeat(50_000), "2024-09-10", "AM", "/"]])));
    expect(e.message).toBe(`marks.csv:2:1: "${"U".repeat(40)}…" (50,000 characters) is not a UPN (a capital letter, 11 digits, then a digit or capital letter)`);
  });
});

describe("marks and the school's calendar (item 10)", () => {
  beforeEach(async () => {
    await loadCalendar(CALENDAR_2024);
  });

  it("refuses marks on a Saturday, in a half-term holiday, on a closure and after today, naming each row", async () => {
    const before = await print();
    const e = await refused(
      loadMarks(
        marksCsv([
          [upn(1), "2024-09-03", "AM", "/"],
          [upn(1), "2024-09-07", "AM", "/"],
          [upn(1), "2024-10-29", "AM", "/"],
          [upn(1), "2024-09-02", "AM", "/"],
          [upn(1), "2024-12-02", "AM", "/"],
        ]),
        "2024-11-29",
      ),
    );
    expect(e).toBeInstanceOf(ImportRefused);
    expect(e.message.split("\n")).toEqual([
      "marks.csv:3:2: 2024-09-07 is a Saturday: registers are taken on school days only",
      "marks.csv:4:2: 2024-10-29 is in a holiday in the school's calendar (outside every half term), not a school day",
      "marks.csv:5:2: 2024-09-02 is a closure in the school's calendar (INSET day), not a school day",
      "marks.csv:6:2: 2024-12-02 is after today (2024-11-29): a register cannot hold a session that has not happened",
    ]);
    expect(await print()).toEqual(before);
  });

  it('skips "#" marks on days the calendar holds as closures, with a count', async () => {
    const s = await loadMarks(marksCsv([[upn(1), "2024-09-02", "AM", "#"], [upn(1), "2024-09-03", "AM", "/"]]));
    expect(s).toMatchObject({ inserted: 1, skipped: 1 });
    expect(s.notes).toEqual(['1 "#" mark(s) on days the school\'s calendar has it closed (closures, holidays, weekends) skipped']);
  });

  it("refuses a closure with a mistyped year, and one from 1900 to 2199 at once, naming the rows", async () => {
    const before = await print();
    const mistyped = await refused(loadCalendar(`${CALENDAR_2024}\nclosure,Training day,2062-10-27,2062-10-27\nclosure,Everything,1900-01-01,2199-12-31`));
    expect(mistyped.message.split("\n")).toEqual([
      'calendar.csv:9:3: closure "Training day" (2062-10-27 to 2062-10-27) is in 2062/63, but this file gives no half terms for that year: check the year, or add that year\'s half terms',
      'calendar.csv:10:4: closure "Everything" runs from 1900-01-01 to 2199-12-31, across more than one academic year (1 August to 31 July): check the years',
    ]);
    expect(await print()).toEqual(before);
  });

  it("refuses a calendar that would leave stored marks outside school days, naming them", async () => {
    await loadMarks(marksCsv([[upn(1), "2024-10-21", "AM", "/"], [upn(1), "2024-10-21", "PM", "\\"]]));
    const before = await print();
    const e = await refused(loadCalendar(CALENDAR_2024.replace("2024-10-25", "2024-10-18")));
    expect(e.message.split("\n")).toEqual([
      `calendar.csv:1:1: this calendar makes 2024-10-21 outside every half term, but the register holds a mark for it (${upn(1)} AM "/"): correct the calendar, or amend that mark first`,
      `calendar.csv:1:1: this calendar makes 2024-10-21 outside every half term, but the register holds a mark for it (${upn(1)} PM "\\"): correct the calendar, or amend that mark first`,
    ]);
    expect(await print()).toEqual(before);
    const closed = await refused(loadCalendar(`${CALENDAR_2024}\nclosure,Snow,2024-10-21,2024-10-21`));
    expect(closed.message.split("\n")[0]).toBe(
      `calendar.csv:9:3: this calendar makes 2024-10-21 a closure (Snow), but the register holds a mark for it (${upn(1)} AM "/"): correct the calendar, or amend that mark first`,
    );
  });
});

describe("up to 50 errors in one refusal (item 14)", () => {
  it("reports the first 50 of 60 bad rows, each with file:line:column, and how many more", async () => {
    const rows = Array.from({ length: 60 }, (_, i) => [upn(1), "2024-09-10", i % 2 ? "AM" : "PM", "Q9"]);
    const e = await refused(loadMarks(marksCsv(rows)));
    expect(e).toBeInstanceOf(ImportRefused);
    const refusal = e as ImportRefused;
    expect(refusal.errors).toHaveLength(50);
    expect(refusal.total).toBe(60);
    const lines = e.message.split("\n");
    expect(lines).toHaveLength(51);
    expect(lines[0]).toBe('marks.csv:2:4: unknown attendance code "Q9"');
    expect(lines[49]).toBe('marks.csv:51:4: unknown attendance code "Q9"');
    expect(lines[50]).toBe("… and 10 more error(s) not listed (the first 50 are shown)");
  });

  it("merges row errors and set-based errors in line order", async () => {
    const e = await refused(loadMarks(marksCsv([[upn(9), "2024-09-10", "AM", "/"], [upn(1), "2024-09-10", "AM", "Q9"], [upn(1), "2024-09-14", "AM", "/"]])));
    expect(e.message.split("\n")).toEqual([
      `marks.csv:2:1: unknown pupil ${upn(9)}: import the pupil first`,
      'marks.csv:3:4: unknown attendance code "Q9"',
      "marks.csv:4:2: 2024-09-14 is a Saturday: registers are taken on school days only",
    ]);
  });
});
