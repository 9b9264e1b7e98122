/**
 * A mark read from a string of marks (a CTF's AttendMarks, a week string) is given by its own
 * character: a fault of its date — a day in a holiday, after today — or a session given twice is
 * said at that character, the pupil's own line and column (a week string's, the string's field),
 * naming the pupil (analytics/import/readers/long-rows.ts MarksTable.placedAtCode). Until session 51 the date of every such mark was the field of the
 * first mark of that session in the file: two pupils' holiday marks were both said at the first
 * pupil's line, "(2 rows have marks in this column)", the second pupil never named. A grid's date
 * is still said once, at its column's header cell.
 *
 * By hand: autumn 2026, half term holiday Monday 26 – Friday 30 October (AUTUMN_2026_CALENDAR).
 * Each CTF string starts Thursday 22 October: Thu AM, Thu PM, Fri AM, Fri PM, Sat ##, Sun ##, then
 * Mon 26 AM (character 9) and PM (10) — marks in the holiday.
 */
import { afterAll, beforeEach, afterEach, describe, expect, it } from "vitest";
import { importFiles } from "../analytics/import/index.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";
import { ctfEnvelope } from "./fixtures/import/register-layouts.ts";
import { AUTUMN_2026_CALENDAR, ctfPupilXml, inputFolder, refusalMessage } from "./fixtures/import/ctf.ts";

const folder = inputFolder("placed-at-code");
afterAll(() => folder.remove());
const SCHOOL = { lea: "820", estab: "2000", name: "Ludlow Primary", academicYear: "2026" };
const HOLIDAY_MARKS = "////####//";

let db: string;
let savedToday: string | undefined;
beforeEach(async () => {
  savedToday = process.env.ROLLCALL_TODAY;
  process.env.ROLLCALL_TODAY = "2026-12-04";
  db = tempDbPath("placed-at-code");
  const roll = [1, 2].map((n) => pupil(n, { admission_date: "2026-09-01", year_group: "3", reg_group: "3B" }));
  await importFiles(db, { calendar: folder.write("calendar.csv", AUTUMN_2026_CALENDAR), pupils: folder.write("pupils.csv", pupilsCsv(roll)) }, { by: BY, asOf: "2026-09-01" });
}, 60_000);
afterEach(async () => {
  if (savedToday === undefined) delete process.env.ROLLCALL_TODAY;
  else process.env.ROLLCALL_TODAY = savedToday;
  await removeDb(db);
});

/** The school's own CTF (its MIS's export) of pupils 1 and 2, each with `marks` from `start`; `oneLine` writes the whole file on one line. */
function ownCtf(years: { start: string; marks: string }[], oneLine = false): string {
  const pupils = [1, 2]
    .map((n) => ctfPupilXml({ upn: upn(n), forename: `Pupil${n}`, surname: "Ludlow", dob: "2018-01-01", sex: "F", year: "3", years, schools: [{ ...SCHOOL, entry: "2026-09-01" }] }))
    .join("\n");
  const xml = ctfEnvelope({ dateTime: "2026-12-04T09:00:00", source: SCHOOL }, pupils);
  return oneLine ? xml.replace(/\n\s*/g, "") : xml;
}

/** Line and column (1-based) of the `n`th occurrence of `text` in `xml`, and of its character `i` (0-based). */
function placeOf(xml: string, text: string, n: number, i: number): string {
  let at = -1;
  for (let k = 0; k <= n; k++) at = xml.indexOf(text, at + 1);
  const before = xml.slice(0, at + i);
  return `${before.split("\n").length}:${before.length - before.lastIndexOf("\n")}`;
}

