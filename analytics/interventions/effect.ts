/**
 * Did it work? For each intervention in force, the pupil's attendance in the 4 school weeks
 * before it and the 4 after (issue 12, "Did it work"), and per intervention type across the
 * school: how many, the mean change in points and the share of pupils who improved, with
 * the school's small-group minimum applied.
 *
 * Windows, in school weeks (Monday-to-Sunday weeks with at least one school day):
 * - before: the 4 school weeks before the week of the intervention;
 * - after: the 4 school weeks after the week of the intervention.
 * The intervention's own week is in neither: it holds days both before and after the action.
 * An intervention is *measured* once the last school day of its 4th week after is on or
 * before the as-of date, 4 school weeks before it exist, and the pupil has possible
 * sessions in both windows. Change = after − before, in percentage points; improved when
 * the change is above zero.
 *
 * The windows are the action's own weeks, whatever else was done: an earlier action for the
 * same pupil dated in the before window (or earlier in the action's own week) is named beside
 * it (`earlier`), since the before figure then measures partly the time after that action, not
 * only the time before this one. The case in point: Ludlow's letter from the SLT congratulating
 * an improvement (Appendix A 9) is sent after a monitoring period that improved, which follows
 * the monitoring letter; the letter's 4 weeks before hold the monitoring letter and its period
 * (a letter of Fri 18 Sep 2026 after a monitoring letter of Fri 4 Sep: before = 13 Jul – 11
 * Sep, three of its four school weeks up to and including the monitoring letter's week). The
 * change is still computed, but the page, the packs and the per-type figures say so.
 */
import type { Connection, Row, SqlParams } from "../db.ts";
import { cachedRows } from "../db.ts";
import { PUPIL_DAYS_CTE, SCHOOL_CALENDAR_CTES } from "../register-windows.ts";
import { pupilFilterConditions, type PupilFilter } from "../measures.ts";
import { EFFECTIVE_INTERVENTIONS_CTE, ensureInterventionsTable, recordedLabel } from "./store.ts";
import { onePupilEffectRows } from "./effect-one-pupil.ts";
import { shiftDays } from "./ladder.ts";
import { pageOfRows, type Page, type Paging } from "../list-paging.ts";
import { EFFECT_SORT_COLUMNS, type EffectSort } from "./effect-columns.ts";
export { AFTER_EARLIER_NOTE } from "./effect-columns.ts";
import { printedDifference } from "../printed-difference.ts";
import { INTERVENTION_TYPES, type InterventionType } from "./types.ts";

export const EFFECT_WINDOW_SCHOOL_WEEKS = 4;

export interface InterventionEffect {
  id: number;
  upn: string;
  forename: string;
  surname: string;
  /** Year group and class on the intervention's date. */
  year_group: string;
  reg_group: string;
  type: InterventionType;
  label: string;
  date: string;
  note: string;
  recorded_by: string;
  /** First and last school day of each window; null where the weeks do not exist (yet). */
  before_from: string | null;
  before_to: string | null;
  after_from: string | null;
  after_to: string | null;
  before_possible: number;
  before_attended: number;
  after_possible: number;
  after_attended: number;
  /** Attendance %, 0–100, unrounded; null without possible sessions (or before the after window is complete). */
  before_pct: number | null;
  after_pct: number | null;
  /** after − before, percentage points; null unless measured. */
  change_points: number | null;
  measured: boolean;
  /** Why it is not measured yet, in words, or null. */
  pending: string | null;
  /**
   * The latest other action in force for the same pupil dated from the before window's first
   * day up to this one (earlier that day: a lower id), with how many there are; null when none.
   * The before figure then covers time after that action too (see the module's comment).
   */
  earlier: { label: string; date: string; count: number } | null;
}

const pct = (n: number, d: number) => (d > 0 ? (100 * n) / d : null);

