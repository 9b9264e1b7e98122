/**
 * Reading the files schools actually have (issue 10, items 1, 3, 4 and 9): each case that
 * failed before, with its right outcome — read as a person would, or refused with
 * file:line:column and nothing changed.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError, WrongFileError, columnLetters, widthError } from "../analytics/csv.ts";
import { workbookNameProblem } from "../analytics/import/readers/index.ts";
import { ImportRefused } from "../analytics/import/problems.ts";
import { queryRows, withConnection } from "../analytics/db.ts";
import { decodeBytes, decodeFileStream, writeUtf8Copy } from "../analytics/import/decode.ts";
import { importFiles, type MarksLayout } from "../analytics/import/index.ts";
import { readDelimited } from "../analytics/import/readers/delimited.ts";
import { flexibleDate, parseSessionHeader } from "../analytics/import/readers/dates.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, fingerprint } from "./fixtures/import/helpers.ts";
import { calendarCsv, ctfEnvelope, ctfXml, encode, longRows, pupilsCsv, pupilsRows, workbook } from "./fixtures/import/register-layouts.ts";
import { ctfPupilXml } from "./fixtures/import/ctf.ts";
import { readCtf } from "../analytics/import/readers/ctf.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-readers-"));
let db: string;
const ZOE = "Q820200000011";
const AOIFE = "Q820200000022";

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

beforeAll(async () => {
  db = tempDbPath("readers");
  await importFiles(db, { calendar: write("calendar.csv", calendarCsv()), pupils: write("pupils.csv", pupilsCsv()) }, { by: BY, asOf: "2025-01-06" });
}, 60_000);
afterAll(async () => {
  await removeDb(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

const importMarksFile = (name: string, content: string | Buffer, options: { layout?: MarksLayout; sheet?: string } = {}) =>
  importFiles(db, { marks: write(name, content) }, { by: BY, ...options }).then((s) => s[0]);

/** The refusal message, after checking that nothing in the database changed. */
async function refusal(name: string, content: string | Buffer, options: { layout?: MarksLayout; sheet?: string; kind?: "marks" | "pupils" | "calendar" } = {}): Promise<string> {
  const before = await withConnection(db, fingerprint);
  const file = write(name, content);
  const files = options.kind === "pupils" ? { pupils: file } : options.kind === "calendar" ? { calendar: file } : { marks: file };
  const message = await importFiles(db, files, { by: BY, layout: options.layout, sheet: options.sheet }).then(
    () => "accepted",
    (e: unknown) => (e instanceof InputError ? e.message : `not an InputError: ${e}`),
  );
  expect(await withConnection(db, fingerprint)).toEqual(before);
  expect(message).not.toContain("\uFFFD");
  return message;
}

const marksOf = (upn: string, from: string, to: string) =>
  withConnection(db, (conn) =>
    queryRows(conn, "SELECT date, session::VARCHAR AS session, code::VARCHAR AS code FROM marks WHERE upn = $upn AND date BETWEEN $from::DATE AND $to::DATE ORDER BY date, session", {
      upn,
      from,
      to,
    }),
  ).then((rows) => rows.map((r) => `${r.date} ${r.session} ${r.code}`));

