/**
 * The year-end forecast (issue 12, "Forecast"): each pupil's projected attendance at the end
 * of the academic year, whether that makes them persistently absent, and the school's
 * projected figure against its target — and the back-test of the method on earlier years.
 *
 * The method, in plain words (printed on the page as FORECAST_METHOD):
 * the sessions still to come this year are the school days left in the calendar, two a day;
 * each pupil is expected to attend them at the average of two rates — their attendance so far
 * this year and their attendance over the latest 6 school weeks (just the year so far when
 * those weeks hold fewer than 20 possible sessions). The projected year-end figure adds those
 * expected sessions to what they have already attended. A pupil is projected to be
 * persistently absent when the projected absence is 10 % or more of projected possible
 * sessions. The school's projection is the sum over pupils (session-weighted).
 * It assumes pupils stay on roll to the end of the year, and needs the year's calendar.
 */
import { persistentAbsenceSpan } from "./pa-span.ts";
import type { Connection } from "./db.ts";
import { cachedRows } from "./db.ts";
import { pupilMeasures } from "./measures.ts";
import { academicYearBounds, academicYearOf } from "./period-names.ts";
export { forecastPopulationWords } from "./population-words.ts";
import { FORECAST_RECENT_WEEKS, yearAndRecentSessions } from "./register-windows.ts";

export { FORECAST_RECENT_WEEKS };
export const FORECAST_RECENT_MIN_SESSIONS = 20;

export const FORECAST_METHOD =
  "The sessions still to come this year are the school days left in the calendar, two a day. Each pupil is expected to attend " +
  "them at the average of two rates: their attendance so far this year, and their attendance over the latest 6 school weeks " +
  "(only the year so far when those weeks hold fewer than 20 possible sessions). Their projected year-end attendance adds those " +
  "expected sessions to the sessions they have already attended. A pupil is projected to be persistently absent when projected " +
  "absence is 10% or more of projected possible sessions. The school's projection adds up every pupil's projected sessions. " +
  "It assumes pupils stay on roll to the end of the year.";

export interface PupilForecast {
  upn: string;
  forename: string;
  surname: string;
  year_group: string;
  reg_group: string;
  possible_sessions: number;
  attended_sessions: number;
  /** Attendance % so far this year, and over the latest 6 school weeks (null without sessions). */
  ytd_pct: number;
  recent_pct: number | null;
  /** The rate (0–100) assumed for the sessions to come. */
  assumed_pct: number;
  remaining_sessions: number;
  projected_pct: number;
  projected_pa: boolean;
  /** Persistently absent in the year so far. */
  pa_now: boolean;
}

export interface SchoolForecast {
  as_of: string;
  year_end: string;
  remaining_school_days: number;
  pupils: PupilForecast[];
  /** Session-weighted, 0–100. */
  projected_pct: number | null;
  ytd_pct: number | null;
  projected_pa_pupils: number;
  pa_pupils_now: number;
  /**
   * Why persistent absence so far is not given (the year to date has fewer than 20 school
   * days: analytics/pa-span.ts, the one rule), or null when it is: then `pa_pupils_now` and
   * each pupil's `pa_now` are not printed (a trial's SLT pack for September gave "21
   * persistently absent so far" over 12 school days beside "not given" on its first page).
   */
  pa_now_not_given: string | null;
  /**
   * Pupils with a possible session this year who are not on roll at `as_of` (they have left):
   * not projected, so the forecast's count of pupils is `pupils.length`, not the year's pupils
   * (the Overview's and the bands' counts include them). `left_pa_pupils` of them were
   * persistently absent over their sessions this year.
   */
  left_pupils: number;
  left_pa_pupils: number;
}


