/**
 * Is a Common Transfer File addressed to this school? A CTF names the school it is for in its
 * Header's DestSchool: the LA number (LEA) and establishment number (Estab), whose DfE number
 * is LA × 10000 + Estab (DfE CTF specification, message header; Get Information about
 * Schools), and some suppliers add the URN. A file for another school holds another school's
 * pupils and register; read as this school's it would add them to the roll. The school's own
 * numbers are its settings (la_number, estab_number: analytics/settings.ts) and its URN the
 * database's (analytics/school-urn.ts).
 */
import { InputError, WrongFileError } from "../csv.ts";
import type { Connection } from "../db.ts";
import { recordedUrn } from "../school-urn.ts";
import { getSettings } from "../settings.ts";
import type { CtfContent } from "./readers/ctf.ts";

/** How to set the school's numbers, for a message: the Settings page or the CLI. */
export const SCHOOL_NUMBER_HOW =
  "set the school's LA number and establishment number on the Settings page (or rollcall settings set la_number NNN estab_number NNNN)";

/**
 * Checks the CTF's DestSchool against this school, inside the import's transaction (before
 * anything of the file is written).
 * @returns null when the file is addressed to this school (its URN, or its LA and
 *   establishment numbers, match); a note for the preview when neither can be checked (the
 *   numbers are not set and the file carries no URN the database records), saying so and how
 *   to set them — the file is then read as today, as this school's.
 * @throws InputError at the DestSchool's LEA (file, line, column), naming both schools'
 *   numbers, when the file is addressed to another school; nothing is changed.
 */
export async function checkCtfDestination(conn: Connection, file: string, ctf: CtfContent): Promise<string | null> {
  const { dest } = ctf;
  const ours = (await getSettings(conn)).school_number;
  const urn = await recordedUrn(conn);
  const theirs = `LA ${dest.lea}, establishment ${dest.estab} (DfE number ${dest.lea}${dest.estab})${dest.urn ? `, URN ${dest.urn}` : ""}`;
  // The URN names one establishment for good: when both sides have it, it decides.
  if (dest.urn && urn) {
    if (dest.urn === urn) {
      // The URN is ours but the numbers the school set name another school: the file contradicts
      // itself (trial19b: DestSchool LEA 999, Estab 1234, URN 900000 was read as ours).
      if (ours && (dest.lea !== ours.la || dest.estab !== ours.estab)) {
        throw refusal(file, dest, theirs, `this school's URN is ${urn} but its LA and establishment are ${ours.la} and ${ours.estab} (DfE number ${ours.la}${ours.estab}): the file names two schools`);
      }
      return null;
    }
    throw refusal(file, dest, theirs, `this school's URN is ${urn}${ours ? ` (LA ${ours.la}, establishment ${ours.estab})` : ""}`);
  }
  if (ours) {
    if (dest.lea === ours.la && dest.estab === ours.estab) return null;
    throw refusal(file, dest, theirs, `this school is LA ${ours.la}, establishment ${ours.estab} (DfE number ${ours.la}${ours.estab})`);
  }
  return `The file is addressed to ${theirs}; whether that is this school could not be checked, since its LA and establishment numbers are not set: ${SCHOOL_NUMBER_HOW}`;
}

function refusal(file: string, dest: CtfContent["dest"], theirs: string, ours: string): InputError {
  return new WrongFileError(
    file,
    dest.line,
    dest.column,
    `the CTF is addressed to another school (Header/DestSchool: ${theirs}), and ${ours}: its pupils and attendance are that school's, so nothing was imported. Ask the sending school for a CTF addressed to this school`,
  );
}
