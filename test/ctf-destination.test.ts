/**
 * A Common Transfer File addressed to another school is refused (last session's open fault:
 * a CTF for another school was read as this school's). The school's LA and establishment
 * numbers are its settings (DfE number = LA × 10000 + establishment); a CTF names its
 * destination in Header/DestSchool LEA and Estab, and some suppliers add the URN.
 *
 * The files, by hand: one new pupil, Ava Hart, whose SchoolHistory entry for this school
 * (LA 820, establishment 2000) says she entered on Monday 30 November 2026, with five days
 * present (10 sessions) from that day in this school's attendance. Addressed to this school
 * the import adds 1 pupil and 10 marks; addressed to LA 999 establishment 1234 it changes
 * nothing.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeInstance, queryRows, withConnection } from "../analytics/db.ts";
import { importFiles } from "../analytics/import/index.ts";
import { WrongFileError } from "../analytics/csv.ts";
import { claimSchool } from "../analytics/school-urn.ts";
import { getSettings, saveSettings, SCRIPT_ACTOR } from "../analytics/settings.ts";
import { cliOn } from "./helpers/cli.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { BY, fingerprint } from "./fixtures/import/helpers.ts";
import { ctfEnvelope } from "./fixtures/import/register-layouts.ts";
import { AUTUMN_2026_CALENDAR, ctfPupilXml, inputFolder, refusalMessage } from "./fixtures/import/ctf.ts";
import { restoreTodayAfterAll } from "./helpers/break-register.ts";

const { write, remove } = inputFolder("ctf-dest");
const AVA = "W893999900033";
const THIS_SCHOOL = { lea: "820", estab: "2000", name: "Ludlow Primary", academicYear: "2026" };
const ENVELOPE_DEST = "<DestSchool><LEA>820</LEA><Estab>2000</Estab></DestSchool>";

/**
 * The CTF of the school `dest` names for Ava (its own MIS's export: SourceSchool, SchoolHistory
 * entry and attendance all that school's), addressed to `dest` (LEA, Estab and an optional URN).
 */
function ctfTo(dest: { lea: string; estab: string; urn?: string }): string {
  const pupil = ctfPupilXml({
    upn: AVA,
    forename: "Ava",
    surname: "Hart",
    dob: "2016-10-10",
    sex: "F",
    year: "5",
    years: [{ start: "2026-11-30", marks: "/\\/\\/\\/\\/\\" }],
    schools: [{ lea: dest.lea, estab: dest.estab, name: "Ludlow Primary", entry: "2026-11-30" }],
  });
  const text = ctfEnvelope({ dateTime: "2026-12-04T09:00:00", source: { ...THIS_SCHOOL, lea: dest.lea, estab: dest.estab } }, pupil);
  return text.replace(ENVELOPE_DEST, `<DestSchool><LEA>${dest.lea}</LEA><Estab>${dest.estab}</Estab>${dest.urn ? `<URN>${dest.urn}</URN>` : ""}</DestSchool>`);
}
/** Line and column of the DestSchool's LEA value in `text` (1-based). */
function destAt(text: string): string {
  const lines = text.split("\n");
  const i = lines.findIndex((l) => l.includes("<DestSchool>"));
  return `${i + 1}:${lines[i].indexOf("<DestSchool><LEA>") + "<DestSchool><LEA>".length + 1}`;
}
const setNumbers = (la: string, estab: string) => withConnection(db, (c) => saveSettings(c, { la_number: la, estab_number: estab }, SCRIPT_ACTOR));

let db: string;
restoreTodayAfterAll();
beforeAll(() => {
  process.env.ROLLCALL_TODAY = "2026-12-04";
});
beforeEach(async () => {
  db = tempDbPath("ctf-dest");
  await importFiles(db, { calendar: write("calendar.csv", AUTUMN_2026_CALENDAR) }, { by: BY });
}, 60_000);
afterEach(async () => {
  await removeDb(db);
});
afterAll(remove);

