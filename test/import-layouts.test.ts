/**
 * "Done when": the same register imported in every layout and encoding, each into its own
 * fresh database, gives identical measures and identical stored names and marks.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, withConnection } from "../analytics/db.ts";
import { importFiles } from "../analytics/import/index.ts";
import { summarise, summariseBy } from "../analytics/measures.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY } from "./fixtures/import/helpers.ts";
import { rowsReadWords } from "../analytics/audit.ts";
import {
  ENCODINGS,
  NO_MARK_SESSIONS,
  PERIOD,
  REGISTER,
  XML_LABEL,
  calendarCsv,
  ctfXml,
  encode,
  expectedMarks,
  gridCsv,
  gridRows,
  longCsv,
  longRows,
  pupilsCsv,
  pupilsRows,
  weekCsv,
  workbook,
  type Encoding,
} from "./fixtures/import/register-layouts.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-layouts-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

interface Outcome {
  summary: unknown;
  byGroup: unknown;
  pupils: unknown;
  marks: string[][];
  skipped: number | undefined;
  /** The marks file's rows and marks in the import report's words (rowsReadWords). */
  read: string;
  /** The first and last date of the marks kept, as the summary and the import's record give them (trial 54). */
  dates: { summary: [string | undefined, string | undefined]; record: unknown[] };
}

/** Imports one case into a fresh database and reads back what the school would see. */
async function importCase(files: { calendar: string; pupils?: string; marks: string }, options: { sheet?: string } = {}): Promise<Outcome> {
  const db = tempDbPath("layouts");
  try {
    const summaries = await importFiles(db, files, { by: BY, asOf: "2025-01-06", ...options });
    return await withConnection(db, async (conn) => ({
      summary: await summarise(conn, PERIOD),
      byGroup: {
        sen: await summariseBy(conn, PERIOD, "sen"),
        fsm: await summariseBy(conn, PERIOD, "fsm"),
        eal: await summariseBy(conn, PERIOD, "eal"),
        lac: await summariseBy(conn, PERIOD, "lac"),
      },
      pupils: await queryRows(conn, "SELECT upn, forename, surname, dob, sex FROM pupils ORDER BY upn"),
      marks: (await queryRows(conn, "SELECT upn, date, session::VARCHAR AS session, code::VARCHAR AS code FROM marks ORDER BY upn, date, session")).map((r) => [
        String(r.upn),
        String(r.date),
        String(r.session),
        String(r.code),
      ]),
      skipped: summaries.find((s) => s.kind === "marks")?.skipped,
      read: ((m) => rowsReadWords(m.rowsRead, m.marksRead))(summaries.find((s) => s.kind === "marks")!),
      dates: {
        summary: ((m) => [m.firstDate, m.lastDate] as [string | undefined, string | undefined])(summaries.find((s) => s.kind === "marks")!),
        record: await queryRows(conn, "SELECT strftime(first_date, '%Y-%m-%d') AS first, strftime(last_date, '%Y-%m-%d') AS last FROM imports WHERE kind = 'marks'"),
      },
    }));
  } finally {
    await removeDb(db);
  }
}

let reference: Outcome;
const CTF_READ = "3 rows read (56 marks)";

beforeAll(async () => {
  reference = await importCase({
    calendar: write("reference-calendar.csv", encode(calendarCsv(), "utf-8")),
    pupils: write("reference-pupils.csv", encode(pupilsCsv(), "utf-8")),
    marks: write("reference-marks.csv", encode(longCsv(), "utf-8")),
  });
}, 60_000);

describe("the reference import (long CSV, UTF-8)", () => {
  it("stores the names exactly and every mark, with the measures worked out by hand", () => {
    expect((reference.pupils as { forename: string; surname: string }[]).map((p) => `${p.forename} ${p.surname}`)).toEqual([
      "Zoë Brontë",
      "Aoife O’Connell",
      "Siân Llywelyn-Jones",
    ]);
    expect(reference.marks).toEqual(expectedMarks().sort((a, b) => a.join().localeCompare(b.join())));
    // 60 sessions less 4 without a mark = 56 marks, all counted. Absent: Zoë I I (authorised)
    // N G G (unauthorised), Aoife M M (authorised) U (unauthorised), Siân C C (authorised):
    // 6 authorised + 4 unauthorised of 56 possible; present 46 (L is present).
    expect(reference.summary).toMatchObject({ pupils: 3, possible_sessions: 56, present_sessions: 46, authorised_sessions: 6, unauthorised_sessions: 4 });
    // One session a row: the long file's 56 rows (its sessions without a mark are not written).
    expect(reference.read).toBe("56 rows read");
    // The first and last date of its kept marks (cells without a mark are none): the sessions'
    // own dates, Mon 6 Jan to Fri 17 Jan 2025, in the summary and the import's record alike.
    const days = expectedMarks().map((m) => m[1]).sort();
    expect([days[0], days.at(-1)]).toEqual(["2025-01-06", "2025-01-17"]);
    expect(reference.dates).toEqual({ summary: ["2025-01-06", "2025-01-17"], record: [{ first: "2025-01-06", last: "2025-01-17" }] });
  });
});

