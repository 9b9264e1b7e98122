/**
 * Earlier warning than the 10 % line (README, "Interventions, the ladder, early warning and the forecast"; issue 12, "Earlier warning"):
 * - DfE-style 5 % absence bands over the year to date (0–5, 5–10, …, 45–50, 50+), for pupils
 *   with at least 20 possible sessions; a band holds absence ≥ its lower edge and < its upper
 *   edge, as the rules table compares (persistent absence is "≥ 10 %"), computed in whole
 *   sessions so a pupil at exactly 10 % is in 10–15;
 * - spells of absence: runs of consecutive days absent (a day absent = both sessions are
 *   absence), consecutive by the school calendar — weekends, holidays and closures between
 *   two school days do not break a run; a school day not absent both sessions, or with no
 *   mark, does;
 * - pupils trending down: attendance over the latest 4 school weeks (Monday-to-Sunday weeks
 *   with a school day, up to the as-of date) at least 5 points below their own year to date.
 *   Who is listed is judged on the exact difference, in whole sessions; the change shown is
 *   the difference of the two rates as printed (docs/DEFINITIONS.md, "A difference printed
 *   beside its two figures"), and a listed pupil's never reads above −5.0 (TRENDING_CHANGE_WORDS).
 */
import type { Connection, Row } from "./db.ts";
import { cachedRows } from "./db.ts";
import { pupilMeasures } from "./measures.ts";
import { printedDifference } from "./printed-difference.ts";
import { academicYearBounds, academicYearOf } from "./period-names.ts";
import { ON_ROLL_CTE, PUPIL_DAYS_CTE, SCHOOL_CALENDAR_CTES, TRENDING_WEEKS, yearAndRecentSessions } from "./register-windows.ts";

import { BAND_MIN_POSSIBLE_SESSIONS } from "./population-words.ts";
export { BAND_MIN_POSSIBLE_SESSIONS };
export { bandPopulationWords } from "./population-words.ts";
export const BAND_WIDTH_PCT = 5;
export { TRENDING_WEEKS };
export const TRENDING_POINTS = 5;

/**
 * How the list's change is worked out, in the users' words, for the page and the SLT pack
 * (trial 24 read 83.6% → 71.1% = −12.5 against 27/38 − 102/122 = −12.55… as a rounding
 * fault). Why it never reads above −5.0 for a listed pupil: the exact difference is at most −5
 * and each printed rate is within 0.05 of its own, the two roundings together under 0.1, so the
 * printed difference is under −4.9, and being a whole tenth, at most −5.0.
 */
export const TRENDING_CHANGE_WORDS =
  "Change: the latest 4 school weeks less the year to date, in points, worked out from the two rates as printed (83.6% and 71.1% give −12.5), so it can be checked with a calculator, as every difference printed beside its two figures is. Who is listed is decided on the exact sessions: at least 5 points below.";

export interface AbsenceBand {
  /** "0–5%", …, "50%+". */
  label: string;
  /** Lower edge (inclusive) and upper edge (exclusive), percent; upper null for the last band. */
  from_pct: number;
  to_pct: number | null;
  pupils: number;
}

export interface BandedPupil {
  upn: string;
  forename: string;
  surname: string;
  year_group: string;
  reg_group: string;
  possible_sessions: number;
  absence_sessions: number;
  absence_pct: number;
  band: string;
}

/** Band index 0…10 of a pupil's absence, in whole sessions: floor(20 × absent / possible), at most 10. */
export function bandIndex(absent: number, possible: number): number {
  return Math.min(10, Math.floor((100 * absent) / (BAND_WIDTH_PCT * possible)));
}

export function bandLabel(index: number): string {
  return index >= 10 ? "50%+" : `${index * BAND_WIDTH_PCT}–${(index + 1) * BAND_WIDTH_PCT}%`;
}

/**
 * Year-to-date absence bands at `asOf` for pupils on roll in the year with at least 20
 * possible sessions: the count in every band (empty ones included) and each pupil's band,
 * highest absence first.
 */
export async function absenceBands(connection: Connection, asOf: string): Promise<{ bands: AbsenceBand[]; pupils: BandedPupil[] }> {
  const from = academicYearBounds(academicYearOf(asOf)).from;
  const measured = (await pupilMeasures(connection, { from, to: asOf })).filter((p) => p.possible_sessions >= BAND_MIN_POSSIBLE_SESSIONS);
  const bands: AbsenceBand[] = Array.from({ length: 11 }, (_, i) => ({
    label: bandLabel(i),
    from_pct: i * BAND_WIDTH_PCT,
    to_pct: i >= 10 ? null : (i + 1) * BAND_WIDTH_PCT,
    pupils: 0,
  }));
  const pupils = measured.map((p) => {
    const absent = p.authorised_sessions + p.unauthorised_sessions;
    const index = bandIndex(absent, p.possible_sessions);
    bands[index].pupils += 1;
    return {
      upn: p.upn,
      forename: p.forename,
      surname: p.surname,
      year_group: p.year_group,
      reg_group: p.reg_group,
      possible_sessions: p.possible_sessions,
      absence_sessions: absent,
      absence_pct: (100 * absent) / p.possible_sessions,
      band: bandLabel(index),
    };
  });
  pupils.sort((a, b) => b.absence_pct - a.absence_pct || a.surname.localeCompare(b.surname));
  return { bands, pupils };
}

export interface PupilSpells {
  upn: string;
  forename: string;
  surname: string;
  year_group: string;
  reg_group: string;
  /** Separate runs of consecutive days absent. */
  spells: number;
  days_absent: number;
  longest_spell_days: number;
}

