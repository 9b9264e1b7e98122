/**
 * A CTF's pupils' faults and its marks' faults in one refusal (session 52's note: a CTF whose
 * pupils were refused had its marks checked only on the next try, and a CTF beside another
 * refused file had its marks not checked at all).
 *
 * The register, by hand: autumn 2026 from Tuesday 1 September, half term Monday 26 to Friday
 * 30 October (AUTUMN_2026_CALENDAR); pupil 1 on the roll from 1 September. The CTFs are this
 * school's own (its MIS's export), dated 4 December 2026, for new pupils admitted on Monday 19
 * October whose AttendMarks run from that Monday: characters 1–10 the week of 19 October,
 * 11–14 Saturday 24 and Sunday 25 (marks where "#" belongs), 15–22 Monday 26 to Thursday 29
 * (half term: no school day).
 */
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from "vitest";
import { withConnection } from "../analytics/db.ts";
import { saveSettings, SCRIPT_ACTOR } from "../analytics/settings.ts";
import { importFiles } from "../analytics/import/index.ts";
import { restoreTodayAfterAll } from "./helpers/break-register.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, fingerprint, pupil, pupilsCsv } from "./fixtures/import/helpers.ts";
import { ctfEnvelope } from "./fixtures/import/register-layouts.ts";
import { AUTUMN_2026_CALENDAR, ctfPupilXml, inputFolder, refusalMessage, type CtfPupilSpec } from "./fixtures/import/ctf.ts";

const files = inputFolder("ctf-faults-once");
const THIS_SCHOOL = { lea: "820", estab: "2000", name: "Ludlow Primary", academicYear: "2026" };
const AVA = "W893999900033";
const BEN = "W893999900044";
/** Eleven days from Monday 19 October, every one marked present: its weekend and half-term marks are faults. */
const INTO_HALF_TERM = "/\\".repeat(11);
/** The week of 19 October present, the weekend "#", the half term's four days "#": no fault. */
const RIGHT_MARKS = "/\\".repeat(5) + "#".repeat(12);

const newPupil = (upn: string, forename: string, over: Partial<CtfPupilSpec> = {}): string =>
  ctfPupilXml({
    upn,
    forename,
    surname: "Hart",
    dob: "2016-10-10",
    sex: "F",
    year: "5",
    years: [{ start: "2026-10-19", marks: RIGHT_MARKS }],
    schools: [{ ...THIS_SCHOOL, entry: "2026-10-19" }],
    ...over,
  });
const ownCtf = (...pupils: string[]) => ctfEnvelope({ dateTime: "2026-12-04T09:00:00", source: THIS_SCHOOL }, pupils.join("\n"));
/** Each refusal line's place (file:line) and its words after the column. */
const said = (message: string) => message.split("\n").map((l) => l.replace(/^([^:]+:\d+):\d+: /, "$1: "));

let db: string;
restoreTodayAfterAll();
beforeAll(() => {
  process.env.ROLLCALL_TODAY = "2026-12-04";
});
afterAll(() => files.remove());
beforeEach(async () => {
  db = tempDbPath("ctf-faults-once");
  const roll = pupilsCsv([pupil(1, { admission_date: "2026-09-01", year_group: "3", reg_group: "3B" })]);
  await importFiles(db, { calendar: files.write("calendar.csv", AUTUMN_2026_CALENDAR), pupils: files.write("pupils.csv", roll) }, { by: BY, asOf: "2026-09-01" });
}, 60_000);
afterEach(async () => {
  await removeDb(db);
});

