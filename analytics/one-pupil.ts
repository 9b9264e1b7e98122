/**
 * The measures of one pupil (a query whose only filter is a UPN) from that pupil's own rows,
 * read once and summed here, instead of one grouped query per figure (analytics/measures.ts
 * summarise, summariseBy and sessionsByCode answer such a query from here).
 *
 * Why: a pupil's page made afresh asked the same pupil's days five times over — the period's
 * measures, its months (weeks), the academic years since admission, the leave-of-absence
 * check's year to date, and the codes — each a grouped query of its own over a few hundred
 * rows. On the demo school each cost 5–20 ms of CPU, nearly all of it DuckDB's fixed cost of a
 * statement (binding and planning several CTEs, a hash table per GROUP BY), not the rows read
 * (issue 11, item 4: a pupil's page must be cheap made cold; item 5: nothing computed twice).
 * Here the pupil's every day row is one cached read bound to the pupil, shared by every figure
 * of the page (and by any page asking the same pupil before the next commit); the identity,
 * characteristic spells and marks are the same cached reads as the pupil's record
 * (analytics/pupil.ts pupilRecord), so a page that has the record asks nothing more for them.
 *
 * The figures are the aggregate queries' to the session (test/one-pupil-measures.test.ts
 * compares every pupil of the demo school with the mark-level definition): the pupil is in
 * scope as `scopedMarksSql` puts them there (on roll in the span, with a characteristic spell
 * in force at its end or on their last day; each spell in force counts their units once, as
 * the join with `scope` does), a group is any with a day row of theirs in it, and a pupil is
 * counted, persistently and severely absent by the same rules (GROUP_TOTALS).
 */
import type { Connection, Row } from "./db.ts";
import type { Counts } from "./measures.ts";
import { cachedOne, cachedRowsToRead } from "./db.ts";
import { REGIME_2024_FROM } from "./codes.ts";
import { academicYearOf } from "./period-names.ts";
import { persistentlyAbsent, severelyAbsent } from "./judged-span.ts";
import { format, parseISO, startOfISOWeek } from "date-fns";

/** A pupil's identity (pupilRecord's read; this SQL is the cache's key, so both share one run). */
export const PUPIL_IDENTITY_SQL = `SELECT upn, forename, surname, strftime(dob, '%Y-%m-%d') AS dob, sex, ethnicity,
            strftime(admission_date, '%Y-%m-%d') AS admission_date, strftime(leaving_date, '%Y-%m-%d') AS leaving_date
     FROM pupils WHERE upn = $upn`;

/** A pupil's characteristic spells in order (pupilRecord's read, shared as PUPIL_IDENTITY_SQL). */
export const PUPIL_SPELLS_SQL = `SELECT strftime(valid_from, '%Y-%m-%d') AS valid_from, strftime(valid_to, '%Y-%m-%d') AS valid_to,
            year_group, reg_group, sen, fsm, eal, lac
     FROM pupil_characteristics WHERE upn = $upn ORDER BY valid_from`;

/**
 * A pupil's marks over $from–$to with their category and meaning under the regulations of
 * their dates (pupilRecord's read, shared as PUPIL_IDENTITY_SQL; params PUPIL_MARKS_PARAMS).
 */
export const PUPIL_MARKS_SQL = `SELECT strftime(m.date, '%Y-%m-%d') AS date, CASE WHEN m.pm THEN 'PM' ELSE 'AM' END AS session, m.code::VARCHAR AS code,
            cc.category, cc.meaning, m.minutes_late
     FROM mark_store m
     JOIN code_catalogue cc ON cc.code = m.code
      AND cc.regime = CASE WHEN m.date >= $regime_from::DATE THEN '2024' ELSE '2006' END
     WHERE m.pupil_id = (SELECT pupil_id FROM pupil_ids WHERE upn = $upn) AND m.date BETWEEN $from::DATE AND $to::DATE
     ORDER BY m.date, m.pm`;

/** PUPIL_MARKS_SQL's parameters, in one order (part of the cache's key). */
export const pupilMarksParams = (upn: string, span: { from: string; to: string }) => ({ upn, from: span.from, to: span.to, regime_from: REGIME_2024_FROM });

