/**
 * The Common Transfer File (CTF): the DfE's XML for moving a pupil's record between schools.
 * One file brings both the pupils (identity and characteristics, with their history) and
 * their attendance marks; analytics/import/index.ts imports both in one transaction.
 *
 * Element names follow the DfE's "Common transfer file CTF 21 specification, version 1.1"
 * (July 2021; unchanged in CTF 23 for these items): section 4.3.2 "Pupil data" for the
 * message structure, 3.1.3 pupil identifiers, 3.1.4 basic details, 3.1.5 free school meal
 * eligibility, 3.1.7 looked after children, 3.1.9 SEN and 3.1.12 Attendance:
 *
 *   CTfile/Header/DateTime, CTfile/Header/SourceSchool/{LEA,Estab}, CTfile/Header/DestSchool/{LEA,Estab[,URN]}
 *   CTfile/CTFpupilData/Pupil/
 *     UPN, Surname, Forename, DOB, Sex (Gender before CTF 19)
 *     BasicDetails/{NCyearActual, Ethnicity, InCare}
 *     BasicDetails/Languages/Type/{LanguageType, Language}   LanguageType F = first language
 *     BasicDetails/FSMhistory/FSMinstance/{FSMstartDate, FSMendDate}
 *     SENhistory/SEN/{StartDate, EndDate, SENprovision}
 *     Attendance/YearData/{LEA, Estab, SchoolName, AttendStartDate, AttendMarks}
 *     SchoolHistory/School/{LEA, Estab, EntryDate, LeavingDate}
 *
 * How each becomes Rollcall's record, and why:
 * - EAL is "first language known or believed to be other than English" (the DfE's
 *   definition in the school census): Y unless the first language is ENG (English), ENB
 *   (believed to be English), NOT (not obtained) or REF (refused).
 * - LAC: InCare true (or an InCareAtCurrentSchool child true) means looked after now.
 * - FSM: eligible on a day inside any FSMinstance (an instance without an end is open).
 * - SEN provision on a day: the SEN record whose StartDate..EndDate covers it, else N.
 * - A container the file leaves out was not sent, not "none": a CTF carries only the
 *   containers its sender chose (Header/DocumentQualifier "partial"; every pupil container is
 *   optional in the schema), so a pupil with no SENhistory has no SEN data in the file, not
 *   "no SEN". For a pupil already on the roll, a characteristic whose container is absent
 *   (SENhistory, FSMhistory, Languages, InCare) keeps the value the school holds
 *   (`CtfContent.unsent`; ctf-history.ts fitCtfToRoll); a pupil new to the roll is recorded N
 *   for it, nothing else being known. A CTF without SENhistory had ended a pupil's SEN
 *   support from its date.
 * - NC year: NCyearActual is the year at the file's date (Header/DateTime); an earlier
 *   academic year's spell takes the year group one lower per year (R below 1, then N2, N1).
 * - Whose attendance. 3.1.12 gives attendance per school and year: each YearData names the
 *   school whose register it is (its LEA and Estab); a YearData without them is the register
 *   of the school that made the file (the Header's SourceSchool). Only a YearData of this
 *   school (the Header's DestSchool; a file naming none, or MMM/XXX, is refused) gives
 *   marks for this school's register. A pupil transferring in brings the sending school's
 *   attendance: useful context, but not this school's register, so never stored here nor
 *   counted in its measures; those marks are skipped, counted per school in the summary
 *   (`CtfContent.otherSchools`). Marks outside the pupil's time on roll here (before the
 *   admission) are skipped too (ctf-history.ts fitCtfToRoll, which knows the stored dates).
 * - Admission and leaving at THIS school. A SchoolHistory School's EntryDate and LeavingDate
 *   are when the pupil entered and left that school (3.1.14 "School History and Schools
 *   Record": the schools the pupil attended), so they are this school's only for
 *   the entry whose LEA and Estab are the Header's DestSchool. Otherwise the pupil is
 *   admitted on the first day this school's own AttendMarks give a mark (Z, not on roll,
 *   excepted), with no leaving date; never on a day another school marked. When neither
 *   says, the pupil's admission is unknown (`CtfAdmission.unknown`): a pupil already on the
 *   roll keeps the stored date, a new one is refused at its <Pupil> (ctf-history.ts).
 *   A pupil already on the roll keeps the stored admission, leaving date and class whatever
 *   the file says (ctf-history.ts fitCtfToRoll).
 * - Registration group: a CTF carries none (the receiving school assigns classes), so
 *   pupils are placed in "Not assigned" until a pupils file gives their class.
 * - AttendMarks: one character per session, AM then PM, for consecutive calendar days from
 *   AttendStartDate, read as week strings are (session-string.ts, shared): on a weekday a
 *   code, or a space / `-` for a session without a mark (skipped, counted in the summary);
 *   on Saturday and Sunday `#`, `-`, `.` or a space for "no session", anything else refused,
 *   every such character named.
 * The file is read as a stream with saxes (a maintained, strict, streaming XML parser), so
 * a large CTF (a whole school's transfer) is never held as a DOM; its marks are kept as their
 * AttendMarks strings, each mark's long row made as the import reads it (string-rows.ts).
 */
