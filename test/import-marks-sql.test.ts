/**
 * The marks import with DuckDB reading the file (analytics/import/marks-sql.ts) against the
 * reader's path it stands in for (importMarks given the decoded text, as before): a plain long
 * CSV is read by DuckDB and gives the same summary, marks, amendments, import record and
 * aggregates; a file with any fault goes back to the reader, whose refusal is the same message
 * (file, line, column) and changes nothing; a file DuckDB would read differently (quotes,
 * other encodings, a lone CR, a value with spaces, a short row) is read by the reader alone.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../analytics/csv.ts";
import { inTransaction, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { readTextFile } from "../analytics/import/decode.ts";
import { importFiles, importMarks, type ImportSummary } from "../analytics/import/index.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, fingerprint, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-marks-sql-"));
const write = (name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};

const TODAY = "2024-12-20";
// Autumn 2024 with a closure on Friday 20 September; 2020/21 has no calendar (weekdays only).
const CALENDAR = [
  "kind,name,start_date,end_date",
  "half_term,autumn-1,2024-09-02,2024-10-25",
  "closure,INSET day,2024-09-20,2024-09-20",
  "half_term,autumn-2,2024-11-04,2024-12-20",
].join("\n");
const PUPILS = [
  ...[1, 2, 3, 4].map((n) => pupil(n, { admission_date: "2019-09-02" })),
  pupil(5, { admission_date: "2019-09-02", leaving_date: "2024-10-31" }),
  pupil(6, { admission_date: "2024-11-04" }),
];

type Outcome = { summary: Omit<ImportSummary, "importId"> & { importId: boolean } } | { error: string };

const summaryOf = (s: ImportSummary): Outcome => ({ summary: { ...s, importId: s.importId !== null } });
const errorOf = (e: unknown): Outcome => {
  if (!(e instanceof InputError)) throw e;
  return { error: e.message };
};

const summaryIn = (o: Outcome) => {
  if (!("summary" in o)) throw new Error(`refused: ${o.error}`);
  return o.summary;
};

let sqlDb: string;
let rowsDb: string;

/**
 * The file through importFiles (DuckDB's path when the file is plain) into sqlDb, and through
 * importMarks given its decoded text (the reader's path) into rowsDb; which path importFiles took.
 */
async function bothPaths(name: string, content: string | Buffer) {
  const file = write(name, content);
  const paths: string[] = [];
  const sql = await importFiles(sqlDb, { marks: file }, { by: BY, onMarksPath: (p, why) => paths.push(why ? `${p}: ${why}` : p) }).then(
    (s) => summaryOf(s[0]),
    errorOf,
  );
  const rows = await withConnection(rowsDb, (conn) =>
    inTransaction(conn, () => importMarks(conn, { file: name, text: readTextFile(file, name).text, by: BY })),
  ).then(summaryOf, errorOf);
  return { sql, rows, paths };
}

/** Everything an import writes, to compare the two databases. */
async function state(conn: Connection) {
  return {
    marks: await queryRows(conn, "SELECT upn, strftime(date, '%Y-%m-%d') AS date, session::VARCHAR AS session, code::VARCHAR AS code, minutes_late, import_id FROM marks ORDER BY ALL"),
    amendments: await queryRows(
      conn,
      `SELECT amendment_id, upn, strftime(date, '%Y-%m-%d') AS date, session::VARCHAR AS session, original_code::VARCHAR AS original_code,
              new_code::VARCHAR AS new_code, reason, amended_by, amended_by_role, import_id FROM amendments ORDER BY amendment_id`,
    ),
    imports: await queryRows(conn, "SELECT import_id, kind, file_name, sha256, rows_read, rows_inserted, rows_amended, rows_unchanged FROM imports ORDER BY import_id"),
    days: await queryRows(conn, "SELECT * FROM mark_days ORDER BY ALL"),
    weeks: await queryRows(conn, "SELECT * FROM mark_weeks ORDER BY ALL"),
    codes: await queryRows(conn, "SELECT pupil_id, week, first_date, last_date, code::VARCHAR AS code, sessions FROM mark_week_codes ORDER BY ALL"),
  };
}

async function expectSameStores(): Promise<void> {
  expect(await withConnection(sqlDb, state)).toEqual(await withConnection(rowsDb, state));
}

