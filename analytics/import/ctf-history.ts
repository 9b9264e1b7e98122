/**
 * A CTF carries each pupil's characteristic history (SEN and FSM with their dates), not one
 * snapshot. For a pupil new to the roll, after importPupils has written the pupil (identity
 * and current spell), their spells are replaced by the CTF's history from their admission to
 * this school, in the caller's transaction. A pupil already on the roll keeps what the school
 * holds about their past (fitCtfToRoll): the stored admission, leaving date and class, and
 * every spell before the file's date; the file changes their details as a pupils file as of
 * its date does (analytics/import/pupils.ts). Importing the same file twice changes nothing.
 */
import { DuckDBDateValue, listValue } from "@duckdb/node-api";
import { faultsTogether, type CsvField, type InputError, type MappedTable } from "../csv.ts";
import { queryOne, queryRows, type Connection } from "../db.ts";
import { CTF_PUPIL_INDEX, type CtfCharacteristic, type CtfContent, type CtfSpell } from "./readers/ctf.ts";
import type { MarksTable } from "./readers/long-rows.ts";
import { isoToDays } from "./values.ts";

/** What of a CTF's attendance is not this school's register, in the summary's words. */
export interface CtfMarks {
  /** This school's marks in the pupils' time on roll here, for importMarks, with the notes saying what was skipped. */
  table: MarksTable & { notes: string[] };
  /** Marks skipped: another school's, or outside the pupil's time on roll here. */
  skipped: number;
}

const count = (n: number, one: string, many: string) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

/**
 * The CTF's pupils as the pupils importer should take them, against the roll as stored:
 * a pupil already on the roll gets the stored admission date, leaving date and class (the
 * spell in force on the file's date, else their latest), and that spell's SEN, FSM, EAL and
 * LAC where the file does not send them (CtfContent.unsent), so only their identity and the
 * characteristics the file sends, as of the file's date, can change; `spells` holds the history of the
 * pupils new to the roll only.
 * `refused`: an InputError at each new pupil's <Pupil> whose admission to this school the file
 * does not say (analytics/import/readers/ctf.ts, CtfAdmission), together; such a pupil is left
 * out of `table`, `spells` and `marks`, so the file's other faults are found in the same try
 * (the caller refuses the file with them all).
 */
export async function fitCtfToRoll(
  conn: Connection,
  ctf: CtfContent,
  /** UPNs a refused file of the same import gives (its admission among them): not told unadmitted here. */
  pending?: ReadonlySet<string>,
): Promise<{ table: MappedTable; spells: CtfSpell[]; marks: CtfMarks; notAssigned: number; refused?: InputError }> {
  const upns = [...ctf.admissions.keys()];
  // The spell in force on the file's date, else the latest: the class and the characteristics held.
  const stored = await queryRows<{ upn: string; admission_date: string; leaving_date: string | null } & Record<"reg_group" | CtfCharacteristic, string | null>>(
    conn,
    `SELECT p.upn, p.admission_date::VARCHAR AS admission_date, p.leaving_date::VARCHAR AS leaving_date,
            c.reg_group, c.sen, c.fsm, c.eal, c.lac
     FROM pupils p
     LEFT JOIN (SELECT upn, reg_group, sen, fsm, eal, lac,
                       row_number() OVER (PARTITION BY upn ORDER BY (valid_from <= $asOf::DATE AND (valid_to IS NULL OR valid_to >= $asOf::DATE)) DESC, valid_from DESC) AS k
                FROM pupil_characteristics WHERE list_contains($upns::VARCHAR[], upn)) c ON c.upn = p.upn AND c.k = 1
     WHERE list_contains($upns::VARCHAR[], p.upn)`,
    { upns: listValue(upns), asOf: ctf.fileDate },
  );
  const onRoll = new Map(stored.map((r) => [r.upn, r]));
  // Every pupil whose admission the file does not give, at once (trial 51b: the second named
  // only on the next try). One a refused file of this import gives (pending) is told nothing
  // here: it is checked once that file is right (review 53: a pupils file giving the admission,
  // refused for another row, made the CTF's pupil "unadmitted"). Both are left out below: no
  // row to check, no time on roll for their marks.
  const unadmitted = [...ctf.admissions].flatMap(([upn, admission]) => (admission.date === null && !onRoll.has(upn) ? [{ upn, fault: admission.unknown }] : []));
  const unknown = unadmitted.filter((u) => !pending?.has(u.upn)).map((u) => u.fault);
  const leftOut = new Set(unadmitted.map((u) => u.upn));
  const at = (name: string) => CTF_PUPIL_INDEX.get(name)!;
  // Such a pupil's row is left out of the rows checked, which would refuse its empty admission
  // date again: the file's other pupils' faults are told with theirs (refused).
  const rows = ctf.pupils.rows.flatMap((row) => {
    const held = onRoll.get(row.fields[at("upn")].value);
    if (!held) return leftOut.has(row.fields[at("upn")].value) ? [] : [row];
    const fields = [...row.fields];
    const keep = (name: string, value: string | null) => {
      const f: CsvField = fields[at(name)];
      fields[at(name)] = { ...f, value: value ?? "" };
    };
    keep("admission_date", held.admission_date);
    keep("leaving_date", held.leaving_date);
    if (held.reg_group !== null) keep("reg_group", held.reg_group);
    // A characteristic the file does not send is not "N": the school's value stands (readers/ctf.ts).
    for (const name of ctf.unsent.get(row.fields[at("upn")].value) ?? []) {
      const value = held[name];
      if (value !== null) keep(name, value);
    }
    return [{ ...row, fields }];
  });
  // Each pupil's time on roll here: as stored for a pupil on the roll, else as the file gives it.
  const onRollHere = new Map<string, { from: string; to: string | null }>();
  for (const [upn, admission] of ctf.admissions) {
    const held = onRoll.get(upn);
    if (held) onRollHere.set(upn, { from: held.admission_date, to: held.leaving_date });
    else if (admission.date !== null) onRollHere.set(upn, { from: admission.date, to: admission.leaving || null });
  }
  // Pupils new to the roll, who take no class from a CTF (it carries none): "Not assigned".
  const notAssigned = ctf.pupils.rows.filter((row) => !onRoll.has(row.fields[at("upn")].value)).length;
  return {
    table: { ...ctf.pupils, rows },
    spells: ctf.spells.filter((s) => !onRoll.has(s.upn) && !leftOut.has(s.upn)),
    marks: ctfMarksHere(ctf, onRollHere),
    notAssigned,
    refused: unknown.length > 0 ? faultsTogether(unknown) : undefined,
  };
}

