/**
 * A Common Transfer File's attendance is stored only where it is this school's register (a
 * fresh-clone trial, session 18): a CTF from the previous school (SourceSchool another school,
 * DestSchool this one) put the sending school's marks into this register, and its first mark
 * became the admission here. The DfE's CTF 21 specification (3.1.12) gives attendance per
 * school and year: a YearData's LEA and Estab name whose register it is, and one naming none
 * is the file's maker's (the SourceSchool's). Now another school's marks, and marks before the
 * admission here, are skipped with counts in the preview; a file giving this school nothing is
 * refused. And "#" (planned closure) on a session the school was open to the pupil's year
 * group is refused by every reader alike, at the file's line and column.
 *
 * The register, by hand: autumn 1 from Tuesday 1 September 2026, autumn 2 from 2 November.
 * Pupils 1 and 2 in Year 3 (3B), pupil 3 in Year 4 (4A), all admitted 1 September and present
 * at every session of Tue 1 – Fri 4 September (8 sessions each).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeInstance, queryRows, withConnection } from "../analytics/db.ts";
import { compareGroups } from "../analytics/groups.ts";
import { appliesFromSentence, importFiles } from "../analytics/import/index.ts";
import { cliOn } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, fingerprint, marksCsv, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";
import { ctfEnvelope } from "./fixtures/import/register-layouts.ts";
import { ctfPupilXml, refusalMessage } from "./fixtures/import/ctf.ts";
import { restoreTodayAfterAll } from "./helpers/break-register.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-ctf-transfer-"));
const write = (name: string, content: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
const CALENDAR = "kind,name,start_date,end_date\nhalf_term,autumn-1,2026-09-01,2026-10-23\nhalf_term,autumn-2,2026-11-02,2026-12-18\n";
const THIS_SCHOOL = { lea: "820", estab: "2000", name: "Ludlow Primary", academicYear: "2026" };
const OTHER_PRIMARY = { lea: "999", estab: "1234", name: "Other Primary", academicYear: "2026" };
const AVA = upn(7);
const BEN = upn(8);

const ctf = (source: typeof THIS_SCHOOL, pupils: string) => ctfEnvelope({ dateTime: "2026-12-04T09:00:00", source }, pupils);

/** Ava, Year 3, leaving Other Primary on Friday 27 November; its CTF's attendance (naming no school: Other Primary's) runs Mon 23 Nov – Fri 4 Dec, 20 sessions, 2 of them I. */
const avaFromOtherPrimary = () =>
  ctf(
    OTHER_PRIMARY,
    ctfPupilXml({
      upn: AVA, forename: "Ava", surname: "Hart", dob: "2017-10-10", sex: "F", year: "3",
      years: [{ start: "2026-11-23", marks: "/\\/\\II/\\/\\####/\\/\\/\\/\\/\\" }],
      schools: [{ lea: "999", estab: "1234", name: "Other Primary", entry: "2022-09-01", leaving: "2026-11-27" }],
    }),
  );

