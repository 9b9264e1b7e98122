/**
 * The attendance measures: one definition of each, used by every page, pack, export and
 * CLI command.
 *
 * Definitions (DfE, DESIGN.md §3):
 * - possible sessions: marks in the present, AEA, authorised and unauthorised categories;
 * - attendance % = (present + AEA) / possible; absence % = (authorised + unauthorised) / possible;
 * - a pupil is persistently absent (PA) when absence >= 10 % of their own possible sessions
 *   in the period, severely absent (SA) at >= 50 %; rates are over pupils with at least one
 *   possible session. Comparisons are done in integers (10 × absent >= possible) so a pupil
 *   at exactly 10 % is PA whatever floating point would say;
 * - group rates are session-weighted: sums over the group's marks, never means of pupils' rates.
 *
 * Which characteristics a pupil has in a breakdown: those in force at the END of the period,
 * or on the pupil's last day on roll if they left earlier. Each pupil therefore sits in
 * exactly one group of a pupil-level breakdown, and the groups add up to the whole school.
 *
 * Session-level breakdowns (weekday, session, week, month, date, half term, term, academic
 * year) apply the same definitions inside each slice: "PA on Fridays" is a pupil who missed
 * at least 10 % of their own Friday sessions.
 */
import type { Connection, Row, SqlParams } from "./db.ts";
import { cachedRows } from "./db.ts";
import { ALL_CODES, REGIME_2024_FROM } from "./codes.ts";

export const PUPIL_DIMENSIONS = ["sen", "fsm", "eal", "lac", "sex", "ethnicity", "year_group", "reg_group"] as const;
export const SESSION_DIMENSIONS = [
  "weekday",
  "session",
  "date",
  "week",
  "month",
  "half_term",
  "term",
  "academic_year",
] as const;
export const DIMENSIONS = [...PUPIL_DIMENSIONS, ...SESSION_DIMENSIONS, "code"] as const;

export type PupilDimension = (typeof PUPIL_DIMENSIONS)[number];
export type SessionDimension = (typeof SESSION_DIMENSIONS)[number];
export type GroupDimension = PupilDimension | SessionDimension;
export type Dimension = (typeof DIMENSIONS)[number];

export function isDimension(value: string): value is Dimension {
  return (DIMENSIONS as readonly string[]).includes(value);
}
export function isGroupDimension(value: string): value is GroupDimension {
  return isDimension(value) && value !== "code";
}

/** Restricts the pupils counted, by their characteristics as defined above, or to one pupil. */
export type PupilFilter = Partial<Record<PupilDimension | "upn", string>>;

export interface MeasureQuery {
  /** Inclusive ISO dates. */
  from: string;
  to: string;
  filter?: PupilFilter;
  /** Restricts the marks counted to one session-level group, e.g. Fridays or one week. */
  slice?: { by: SessionDimension; value: string };
  /**
   * Restricts the pupils to those with at least one mark of this code in the period (the
   * pupils behind a code on the Codes page); their measures still count all their marks.
   */
  withCode?: string;
  /**
   * Which pupils a figure covers: the whole roll (default: Reception and nursery included),
   * or the DfE's population for comparisons with published figures — see `dfePopulation`.
   */
  population?: Population;
}

/** "whole-roll": every pupil on roll. "dfe": compulsory school age, as the DfE publishes. */
export type Population = "whole-roll" | "dfe";

/**
 * The DfE's population for published absence figures: pupils of compulsory school age,
 * aged 5 to 15 on 31 August at the start of the academic year (national curriculum years
 * 1 to 11; DfE "Pupil absence in schools in England", methodology). Decided by date of
 * birth, as the DfE does, not by year group: a summer-born child taught out of year counts
 * by age. The academic year is the one containing the period's last day (years start on
 * 1 August). Returns the inclusive range of dates of birth, ISO.
 */
export function dfePopulation(periodEnd: string): { ageOn: string; bornFrom: string; bornTo: string } {
  const year = Number(periodEnd.slice(0, 4));
  const month = Number(periodEnd.slice(5, 7));
  const start = month >= 8 ? year : year - 1;
  const ageOn = `${start}-08-31`;
  // Aged 5 or more on 31 August: born on or before 31 August five years earlier.
  // Aged 15 or less: born after 31 August sixteen years earlier, i.e. from 1 September.
  return { ageOn, bornFrom: `${start - 16}-09-01`, bornTo: `${start - 5}-08-31` };
}

/** Words for a population, printed beside every figure compared with a published one. */
export const POPULATION_WORDS: Record<Population, string> = {
  "whole-roll": "whole roll (Reception and any nursery pupils included)",
  dfe: "pupils of compulsory school age (aged 5–15 on 31 August: Years 1–11), the DfE's basis",
};

/**
 * Words for the school's whole roll beside a comparison made on the DfE's population, true to
 * the school: a junior school has no Reception or nursery pupils, so its whole roll is the
 * DfE's population and must not be described as including Reception.
 * `outsidePupils`: pupils on the whole roll in the period outside the DfE's population
 * (whole-roll pupils − DfE-basis pupils, 0 or more). Only whether it is 0 shows, never the count.
 */
export function wholeRollWords(outsidePupils: number): string {
  return outsidePupils > 0
    ? "the whole roll, Reception and any nursery pupils included"
    : "the whole roll, which in this period has no pupils outside the DfE's age range (no Reception or nursery pupils), so it is the same population";
}

export interface Measures {
  pupils: number;
  possible_sessions: number;
  present_sessions: number;
  aea_sessions: number;
  authorised_sessions: number;
  unauthorised_sessions: number;
  /** Percentages 0–100, unrounded; null when there are no possible sessions. */
  attendance_pct: number | null;
  absence_pct: number | null;
  authorised_pct: number | null;
  unauthorised_pct: number | null;
  pa_pupils: number;
  pa_pct: number | null;
  sa_pupils: number;
  sa_pct: number | null;
}

export interface GroupMeasures extends Measures {
  group: string;
}

export interface CodeSessions {
  code: string;
  category: string;
  meaning: string;
  sessions: number;
}

// ---------------------------------------------------------------------------------------
// SQL building blocks. Every identifier below comes from these closed maps; every value is
// a bound parameter.

const ACADEMIC_YEAR_FALLBACK = `(CASE WHEN month(k.date) >= 8
    THEN year(k.date)::VARCHAR || '/' || lpad(((year(k.date) + 1) % 100)::VARCHAR, 2, '0')
    ELSE (year(k.date) - 1)::VARCHAR || '/' || lpad((year(k.date) % 100)::VARCHAR, 2, '0') END)`;
