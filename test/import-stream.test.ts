/**
 * Marks files imported as a stream (issue 11, item 1: "imports stream in bounded memory"):
 * the long layout is read chunk by chunk, each row checked and staged as it comes. These
 * tests hold the streamed path to the whole-text path it replaced: the same records with
 * the same lines and columns whatever the chunk boundaries, the same summary and marks, the
 * same refusal messages, and a refused file larger than a chunk and a flush changes nothing.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvParser, InputError, parseCsv, type CsvRecord } from "../analytics/csv.ts";
import { inTransaction, queryRows, withConnection, type Connection } from "../analytics/db.ts";
import { readTextFile } from "../analytics/import/decode.ts";
import { importFiles, importMarks } from "../analytics/import/index.ts";
import { readDelimited } from "../analytics/import/readers/delimited.ts";
import { openDelimitedStream } from "../analytics/import/readers/delimited-stream.ts";
import { syntheticMarkLine } from "../analytics/demo/synthetic-marks.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, fingerprint, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-stream-"));
const write = (name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A deterministic generator (LCG), so a failing case can be replayed. */
function random(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
}

const outcome = (work: () => CsvRecord[]) => {
  try {
    return { records: work() };
  } catch (error) {
    return { error: (error as InputError).message };
  }
};

describe("CsvParser fed in pieces", () => {
  it("gives the records (lines, columns, values) and errors of the whole text, wherever the pieces break", () => {
    const alphabet = ["a", "b", ",", '"', '"', "\n", "\r", "\r\n", " ", "é"];
    const rnd = random(7);
    for (let t = 0; t < 5000; t++) {
      let text = "";
      for (let k = rnd(40); k > 0; k--) text += alphabet[rnd(alphabet.length)];
      const whole = outcome(() => parseCsv(text, "f.csv"));
      const pieces = outcome(() => {
        const parser = new CsvParser("f.csv");
        const out: CsvRecord[] = [];
        for (let i = 0; i < text.length; ) {
          const step = 1 + rnd(4);
          out.push(...parser.push(text.slice(i, i + step)));
          i += step;
        }
        out.push(...parser.push("", true));
        return out;
      });
      expect(pieces, JSON.stringify(text)).toEqual(whole);
    }
  });

  it("counts a quoted line break split across pieces, and holds a CR until it knows whether LF follows", () => {
    const parser = new CsvParser("f.csv");
    expect(parser.push('a,"x\r')).toEqual([]);
    expect(parser.push('\ny"\r')).toEqual([]);
    const records = [...parser.push("\nb,c"), ...parser.push("", true)];
    expect(records).toEqual([
      { line: 1, fields: [{ value: "a", line: 1, column: 1 }, { value: "x\r\ny", line: 1, column: 2 }] },
      { line: 3, fields: [{ value: "b", line: 3, column: 1 }, { value: "c", line: 3, column: 2 }] },
    ]);
  });
});

describe("openDelimitedStream", () => {
  // Several decoder chunks (1 MB each): a sep= line, blank and empty rows, quoted line breaks, Windows-1252.
  function bigText(): string {
    const lines = ["sep=;", "", "UPN;Date;Session;Mark;Note", ";;;;"];
    for (let i = 0; i < 100_000; i++) {
      const note = i % 997 === 0 ? `"Zoë said ""late""\nsecond line"` : i % 13 === 0 ? "O’Connell" : "";
      lines.push(`${upn(i % 500)};0${(i % 28) + 1}/01/2025;${i % 2 ? "PM" : "AM"};/;${note}`);
      if (i % 5000 === 0) lines.push(";;;;", "");
    }
    return lines.join("\r\n") + "\r\n";
  }

  it("reads the records, header and separator that readDelimited reads from the whole text, and its SHA-256", async () => {
    const text = bigText();
    const cp1252 = Buffer.from(text.replace(/’/g, "\u0092"), "latin1");
    const file = write("big-1252.csv", cp1252);
    expect(cp1252.length).toBeGreaterThan(3 * 1024 * 1024);
    const decoded = readTextFile(file, "big.csv");
    expect(decoded.encoding).toBe("windows-1252");
    const expected = readDelimited(decoded.text, "big.csv");

    const stream = await openDelimitedStream(file, "big.csv");
    const rows: CsvRecord[] = [];
    let batches = 0;
    for await (const batch of stream.batches) {
      rows.push(...batch);
      batches++;
    }
    expect(batches).toBeGreaterThan(2);
    expect(stream.delimiter).toBe(";");
    expect(stream.header).toEqual(expected.records[0]);
    expect(rows.length).toBe(expected.records.length - 1);
    expect(rows).toEqual(expected.records.slice(1));
    expect(stream.digest()).toBe(createHash("sha256").update(decoded.text, "utf8").digest("hex"));
  });

  it("refuses an unclosed quote deep in the file at its line and column", async () => {
    const file = write("unclosed.csv", `upn,date,session,code\n${`${upn(1)},2025-01-06,AM,/\n`.repeat(80_000)}${upn(1)},"2025-01-06,AM,/\n`);
    const stream = await openDelimitedStream(file, "unclosed.csv");
    const error = await (async () => {
      for await (const batch of stream.batches) void batch;
    })().catch((e: unknown) => e);
    expect((error as InputError).message).toBe("unclosed.csv:80002:2: a quoted field is never closed");
  });
});

