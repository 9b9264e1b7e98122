import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inTransaction, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { InputError } from "../analytics/csv.ts";
import { importFiles, importMarks, importPupils } from "../analytics/import/index.ts";
import { tempDbPath, removeDb } from "./helpers/db.ts";
import { BY, count, fingerprint, marksCsv, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

let db: string;
beforeEach(async () => {
  db = tempDbPath("import-marks");
  // Pupil 1 on roll throughout; pupil 2 from 2023-09-04 to 2024-12-20.
  await tx((conn) =>
    importPupils(conn, {
      file: "pupils.csv",
      text: pupilsCsv([pupil(1, { admission_date: "2021-09-01" }), pupil(2, { admission_date: "2023-09-04", leaving_date: "2024-12-20" })]),
      by: BY,
      asOf: "2023-09-04",
    }),
  );
});
afterEach(async () => {
  await removeDb(db);
});

const tx = <T>(work: (conn: Connection) => Promise<T>) => withConnection(db, (conn) => inTransaction(conn, () => work(conn)));
const load = (text: string, file = "marks.csv", reason?: string) => tx((conn) => importMarks(conn, { file, text, by: BY, reason }));
const refusal = (text: string, file = "bad.csv") => load(text, file).then(() => "accepted", (e: unknown) => (e instanceof InputError ? e.message : `not an InputError: ${e}`));
const marks = () => withConnection(db, (conn) => queryRows(conn, "SELECT upn, date, session, code, minutes_late, import_id FROM marks ORDER BY upn, date, session"));

const week = marksCsv([
  [upn(1), "2024-09-02", "AM", "/"],
  [upn(1), "2024-09-02", "PM", "\\"],
  [upn(1), "2024-09-03", "AM", "I"],
  [upn(2), "2024-09-02", "AM", "L"],
  [upn(2), "2024-09-02", "PM", "N"],
]);

describe("importMarks", () => {
  it("inserts marks stamped with the import that wrote them", async () => {
    const s = await load(week);
    // The week's first and last date, 2 and 3 Sep (trial 54: what days a file covered).
    expect(s).toEqual({ kind: "marks", file: "marks.csv", rowsRead: 5, inserted: 5, amended: 0, unchanged: 0, importId: 2, firstDate: "2024-09-02", lastDate: "2024-09-03" });
    const rows = await marks();
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({ upn: upn(1), date: "2024-09-02", session: "AM", code: "/", minutes_late: null, import_id: 2 });
    const [imp] = await withConnection(db, (conn) => queryRows(conn, "SELECT kind, file_name, rows_read, rows_inserted FROM imports WHERE import_id = 2"));
    expect(imp).toEqual({ kind: "marks", file_name: "marks.csv", rows_read: 5, rows_inserted: 5 });
  });

  it("accepts aliases, a BOM, CRLF, quoted fields, UK dates, lower-case sessions, minutes late and either stroke for present", async () => {
    const text =
      "\uFEFFAttendance Date,AM/PM,UPN,Attendance Mark,Mins Late,Teacher\r\n" +
      `02/09/2024,am,${upn(1)},"\\",,Ms A\r\n` +
      `02/09/2024,Pm,${upn(1)},/,,Ms A\r\n` +
      `03/09/2024,AM,${upn(1)},l,12,"Smith, J"\r\n`;
    const s = await load(text, "sims-marks.csv");
    expect(s.inserted).toBe(3);
    expect((await marks()).map((m) => [m.date, m.session, m.code, m.minutes_late])).toEqual([
      ["2024-09-02", "AM", "/", null],
      ["2024-09-02", "PM", "\\", null],
      ["2024-09-03", "AM", "L", 12],
    ]);
    // The other stroke convention re-imported is the same register, not an amendment.
    const swapped = marksCsv([
      [upn(1), "2024-09-02", "AM", "\\"],
      [upn(1), "2024-09-02", "PM", "/"],
    ]);
    expect((await load(swapped)).importId).toBeNull();
    // Sessions spelled out, as some MIS exports write them (and grid headers already read them):
    // the same register again, so nothing changes.
    const spelled = marksCsv([
      [upn(1), "2024-09-02", "Morning", "/"],
      [upn(1), "2024-09-02", "afternoon", "\\"],
      [upn(1), "2024-09-03", "a.m.", "L", "12"],
    ], "upn,date,session,code,minutes_late");
    expect(await load(spelled, "spelled.csv")).toMatchObject({ inserted: 0, amended: 0, unchanged: 3 });
  });

  it("re-importing the same file changes nothing, not even the imports table", async () => {
    await load(week);
    const before = await withConnection(db, fingerprint);
    expect(await load(week)).toEqual({ kind: "marks", file: "marks.csv", rowsRead: 5, inserted: 0, amended: 0, unchanged: 5, importId: null, firstDate: "2024-09-02", lastDate: "2024-09-03" });
    expect(await withConnection(db, fingerprint)).toEqual(before);
  });

  it("never overwrites a mark silently: a changed code is amended with the original kept", async () => {
    await load(week);
    const changed = marksCsv([
      [upn(1), "2024-09-02", "AM", "/"],
      [upn(2), "2024-09-02", "PM", "I"],
      [upn(1), "2024-09-04", "AM", "/"],
    ]);
    const s = await load(changed, "monday-fix.csv");
    expect(s).toEqual({
      kind: "marks",
      file: "monday-fix.csv",
      rowsRead: 3,
      inserted: 1,
      amended: 1,
      unchanged: 1,
      importId: 3,
      firstDate: "2024-09-02",
      lastDate: "2024-09-04",
      amendedMarks: [{ upn: upn(2), name: "Surname2, Forename2", date: "2024-09-02", session: "PM", before: "N", after: "I", beforeCode: "N", afterCode: "I" }],
    });
    const amendments = await withConnection(db, (conn) => queryRows(conn, "SELECT * FROM amendments"));
    expect(amendments).toHaveLength(1);
    expect(amendments[0]).toMatchObject({
      amendment_id: 1,
      upn: upn(2),
      date: "2024-09-02",
      session: "PM",
      original_code: "N",
      new_code: "I",
      reason: "Changed by import of monday-fix.csv",
      amended_by: BY.name,
      amended_by_role: BY.role,
      import_id: 3,
    });
    expect(String(amendments[0].amended_at)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d/);
    const m = (await marks()).find((r) => r.upn === upn(2) && r.session === "PM");
    expect(m).toMatchObject({ code: "I", import_id: 3 });

    // A given reason is kept; minutes late changing is an amendment too.
    await load(marksCsv([[upn(2), "2024-09-02", "PM", "M", "5"]], "upn,date,session,code,minutes_late"), "fix2.csv", "Parent phoned: dentist");
    const second = await withConnection(db, (conn) => queryRows(conn, "SELECT original_code, new_code, reason FROM amendments WHERE amendment_id = 2"));
    expect(second).toEqual([{ original_code: "I", new_code: "M", reason: "Parent phoned: dentist" }]);
  });

  it("reads a code as it was on the session's date", async () => {
    // H (agreed holiday) and J (interview) were valid before 19 August 2024.
    const legacy = marksCsv([
      [upn(2), "2023-10-02", "AM", "H"],
      [upn(2), "2023-10-02", "PM", "J"],
      [upn(2), "2024-08-16", "AM", "F"],
    ]);
    expect((await load(legacy)).inserted).toBe(3);
    const before = await withConnection(db, fingerprint);
    expect(await refusal(marksCsv([[upn(2), "2024-10-02", "AM", "H"]]))).toBe(
      'bad.csv:2:4: code "H" (Family holiday (agreed)) was withdrawn on 19 August 2024 and is not valid on 2024-10-02',
    );
    expect(await refusal(marksCsv([[upn(2), "2024-08-16", "PM", "J1"]]))).toMatch(
      /^bad\.csv:2:4: code "J1" .* was introduced on 19 August 2024 and is not valid on 2024-08-16/,
    );
    expect(await withConnection(db, fingerprint)).toEqual(before);
    expect((await load(marksCsv([[upn(2), "2024-08-19", "AM", "J1"]]))).inserted).toBe(1);
  });

  describe("refuses a bad file whole, naming file, line and column, and changes nothing", () => {
    const ok = (n: number): string[] => [upn(1), `2024-09-${String(9 + n).padStart(2, "0")}`, "AM", "/"];
    const MISTYPED = `${upn(1)[0]}${upn(2).slice(1)}`;
    const cases: [string, string, string][] = [
      ["unknown code", marksCsv([ok(0), [upn(1), "2024-09-10", "AM", "Q9"]]), 'bad.csv:3:4: unknown attendance code "Q9"'],
      ["bad date", marksCsv([ok(0), ok(1), [upn(1), "2024-13-01", "AM", "/"]]), 'bad.csv:4:2: date: "2024-13-01" is not a date'],
      ["bad session", marksCsv([[upn(1), "2024-09-10", "EVE", "/"]]), 'bad.csv:2:3: session must be AM or PM, not "EVE"'],
      ["negative minutes late", marksCsv([[upn(1), "2024-09-10", "AM", "L", "-3"]], "upn,date,session,code,minutes_late"), "bad.csv:2:5: minutes late must be a whole number"],
      ["fractional minutes late", marksCsv([[upn(1), "2024-09-10", "AM", "L", "2.5"]], "upn,date,session,code,minutes_late"), "bad.csv:2:5: minutes late must be a whole number"],
      ["bad UPN", marksCsv([["X1", "2024-09-10", "AM", "/"]]), 'bad.csv:2:1: "X1" is not a UPN'],
      ["unknown pupil", marksCsv([ok(0), ok(1), [upn(9), "2024-09-10", "AM", "/"]]), `bad.csv:4:1: unknown pupil ${upn(9)}: import the pupil first`],
      // Pupil 1's check letter on pupil 2's digits: most likely a slip of one digit (trial 36).
      [
        "unknown pupil, check letter wrong for its digits",
        marksCsv([[MISTYPED, "2024-09-10", "AM", "/"]]),
        `bad.csv:2:1: unknown pupil ${MISTYPED}: import the pupil first (or mistyped: its check letter is not the one the DfE's UPN algorithm gives for its digits, which would start it with ${upn(2)[0]})`,
      ],
      [
        "duplicate session",
        marksCsv([ok(0), [upn(1), "2024-09-10", "PM", "/"], ok(1), [upn(1), "2024-09-10", "pm", "I"]]),
        `bad.csv:5:3: duplicate session: ${upn(1)} 2024-09-10 PM is already given on line 3`,
      ],
      ["before admission", marksCsv([ok(0), [upn(2), "2023-09-01", "AM", "/"]]), `bad.csv:3:2: ${upn(2)} was not on roll on 2023-09-01 (admitted 2023-09-04, left 2024-12-20)`],
      ["after leaving", marksCsv([[upn(2), "2025-01-06", "AM", "/"]]), `bad.csv:2:2: ${upn(2)} was not on roll on 2025-01-06 (admitted 2023-09-04, left 2024-12-20)`],
      ["missing column", "upn,date,code\n", 'bad.csv:1:1: missing column "session"'],
      // The earliest bad line wins, whether it was found while parsing or by the set-based checks.
      ["earliest line first (store check)", marksCsv([[upn(9), "2024-09-10", "AM", "/"], [upn(1), "2024-09-10", "AM", "Q9"]]), `bad.csv:2:1: unknown pupil ${upn(9)}`],
      ["earliest line first (row check)", marksCsv([[upn(1), "2024-09-10", "AM", "Q9"], [upn(9), "2024-09-10", "AM", "/"]]), 'bad.csv:2:4: unknown attendance code "Q9"'],
    ];
    for (const [label, text, message] of cases) {
      it(label, async () => {
        await load(week);
        const before = await withConnection(db, fingerprint);
        const got = await refusal(text);
        expect(got.startsWith(message), got).toBe(true);
        expect(await withConnection(db, fingerprint)).toEqual(before);
      });
    }

    it("says nothing of a typing slip for an unknown pupil whose check letter is right for its digits (a pupil still to import)", async () => {
      await load(week);
      const got = await refusal(marksCsv([[upn(9), "2024-09-10", "AM", "/"]]));
      expect(got).toContain(`unknown pupil ${upn(9)}: import the pupil first`);
      expect(got).not.toContain("mistyped");
    });
  });

  it("tells every fault of one row, not only the first (the school corrects the file once)", async () => {
    await load(week);
    const before = await withConnection(db, fingerprint);
    const text = marksCsv(
      [
        ["X1", "2024-13-01", "EVE", "Q9", "-3"],
        // Without a date a code that exists is not judged; an unknown one still is.
        [upn(1), "31/02/2024", "AM", "B"],
        // A layout it does not take: the layouts it does, since no day can be read from it.
        [upn(1), "2024/09/02", "PM", "/"],
      ],
      "upn,date,session,code,minutes_late",
    );
    expect((await refusal(text)).split("\n")).toEqual([
      'bad.csv:2:1: "X1" is not a UPN (a capital letter, 11 digits, then a digit or capital letter)',
      'bad.csv:2:2: date: "2024-13-01" is not a date: there is no month 13 (months are 01 to 12)',
      'bad.csv:2:3: session must be AM or PM, not "EVE"',
      'bad.csv:2:4: unknown attendance code "Q9"',
      'bad.csv:2:5: minutes late must be a whole number of minutes (0 or more) or empty, not "-3"',
      'bad.csv:3:2: date: "31/02/2024" is not a date: February 2024 has 29 days',
'bad.csv:4:2: date: "2024/09/02" is not a date (expected YYYY-MM-DD or DD/MM/YYYY)',
    ]);
    expect(await withConnection(db, fingerprint)).toEqual(before);
  });

  it("rows loaded through the appender roll back with the caller's transaction", async () => {
    const error = await tx(async (conn) => {
      const s = await importMarks(conn, { file: "marks.csv", text: week, by: BY });
      expect(s.inserted).toBe(5);
      expect(await count(conn, "marks")).toBe(5);
      throw new Error("later step failed");
    }).catch((e: Error) => e.message);
    expect(error).toBe("later step failed");
    await withConnection(db, async (conn) => {
      expect(await count(conn, "marks")).toBe(0);
      expect(await count(conn, "imports")).toBe(1); // the pupils import only
    });
  });
});

describe("importFiles", () => {
  const dir = () => path.dirname(db);
  const write = (name: string, text: string) => {
    const file = path.join(dir(), name);
    fs.writeFileSync(file, text);
    return file;
  };
  const calendar = "kind,name,start_date,end_date\nhalf_term,autumn-1,2024-09-02,2024-10-25\n";

  it("imports calendar, pupils and marks in one transaction and reports each", async () => {
    const files = {
      calendar: write("calendar.csv", calendar),
      pupils: write("roll.csv", pupilsCsv([pupil(3, { admission_date: "2024-09-02" })])),
      marks: write("register.csv", marksCsv([[upn(3), "2024-09-02", "AM", "/"]])),
    };
    const summaries = await importFiles(db, files, { by: BY, asOf: "2024-09-02" });
    expect(summaries.map((s) => [s.kind, s.file, s.inserted])).toEqual([
      ["calendar", "calendar.csv", 1],
      ["pupils", "roll.csv", 1],
      ["marks", "register.csv", 1],
    ]);
    expect(summaries.every((s) => s.importId !== null)).toBe(true);
    const again = await importFiles(db, files, { by: BY, asOf: "2024-09-02" });
    expect(again.map((s) => s.importId)).toEqual([null, null, null]);
  });

  it("a refused marks file leaves the calendar and pupils of the same call unwritten", async () => {
    const before = await withConnection(db, fingerprint);
    const error = await importFiles(
      db,
      {
        calendar: write("calendar.csv", calendar),
        pupils: write("roll.csv", pupilsCsv([pupil(3, { admission_date: "2024-09-02" })])),
        marks: write("register.csv", marksCsv([[upn(3), "2024-09-02", "AM", "/"], [upn(3), "2024-09-02", "XX", "/"]])),
      },
      { by: BY, asOf: "2024-09-02" },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe('register.csv:3:3: session must be AM or PM, not "XX"');
    expect(await withConnection(db, fingerprint)).toEqual(before);
  });
});