/**
 * Every intervention in force dated from `from` to `to` (inclusive ISO dates), with its
 * before and after attendance as of `asOf` (marks after `asOf` are not counted). Newest first.
 * `filter`: only pupils it chooses (year group, class, SEN, FSM, … as on the pages), by their
 * characteristics on the intervention's date. Throws on an unknown filter key. One grouped
 * query; for one pupil (`upn`, no filter) the same rows from the reads a pupil's page shares
 * (effect-one-pupil.ts).
 */
export async function interventionEffects(
  connection: Connection,
  options: { from: string; to: string; asOf: string; upn?: string; filter?: PupilFilter },
): Promise<InterventionEffect[]> {
  await ensureInterventionsTable(connection);
  const params: SqlParams = {};
  const chosen = pupilFilterConditions(options.filter ?? {}, params);
  // The before window reaches back at most 4 school weeks and a holiday from the first date.
  const daysFrom = options.from < "1900-06-01" ? options.from : shiftDays(options.from, -120);
  // One pupil's (a pupil's page): from the reads the page shares (effect-one-pupil.ts), not a
  // grouped query of its own; the same rows.
  const onePupil = options.upn !== undefined && chosen.length === 0
    ? await onePupilEffectRows(connection, options.upn, { from: options.from, to: options.to, asOf: options.asOf, daysFrom, windowWeeks: EFFECT_WINDOW_SCHOOL_WEEKS })
    : undefined;
  const rows = onePupil ?? await cachedRows<Row>(
    connection,
    `WITH ${SCHOOL_CALENDAR_CTES}, ${PUPIL_DAYS_CTE}, ${EFFECTIVE_INTERVENTIONS_CTE},
     chosen AS (
       SELECT e.*, date_trunc('week', e.date)::DATE AS week,
              (SELECT count(*) FROM school_weeks w WHERE w.week < date_trunc('week', e.date)::DATE) AS k,
              (SELECT count(*) FROM school_weeks w WHERE w.week <= date_trunc('week', e.date)::DATE) AS j
       FROM effective_interventions e
       WHERE e.date BETWEEN $from::DATE AND $to::DATE AND ($upn::VARCHAR IS NULL OR e.upn = $upn::VARCHAR)),
     win AS (
       SELECT c.*, pk.pupil_id, b0.first_day AS before_from, b1.last_day AS before_to, a0.first_day AS after_from, a1.last_day AS after_to
       FROM chosen c
       LEFT JOIN pupil_ids pk ON pk.upn = c.upn
       LEFT JOIN school_weeks b0 ON b0.n = c.k - ${EFFECT_WINDOW_SCHOOL_WEEKS - 1} AND c.k >= ${EFFECT_WINDOW_SCHOOL_WEEKS}
       LEFT JOIN school_weeks b1 ON b1.n = c.k AND c.k >= ${EFFECT_WINDOW_SCHOOL_WEEKS}
       LEFT JOIN school_weeks a0 ON a0.n = c.j + 1
       LEFT JOIN school_weeks a1 ON a1.n = c.j + ${EFFECT_WINDOW_SCHOOL_WEEKS}),
     -- Possible and attended sessions per pupil per day from the store's day aggregate
     -- (pupil_days over mark_days: each code classified by the regime of its date, as the
     -- measures): never the marks themselves. Each day carries its Monday, so a window's days
     -- are found by pupil and week (below), not among all of the pupil's days of the year.
     days AS (
       SELECT d.pupil_id, date_trunc('week', d.date)::DATE AS week, d.date, d.possible, d.attended
       FROM pupil_days d),
     -- Each intervention's before window and after window (to $as_of at most), as dates.
     spans AS (
       SELECT intervention_id, pupil_id, true AS before, before_from AS lo, before_to AS hi FROM win
       UNION ALL
       SELECT intervention_id, pupil_id, false, after_from, least(after_to, $as_of::DATE) FROM win),
     -- Every Monday-to-Sunday week a window touches (holiday weeks too), so that joining the
     -- days on (pupil, week) and then testing the dates finds exactly the days between its
     -- ends. Why: joined on the pupil alone and tested for the dates, each day of the year met
     -- each of the pupil's interventions (at 4,500 pupils, ~870,000 pairs for ~170,000 kept;
     -- the SLT pack's costliest statement: 0.32 s of CPU, 0.18 s this way, median of 7
     -- alternated at one thread, load 5; the same rows).
     span_weeks AS (
       SELECT s.*, unnest(generate_series(date_trunc('week', s.lo), s.hi, INTERVAL 7 DAY))::DATE AS week
       FROM spans s WHERE s.lo IS NOT NULL AND s.hi IS NOT NULL AND s.pupil_id IS NOT NULL),
     span_marks AS (
       SELECT s.intervention_id, s.before, sum(m.possible)::INTEGER AS possible, sum(m.attended)::INTEGER AS attended
       FROM span_weeks s JOIN days m ON m.pupil_id = s.pupil_id AND m.week = s.week AND m.date BETWEEN s.lo AND s.hi
       GROUP BY s.intervention_id, s.before),
     before_marks AS (SELECT intervention_id, possible, attended FROM span_marks WHERE before),
     after_marks AS (SELECT intervention_id, possible, attended FROM span_marks WHERE NOT before),
     -- Other actions for the pupil in the before window or earlier in the action's own week
     -- (every action in force, not only those of the period asked for).
     earlier AS (
       SELECT w.intervention_id, count(*)::INTEGER AS n,
              arg_max(e.type, e.date::VARCHAR || lpad(e.intervention_id::VARCHAR, 10, '0')) AS e_type,
              -- arg_max_null: the latest action's own label, NULL when it was recorded before
              -- labels were (its type's words are then shown); arg_max skips NULL labels and
              -- gave an older action's label beside the latest's date (trial 38).
              arg_max_null(e.label, e.date::VARCHAR || lpad(e.intervention_id::VARCHAR, 10, '0')) AS e_label,
              strftime(max(e.date), '%Y-%m-%d') AS e_date
       FROM win w JOIN effective_interventions e ON e.upn = w.upn AND e.intervention_id <> w.intervention_id
         AND e.date >= coalesce(w.before_from, w.week) AND (e.date < w.date OR (e.date = w.date AND e.intervention_id < w.intervention_id))
       GROUP BY w.intervention_id)
     SELECT w.intervention_id AS id, w.upn, p.forename, p.surname,
            coalesce(ch.year_group, '') AS year_group, coalesce(ch.reg_group, '') AS reg_group,
            w.type, w.label, strftime(w.date, '%Y-%m-%d') AS date, w.note, w.recorded_by,
            strftime(w.before_from, '%Y-%m-%d') AS before_from, strftime(w.before_to, '%Y-%m-%d') AS before_to,
            strftime(w.after_from, '%Y-%m-%d') AS after_from, strftime(w.after_to, '%Y-%m-%d') AS after_to,
            coalesce(b.possible, 0) AS before_possible, coalesce(b.attended, 0) AS before_attended,
            coalesce(a.possible, 0) AS after_possible, coalesce(a.attended, 0) AS after_attended,
            (w.after_to IS NOT NULL AND w.after_to <= $as_of::DATE) AS after_complete,
            (w.before_from IS NOT NULL) AS before_exists,
            er.n AS earlier_n, er.e_type AS earlier_type, er.e_label AS earlier_label, er.e_date AS earlier_date
     FROM win w
     JOIN pupils p ON p.upn = w.upn
     -- The characteristics in force on the intervention's date, matched by UPN first and then
     -- tested: as one LEFT JOIN with the date test in its condition DuckDB compared every
     -- intervention with every row (a nested-loop join: 0.19 s at 4,500 pupils).
     LEFT JOIN (
       SELECT w.intervention_id, c.*
       FROM win w JOIN pupil_characteristics c ON c.upn = w.upn
       WHERE c.valid_from <= w.date AND (c.valid_to IS NULL OR c.valid_to >= w.date)) ch ON ch.intervention_id = w.intervention_id
     LEFT JOIN before_marks b ON b.intervention_id = w.intervention_id
     LEFT JOIN after_marks a ON a.intervention_id = w.intervention_id
     LEFT JOIN earlier er ON er.intervention_id = w.intervention_id
     ${chosen.map((c, i) => `${i === 0 ? "WHERE" : "AND"} ${c}`).join("\n     ")}
     ORDER BY w.date DESC, w.intervention_id DESC`,
    {
      ...params,
      from: options.from,
      to: options.to,
      as_of: options.asOf,
      upn: options.upn ?? null,
      pd_from: daysFrom,
      pd_to: options.asOf,
    },
  );
  return rows.map((row) => {
    const type = String(row.type) as InterventionType;
    const beforePossible = Number(row.before_possible);
    const afterPossible = Number(row.after_possible);
    const afterComplete = Boolean(row.after_complete);
    const beforeExists = Boolean(row.before_exists);
    const beforePct = pct(Number(row.before_attended), beforePossible);
    const afterPct = afterComplete ? pct(Number(row.after_attended), afterPossible) : null;
    const measured = beforeExists && afterComplete && beforePct !== null && afterPct !== null;
    let pending: string | null = null;
    if (!beforeExists) pending = `fewer than ${EFFECT_WINDOW_SCHOOL_WEEKS} school weeks of register before it`;
    else if (!afterComplete) pending = `${EFFECT_WINDOW_SCHOOL_WEEKS} school weeks have not yet passed`;
    else if (beforePct === null || afterPct === null) pending = "no possible sessions in one of the windows";
    return {
      id: Number(row.id),
      upn: String(row.upn),
      forename: String(row.forename),
      surname: String(row.surname),
      year_group: String(row.year_group),
      reg_group: String(row.reg_group),
      type,
      label: recordedLabel(type, row.label),
      date: String(row.date),
      note: String(row.note),
      recorded_by: String(row.recorded_by),
      before_from: row.before_from === null ? null : String(row.before_from),
      before_to: row.before_to === null ? null : String(row.before_to),
      after_from: row.after_from === null ? null : String(row.after_from),
      after_to: row.after_to === null ? null : String(row.after_to),
      before_possible: beforePossible,
      before_attended: Number(row.before_attended),
      after_possible: afterComplete ? afterPossible : 0,
      after_attended: afterComplete ? Number(row.after_attended) : 0,
      before_pct: beforePct,
      after_pct: afterPct,
      // The printed rates' difference (analytics/printed-difference.ts): before and after print beside it.
      change_points: measured ? printedDifference(afterPct, beforePct) : null,
      measured,
      pending,
      earlier:
        row.earlier_n === null || row.earlier_n === undefined
          ? null
          : { label: recordedLabel(String(row.earlier_type) as InterventionType, row.earlier_label), date: String(row.earlier_date), count: Number(row.earlier_n) },
    };
  });
}

