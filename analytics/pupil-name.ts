/**
 * A pupil's name as every list of pupils writes it — the pages' lists, their CSVs' name column
 * and the packs: surname first, "Owen, Rory", so a list read down by name reads as it is sorted
 * (surname, then forename). Casework had written "Rory Owen" where every other list wrote
 * "Owen, Rory" (trial 26). A pupil's own page titles them forename first, as a heading.
 * Pure and client-safe.
 */
export function pupilListName(pupil: { surname: string; forename: string }): string {
  return `${pupil.surname}, ${pupil.forename}`;
}