export interface TrendingPupil {
  upn: string;
  forename: string;
  surname: string;
  year_group: string;
  reg_group: string;
  ytd_pct: number;
  recent_pct: number;
  /**
   * recent − year to date, percentage points (negative: falling), of the two rates as printed
   * (analytics/printed-difference.ts); who is listed is decided on the exact sessions.
   */
  change_points: number;
  /** First school day of the recent window. */
  recent_from: string;
}

/**
 * Spells of absence this academic year to `asOf`, for pupils on roll then with at least one day
 * absent; most spells first, then most days absent, then by surname, forename and UPN.
 */
export async function absenceSpells(connection: Connection, asOf: string): Promise<PupilSpells[]> {
  const from = academicYearBounds(academicYearOf(asOf)).from;
  const rows = await cachedRows<Row>(
    connection,
    `WITH ${SCHOOL_CALENDAR_CTES}, ${PUPIL_DAYS_CTE}, ${ON_ROLL_CTE},
     -- Days absent both sessions: a day's two absences in the store's day aggregate.
     absent_days AS (
       SELECT m.pupil_id, m.date FROM pupil_days m WHERE m.authorised + m.unauthorised = 2),
     -- A run is the pupil's days absent on consecutive school days: d less the day's place in
     -- the pupil's days in order is the same along a run and grows at each gap. The places
     -- come from one sort of every absent day by (pupil id, d): each pupil's days are together
     -- in it, so a place differs from the one within the pupil by a constant per pupil, and the
     -- runs (grouped by pupil) are the same. The UPN is looked up once per pupil after. At 4,500
     -- pupils (35,850 absent days) a window partitioned by UPN text was most of the query
     -- (DuckDB's CPU time for it 97 -> 33 ms with this one, medians of 7, load 7-11; partitioned
     -- by pupil id instead, 77 ms of process CPU against this one's 56).
     indexed AS (
       SELECT a.pupil_id, i.d - row_number() OVER (ORDER BY a.pupil_id, i.d) AS run
       FROM absent_days a JOIN school_day_index i USING (date)),
     runs AS (SELECT pupil_id, run, count(*) AS days FROM indexed GROUP BY pupil_id, run),
     per_pupil AS (
       SELECT k.upn, x.spells, x.days_absent, x.longest_spell_days
       FROM (SELECT pupil_id, count(*)::INTEGER AS spells, sum(days)::INTEGER AS days_absent, max(days)::INTEGER AS longest_spell_days
             FROM runs GROUP BY pupil_id) x
       JOIN pupil_ids k USING (pupil_id))
     SELECT r.upn, r.forename, r.surname, r.year_group, r.reg_group, x.spells, x.days_absent, x.longest_spell_days
     FROM per_pupil x JOIN roll r USING (upn)
     -- The UPN last, so two pupils of one name come in one order every time.
     ORDER BY spells DESC, days_absent DESC, r.surname, r.forename, r.upn`,
    { as_of: asOf, pd_from: from, pd_to: asOf },
  );
  return rows as unknown as PupilSpells[];
}

/**
 * Pupils on roll at `asOf` whose latest 4 school weeks are at least 5 points below their own
 * year to date — judged on the exact difference, in whole sessions (never the printed rates) —
 * steepest first by the change as printed (change_points: the printed rates' difference,
 * always −5.0 or lower for a listed pupil), then by name.
 */
export async function trendingDown(connection: Connection, asOf: string): Promise<TrendingPupil[]> {
  // The year's pupils with their sessions, read once for pupils trending down and the forecast.
  const rows = (await yearAndRecentSessions(connection, asOf))
    // ytd − recent ≥ 5 points, in whole sessions: 100 (y_att r_pos − r_att y_pos) ≥ 5 y_pos r_pos
    // (session counts: the products are exact in doubles).
    .filter((x) => x.on_roll && x.y_pos > 0 && x.r4_pos > 0 && 100 * (x.y_att * x.r4_pos - x.r4_att * x.y_pos) >= TRENDING_POINTS * x.y_pos * x.r4_pos)
    .map((x) => ({
      upn: x.upn,
      forename: x.forename as string,
      surname: x.surname as string,
      year_group: x.year_group as string,
      reg_group: x.reg_group as string,
      ytd_pct: (100 * x.y_att) / x.y_pos,
      recent_pct: (100 * x.r4_att) / x.r4_pos,
      recent_from: x.trending_from as string,
    }))
    // Read in name order; the unrounded change first, as the list was read before it was
    // ordered on the change as printed (orderTrending's sort keeps this order within its ties).
    .sort((a, b) => a.recent_pct - a.ytd_pct - (b.recent_pct - b.ytd_pct));
  // Sorted on the change as printed (rounded once, from the two printed rates), so the list's
  // order is the order a reader sees: sorted on the unrounded change, −12.0 (Hamer) came before
  // −11.9 (Lane) before −12.0 (Lloyd) (trial 16a). Ties by name.
  return orderTrending(rows);
}

/**
 * Trending pupils with their change as printed (printedDifference of the two printed rates:
 * rounded once) and in that change's order, steepest first, then by surname and forename.
 * `change_points` given is ignored (recomputed). Pure.
 */
export function orderTrending<T extends Pick<TrendingPupil, "recent_pct" | "ytd_pct" | "surname" | "forename">>(rows: T[]): Array<T & { change_points: number }> {
  return rows
    .map((row) => ({ ...row, change_points: printedDifference(row.recent_pct, row.ytd_pct) as number }))
    .sort((a, b) => a.change_points - b.change_points || a.surname.localeCompare(b.surname) || a.forename.localeCompare(b.forename));
}