let db: string;
restoreTodayAfterAll();
beforeAll(() => {
  process.env.ROLLCALL_TODAY = "2026-12-04";
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => {
  db = tempDbPath("ctf-transfer");
  const roll = [
    pupil(1, { admission_date: "2026-09-01", year_group: "3", reg_group: "3B" }),
    pupil(2, { admission_date: "2026-09-01", year_group: "3", reg_group: "3B" }),
    pupil(3, { admission_date: "2026-09-01", year_group: "4", reg_group: "4A" }),
  ];
  const days = ["2026-09-01", "2026-09-02", "2026-09-03", "2026-09-04"];
  const marks = [1, 2, 3].flatMap((n) => days.flatMap((d) => (["AM", "PM"] as const).map((s) => [upn(n), d, s, s === "AM" ? "/" : "\\"])));
  await importFiles(db, { calendar: write("calendar.csv", CALENDAR), pupils: write("pupils.csv", pupilsCsv(roll)), marks: write("marks.csv", marksCsv(marks)) }, { by: BY, asOf: "2026-09-01" });
}, 60_000);
afterEach(async () => {
  await removeDb(db);
});

const marksOf = (u: string) =>
  withConnection(db, (c) => queryRows(c, "SELECT strftime(date, '%Y-%m-%d') AS date, session::VARCHAR AS session, code::VARCHAR AS code FROM marks WHERE upn = $u ORDER BY date, session", { u }));
const admissionOf = async (u: string) => (await withConnection(db, (c) => queryRows<{ admission_date: string }>(c, "SELECT admission_date FROM pupils WHERE upn = $u", { u })))[0]?.admission_date;

describe("a CTF addressed to no school", () => {
  it("is refused, naming no destination or the specification's MMM, and changes nothing (trial18b: Other Primary's G marks stored as this school's)", async () => {
    const before = await withConnection(db, fingerprint);
    const addressed = avaFromOtherPrimary();
    const noDest = write("no-dest.xml", addressed.replace(/\s*<DestSchool>.*<\/DestSchool>/, ""));
    const line = addressed.split("\n").findIndex((l) => l.includes("<DateTime>")) + 1;
    expect(await refusalMessage(importFiles(db, { marks: noDest }, { by: BY }))).toMatch(
      new RegExp(`^no-dest\\.xml:${line}:\\d+: the CTF names no destination school \\(Header/DestSchool LEA and Estab\\)`),
    );
    const unknown = write("mmm.xml", addressed.replace("<DestSchool><LEA>820</LEA><Estab>2000</Estab></DestSchool>", "<DestSchool><LEA>MMM</LEA><Estab>MMMM</Estab></DestSchool>"));
    expect(await refusalMessage(importFiles(db, { marks: unknown }, { by: BY }))).toMatch(/the CTF is addressed to no school \(Header\/DestSchool LEA MMM, Estab MMMM: destination unknown\)/);
    expect(await withConnection(db, fingerprint)).toEqual(before);
  });
});

describe("a CTF from the previous school (a pupil transferring in)", () => {
  it("does not store the sending school's marks, nor admit the pupil on its first mark: a new pupil with no admission here is refused", async () => {
    const before = await withConnection(db, fingerprint);
    const text = avaFromOtherPrimary();
    const line = text.slice(0, text.indexOf("<Pupil>")).split("\n").length;
    expect(await refusalMessage(importFiles(db, { pupils: write("ava.xml", text) }, { by: BY }))).toBe(
      `ava.xml:${line}:12: ${AVA}: the file does not say when the pupil was admitted to this school: no SchoolHistory School is this school (the Header's DestSchool, LEA 820 Estab 2000) and no AttendMarks of this school's give a first day here (a SchoolHistory EntryDate is when the pupil entered that school, not this one; another school's attendance is not this school's register); import a pupils file giving the admission date, then the CTF`,
    );
    expect(await withConnection(db, fingerprint)).toEqual(before);
  }, 60_000);

  it("with the admission from a pupils file: the preview says what is skipped, with counts, and from when the details apply; no mark of Other Primary's is stored", async () => {
    const pupils = write("ava.csv", pupilsCsv([pupil(7, { forename: "Ava", surname: "Hart", dob: "2017-10-10", sex: "F", year_group: "3", reg_group: "3B", admission_date: "2026-11-30" })]));
    const file = write("ava.xml", avaFromOtherPrimary());
    const preview = await importFiles(db, { pupils, marks: file }, { by: BY, dryRun: true });
    expect(preview.map((s) => [s.kind, s.file])).toEqual([["pupils", "ava.csv"], ["pupils", "ava.xml"], ["marks", "ava.xml"]]);
    // From when the CTF's details apply: its Header DateTime, said as the CLI's dry run and the Import page's preview say it.
    expect(preview[1].appliesFrom).toEqual({ date: "2026-12-04", source: "the file's date, its Header DateTime" });
    expect(appliesFromSentence(preview[1])).toBe(
      "Changed details apply from 4 Dec 2026 (the file's date, its Header DateTime): a pupil already on the roll changes from then, never before; a new pupil's details start at their admission",
    );
    expect([preview[2].inserted, preview[2].amended]).toEqual([0, 0]);
    expect(preview[2].notes).toEqual([
      "20 marks of 1 pupil skipped: the file gives them as the attendance of Other Primary (LEA 999, Estab 1234), not this school's register (LEA 820, Estab 2000); they are the previous school's record, not counted here",
    ]);

    const done = await importFiles(db, { pupils, marks: file }, { by: BY });
    expect(done.map((s) => s.inserted)).toEqual([1, 0, 0]);
    expect(await admissionOf(AVA)).toBe("2026-11-30");
    // Her first week here has no marks yet: the school records its own register, not the previous school's.
    expect(await marksOf(AVA)).toEqual([]);

    // The CTF again, alone: nothing in it is for this school (its marks Other Primary's, Ava as stored). Refused, nothing changes.
    const stored = await withConnection(db, fingerprint);
    expect(await refusalMessage(importFiles(db, { marks: file }, { by: BY }))).toMatch(
      /^ava\.xml:1:1: nothing in this Common Transfer File is for this school's register: 20 marks of 1 pupil skipped: the file gives them as the attendance of Other Primary .*; and its pupils are already on the roll as it gives them\. Nothing was imported$/,
    );
    expect(await withConnection(db, fingerprint)).toEqual(stored);
  }, 60_000);
});

describe("a school's own CTF for a pupil who joined this term", () => {
  // Ben left Other Primary on Fri 27 Nov and joined here on Mon 30 Nov. One YearData is Other
  // Primary's (it names LEA 999, Estab 1234): 10 sessions, one O. The other names no school,
  // so it is this school's (the file's maker): 10 sessions before his admission (23–27 Nov)
  // and 10 from it (30 Nov – 4 Dec), I on Tuesday. His week here: 10 possible, 8 present.
  const ben = () =>
    ctf(
      THIS_SCHOOL,
      ctfPupilXml({
        upn: BEN, forename: "Ben", surname: "Cole", dob: "2017-11-11", sex: "M", year: "3",
        years: [
          { school: { lea: "999", estab: "1234", name: "Other Primary" }, start: "2026-11-23", marks: "/\\/\\/\\/\\O\\" },
          { start: "2026-11-23", marks: "/\\/\\/\\/\\/\\####/\\II/\\/\\/\\" },
        ],
        schools: [
          { lea: "999", estab: "1234", name: "Other Primary", entry: "2022-09-01", leaving: "2026-11-27" },
          { lea: "820", estab: "2000", name: "Ludlow Primary", entry: "2026-11-30" },
        ],
      }),
    );

  it("the CLI's dry run says what would be skipped, with counts, and from when his details apply", async () => {
    const file = write("ben.xml", ben());
    await closeInstance(db);
    const cli = await cliOn(db)("import", "--pupils", file, "--dry-run", "--user", "Ann Office");
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(
      "pupils ben.xml: 1 row read, 1 new, 0 amended, 0 unchanged\n" +
        "  Changed details apply from 4 Dec 2026 (the file's date, its Header DateTime): a pupil already on the roll changes from then, never before; a new pupil's details start at their admission\n",
    );
    expect(cli.stdout).toContain(
      // The days of the marks kept (his five days here, 30 Nov to 4 Dec), with the counts (trial 54).
      "marks ben.xml: 1 row read (10 marks), 30 Nov 2026 to 4 Dec 2026: 10 new, 0 amended, 0 unchanged\n" +
        "  10 marks of 1 pupil skipped: the file gives them as the attendance of Other Primary (LEA 999, Estab 1234), not this school's register (LEA 820, Estab 2000); they are the previous school's record, not counted here\n" +
        "  10 marks of 1 pupil skipped: dated before the pupil's admission to this school (or after leaving it), so not this school's register\n",
    );
  }, 60_000);

  it("stores only this school's marks from his admission; the others are skipped and counted", async () => {
    const file = write("ben.xml", ben());
    const [pupils, marks] = await importFiles(db, { pupils: file }, { by: BY });
    expect([pupils.inserted, marks.inserted, marks.amended]).toEqual([1, 10, 0]);
    expect(marks.notes).toEqual([
      "10 marks of 1 pupil skipped: the file gives them as the attendance of Other Primary (LEA 999, Estab 1234), not this school's register (LEA 820, Estab 2000); they are the previous school's record, not counted here",
      "10 marks of 1 pupil skipped: dated before the pupil's admission to this school (or after leaving it), so not this school's register",
    ]);
    expect(await admissionOf(BEN)).toBe("2026-11-30");
    const stored = await marksOf(BEN);
    expect(stored.map((m) => m.date)).toEqual(["2026-11-30", "2026-11-30", "2026-12-01", "2026-12-01", "2026-12-02", "2026-12-02", "2026-12-03", "2026-12-03", "2026-12-04", "2026-12-04"]);
    expect(stored.filter((m) => m.code === "I").map((m) => `${m.date} ${m.session}`)).toEqual(["2026-12-01 AM", "2026-12-01 PM"]);
    const week = await withConnection(db, (c) => compareGroups(c, { from: "2026-11-30", to: "2026-12-04" }, "reg_group"));
    expect(week.map((g) => ({ group: g.group, pupils: g.measures.pupils, possible: g.measures.possible_sessions, present: g.measures.present_sessions }))).toEqual([
      { group: "Not assigned", pupils: 1, possible: 10, present: 8 },
    ]);
  }, 60_000);
});

describe('"#" (planned closure) on a session the school was open to the pupil\'s year group', () => {
  // Wed 2 Sep AM: pupil 1 (Year 3) was present; a "#" for pupil 2 (Year 3) says the school was closed to him.
  const expected = (where: string) =>
    `${where}: ${upn(2)} 2026-09-02 AM: "#" (planned school closure) on a school day in the school's calendar, but the school was open to Year 3 that session: ` +
    `1 other pupil of Year 3 has a mark for it (${upn(1)} "/"). If the school was closed that day, add the closure to the calendar first; otherwise give the pupil's own mark`;

  it("is refused in a CTF, a grid and a long file alike, at the mark's line and column, and changes nothing", async () => {
    const before = await withConnection(db, fingerprint);
    const text = ctf(
      THIS_SCHOOL,
      ctfPupilXml({ upn: upn(2), forename: "Forename2", surname: "Surname2", dob: "2017-05-04", sex: "M", year: "3", years: [{ start: "2026-09-02", marks: "#\\" }], schools: [] }),
    );
    const lines = text.split("\n");
    const line = lines.findIndex((l) => l.includes("<AttendMarks>")) + 1;
    const column = lines[line - 1].indexOf("<AttendMarks>") + "<AttendMarks>".length + 1;
    expect(await refusalMessage(importFiles(db, { pupils: write("own.xml", text) }, { by: BY }))).toBe(expected(`own.xml:${line}:${column}`));

    const grid = `UPN,Surname,Forename,Wed 02/09/2026 AM\n${upn(2)},Surname2,Forename2,#\n`;
    expect(await refusalMessage(importFiles(db, { marks: write("grid.csv", grid) }, { by: BY }))).toBe(expected("grid.csv:2:4"));

    // A plain long file is read by DuckDB first (marks-sql.ts), which finds the fault and hands it to the reader to name.
    const paths: string[] = [];
    const long = marksCsv([[upn(2), "2026-09-02", "AM", "#"]]);
    expect(await refusalMessage(importFiles(db, { marks: write("long.csv", long) }, { by: BY, onMarksPath: (p, why) => paths.push(`${p}${why ? `: ${why}` : ""}`) }))).toBe(
      expected("long.csv:2:4"),
    );
    expect(paths).toEqual(["rows: the file has faults"]);
    expect(await withConnection(db, fingerprint)).toEqual(before);
  }, 60_000);

  it("is accepted as a partial closure when the pupil's year group was closed (only Year 3 present), and for the whole school when no one was marked", async () => {
    // Pupil 3 is the only Year 4 pupil: "#" for him while Year 3 was in is a partial closure. His week: 8 possible → 7.
    const [grid] = await importFiles(db, { marks: write("year4.csv", `UPN,Wed 02/09/2026 AM\n${upn(3)},#\n`) }, { by: BY });
    expect([grid.inserted, grid.amended]).toEqual([0, 1]);
    const week = await withConnection(db, (c) => compareGroups(c, { from: "2026-09-01", to: "2026-09-04" }, "reg_group"));
    expect(week.map((g) => ({ group: g.group, possible: g.measures.possible_sessions }))).toEqual([
      { group: "3B", possible: 16 },
      { group: "4A", possible: 7 },
    ]);
    // Monday 7 September: nobody marked yet, a "#" for every pupil is a closure the calendar lacks, not refused here.
    const closed = marksCsv([1, 2, 3].map((n) => [upn(n), "2026-09-07", "AM", "#"]));
    const [whole] = await importFiles(db, { marks: write("closed.csv", closed) }, { by: BY });
    expect(whole.inserted).toBe(3);
  }, 60_000);
});