/**
 * Every day row of the pupil's (mark_days: sessions of each category that day), however long
 * their time on roll: a few hundred rows a year. No ORDER BY and no GROUP BY: the sums are made
 * here, in any order.
 */
const PUPIL_DAYS_SQL = `SELECT strftime(d.date, '%Y-%m-%d') AS date, d.possible, d.present, d.aea, d.authorised, d.unauthorised, d.marks
     FROM mark_days d WHERE d.pupil_id = (SELECT pupil_id FROM pupil_ids WHERE upn = $upn)`;

/** One day row of a pupil's (mark_days): ISO date, sessions of each category and sessions marked (0, 1 or 2). */
export type OnePupilDay = Row & { date: string; possible: number; present: number; aea: number; authorised: number; unauthorised: number; marks: number };

/**
 * Every day row of the pupil's (mark_days), in no order (one cached read, PUPIL_DAYS_SQL, shared
 * by every figure of the pupil's: the measures here, the ladder's year to date and penalty
 * window, analytics/interventions/ladder-one-pupil.ts, the days covered and unmarked,
 * analytics/one-pupil-coverage.ts). Kept rows: never to be changed.
 */
export function onePupilDays(connection: Connection, upn: string): Promise<readonly OnePupilDay[]> {
  return cachedRowsToRead<OnePupilDay>(connection, PUPIL_DAYS_SQL, { upn });
}

/** The pupil's admission and leaving dates (ISO; the record's identity read), or undefined for no such pupil. */
export async function onePupilRoll(connection: Connection, upn: string): Promise<{ admission_date: string; leaving_date: string | null } | undefined> {
  return cachedOne<Row & { admission_date: string; leaving_date: string | null }>(connection, PUPIL_IDENTITY_SQL, { upn });
}

/** The academic year of each school day (the calendar's own words), one cached read for every pupil (and its days: one-pupil-coverage.ts). */
export const SCHOOL_YEARS_SQL = `SELECT strftime(date, '%Y-%m-%d') AS date, academic_year FROM school_days`;

type SpellRow = Row & { valid_from: string; valid_to: string | null };

/** The counts summed over a pupil's units: analytics/measures.ts Counts, for one pupil. */
export type OnePupilCounts = Counts;

/** The session-level breakdowns answered here: each date's group as summariseBy names it. */
export type OnePupilGrain = "month" | "week" | "academic_year";

/**
 * How many times the pupil's units count over `span` (ISO dates): 0 when the pupil is not in
 * scope (not on roll in the span, no such pupil, or no characteristic spell in force at the
 * span's end or on their last day), else the number of spells in force then (scopedMarksSql
 * joins each unit to each; one, but for overlapping spells).
 */
async function inScope(connection: Connection, upn: string, span: { from: string; to: string }): Promise<number> {
  const identity = await onePupilRoll(connection, upn);
  if (!identity) return 0;
  const leaving = identity.leaving_date;
  if (identity.admission_date > span.to || (leaving !== null && leaving < span.from)) return 0;
  const at = leaving !== null && leaving < span.to ? leaving : span.to;
  const spells = await cachedRowsToRead<SpellRow>(connection, PUPIL_SPELLS_SQL, { upn });
  return spells.filter((s) => s.valid_from <= at && (s.valid_to === null || s.valid_to >= at)).length;
}

/** The ISO date of the Monday of a date's week (DuckDB's date_trunc('week', …)). */
export function mondayOf(date: string): string {
  return format(startOfISOWeek(parseISO(date)), "yyyy-MM-dd");
}

/** A pupil's counts from their summed sessions: counted with a possible session, PA at 10 %, SA at 50 % (GROUP_TOTALS). */
function countsOf(sums: { possible: number; present: number; aea: number; authorised: number; unauthorised: number }): OnePupilCounts {
  const counted = sums.possible > 0;
  const absent = sums.authorised + sums.unauthorised;
  return {
    pupils: counted ? 1 : 0,
    possible_sessions: sums.possible,
    present_sessions: sums.present,
    aea_sessions: sums.aea,
    authorised_sessions: sums.authorised,
    unauthorised_sessions: sums.unauthorised,
    pa_pupils: persistentlyAbsent(sums.possible, absent) ? 1 : 0,
    sa_pupils: severelyAbsent(sums.possible, absent) ? 1 : 0,
  };
}