/** Projects every pupil on roll at `asOf` (with a possible session this year) to the end of the academic year. */
export async function forecastYearEnd(connection: Connection, asOf: string): Promise<SchoolForecast> {
  const year = academicYearBounds(academicYearOf(asOf));
  // The year's pupils with their sessions, read once for the forecast and pupils trending down.
  const all = await yearAndRecentSessions(connection, asOf);
  const rows = all.filter((row) => row.on_roll);
  // Pupils of the year who are no longer on roll: counted, so the page can say who is not projected.
  const left = all.filter((row) => !row.on_roll);
  // As the forecast has always given them: nothing without a pupil on roll to project.
  const remainingDays = rows.length > 0 ? rows[0].remaining_days : 0;
  const leftPupils = rows.length > 0 ? left.length : 0;
  const leftPaPupils = rows.length > 0 ? left.filter((row) => 10 * (row.y_pos - row.y_att) >= row.y_pos).length : 0;
  const remaining = 2 * remainingDays;
  let projectedAttended = 0;
  let projectedPossible = 0;
  let attended = 0;
  let possible = 0;
  const pupils = rows.map((row): PupilForecast => {
    const yPos = Number(row.y_pos);
    const yAtt = Number(row.y_att);
    const rPos = Number(row.r6_pos);
    const rAtt = Number(row.r6_att);
    const ytd = yAtt / yPos;
    const recent = rPos > 0 ? rAtt / rPos : null;
    const assumed = recent !== null && rPos >= FORECAST_RECENT_MIN_SESSIONS ? (ytd + recent) / 2 : ytd;
    const pAtt = yAtt + assumed * remaining;
    const pPos = yPos + remaining;
    projectedAttended += pAtt;
    projectedPossible += pPos;
    attended += yAtt;
    possible += yPos;
    return {
      upn: String(row.upn),
      forename: String(row.forename),
      surname: String(row.surname),
      year_group: String(row.year_group),
      reg_group: String(row.reg_group),
      possible_sessions: yPos,
      attended_sessions: yAtt,
      ytd_pct: 100 * ytd,
      recent_pct: recent === null ? null : 100 * recent,
      assumed_pct: 100 * assumed,
      remaining_sessions: remaining,
      projected_pct: (100 * pAtt) / pPos,
      // Absence ≥ 10 % of possible: (pPos − pAtt) × 10 ≥ pPos.
      projected_pa: 10 * (pPos - pAtt) >= pPos - 1e-9,
      pa_now: 10 * (yPos - yAtt) >= yPos,
    };
  });
  return {
    as_of: asOf,
    year_end: year.to,
    remaining_school_days: remainingDays,
    pupils,
    projected_pct: projectedPossible > 0 ? (100 * projectedAttended) / projectedPossible : null,
    ytd_pct: possible > 0 ? (100 * attended) / possible : null,
    projected_pa_pupils: pupils.filter((p) => p.projected_pa).length,
    pa_pupils_now: pupils.filter((p) => p.pa_now).length,
    pa_now_not_given: (await persistentAbsenceSpan(connection, { from: year.from, to: asOf }, "the year to date")).why,
    left_pupils: leftPupils,
    left_pa_pupils: leftPaPupils,
  };
}

export interface BacktestRow {
  academic_year: string;
  /** The half term that ended at the boundary, e.g. "autumn-1". */
  half_term: string;
  as_of: string;
  pupils: number;
  actual_pa: number;
  projected_pa: number;
  true_positives: number;
  /** Percent 0–100; null when nothing was projected (precision) or nobody was PA (recall). */
  precision_pct: number | null;
  recall_pct: number | null;
  /** The same for "persistently absent so far", the figure a school has without a forecast. */
  pa_now: number;
  pa_now_precision_pct: number | null;
  pa_now_recall_pct: number | null;
}

/**
 * The back-test: at the last school day of each half term of `academicYear` but the last,
 * the forecast's precision and recall for year-end persistent absence, against the pupils'
 * actual year (whole-year measures; pupils who were in the forecast and have a possible
 * session in the year). Needs the year's calendar and marks.
 */
export async function backtestForecast(connection: Connection, academicYear: string): Promise<BacktestRow[]> {
  const year = academicYearBounds(academicYear);
  const boundaries = await cachedRows<{ half_term: string; as_of: string }>(
    connection,
    `SELECT half_term, strftime(max(date), '%Y-%m-%d') AS as_of FROM school_days
     WHERE date BETWEEN $from::DATE AND $to::DATE GROUP BY half_term ORDER BY as_of`,
    { from: year.from, to: year.to },
  );
  const actual = new Map((await pupilMeasures(connection, year)).filter((p) => p.possible_sessions > 0).map((p) => [p.upn, p.is_pa]));
  const result: BacktestRow[] = [];
  for (const boundary of boundaries.slice(0, -1)) {
    const forecast = await forecastYearEnd(connection, boundary.as_of);
    const scored = forecast.pupils.filter((p) => actual.has(p.upn));
    const actualPa = scored.filter((p) => actual.get(p.upn)).length;
    const score = (flag: (p: PupilForecast) => boolean) => {
      const flagged = scored.filter(flag);
      const hits = flagged.filter((p) => actual.get(p.upn)).length;
      return { flagged: flagged.length, hits, precision: flagged.length ? (100 * hits) / flagged.length : null, recall: actualPa ? (100 * hits) / actualPa : null };
    };
    const projected = score((p) => p.projected_pa);
    const now = score((p) => p.pa_now);
    result.push({
      academic_year: academicYear,
      half_term: boundary.half_term.replace(/-\d{4}$/, ""),
      as_of: boundary.as_of,
      pupils: scored.length,
      actual_pa: actualPa,
      projected_pa: projected.flagged,
      true_positives: projected.hits,
      precision_pct: projected.precision,
      recall_pct: projected.recall,
      pa_now: now.flagged,
      pa_now_precision_pct: now.precision,
      pa_now_recall_pct: now.recall,
    });
  }
  return result;
}

/** The back-test as the README's markdown table (one decimal). */
export function backtestMarkdown(rows: BacktestRow[]): string {
  const f = (v: number | null) => (v === null ? "—" : `${v.toFixed(1)}%`);
  return [
    "| Year | At the end of | Pupils | PA at year end | Projected PA | Precision | Recall | PA so far: precision | PA so far: recall |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.academic_year} | ${r.half_term} (${r.as_of}) | ${r.pupils} | ${r.actual_pa} | ${r.projected_pa} | ${f(r.precision_pct)} | ${f(r.recall_pct)} | ${f(r.pa_now_precision_pct)} | ${f(r.pa_now_recall_pct)} |`,
    ),
  ].join("\n");
}