describe("the school's LA and establishment numbers (settings)", () => {
  it("are three and four digits, set together, blank for not set", async () => {
    expect((await setNumbers("82", "2000")).problems).toEqual({ la_number: '"82" is not a valid value for la_number (an LA number is three digits, not all 0, e.g. 820, or empty for not set)' });
    expect((await setNumbers("820", "200")).problems).toEqual({ estab_number: '"200" is not a valid value for estab_number (an establishment number is four digits, not all 0, e.g. 2000, or empty for not set)' });
    // All zeros is no school's number (trial19b saved LA 000, establishment 0000).
    expect(Object.keys((await setNumbers("000", "0000")).problems).sort()).toEqual(["estab_number", "la_number"]);
    expect((await setNumbers("820", "")).problems).toEqual({ estab_number: "the LA number and the establishment number are given together (the DfE number is both), or neither" });
    expect((await withConnection(db, getSettings)).school_number).toBeNull();
    expect((await setNumbers(" 820 ", "0012")).problems).toEqual({});
    expect((await withConnection(db, getSettings)).school_number).toEqual({ la: "820", estab: "0012" });
    expect((await setNumbers("", "")).problems).toEqual({});
    expect((await withConnection(db, getSettings)).school_number).toBeNull();
  }, 60_000);
});

describe("a CTF addressed to another school", () => {
  it("is refused at its DestSchool, naming both schools' numbers, and changes nothing", async () => {
    await setNumbers("820", "2000");
    const before = await withConnection(db, fingerprint);
    const text = ctfTo({ lea: "999", estab: "1234" });
    expect(await refusalMessage(importFiles(db, { pupils: write("other.xml", text) }, { by: BY, dryRun: true }))).toBe(
      `other.xml:${destAt(text)}: the CTF is addressed to another school (Header/DestSchool: LA 999, establishment 1234 (DfE number 9991234)), and this school is LA 820, establishment 2000 (DfE number 8202000): its pupils and attendance are that school's, so nothing was imported. Ask the sending school for a CTF addressed to this school`,
    );
    expect(await refusalMessage(importFiles(db, { marks: write("other.xml", text) }, { by: BY }))).toMatch(/^other\.xml:\d+:\d+: the CTF is addressed to another school/);
    expect(await withConnection(db, fingerprint)).toEqual(before);
  }, 60_000);

  it("is refused by its URN when it carries one and the database records another, and accepted by this school's URN", async () => {
    await withConnection(db, (c) => claimSchool(c, "123456"));
    const before = await withConnection(db, fingerprint);
    const text = ctfTo({ lea: "820", estab: "2000", urn: "654321" });
    expect(await refusalMessage(importFiles(db, { pupils: write("urn.xml", text) }, { by: BY }))).toBe(
      `urn.xml:${destAt(text)}: the CTF is addressed to another school (Header/DestSchool: LA 820, establishment 2000 (DfE number 8202000), URN 654321), and this school's URN is 123456: its pupils and attendance are that school's, so nothing was imported. Ask the sending school for a CTF addressed to this school`,
    );
    expect(await withConnection(db, fingerprint)).toEqual(before);
    // This school's URN: accepted, and no note that the destination was unchecked.
    const [pupils, marks] = await importFiles(db, { pupils: write("ours-urn.xml", ctfTo({ lea: "820", estab: "2000", urn: "123456" })) }, { by: BY });
    expect([pupils.inserted, marks.inserted]).toEqual([1, 10]);
    // Nothing of its destination; only where its new pupil is placed (trial 51b).
    expect(pupils.notes ?? []).toEqual(["1 new pupil is placed in \"Not assigned\" (a CTF gives no class): import a pupils file naming their class. Until then class figures leave them out, and in governors' figures a group smaller than the small-group minimum is withheld, with any class that would let it be worked out."]);
  }, 60_000);
});