describe("a CTF with faults in its pupils and in its marks", () => {
  it("refuses both in one try: the pupil's sex and every weekend and half-term mark, and changes nothing", async () => {
    const text = ownCtf(newPupil(AVA, "Ava", { sex: "Q", years: [{ start: "2026-10-19", marks: INTO_HALF_TERM }] }));
    const before = await withConnection(db, fingerprint);
    const lines = said(await refusalMessage(importFiles(db, { pupils: files.write("ava.xml", text) }, { by: BY })));
    const pupilLine = text.slice(0, text.indexOf("<Sex>")).split("\n").length;
    const marksLine = text.slice(0, text.indexOf("<AttendMarks>")).split("\n").length;
    expect(lines[0]).toBe(`ava.xml:${pupilLine}: sex must be M or F, not "Q"`);
    // Characters 11–14 (the weekend) and 15–22 (Monday 26 to Thursday 29 October), each told.
    expect(lines.slice(1, 5)).toEqual(
      [11, 12, 13, 14].map((c, i) =>
        `ava.xml:${marksLine}: ${AVA}: character ${c} of AttendMarks ("${i % 2 ? "\\" : "/"}", ${i < 2 ? "Saturday 2026-10-24" : "Sunday 2026-10-25"} ${i % 2 ? "PM" : "AM"}) is a mark on a weekend; Saturday and Sunday are written "#" (no school)`,
      ),
    );
    expect(lines.slice(5, 13).map((l) => l.split(": ").slice(1, 3).join(": "))).toEqual(
      ["Monday 2026-10-26", "Tuesday 2026-10-27", "Wednesday 2026-10-28", "Thursday 2026-10-29"].flatMap((day) =>
        ["AM", "PM"].map((s) => `${AVA}, ${day} ${s}: ${day.slice(-10)} is in a holiday in the school's calendar (outside every half term), not a school day`),
      ),
    );
    expect(lines.slice(13)).toEqual([
      "The marks of ava.xml were checked as well, though its pupils were refused: the marks of a pupil it adds are checked against the roll once its pupils are imported.",
    ]);
    expect(await withConnection(db, fingerprint)).toEqual(before);
  }, 60_000);

  it("names a pupil whose admission it does not give with another pupil's fault and that pupil's marks' faults, at once", async () => {
    const unknown = newPupil(AVA, "Ava", { years: [], schools: [{ lea: "999", estab: "1234", name: "Other Primary", entry: "2022-09-01" }] });
    const text = ownCtf(unknown, newPupil(BEN, "Ben", { sex: "X", years: [{ start: "2026-10-19", marks: INTO_HALF_TERM }] }));
    const lines = said(await refusalMessage(importFiles(db, { pupils: files.write("two.xml", text) }, { by: BY })));
    expect(lines[0]).toMatch(new RegExp(`^two\\.xml:\\d+: ${AVA}: the file does not say when the pupil was admitted to this school: `));
    expect(lines[1]).toMatch(/^two\.xml:\d+: sex must be M or F, not "X"$/);
    // Ben's marks are checked: his four weekend marks and eight half-term marks.
    expect(lines.filter((l) => l.includes(`${BEN}: character`) && l.includes("is a mark on a weekend"))).toHaveLength(4);
    expect(lines.filter((l) => l.includes(`${BEN}, `) && l.includes("is in a holiday"))).toHaveLength(8);
  }, 60_000);

  it("checks a right CTF's marks beside a refused pupils file, and says a right CTF's pupils nothing", async () => {
    const badPupils = pupilsCsv([pupil(2, { admission_date: "2026-13-01", year_group: "3", reg_group: "3B" })]);
    const text = ownCtf(newPupil(AVA, "Ava", { years: [{ start: "2026-10-19", marks: INTO_HALF_TERM }] }));
    const message = await refusalMessage(importFiles(db, { pupils: files.write("pupils.csv", badPupils), marks: files.write("ava.xml", text) }, { by: BY, asOf: "2026-09-01" }));
    const lines = said(message);
    expect(lines[0]).toMatch(/^pupils\.csv:2: /);
    expect(lines.filter((l) => l.startsWith("ava.xml:") && l.includes("is a mark on a weekend"))).toHaveLength(4);
    expect(lines.filter((l) => l.startsWith("ava.xml:") && l.includes("is in a holiday"))).toHaveLength(8);
    // Ava's pupil record was right: nothing is said of it, and no note says her file's pupils were refused.
    expect(lines.filter((l) => l.includes("sex") || l.includes("though its pupils were refused"))).toEqual([]);
  }, 60_000);

  it("tells no pupil unadmitted whose admission a refused file of the same import gives (review 53)", async () => {
    const elsewhere = { years: [], schools: [{ lea: "999", estab: "1234", name: "Other Primary", entry: "2022-09-01" }] };
    // A pupils file giving Ava's admission, refused for another row's date; Ava's CTF gives none here.
    const ava = { ...pupil(2, { admission_date: "2026-10-19", year_group: "5", reg_group: "5A" }), upn: AVA, forename: "Ava", surname: "Hart", dob: "2016-10-10", sex: "F" };
    const roll = pupilsCsv([ava, pupil(3, { admission_date: "2026-13-01" })]);
    const beside = await refusalMessage(
      importFiles(db, { pupils: files.write("p2.csv", roll), marks: files.write("ava.xml", ownCtf(newPupil(AVA, "Ava", elsewhere))) }, { by: BY, asOf: "2026-10-19" }),
    );
    expect(said(beside)[0]).toMatch(/^p2\.csv:3: /);
    expect(beside).not.toContain("the file does not say when the pupil was admitted");
    // Two CTFs: the first refused for her sex, the second giving her no admission here.
    const two = await refusalMessage(
      importFiles(db, { pupils: files.write("a.xml", ownCtf(newPupil(AVA, "Ava", { sex: "Q" }))), marks: files.write("b.xml", ownCtf(newPupil(AVA, "Ava", elsewhere))) }, { by: BY }),
    );
    expect(said(two)[0]).toMatch(/^a\.xml:\d+: sex must be M or F, not "Q"$/);
    expect(two).not.toContain("the file does not say when the pupil was admitted");
  }, 60_000);

  it("says a CTF's refused pupils 'were refused' in a marks file's note (review 53)", async () => {
    const marks = files.write("m.csv", "upn,date,session,code\n" + `${AVA},2026-10-19,AM,/\n`);
    const message = await refusalMessage(importFiles(db, { pupils: files.write("ava.xml", ownCtf(newPupil(AVA, "Ava", { sex: "Q" }))), marks }, { by: BY }));
    expect(message).toContain("m.csv was checked against the pupils already on the roll, as the pupils of ava.xml were refused: a mark of a pupil they add or change is checked once they are imported.");
  }, 60_000);

  it("refuses a CTF addressed to another school with a pupils file's faults, in one try (review 53)", async () => {
    await withConnection(db, (c) => saveSettings(c, { la_number: "820", estab_number: "2000" }, SCRIPT_ACTOR));
    const other = ctfEnvelope({ dateTime: "2026-12-04T09:00:00", source: THIS_SCHOOL }, newPupil(AVA, "Ava")).replace("<DestSchool><LEA>820</LEA><Estab>2000</Estab>", "<DestSchool><LEA>999</LEA><Estab>1234</Estab>");
    const badPupils = pupilsCsv([pupil(3, { admission_date: "2026-13-01" })]);
    const lines = said(await refusalMessage(importFiles(db, { pupils: files.write("p3.csv", badPupils), marks: files.write("other.xml", other) }, { by: BY, asOf: "2026-09-01" })));
    expect(lines[0]).toMatch(/^p3\.csv:2: /);
    expect(lines.some((l) => /^other\.xml:\d+: .*addressed to/.test(l))).toBe(true);
  }, 60_000);

  it("imports the corrected file: both pupils and their marks", async () => {
    const text = ownCtf(newPupil(AVA, "Ava"), newPupil(BEN, "Ben", { sex: "M" }));
    const summaries = await importFiles(db, { pupils: files.write("right.xml", text) }, { by: BY });
    expect(summaries.map((s) => [s.kind, s.inserted])).toEqual([
      ["pupils", 2],
      ["marks", 20],
    ]);
  }, 60_000);
});
