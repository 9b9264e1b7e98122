/**
 * How much register a rate needs before it judges anyone: one rule for a span and for a pupil.
 * Pure and client-safe: no database, no app imports.
 *
 * A span (analytics/pa-span.ts): persistent and severe absence are given over
 * PA_MIN_SCHOOL_DAYS school days or more (counted for the whole school), "not given" below.
 *
 * A pupil (casework's rate rules, the ladder's attendance steps, the pupil page): attendance
 * bands (below the letter, monitoring and formal-meeting lines), persistent and severe absence
 * judge a pupil only once the pupil has PUPIL_JUDGED_MIN_SESSIONS possible sessions of their
 * own, 40: the same 20 school days of two sessions each. The DfE defines persistent absence by
 * the share of a pupil's own possible sessions missed over a term or a year (*Pupil absence in
 * schools in England*, methodology), and a new pupil's share of a few days is no such share: a
 * pupil on roll from 30 November, off ill one day of her first three (2 of 6 sessions), was
 * "persistently absent", on the below-85 % list and due a monitoring letter by 8 December
 * (a fresh-clone trial). Early warning's bands wait for 20 sessions (population-words.ts),
 * a number with no source given; 40 is the span rule's, so a pupil's page, Casework and the
 * ladder judge a pupil over the span the Overview judges the school. Rules that count days or
 * sessions rather than a rate (consecutive days absent, children missing education, the
 * penalty-notice sessions, overdue N codes, illness days) fire from a pupil's first day.
 */

/** The fewest school days (days with possible sessions) over which PA and SA are given. */
export const PA_MIN_SCHOOL_DAYS = 20;

/** A pupil's possible sessions before attendance bands, PA and SA judge them: 20 school days of AM and PM. */
export const PUPIL_JUDGED_MIN_SESSIONS = 2 * PA_MIN_SCHOOL_DAYS;

/**
 * Persistent absence (DfE, *Pupil absence in schools in England*, methodology): a pupil who
 * missed 10 % or more of their own possible sessions over the span (`possible`, `absent`:
 * sessions). False without a possible session. The SQL writes the same rule as
 * `10 * absent >= possible` (analytics/measures.ts).
 */
export function persistentlyAbsent(possible: number, absent: number): boolean {
  return possible > 0 && 10 * absent >= possible;
}

/** Severe absence (DfE, the same methodology): 50 % or more of the pupil's possible sessions missed; false without one. */
export function severelyAbsent(possible: number, absent: number): boolean {
  return possible > 0 && 2 * absent >= possible;
}

/** True when a pupil with `possibleSessions` of their own is judged on attendance bands, PA and SA. */
export function pupilJudged(possibleSessions: number): boolean {
  return possibleSessions >= PUPIL_JUDGED_MIN_SESSIONS;
}

/**
 * A pupil not yet judged, as the Pupils list, its CSV and the pupil page say it: "not yet
 * judged", with `possibleSessions` "not yet judged: 6 of 40 sessions" (how far they are from
 * being judged); `capital` for the start of a cell or sentence ("Not yet judged: 6 of 40
 * sessions"). One wording: the pupil page's years table read "Not yet judged (6 of 40
 * sessions)" where the CSV read "not yet judged: 6 of 40 sessions" (the CSV's kept: its flag
 * cell already puts it in brackets, "Persistent absence (not yet judged: 18 of 40 sessions)").
 */
export function notYetJudged(possibleSessions?: number, capital = false): string {
  const words = `${capital ? "N" : "n"}ot yet judged`;
  return possibleSessions === undefined ? words : `${words}: ${possibleSessions.toLocaleString("en-GB")} of ${PUPIL_JUDGED_MIN_SESSIONS} sessions`;
}

/**
 * Why a pupil is not yet judged, in words for the pupil page: "6 possible sessions so far;
 * attendance bands and persistent absence are judged from 40 (20 school days)". `where`: how
 * the sessions are placed ("so far", "in this period", "in 2026/27").
 */
export function notYetJudgedWords(possibleSessions: number, where: string): string {
  const sessions = `${possibleSessions.toLocaleString("en-GB")} possible session${possibleSessions === 1 ? "" : "s"}`;
  return `${sessions} ${where}; attendance bands and persistent absence are judged from ${PUPIL_JUDGED_MIN_SESSIONS} (${PA_MIN_SCHOOL_DAYS} school days)`;
}

/** One pupil's persistent and severe absence over a span, as the pupil page gives it. */
export type PupilAbsenceVerdict =
  | { kind: "severe" | "persistent" | "neither"; why: null }
  /** not_given: the span is too short (pa-span.ts's sentence); not_judged: the pupil has too few sessions (notYetJudgedWords, as a sentence). */
  | { kind: "not_given" | "not_judged"; why: string };

/**
 * A pupil's persistent and severe absence over a span: "not given" with the span's reason when
 * the span is shorter than PA_MIN_SCHOOL_DAYS school days for the whole school (`span`, from
 * pa-span.ts persistentAbsenceSpan; pass `{ given: true, why: null }` where the pupil's own
 * sessions decide alone: 40 of them fill at least 20 school days), else "not yet judged"
 * below PUPIL_JUDGED_MIN_SESSIONS of the pupil's own possible sessions (`where` places them:
 * "so far", "in this period", "in 2026/27"), else severe, persistent or neither from the
 * measures of a group of one (`sa_pupils`, `pa_pupils`: 1 or 0).
 */
export function pupilAbsenceVerdict(
  figures: { possible_sessions: number; pa_pupils: number; sa_pupils: number },
  span: { given: boolean; why: string | null },
  where: string,
): PupilAbsenceVerdict {
  if (!span.given) return { kind: "not_given", why: span.why ?? "the span is too short" };
  if (!pupilJudged(figures.possible_sessions)) return { kind: "not_judged", why: `${notYetJudgedWords(figures.possible_sessions, where)}.` };
  return { kind: figures.sa_pupils > 0 ? "severe" : figures.pa_pupils > 0 ? "persistent" : "neither", why: null };
}