describe("decoding (item 3)", () => {
  const names = "UPN,Forename,Surname\r\nQ820200000011,Zoë,O’Connell\r\nQ820200000033,Siân,Brontë\r\n";

  it.each(["utf-8", "utf-8-bom", "utf-16le", "utf-16be", "utf-16le-no-bom", "windows-1252"] as const)("reads %s exactly", (encoding) => {
    const decoded = decodeBytes(encode(names, encoding), "names.csv");
    expect(decoded.text).toBe(names);
    expect(decoded.encoding).toBe(encoding === "utf-16le-no-bom" ? "utf-16le" : encoding);
  });

  it("reads big-endian UTF-16 without a BOM by its NUL pattern", () => {
    const be = Buffer.from(names, "utf16le").swap16();
    expect(decodeBytes(be, "names.csv")).toEqual({ text: names, encoding: "utf-16be" });
  });

  it("refuses bytes that are neither UTF-8 nor Windows-1252, naming line and column, never inserting U+FFFD", () => {
    // 0x81 is undefined in Windows-1252, and alone it is not UTF-8.
    const bytes = Buffer.concat([Buffer.from("UPN,Forename\r\nQ820200000011,Zo", "latin1"), Buffer.from([0x81]), Buffer.from("\r\n", "latin1")]);
    expect(() => decodeBytes(bytes, "bad.csv")).toThrow(/^bad\.csv:2:17: byte 0x81 cannot be decoded/);
  });

  it("refuses damaged UTF-8 in a file that starts with the UTF-8 BOM instead of guessing Windows-1252", () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("a,b\nZo", "utf8"), Buffer.from([0xeb]), Buffer.from(",x\n", "utf8")]);
    expect(() => decodeBytes(bytes, "bom.csv")).toThrow(/^bom\.csv:2:3: byte 0xEB is not valid UTF-8/);
  });

  it("refuses an unpaired surrogate in UTF-16 and a NUL in 8-bit text", () => {
    const lone = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("a,b\nx", "utf16le"), Buffer.from([0x00, 0xd8]), Buffer.from(",y\n", "utf16le")]);
    expect(() => decodeBytes(lone, "u16.csv")).toThrow(/^u16\.csv:2:2: an unpaired UTF-16 surrogate/);
    expect(() => decodeBytes(Buffer.from("a,b\nx\u0000y,z\n", "latin1"), "nul.csv")).toThrow(/^nul\.csv:2:2: a NUL character/);
  });

  it("decodes a large Windows-1252 file as a stream to the same text, and writes a UTF-8 copy", async () => {
    const line = "Q820200000022,Aoife,O’Connell,Siân,Zoë\r\n";
    const text = "UPN,A,B,C,D\r\n" + line.repeat(60_000); // ~2.4 MB: more than one stream chunk
    const source = write("big-1252.csv", encode(text, "windows-1252"));
    let streamed = "";
    const stream = decodeFileStream(source, "big-1252.csv");
    let step = await stream.next();
    while (!step.done) {
      streamed += step.value;
      step = await stream.next();
    }
    expect(step.value).toBe("windows-1252");
    expect(streamed).toBe(text);
    const copy = path.join(dir, "big-utf8.csv");
    expect(await writeUtf8Copy(source, copy, "big-1252.csv")).toBe("windows-1252");
    expect(fs.readFileSync(copy, "utf8")).toBe(text);
  });

  it("refuses an undecodable byte deep in a streamed file at its line", async () => {
    const text = Buffer.concat([Buffer.from("a,b\r\n".repeat(300_000), "latin1"), Buffer.from([0x8d]), Buffer.from("\r\n", "latin1")]);
    const source = write("deep.csv", text);
    await expect(writeUtf8Copy(source, path.join(dir, "deep-copy.csv"), "deep.csv")).rejects.toThrow(/^deep\.csv:300001:1: byte 0x8D cannot be decoded/);
    expect(fs.existsSync(path.join(dir, "deep-copy.csv"))).toBe(false);
  });

  it("an undecodable pupils file is refused whole and changes nothing", async () => {
    const bytes = Buffer.concat([Buffer.from(pupilsCsv().replace("Zoë", "Zo"), "latin1"), Buffer.from([0x90])]);
    expect(await refusal("pupils-bad.csv", bytes, { kind: "pupils" })).toMatch(/^pupils-bad\.csv:5:1: byte 0x90 cannot be decoded/);
  });
});

describe("a file named as a workbook that is not one (trial 30: read as CSV, its text called a header)", () => {
  it("an .xlsx that is text is refused as not a workbook, for marks and pupils alike", async () => {
    const words = "the file is named .xlsx but is not an Excel workbook (an .xlsx file is a ZIP archive and this one is not): open it in Excel and save it again as an Excel Workbook (.xlsx), or as CSV";
    expect(await refusal("marks.xlsx", "this is not a workbook\n")).toBe(`marks.xlsx:1:1: ${words}`);
    expect(await refusal("pupils.xlsx", pupilsCsv(), { kind: "pupils" })).toBe(`pupils.xlsx:1:1: ${words}`);
    // A whole long marks CSV named .xlsx: the import's SQL path had read it as CSV (trial 30b).
    const longCsv = longRows().map((row) => row.map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v))).join(",")).join("\n") + "\n";
    expect(await refusal("marks-long.xlsx", longCsv)).toBe(`marks-long.xlsx:1:1: ${words}`);
    // The file is the wrong one: no line of it to correct (the Import page's "Correct line 1, column 1 of …" read oddly: trial 30b).
    expect(workbookNameProblem(Buffer.from("UPN,Date\n"), "marks.xlsx")).toBeInstanceOf(WrongFileError);
    expect(workbookNameProblem(Buffer.from("UPN,Date\n"), "marks.csv")).toBeNull();
  });
  it("an Excel 97–2003 workbook (.xls, an OLE2 file) is refused by name; an .xls of CSV text is read as CSV", async () => {
    const ole2 = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    expect(await refusal("marks.xls", ole2)).toMatch(/^marks\.xls:1:1: this is an Excel 97–2003 workbook \(\.xls\), which Rollcall cannot read: open it in Excel and save it as an Excel Workbook \(\.xlsx\) or as CSV$/);
    expect(await refusal("pupils.xls", pupilsCsv(), { kind: "pupils" })).toBe("accepted");
  });
});