/**
 * One pupil's counts over `span` (ISO dates), whole (`by` undefined: one entry, group "") or by
 * month ("2026-09"), week (its Monday) or academic year ("2026/27", the calendar's, else by
 * month), in summariseBy's order (months and weeks as written, years by their first date); a
 * group is there when the pupil has a day row in it. Nothing when the pupil is not in scope.
 */
export async function onePupilCounts(
  connection: Connection,
  upn: string,
  span: { from: string; to: string },
  by?: OnePupilGrain,
): Promise<Array<{ group: string; counts: OnePupilCounts }>> {
  // The day rows asked with the pupil's time on roll, not after it: a pupil's page made afresh
  // waited for the two one after another behind other readers' work (issue 11, item 4). A
  // pupil not in scope reads their day rows for nothing (a cached read of one pupil's rows).
  const [times, days, years] = await Promise.all([
    inScope(connection, upn, span),
    onePupilDays(connection, upn),
    by === "academic_year" ? cachedRowsToRead<Row & { date: string; academic_year: string }>(connection, SCHOOL_YEARS_SQL) : Promise.resolve([]),
  ]);
  if (times === 0) return by ? [] : [{ group: "", counts: countsOf({ possible: 0, present: 0, aea: 0, authorised: 0, unauthorised: 0 }) }];
  const yearOf = new Map(years.map((r) => [r.date, r.academic_year]));
  const groupOf = (date: string): string =>
    by === "month" ? date.slice(0, 7) : by === "week" ? mondayOf(date) : by === "academic_year" ? (yearOf.get(date) ?? academicYearOf(date)) : "";
  const sums = new Map<string, { first: string; possible: number; present: number; aea: number; authorised: number; unauthorised: number }>();
  for (const d of days) {
    if (d.date < span.from || d.date > span.to) continue;
    const group = groupOf(d.date);
    let s = sums.get(group);
    if (!s) sums.set(group, (s = { first: d.date, possible: 0, present: 0, aea: 0, authorised: 0, unauthorised: 0 }));
    if (d.date < s.first) s.first = d.date;
    s.possible += times * Number(d.possible);
    s.present += times * Number(d.present);
    s.aea += times * Number(d.aea);
    s.authorised += times * Number(d.authorised);
    s.unauthorised += times * Number(d.unauthorised);
  }
  if (!by) return [{ group: "", counts: countsOf(sums.get("") ?? { possible: 0, present: 0, aea: 0, authorised: 0, unauthorised: 0 }) }];
  const order = by === "academic_year" ? (a: [string, { first: string }], b: [string, { first: string }]) => cmp(a[1].first, b[1].first) : (a: [string, unknown], b: [string, unknown]) => cmp(a[0], b[0]);
  return [...sums].sort(order).map(([group, s]) => ({ group, counts: countsOf(s) }));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One pupil's sessions by code over `span` (ISO dates), most used first, then by code
 * (sessionsByCode's order), from the pupil's marks (PUPIL_MARKS_SQL). Null where a code's
 * marks read under two regulations with different categories or meanings (a span across
 * 19 August 2024): sessionsByCode answers, with the 2024 regulations' words.
 */
export async function onePupilCodes(
  connection: Connection,
  upn: string,
  span: { from: string; to: string },
): Promise<Array<{ code: string; category: string; meaning: string; sessions: number }> | null> {
  const times = await inScope(connection, upn, span);
  if (times === 0) return [];
  const marks = await cachedRowsToRead<Row & { code: string; category: string; meaning: string }>(connection, PUPIL_MARKS_SQL, pupilMarksParams(upn, span));
  const codes = new Map<string, { code: string; category: string; meaning: string; sessions: number }>();
  for (const m of marks) {
    const seen = codes.get(m.code);
    if (!seen) codes.set(m.code, { code: m.code, category: m.category, meaning: m.meaning, sessions: times });
    else if (seen.category !== m.category || seen.meaning !== m.meaning) return null;
    else seen.sessions += times;
  }
  return [...codes.values()].sort((a, b) => b.sessions - a.sessions || cmp(a.code, b.code));
}
