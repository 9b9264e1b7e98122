/**
 * Over how long a span persistent and severe absence mean anything. The DfE defines them over
 * a term or a year (a pupil missing 10 % / 50 % of their own possible sessions: *Pupil absence
 * in schools in England*, methodology); inside a week, one missed session out of ten makes a
 * pupil "persistently absent" and a day off makes them "severely absent" on a one-day week —
 * 43 "persistently absent" in a week next to 27 for the year (issue 13, case 13). So a page
 * gives PA and SA only for a span of at least PA_MIN_SCHOOL_DAYS school days with marks (four
 * school weeks), and, below that, absence and the pupils absent at least once (pupilsAbsent).
 */
import type { Connection } from "./db.ts";
import { datesWithPossibleSessions, summariseBy, type MeasureQuery } from "./measures.ts";

/** The fewest school days (days with possible sessions) over which PA and SA are given. */
export const PA_MIN_SCHOOL_DAYS = 20;

/** True when a span of `schoolDays` school days is long enough for PA and SA. */
export function persistentAbsenceMeasured(schoolDays: number): boolean {
  return schoolDays >= PA_MIN_SCHOOL_DAYS;
}

/** The school days (ISO dates with possible sessions for the query's pupils) in the query's span, in order. */
export async function schoolDaysOf(connection: Connection, query: MeasureQuery): Promise<string[]> {
  const days = await datesWithPossibleSessions(connection, query);
  if (days) return days;
  return (await summariseBy(connection, query, "date")).filter((day) => day.possible_sessions > 0).map((day) => day.group);
}

/** How many of `days` (ISO dates) fall from `from` to `to` inclusive. */
export function daysWithin(days: string[], from: string, to: string): number {
  return days.filter((day) => day >= from && day <= to).length;
}
