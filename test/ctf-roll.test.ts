/**
 * A Common Transfer File never rewrites what the school holds about a pupil's past (a
 * fresh-clone trial, session 17). A SchoolHistory EntryDate is when the pupil entered THAT
 * school: a pupil joining is admitted here on the first day the file marks; a pupil already
 * on the roll keeps the stored admission date, class and past, and changes only from the
 * file's date, every change listed in the preview.
 *
 * The register, by hand: autumn 1 2026 from Tuesday 1 September. Pupils 1 and 2, Year 3
 * class 3B, admitted 1 September 2026. First week (Tue 1 – Fri 4 September, 8 sessions):
 * pupil 1 present throughout; pupil 2 I I on the Tuesday, then present — 2 of 8 missed, 25 %,
 * persistently absent. So class 3B that week: 2 pupils, 16 possible, 14 present, 1 PA.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from "vitest";
import { queryRows, withConnection } from "../analytics/db.ts";
import { compareGroups } from "../analytics/groups.ts";
import { importFiles } from "../analytics/import/index.ts";
import { registerGaps } from "../analytics/quality.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, fingerprint, marksCsv, pupil, pupilsCsv, upn } from "./fixtures/import/helpers.ts";
import { ctfEnvelope } from "./fixtures/import/register-layouts.ts";
import { ctfPupilXml, refusalMessage, type CtfPupilSpec } from "./fixtures/import/ctf.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-ctf-roll-"));
const write = (name: string, content: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
const CALENDAR = "kind,name,start_date,end_date\nhalf_term,autumn-1,2026-09-01,2026-10-23\nhalf_term,autumn-2,2026-11-02,2026-12-18\n";
const FIRST_WEEK = { from: "2026-09-01", to: "2026-09-04" };
const NEW_UPN = "W893999900033";

type CtfPupil = Omit<CtfPupilSpec, "years"> & { attendance?: { start: string; marks: string } };

const THIS_SCHOOL = { lea: "820", estab: "2000", name: "Ludlow Primary", academicYear: "2026" };

/**
 * A CTF (DfE CTF 21 structure) from Other Primary (LEA 999, Estab 1234), or from this school
 * itself (`own`), to this school (LEA 820, Estab 2000), dated 4 December 2026. Its YearData
 * names no school, so its attendance is the SourceSchool's register.
 */
function ctf(p: CtfPupil, own = false): string {
  const pupilXml = ctfPupilXml({ ...p, years: p.attendance ? [p.attendance] : [] });
  return ctfEnvelope({ dateTime: "2026-12-04T09:00:00", source: own ? THIS_SCHOOL : { lea: "999", estab: "1234", name: "Other Primary", academicYear: "2026" } }, pupilXml);
}
const OTHER_PRIMARY = { lea: "999", estab: "1234", name: "Other Primary", entry: "2022-09-01" };

let db: string;
let savedToday: string | undefined;
beforeAll(() => {
  savedToday = process.env.ROLLCALL_TODAY;
  process.env.ROLLCALL_TODAY = "2026-12-04";
});
afterAll(() => {
  if (savedToday === undefined) delete process.env.ROLLCALL_TODAY;
  else process.env.ROLLCALL_TODAY = savedToday;
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  db = tempDbPath("ctf-roll");
  const roll = [1, 2].map((n) => pupil(n, { admission_date: "2026-09-01", year_group: "3", reg_group: "3B" }));
  const days = ["2026-09-01", "2026-09-02", "2026-09-03", "2026-09-04"];
  const marks = [1, 2].flatMap((n) => days.flatMap((d) => (["AM", "PM"] as const).map((s) => [upn(n), d, s, n === 2 && d === "2026-09-01" ? "I" : s === "AM" ? "/" : "\\"])));
  await importFiles(db, { calendar: write("calendar.csv", CALENDAR), pupils: write("pupils.csv", pupilsCsv(roll)), marks: write("marks.csv", marksCsv(marks)) }, { by: BY, asOf: "2026-09-01" });
}, 60_000);
afterEach(async () => {
  await removeDb(db);
});

const spellsOf = (u: string) =>
  withConnection(db, (c) => queryRows(c, "SELECT valid_from, valid_to, year_group, reg_group FROM pupil_characteristics WHERE upn = $u ORDER BY valid_from", { u }));
const classWeek = () =>
  withConnection(db, async (c) => (await compareGroups(c, FIRST_WEEK, "reg_group")).map((g) => ({ group: g.group, pupils: g.measures.pupils, possible: g.measures.possible_sessions, present: g.measures.present_sessions, pa: g.measures.pa_pupils })));