describe("spreadsheet artefacts (item 4)", () => {
  it.each([
    ["Excel's sep=, line", "sep=,\r\nUPN,Date,Session,Code\r\nQ820200000011,06/01/2025,AM,/\r\n"],
    ["sep=; with semicolons", "sep=;\r\nUPN;Date;Session;Code\r\nQ820200000011;06/01/2025;AM;/\r\n"],
    ["semicolons", "UPN;Date;Session;Code\r\nQ820200000011;06/01/2025;AM;/\r\n"],
    ["tabs", "UPN\tDate\tSession\tCode\r\nQ820200000011\t06/01/2025\tAM\t/\r\n"],
    ["rows of empty cells", ",,,\r\nUPN,Date,Session,Code\r\n,,,\r\nQ820200000011,06/01/2025,AM,/\r\n;,,\r\n,,,\r\n".replace(";", "")],
    ["a last empty cell without its comma", "UPN,Date,Session,Code,Minutes Late\r\nQ820200000011,06/01/2025,AM,/\r\n"],
    ["empty cells right of the header", "UPN,Date,Session,Code\r\nQ820200000011,06/01/2025,AM,/,,,\r\n"],
  ])("reads a file with %s as a person would", async (_label, text) => {
    const summary = await importMarksFile("artefact.csv", text);
    expect(summary.rowsRead).toBe(1);
    expect(await marksOf(ZOE, "2025-01-06", "2025-01-06")).toEqual(["2025-01-06 AM /"]);
  });

  it("keeps the file's line numbers when a sep= line and empty rows are removed", () => {
    const { records, delimiter } = readDelimited("sep=;\n\nUPN;Code\n;\nA;B\n", "f.csv");
    expect(delimiter).toBe(";");
    expect(records.map((r) => r.line)).toEqual([3, 5]);
  });

  it("a truly missing column is named, then the columns the file has, then the headings accepted for it (each spelling once)", async () => {
    expect(await refusal("nocode.csv", "UPN,Date,Session,Teacher\r\nQ820200000011,06/01/2025,AM,Ms A\r\n")).toBe(
      'nocode.csv:1:1: missing column "code": the header has "UPN", "Date", "Session", "Teacher"; accepted headings for it: "code", "Mark", "Attendance Mark" or "Attendance Code"',
    );
    // Every missing column at once, not the first alone (a trial's file was refused once per column).
    expect(await refusal("two.csv", "UPN,Date,Teacher\r\nQ820200000011,06/01/2025,Ms A\r\n")).toBe(
      'two.csv:1:1: missing columns "session" and "code": the header has "UPN", "Date", "Teacher"; accepted headings: "session" (or "AM/PM"), "code" (or "Mark", "Attendance Mark", "Attendance Code")',
    );
  });

  it("a file whose header line is missing is said to be one, whatever the layout would have been (trial 34: read as a grid)", async () => {
    expect(await refusal("nohead.csv", `${ZOE},06/01/2025,AM,/\r\n${ZOE},06/01/2025,PM,/\r\n`)).toMatch(
      /^nohead\.csv:1:1: the first line is a row of data, not a header \(column 1 holds the UPN "Q820200000011"\): the file needs a header line naming its columns first, e\.g\. "upn,date,session,code"; accepted layouts: /,
    );
    // Forced to the long layout (the UPN last), a calendar (dates, no UPN) and a pupils file: the same words.
    expect(await refusal("nohead-calendar.csv", "half_term,spring-1,2025-01-06,2025-02-14\r\n", { kind: "calendar" })).toMatch(
      /^nohead-calendar\.csv:1:3: missing columns .*: the first line is a row of data, not a header \(column 3 holds the date "2025-01-06"\)/,
    );
    expect(await refusal("dated.csv", `06/01/2025,AM,/,${ZOE}\r\n`, { layout: "long" })).toMatch(/^dated\.csv:1:4: missing columns "upn", "date", "session" and "code": the first line is a row of data, not a header \(column 4 holds the UPN "Q820200000011"\): the file needs a header line naming its columns first; accepted headings: /);
    expect(await refusal("nohead-pupils.csv", `${ZOE},Zoë,Adams,2015-01-01,F,4,4A,2024-09-01,,N,N,N,N,WBRI\r\n`, { kind: "pupils" })).toMatch(
      /^nohead-pupils\.csv:1:1: missing columns .*: the first line is a row of data, not a header \(column 1 holds the UPN "Q820200000011"\)/,
    );
  });

  it("a row cut by a lone carriage return is said to be, in each layout that reads rows", async () => {
    const cut = /expected \d+ fields as in the header, found 2: the row ends at a carriage return \(a CR character with no line feed after it\) after field 2, and what follows it is read as the next line; remove that character/;
    expect(await refusal("cr.csv", `UPN,Date,Session,Code\n${ZOE},06/01/2025,AM,/\n${ZOE},06/01/2025\r,PM,/\n`)).toMatch(new RegExp(`^cr\\.csv:3:3: ${cut.source}`));
    expect(await refusal("cr-grid.csv", `UPN,Name,Mon 06/01/2025 AM\n${ZOE},Zoë\r,/\n`)).toMatch(new RegExp(`^cr-grid\\.csv:2:3: ${cut.source}`));
    expect(await refusal("cr-week.csv", `UPN,WeekStart,WeekMarks\n${ZOE},06/01/2025\r,/\\\n`)).toMatch(new RegExp(`^cr-week\\.csv:2:3: ${cut.source}`));
    // The rest of the cut row is said to be, not padded as a row whose last empty cell lost its comma.
    const text = `UPN,Date,Session,Code\n${ZOE},06/01/2025,AM\r/\n`;
    expect(await refusal("cr-both.csv", text)).toMatch(/^cr-both\.csv:2:4: expected 4 fields as in the header, found 3: the row ends at a carriage return/);
    const [, cutRow, rest] = readDelimited(text, "cr-both.csv").records;
    expect([cutRow.fields.length, cutRow.cutByCr, rest.fields.length, rest.afterCr]).toEqual([3, true, 1, true]);
    expect(widthError(rest, 4, "cr-both.csv").message).toBe("cr-both.csv:3:2: expected 4 fields as in the header, found 1: this line is the rest of the row before it, cut by a carriage return (a CR character with no line feed after it); remove that character");
    // A row short for another reason keeps the plain words, and a file of old Mac line ends (CR only) is read.
    expect(await refusal("short-lf.csv", `UPN,Date,Session,Code\n${ZOE},06/01/2025\n`)).toBe("short-lf.csv:2:3: expected 4 fields as in the header, found 2");
    expect(await importMarksFile("mac.csv", `UPN,Date,Session,Code\r${ZOE},07/01/2025,AM,/\r${ZOE},07/01/2025,PM,/\r`)).toMatchObject({ rowsRead: 2, inserted: 2 });
  });

  it("a row two cells short is still refused, at its line", async () => {
    expect(await refusal("short.csv", "UPN,Date,Session,Code\r\nQ820200000011,06/01/2025\r\n")).toMatch(/^short\.csv:2:3: expected 4 fields as in the header, found 2/);
  });
});