// Used only for dates outside the imported calendar: month-based approximations.
const TERM_NAME_FALLBACK = `(CASE WHEN month(k.date) >= 8 THEN 'autumn' WHEN month(k.date) <= 3 THEN 'spring' ELSE 'summer' END)`;
const HALF_NUMBER_FALLBACK = `(CASE WHEN month(k.date) IN (8, 9, 10) OR month(k.date) IN (1, 2) OR month(k.date) IN (4, 5) THEN '1' ELSE '2' END)`;

interface DimensionSql {
  /** Expression for the group value (VARCHAR) over `k` (classified marks) and `s` (scope). */
  value: string;
  /** Orders the groups; may use min(first_date) and min(first_dow) of the per-pupil rows. */
  order: string;
}

const PUPIL_DIMENSION_SQL: Record<PupilDimension, DimensionSql> = {
  sen: { value: "s.sen", order: "CASE grp WHEN 'E' THEN 1 WHEN 'K' THEN 2 ELSE 3 END" },
  fsm: { value: "s.fsm", order: "grp DESC" },
  eal: { value: "s.eal", order: "grp DESC" },
  lac: { value: "s.lac", order: "grp DESC" },
  sex: { value: "s.sex", order: "grp" },
  ethnicity: { value: "s.ethnicity", order: "grp" },
  year_group: { value: "s.year_group", order: "try_cast(grp AS INTEGER) NULLS FIRST, grp" },
  reg_group: { value: "s.reg_group", order: "grp" },
};

const SESSION_DIMENSION_SQL: Record<SessionDimension, DimensionSql> = {
  weekday: { value: "dayname(k.date)", order: "min(first_dow)" },
  session: { value: "k.session::VARCHAR", order: "grp" },
  date: { value: "strftime(k.date, '%Y-%m-%d')", order: "grp" },
  week: { value: "strftime(date_trunc('week', k.date), '%Y-%m-%d')", order: "grp" },
  month: { value: "strftime(k.date, '%Y-%m')", order: "grp" },
  half_term: {
    value: `coalesce(k.half_term, ${TERM_NAME_FALLBACK} || '-' || ${HALF_NUMBER_FALLBACK} || '-' || year(k.date)::VARCHAR)`,
    order: "min(first_date)",
  },
  term: { value: `coalesce(k.term, ${TERM_NAME_FALLBACK} || '-' || year(k.date)::VARCHAR)`, order: "min(first_date)" },
  academic_year: { value: `coalesce(k.academic_year, ${ACADEMIC_YEAR_FALLBACK})`, order: "min(first_date)" },
};

function dimensionSql(by: GroupDimension): DimensionSql {
  return (PUPIL_DIMENSION_SQL as Record<string, DimensionSql>)[by] ?? SESSION_DIMENSION_SQL[by as SessionDimension];
}

const FILTER_COLUMNS: Record<PupilDimension | "upn", string> = {
  sen: "ch.sen",
  fsm: "ch.fsm",
  eal: "ch.eal",
  lac: "ch.lac",
  sex: "p.sex",
  ethnicity: "p.ethnicity",
  year_group: "ch.year_group",
  reg_group: "ch.reg_group",
  upn: "p.upn",
};

/**
 * SQL conditions choosing the pupils a filter names, over `pupils p` and the
 * `pupil_characteristics ch` row in force: one `column = $f_key` per filter set, each value
 * added to `params` (columns from a closed list). Throws on an unknown filter key.
 */
export function pupilFilterConditions(filter: PupilFilter, params: SqlParams): string[] {
  const conditions: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === "") continue;
    const column = FILTER_COLUMNS[key as PupilDimension | "upn"];
    if (!column) throw new Error(`unknown filter "${key}"`);
    params[`f_${key}`] = value;
    conditions.push(`${column} = $f_${key}`);
  }
  return conditions;
}

/**
 * The common table expressions `scope` (pupils on roll in the period, with the
 * characteristics that apply) and `k` (their classified marks in the period).
 */
export function scopedMarksSql(query: MeasureQuery): { sql: string; params: SqlParams } {
  const params: SqlParams = { from: query.from, to: query.to, regime_from: REGIME_2024_FROM };
  const conditions = pupilFilterConditions(query.filter ?? {}, params);
  if (query.population === "dfe") {
    const range = dfePopulation(query.to);
    params.born_from = range.bornFrom;
    params.born_to = range.bornTo;
    conditions.push(`p.dob BETWEEN $born_from::DATE AND $born_to::DATE`);
  } else if (query.population !== undefined && query.population !== "whole-roll") {
    throw new Error(`unknown population "${String(query.population)}"`);
  }
  if (query.withCode !== undefined) {
    if (!ALL_CODES.includes(query.withCode)) throw new Error(`unknown attendance code "${query.withCode}"`);
    params.with_code = query.withCode;
    conditions.push(
      `EXISTS (SELECT 1 FROM mark_store wc WHERE wc.pupil_id = ids.pupil_id AND wc.code = $with_code AND wc.date BETWEEN $from::DATE AND $to::DATE)`,
    );
  }
  let sliceCondition = "";
  if (query.slice) {
    const slice = SESSION_DIMENSION_SQL[query.slice.by];
    if (!slice) throw new Error(`unknown slice "${query.slice.by}"`);
    params.slice_value = query.slice.value;
    sliceCondition = `WHERE ${slice.value} = $slice_value`;
  }
  const sql = `
    scope AS (
      SELECT p.upn, ids.pupil_id, p.forename, p.surname, p.sex, p.ethnicity, p.admission_date, p.leaving_date,
             ch.year_group, ch.reg_group, ch.sen, ch.fsm, ch.eal, ch.lac
      FROM pupils p
      LEFT JOIN pupil_ids ids ON ids.upn = p.upn
      JOIN pupil_characteristics ch
        ON ch.upn = p.upn
       AND ch.valid_from <= least($to::DATE, coalesce(p.leaving_date, $to::DATE))
       AND (ch.valid_to IS NULL OR ch.valid_to >= least($to::DATE, coalesce(p.leaving_date, $to::DATE)))
      WHERE p.admission_date <= $to::DATE
        AND (p.leaving_date IS NULL OR p.leaving_date >= $from::DATE)
        ${conditions.map((c) => `AND ${c}`).join("\n        ")}
    ),
    k_all AS (
      SELECT scope.upn, m.date, (CASE WHEN m.pm THEN 'PM' ELSE 'AM' END)::register_session AS session,
             m.code::VARCHAR AS code, m.minutes_late, cc.category,
             sd.academic_year, sd.term, sd.half_term
      FROM mark_store m
      JOIN scope USING (pupil_id)
      JOIN code_catalogue cc
        ON cc.code = m.code
       AND cc.regime = CASE WHEN m.date >= $regime_from::DATE THEN '2024' ELSE '2006' END
      LEFT JOIN school_days sd ON sd.date = m.date
      WHERE m.date BETWEEN $from::DATE AND $to::DATE
    ),
    k AS (SELECT * FROM k_all k ${sliceCondition})`;
  return { sql, params };
}

