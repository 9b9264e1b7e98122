import { formatCount } from "./format";

/**
 * What the table under it shows and why, in words that match it (a trial read, on a class's
 * page, of reasons "combined so that no pupil can be identified" beside a table of categories
 * only): staff read codes; a governor reads the whole school's reasons, with which are
 * withheld and why, or a unit's or group's absence by category.
 */
export function codesFootnote(data: { families: boolean; reasonsGiven: boolean; reasonsWithheld: string[]; absenceSessions: number; smallGroupMin?: number | null }): string {
  // With no absence there is no share to explain (a governor read "over all 0 sessions").
  const share = (each: string) =>
    data.absenceSessions === 0
      ? "No session of authorised or unauthorised absence is recorded, so there is no share of absence."
      : `Share of absence is each ${each}'s sessions over all ${formatCount(data.absenceSessions)} ${data.absenceSessions === 1 ? "session" : "sessions"} of authorised and unauthorised absence.`;
  if (!data.families) {
    return `Meanings are those of the code on the date of each session: registers before 19 August 2024 used the earlier code set. ${share("absence code")}`;
  }
  if (!data.reasonsGiven) {
    return `For governors, these pupils' absence is shown by category (authorised and unauthorised), not by reason: a year group's, class's or pupil group's reasons are a handful of pupils each. ${share("category")}`;
  }
  const min = data.smallGroupMin ?? 5;
  const withheld =
    data.reasonsWithheld.length > 0
      ? ` Withheld in this period: ${data.reasonsWithheld.join("; ")} — a reason had by 1 to ${min - 1} pupils is withheld, and so is any reason from which it could be worked out (from its category's total, the other reasons, or the same reason in other periods).`
      : ` A reason had by 1 to ${min - 1} pupils in a period is withheld, and so is any reason from which it could be worked out; none is withheld in this period.`;
  return `For governors, the whole school's absence is shown by reason: rarely used and sensitive codes (part-time timetables, exclusions, performances and the like) are combined, as in the governors' pack.${withheld} ${share("reason")}`;
}