// A school of PUPILS pupils over the autumn term: enough rows for several chunks and appender flushes.
const PUPILS = 1000;
const CALENDAR = "kind,name,start_date,end_date\nhalf_term,autumn-1,2024-09-02,2024-10-25\nhalf_term,autumn-2,2024-11-04,2024-12-20\n";
const TODAY = "2024-12-20";

function schoolDays(): string[] {
  const days: string[] = [];
  for (let t = Date.UTC(2024, 8, 2); t <= Date.UTC(2024, 11, 20); t += 86_400_000) {
    const d = new Date(t);
    const iso = d.toISOString().slice(0, 10);
    const dow = d.getUTCDay();
    if (dow === 0 || dow === 6 || (iso >= "2024-10-26" && iso <= "2024-11-03")) continue;
    days.push(iso);
  }
  return days;
}

/** Every pupil's every session, one row each (the long layout), codes by the shared synthetic-mark rule. */
function registerLines(change = 0): string[] {
  const lines: string[] = [];
  let i = 0;
  for (const date of schoolDays()) {
    for (let p = 1; p <= PUPILS; p++) {
      for (const session of ["AM", "PM"] as const) lines.push(syntheticMarkLine(upn(p), date, ++i, session, change));
    }
  }
  return lines;
}
const HEADER = "upn,date,session,code,minutes_late";

async function newSchool(label: string): Promise<string> {
  const db = tempDbPath(label);
  const pupils = Array.from({ length: PUPILS }, (_, k) => pupil(k + 1, { admission_date: "2024-09-02" }));
  await importFiles(db, { calendar: write("calendar.csv", CALENDAR), pupils: write("pupils.csv", pupilsCsv(pupils)) }, { by: BY, asOf: "2024-09-02" });
  return db;
}

const aggregates = (conn: Connection) =>
  queryRows(
    conn,
    `SELECT (SELECT count(*) FROM mark_days) AS days, (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM mark_days t) AS days_sum,
            (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM mark_weeks t) AS weeks_sum,
            (SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM mark_week_codes t) AS codes_sum`,
  );
const marksSum = (conn: Connection) =>
  queryRows(conn, `SELECT count(*) AS n, md5(string_agg(concat_ws(' ', upn, date, session, code, minutes_late), '|' ORDER BY upn, date, session)) AS sum FROM marks`);

/** A marks file imported through importFiles (streamed) and through importMarks given the whole text (the old path). */
async function bothWays(name: string, text: string, streamDb: string, wholeDb: string) {
  const file = write(name, text);
  const streamed = await importFiles(streamDb, { marks: file }, { by: BY }).then(
    (s) => ({ summary: { ...s[0], importId: s[0].importId !== null } }),
    (e: unknown) => ({ error: e instanceof InputError ? e.message : String(e) }),
  );
  const whole = await withConnection(wholeDb, (conn) =>
    inTransaction(conn, () => importMarks(conn, { file: name, text: readTextFile(file, name).text, by: BY })),
  ).then(
    (s) => ({ summary: { ...s, importId: s.importId !== null } }),
    (e: unknown) => ({ error: e instanceof InputError ? e.message : String(e) }),
  );
  return { streamed, whole };
}