describe("a CTF for a pupil joining from another school", () => {
  it("admits her on the first day this school's own attendance marks, not on the EntryDate of the school she came from", async () => {
    // The school's own CTF (its MIS's export): the attendance is this school's register.
    const file = write("new.xml", ctf({ upn: NEW_UPN, forename: "Ava", surname: "Hart", dob: "2016-10-10", sex: "F", year: "5", attendance: { start: "2026-11-30", marks: "/\\/\\/\\/\\/\\" }, schools: [OTHER_PRIMARY] }, true));
    const [pupils, marks] = await importFiles(db, { pupils: file }, { by: BY });
    expect([pupils.inserted, marks.inserted]).toEqual([1, 10]);
    const [row] = await withConnection(db, (c) => queryRows(c, "SELECT admission_date, leaving_date FROM pupils WHERE upn = $u", { u: NEW_UPN }));
    expect(row).toEqual({ admission_date: "2026-11-30", leaving_date: null });
    // One spell, from her first day here: Year 5, no class yet. No Year 1 / Year 2 years at a junior school.
    expect(await spellsOf(NEW_UPN)).toEqual([{ valid_from: "2026-11-30", valid_to: null, year_group: "5", reg_group: "Not assigned" }]);
    expect(await withConnection(db, (c) => queryRows(c, "SELECT DISTINCT year_group FROM pupil_characteristics ORDER BY year_group"))).toEqual([{ year_group: "3" }, { year_group: "5" }]);
    // Every session of her five days is marked: no register gaps from September.
    const gaps = await withConnection(db, (c) => registerGaps(c, { from: "2026-09-01", to: "2026-12-04" }, { date: "2026-12-04", pm: true }));
    expect(gaps.filter((g) => g.upn === NEW_UPN)).toEqual([]);
  }, 60_000);

  it("refuses a new pupil whose admission here the file does not give, at the <Pupil>, and changes nothing", async () => {
    const text = ctf({ upn: NEW_UPN, forename: "Ava", surname: "Hart", dob: "2016-10-10", sex: "F", year: "5", schools: [OTHER_PRIMARY] });
    const before = await withConnection(db, fingerprint);
    const message = await refusalMessage(importFiles(db, { pupils: write("unknown.xml", text) }, { by: BY }));
    const line = text.slice(0, text.indexOf("<Pupil>")).split("\n").length;
    expect(message).toBe(
      `unknown.xml:${line}:12: ${NEW_UPN}: the file does not say when the pupil was admitted to this school: no SchoolHistory School is this school (the Header's DestSchool, LEA 820 Estab 2000) and no AttendMarks of this school's give a first day here (a SchoolHistory EntryDate is when the pupil entered that school, not this one; another school's attendance is not this school's register); import a pupils file giving the admission date, then the CTF`,
    );
    expect(await withConnection(db, fingerprint)).toEqual(before);
  }, 60_000);

  it("names every new pupil whose admission the file does not give, at once (trial 51b: the second only on the next try)", async () => {
    const second = "W893999900044";
    const one = ctf({ upn: NEW_UPN, forename: "Ava", surname: "Hart", dob: "2016-10-10", sex: "F", year: "5", schools: [OTHER_PRIMARY] });
    const text = one.replace("</Pupil>", `</Pupil>\n${ctfPupilXml({ upn: second, forename: "Ben", surname: "Hart", dob: "2016-10-10", sex: "M", year: "5", years: [], schools: [OTHER_PRIMARY] })}`);
    const lines = (await refusalMessage(importFiles(db, { pupils: write("two-unknown.xml", text) }, { by: BY }))).split("\n");
    expect(lines.map((l) => l.split(": ").slice(1, 3).join(": "))).toEqual([
      `${NEW_UPN}: the file does not say when the pupil was admitted to this school`,
      `${second}: the file does not say when the pupil was admitted to this school`,
    ]);
  }, 60_000);
});