const PER_PUPIL_COUNTS = `
      count(*) FILTER (WHERE k.category <> 'not_counted')::INTEGER AS possible,
      count(*) FILTER (WHERE k.category = 'present')::INTEGER AS present,
      count(*) FILTER (WHERE k.category = 'aea')::INTEGER AS aea,
      count(*) FILTER (WHERE k.category = 'authorised')::INTEGER AS authorised,
      count(*) FILTER (WHERE k.category = 'unauthorised')::INTEGER AS unauthorised`;

const GROUP_TOTALS = `
      count(*) FILTER (WHERE possible > 0)::INTEGER AS pupils,
      coalesce(sum(possible), 0)::INTEGER AS possible_sessions,
      coalesce(sum(present), 0)::INTEGER AS present_sessions,
      coalesce(sum(aea), 0)::INTEGER AS aea_sessions,
      coalesce(sum(authorised), 0)::INTEGER AS authorised_sessions,
      coalesce(sum(unauthorised), 0)::INTEGER AS unauthorised_sessions,
      count(*) FILTER (WHERE possible > 0 AND 10 * (authorised + unauthorised) >= possible)::INTEGER AS pa_pupils,
      count(*) FILTER (WHERE possible > 0 AND 2 * (authorised + unauthorised) >= possible)::INTEGER AS sa_pupils`;

/** The additive part of the measures: sums over pupils and sessions, from which rates derive. */
export type Counts = Pick<
  Measures,
  | "pupils"
  | "possible_sessions"
  | "present_sessions"
  | "aea_sessions"
  | "authorised_sessions"
  | "unauthorised_sessions"
  | "pa_pupils"
  | "sa_pupils"
>;

const pct = (numerator: number, denominator: number): number | null =>
  denominator > 0 ? (100 * numerator) / denominator : null;

/** Adds the rates to a row of counts. Exported so tests and packs derive rates one way. */
export function withRates(counts: Counts): Measures {
  return {
    pupils: counts.pupils,
    possible_sessions: counts.possible_sessions,
    present_sessions: counts.present_sessions,
    aea_sessions: counts.aea_sessions,
    authorised_sessions: counts.authorised_sessions,
    unauthorised_sessions: counts.unauthorised_sessions,
    attendance_pct: pct(counts.present_sessions + counts.aea_sessions, counts.possible_sessions),
    absence_pct: pct(counts.authorised_sessions + counts.unauthorised_sessions, counts.possible_sessions),
    authorised_pct: pct(counts.authorised_sessions, counts.possible_sessions),
    unauthorised_pct: pct(counts.unauthorised_sessions, counts.possible_sessions),
    pa_pupils: counts.pa_pupils,
    pa_pct: pct(counts.pa_pupils, counts.pupils),
    sa_pupils: counts.sa_pupils,
    sa_pct: pct(counts.sa_pupils, counts.pupils),
  };
}

function assertPeriod(query: MeasureQuery): void {
  const iso = /^\d{4}-\d{2}-\d{2}$/;
  if (!iso.test(query.from) || !iso.test(query.to)) throw new Error(`dates must be YYYY-MM-DD (got ${query.from} – ${query.to})`);
  if (query.from > query.to) throw new Error(`the period starts (${query.from}) after it ends (${query.to})`);
}

/** Whole-school (or filtered) measures for a period. */
async function markSummarise(connection: Connection, query: MeasureQuery): Promise<Measures> {
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  const rows = await cachedRows<Counts & Row>(
    connection,
    `WITH ${sql},
     per_pupil AS (SELECT k.upn, ${PER_PUPIL_COUNTS} FROM k GROUP BY k.upn)
     SELECT ${GROUP_TOTALS} FROM per_pupil`,
    params,
  );
  return withRates(rows[0]);
}

/** Measures for each group of a breakdown, in the dimension's natural order. */
async function markSummariseBy(connection: Connection, query: MeasureQuery, by: GroupDimension): Promise<GroupMeasures[]> {
  assertPeriod(query);
  if (!isGroupDimension(by)) throw new Error(`unknown breakdown "${by}"`);
  const { sql, params } = scopedMarksSql(query);
  const dimension = dimensionSql(by);
  const rows = await cachedRows<Counts & Row & { grp: string }>(
    connection,
    `WITH ${sql},
     per_pupil AS (
       SELECT ${dimension.value} AS grp, k.upn, min(k.date) AS first_date, min(isodow(k.date)) AS first_dow,
              ${PER_PUPIL_COUNTS}
       FROM k JOIN scope s USING (upn)
       GROUP BY grp, k.upn)
     SELECT grp, ${GROUP_TOTALS}
     FROM per_pupil
     GROUP BY grp
     ORDER BY ${dimension.order}`,
    params,
  );
  return rows.map((row) => ({ group: String(row.grp), ...withRates(row) }));
}

/** Sessions by code (every code, counted or not), most used first. */
async function markSessionsByCode(connection: Connection, query: MeasureQuery): Promise<CodeSessions[]> {
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  return cachedRows<CodeSessions & Row>(
    connection,
    `WITH ${sql}
     SELECT k.code, any_value(k.category) AS category, any_value(cc.meaning) AS meaning, count(*)::INTEGER AS sessions
     FROM k
     JOIN code_catalogue cc
       ON cc.code::VARCHAR = k.code
      AND cc.regime = CASE WHEN k.date >= $regime_from::DATE THEN '2024' ELSE '2006' END
     GROUP BY k.code
     ORDER BY sessions DESC, k.code`,
    params,
  );
}

export interface PeriodCodeSessions {
  group: string;
  code: string;
  category: string;
  sessions: number;
}

/** Sessions by code within each group of a session-level breakdown (codes over time). */
async function markSessionsByCodeOver(
  connection: Connection,
  query: MeasureQuery,
  by: SessionDimension,
): Promise<PeriodCodeSessions[]> {
  assertPeriod(query);
  const dimension = SESSION_DIMENSION_SQL[by];
  if (!dimension) throw new Error(`unknown breakdown "${by}"`);
  const { sql, params } = scopedMarksSql(query);
  return cachedRows<PeriodCodeSessions & Row>(
    connection,
    `WITH ${sql}
     SELECT ${dimension.value} AS "group", k.code, any_value(k.category) AS category, count(*)::INTEGER AS sessions,
            min(k.date) AS first_date
     FROM k
     GROUP BY "group", k.code
     ORDER BY first_date, sessions DESC`,
    params,
  ).then((rows) => rows.map(({ group, code, category, sessions }) => ({ group, code, category, sessions })));
}