describe("a mark from a string of marks is placed at its own character", () => {
  it("a CTF: each pupil's holiday marks at that pupil's own AttendMarks characters", async () => {
    const xml = ownCtf([{ start: "2026-10-22", marks: HOLIDAY_MARKS }]);
    const message = await refusalMessage(importFiles(db, { marks: folder.write("own.xml", xml) }, { by: BY }));
    const tag = `<AttendMarks>${HOLIDAY_MARKS}`;
    const off = "<AttendMarks>".length;
    const holiday = "2026-10-26 is in a holiday in the school's calendar (outside every half term), not a school day";
    // Each with its session (trial 52: none was given).
    const am = `Monday 2026-10-26 AM: ${holiday}`;
    const pm = `Monday 2026-10-26 PM: ${holiday}`;
    expect(message.split("\n")).toEqual([
      `own.xml:${placeOf(xml, tag, 0, off + 8)}: ${upn(1)}, ${am}`,
      `own.xml:${placeOf(xml, tag, 0, off + 9)}: ${upn(1)}, ${pm}`,
      `own.xml:${placeOf(xml, tag, 1, off + 8)}: ${upn(2)}, ${am}`,
      `own.xml:${placeOf(xml, tag, 1, off + 9)}: ${upn(2)}, ${pm}`,
    ]);
    // The two pupils' AttendMarks are on different lines: the second pupil is named by its own.
    expect(placeOf(xml, tag, 0, off).split(":")[0]).not.toBe(placeOf(xml, tag, 1, off).split(":")[0]);
  });

  it("a CTF written on one line (as an MIS may write it), its characters past column 32,767, is imported (it was refused: \"number out of int16 range\")", async () => {
    // Thursday 3 and Friday 4 September, the weekend, three whole weeks, Monday and Tuesday: 19 days.
    const marks = "////####" + "//////////####".repeat(3) + "////";
    const xml = ownCtf([{ start: "2026-09-03", marks }], true).replace("<CTFpupilData>", `<CTFpupilData><!--${" ".repeat(40_000)}-->`);
    expect(xml.trimEnd()).not.toContain("\n");
    const [, result] = await importFiles(db, { pupils: folder.write("one-line.xml", xml) }, { by: BY });
    expect(result).toMatchObject({ kind: "marks", inserted: 2 * 19 * 2 });
  });

  it("a CTF on one line whose pupil has two YearData giving the same sessions: each session given again is refused at its character (they were stored twice)", async () => {
    // Monday 7 September 2026, AM and PM, in both YearData of each pupil; Tuesday 8 in the first only.
    const xml = ownCtf([{ start: "2026-09-07", marks: "////" }, { start: "2026-09-07", marks: "//" }], true);
    const message = await refusalMessage(importFiles(db, { marks: folder.write("twice.xml", xml) }, { by: BY }));
    const tag = "<AttendMarks>";
    const at = (n: number, i: number) => placeOf(xml, tag, n, tag.length + i);
    const first = (n: number, i: number) => { const [line, column] = at(n, i).split(":"); return `line ${line}, column ${column}`; };
    // Occurrences of the tag: pupil 1's two YearData (0, 1), pupil 2's (2, 3).
    expect(message.split("\n")).toEqual([
      `twice.xml:${at(1, 0)}: duplicate session: ${upn(1)} 2026-09-07 AM is already given on ${first(0, 0)}`,
      `twice.xml:${at(1, 1)}: duplicate session: ${upn(1)} 2026-09-07 PM is already given on ${first(0, 1)}`,
      `twice.xml:${at(3, 0)}: duplicate session: ${upn(2)} 2026-09-07 AM is already given on ${first(2, 0)}`,
      `twice.xml:${at(3, 1)}: duplicate session: ${upn(2)} 2026-09-07 PM is already given on ${first(2, 1)}`,
    ]);
  });

  it("week strings: each row's holiday marks at its own line (a string is one field: its day's two sessions one place)", async () => {
    const csv = `UPN,WeekStart,WeekMarks\n${upn(1)},2026-10-19,//////////##\n${upn(2)},2026-10-26,//\n${upn(1)},2026-10-26,//\n`;
    const message = await refusalMessage(importFiles(db, { marks: folder.write("weeks.csv", csv) }, { by: BY }));
    const holiday = "2026-10-26 is in a holiday in the school's calendar (outside every half term), not a school day";
    expect(message.split("\n")).toEqual([`weeks.csv:3:3: ${upn(2)}, Monday 2026-10-26 AM and PM: ${holiday}`, `weeks.csv:4:3: ${upn(1)}, Monday 2026-10-26 AM and PM: ${holiday}`]);
  });

  it("a grid: a holiday date said once, at its column's header, with the rows marked in it", async () => {
    const csv = `UPN,2026-10-23 AM,2026-10-26 AM\n${upn(1)},/,/\n${upn(2)},/,/\n`;
    const message = await refusalMessage(importFiles(db, { marks: folder.write("grid.csv", csv) }, { by: BY }));
    expect(message).toBe("grid.csv:1:3: 2026-10-26 is in a holiday in the school's calendar (outside every half term), not a school day (2 rows have marks in this column)");
  });

  it("week strings: a day past the last date a register can hold is said at its character, not at line 0 (review 51)", async () => {
    // Monday 30 December 2199: Thursday is 2 January 2200, past the dates read (1900–2199).
    const csv = `UPN,WeekStart,WeekMarks\n${upn(1)},2199-12-30,////////\n`;
    const lines = (await refusalMessage(importFiles(db, { marks: folder.write("far.csv", csv) }, { by: BY }))).split("\n");
    expect(lines.some((line) => line.startsWith("far.csv:0:0"))).toBe(false);
    expect(lines.filter((line) => line.includes("2200-01-01")).every((line) => line.startsWith("far.csv:2:3: "))).toBe(true);
    expect(lines.some((line) => line.includes("2200-01-01"))).toBe(true);
  });
});