beforeAll(async () => {
  process.env.ROLLCALL_TODAY = TODAY;
  sqlDb = tempDbPath("marks-sql");
  rowsDb = tempDbPath("marks-rows");
  for (const db of [sqlDb, rowsDb]) {
    await importFiles(db, { calendar: write("calendar.csv", CALENDAR), pupils: write("pupils.csv", pupilsCsv(PUPILS)) }, { by: BY, asOf: "2024-09-02" });
  }
}, 120_000);
afterAll(async () => {
  delete process.env.ROLLCALL_TODAY;
  await removeDb(sqlDb);
  await removeDb(rowsDb);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A week of marks for pupils 1–4 (every session) and pupil 5, from Monday 2 September 2024. */
function week(code: (p: number, d: number, s: string) => string = (p, d, s) => (p === 3 && d === 2 && s === "AM" ? "I" : s === "AM" ? "/" : "\\")): string[] {
  const rows: string[] = [];
  for (const [d, date] of ["2024-09-02", "2024-09-03", "2024-09-04", "2024-09-05", "2024-09-06"].entries()) {
    for (const p of [1, 2, 3, 4, 5]) for (const s of ["AM", "PM"]) rows.push(`${upn(p)},${date},${s},${code(p, d, s)},`);
  }
  return rows;
}
const HEADER = "upn,date,session,code,minutes_late";
const csv = (rows: string[], header = HEADER, eol = "\n") => [header, ...rows].join(eol) + eol;

/** Codes changed on several days, listed out of date order, plus unchanged and new marks. */
const SECOND = csv([
  ...week((p, d, s) => (p === 2 && s === "PM" ? "N" : p === 4 && d === 4 ? "M" : s === "AM" ? "/" : "\\")).reverse(),
  `${upn(1)},2024-09-10,AM,L,7`,
  `${upn(1)},2024-09-09,AM,L,15`,
]);

describe("a plain long CSV is read and checked by DuckDB", () => {
  it("takes DuckDB's path and writes what the reader's path writes: summary, marks, aggregates, import record", async () => {
    // Semicolons, aliases in another order, an extra column, lower case, either stroke,
    // UK dates, minutes late, no mark yet ("-", empty), "#" on the closure day, Z before
    // admission, a COVID-era sub-code in a year without a calendar, a blank line, an empty
    // last cell beyond the header, a BOM and CRLF line ends.
    const rows = [
      ...week().map((r) => r.split(",").slice(0, 4)),
      [upn(1), "09/09/2024", "am", "l", "12"],
      [upn(1), "09/09/2024", "pm", "/", ""],
      [upn(2), "2024-09-09", "AM", "-", ""],
      [upn(2), "2024-09-09", "PM", "", ""],
      [upn(3), "2024-09-20", "AM", "#", ""],
      [upn(4), "2024-09-20", "PM", "#", ""],
      [upn(6), "2024-09-10", "AM", "Z", ""],
      [upn(1), "2021-01-05", "AM", "I02", ""],
      [upn(2), "2021-01-05", "PM", "x01", ""],
    ].map(([u, d, s, c, m = ""]) => `${s};${u};${c};${d};${m};note`);
    rows.splice(20, 0, "");
    rows[30] += ";";
    const text = "\ufeff" + csv(rows, "Session;UPN;Attendance Mark;Attendance Date;Mins Late;Comment", "\r\n");
    const { sql, rows: reader, paths } = await bothPaths("first.csv", text);
    expect(paths).toEqual(["sql"]);
    expect(sql).toEqual(reader);
    expect(sql).toMatchObject({ summary: { rowsRead: 59, inserted: 55, skipped: 4, importId: true } });
    expect(summaryIn(sql).notes).toEqual([
      '2 sessions with no mark yet ("-" or empty) skipped: they stay register gaps until marked',
      '2 "#" mark(s) on days the school\'s calendar has it closed (closures, holidays, weekends) skipped',
      "COVID-era sub-codes stored as the census code the DfE collected: I02 ×1 as I, X01 ×1 as X",
    ]);
    await expectSameStores();
  });

  it("amends changed marks alike: the originals kept in the file's order, the preview, the aggregates", async () => {
    const { sql, rows, paths } = await bothPaths("second.csv", SECOND);
    expect(paths).toEqual(["sql"]);
    expect(sql).toEqual(rows);
    expect(sql).toMatchObject({ summary: { amended: 9, inserted: 1, unchanged: 42 } });
    expect(summaryIn(sql).amendedMarks?.[0]).toEqual({ upn: upn(4), name: "Surname4, Forename4", date: "2024-09-06", session: "PM", before: "\\", after: "M", beforeCode: "\\", afterCode: "M" });
    await expectSameStores();
  });

  it("checks a date in a year the calendar does not cover for its weekday alone, January to July as well", async () => {
    // The calendar covers 2024/25; Monday 12 February 2024 is in 2023/24 (a date from January
    // to July is in the academic year that began the August before), so it is no holiday.
    const { sql, rows, paths } = await bothPaths("spring.csv", csv([`${upn(1)},2024-02-12,AM,/,`, `${upn(1)},2024-02-12,PM,\\,`]));
    expect(paths).toEqual(["sql"]);
    expect(sql).toEqual(rows);
    expect(sql).toMatchObject({ summary: { inserted: 2 } });
    await expectSameStores();
  });

  it("changes nothing when every mark is already recorded", async () => {
    const { sql, rows, paths } = await bothPaths("again.csv", SECOND);
    expect(paths).toEqual(["sql"]);
    expect(sql).toEqual(rows);
    expect(sql).toMatchObject({ summary: { inserted: 0, amended: 0, importId: false } });
  });
});

/** Faults the SQL checks find: each file refused with the reader's own message, nothing changed. */
const FAULTS: Array<[string, string[]]> = [
  ["unknown pupil", [`${upn(99)},2024-09-11,AM,/,`]],
  ["a UPN that is not one", [`A123,2024-09-11,AM,/,`]],
  ["a date that is not one", [`${upn(1)},31/02/2024,AM,/,`, `${upn(1)},2024-13-01,PM,/,`, `${upn(1)},soon,PM,/,`]],
  ["a weekend", [`${upn(1)},2024-09-14,AM,/,`]],
  ["a holiday and a closure in the calendar", [`${upn(1)},2024-10-29,AM,/,`, `${upn(1)},2024-09-20,AM,/,`]],
  ["after today", [`${upn(1)},2025-01-06,AM,/,`]],
  ["a duplicate session", [`${upn(1)},2024-09-11,AM,/,`, `${upn(2)},2024-09-11,AM,/,`, `${upn(1)},2024-09-11,am,I,`]],
  ["before admission and after leaving", [`${upn(6)},2024-09-11,AM,/,`, `${upn(5)},2024-11-05,PM,\\,`]],
  // "é" is two bytes, as AM is; "ＡＭ" (full width) upper-cases to itself.
  ["a session that is not AM or PM", [`${upn(1)},2024-09-11,XM,/,`, `${upn(1)},2024-09-11,,/,`, `${upn(2)},2024-09-11,é,/,`, `${upn(3)},2024-09-11,ＡＭ,/,`]],
  ["codes unknown, withdrawn, or sub-codes outside their window", [`${upn(1)},2024-09-11,AM,QQ,`, `${upn(1)},2024-09-11,PM,H,`, `${upn(2)},2024-09-11,AM,I01,`, `${upn(1)},2021-01-06,AM,Q,`]],
  ["minutes late that are not a whole number", [`${upn(1)},2024-09-11,AM,L,-5`, `${upn(1)},2024-09-11,PM,L,2.5`, `${upn(2)},2024-09-11,AM,L,40000`]],
  ["a field too many (not empty)", [`${upn(1)},2024-09-11,AM,/,,x`]],
  ["a field too few by two", [`${upn(1)},2024-09-11,AM`]],
  ["many faults: 60 unknown codes and a duplicate", [...Array.from({ length: 60 }, (_, k) => `${upn(1 + (k % 4))},2024-09-${String(11 + (k % 3)).padStart(2, "0")},${k % 2 ? "PM" : "AM"},Q${k},`), `${upn(1)},2024-09-02,AM,/,`]],
];

describe("a file with faults goes back to the reader, which names them as before", () => {
  it.each(FAULTS)("%s", async (_label, bad) => {
    const before = await withConnection(sqlDb, fingerprint);
    const text = csv([...week().slice(0, 12), ...bad, ...week().slice(40)]);
    const { sql, rows, paths } = await bothPaths("faulty.csv", text);
    expect("error" in sql).toBe(true);
    expect(sql).toEqual(rows);
    expect(paths).toHaveLength(1);
    expect(paths[0]).toMatch(/^rows: (the file has faults|DuckDB's reader rejected a row)/);
    expect(await withConnection(sqlDb, fingerprint)).toEqual(before);
  });

  it("a refused file read by DuckDB leaves the calendar and pupils of the same import unwritten", async () => {
    const db = tempDbPath("marks-sql-refused");
    try {
      const marks = write("refused.csv", csv([`${upn(1)},2024-09-02,AM,/,`, `${upn(1)},2024-09-02,AM,/,`]));
      const paths: string[] = [];
      const error = await importFiles(db, { calendar: write("calendar.csv", CALENDAR), pupils: write("pupils.csv", pupilsCsv(PUPILS)), marks }, { by: BY, asOf: "2024-09-02", onMarksPath: (p) => paths.push(p) }).catch((e: unknown) => e);
      expect((error as InputError).message).toBe(`refused.csv:3:3: duplicate session: ${upn(1)} 2024-09-02 AM is already given on line 2`);
      expect(paths).toEqual(["rows"]);
      const tables = await withConnection(db, (conn) => queryRows<{ n: number }>(conn, "SELECT (SELECT count(*) FROM pupils) + (SELECT count(*) FROM calendar_periods) + (SELECT count(*) FROM pupil_ids) + (SELECT count(*) FROM imports) AS n"));
      expect(Number(tables[0].n)).toBe(0);
    } finally {
      await removeDb(db);
    }
  });
});

/** Files the SQL does not read exactly as the reader does: the reader's path reads them, with the same outcome. */
const READER_ONLY: Array<[string, string | Buffer, RegExp]> = [
  ["spaces around values", csv([` ${upn(1)} ,2024-09-16 , am,/ , 3 `]), /^rows: the file has faults/],
  ["one-digit day and month, a midnight time, leading zeros", csv([`${upn(1)},2024-9-16,PM,L,007`, `${upn(2)},16/9/2024,AM,/,`, `${upn(2)},2024-09-16 00:00,PM,/,`]), /^rows: the file has faults/],
  ["a row of empty cells and a row whose empty last cell lost its separator", csv([`${upn(3)},2024-09-16,AM,/,`, ",,,,", `${upn(3)},2024-09-16,PM,\\`]), /^rows: (the file has faults|DuckDB's reader rejected a row)/],
  ["a quoted field", csv([`${upn(4)},2024-09-16,AM,"/",`]), /^rows: the file has quoted fields$/],
  ["Windows-1252", Buffer.from(csv([`${upn(4)},2024-09-16,PM,\\,`], "upn,date,session,code,minutes_late,Zo\xeb"), "latin1"), /^rows: the file is not UTF-8$/],
  ["UTF-16 with a BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv([`${upn(4)},2024-09-17,AM,/,`]), "utf16le")]), /^rows: the file is UTF-16LE$/],
  ["a lone carriage return", csv([`${upn(4)},2024-09-17,PM,\\,`]).replace(/\n/g, "\r"), /^rows: a carriage return ends a line without a line feed$/],
  ["a sep= line", "sep=,\n" + csv([`${upn(4)},2024-09-18,AM,/,`]), /^rows: the file starts with a sep= line$/],
  // DuckDB's strict reader stops on both kinds with "invalid state", which had aborted the
  // import's transaction: "Current transaction is aborted" and nothing else (trial 35).
  ["a CRLF header over LF rows", `${HEADER}\r\n${csv([`${upn(4)},2024-09-19,AM,/,`, `${upn(4)},2024-09-19,PM,\\,`]).slice(HEADER.length + 1)}`, /^rows: the file's lines end in both CRLF and LF$/],
  ["LF rows and one CRLF row last", `${csv([`${upn(4)},2024-09-23,AM,/,`])}${upn(4)},2024-09-23,PM,\\,\r\n`, /^rows: the file's lines end in both CRLF and LF$/],
];

describe("a file that is not plain is read by the reader alone", () => {
  it.each(READER_ONLY)("%s", async (_label, content, why) => {
    const { sql, rows, paths } = await bothPaths("odd.csv", content);
    expect("summary" in sql).toBe(true);
    expect(sql).toEqual(rows);
    expect(paths).toHaveLength(1);
    expect(paths[0]).toMatch(why);
    await expectSameStores();
  });
});

describe("the plain scan's UTF-8 check, chunk by chunk (readers/plain-csv.ts)", () => {
  // The scan reads 1 MiB at a time: a character may be cut by a chunk's end. The header is
  // followed by a field of "a" long enough that the character sits across the boundary at
  // every offset; a file the strict decoder refuses must be refused, and only those.
  const header = "upn,date,session,code,zoë\n";
  const cases: Array<[string, Buffer, boolean]> = [];
  for (const ch of ["é", "€", "😀"]) {
    const bytes = Buffer.from(ch);
    for (let shift = 0; shift <= bytes.length; shift++) {
      const pad = Buffer.alloc((1 << 20) - Buffer.byteLength(header) - bytes.length + shift, 0x61);
      const file = (tail: Buffer) => Buffer.concat([Buffer.from(header), pad, tail, Buffer.from("\n")]);
      cases.push([`${ch} at ${shift}`, file(Buffer.from(ch.repeat(2))), true]);
      cases.push([`${ch} cut short at ${shift}`, file(bytes.subarray(0, bytes.length - 1)), false]);
      cases.push([`${ch} cut short at the file's end, ${shift}`, Buffer.concat([Buffer.from(header), pad, bytes.subarray(0, bytes.length - 1)]), false]);
    }
  }
  cases.push(["an overlong slash", Buffer.concat([Buffer.from(header), Buffer.alloc((1 << 20) - Buffer.byteLength(header) - 1, 0x61), Buffer.from([0xc0, 0xaf, 0x0a])]), false]);
  cases.push(["a surrogate", Buffer.concat([Buffer.from(header), Buffer.alloc((1 << 20) - Buffer.byteLength(header) - 1, 0x61), Buffer.from([0xed, 0xa0, 0x80, 0x0a])]), false]);
  it.each(cases)("%s", async (_label, content, utf8) => {
    const { scanPlainMarksCsv } = await import("../analytics/import/readers/plain-csv.ts");
    let decodes = true;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(content);
    } catch {
      decodes = false;
    }
    expect(decodes).toBe(utf8);
    const scan = await scanPlainMarksCsv(write("chunks.csv", content), "chunks.csv");
    expect(scan.why === "the file is not UTF-8").toBe(!utf8);
  });
});

describe("the plain scan's line ends, chunk by chunk (readers/plain-csv.ts)", () => {
  // Line ends of one kind are plain, both kinds are not, wherever the scan's 1 MiB chunks fall.
  const header = "upn,date,session,code\n";
  const pad = (n: number) => Buffer.alloc(n, 0x61);
  const room = (1 << 20) - Buffer.byteLength(header);
  const cases: Array<[string, Buffer, boolean]> = [
    ["LF in the first chunk, CRLF in the second", Buffer.concat([Buffer.from(header), pad(room + 10), Buffer.from("\r\nx\r\n")]), false],
    ["CRLF in the first chunk, LF in the second", Buffer.concat([Buffer.from(header.replace("\n", "\r\n")), pad(room + 10), Buffer.from("\nx\n")]), false],
    ["CRLF throughout, a CR ending the first chunk", Buffer.concat([Buffer.from(header.replace("\n", "\r\n")), pad(room - 2), Buffer.from("\r\nx\r\n")]), true],
    ["LF throughout", Buffer.concat([Buffer.from(header), pad(room + 10), Buffer.from("\nx\n")]), true],
  ];
  it.each(cases)("%s", async (_label, content, plain) => {
    const { scanPlainMarksCsv } = await import("../analytics/import/readers/plain-csv.ts");
    const scan = await scanPlainMarksCsv(write("ends.csv", content), "ends.csv");
    expect(scan.why === "the file's lines end in both CRLF and LF").toBe(!plain);
  });
});
