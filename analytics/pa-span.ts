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
import { endOfMonth, format, parseISO } from "date-fns";
import { datesWithPossibleSessions, summariseBy, type MeasureQuery, type SessionDimension } from "./measures.ts";
import { halfTermsOf } from "./governor-periods.ts";
import { academicYearBounds, termBounds } from "./periods.ts";
import { formatIsoDate } from "./benchmarks/labels.ts";

import { PA_MIN_SCHOOL_DAYS } from "./judged-span.ts";
export { PA_MIN_SCHOOL_DAYS };

/** True when a span of `schoolDays` school days is long enough for PA and SA. */
export function persistentAbsenceMeasured(schoolDays: number): boolean {
  return schoolDays >= PA_MIN_SCHOOL_DAYS;
}

/** Printed in place of a persistent or severe absence figure over a span too short for it. */
export const PA_NOT_GIVEN_TEXT = "not given";

/** Whether PA and SA are given over a span, how many school days it has, and why not, in words. */
export interface PaSpan {
  given: boolean;
  schoolDays: number;
  /** How the span is named in `why` ("October 2026", or its dates). */
  named: string;
  /** "Persistent and severe absence are not given for 1 Dec 2026 to 2 Dec 2026: 2 school days, fewer than the 20 …"; null when given. */
  why: string | null;
}

/**
 * The one rule for every page, pack, export and CLI reading persistent or severe absence over a
 * span (issue 13, a fresh-clone trial: the SLT pack for a month of 2 school days gave "PA 8.0 %,
 * 19 pupils" while the Overview refused it): given over PA_MIN_SCHOOL_DAYS school days or more
 * (persistentAbsenceMeasured), counted for the whole school (school days with possible
 * sessions for any pupil, schoolDaysOf without a filter) so that a span is short or not
 * whatever its pupils. `span`: ISO dates, inclusive; `words`: how the span is named in `why`
 * (by default its dates). Throws what the measures throw (a bad period).
 */
export async function persistentAbsenceSpan(connection: Connection, span: { from: string; to: string }, words?: string): Promise<PaSpan> {
  const schoolDays = (await schoolDaysOf(connection, { from: span.from, to: span.to })).length;
  const given = persistentAbsenceMeasured(schoolDays);
  const named = words ?? `${formatIsoDate(span.from)} to ${formatIsoDate(span.to)}`;
  return { given, schoolDays, named, why: given ? null : paNotGivenWhy([{ named, schoolDays }]) };
}

/**
 * What a comparison with `span` reads in place of its persistent or severe absence when the
 * span is too short for them (persistentAbsenceMeasured): "not given (19 school days, fewer
 * than 20)" (the page says the rule in full beside it); null when they are given, or when the span has
 * no school day (no figure to compare, said elsewhere). One comparison needs both spans given:
 * the Overview compared November 2026 with November 2025 (19 school days) as "17.8% same
 * period last year: −4.8 pts, better" while every pack refused that span (a fresh-clone trial).
 */
export function paNotComparedReason(span: Pick<PaSpan, "given" | "schoolDays">): string | null {
  if (span.given || span.schoolDays === 0) return null;
  return `${PA_NOT_GIVEN_TEXT} (${span.schoolDays} school day${span.schoolDays === 1 ? "" : "s"}, fewer than ${PA_MIN_SCHOOL_DAYS})`;
}

/**
 * Why persistent and severe absence are not given over short spans, in one sentence however
 * many: "Persistent and severe absence are not given for October 2026: 17 school days, fewer
 * than the 20 …" for one; "… not given for October 2026 (17 school days) or the same period last
 * year (1 Oct 2025 to 31 Oct 2025: 18 school days), fewer than the 20 …" for several (the SLT
 * pack's headline note said the whole sentence once a span, and its two extra lines spilled
 * onto a page of their own). Null for none. `spans`: each span's name and school days.
 */
export function paNotGivenWhy(spans: ReadonlyArray<{ named: string; schoolDays: number }>): string | null {
  if (spans.length === 0) return null;
  const days = (n: number) => `${n} school day${n === 1 ? "" : "s"}`;
  const rule = `fewer than the ${PA_MIN_SCHOOL_DAYS} over which they are measured (a pupil missing one session of a short span would count as persistently absent).`;
  if (spans.length === 1) return `Persistent and severe absence are not given for ${spans[0].named}: ${days(spans[0].schoolDays)}, ${rule}`;
  // A name that ends in its dates in brackets takes its school days inside them.
  const each = spans.map((s) => (s.named.endsWith(")") ? `${s.named.slice(0, -1)}: ${days(s.schoolDays)})` : `${s.named} (${days(s.schoolDays)})`));
  return `Persistent and severe absence are not given for ${each.slice(0, -1).join(", ")} or ${each.at(-1)}, each ${rule}`;
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

/** The persistent and severe absence figures of a row. */
type PaFigures = { pa_pupils: number; pa_pct: number | null; sa_pupils: number; sa_pct: number | null };

/** A row with its persistent and severe absence null where they are not given (`given` false). */
export function paOrNull<M extends PaFigures>(row: M, given: boolean): Omit<M, keyof PaFigures> & { [K in keyof PaFigures]: PaFigures[K] | null } {
  return given ? row : { ...row, pa_pupils: null, pa_pct: null, sa_pupils: null, sa_pct: null };
}

/**
 * For a breakdown of the query's span by a session dimension, which groups are spans over which
 * persistent and severe absence are given (persistentAbsenceMeasured on the school days of the
 * group's span inside the query's): a month, half term, term or academic year of 20 school days
 * or more there. A date or a week never is (fewer than 20 school days), nor a weekday or a
 * session, which are not spans at all (every Monday of a term is no period a pupil is
 * persistently absent over). `groups`: the breakdown's keys ("2026-09", "autumn-1-2026",
 * "autumn-2026", "2026/27"). Throws what the measures throw.
 */
export async function groupsWithPa(connection: Connection, query: MeasureQuery, by: SessionDimension, groups: readonly string[]): Promise<Set<string>> {
  const given = new Set<string>();
  if (by === "weekday" || by === "session" || by === "date" || by === "week") return given;
  const days = await schoolDaysOf(connection, { from: query.from, to: query.to });
  const halves = by === "half_term" ? await halfTermsOf(connection) : [];
  for (const group of groups) {
    const bounds =
      by === "month"
        ? { from: `${group}-01`, to: format(endOfMonth(parseISO(`${group}-01`)), "yyyy-MM-dd") }
        : by === "term"
          ? await termBounds(connection, group)
          : by === "academic_year"
            ? academicYearBounds(group)
            : halves.find((h) => h.key === group);
    if (bounds && persistentAbsenceMeasured(daysWithin(days, bounds.from, bounds.to))) given.add(group);
  }
  return given;
}

/**
 * A row's Withheld with persistent and severe absence "not given" (PA_NOT_GIVEN_TEXT) over a
 * span where they are not (`given` false): a page printing Withheld's words in place of the
 * figures (Year groups & classes, Groups) then prints these, and applyWithheld takes the
 * figures out, so they never leave the server. Unchanged where given, or where the whole row
 * or the count is withheld already.
 */
export function paNotGivenIn<W extends { row: string | null; pa: string | null; sa: string | null }>(withheld: W, given: boolean): W {
  return given || withheld.row ? withheld : { ...withheld, pa: withheld.pa ?? PA_NOT_GIVEN_TEXT, sa: withheld.sa ?? PA_NOT_GIVEN_TEXT };
}