describe("register layouts (item 1)", () => {
  it("reads the grid's header spellings", () => {
    const cases: [string, string][] = [
      ["Mon 06/01/2025 AM", "2025-01-06 AM"],
      ["06/01/2025 AM", "2025-01-06 AM"],
      ["2025-01-06 AM", "2025-01-06 AM"],
      ["06/01/2025 (PM)", "2025-01-06 PM"],
      ["Monday 6 January 2025 pm", "2025-01-06 PM"],
      ["Tue 07/01/25 [AM]", "2025-01-07 AM"],
      ["07.01.2025-PM", "2025-01-07 PM"],
    ];
    for (const [header, expected] of cases) {
      const parsed = parseSessionHeader(header);
      expect(`${parsed?.iso} ${parsed?.session}`, header).toBe(expected);
    }
    expect(parseSessionHeader("Surname")).toBeUndefined();
    // A spreadsheet's midnight time, taken as a long file's date column takes it (review 52b).
    expect(flexibleDate("06/01/2025 00:00")).toBe("2025-01-06");
    expect(flexibleDate("2025-01-06T00:00:00")).toBe("2025-01-06");
    expect(flexibleDate("06/01/2025 09:00")).toBeUndefined();
    // A heading on no day of the calendar says why, its month a number or a word (review 52b:
    // "29 February 2027" was told "(expected DD/MM/YYYY or YYYY-MM-DD)"). By hand: 2027 is not a leap year.
    expect(() => parseSessionHeader("Mon 29 February 2027 am")).toThrow('"29 February 2027" is not a date: February 2027 has 28 days');
    expect(() => parseSessionHeader("Tue 31 Sep 2026 AM")).toThrow('"31 Sep 2026" is not a date: September 2026 has 30 days');
    expect(() => parseSessionHeader("31/09/2026 AM")).toThrow('"31/09/2026" is not a date: September 2026 has 30 days');
    expect(() => parseSessionHeader("Thu 00/01/2026 AM")).toThrow('"00/01/2026" is not a date: there is no day 0 (days are 01 to 31 in January 2026)');
  });

  it("imports a grid: blank and '-' cells are sessions without a mark, skipped and reported, not counted", async () => {
    const text = `UPN,Surname,Mon 06/01/2025 AM,Mon 06/01/2025 PM,Tue 07/01/2025 AM\r\n${ZOE},Brontë,/,,-\r\n${AOIFE},O’Connell,L,\\,N\r\n`;
    const summary = await importMarksFile("grid.csv", text);
    // Two rows of the file, four marks in them (the blank and the "-" cells are no marks).
    expect(summary).toMatchObject({ rowsRead: 2, marksRead: 4, skipped: 2 });
    expect(await marksOf(AOIFE, "2025-01-06", "2025-01-07")).toEqual(["2025-01-06 AM L", "2025-01-06 PM \\", "2025-01-07 AM N"]);
  });

  it("refuses a grid header whose weekday disagrees with its date, or that gives no session, at its column", async () => {
    expect(await refusal("weekday.csv", `UPN,Mon 06/01/2025 AM,Tue 06/01/2025 PM\r\n${ZOE},/,\\\r\n`)).toBe(
      'weekday.csv:1:3: column header "Tue 06/01/2025 PM" is not a session: it says Tuesday but 2025-01-06 is a Monday (expected e.g. "Mon 06/01/2025 AM")',
    );
    expect(await refusal("nosession.csv", `UPN,06/01/2025\r\n${ZOE},/\r\n`)).toMatch(/^nosession\.csv:1:2: column header "06\/01\/2025" is not a session: it holds a date but says neither AM nor PM/);
    expect(await refusal("twice.csv", `UPN,06/01/2025 AM,2025-01-06 am\r\n${ZOE},/,/\r\n`)).toMatch(/^twice\.csv:1:3: column "2025-01-06 am" repeats the session 2025-01-06 AM of column 2/);
  });

  // Trial 50: a header with two faults named the first alone, the second only on the next try.
  it("refuses every fault of a grid's header at once, each at its column, as row faults are", async () => {
    expect(await refusal("two.csv", `UPN,Mon 06/01/2025 AM,Tue 06/01/2025 PM,06/01/2025 am\r\n${ZOE},/,\\,/\r\n`)).toBe(
      [
        'two.csv:1:3: column header "Tue 06/01/2025 PM" is not a session: it says Tuesday but 2025-01-06 is a Monday (expected e.g. "Mon 06/01/2025 AM")',
        'two.csv:1:4: column "06/01/2025 am" repeats the session 2025-01-06 AM of column 2',
      ].join("\n"),
    );
    // The UPN column missing too, beside a bad session header.
    expect((await refusal("noupn.csv", `Name,Mon 06/01/2025 AM,Mon 06/01/2025\r\nZoe,/,\\\r\n`)).split("\n")).toEqual([
      'noupn.csv:1:1: a grid needs a "UPN" column: the header has "Name", "Mon 06/01/2025 AM", "Mon 06/01/2025"',
      'noupn.csv:1:3: column header "Mon 06/01/2025" is not a session: it holds a date but says neither AM nor PM (expected e.g. "Mon 06/01/2025 AM")',
    ]);
  });

  it("a bad code in a grid cell is refused at that cell's line and column", async () => {
    expect(await refusal("gridcode.csv", `UPN,Mon 06/01/2025 AM,Mon 06/01/2025 PM\r\n${ZOE},/,Q9\r\n`)).toMatch(/^gridcode\.csv:2:3: unknown attendance code "Q9"/);
  });

  it("imports week strings: two-digit years, # at the weekend, a cut-off week, a space for no mark", async () => {
    const text = `UPN,WeekStart,WeekMarks\r\n${ZOE},06/01/25,/\\/\\II/\\/\\####\r\n${AOIFE},13/01/25,/\\ \\#\r\n`;
    const summary = await importMarksFile("weeks.csv", text);
    expect(summary).toMatchObject({ rowsRead: 2, marksRead: 14, skipped: 1 });
    expect(await marksOf(ZOE, "2025-01-08", "2025-01-12")).toEqual(["2025-01-08 AM I", "2025-01-08 PM I", "2025-01-09 AM /", "2025-01-09 PM \\", "2025-01-10 AM /", "2025-01-10 PM \\"]);
    // Wednesday AM: # on a weekday is the DfE code for a planned closure, imported (and not counted).
    expect(await marksOf(AOIFE, "2025-01-13", "2025-01-19")).toEqual(["2025-01-13 AM /", "2025-01-13 PM \\", "2025-01-14 PM \\", "2025-01-15 AM #"]);
  });

  it("refuses a mark on a weekend, a week not starting on Monday and a string over 14 characters", async () => {
    expect(await refusal("weekend.csv", `UPN,WeekStart,WeekMarks\r\n${ZOE},06/01/2025,/\\/\\/\\/\\/\\/#\r\n`)).toBe(
      'weekend.csv:2:3: character 11 of the week string ("/", Saturday 2025-01-11 AM) is a mark on a weekend; Saturday and Sunday are written "#" (no school)',
    );
    expect(await refusal("tuesday.csv", `UPN,WeekStart,WeekMarks\r\n${ZOE},07/01/2025,/\\\r\n`)).toMatch(/^tuesday\.csv:2:2: week start 2025-01-07 is a Tuesday: a week string starts on a Monday/);
    expect(await refusal("long.csv", `UPN,WeekStart,WeekMarks\r\n${ZOE},06/01/2025,/\\/\\/\\/\\/\\####//\r\n`)).toMatch(/^long\.csv:2:3: a week string holds at most 14 marks/);
    // A week start in a layout it takes but on no day of the calendar says why, not the layouts (trial 52).
    expect(await refusal("sept.csv", `UPN,WeekStart,WeekMarks\r\n${ZOE},31/09/25,/\\\r\n`)).toBe('sept.csv:2:2: week start "31/09/25" is not a date: September 2025 has 30 days');
    expect(await refusal("words.csv", `UPN,WeekStart,WeekMarks\r\n${ZOE},next Monday,/\\\r\n`)).toBe('words.csv:2:2: week start "next Monday" is not a date (expected DD/MM/YY, DD/MM/YYYY or YYYY-MM-DD)');
    // A month written as a word is a layout it takes too: its day checked, not the numeric layouts told (review 52b).
    expect(await refusal("month-word.csv", `UPN,WeekStart,WeekMarks\r\n${ZOE},31 Sep 2026,/\\\r\n`)).toBe('month-word.csv:2:2: week start "31 Sep 2026" is not a date: September 2026 has 30 days');
  });

  it("a CTF's date on no day of the calendar says why, as every reader does (review 52b: it said the value alone)", async () => {
    const school = { lea: "820", estab: "2000", name: "Ludlow Primary", academicYear: "2026" };
    const pupilXml = (start: string) =>
      ctfPupilXml({ upn: ZOE, forename: "Zoe", surname: "Ludlow", dob: "2018-01-01", sex: "F", year: "3", years: [{ start, marks: "/\\" }], schools: [{ ...school, entry: "2026-09-01" }] });
    const refused = async (start: string) => {
      try {
        await readCtf([ctfEnvelope({ dateTime: "2026-12-04T09:00:00", source: school }, pupilXml(start))], "ctf.xml");
        return "read";
      } catch (error) {
        return (error as Error).message.replace(/^ctf\.xml:\d+:\d+: /, "");
      }
    };
    // By hand: September has 30 days; 2027 is not a leap year.
    expect(await refused("2026-09-31")).toBe('AttendStartDate: "2026-09-31" is not a date: September 2026 has 30 days');
    expect(await refused("2027-02-29T00:00:00")).toBe('AttendStartDate: "2027-02-29T00:00:00" is not a date: February 2027 has 28 days');
    expect(await refused("the first")).toBe('AttendStartDate: "the first" is not a date (expected YYYY-MM-DD)');
  });

  it("refuses a layout it does not recognise, saying which layouts are accepted", async () => {
    expect(await refusal("what.csv", "Pupil,Day,Mark\r\nZoë,Monday,/\r\n")).toBe(
      'what.csv:1:1: the register layout is not recognised: the header has "Pupil", "Day", "Mark"; accepted layouts: one row per session ("upn,date,session,code"), a grid (UPN and one column per session headed like "Mon 06/01/2025 AM"), week strings ("UPN,WeekStart,WeekMarks"), a Common Transfer File (CTF XML), or an Excel workbook (.xlsx) holding any of the tables',
    );
  });

  it("a forced layout is used as given", async () => {
    expect(await refusal("forced.csv", `UPN,Date,Session,Code\r\n${ZOE},06/01/2025,AM,/\r\n`, { layout: "grid" })).toMatch(/^forced\.csv:1:1: a grid needs at least one session column/);
  });
});