/** A pupil's identity and the characteristics in force on the date a query uses (DfE codes as stored). */
export interface PupilCharacteristics {
  upn: string;
  forename: string;
  surname: string;
  year_group: string;
  reg_group: string;
  sen: string;
  fsm: string;
  eal: string;
  lac: string;
  sex: string;
  ethnicity: string;
}

export interface PupilMeasures extends Measures, PupilCharacteristics {
  admission_date: string;
  leaving_date: string | null;
  /** Marks in the period, counted or not. */
  marks: number;
  late_sessions: number;
  /** Separate spells of absence: runs of consecutive absent sessions (a PA predictor). */
  absence_spells: number;
  is_pa: boolean;
  is_sa: boolean;
}

/**
 * One row per pupil on roll in the period (including pupils with no marks, so a missing
 * register shows up), with the same measures as a group of one.
 */
/**
 * The mark-level CTEs ending in `pupil_rows` (see pupilRowsSql), for a slice.
 */
function markPupilRowsSql(query: MeasureQuery): { sql: string; params: SqlParams } {
  const { sql, params } = scopedMarksSql(query);
  return {
    params,
    sql: `${sql},
     ordered AS (
       SELECT k.upn, k.category,
              k.category IN ('authorised', 'unauthorised') AS absent,
              lag(k.category IN ('authorised', 'unauthorised')) OVER (PARTITION BY k.upn ORDER BY k.date, k.session) AS previous_absent
       FROM k WHERE k.category <> 'not_counted'),
     spells AS (
       SELECT upn, count(*) FILTER (WHERE absent AND NOT coalesce(previous_absent, false))::INTEGER AS absence_spells
       FROM ordered GROUP BY upn),
     per_pupil AS (
       SELECT k.upn, count(*)::INTEGER AS marks,
              count(*) FILTER (WHERE k.code IN ('L', 'U'))::INTEGER AS late_sessions,
              ${PER_PUPIL_COUNTS}
       FROM k GROUP BY k.upn),
     pupil_rows AS (
       SELECT s.pupil_id, ${pupilRowColumns("sp")}
       FROM scope s
       LEFT JOIN per_pupil pp USING (upn)
       LEFT JOIN spells sp USING (upn))`,
  };
}

/** The columns of `pupil_rows` over `scope s`, `per_pupil pp` and the relation holding absence_spells. */
const pupilRowColumns = (spells: "sp" | "pp") => `s.upn, s.forename, s.surname, s.year_group, s.reg_group, s.sen, s.fsm, s.eal, s.lac, s.sex, s.ethnicity,
            s.admission_date, s.leaving_date,
            coalesce(pp.marks, 0) AS marks, coalesce(pp.late_sessions, 0) AS late_sessions,
            coalesce(${spells}.absence_spells, 0) AS absence_spells,
            coalesce(pp.possible, 0) AS possible, coalesce(pp.present, 0) AS present, coalesce(pp.aea, 0) AS aea,
            coalesce(pp.authorised, 0) AS authorised, coalesce(pp.unauthorised, 0) AS unauthorised`;

/**
 * One row per pupil on roll in the period (including pupils with no marks, so a missing
 * register shows up), with the same measures as a group of one.
 */
async function markPupilMeasures(connection: Connection, query: MeasureQuery): Promise<PupilMeasures[]> {
  assertPeriod(query);
  const { sql, params } = markPupilRowsSql(query);
  const rows = await cachedRows<Row>(connection, `WITH ${sql} SELECT * FROM pupil_rows ORDER BY surname, forename, upn`, params);
  return rows.map(toPupilMeasures);
}

/** A `pupil_rows` row (pupilRowsSql) as the measures of a group of one. */
export function toPupilMeasures(row: Row): PupilMeasures {
  const possible = Number(row.possible);
  const absent = Number(row.authorised) + Number(row.unauthorised);
  const isPa = possible > 0 && 10 * absent >= possible;
  const isSa = possible > 0 && 2 * absent >= possible;
  const measures = withRates({
    pupils: possible > 0 ? 1 : 0,
    possible_sessions: possible,
    present_sessions: Number(row.present),
    aea_sessions: Number(row.aea),
    authorised_sessions: Number(row.authorised),
    unauthorised_sessions: Number(row.unauthorised),
    pa_pupils: isPa ? 1 : 0,
    sa_pupils: isSa ? 1 : 0,
  });
  // The rates' object extended in place: spread into a new literal (V8 copied it slowly),
  // converting 4,500 pupils took ~100 ms against ~5 ms; the same properties in the same order.
  return Object.assign(measures, {
    upn: String(row.upn),
    forename: String(row.forename),
    surname: String(row.surname),
    year_group: String(row.year_group),
    reg_group: String(row.reg_group),
    sen: String(row.sen),
    fsm: String(row.fsm),
    eal: String(row.eal),
    lac: String(row.lac),
    sex: String(row.sex),
    ethnicity: String(row.ethnicity),
    admission_date: String(row.admission_date),
    leaving_date: row.leaving_date === null ? null : String(row.leaving_date),
    marks: Number(row.marks),
    late_sessions: Number(row.late_sessions),
    absence_spells: Number(row.absence_spells),
    is_pa: isPa,
    is_sa: isSa,
  });
}

export interface Lateness {
  late_before_close: number;
  late_after_close: number;
  pupils_late: number;
  minutes_late: number;
}

/** Lateness in the period: L (before registers closed, present) and U (after, unauthorised). */
async function markLateness(connection: Connection, query: MeasureQuery): Promise<Lateness> {
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  const rows = await cachedRows<Lateness & Row>(
    connection,
    `WITH ${sql}
     SELECT count(*) FILTER (WHERE k.code = 'L')::INTEGER AS late_before_close,
            count(*) FILTER (WHERE k.code = 'U')::INTEGER AS late_after_close,
            count(DISTINCT k.upn) FILTER (WHERE k.code IN ('L', 'U'))::INTEGER AS pupils_late,
            coalesce(sum(k.minutes_late) FILTER (WHERE k.code IN ('L', 'U')), 0)::INTEGER AS minutes_late
     FROM k`,
    params,
  );
  return rows[0];
}

// ---------------------------------------------------------------------------------------
// The same measures read from the aggregates kept at import (analytics/store.ts). A period
// is whole school weeks read from `mark_weeks` plus single days from `mark_days` for the
// weeks at either end (and for weeks a breakdown's groups split, e.g. a month boundary on
// a Wednesday), so a year reads ≈ pupils × 40 rows instead of pupils × 380 marks. Results
// equal the mark-level definition above (test/measures.test.ts runs every test both ways;
// test/store.test.ts compares them on the whole demo school).