import { SaxesParser } from "saxes";
import { NOT_ASSIGNED } from "../../class-words.ts";
import { InputError, faultsTogether, type CsvField, type CsvRecord, type MappedTable } from "../../csv.ts";
import { addDays, daysToIso, isoToDays, weekdayOfDays } from "../values.ts";
import { flexibleDate, notAFlexibleDateWords } from "./dates.ts";
import { LongRows, type MarksTable } from "./long-rows.ts";
import { readMarkString } from "./session-string.ts";
import { StringRows } from "./string-rows.ts";

/** A characteristic spell, as pupil_characteristics stores it. */
export interface CtfSpell {
  upn: string;
  from: string;
  to: string | null;
  yearGroup: string;
  regGroup: string;
  sen: string;
  fsm: string;
  eal: string;
  lac: string;
}

export interface CtfContent {
  /** Pupils as the pupils importer's table (canonical PUPIL_COLUMNS names). */
  pupils: MappedTable;
  /** This school's marks, kept as their AttendMarks strings (string-rows.ts). */
  marks: MarksTable & { rows: StringRows };
  /** Each pupil's characteristic history from admission, oldest first. */
  spells: CtfSpell[];
  /** Header/DateTime's date: what the current characteristics are as of. */
  fileDate: string;
  /** Each pupil's admission to this school as the file gives it, by UPN. */
  admissions: Map<string, CtfAdmission>;
  /**
   * Sessions with a mark (not "no mark", not a weekend's "no session") that the file
   * attributes to another school's register, by that school's words ("Other Primary (LEA 999,
   * Estab 1234)"): skipped, never this school's marks.
   */
  otherSchools: Map<string, { marks: number; pupils: Set<string> }>;
  /** The Header's DestSchool, in words, or null when the file names none (read as the school's own). */
  destSchool: string | null;
  /** The Header's DestSchool as numbers, where its LEA was read (the file is refused without LEA and Estab). */
  dest: { lea: string; estab: string; urn: string | null; line: number; column: number };
  /**
   * Each pupil's characteristics the file does not send (their container is absent), by UPN:
   * kept as held for a pupil already on the roll, never read as "N".
   */
  unsent: Map<string, Set<CtfCharacteristic>>;
}

/** The characteristics a CTF sends in containers of their own (SENhistory, FSMhistory, Languages, InCare). */
export type CtfCharacteristic = "sen" | "fsm" | "eal" | "lac";

/**
 * A pupil's admission to this school as a CTF gives it: the date (ISO) and where it was read,
 * or, when the file does not say, the refusal to give if the pupil is new to the roll.
 */
export type CtfAdmission = { date: string; leaving: string; line: number } | { date: null; unknown: InputError; line: number };

export const CTF_PUPIL_INDEX = new Map<string, number>(
  ["upn", "forename", "surname", "dob", "sex", "year_group", "reg_group", "admission_date", "leaving_date", "sen", "fsm", "eal", "lac", "ethnicity"].map((n, i) => [n, i]),
);