/**
 * Words for an action's earlier action in its before window, as every place that shows the
 * windows says them: "the 4 weeks before include Letter: attendance below 90% (4 Sep 2026)", or
 * "earlier in its own week: …" when it is dated after the before window (`beforeTo`, ISO)
 * ("… and 1 other action" when more). `formatDate` prints an ISO date as the place does.
 */
/**
 * The dates each window of an intervention's effect covers, in words, for a figure's hover:
 * "Before: 21 Sep 2026 – 16 Oct 2026; after: 2 Nov 2026 – 27 Nov 2026" ("not yet" for a
 * window that does not exist yet). `formatDate` prints an ISO date as the place does.
 */
export function effectWindowWords(
  effect: Pick<InterventionEffect, "before_from" | "before_to" | "after_from" | "after_to">,
  formatDate: (iso: string) => string,
): string {
  const span = (from: string | null, to: string | null) => (from && to ? `${formatDate(from)} – ${formatDate(to)}` : "not yet");
  return `Before: ${span(effect.before_from, effect.before_to)}; after: ${span(effect.after_from, effect.after_to)}`;
}

export function earlierActionWords(earlier: NonNullable<InterventionEffect["earlier"]>, formatDate: (iso: string) => string, beforeTo: string | null = null): string {
  const others = earlier.count - 1;
  const named = `${earlier.label} (${formatDate(earlier.date)})${others > 0 ? ` and ${others} other action${others === 1 ? "" : "s"}` : ""}`;
  // An action earlier in the intervention's own week is in neither window: said as such (a
  // trial read "the 4 weeks before include Conversation (2 Dec 2026)" beside a meeting that day).
  const inOwnWeek = beforeTo !== null && earlier.date > beforeTo;
  if (!inOwnWeek) return `the ${EFFECT_WINDOW_SCHOOL_WEEKS} weeks before include ${named}: not this action's change alone`;
  return others > 0
    ? `the ${EFFECT_WINDOW_SCHOOL_WEEKS} weeks before and its own week include ${named}: not this action's change alone`
    : `earlier in its own week: ${named}: not this action's change alone`;
}