/**
 * A `#` on a day the calendar has the school closed agrees with it and gives no session, in every
 * layout (checks-marks.ts closedDaySql): a CTF across the October half term, its holiday written
 * `#` as an MIS writes it, was refused ten times "is in a holiday … not a school day" (trial 51).
 * By hand: from Thursday 22 October, Thu and Fri present (4), the weekend and the holiday week
 * Monday 26 – Friday 30 October `#` (18 characters), then Monday 2 November present (2): 6 marks a
 * pupil stored, 10 holiday `#` skipped a pupil.
 */
describe("a # on a day the school is closed by its calendar", () => {
  it("a CTF across the half term: the holiday's # skipped and counted, the school days stored", async () => {
    const xml = ownCtf([{ start: "2026-10-22", marks: `////${"#".repeat(18)}//` }]);
    const [, marks] = await importFiles(db, { marks: folder.write("half-term.xml", xml) }, { by: BY });
    // The marks read are those kept, as the import's record counts them (trial 52: the preview
    // said "2 (32 marks)", the record "12 marks").
    expect(marks).toMatchObject({ kind: "marks", inserted: 12, skipped: 20, marksRead: 12 });
    expect((marks as { notes?: string[] }).notes).toContain(`20 "#" mark(s) on days the school's calendar has it closed (closures, holidays, weekends) skipped`);
  });

  it("week strings and a long file: the holiday week's # and a Saturday's # skipped; another mark there still refused", async () => {
    const weeks = `UPN,WeekStart,WeekMarks\n${upn(1)},2026-10-26,##############\n${upn(2)},2026-10-19,//////////####\n`;
    const [week] = await importFiles(db, { marks: folder.write("weeks.csv", weeks) }, { by: BY });
    expect(week).toMatchObject({ inserted: 10, skipped: 10, marksRead: 10 });
    const long = `upn,date,session,code\n${upn(1)},2026-10-31,AM,#\n${upn(1)},2026-10-30,PM,#\n${upn(1)},2026-11-02,AM,/\n`;
    const [read] = await importFiles(db, { marks: folder.write("long.csv", long) }, { by: BY });
    expect(read).toMatchObject({ inserted: 1, skipped: 2 });
    const refused = await refusalMessage(importFiles(db, { marks: folder.write("holiday-o.csv", `upn,date,session,code\n${upn(1)},2026-10-28,AM,O\n`) }, { by: BY }));
    expect(refused).toBe("holiday-o.csv:2:2: 2026-10-28 is in a holiday in the school's calendar (outside every half term), not a school day");
  });
});