export { NOT_ASSIGNED };
const ENGLISH = new Set(["ENG", "ENB", "NOT", "REF"]);
const WEEKDAY_NO_MARK = new Set(["-", " "]);
/** The container whose presence says a characteristic was sent (3.1.4 languages and care, 3.1.5 FSM, 3.1.9 SEN). */
const SENT_BY = new Map<string, CtfCharacteristic>([
  ["SENhistory", "sen"],
  ["FSMhistory", "fsm"],
  ["Languages", "eal"],
  ["InCare", "lac"],
]);
const CHARACTERISTICS: CtfCharacteristic[] = ["sen", "fsm", "eal", "lac"];

/** Whether decoded text is XML (a CTF candidate) rather than a table. */
export function looksLikeXml(text: string): boolean {
  return /^\uFEFF?\s*</.test(text);
}

interface Text {
  value: string;
  line: number;
  column: number;
}

interface CtfHeader {
  dateTime?: Text;
  lea?: string;
  estab?: string;
  sourceName?: string;
  /** DestSchool: the school the file is for — this school. */
  destLea?: string;
  destEstab?: string;
  /** Where DestSchool's LEA was read, for a refusal naming it. */
  destAt?: Text;
  /** DestSchool's URN, when the file carries one. */
  destUrn?: string;
}

interface PupilDraft {
  line: number;
  column: number;
  fields: Map<string, Text>;
  languages: { type?: string; code?: string }[];
  fsm: { start?: Text; end?: Text }[];
  sen: { start?: Text; end?: Text; provision?: Text }[];
  /** The characteristics whose container the file holds for this pupil (sent, even if empty). */
  sent: Set<CtfCharacteristic>;
  /** Attendance/YearData: LEA and Estab name the school whose register it is (3.1.12). */
  years: { start?: Text; marks?: Text; lea?: string; estab?: string; name?: string }[];
  schools: { lea?: string; estab?: string; entry?: Text; leaving?: Text }[];
}

/**
 * Reads a CTF from decoded text chunks.
 * @throws InputError (file:line:column) for XML that is not well formed, a file that is not
 *   a CTF, or a value that cannot be read (dates, marks on a weekend).
 */