export interface TypeEffect {
  type: InterventionType;
  label: string;
  /** Interventions of this type in force in the period. */
  recorded: number;
  /** Of those, how many have both windows measured. */
  measured: number;
  /** Mean change in percentage points over the measured ones; null when none, or when withheld. */
  mean_change_points: number | null;
  /** Share (0–100) of the measured ones whose attendance rose; null when none, or withheld. */
  improved_pct: number | null;
  /** How many improved; null when withheld. */
  improved: number | null;
  /** True when fewer than the school's small-group minimum were measured: too few to judge. */
  too_few: boolean;
  /**
   * Of the measured, how many had another action for the pupil in their 4 weeks before
   * (InterventionEffect.earlier): their change is not this type's alone. A count of
   * interventions, withheld (null) with the rest when too few.
   */
  after_earlier: number | null;
}

/**
 * Per intervention type (in the closed list's order, types with none left out): counts,
 * mean change and share improved. Below `smallGroupMin` measured interventions the mean
 * and share are withheld (`too_few`), the school's small-n rule (settings.small_group_min).
 */
export function effectByType(effects: InterventionEffect[], smallGroupMin: number): TypeEffect[] {
  const result: TypeEffect[] = [];
  for (const { type, label, recorded } of recordedByType(effects)) {
    const ofType = effects.filter((e) => e.type === type);
    const measured = ofType.filter((e) => e.measured);
    const improved = measured.filter((e) => (e.change_points as number) > 0).length;
    const tooFew = measured.length < smallGroupMin;
    const mean = measured.length > 0 ? measured.reduce((sum, e) => sum + (e.change_points as number), 0) / measured.length : null;
    result.push({
      type,
      label,
      recorded,
      measured: measured.length,
      mean_change_points: tooFew ? null : mean,
      improved_pct: tooFew || measured.length === 0 ? null : (100 * improved) / measured.length,
      improved: tooFew ? null : improved,
      too_few: tooFew,
      after_earlier: tooFew ? null : measured.filter((e) => e.earlier !== null).length,
    });
  }
  return result;
}