describe("the streamed import against the whole-text import", () => {
  let streamDb: string;
  let wholeDb: string;
  beforeAll(async () => {
    process.env.ROLLCALL_TODAY = TODAY;
    streamDb = await newSchool("stream-a");
    wholeDb = await newSchool("stream-b");
  }, 120_000);
  afterAll(async () => {
    delete process.env.ROLLCALL_TODAY;
    await removeDb(streamDb);
    await removeDb(wholeDb);
  });

  it("stores the same marks and aggregates and reports the same summary: first load, amendments, unchanged", async () => {
    const first = [HEADER, ...registerLines()].join("\n") + "\n";
    expect(first.length).toBeGreaterThan(4 * 1024 * 1024);
    const a = await bothWays("register.csv", first, streamDb, wholeDb);
    expect(a.streamed).toEqual(a.whole);
    expect(a.streamed).toMatchObject({ summary: { rowsRead: registerLines().length, inserted: registerLines().length, importId: true } });

    const changed = await bothWays("register.csv", [HEADER, ...registerLines(101)].join("\r\n"), streamDb, wholeDb);
    expect(changed.streamed).toEqual(changed.whole);
    expect((changed.streamed as { summary: { amended: number } }).summary.amended).toBeGreaterThan(500);

    for (const read of [marksSum, aggregates]) {
      expect(await withConnection(streamDb, read)).toEqual(await withConnection(wholeDb, read));
    }
    const digests = (conn: Connection) => queryRows(conn, "SELECT sha256, rows_read, rows_inserted, rows_amended FROM imports WHERE kind = 'marks' ORDER BY import_id");
    expect(await withConnection(streamDb, digests)).toEqual(await withConnection(wholeDb, digests));
  }, 300_000);

  it("refuses a file with row faults and set-based faults with the same messages, up to 50 and a count", async () => {
    const lines = registerLines().slice(0, 30_000);
    lines[10] = `${upn(1)},2024-09-02,AM,/,`; // duplicate of line 2's session
    lines[200] = `${upn(9999)},2024-09-03,AM,/,`; // unknown pupil
    lines[300] = `${upn(3)},2024-09-07,AM,/,`; // a Saturday
    lines[400] = `${upn(3)},2024-10-28,AM,/,`; // half-term holiday
    lines[500] = `${upn(3)},2024-09-03,XM,/,`; // bad session
    lines[600] = `${upn(3)},2024-09-03,AM,QQ,`; // unknown code
    lines[700] = `${upn(3)},31/02/2024,AM,/,`; // not a date
    for (let k = 0; k < 60; k++) lines[20_000 + k] = `${upn(4)},2024-09-02,PM,H,`; // H withdrawn in 2024
    const text = [HEADER, ...lines].join("\n") + "\n";
    const { streamed, whole } = await bothWays("faulty.csv", text, streamDb, wholeDb);
    expect(streamed).toEqual(whole);
    const message = (streamed as { error: string }).error;
    expect(message.split("\n")[0]).toBe(`faulty.csv:12:3: duplicate session: ${upn(1)} 2024-09-02 AM is already given on line 2`);
    expect(message).toContain(`faulty.csv:202:1: unknown pupil ${upn(9999)}: import the pupil first`);
    expect(message).toContain('faulty.csv:502:3: session must be AM or PM, not "XM"');
    expect(message).toMatch(/… and \d+ more error\(s\) not listed \(the first 50 are shown\)$/);
  }, 300_000);

  it("refuses a row with a field too few or too many as mapColumns did, naming it", async () => {
    const lines = registerLines().slice(0, 5000);
    lines[4000] = `${upn(1)},2024-09-02,AM`;
    const { streamed, whole } = await bothWays("short.csv", [HEADER, ...lines].join("\n"), streamDb, wholeDb);
    expect(streamed).toEqual(whole);
    expect(streamed).toEqual({ error: "short.csv:4002:4: expected 5 fields as in the header, found 3" });
  }, 120_000);
});

describe("a refused big file", () => {
  let db: string;
  beforeAll(async () => {
    process.env.ROLLCALL_TODAY = TODAY;
    db = await newSchool("stream-refused");
    await importFiles(db, { marks: write("first-half.csv", [HEADER, ...registerLines().slice(0, 100_000)].join("\n")) }, { by: BY });
  }, 180_000);
  afterAll(async () => {
    delete process.env.ROLLCALL_TODAY;
    await removeDb(db);
  });

  it("changes nothing (marks, amendments, imports, aggregates), with its fault on the last of 120,000 rows", async () => {
    const before = { tables: await withConnection(db, fingerprint), aggregates: await withConnection(db, aggregates) };
    // New marks and amendments of stored ones: several decoder chunks and appender flushes are written before the fault.
    const lines = registerLines(7);
    lines[lines.length - 1] = `${upn(2)},2024-12-20,PM,QQ,`;
    const text = [HEADER, ...lines].join("\n") + "\n";
    expect(lines.length).toBeGreaterThan(120_000);
    const error = await importFiles(db, { marks: write("refused.csv", text) }, { by: BY }).catch((e: unknown) => e);
    expect((error as InputError).message).toBe(`refused.csv:${lines.length + 1}:4: unknown attendance code "QQ"`);
    expect({ tables: await withConnection(db, fingerprint), aggregates: await withConnection(db, aggregates) }).toEqual(before);
    expect(before.tables.marks.startsWith("100000:")).toBe(true);
  }, 300_000);
});