describe("a CTF for a pupil already on the roll", () => {
  // Pupil 2 as stored, but a previous school's history (with or without the day he left it), and a different DOB, sex and year group.
  const changed = (leaving: string | undefined) =>
    ctf({
      upn: upn(2),
      forename: "Forename2",
      surname: "Surname2",
      dob: "2017-06-04",
      sex: "F",
      year: "4",
      attendance: { start: "2026-09-01", marks: "II/\\/\\/\\" },
      schools: [{ ...OTHER_PRIMARY, leaving }],
    });

  it.each([["2026-07-22"], [undefined]])("keeps his admission, class and past, changes only from the file's date, and lists every change in the preview (previous school left %s)", async (leaving) => {
    const before = await classWeek();
    expect(before).toEqual([{ group: "3B", pupils: 2, possible: 16, present: 14, pa: 1 }]);
    const spellsBefore = await spellsOf(upn(2));
    expect(spellsBefore).toEqual([{ valid_from: "2026-09-01", valid_to: null, year_group: "3", reg_group: "3B" }]);

    const file = write("changed.xml", changed(leaving));
    const [preview] = await importFiles(db, { pupils: file }, { by: BY, dryRun: true });
    expect(preview.changedPupils).toEqual([
      {
        upn: upn(2),
        name: "Forename2 Surname2",
        change: "changed",
        changes: [
          { field: "Date of birth", before: "4 May 2017", after: "4 Jun 2017" },
          { field: "Sex", before: "Male", after: "Female" },
          { field: "Year group", before: "Year 3", after: "Year 4" },
        ],
      },
    ]);

    const [pupils, marks] = await importFiles(db, { pupils: file }, { by: BY });
    expect([pupils.inserted, pupils.amended, marks.inserted, marks.amended]).toEqual([0, 1, 0, 0]);
    // His eight sessions in the file are Other Primary's register (the YearData names no school: the SourceSchool's), not this school's.
    expect(marks.notes).toEqual([
      "8 marks of 1 pupil skipped: the file gives them as the attendance of Other Primary (LEA 999, Estab 1234), not this school's register (LEA 820, Estab 2000); they are the previous school's record, not counted here",
    ]);
    const [row] = await withConnection(db, (c) => queryRows(c, "SELECT dob, sex, admission_date, leaving_date FROM pupils WHERE upn = $u", { u: upn(2) }));
    expect(row).toEqual({ dob: "2017-06-04", sex: "F", admission_date: "2026-09-01", leaving_date: null });
    // Year 4 from the file's date; class 3B kept; the autumn's spell as it was until the day before.
    expect(await spellsOf(upn(2))).toEqual([
      { valid_from: "2026-09-01", valid_to: "2026-12-03", year_group: "3", reg_group: "3B" },
      { valid_from: "2026-12-04", valid_to: null, year_group: "4", reg_group: "3B" },
    ]);
    // The past half term's figures are those the governors saw.
    expect(await classWeek()).toEqual(before);

    // The same file again has nothing for this school: refused, and nothing changes.
    const stored = await withConnection(db, fingerprint);
    const again = await refusalMessage(importFiles(db, { pupils: file }, { by: BY }));
    expect(again).toMatch(/^changed\.xml:1:1: nothing in this Common Transfer File is for this school's register: 8 marks of 1 pupil skipped: .*; and its pupils are already on the roll as it gives them\. Nothing was imported$/);
    expect(await withConnection(db, fingerprint)).toEqual(stored);
  }, 60_000);
});

describe("a CTF that sends no SEN or FSM for a pupil on the roll (trial: SEN support ended from the file's date)", () => {
  // Pupil 2 as stored, on SEN support (K) and FSM since 1 September; the CTF changes his DOB only.
  const withSen = (senHistory: string) =>
    ctf({ upn: upn(2), forename: "Forename2", surname: "Surname2", dob: "2017-06-04", sex: "M", year: "3", schools: [OTHER_PRIMARY] }, true).replace("<SchoolHistory>", `${senHistory}<SchoolHistory>`);
  const characteristicsOf = (u: string) =>
    withConnection(db, (c) => queryRows(c, "SELECT valid_from, valid_to, sen, fsm, eal, lac FROM pupil_characteristics WHERE upn = $u ORDER BY valid_from", { u }));
  beforeEach(async () => {
    const roll = [1, 2].map((n) => pupil(n, { admission_date: "2026-09-01", year_group: "3", reg_group: "3B", ...(n === 2 ? { sen: "K", fsm: "Y" } : {}) }));
    await importFiles(db, { pupils: write("pupils-sen.csv", pupilsCsv(roll)) }, { by: BY, asOf: "2026-09-01" });
    expect(await characteristicsOf(upn(2))).toEqual([{ valid_from: "2026-09-01", valid_to: null, sen: "K", fsm: "Y", eal: "N", lac: "N" }]);
  }, 60_000);

  it("keeps his SEN support and FSM: an absent SENhistory or FSMhistory is not sent, not 'none'", async () => {
    const file = write("no-sen.xml", withSen(""));
    expect(fs.readFileSync(file, "utf8")).not.toMatch(/SENhistory|FSMhistory/);
    const [preview] = await importFiles(db, { pupils: file }, { by: BY, dryRun: true });
    expect(preview.changedPupils).toEqual([{ upn: upn(2), name: "Forename2 Surname2", change: "changed", changes: [{ field: "Date of birth", before: "4 May 2017", after: "4 Jun 2017" }] }]);
    await importFiles(db, { pupils: file }, { by: BY });
    expect(await characteristicsOf(upn(2))).toEqual([{ valid_from: "2026-09-01", valid_to: null, sen: "K", fsm: "Y", eal: "N", lac: "N" }]);
  }, 60_000);

  it("ends his SEN support from the file's date when the file sends SEN data that has ended", async () => {
    const file = write("sen-ended.xml", withSen("<SENhistory><SEN><StartDate>2026-09-01</StartDate><EndDate>2026-11-30</EndDate><SENprovision>K</SENprovision></SEN></SENhistory>"));
    await importFiles(db, { pupils: file }, { by: BY });
    // SEN sent (ended 30 November): N from the file's date, 4 December; FSM not sent: kept.
    expect(await characteristicsOf(upn(2))).toEqual([
      { valid_from: "2026-09-01", valid_to: "2026-12-03", sen: "K", fsm: "Y", eal: "N", lac: "N" },
      { valid_from: "2026-12-04", valid_to: null, sen: "N", fsm: "Y", eal: "N", lac: "N" },
    ]);
  }, 60_000);
});