describe("Excel workbooks (item 9)", () => {
  it("names a workbook's place as the spreadsheet shows it, row and column letter; a CSV keeps file:line:column (trial21: marks-bad.xlsx:2:2)", async () => {
    const rows = [
      ["UPN", "Date", "Session", "Code"],
      [AOIFE, "not a date", "AM", "/"],
      [AOIFE, "2025-01-16", "AM", "Q9"],
    ];
    // By hand: the date is the 2nd column (B) of row 2; the code the 4th (D) of row 3.
    expect((await refusal("marks-bad.xlsx", await workbook(rows), { sheet: "Register" })).split("\n")).toEqual([
      // Trial 28: and the sheet, as its tab reads.
      expect.stringMatching(/^marks-bad\.xlsx: sheet "Register", row 2, column B: date: "not a date" is not a date/),
      expect.stringMatching(/^marks-bad\.xlsx: sheet "Register", row 3, column D: /),
    ]);
    expect((await refusal("marks-bad.csv", rows.map((r) => r.join(",")).join("\n"))).split("\n")).toEqual([
      expect.stringMatching(/^marks-bad\.csv:2:2: date: "not a date" is not a date/),
      expect.stringMatching(/^marks-bad\.csv:3:4: /),
    ]);
    // The Import page says each place in words from the error's place: the workbook's row and letter.
    const refused = await importFiles(db, { marks: path.join(dir, "marks-bad.xlsx") }, { by: BY, sheet: "Register" }).catch((e: InputError) => e);
    expect(refused instanceof ImportRefused && refused.errors.map((e) => e.place)).toEqual(['sheet "Register", row 2, column B', 'sheet "Register", row 3, column D']);
    // By hand: 26 letters, then AA … AZ (27–52), … ZZ (702), AAA (703).
    expect([1, 26, 27, 52, 702, 703].map(columnLetters)).toEqual(["A", "Z", "AA", "AZ", "ZZ", "AAA"]);
  });

  it("reads the first sheet unless a sheet is named, with date and number cells as a person reads them", async () => {
    const book = await workbook([
      ["UPN", "Date", "Session", "Code", "Minutes Late"],
      [AOIFE, new Date("2025-01-16T00:00:00Z"), "AM", "L", 12],
    ]);
    // The first sheet is "Notes": no register layout there.
    expect(await refusal("book.xlsx", book)).toMatch(/^book\.xlsx: sheet "Notes", row 1, column A: the register layout is not recognised: the header has "Exported from the MIS"; accepted layouts: /);
    const summary = await importMarksFile("book.xlsx", book, { sheet: "register" });
    expect(summary.rowsRead).toBe(1);
    const [row] = await withConnection(db, (conn) => queryRows(conn, "SELECT code::VARCHAR AS code, minutes_late FROM marks WHERE upn = $upn AND date = '2025-01-16'", { upn: AOIFE }));
    expect(row).toEqual({ code: "L", minutes_late: 12 });
  });

  it("reads a one-sheet workbook's only sheet when the sheet named for the import is another file's, and says so (trial20a)", async () => {
    const single = new ExcelJS.Workbook();
    const sheet = single.addWorksheet("Pupils");
    for (const row of pupilsRows()) sheet.addRow(row);
    const pupilsBook = write("pupils.xlsx", Buffer.from(await single.xlsx.writeBuffer()));
    const marksBook = write("marks.xlsx", await workbook(longRows(), "Marks"));
    // A database of its own: the marks it stores would change what later cases amend.
    const own = tempDbPath("readers-one-sheet");
    await importFiles(own, { calendar: write("calendar-one-sheet.csv", calendarCsv()) }, { by: BY });
    const [pupils, marks] = await importFiles(own, { pupils: pupilsBook, marks: marksBook }, { by: BY, sheet: "Marks", asOf: "2025-01-06" }).finally(() => removeDb(own));
    expect(pupils.notes).toContain('the workbook has no sheet named "Marks"; its one sheet, "Pupils", was read');
    expect(pupils.rowsRead).toBe(pupilsRows().length - 1);
    expect(marks.rowsRead).toBe(longRows().length - 1);
    expect(marks.notes ?? []).not.toContainEqual(expect.stringContaining("no sheet named"));
  });

  it("names a file that is not there, or is a folder, in words before reading any (trial20a: a raw ENOENT)", async () => {
    const missing = path.join(dir, "missing.csv");
    // The folder a relative path is read from, only for a relative path (as benchmarks import says it).
    const relative = path.relative(process.cwd(), path.join(dir, "missing-too.csv"));
    await expect(importFiles(db, { calendar: relative, pupils: dir, marks: missing }, { by: BY })).rejects.toThrow(
      `the calendar file ${relative} does not exist (a relative path is read from ${process.cwd()})\nthe pupils file ${dir} is a folder, not a file\nthe marks file ${missing} does not exist\nNothing was imported.`,
    );
  });

  it("names the sheets a workbook has when the one asked for is not there", async () => {
    expect(await refusal("book2.xlsx", await workbook([["UPN"]]), { sheet: "Marks" })).toBe('book2.xlsx: row 1, column A: the workbook has no sheet named "Marks"; its sheets are "Notes", "Register"');
  });

  it("reads a workbook whose zip holds xl/workbook.xml after its worksheets (exceljs issue #962), the named sheet and the first", async () => {
    const book = await workbook([
      ["UPN", "Date", "Session", "Code"],
      [AOIFE, new Date("2025-01-17T00:00:00Z"), "PM", "M"],
    ]);
    // Re-zipped as some tools save it: the relationships and shared strings, then the worksheets,
    // then xl/workbook.xml (the streaming reader parses a worksheet on sight once it has the
    // first two, and needs the third's list of sheets for it).
    const zip = await JSZip.loadAsync(book);
    const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir);
    const first = ["xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml", "xl/styles.xml"];
    const sheets = names.filter((n) => n.startsWith("xl/worksheets/"));
    const order = [...first, ...sheets, ...names.filter((n) => !first.includes(n) && !sheets.includes(n) && n !== "xl/workbook.xml"), "xl/workbook.xml"];
    const rezipped = new JSZip();
    for (const name of order) rezipped.file(name, await zip.files[name].async("uint8array"));
    const late = await rezipped.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
    expect(Object.keys((await JSZip.loadAsync(late)).files).filter((n) => n.endsWith(".xml")).at(-1)).toBe("xl/workbook.xml");
    // The first sheet is still "Notes" (the tab order), not whichever worksheet the zip gives first.
    expect(await refusal("late.xlsx", late)).toMatch(/^late\.xlsx: sheet "Notes", row 1, column A: the register layout is not recognised: the header has "Exported from the MIS"; accepted layouts: /);
    const summary = await importMarksFile("late.xlsx", late, { sheet: "Register" });
    expect(summary.rowsRead).toBe(1);
    expect(await marksOf(AOIFE, "2025-01-17", "2025-01-17")).toEqual(["2025-01-17 PM M"]);
  });

  it("refuses a file that looks like a workbook but is not one", async () => {
    expect(await refusal("broken.xlsx", Buffer.from("PK\u0003\u0004 not really a zip", "latin1"))).toMatch(/^broken\.xlsx: row 1, column A: the workbook cannot be read as \.xlsx/);
  });
});