export async function readCtf(chunks: AsyncIterable<string> | Iterable<string>, file: string): Promise<CtfContent> {
  const parser = new SaxesParser({ position: true });
  const stack: string[] = [];
  let text: Text | undefined;
  let pupil: PupilDraft | undefined;
  const pupils: PupilDraft[] = [];
  let header: CtfHeader = {};
  let failure: InputError | undefined;

  const fail = (line: number, column: number, reason: string) => {
    failure ??= new InputError(file, line, column, reason);
  };
  const last = <T>(list: T[]): T => list[list.length - 1];

  parser.on("error", (error) => fail(parser.line, parser.column + 1, `the XML is not well formed: ${error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, "")}`));
  parser.on("opentag", (tag) => {
    const name = tag.name;
    if (stack.length === 0 && name !== "CTfile") fail(parser.line, 1, `the XML file is not a Common Transfer File: its root element is <${name}>, not <CTfile>`);
    stack.push(name);
    text = { value: "", line: parser.line, column: parser.column + 1 };
    const parent = stack[stack.length - 2];
    if (name === "Pupil" && parent === "CTFpupilData") {
      pupil = { line: parser.line, column: parser.column + 1, fields: new Map(), languages: [], fsm: [], sen: [], sent: new Set(), years: [], schools: [] };
    } else if (pupil) {
      const sent = SENT_BY.get(name);
      if (sent) pupil.sent.add(sent);
      if (name === "Type" && parent === "Languages") pupil.languages.push({});
      else if (name === "FSMinstance") pupil.fsm.push({});
      else if (name === "SEN" && parent === "SENhistory") pupil.sen.push({});
      else if (name === "YearData" && parent === "Attendance") pupil.years.push({});
      else if (name === "School" && parent === "SchoolHistory") pupil.schools.push({});
    }
  });
  parser.on("text", (t) => {
    if (text) text.value += t;
  });
  parser.on("cdata", (t) => {
    if (text) text.value += t;
  });
  parser.on("closetag", (tag) => {
    const name = tag.name;
    const parent = stack[stack.length - 2];
    const value: Text = text ?? { value: "", line: parser.line, column: parser.column };
    const trimmed = { ...value, value: value.value.trim() };
    if (!pupil) {
      if (name === "DateTime" && parent === "Header") header.dateTime = trimmed;
      else if (parent === "SourceSchool" && name === "LEA") header = { ...header, lea: trimmed.value };
      else if (parent === "SourceSchool" && name === "Estab") header = { ...header, estab: trimmed.value };
      else if (parent === "SourceSchool" && name === "SchoolName") header = { ...header, sourceName: trimmed.value };
      else if (parent === "DestSchool" && name === "LEA") header = { ...header, destLea: trimmed.value, destAt: trimmed };
      else if (parent === "DestSchool" && name === "URN") header = { ...header, destUrn: trimmed.value };
      else if (parent === "DestSchool" && name === "Estab") header = { ...header, destEstab: trimmed.value };
    } else if (name === "Pupil") {
      pupils.push(pupil);
      pupil = undefined;
    } else if (parent === "Pupil" && ["UPN", "Surname", "Forename", "DOB", "Sex", "Gender"].includes(name)) {
      pupil.fields.set(name === "Gender" ? "Sex" : name, trimmed);
    } else if (parent === "BasicDetails" && ["NCyearActual", "Ethnicity"].includes(name)) {
      pupil.fields.set(name, trimmed);
    } else if (name === "InCare" || name === "InCareAtCurrentSchool") {
      // InCare holds true/false, or children of which InCareAtCurrentSchool says it.
      if (trimmed.value !== "") pupil.fields.set("InCare", trimmed);
    } else if (parent === "Type" && name === "LanguageType") last(pupil.languages).type = trimmed.value.toUpperCase();
    else if (parent === "Type" && name === "Language") last(pupil.languages).code = trimmed.value.toUpperCase();
    else if (parent === "FSMinstance" && name === "FSMstartDate") last(pupil.fsm).start = trimmed;
    else if (parent === "FSMinstance" && name === "FSMendDate") last(pupil.fsm).end = trimmed;
    else if (parent === "SEN" && name === "StartDate") last(pupil.sen).start = trimmed;
    else if (parent === "SEN" && name === "EndDate") last(pupil.sen).end = trimmed;
    else if (parent === "SEN" && name === "SENprovision") last(pupil.sen).provision = trimmed;
    else if (parent === "YearData" && name === "AttendStartDate") last(pupil.years).start = trimmed;
    else if (parent === "YearData" && name === "AttendMarks") last(pupil.years).marks = value; // spaces are marks
    else if (parent === "YearData" && name === "LEA") last(pupil.years).lea = trimmed.value;
    else if (parent === "YearData" && name === "Estab") last(pupil.years).estab = trimmed.value;
    else if (parent === "YearData" && name === "SchoolName") last(pupil.years).name = trimmed.value;
    else if (parent === "School" && name === "LEA") last(pupil.schools).lea = trimmed.value;
    else if (parent === "School" && name === "Estab") last(pupil.schools).estab = trimmed.value;
    else if (parent === "School" && name === "EntryDate") last(pupil.schools).entry = trimmed;
    else if (parent === "School" && name === "LeavingDate") last(pupil.schools).leaving = trimmed;
    stack.pop();
    text = undefined;
  });

  for await (const chunk of chunks) {
    parser.write(chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk);
    if (failure) throw failure;
  }
  parser.close();
  if (failure) throw failure;

  if (!header.dateTime) throw new InputError(file, 1, 1, "the CTF has no Header/DateTime: the date its characteristics are as of is unknown");
  const fileDate = dateOf(header.dateTime, file, "Header DateTime");
  // Whose register a file's attendance is follows from whom it is addressed to (3.1.12): a file
  // naming no destination, or the specification's "unknown" (MMM) or "left England" (XXX)
  // destinations, is no school's transfer to this one. It was read as the school's own, and a
  // trial's CTF from Other Primary with none stored ten of its G marks here as this school's.
  const dest = `${header.destLea ?? ""}${header.destEstab ?? ""}`;
  if (!header.destLea || !header.destEstab) {
    throw new InputError(file, header.dateTime.line, header.dateTime.column, "the CTF names no destination school (Header/DestSchool LEA and Estab): a CTF is addressed to the school that imports it, and without it whose register its attendance is cannot be told; export it from the sending school's system addressed to this school");
  }
  if (/^[MX]+$/i.test(dest)) {
    throw new InputError(file, header.dateTime.line, header.dateTime.column, `the CTF is addressed to no school (Header/DestSchool LEA ${header.destLea}, Estab ${header.destEstab}: ${/^M/i.test(dest) ? "destination unknown" : "left the English school system"}): it is not a transfer to this school`);
  }
  if (pupils.length === 0) throw new InputError(file, 1, 1, "the CTF holds no pupils (CTFpupilData/Pupil)");
  return build(pupils, header, fileDate, file);
}