// The import report's rows are the file's, not its sessions (a trial's 2-pupil workbook, one
// column per session, read "4 rows read"): a grid has a row a pupil (3, of 20 sessions each:
// 60, 4 without a mark, so 56 marks), week strings a row a pupil a week (6), a CTF a pupil's
// session string (3).
const TEXT_LAYOUTS: [string, () => string, string][] = [
  ["long", longCsv, "56 rows read"],
  ["grid", gridCsv, "3 rows read (56 marks)"],
  ["week", weekCsv, "6 rows read (56 marks)"],
];

describe.each(TEXT_LAYOUTS)("%s layout", (layout, marksText, read) => {
  it.each(ENCODINGS)("in %s gives the reference's measures, names and marks", async (encoding: Encoding) => {
    const outcome = await importCase({
      calendar: write(`${layout}-${encoding}-calendar.csv`, encode(calendarCsv(), encoding)),
      pupils: write(`${layout}-${encoding}-pupils.csv`, encode(pupilsCsv(encoding === "windows-1252" ? ";" : ","), encoding)),
      marks: write(`${layout}-${encoding}-marks.csv`, encode(marksText(), encoding)),
    });
    expect(outcome.summary).toEqual(reference.summary);
    expect(outcome.byGroup).toEqual(reference.byGroup);
    expect(outcome.pupils).toEqual(reference.pupils);
    expect(outcome.marks).toEqual(reference.marks);
    // Sessions without a mark are reported by the layouts that can hold them.
    expect(outcome.skipped).toBe(layout === "long" ? undefined : NO_MARK_SESSIONS);
    expect(outcome.read).toBe(read);
    expect(outcome.dates).toEqual(reference.dates);
  }, 60_000);
});

describe("Common Transfer File", () => {
  it.each(ENCODINGS)("in %s, alone (pupils and marks in one file), gives the reference's measures, names and marks", async (encoding: Encoding) => {
    const outcome = await importCase({
      calendar: write(`ctf-${encoding}-calendar.csv`, encode(calendarCsv(), encoding)),
      marks: write(`ctf-${encoding}.xml`, encode(ctfXml(XML_LABEL[encoding]), encoding)),
    });
    expect(outcome.summary).toEqual(reference.summary);
    expect(outcome.byGroup).toEqual(reference.byGroup);
    expect(outcome.pupils).toEqual(reference.pupils);
    expect(outcome.marks).toEqual(reference.marks);
    expect(outcome.skipped).toBe(NO_MARK_SESSIONS);
    expect(outcome.read).toBe(CTF_READ);
    expect(outcome.dates).toEqual(reference.dates);
  }, 60_000);
});

describe("Excel workbooks", () => {
  it.each([
    ["long", longRows, "56 rows read"],
    ["grid", gridRows, "3 rows read (56 marks)"],
  ] as const)("the %s layout in a named sheet, dates as date cells, gives the reference's results", async (layout, rows, read) => {
    const outcome = await importCase(
      {
        calendar: write(`xlsx-${layout}-calendar.csv`, encode(calendarCsv(), "utf-8")),
        pupils: write(`xlsx-${layout}-pupils.xlsx`, await workbook(pupilsRows())),
        marks: write(`xlsx-${layout}-marks.xlsx`, await workbook(rows())),
      },
      { sheet: "Register" },
    );
    expect(outcome.summary).toEqual(reference.summary);
    expect(outcome.byGroup).toEqual(reference.byGroup);
    expect(outcome.pupils).toEqual(reference.pupils);
    expect(outcome.marks).toEqual(reference.marks);
    expect(outcome.read).toBe(read);
    expect(outcome.dates).toEqual(reference.dates);
  }, 60_000);
});

it("the register has the names with diacritics and a typographic apostrophe it is meant to test", () => {
  expect(REGISTER.map((p) => p.forename + p.surname).join("")).toMatch(/ë.*’.*â/);
});