describe("Common Transfer File (item 1)", () => {
  let ctfDb: string;
  beforeAll(async () => {
    ctfDb = tempDbPath("ctf");
    await importFiles(ctfDb, { calendar: write("ctf-calendar.csv", calendarCsv()) }, { by: BY });
  }, 60_000);
  afterAll(async () => {
    await removeDb(ctfDb);
  });

  const ctfRefusal = async (name: string, text: string) => {
    const before = await withConnection(ctfDb, fingerprint);
    const message = await importFiles(ctfDb, { marks: write(name, text) }, { by: BY }).then(
      () => "accepted",
      (e: unknown) => (e instanceof InputError ? e.message : `not an InputError: ${e}`),
    );
    expect(await withConnection(ctfDb, fingerprint)).toEqual(before);
    return message;
  };

  it("brings pupils with their SEN, FSM and year-group history and their marks in one transaction; the same file again changes nothing", async () => {
    const file = write("school.xml", ctfXml());
    const summaries = await importFiles(ctfDb, { pupils: file }, { by: BY });
    expect(summaries.map((s) => [s.kind, s.inserted, s.skipped])).toEqual([
      ["pupils", 3, undefined],
      ["marks", 56, 4],
    ]);
    const spells = await withConnection(ctfDb, (conn) =>
      queryRows(conn, "SELECT valid_from, valid_to, year_group, reg_group, sen, fsm, eal, lac FROM pupil_characteristics WHERE upn = $upn ORDER BY valid_from", { upn: ZOE }),
    );
    // Admitted 2021-09-01 in Reception (Year 3 at the file's date, 2024/25); SEN E from
    // 2022-03-01 to 2022-07-20, K from 2023-09-01; FSM from 2022-01-10; first language English.
    const row = (from: string, to: string | null, year: string, sen: string, fsm: string) => ({ valid_from: from, valid_to: to, year_group: year, reg_group: "Not assigned", sen, fsm, eal: "N", lac: "N" });
    expect(spells).toEqual([
      row("2021-09-01", "2022-01-09", "R", "N", "N"),
      row("2022-01-10", "2022-02-28", "R", "N", "Y"),
      row("2022-03-01", "2022-07-20", "R", "E", "Y"),
      row("2022-07-21", "2022-07-31", "R", "N", "Y"),
      row("2022-08-01", "2023-07-31", "1", "N", "Y"),
      row("2023-08-01", "2023-08-31", "2", "N", "Y"),
      row("2023-09-01", "2024-07-31", "2", "K", "Y"),
      row("2024-08-01", null, "3", "K", "Y"),
    ]);
    const [siân] = await withConnection(ctfDb, (conn) => queryRows(conn, "SELECT p.admission_date, c.eal FROM pupils p JOIN pupil_characteristics c USING (upn) WHERE upn = 'Q820200000033'"));
    expect(siân).toEqual({ admission_date: "2025-01-08", eal: "Y" });

    const before = await withConnection(ctfDb, fingerprint);
    const again = await importFiles(ctfDb, { marks: file }, { by: BY });
    expect(again.map((s) => s.inserted + s.amended)).toEqual([0, 0]);
    expect(await withConnection(ctfDb, fingerprint)).toEqual(before);
  }, 60_000);

  it("refuses XML that is not well formed, or not a CTF, at its line and column", async () => {
    expect(await ctfRefusal("broken.xml", ctfXml().replace("</Surname>", "</Surnam>"))).toBe("broken.xml:14:31: the XML is not well formed: unexpected close tag.");
    expect(await ctfRefusal("other.xml", `<?xml version="1.0"?>\n<Workbook><Row/></Workbook>\n`)).toBe(
      "other.xml:2:1: the XML file is not a Common Transfer File: its root element is <Workbook>, not <CTfile>",
    );
  });

  it("a pupil whose NCyearActual is not in BasicDetails is refused naming the CTF element, not as a pupils file's empty year group (trial 30)", async () => {
    // The first pupil's NCyearActual moved out of BasicDetails, to just after Sex.
    const text = ctfXml().replace(/(<Sex>[^<]*<\/Sex>\s*<BasicDetails>\s*)(<NCyearActual>[^<]*<\/NCyearActual>)/, (_all, head: string, year: string) => `${year}${head}`);
    expect(text).not.toBe(ctfXml());
    const said = await ctfRefusal("moved.xml", text);
    expect(said).toMatch(/^moved\.xml:\d+:\d+: [A-Z0-9]+: the pupil has no NCyearActual \(national curriculum year\) in BasicDetails, which a CTF gives every pupil \(one anywhere else is not read\)/);
    expect(said).not.toContain('year group ""');
  });

  it("every pupil's fault of a CTF at once: two pupils without NCyearActual are both named (trial 51: the second only on the next try)", async () => {
    const text = ctfXml().replace(/<NCyearActual>[^<]*<\/NCyearActual>/g, "");
    const pupils = (ctfXml().match(/<NCyearActual>/g) ?? []).length;
    expect(pupils).toBeGreaterThanOrEqual(2);
    const said = (await ctfRefusal("no-years.xml", text)).split("\n");
    expect(said).toHaveLength(pupils);
    expect(said.every((line) => /^no-years\.xml:\d+:\d+: [A-Z0-9]+: the pupil has no NCyearActual/.test(line))).toBe(true);
    expect(new Set(said.map((line) => line.split(": ")[1])).size).toBe(pupils);
  });

  it("refuses a mark on a Saturday in AttendMarks at that character", async () => {
    const text = ctfXml().replace("<AttendMarks>/\\/\\II/\\/\\##", "<AttendMarks>/\\/\\II/\\/\\/#");
    const line = text.split("\n").findIndex((l) => l.includes("<AttendMarks>/\\/\\II/\\/\\/#")) + 1;
    const column = text.split("\n")[line - 1].indexOf("<AttendMarks>") + "<AttendMarks>".length + 11;
    expect(await ctfRefusal("saturday.xml", text)).toBe(`saturday.xml:${line}:${column}: Q820200000011: character 11 of AttendMarks ("/", Saturday 2025-01-11 AM) is a mark on a weekend; Saturday and Sunday are written "#" (no school)`);
  });

  it("refuses AttendMarks broken by a line at the break, and a bad code before it; what follows the break is not read", async () => {
    // Monday 6 January 2025: "/" AM, "9" PM (no such code), then the break; after it a "Q" on
    // Tuesday AM and a "/" on Saturday (character 11) that would be faults if they were read.
    const text = ctfXml().replace("<AttendMarks>/\\/\\II/\\/\\##", "<AttendMarks>/9\nQ\\II/\\/\\/#");
    const line = text.split("\n").findIndex((l) => l.includes("<AttendMarks>/9")) + 1;
    const first = text.split("\n")[line - 1].indexOf("<AttendMarks>") + "<AttendMarks>".length + 1;
    expect((await ctfRefusal("broken-line.xml", text)).split("\n")).toEqual([
      `broken-line.xml:${line}:${first + 1}: Q820200000011: character 2 of AttendMarks (Monday 2025-01-06 PM): unknown attendance code "9"`,
      `broken-line.xml:${line}:${first + 2}: Q820200000011: AttendMarks must be one line of marks`,
    ]);
  });

  it("refuses a table forced to be a CTF, and a CTF forced to be another layout", async () => {
    expect(await refusal("table.csv", "UPN,Date,Session,Code\r\n", { layout: "ctf" })).toMatch(/^table\.csv:1:1: --layout ctf was given but the file is a table/);
    expect(await ctfRefusal("forced.xml", ctfXml()).then(() => importFiles(ctfDb, { marks: write("forced2.xml", ctfXml()) }, { by: BY, layout: "grid" }).then(() => "accepted", (e: Error) => e.message))).toMatch(
      /^forced2\.xml:1:1: --layout grid was given but the file is a Common Transfer File/,
    );
  });
});