/**
 * Per intervention type (in the closed list's order, types with none left out): how many of
 * `entries` are of it, and every wording they were recorded under, newest first, joined by " / "
 * (a threshold changed in the year: both). Of interventionEffects' rows, or of
 * interventionsRecorded's (the same entries in the same order). Pure.
 */
export function recordedByType(entries: ReadonlyArray<Pick<InterventionEffect, "type" | "label">>): Array<Pick<TypeEffect, "type" | "label" | "recorded">> {
  return INTERVENTION_TYPES.flatMap((type) => {
    const ofType = entries.filter((e) => e.type === type);
    return ofType.length === 0 ? [] : [{ type, label: [...new Set(ofType.map((e) => e.label))].join(" / "), recorded: ofType.length }];
  });
}

/**
 * interventionEffects' entries with no filter — every intervention in force dated from `from`
 * to `to` (inclusive ISO dates) of a pupil on the register, newest first — without their
 * windows' attendance: each one's type, words (recordedLabel) and date (ISO). For a count of
 * those recorded (the governors' pack: analytics/packs/interventions.ts fgbInterventionCounts),
 * which needs no marks: at 4,500 pupils interventionEffects read the year's days for the
 * windows, 0.4–0.55 s of the FGB pack after a week's import, to be counted by type and date.
 */