function dateOf(text: Text, file: string, label: string): string {
  // xs:date or xs:dateTime; UK dates are accepted too, as everywhere else.
  const day = text.value.replace(/T.*$/, "");
  const iso = flexibleDate(day);
  // Why, as every other reader says it ("September 2026 has 30 days"), not the value alone (review 52b).
  if (!iso) throw new InputError(file, text.line, text.column, `${label}: "${text.value.slice(0, 40)}" is not a date${notAFlexibleDateWords(day, "YYYY-MM-DD")}`);
  return iso;
}

const field = (t: Text | undefined, fallback: { line: number; column: number }, value?: string): CsvField => ({
  value: value ?? t?.value ?? "",
  line: t?.line ?? fallback.line,
  column: t?.column ?? fallback.column,
});

/** Academic year (starting 1 August) of an ISO date, as its starting calendar year. */
const academicYear = (iso: string) => Number(iso.slice(0, 4)) - (Number(iso.slice(5, 7)) < 8 ? 1 : 0);

function yearGroupAt(current: string, iso: string, fileDate: string): string {
  const back = academicYear(fileDate) - academicYear(iso);
  const value = current.trim().toUpperCase();
  if (back <= 0 || !/^\d{1,2}$/.test(value)) return value;
  const order = ["N1", "N2", "R", ...Array.from({ length: 13 }, (_, i) => String(i + 1))];
  const at = order.indexOf(String(Number(value))) - back;
  return at >= 0 ? order[at] : order[0];
}

/** The first weekday in an AttendMarks string with a mark other than Z (not on roll), ISO; null when none. */
function firstMarkedDay(text: Text, start: string): string | null {
  const s = text.value;
  const first = isoToDays(start);
  for (let i = 0; i < s.length; i++) {
    const weekday = weekdayOfDays(first + (i >> 1));
    if (weekday !== 0 && weekday !== 6 && !WEEKDAY_NO_MARK.has(s[i]) && s[i].toUpperCase() !== "Z") return daysToIso(first + (i >> 1));
  }
  return null;
}

/** A school in words for messages: "Other Primary (LEA 999, Estab 1234)". */
function schoolWords(lea: string | undefined, estab: string | undefined, name: string | undefined): string {
  const id = [lea && `LEA ${lea}`, estab && `Estab ${estab}`].filter(Boolean).join(", ");
  return name ? (id ? `${name} (${id})` : name) : id || "a school the file does not name";
}

/** Sessions with a mark in an AttendMarks string (not "no mark", not a weekend's "no session"). */
function markedSessions(text: Text, start: string): number {
  let n = 0;
  const first = isoToDays(start);
  for (let i = 0; i < text.value.length; i++) {
    const weekday = weekdayOfDays(first + (i >> 1));
    if (weekday !== 0 && weekday !== 6 && !WEEKDAY_NO_MARK.has(text.value[i])) n++;
  }
  return n;
}

