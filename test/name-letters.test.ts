/**
 * A pupils file saved so that its names come in wrong (trial 53): in an encoding Rollcall does
 * not read (read as Windows-1252 without a word: "Dvořák" in ISO-8859-2 became "Dvoøák" and
 * "Every check passed"), or by Excel's "CSV (Comma delimited)", which writes "?" for a letter it
 * cannot hold ("O'Brien-?ukasz"); and bytes that cannot be decoded at all, whose refusals told
 * the school to "correct line 1, column 1" of a file no edit can mend.
 *
 * By hand: in ISO-8859-2, Ł is byte 0xA3, ř 0xF8, á 0xE1, ë 0xEB; read as Windows-1252 those
 * bytes are "£", "ø", "á", "ë". Excel's Windows-1252 save has ë and á but neither Ł nor ř.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WrongFileError } from "../analytics/csv.ts";
import { decodeBytes } from "../analytics/import/decode.ts";
import { importFiles } from "../analytics/import/index.ts";
import { lostLetterNote, windows1252Note } from "../analytics/import/name-letters.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, PUPIL_HEADER, pupil, pupilsCsv } from "./fixtures/import/helpers.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-name-letters-"));
const write = (name: string, bytes: Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
};
/** A pupils file's two rows (the helpers' pupils 1 and 2) with these names, as bytes: `text` gives each piece's bytes. */
const twoPupils = (names: [Buffer, Buffer][]) => {
  const rows = pupilsCsv([pupil(1), pupil(2)]).trimEnd().split("\n").slice(1);
  const lines = rows.map((row, i) => {
    const [upn, , , ...rest] = row.split(",");
    return Buffer.concat([Buffer.from(`${upn},`), names[i][0], Buffer.from(","), names[i][1], Buffer.from(`,${rest.join(",")}\r\n`)]);
  });
  return Buffer.concat([Buffer.from(`${PUPIL_HEADER}\r\n`), ...lines]);
};
const latin1 = (s: string) => Buffer.from(s, "latin1");
const SAVE = `save the file as "CSV UTF-8" (in Excel: File › Save As, "CSV UTF-8 (Comma delimited)") and import it again`;