const COUNT_COLUMNS = "marks, possible, present, aea, authorised, unauthorised, late_l, late_u, minutes_late, spell_starts, lead_continued";

/** A session-level group value over a date column and the school_days row of that date. */
function groupValueAt(by: SessionDimension, dateColumn: string, schoolDay: string): string {
  return SESSION_DIMENSION_SQL[by].value
    .replaceAll("k.date", dateColumn)
    .replaceAll("k.half_term", `${schoolDay}.half_term`)
    .replaceAll("k.term", `${schoolDay}.term`)
    .replaceAll("k.academic_year", `${schoolDay}.academic_year`);
}

/**
 * The CTE `u`: per-pupil units (a whole week or one day) of counts in the period for the
 * pupils in `scope`, each with a `date` (its first day) and, for a session-level breakdown,
 * its group `grp`. A week is read whole only when it lies inside the period and all its
 * days fall in one group; otherwise its days are read one by one.
 */
function unitsSql(by?: SessionDimension): string {
  const edges = `d.date < date_trunc('week', $from::DATE) + INTERVAL 7 DAY OR d.date >= date_trunc('week', $to::DATE)`;
  if (by === "weekday" || by === "date") {
    return `u AS (
      SELECT d.pupil_id, d.date, ${groupValueAt(by, "d.date", "sd")} AS grp, ${COUNT_COLUMNS.split(", ").map((c) => `d.${c}`).join(", ")}
      FROM mark_days d JOIN scope USING (pupil_id) LEFT JOIN school_days sd ON sd.date = d.date
      WHERE d.date BETWEEN $from::DATE AND $to::DATE)`;
  }
  const weekCols = COUNT_COLUMNS.split(", ").map((c) => `w.${c}`).join(", ");
  const dayCols = COUNT_COLUMNS.split(", ").map((c) => `d.${c}`).join(", ");
  if (!by) {
    return `u AS (
      SELECT w.pupil_id, w.first_date AS date, ${weekCols}
      FROM mark_weeks w JOIN scope USING (pupil_id)
      WHERE w.week > date_trunc('week', $from::DATE) AND w.week < date_trunc('week', $to::DATE)
      UNION ALL
      SELECT d.pupil_id, d.date, ${dayCols}
      FROM mark_days d JOIN scope USING (pupil_id)
      WHERE d.date BETWEEN $from::DATE AND $to::DATE AND (${edges}))`;
  }
  // Each inner week's group, worked out once per week (not per pupil-week): from the earliest
  // and the latest date with a mark that week, any pupil's. These groups are runs of
  // consecutive dates, so when the two agree every day of the week is in that group; when
  // they differ the week is split and read day by day (for every pupil: reading days where a
  // week would do gives the same sums).
  return `week_groups AS (
      SELECT wk.week, ${groupValueAt(by, "wk.f", "sf")} AS g1, ${groupValueAt(by, "wk.l", "sl")} AS g2
      FROM (SELECT week, min(first_date) AS f, max(last_date) AS l FROM mark_weeks
            WHERE week > date_trunc('week', $from::DATE) AND week < date_trunc('week', $to::DATE) GROUP BY week) wk
      LEFT JOIN school_days sf ON sf.date = wk.f
      LEFT JOIN school_days sl ON sl.date = wk.l),
    split_weeks AS (SELECT week FROM week_groups WHERE g1 IS DISTINCT FROM g2),
    u AS (
      SELECT w.pupil_id, w.first_date AS date, g.g1 AS grp, ${weekCols}
      FROM mark_weeks w JOIN scope USING (pupil_id) JOIN week_groups g ON g.week = w.week AND g.g1 IS NOT DISTINCT FROM g.g2
      WHERE w.week > date_trunc('week', $from::DATE) AND w.week < date_trunc('week', $to::DATE)
      UNION ALL
      SELECT d.pupil_id, d.date, ${groupValueAt(by, "d.date", "sd")} AS grp, ${dayCols}
      FROM mark_days d JOIN scope USING (pupil_id) LEFT JOIN school_days sd ON sd.date = d.date
      WHERE d.date BETWEEN $from::DATE AND $to::DATE
        AND (${edges} OR date_trunc('week', d.date) IN (SELECT week FROM split_weeks)))`;
}

const UNIT_PER_PUPIL_COUNTS = `
      sum(u.possible)::INTEGER AS possible,
      sum(u.present)::INTEGER AS present,
      sum(u.aea)::INTEGER AS aea,
      sum(u.authorised)::INTEGER AS authorised,
      sum(u.unauthorised)::INTEGER AS unauthorised`;

/** Whether a query can be answered from the aggregates (a slice or AM/PM needs the marks). */
const fromAggregates = (query: MeasureQuery, by?: GroupDimension): boolean => !query.slice && by !== "session";

/**
 * Whole-school (or filtered) measures for a period: counts of sessions (possible, present,
 * AEA, authorised, unauthorised), pupils with a possible session, PA and SA pupils, and the
 * rates from them (percent 0–100, null without possible sessions). Throws on a bad period,
 * an unknown filter or code.
 */
export async function summarise(connection: Connection, query: MeasureQuery): Promise<Measures> {
  if (!fromAggregates(query)) return markSummarise(connection, query);
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  const rows = await cachedRows<Counts & Row>(
    connection,
    `WITH ${sql}, ${unitsSql()},
     per_pupil AS (SELECT u.pupil_id, ${UNIT_PER_PUPIL_COUNTS} FROM u GROUP BY u.pupil_id)
     SELECT ${GROUP_TOTALS} FROM per_pupil`,
    params,
  );
  return withRates(rows[0]);
}

/**
 * Measures for each group of a breakdown, in the dimension's natural order. Pupil-level
 * groups use the characteristics at the end of the period; session-level groups apply PA
 * inside each group. Throws on an unknown breakdown.
 */
export async function summariseBy(connection: Connection, query: MeasureQuery, by: GroupDimension): Promise<GroupMeasures[]> {
  if (!fromAggregates(query, by)) return markSummariseBy(connection, query, by);
  assertPeriod(query);
  if (!isGroupDimension(by)) throw new Error(`unknown breakdown "${by}"`);
  const { sql, params } = scopedMarksSql(query);
  const dimension = dimensionSql(by);
  const pupilLevel = (PUPIL_DIMENSIONS as readonly string[]).includes(by);
  const perPupil = pupilLevel
    ? `per_pupil AS (
         SELECT ${dimension.value} AS grp, u.pupil_id, min(u.date) AS first_date, min(isodow(u.date)) AS first_dow, ${UNIT_PER_PUPIL_COUNTS}
         FROM u JOIN scope s USING (pupil_id)
         GROUP BY grp, u.pupil_id)`
    : `per_pupil AS (
         SELECT u.grp, u.pupil_id, min(u.date) AS first_date, min(isodow(u.date)) AS first_dow, ${UNIT_PER_PUPIL_COUNTS}
         FROM u GROUP BY u.grp, u.pupil_id)`;
  const rows = await cachedRows<Counts & Row & { grp: string }>(
    connection,
    `WITH ${sql}, ${unitsSql(pupilLevel ? undefined : (by as SessionDimension))},
     ${perPupil}
     SELECT grp, ${GROUP_TOTALS}
     FROM per_pupil
     GROUP BY grp
     ORDER BY ${dimension.order}`,
    params,
  );
  return rows.map((row) => ({ group: String(row.grp), ...withRates(row) }));
}