export async function interventionsRecorded(connection: Connection, options: { from: string; to: string }): Promise<Array<Pick<InterventionEffect, "type" | "label" | "date">>> {
  await ensureInterventionsTable(connection);
  const rows = await cachedRows<Row & { type: string; label: unknown; date: string }>(
    connection,
    `WITH ${EFFECTIVE_INTERVENTIONS_CTE}
     SELECT e.type, e.label, strftime(e.date, '%Y-%m-%d') AS date
     FROM effective_interventions e JOIN pupils p ON p.upn = e.upn
     WHERE e.date BETWEEN $from::DATE AND $to::DATE
     ORDER BY e.date DESC, e.intervention_id DESC`,
    { from: options.from, to: options.to },
  );
  return rows.map((row) => {
    const type = String(row.type) as InterventionType;
    return { type, label: recordedLabel(type, row.label), date: String(row.date) };
  });
}

/** Each sort column's key: compared element by element; null sorts last in either direction. */
const SORT_KEYS: Readonly<Record<EffectSort, (e: InterventionEffect) => ReadonlyArray<string | number | null>>> = {
  date: (e) => [e.date, e.id],
  name: (e) => [e.surname, e.forename, e.upn],
  reg_group: (e) => [e.reg_group],
  type: (e) => [e.label],
  recorded_by: (e) => [e.recorded_by],
  before_pct: (e) => [e.before_pct],
  after_pct: (e) => [e.after_pct],
  change_points: (e) => [e.change_points],
};

function compareKeys(a: ReadonlyArray<string | number | null>, b: ReadonlyArray<string | number | null>, sign: number): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * sign;
  }
  return 0;
}

/**
 * One page of the interventions of `interventionEffects` (newest first), optionally of one
 * type, sorted by a column of EFFECT_SORT_COLUMNS (ties keep the newest-first order; a
 * missing figure sorts last either way) and cut to `pageSize` rows: the page asked for, or
 * the last one past the end. Each row is the effect as computed, unchanged; `total` counts
 * the whole (typed) list. The by-type figures (`effectByType`) take the whole list, not a page.
 *
 * @throws Error on a sort column outside EFFECT_SORT_COLUMNS or a page size below 1.
 */
export function effectsPage(
  effects: readonly InterventionEffect[],
  options: { paging: Paging<EffectSort>; type?: InterventionType | null; pageSize?: number },
): Page<InterventionEffect> {
  const { sort, dir, page } = options.paging;
  if (!Object.prototype.hasOwnProperty.call(EFFECT_SORT_COLUMNS, sort)) throw new Error(`unknown sort column "${String(sort)}"`);
  const typed = options.type ? effects.filter((e) => e.type === options.type) : [...effects];
  const key = SORT_KEYS[sort];
  const sign = dir === "desc" ? -1 : 1;
  // Array.prototype.sort is stable: equal keys keep the list's newest-first order.
  const sorted = typed.map((e) => ({ e, k: key(e) })).sort((a, b) => compareKeys(a.k, b.k, sign));
  return pageOfRows(
    sorted.map(({ e }) => e),
    page,
    options.pageSize,
  );
}