function build(drafts: PupilDraft[], header: CtfHeader, fileDate: string, file: string): CtfContent {
  const rows: CsvRecord[] = [];
  const spells: CtfSpell[] = [];
  const admissions = new Map<string, CtfAdmission>();
  const otherSchools = new Map<string, { marks: number; pupils: Set<string> }>();
  const unsent = new Map<string, Set<CtfCharacteristic>>();
  const marks = new LongRows();
  const strings = new StringRows();
  const hasDest = Boolean(header.destLea && header.destEstab);
  // A YearData is this school's register when the school it names (else the file's maker,
  // the SourceSchool) is the DestSchool (a file naming none is refused in readCtf).
  const yearSchool = (y: PupilDraft["years"][number]) =>
    y.lea || y.estab ? { lea: y.lea, estab: y.estab, name: y.name } : { lea: header.lea, estab: header.estab, name: y.name ?? header.sourceName };
  const isOurs = (y: PupilDraft["years"][number]) => {
    if (!hasDest) return true;
    const school = yearSchool(y);
    return school.lea === header.destLea && school.estab === header.destEstab;
  };
  // Every pupil's fault at once (a trial's CTF lacking two pupils' NCyearActual named the first,
  // the second only on the next try): each pupil read on its own, the file refused with all.
  const faults: InputError[] = [];
  for (const p of drafts) {
    try {
      const at = { line: p.line, column: p.column };
      const get = (name: string) => p.fields.get(name);
      const upn = field(get("UPN"), at);
      if (upn.value === "") throw new InputError(file, p.line, p.column, "a Pupil has no UPN");
      const missing = CHARACTERISTICS.filter((c) => !p.sent.has(c));
      if (missing.length > 0) unsent.set(upn.value, new Set(missing));

      // Admission and leaving at this school: its own SchoolHistory entry (the DestSchool's),
      // else the first day the file marks; a previous school's EntryDate is that school's.
      const own = header.destLea && header.destEstab ? p.schools.find((s) => s.lea === header.destLea && s.estab === header.destEstab) : undefined;
      let firstMark: { iso: string; text: Text } | undefined;
      for (const y of p.years) {
        // Another school's first mark is the day the pupil started there, not here.
        if (!y.start || !y.marks || !isOurs(y)) continue;
        const iso = firstMarkedDay(y.marks, dateOf(y.start, file, "AttendStartDate"));
        if (iso && (!firstMark || iso < firstMark.iso)) firstMark = { iso, text: y.start };
      }
      const admissionText = own?.entry ?? (firstMark && { ...firstMark.text, value: firstMark.iso });
      const admission = admissionText ? dateOf(admissionText, file, "admission (EntryDate)") : null;
      const leaving = admission && own?.leaving && own.leaving.value !== "" ? dateOf(own.leaving, file, "LeavingDate") : "";
      if (admission) admissions.set(upn.value, { date: admission, leaving, line: p.line });
      else {
        const school = header.destLea && header.destEstab ? `this school (the Header's DestSchool, LEA ${header.destLea} Estab ${header.destEstab})` : "this school (the Header names no DestSchool)";
        admissions.set(upn.value, {
          date: null,
          line: p.line,
          unknown: new InputError(
            file,
            p.line,
            p.column,
            `${upn.value}: the file does not say when the pupil was admitted to this school: no SchoolHistory School is ${school} and no AttendMarks of this school's give a first day here (a SchoolHistory EntryDate is when the pupil entered that school, not this one; another school's attendance is not this school's register); import a pupils file giving the admission date, then the CTF`,
          ),
        });
      }

      const first = p.languages.find((l) => l.type === "F") ?? p.languages[0];
      const eal = first?.code && !ENGLISH.has(first.code) ? "Y" : "N";
      const care = get("InCare")?.value.toLowerCase();
      const lac = care === "true" || care === "1" || care === "y" || care === "yes" ? "Y" : "N";
      const fsmSpans = p.fsm.filter((f) => f.start).map((f) => ({ start: dateOf(f.start!, file, "FSMstartDate"), end: f.end && f.end.value ? dateOf(f.end, file, "FSMendDate") : null }));
      const senSpans = p.sen
        .filter((s) => s.start)
        .map((s) => ({ start: dateOf(s.start!, file, "SEN StartDate"), end: s.end && s.end.value ? dateOf(s.end, file, "SEN EndDate") : null, provision: s.provision?.value.toUpperCase() ?? "N" }));
      const ncYear = get("NCyearActual")?.value ?? "";
      // Without it the pupil's year group read as "" and was refused as a pupils file's column
      // ('year group "" is not one of N1, N2, R, 1–13' at a line of the CTF: trial 30), which a
      // school cannot correct in another school's file; say what the CTF lacks.
      if (!ncYear.trim()) {
        throw new InputError(
          file,
          p.line,
          p.column,
          `${upn.value}: the pupil has no NCyearActual (national curriculum year) in BasicDetails, which a CTF gives every pupil (one anywhere else is not read): ask the sending school or MIS supplier for a corrected CTF, or import a pupils file giving the year group`,
        );
      }
      const stateOn = (iso: string) => ({
        yearGroup: yearGroupAt(ncYear, iso, fileDate),
        sen: [...senSpans].reverse().find((s) => s.start <= iso && (s.end === null || iso <= s.end))?.provision ?? "N",
        fsm: fsmSpans.some((f) => f.start <= iso && (f.end === null || iso <= f.end)) ? "Y" : "N",
      });

      // Spells: a new one wherever SEN, FSM or the academic year (so the year group) changes;
      // none when the admission is unknown (a pupil on the roll keeps the stored ones).
      const pupilSpells: CtfSpell[] = [];
      if (admission) {
        const changes = new Set<string>([admission]);
        for (const s of [...senSpans, ...fsmSpans]) {
          changes.add(s.start);
          if (s.end) changes.add(addDays(s.end, 1));
        }
        for (let y = academicYear(admission) + 1; y <= academicYear(fileDate); y++) changes.add(`${y}-08-01`);
        const end = leaving || null;
        const dates = [...changes].filter((d) => d >= admission && (end === null || d <= end)).sort();
        for (const d of dates) {
          const state = stateOn(d);
          const prev = pupilSpells[pupilSpells.length - 1];
          if (prev && prev.yearGroup === state.yearGroup && prev.sen === state.sen && prev.fsm === state.fsm) continue;
          if (prev) prev.to = addDays(d, -1);
          pupilSpells.push({ upn: upn.value, from: d, to: null, regGroup: NOT_ASSIGNED, eal, lac, ...state });
        }
      }
      spells.push(...pupilSpells);
      const current = pupilSpells[pupilSpells.length - 1] ?? stateOn(fileDate);

      const values: CsvField[] = [
        upn,
        field(get("Forename"), at),
        field(get("Surname"), at),
        field(get("DOB"), at, get("DOB")?.value.replace(/T.*$/, "")),
        field(get("Sex"), at),
        field(get("NCyearActual"), at, current.yearGroup),
        field(undefined, at, NOT_ASSIGNED),
        field(admissionText, at, admission ?? ""),
        field(own?.leaving, at, leaving),
        field(p.sen[0]?.provision, at, current.sen),
        field(p.fsm[0]?.start, at, current.fsm),
        field(undefined, at, eal),
        field(get("InCare"), at, lac),
        field(get("Ethnicity"), at),
      ];
      rows.push({ line: p.line, fields: values });

      for (const year of p.years) {
        if (!year.marks || year.marks.value === "") continue;
        if (!year.start) throw new InputError(file, year.marks.line, year.marks.column, `${upn.value}: AttendMarks without an AttendStartDate`);
        const start = dateOf(year.start, file, "AttendStartDate");
        if (!isOurs(year)) {
          const school = yearSchool(year);
          const words = schoolWords(school.lea, school.estab, school.name);
          const entry = otherSchools.get(words) ?? { marks: 0, pupils: new Set<string>() };
          entry.marks += markedSessions(year.marks, start);
          entry.pupils.add(upn.value);
          otherSchools.set(words, entry);
          continue;
        }
        const text = year.marks;
        readMarkString(
          { value: text.value, file, line: text.line, column: text.column, columnPerCharacter: true, name: "AttendMarks", prefix: `${upn.value}: ` },
          start,
          upn,
          marks,
          strings,
        );
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      faults.push(error);
    }
  }
  if (faults.length > 0) throw faultsTogether(faults);
  const destSchool = hasDest ? schoolWords(header.destLea, header.destEstab, undefined) : null;
  const destAt = header.destAt ?? header.dateTime ?? { line: 1, column: 1 };
  const dest = { lea: header.destLea ?? "", estab: header.destEstab ?? "", urn: header.destUrn || null, line: destAt.line, column: destAt.column };
  return { pupils: { index: CTF_PUPIL_INDEX, rows }, marks: { ...marks.table("ctf"), rows: strings }, spells, fileDate, admissions, otherSchools, destSchool, dest, unsent };
}