const TOTAL_COLUMNS = "pupils, possible_sessions, present_sessions, aea_sessions, authorised_sessions, unauthorised_sessions, pa_pupils, sa_pupils";

/**
 * Every pupil-level breakdown of a query (SEN, FSM, EAL, LAC, sex, ethnicity, year group,
 * class) in one grouped query: each pupil's counts once, then each dimension's groups from
 * them, with the same totals and order as summariseBy by that dimension alone. For work that
 * shows several breakdowns of one period (a report pack: its groups, year groups and classes):
 * one read instead of one each (a single breakdown is cheaper from summariseBy). Returns each
 * dimension's groups in its natural order (a dimension without pupils has none); a slice is
 * refused (summariseBy reads it from the marks). Throws on a bad period or an unknown filter.
 */
export async function summariseByEach(connection: Connection, query: MeasureQuery): Promise<Map<PupilDimension, GroupMeasures[]>> {
  if (!fromAggregates(query)) throw new Error("summariseByEach reads the aggregates: no slice");
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  const branches = PUPIL_DIMENSIONS.map(
    (d) => `SELECT '${d}' AS dim, grp, ${TOTAL_COLUMNS}, row_number() OVER (ORDER BY ${PUPIL_DIMENSION_SQL[d].order}) AS ord
       FROM (SELECT ${d} AS grp, ${GROUP_TOTALS} FROM per_pupil GROUP BY ${d})`,
  );
  const rows = await cachedRows<Counts & Row & { dim: PupilDimension; grp: string }>(
    connection,
    `WITH ${sql}, ${unitsSql()},
     -- Each pupil's counts, then their characteristics (one scope row per pupil).
     per_pupil AS MATERIALIZED (
       SELECT pp.*, ${PUPIL_DIMENSIONS.map((d) => `${PUPIL_DIMENSION_SQL[d].value} AS ${d}`).join(", ")}
       FROM (SELECT u.pupil_id, ${UNIT_PER_PUPIL_COUNTS} FROM u GROUP BY u.pupil_id) pp
       JOIN scope s USING (pupil_id))
     SELECT dim, grp, ${TOTAL_COLUMNS} FROM (
       ${branches.join("\n       UNION ALL ")})
     ORDER BY dim, ord`,
    params,
  );
  const result = new Map<PupilDimension, GroupMeasures[]>();
  for (const { dim, grp, ...counts } of rows) {
    const list = result.get(dim) ?? [];
    list.push({ group: String(grp), ...withRates(counts as Counts) });
    result.set(dim, list);
  }
  return result;
}

/**
 * The CTE `c`: sessions per pupil per code in the period, whole weeks from `mark_week_codes`
 * and the marks themselves for the weeks at either end or split by `by`'s groups.
 */
function codeUnitsSql(by?: SessionDimension): string {
  const edges = `m.date < date_trunc('week', $from::DATE) + INTERVAL 7 DAY OR m.date >= date_trunc('week', $to::DATE)`;
  const split = by
    ? `split_weeks AS (
         SELECT DISTINCT w.week FROM mark_week_codes w
         LEFT JOIN school_days sf ON sf.date = w.first_date
         LEFT JOIN school_days sl ON sl.date = w.last_date
         WHERE w.week > date_trunc('week', $from::DATE) AND w.week < date_trunc('week', $to::DATE)
           AND ${groupValueAt(by, "w.first_date", "sf")} IS DISTINCT FROM ${groupValueAt(by, "w.last_date", "sl")}),`
    : "";
  return `${split}
    c AS (
      SELECT w.pupil_id, w.first_date AS date, w.code, w.sessions ${by ? `, ${groupValueAt(by, "w.first_date", "sd")} AS grp` : ""}
      FROM mark_week_codes w JOIN scope USING (pupil_id) ${by ? "LEFT JOIN school_days sd ON sd.date = w.first_date" : ""}
      WHERE w.week > date_trunc('week', $from::DATE) AND w.week < date_trunc('week', $to::DATE)
        ${by ? "AND w.week NOT IN (SELECT week FROM split_weeks)" : ""}
      UNION ALL
      SELECT m.pupil_id, m.date, m.code, 1 ${by ? `, ${groupValueAt(by, "m.date", "sd")} AS grp` : ""}
      FROM mark_store m JOIN scope USING (pupil_id) ${by ? "LEFT JOIN school_days sd ON sd.date = m.date" : ""}
      WHERE m.date BETWEEN $from::DATE AND $to::DATE
        AND (${edges} ${by ? "OR date_trunc('week', m.date) IN (SELECT week FROM split_weeks)" : ""}))`;
}

/**
 * Sessions by code (every code, counted or not), most used first: `{code, category,
 * meaning, sessions}` with the code's meaning under the regulations of its dates.
 */
export async function sessionsByCode(connection: Connection, query: MeasureQuery): Promise<CodeSessions[]> {
  if (!fromAggregates(query)) return markSessionsByCode(connection, query);
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  return cachedRows<CodeSessions & Row>(
    connection,
    `WITH ${sql}, ${codeUnitsSql()}
     SELECT c.code::VARCHAR AS code, any_value(cc.category) AS category, any_value(cc.meaning) AS meaning,
            sum(c.sessions)::INTEGER AS sessions
     FROM c
     JOIN code_catalogue cc
       ON cc.code = c.code
      AND cc.regime = CASE WHEN c.date >= $regime_from::DATE THEN '2024' ELSE '2006' END
     GROUP BY c.code
     ORDER BY sessions DESC, c.code::VARCHAR`,
    params,
  );
}