describe("a CTF naming this school's URN and another school's numbers", () => {
  it("is refused when the school's numbers are set (trial19b: LEA 999, Estab 1234 with our URN was read as ours), and the refusal is a wrong file, not a line to correct", async () => {
    await withConnection(db, (c) => claimSchool(c, "123456"));
    await setNumbers("820", "2000");
    const before = await withConnection(db, fingerprint);
    const text = ctfTo({ lea: "999", estab: "1234", urn: "123456" });
    const refused = await importFiles(db, { pupils: write("both.xml", text) }, { by: BY }).then(
      () => null,
      (error: Error) => error,
    );
    expect(refused).toBeInstanceOf(WrongFileError);
    expect(refused!.message).toBe(
      `both.xml:${destAt(text)}: the CTF is addressed to another school (Header/DestSchool: LA 999, establishment 1234 (DfE number 9991234), URN 123456), and this school's URN is 123456 but its LA and establishment are 820 and 2000 (DfE number 8202000): the file names two schools: its pupils and attendance are that school's, so nothing was imported. Ask the sending school for a CTF addressed to this school`,
    );
    expect(await withConnection(db, fingerprint)).toEqual(before);
  }, 60_000);
});

describe("a CTF addressed to this school", () => {
  it("is imported as before when the numbers match, with nothing said about its destination", async () => {
    await setNumbers("820", "2000");
    const [pupils, marks] = await importFiles(db, { pupils: write("ours.xml", ctfTo({ lea: "820", estab: "2000" })) }, { by: BY });
    expect([pupils.inserted, marks.inserted]).toEqual([1, 10]);
    // Nothing of its destination; only where its new pupil is placed (trial 51b).
    expect(pupils.notes ?? []).toEqual(["1 new pupil is placed in \"Not assigned\" (a CTF gives no class): import a pupils file naming their class. Until then class figures leave them out, and in governors' figures a group smaller than the small-group minimum is withheld, with any class that would let it be worked out."]);
  }, 60_000);

  it("is imported as today when the numbers are not set, the preview saying the destination could not be checked and how to set them", async () => {
    const file = write("unchecked.xml", ctfTo({ lea: "999", estab: "1234" }));
    const [preview] = await importFiles(db, { pupils: file }, { by: BY, dryRun: true });
    expect(preview.inserted).toBe(1);
    expect(preview.notes).toContain(
      "The file is addressed to LA 999, establishment 1234 (DfE number 9991234); whether that is this school could not be checked, since its LA and establishment numbers are not set: set the school's LA number and establishment number on the Settings page (or rollcall settings set la_number NNN estab_number NNNN)",
    );
  }, 60_000);
});

describe("rollcall settings", () => {
  it("sets the two numbers together as the Settings page does, refusing a bad one and changing nothing", async () => {
    const rollcall = cliOn(db);
    // The CLI opens the file itself: this process lets go of it first.
    await closeInstance(db);
    const refused = await rollcall("settings", "set", "la_number", "82", "estab_number", "2000");
    expect(refused).toMatchObject({ code: 1, stdout: "" });
    expect(refused.stderr).toBe('rollcall settings: "82" is not a valid value for la_number (an LA number is three digits, not all 0, e.g. 820, or empty for not set); nothing was changed\n');
    const alone = await rollcall("settings", "set", "la_number", "820");
    expect(alone.stderr).toBe("rollcall settings: estab_number: the LA number and the establishment number are given together (the DfE number is both), or neither; nothing was changed\n");
    expect(await rollcall("settings", "set", "la_number", "820", "estab_number", "2000")).toEqual({ code: 0, stdout: "la_number: not set → 820\nestab_number: not set → 2000\n", stderr: "" });
    expect(JSON.parse((await rollcall("settings", "--json")).stdout)).toMatchObject({ la_number: "820", estab_number: "2000" });
    expect((await withConnection(db, getSettings)).school_number).toEqual({ la: "820", estab: "2000" });
    // Now a CTF for another school is refused.
    expect(await refusalMessage(importFiles(db, { pupils: write("cli-other.xml", ctfTo({ lea: "999", estab: "1234" })) }, { by: BY }))).toMatch(/the CTF is addressed to another school/);
  }, 60_000);
});

describe("saving the Settings form with the numbers left empty", () => {
  it("records no change of them (nothing was set)", async () => {
    await withConnection(db, async (c) => {
      expect((await saveSettings(c, { la_number: "", estab_number: "", school_name: "Ludlow Primary" }, SCRIPT_ACTOR)).problems).toEqual({});
      const keys = await queryRows<{ key: string }>(c, "SELECT key FROM settings_changes ORDER BY change_id");
      expect(keys.map((k) => k.key)).toEqual(["school_name"]);
    });
  }, 60_000);
});