/**
 * The CTF's marks for this school's register: those of its own YearData (the reader has left
 * out another school's) within each pupil's time on roll here. A mark before the admission
 * here (or after the leaving) was taken while the pupil was not on this school's roll — at
 * the school they came from — and is skipped, counted, never refused: the file is right, it
 * just holds more than this school's register. The notes say what was skipped, with counts.
 */
function ctfMarksHere(ctf: CtfContent, onRollHere: Map<string, { from: string; to: string | null }>): CtfMarks {
  const { rows, outside } = ctf.marks.rows.within((upn) => onRollHere.get(upn));
  const notes: string[] = [];
  let skipped = outside.marks;
  for (const [school, other] of ctf.otherSchools) {
    skipped += other.marks;
    notes.push(
      `${count(other.marks, "mark", "marks")} of ${count(other.pupils.size, "pupil", "pupils")} skipped: the file gives them as the attendance of ${school}, not this school's register` +
        `${ctf.destSchool ? ` (${ctf.destSchool})` : ""}; they are the previous school's record, not counted here`,
    );
  }
  if (outside.marks > 0) {
    notes.push(`${count(outside.marks, "mark", "marks")} of ${count(outside.pupils.size, "pupil", "pupils")} skipped: dated before the pupil's admission to this school (or after leaving it), so not this school's register`);
  }
  return { table: { ...ctf.marks, rows, notes }, skipped };
}

const STAGE = "import_ctf_spells";

/**
 * Replaces the characteristic spells of the CTF's pupils new to the roll by its history
 * (`spells` from fitCtfToRoll: never a pupil the school already held).
 * @returns the number of pupils whose history changed.
 * @throws Error naming `file` when the history gives a pupil two spells from one date (one
 *   spell per pupil and start date: analytics/import/spells.ts), before anything is written.
 */
export async function replaceCharacteristicHistory(conn: Connection, file: string, spells: CtfSpell[]): Promise<number> {
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${STAGE} (upn VARCHAR NOT NULL, valid_from DATE NOT NULL, valid_to DATE,
       year_group VARCHAR NOT NULL, reg_group VARCHAR NOT NULL, sen VARCHAR NOT NULL, fsm VARCHAR NOT NULL,
       eal VARCHAR NOT NULL, lac VARCHAR NOT NULL)`,
  );
  try {
    const appender = await conn.createAppender(STAGE, "main", "temp");
    try {
      for (const s of spells) {
        appender.appendVarchar(s.upn);
        appender.appendDate(new DuckDBDateValue(isoToDays(s.from)));
        if (s.to === null) appender.appendNull();
        else appender.appendDate(new DuckDBDateValue(isoToDays(s.to)));
        for (const v of [s.yearGroup, s.regGroup, s.sen, s.fsm, s.eal, s.lac]) appender.appendVarchar(v);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    // One spell per pupil and start date (analytics/schema.ts UNKEYED_SPELLS: no key refuses a second).
    const twice = await queryOne<{ upn: string; valid_from: string }>(
      conn,
      `SELECT upn, valid_from::VARCHAR AS valid_from FROM ${STAGE} GROUP BY upn, valid_from HAVING count(*) > 1 ORDER BY upn, valid_from LIMIT 1`,
    );
    if (twice) throw new Error(`${file}: the CTF gives ${twice.upn} two spells of characteristics from ${twice.valid_from}; nothing was imported`);
    const COLUMNS = "upn, valid_from, valid_to, year_group, reg_group, sen, fsm, eal, lac";
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE ${STAGE}_changed AS
       SELECT DISTINCT upn FROM (
         (SELECT ${COLUMNS} FROM ${STAGE}
          EXCEPT SELECT ${COLUMNS} FROM pupil_characteristics WHERE upn IN (SELECT upn FROM ${STAGE}))
         UNION ALL
         (SELECT ${COLUMNS} FROM pupil_characteristics WHERE upn IN (SELECT upn FROM ${STAGE})
          EXCEPT SELECT ${COLUMNS} FROM ${STAGE}))`,
    );
    const changed = await queryOne<{ n: number }>(conn, `SELECT count(*)::INTEGER AS n FROM ${STAGE}_changed`);
    if (changed && changed.n > 0) {
      await conn.run(`DELETE FROM pupil_characteristics WHERE upn IN (SELECT upn FROM ${STAGE}_changed)`);
      await conn.run(
        `INSERT INTO pupil_characteristics (${COLUMNS})
         SELECT ${COLUMNS} FROM ${STAGE} WHERE upn IN (SELECT upn FROM ${STAGE}_changed) ORDER BY upn, valid_from`,
      );
    }
    return changed?.n ?? 0;
  } finally {
    await conn.run(`DROP TABLE IF EXISTS temp.${STAGE}`);
    await conn.run(`DROP TABLE IF EXISTS temp.${STAGE}_changed`);
  }
}
