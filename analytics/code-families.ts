/**
 * Absence codes as a share of all absence. For governors, rarely used and sensitive codes
 * (exclusion, part-time timetables, performances …) are combined into families so that no
 * single pupil's circumstances can be read off a row.
 */
export const CODE_FAMILIES: Record<string, string> = {
  I: "Illness",
  M: "Medical or dental appointments",
  G: "Holiday not agreed",
  H: "Holiday agreed (codes before August 2024)",
  F: "Holiday agreed (codes before August 2024)",
  N: "No reason yet given",
  O: "Other unauthorised absence",
  U: "Arrived after registers closed",
  R: "Religious observance",
};
const OTHER_AUTHORISED = "Other authorised absence (leave, part-time timetables, exclusions and similar)";

/**
 * The family an absence code is shown under to governors (the FGB pack and the governor's Codes
 * page): common codes keep their own name; rarely used and sensitive ones (exclusion,
 * part-time timetable, performance …) fall into "other authorised" or "other unauthorised".
 */
export function codeFamilyOf(code: string, category: string): string {
  return CODE_FAMILIES[code] ?? (category === "authorised" ? OTHER_AUTHORISED : "Other unauthorised absence");
}
