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
import { queryRows } from "./db.ts";
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
 * The common table expressions `scope` (pupils on roll in the period, with the
 * characteristics that apply) and `k` (their classified marks in the period).
 */
export function scopedMarksSql(query: MeasureQuery): { sql: string; params: SqlParams } {
  const params: SqlParams = { from: query.from, to: query.to, regime_from: REGIME_2024_FROM };
  const conditions: string[] = [];
  for (const [key, value] of Object.entries(query.filter ?? {})) {
    if (value === undefined || value === "") continue;
    const column = FILTER_COLUMNS[key as PupilDimension | "upn"];
    if (!column) throw new Error(`unknown filter "${key}"`);
    params[`f_${key}`] = value;
    conditions.push(`${column} = $f_${key}`);
  }
  if (query.withCode !== undefined) {
    if (!ALL_CODES.includes(query.withCode)) throw new Error(`unknown attendance code "${query.withCode}"`);
    params.with_code = query.withCode;
    conditions.push(
      `EXISTS (SELECT 1 FROM marks wc WHERE wc.upn = p.upn AND wc.code = $with_code AND wc.date BETWEEN $from::DATE AND $to::DATE)`,
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
      SELECT p.upn, p.forename, p.surname, p.sex, p.ethnicity, p.admission_date, p.leaving_date,
             ch.year_group, ch.reg_group, ch.sen, ch.fsm, ch.eal, ch.lac
      FROM pupils p
      JOIN pupil_characteristics ch
        ON ch.upn = p.upn
       AND ch.valid_from <= least($to::DATE, coalesce(p.leaving_date, $to::DATE))
       AND (ch.valid_to IS NULL OR ch.valid_to >= least($to::DATE, coalesce(p.leaving_date, $to::DATE)))
      WHERE p.admission_date <= $to::DATE
        AND (p.leaving_date IS NULL OR p.leaving_date >= $from::DATE)
        ${conditions.map((c) => `AND ${c}`).join("\n        ")}
    ),
    k_all AS (
      SELECT m.upn, m.date, m.session, m.code::VARCHAR AS code, m.minutes_late, cc.category,
             sd.academic_year, sd.term, sd.half_term
      FROM marks m
      JOIN scope USING (upn)
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
export async function summarise(connection: Connection, query: MeasureQuery): Promise<Measures> {
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  const rows = await queryRows<Counts & Row>(
    connection,
    `WITH ${sql},
     per_pupil AS (SELECT k.upn, ${PER_PUPIL_COUNTS} FROM k GROUP BY k.upn)
     SELECT ${GROUP_TOTALS} FROM per_pupil`,
    params,
  );
  return withRates(rows[0]);
}

/** Measures for each group of a breakdown, in the dimension's natural order. */
export async function summariseBy(connection: Connection, query: MeasureQuery, by: GroupDimension): Promise<GroupMeasures[]> {
  assertPeriod(query);
  if (!isGroupDimension(by)) throw new Error(`unknown breakdown "${by}"`);
  const { sql, params } = scopedMarksSql(query);
  const dimension = dimensionSql(by);
  const rows = await queryRows<Counts & Row & { grp: string }>(
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
export async function sessionsByCode(connection: Connection, query: MeasureQuery): Promise<CodeSessions[]> {
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  return queryRows<CodeSessions & Row>(
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
export async function sessionsByCodeOver(
  connection: Connection,
  query: MeasureQuery,
  by: SessionDimension,
): Promise<PeriodCodeSessions[]> {
  assertPeriod(query);
  const dimension = SESSION_DIMENSION_SQL[by];
  if (!dimension) throw new Error(`unknown breakdown "${by}"`);
  const { sql, params } = scopedMarksSql(query);
  return queryRows<PeriodCodeSessions & Row>(
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
export async function pupilMeasures(connection: Connection, query: MeasureQuery): Promise<PupilMeasures[]> {
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  const rows = await queryRows<Row>(
    connection,
    `WITH ${sql},
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
       FROM k GROUP BY k.upn)
     SELECT s.upn, s.forename, s.surname, s.year_group, s.reg_group, s.sen, s.fsm, s.eal, s.lac, s.sex, s.ethnicity,
            s.admission_date, s.leaving_date,
            coalesce(pp.marks, 0) AS marks, coalesce(pp.late_sessions, 0) AS late_sessions,
            coalesce(sp.absence_spells, 0) AS absence_spells,
            coalesce(pp.possible, 0) AS possible, coalesce(pp.present, 0) AS present, coalesce(pp.aea, 0) AS aea,
            coalesce(pp.authorised, 0) AS authorised, coalesce(pp.unauthorised, 0) AS unauthorised
     FROM scope s
     LEFT JOIN per_pupil pp USING (upn)
     LEFT JOIN spells sp USING (upn)
     ORDER BY s.surname, s.forename, s.upn`,
    params,
  );
  return rows.map((row) => {
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
    return {
      ...measures,
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
    };
  });
}

export interface Lateness {
  late_before_close: number;
  late_after_close: number;
  pupils_late: number;
  minutes_late: number;
}

/** Lateness in the period: L (before registers closed, present) and U (after, unauthorised). */
export async function lateness(connection: Connection, query: MeasureQuery): Promise<Lateness> {
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  const rows = await queryRows<Lateness & Row>(
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