/** Sessions by code within each group of a session-level breakdown (codes over time). */
export async function sessionsByCodeOver(
  connection: Connection,
  query: MeasureQuery,
  by: SessionDimension,
): Promise<PeriodCodeSessions[]> {
  if (!fromAggregates(query) || by === "session" || by === "weekday" || by === "date") {
    return markSessionsByCodeOver(connection, query, by);
  }
  assertPeriod(query);
  if (!SESSION_DIMENSION_SQL[by]) throw new Error(`unknown breakdown "${by}"`);
  const { sql, params } = scopedMarksSql(query);
  return cachedRows<PeriodCodeSessions & Row>(
    connection,
    `WITH ${sql}, ${codeUnitsSql(by)}
     SELECT c.grp AS "group", c.code::VARCHAR AS code, any_value(cc.category) AS category, sum(c.sessions)::INTEGER AS sessions,
            min(c.date) AS first_date
     FROM c
     JOIN code_catalogue cc
       ON cc.code = c.code
      AND cc.regime = CASE WHEN c.date >= $regime_from::DATE THEN '2024' ELSE '2006' END
     GROUP BY "group", c.code
     ORDER BY first_date, sessions DESC`,
    params,
  ).then((rows) => rows.map(({ group, code, category, sessions }) => ({ group, code, category, sessions })));
}

/**
 * One row per pupil on roll in the period (including pupils with no marks, so a missing
 * register shows up), with the same measures as a group of one, marks, late sessions (L
 * and U) and absence spells (runs of consecutive absent sessions among counted sessions).
 */
export async function pupilMeasures(connection: Connection, query: MeasureQuery): Promise<PupilMeasures[]> {
  const { sql, params } = pupilRowsSql(query);
  const rows = await cachedRows<Row>(connection, `WITH ${sql} SELECT * FROM pupil_rows ORDER BY surname, forename, upn`, params);
  return rows.map(toPupilMeasures);
}

/**
 * The common table expressions behind `pupilMeasures`, ending in `pupil_rows`: one row per
 * pupil on roll in the period (pupil_id, NULL for a pupil who never had a mark; upn,
 * forename, surname, year_group, reg_group, sen, fsm, eal, lac, sex, ethnicity,
 * admission_date, leaving_date; and the session counts marks, late_sessions,
 * absence_spells, possible, present, aea, authorised, unauthorised, zero without marks).
 * Read from the aggregates, or from the marks for a slice. For callers that sort, filter
 * and page pupils in SQL (analytics/pupil-list.ts); `toPupilMeasures` makes a row measures.
 * Throws on a bad period, an unknown filter or code.
 */
export function pupilRowsSql(query: MeasureQuery): { sql: string; params: SqlParams } {
  assertPeriod(query);
  if (!fromAggregates(query)) return markPupilRowsSql(query);
  const { sql, params } = scopedMarksSql(query);
  return {
    params,
    sql: `${sql}, ${unitsSql()},
     per_pupil AS (
       SELECT u.pupil_id, sum(u.marks)::INTEGER AS marks, sum(u.late_l + u.late_u)::INTEGER AS late_sessions,
              -- A spell already running when the period starts is a spell of the period.
              (sum(u.spell_starts) + CASE WHEN arg_min(u.lead_continued, u.date) FILTER (WHERE u.possible > 0) THEN 1 ELSE 0 END)::INTEGER AS absence_spells,
              ${UNIT_PER_PUPIL_COUNTS}
       FROM u GROUP BY u.pupil_id),
     pupil_rows AS (
       SELECT s.pupil_id, ${pupilRowColumns("pp")}
       FROM scope s
       LEFT JOIN per_pupil pp USING (pupil_id))`,
  };
}

/** Lateness in the period: L (before registers closed, present) and U (after, unauthorised), in sessions and minutes. */
export async function lateness(connection: Connection, query: MeasureQuery): Promise<Lateness> {
  if (!fromAggregates(query)) return markLateness(connection, query);
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  const rows = await cachedRows<Lateness & Row>(
    connection,
    `WITH ${sql}, ${unitsSql()},
     per_pupil AS (SELECT u.pupil_id, sum(u.late_l) AS l, sum(u.late_u) AS lu, sum(u.minutes_late) AS minutes FROM u GROUP BY u.pupil_id)
     SELECT coalesce(sum(l), 0)::INTEGER AS late_before_close,
            coalesce(sum(lu), 0)::INTEGER AS late_after_close,
            count(*) FILTER (WHERE l + lu > 0)::INTEGER AS pupils_late,
            coalesce(sum(minutes), 0)::INTEGER AS minutes_late
     FROM per_pupil`,
    params,
  );
  return rows[0];
}

/**
 * The mark-level definition of every measure: the reference the aggregates must equal
 * (tests and the benchmark run both), and what answers a slice or an AM/PM breakdown.
 */
export const markLevel = {
  summarise: markSummarise,
  summariseBy: markSummariseBy,
  sessionsByCode: markSessionsByCode,
  sessionsByCodeOver: markSessionsByCodeOver,
  pupilMeasures: markPupilMeasures,
  lateness: markLateness,
};

/** The aggregate-based measures (the public functions above), for side-by-side comparison. */
export const aggregateLevel = { summarise, summariseBy, sessionsByCode, sessionsByCodeOver, pupilMeasures, lateness };

/**
 * Pupils absent at least once in the period (one or more authorised or unauthorised absent
 * sessions), and the pupils with possible sessions: the figure to watch inside a week or a
 * month, where "persistently absent" (10 % or more of a pupil's own sessions, a measure the
 * DfE defines over a term or a year) means one missed session out of ten and is no measure
 * anyone uses (issue 13, case 13). Counted from the same per-pupil counts as every measure
 * (the aggregates' units, or the marks for a slice), in one grouped query: pupils with a
 * possible session, and those of them with an absent session.
 */
export async function pupilsAbsent(connection: Connection, query: MeasureQuery): Promise<{ absent: number; pupils: number }> {
  if (!fromAggregates(query)) {
    const pupils = (await markPupilMeasures(connection, query)).filter((p) => p.possible_sessions > 0);
    return { absent: pupils.filter((p) => p.authorised_sessions + p.unauthorised_sessions > 0).length, pupils: pupils.length };
  }
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  const rows = await cachedRows<{ absent: number; pupils: number }>(
    connection,
    `WITH ${sql}, ${unitsSql()},
     per_pupil AS (SELECT u.pupil_id, ${UNIT_PER_PUPIL_COUNTS} FROM u GROUP BY u.pupil_id)
     SELECT count(*) FILTER (WHERE possible > 0 AND authorised + unauthorised > 0)::INTEGER AS absent,
            count(*) FILTER (WHERE possible > 0)::INTEGER AS pupils
     FROM per_pupil`,
    params,
  );
  return { absent: Number(rows[0].absent), pupils: Number(rows[0].pupils) };
}

/**
 * Each pupil group's measures in one grouped query: for every value of `within` (a
 * pupil-level dimension, the characteristics at the end of the period, as a filter on it
 * reads them), the measures of the whole period (`by` omitted) or of each group of the
 * session-level breakdown `by`. Equal to one `summarise`/`summariseBy` per value with
 * `filter: { [within]: value }` (the packs' to-date tabs ran one per year group and class).
 * Returns a map from the pupil group's value to its rows, in the breakdown's order; a pupil
 * group without possible sessions has no rows. Throws on an unknown dimension; a slice or
 * the AM/PM breakdown is refused (they need the marks).
 */