let db: string;
beforeAll(() => {
  db = tempDbPath("name-letters");
});
afterAll(async () => {
  await removeDb(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The notes of a dry run of `bytes` as the pupils file (nothing is imported). */
const notesOf = async (name: string, bytes: Buffer) => {
  const [summary] = await importFiles(db, { pupils: write(name, bytes) }, { by: BY, asOf: "2025-01-06", dryRun: true });
  return summary.notes ?? [];
};

describe("names read from a file in an encoding Rollcall does not read", () => {
  it("shows the letters as read from an ISO-8859-2 file (read as Windows-1252), with what to do", async () => {
    // Zoë O'Brien-Łukasz and Chloé Dvořák in ISO-8859-2.
    const latin2 = twoPupils([
      [Buffer.from([0x5a, 0x6f, 0xeb]), Buffer.concat([latin1("O'Brien-"), Buffer.from([0xa3]), latin1("ukasz")])],
      [Buffer.concat([latin1("Chlo"), Buffer.from([0xe9])]), Buffer.concat([latin1("Dvo"), Buffer.from([0xf8, 0xe1]), latin1("k")])],
    ]);
    expect(await notesOf("latin2.csv", latin2)).toContain(
      `Read as Windows-1252 (not UTF-8): its names' letters beyond A–Z read "Zoë", "O'Brien-£ukasz", "Chloé", "Dvoøák". If any is not as your MIS shows it, the file is in another encoding: ${SAVE}`,
    );
  }, 60_000);

  it("says nothing of the encoding of the same names in UTF-8, or of a Windows-1252 file all in A–Z", async () => {
    const utf8 = twoPupils([
      [Buffer.from("Zoë"), Buffer.from("O'Brien-Łukasz")],
      [Buffer.from("Chloé"), Buffer.from("Dvořák")],
    ]);
    expect((await notesOf("utf8.csv", utf8)).filter((n) => n.includes("Windows-1252") || n.includes('"?"'))).toEqual([]);
    expect(windows1252Note(["Zoe", "O'Brien"])).toBeUndefined();
  }, 60_000);

  it("looks at the names only: a calendar's dash or a notes column's pound sign in Windows-1252 says nothing (review 53)", async () => {
    const calendar = latin1("kind,name,start_date,end_date\r\nhalf_term,autumn-1,2026-09-01,2026-10-23\r\nclosure,Polling day \x96 school closed,2026-10-01,2026-10-01\r\n");
    const [summary] = await importFiles(db, { calendar: write("calendar-1252.csv", calendar) }, { by: BY, dryRun: true });
    expect(summary.notes ?? []).toEqual([]);
    const rows = pupilsCsv([pupil(1), pupil(2)]).trimEnd().split("\n");
    const withNotes = latin1([`${rows[0]},notes`, ...rows.slice(1).map((r) => `${r},Dinner money \xa35 \x96 paid`)].join("\r\n") + "\r\n");
    expect((await notesOf("notes-1252.csv", withNotes)).filter((n) => n.includes("Windows-1252"))).toEqual([]);
  }, 60_000);

  it("counts the words past the fourth, each word once", () => {
    expect(windows1252Note(["é1 é2", "é1", "é3 é4", "é5 é6"])).toBe(
      `Read as Windows-1252 (not UTF-8): its names' letters beyond A–Z read "é1", "é2", "é3", "é4" and 2 more words. If any is not as your MIS shows it, the file is in another encoding: ${SAVE}`,
    );
  });
});

describe("names saved by Excel's \"CSV (Comma delimited)\", which writes \"?\" for a letter it cannot hold", () => {
  it("names each pupil whose name holds '?' beside a letter, at its line, with what to do", async () => {
    const excel = twoPupils([
      [latin1("Zo\xeb"), latin1("O'Brien-?ukasz")],
      [latin1("Chlo\xe9"), latin1("Dvo?\xe1k")],
    ]);
    const notes = await notesOf("excel.csv", excel);
    expect(notes).toContain(
      `2 names hold "?" where a letter belongs (line 2 "Zoë O'Brien-?ukasz", line 3 "Chloé Dvo?ák"): Excel's "CSV (Comma delimited)" writes "?" for a letter it cannot hold (Ł, ř, ś …); to keep them, ${SAVE}`,
    );
    // The same advice once: no note of the encoding beside it.
    expect(notes.filter((n) => n.includes("Windows-1252"))).toEqual([]);
  }, 60_000);

  it("takes a '?' beside no letter, and a name without one, as no lost letter", () => {
    expect(lostLetterNote([{ line: 2, name: "Ann ?" }, { line: 3, name: "O'Neill" }])).toBeUndefined();
    expect(lostLetterNote([{ line: 9, name: "?ukasz Nowak" }])).toMatch(/^1 name holds "\?" where a letter belongs \(line 9 "\?ukasz Nowak"\)/);
    // A name written in letters Windows-1252 has none of is all "?" (review 53).
    expect(lostLetterNote([{ line: 2, name: "??????? Ivanova" }, { line: 3, name: "?? ??" }])).toMatch(/^2 names hold "\?" where a letter belongs \(line 2 "\?{7} Ivanova", line 3 "\?\? \?\?"\)/);
  });
});

describe("bytes that cannot be decoded: the file is saved again, not corrected at a line", () => {
  const advice = `save it again as "CSV UTF-8" (in Excel: File › Save As, "CSV UTF-8 (Comma delimited)") and import that file`;
  const refusal = (bytes: Buffer, file: string) => {
    try {
      decodeBytes(bytes, file);
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it("refuses Windows-1252 text behind a UTF-8 byte-order mark as a file to save again", () => {
    const error = refusal(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), latin1("a,b\r\nZo\xeb,x\r\n")]), "bom.csv");
    expect(error).toBeInstanceOf(WrongFileError);
    expect((error as Error).message).toBe(`bom.csv:2:3: byte 0xEB is not valid UTF-8, though the file starts with a UTF-8 byte-order mark (text in another encoding after it): ${advice}`);
  });

  it("refuses a UTF-32 file as a file to save again, asking whether it is UTF-32", () => {
    const utf32 = Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x61, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x62, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00]);
    const error = refusal(utf32, "utf32.csv");
    expect(error).toBeInstanceOf(WrongFileError);
    expect((error as Error).message).toMatch(/^utf32\.csv:\d+:\d+: a NUL character cannot be read as text \(the file was decoded as UTF-16LE; is it UTF-32, or not a text file\?\): save it again as "CSV UTF-8"/);
  });

  it("places an undefined byte at its character in Windows-1252, where ’ and £ are one character each (review 53)", () => {
    const error = refusal(latin1("a,b\r\nO\x92Brien \xa35\x81\r\n"), "x.csv");
    expect((error as Error).message).toMatch(/^x\.csv:2:11: byte 0x81 cannot be decoded/);
  });

  it("refuses a byte neither UTF-8 nor Windows-1252 as a file to save again", () => {
    const error = refusal(Buffer.concat([latin1("a,b\r\nZo"), Buffer.from([0x81]), latin1("\r\n")]), "bad.csv");
    expect(error).toBeInstanceOf(WrongFileError);
    expect((error as Error).message).toBe(`bad.csv:2:3: byte 0x81 cannot be decoded: the file is neither UTF-8 nor Windows-1252: ${advice}`);
  });
});
