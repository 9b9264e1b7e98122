/**
 * Every fault of a file's header is told at once (analytics/csv.ts mapHeader, faultsTogether): a
 * column given twice and a column missing were told one after the other, a try each (trial 50),
 * where a file's row faults are all listed. Nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { importFiles } from "../analytics/import/index.ts";
import { ACCEPTED_LAYOUTS } from "../analytics/import/readers/layout.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, fingerprint } from "./fixtures/import/helpers.ts";
import { AUTUMN_2026_CALENDAR, inputFolder, refusalMessage } from "./fixtures/import/ctf.ts";

const folder = inputFolder("header-faults");
const db = tempDbPath("header-faults");
beforeAll(async () => {
  await importFiles(db, { calendar: folder.write("calendar.csv", AUTUMN_2026_CALENDAR) }, { by: BY, asOf: "2026-09-01" });
});
afterAll(async () => {
  folder.remove();
  await removeDb(db);
});

describe("a header's faults, all at once", () => {
  it("a marks file: the date given twice and the session missing", async () => {
    const before = await withConnection(db, fingerprint);
    const message = await refusalMessage(importFiles(db, { marks: folder.write("marks.csv", "upn,date,Date,code\nA123456789012,2026-09-01,2026-09-01,/\n") }, { by: BY }));
    expect(message.split("\n")).toEqual([
      'marks.csv:1:1: missing column "session": the header has "upn", "date", "Date", "code"; accepted headings for it: "session" or "AM/PM"',
      'marks.csv:1:3: column "Date" repeats "date" (column 2, "date"): remove one, or rename it if it holds something else',
    ]);
    expect(await withConnection(db, fingerprint)).toEqual(before);
  });

  it("a pupils file: the UPN given twice, the surname given twice, ethnicity missing", async () => {
    const before = await withConnection(db, fingerprint);
    const header = "upn,forename,surname,dob,sex,year_group,reg_group,admission_date,leaving_date,sen,fsm,eal,lac,UPN,Legal Surname";
    const message = await refusalMessage(importFiles(db, { pupils: folder.write("pupils.csv", `${header}\n`) }, { by: BY }));
    const lines = message.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^pupils\.csv:1:1: missing column "ethnicity": the header has /);
    expect(lines.slice(1)).toEqual(['pupils.csv:1:14: column "UPN" repeats "upn" (column 1, "upn"): remove one, or rename it if it holds something else', 'pupils.csv:1:15: column "Legal Surname" repeats "surname" (column 3, "surname"): remove one, or rename it if it holds something else']);
    expect(await withConnection(db, fingerprint)).toEqual(before);
  });

  it("a pupils file and a marks file: each header's faults, in one refusal (the marks file's alone was told, the pupils file's on the next try)", async () => {
    const before = await withConnection(db, fingerprint);
    const pupils = folder.write("pupils-missing.csv", "upn,forename,surname,dob,sex,year_group,reg_group,admission_date,leaving_date,sen,fsm,eal,lac\n");
    const marks = folder.write("marks-twice.csv", "upn,date,Date,session,code\nA123456789012,2026-09-01,2026-09-01,AM,/\n");
    const lines = (await refusalMessage(importFiles(db, { pupils, marks }, { by: BY }))).split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^pupils-missing\.csv:1:1: missing column "ethnicity": the header has /);
    expect(lines[1]).toBe('marks-twice.csv:1:3: column "Date" repeats "date" (column 2, "date"): remove one, or rename it if it holds something else');
    expect(await withConnection(db, fingerprint)).toEqual(before);
  });

  it("week strings (--layout week): every column missing", async () => {
    const message = await refusalMessage(importFiles(db, { marks: folder.write("not-weeks.csv", "upn,date,session,code\nA123456789012,2026-09-01,AM,/\n") }, { by: BY, layout: "week" }));
    const has = 'the header has "upn", "date", "session", "code"';
    expect(message.split("\n")).toEqual([
      `not-weeks.csv:1:1: week strings need a "WeekStart" column (headed "WeekStart", "Week beginning", "Week commencing", "WC", "Week starting" or "Week"): ${has}`,
      `not-weeks.csv:1:1: week strings need a "WeekMarks" column (headed "WeekMarks", "Marks", "Week string", "Attendance string" or "Session marks"): ${has}`,
    ]);
  });

  it("week strings found without the layout given: a header with one of their columns is read as theirs, its faults told (trial 52: 'not recognised')", async () => {
    const message = await refusalMessage(importFiles(db, { marks: folder.write("weeks-bad.csv", "UPN,WeekStart,WeekStart,Sessions\nA123456789012,07/09/2026,07/09/2026,//////////\n") }, { by: BY }));
    expect(message.split("\n")).toEqual([
      `weeks-bad.csv:1:1: week strings need a "WeekMarks" column (headed "WeekMarks", "Marks", "Week string", "Attendance string" or "Session marks"): the header has "UPN", "WeekStart", "WeekStart", "Sessions"; read as week strings for its column "WeekStart": accepted layouts: ${ACCEPTED_LAYOUTS}`,
      'weeks-bad.csv:1:3: column "WeekStart" repeats "WeekStart" (column 2, "WeekStart"): remove one, or rename it if it holds something else',
    ]);
    // A grid whose headings hold no date, beside a "Week" column, is told the grid's layout too,
    // not week strings alone: the layout was a guess from one column (review 52b).
    const undated = await refusalMessage(importFiles(db, { marks: folder.write("grid-undated.csv", "UPN,Week,Mon AM,Mon PM\nA123456789012,07/09/2026,/,\\\n") }, { by: BY }));
    expect(undated).toBe(
      `grid-undated.csv:1:1: week strings need a "WeekMarks" column (headed "WeekMarks", "Marks", "Week string", "Attendance string" or "Session marks"): the header has "UPN", "Week", "Mon AM", "Mon PM"; read as week strings for its column "Week": accepted layouts: ${ACCEPTED_LAYOUTS}`,
    );
    expect(undated).toContain('a grid (UPN and one column per session headed like "Mon 06/01/2025 AM")');
    // A long file with a week column of its own is still a long file.
    const long = "upn,date,session,code,week\nA123456789012,2026-09-07,AM,/,2026-09-07\n";
    expect(await refusalMessage(importFiles(db, { marks: folder.write("long-week.csv", long) }, { by: BY }))).not.toMatch(/week strings/);
  });

  it("week strings: a second heading for the week's marks is refused, not guessed past (the first was read, silently)", async () => {
    const csv = "UPN,WeekStart,WeekMarks,Marks\nA123456789012,2026-09-07,//////////,\\\\\n";
    const message = await refusalMessage(importFiles(db, { marks: folder.write("weeks-twice.csv", csv) }, { by: BY }));
    expect(message).toBe('weeks-twice.csv:1:4: column "Marks" repeats "WeekMarks" (column 3, "WeekMarks"): remove one, or rename it if it holds something else');
  });
});