export async function summariseWithin(
  connection: Connection,
  query: MeasureQuery,
  within: PupilDimension,
  by?: SessionDimension,
): Promise<Map<string, GroupMeasures[]>> {
  return (await summariseWithinEach(connection, query, [within], by)).get(within)!;
}

/**
 * summariseWithin for several pupil-level dimensions at once (the packs' tabs: year groups
 * and classes), from one read of the period: each pupil's counts in each group of `by` once,
 * then each dimension's groups from them. Returns, for each dimension asked, what
 * summariseWithin returns for it. Throws as summariseWithin does.
 */
export async function summariseWithinEach(
  connection: Connection,
  query: MeasureQuery,
  withins: readonly PupilDimension[],
  by?: SessionDimension,
): Promise<Map<PupilDimension, Map<string, GroupMeasures[]>>> {
  if (!fromAggregates(query, by)) throw new Error("summariseWithin reads the aggregates: no slice, no AM/PM breakdown");
  assertPeriod(query);
  for (const within of withins) if (!(PUPIL_DIMENSIONS as readonly string[]).includes(within)) throw new Error(`unknown pupil breakdown "${within}"`);
  if (by !== undefined && !SESSION_DIMENSION_SQL[by]) throw new Error(`unknown breakdown "${by}"`);
  if (withins.length === 0) return new Map();
  const { sql, params } = scopedMarksSql(query);
  const dims = [...new Set(withins)];
  // Each dimension's groups (pg) and breakdown groups (grp), with the breakdown's order key.
  const branches = dims.map(
    (_d, i) => `SELECT ${i} AS dim, pg_${i} AS pg, grp, ${TOTAL_COLUMNS}, ord
       FROM (SELECT pg_${i}, grp, ${GROUP_TOTALS}, ${by ? SESSION_DIMENSION_SQL[by].order : "grp"} AS ord FROM per_pupil GROUP BY pg_${i}, grp)`,
  );
  const rows = await cachedRows<Counts & Row & { dim: number; pg: string; grp: string | null }>(
    connection,
    `WITH ${sql}, ${unitsSql(by)},
     per_pupil AS MATERIALIZED (
       SELECT ${dims.map((d, i) => `${PUPIL_DIMENSION_SQL[d].value} AS pg_${i}`).join(", ")}, ${by ? "u.grp" : "NULL::VARCHAR"} AS grp, u.pupil_id,
              min(u.date) AS first_date, min(isodow(u.date)) AS first_dow, ${UNIT_PER_PUPIL_COUNTS}
       FROM u JOIN scope s USING (pupil_id)
       GROUP BY ALL)
     SELECT dim, pg, grp, ${TOTAL_COLUMNS} FROM (
       ${branches.join("\n       UNION ALL ")})
     ORDER BY dim, pg, ord`,
    params,
  );
  const result = new Map<PupilDimension, Map<string, GroupMeasures[]>>(dims.map((d) => [d, new Map()]));
  for (const { dim, pg, grp, ...counts } of rows) {
    const groups = result.get(dims[Number(dim)])!;
    const key = String(pg);
    const list = groups.get(key) ?? [];
    list.push({ group: grp === null ? key : String(grp), ...withRates(counts as Counts) });
    groups.set(key, list);
  }
  return result;
}

/** The counts of the pupils who share every pupil-level characteristic, in one period. */
export interface AtomCounts extends Counts, Record<PupilDimension, string> {
  /** The session-level group (a week, a date …), or "" for the whole span. */
  period: string;
  /** Pupils absent at least once in the period (as pupilsAbsent counts them). */
  absent_pupils: number;
}

/**
 * The finest pupil groups of a period, in one grouped query: the counts of the pupils who
 * share year group, class, SEN, FSM, EAL, LAC, sex and ethnicity (the characteristics at the
 * end of the period, as a filter reads them), for the whole span (`by` omitted, period "") or
 * in each group of the session-level breakdown `by`. Every pupil-level breakdown and filter
 * of the same query is a sum of these rows (each pupil is in exactly one of them per period),
 * so one query serves a plan over every filter a page can apply (analytics/governor-lattice.ts).
 * Counts only (no rates); a missing characteristic reads "". Throws like summariseWithin.
 */
export async function summariseAtoms(connection: Connection, query: MeasureQuery, by?: SessionDimension): Promise<AtomCounts[]> {
  if (!fromAggregates(query, by)) throw new Error("summariseAtoms reads the aggregates: no slice, no AM/PM breakdown");
  assertPeriod(query);
  if (by !== undefined && !SESSION_DIMENSION_SQL[by]) throw new Error(`unknown breakdown "${by}"`);
  const { sql, params } = scopedMarksSql(query);
  const keys = PUPIL_DIMENSIONS.map((d) => `coalesce(${PUPIL_DIMENSION_SQL[d].value}::VARCHAR, '') AS ${d}`).join(", ");
  const names = PUPIL_DIMENSIONS.join(", ");
  const rows = await cachedRows<Counts & Row & { grp: string | null; absent_pupils: number } & Record<PupilDimension, string>>(
    connection,
    `WITH ${sql}, ${unitsSql(by)},
     per_pupil AS (
       SELECT ${by ? "u.grp" : "''"} AS grp, ${keys}, u.pupil_id, ${UNIT_PER_PUPIL_COUNTS}
       FROM u JOIN scope s USING (pupil_id)
       GROUP BY ALL)
     SELECT grp, ${names}, ${GROUP_TOTALS},
            count(*) FILTER (WHERE possible > 0 AND authorised + unauthorised > 0)::INTEGER AS absent_pupils
     FROM per_pupil
     GROUP BY grp, ${names}
     ORDER BY grp, ${names}`,
    params,
  );
  return rows.map((row) => ({
    period: row.grp === null ? "" : String(row.grp),
    year_group: row.year_group,
    reg_group: row.reg_group,
    sen: row.sen,
    fsm: row.fsm,
    eal: row.eal,
    lac: row.lac,
    sex: row.sex,
    ethnicity: row.ethnicity,
    pupils: row.pupils,
    possible_sessions: row.possible_sessions,
    present_sessions: row.present_sessions,
    aea_sessions: row.aea_sessions,
    authorised_sessions: row.authorised_sessions,
    unauthorised_sessions: row.unauthorised_sessions,
    pa_pupils: row.pa_pupils,
    sa_pupils: row.sa_pupils,
    absent_pupils: Number(row.absent_pupils),
  }));
}
