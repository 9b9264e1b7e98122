/**
 * The attendance measures: one definition of each, used by every page, pack, export and
 * CLI command.
 *
 * Definitions (DfE; docs/DEFINITIONS.md, "Measures"):
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
import { cachedOne, cachedRows, cachedRowsToRead, keptAlready, keptWork } from "./db.ts";
import { academicYearBounds, academicYearOf } from "./period-names.ts";
import { ALL_CODES, REGIME_2024_FROM } from "./codes.ts";
import { isLeaversGroup, LEAVERS_PREFIX } from "./leavers.ts";
import { sliceDaysCondition } from "./slice-days.ts";
import { persistentlyAbsent, severelyAbsent } from "./judged-span.ts";
import { onePupilCodes, onePupilCounts, type OnePupilGrain } from "./one-pupil.ts";
// A cycle (span-atoms.ts reads with this module's SQL): neither uses the other as it loads.
import { spanAtomsFromYear } from "./span-atoms.ts";

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
  /**
   * Which group a pupil's sessions count in (issue 13: a pupil who changes group inside a
   * period). "period-end" (default; staff): every session of the period in the group the
   * pupil was in at its end (or on their last day). "half-term" (every figure a governor
   * reads: analytics/governor-view.ts governorQuery): each half term's sessions in the group
   * the pupil was in at that half term's end (the period's end for its last half term), so
   * a group's sessions over a term are exactly the sum of its half terms'. Counts of pupils
   * (pupils, persistently and severely absent, absent at least once) count each pupil once,
   * over all their sessions in the period (or breakdown group), in the group they were in at
   * the end of the last half term in which they have marks in it (see halfTermPupilCounts).
   */
  membership?: Membership;
}

/** See MeasureQuery.membership. */
export type Membership = "period-end" | "half-term";

const isHalfTerm = (query: MeasureQuery): boolean => {
  if (query.membership !== undefined && query.membership !== "period-end" && query.membership !== "half-term") {
    throw new Error(`unknown membership "${String(query.membership)}"`);
  }
  return query.membership === "half-term";
};

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

/** The SQL ordering a session-level breakdown's groups (over `grp` and min(first_date), min(first_dow) of its rows), as summariseBy orders them. */
export const sessionGroupOrderSql = (by: SessionDimension): string => SESSION_DIMENSION_SQL[by].order;

function dimensionSql(by: GroupDimension): DimensionSql {
  return (PUPIL_DIMENSION_SQL as Record<string, DimensionSql>)[by] ?? SESSION_DIMENSION_SQL[by as SessionDimension];
}

export const FILTER_COLUMNS: Record<PupilDimension | "upn", string> = {
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
 * Every value of a pupil characteristic the school has recorded, for any pupil at any time
 * (leavers included), in the order the breakdowns give them: what the filter picker offers,
 * so listing them tells a reader nothing of any period. `dimension` picks the column from
 * FILTER_COLUMNS (a closed list). Shape: the stored values ("E", "K", "N"; "APKN").
 */
export async function recordedValues(connection: Connection, dimension: PupilDimension): Promise<string[]> {
  const rows = await cachedRows<{ grp: string } & Row>(
    connection,
    `SELECT DISTINCT ${FILTER_COLUMNS[dimension]} AS grp FROM pupils p JOIN pupil_characteristics ch USING (upn) ORDER BY ${PUPIL_DIMENSION_SQL[dimension].order}`,
  );
  return rows.map((row) => row.grp);
}

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
export function scopedMarksSql(query: MeasureQuery, options: { chosen?: boolean; inDfe?: boolean; spans?: ReadonlyArray<{ from: string; to: string }> } = {}): { sql: string; params: SqlParams } {
  const params: SqlParams = { from: query.from, to: query.to, regime_from: REGIME_2024_FROM };
  const halfTerm = isHalfTerm(query);
  // options.spans: several periods read at once, each as this function reads it alone under
  // period-end membership (its pupils on roll in it, their characteristics at its end or on
  // their last day), a scope row per pupil and span (`span`: its index; `s_from`, `s_to`) and
  // each mark in the span its date is in (spanSql). For reads that would otherwise be one
  // statement per span (fewestPupilsOnADays: a governor's half terms).
  const spans = options.spans;
  if (spans) {
    if (halfTerm) throw new Error("scopedMarksSql: spans are read under period-end membership, each alone");
    if (query.population === "dfe" || options.inDfe || query.withCode !== undefined) throw new Error("scopedMarksSql: spans are read for the whole roll, without a code");
    if (spans.length === 0) throw new Error("scopedMarksSql: no span");
    spans.forEach((span, i) => {
      assertPeriod(span);
      if (i > 0 && span.from <= spans[i - 1].to) throw new Error("scopedMarksSql: spans must be in order and apart");
      if (span.from < query.from || span.to > query.to) throw new Error(`scopedMarksSql: the span ${span.from} – ${span.to} is outside the period`);
      params[`span_from_${i}`] = span.from;
      params[`span_to_${i}`] = span.to;
    });
  }
  const filterConditions = pupilFilterConditions(query.filter ?? {}, params);
  // options.chosen: every pupil in scope, the filter's choice as a column (`chosen`), for
  // counts of pupils that need a pupil's every half term before choosing (halfTermPupilCounts).
  const conditions = options.chosen ? [] : filterConditions;
  const chosen = options.chosen ? (filterConditions.length > 0 ? filterConditions.map((c) => `(${c})`).join(" AND ") : "true") : "true";
  // A pupil counted among the leavers (half-term membership over several half terms:
  // analytics/leavers.ts) is chosen by no group filter (a class, a year group, a
  // characteristic: their group is the leavers'), only by their own UPN or by none.
  const leaverChosen = options.chosen && filterConditions.length > 0 ? (query.filter?.upn ? "p.upn = $f_upn" : "false") : "true";
  if (query.population !== undefined && query.population !== "whole-roll" && query.population !== "dfe") {
    throw new Error(`unknown population "${String(query.population)}"`);
  }
  // The DfE's population (dfePopulation): chosen by it, or (options.inDfe) every pupil with
  // whether they are in it as a column, `in_dfe` (null without a date of birth: not in it).
  const inDfe = `p.dob BETWEEN $born_from::DATE AND $born_to::DATE`;
  if (query.population === "dfe" || options.inDfe) {
    const range = dfePopulation(query.to);
    params.born_from = range.bornFrom;
    params.born_to = range.bornTo;
  }
  if (query.population === "dfe") conditions.push(inDfe);
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
  // Half-term membership: the period cut into its half terms' ranges (`halves`: each half
  // term's school days in the period, from its first school day to the day before the next
  // one's, the first from the period's start and the last to its end, so every date of the
  // period is in one), and a scope row per pupil and half term (`member`) with the
  // characteristics in force at that half term's last school day (the period's end for the
  // last), or on the pupil's last day if they left before. Without a calendar, one range.
  const halves = halfTerm
    ? `halves_raw AS (
      SELECT half_term AS member, min(date) AS h_from, max(date) AS h_to FROM school_days
      WHERE date BETWEEN $from::DATE AND $to::DATE GROUP BY half_term
      UNION ALL
      SELECT '', $from::DATE, $to::DATE WHERE NOT EXISTS (SELECT 1 FROM school_days WHERE date BETWEEN $from::DATE AND $to::DATE)),
    halves AS (
      SELECT member,
             CASE WHEN row_number() OVER (ORDER BY h_from) = 1 THEN $from::DATE ELSE h_from END AS r_from,
             coalesce((lead(h_from) OVER (ORDER BY h_from) - INTERVAL 1 DAY)::DATE, $to::DATE) AS r_to,
             CASE WHEN lead(h_from) OVER (ORDER BY h_from) IS NULL THEN $to::DATE ELSE h_to END AS m_date
      FROM halves_raw),
    half_list AS (SELECT list(r_from ORDER BY r_from) AS starts, list(member ORDER BY r_from) AS members FROM halves),
    -- Weeks a half term starts in: read day by day, so no unit spans two half terms.
    half_weeks AS (SELECT DISTINCT date_trunc('week', r_from) AS week FROM halves),`
    : spans
      ? `spans AS (SELECT * FROM (VALUES ${spans.map((_, i) => `($span_from_${i}::DATE, $span_to_${i}::DATE, ${i})`).join(", ")}) v(s_from, s_to, span)),
    span_list AS (SELECT list(s_from ORDER BY s_from) AS starts FROM spans),
    half_weeks AS (SELECT NULL::DATE AS week WHERE false),`
      : `half_weeks AS (SELECT NULL::DATE AS week WHERE false),`;
  const memberDate = halfTerm ? "h.m_date" : spans ? "sp.s_to" : "$to::DATE";
  const sql = `
    ${halves}
    scope AS (
      SELECT p.upn, ids.pupil_id, p.forename, p.surname, p.sex, p.ethnicity, p.admission_date, p.leaving_date,
             ch.year_group, ch.reg_group, ch.sen, ch.fsm, ch.eal, ch.lac,
             ${halfTerm ? "h.member, h.r_from, h.r_to" : "'' AS member"}${spans ? ", sp.span, sp.s_from, sp.s_to" : ""}, ${chosen} AS chosen, ${leaverChosen} AS leaver_chosen${options.inDfe ? `, ${inDfe} AS in_dfe` : ""}
      FROM pupils p
      LEFT JOIN pupil_ids ids ON ids.upn = p.upn
      ${halfTerm ? "JOIN halves h ON p.admission_date <= h.r_to AND (p.leaving_date IS NULL OR p.leaving_date >= h.r_from)" : ""}
      ${spans ? "JOIN spans sp ON p.admission_date <= sp.s_to AND (p.leaving_date IS NULL OR p.leaving_date >= sp.s_from)" : ""}
      JOIN pupil_characteristics ch
        ON ch.upn = p.upn
       AND ch.valid_from <= least(${memberDate}, coalesce(p.leaving_date, ${memberDate}))
       AND (ch.valid_to IS NULL OR ch.valid_to >= least(${memberDate}, coalesce(p.leaving_date, ${memberDate})))
      WHERE p.admission_date <= $to::DATE
        AND (p.leaving_date IS NULL OR p.leaving_date >= $from::DATE)
        ${conditions.map((c) => `AND ${c}`).join("\n        ")}
    ),
    k_all AS (
      SELECT scope.upn, scope.pupil_id, scope.member, m.date, (CASE WHEN m.pm THEN 'PM' ELSE 'AM' END)::register_session AS session,
             m.code::VARCHAR AS code, m.minutes_late, cc.category,
             sd.academic_year, sd.term, sd.half_term
      FROM ${spans ? spanUnitSource("mark_store", "m", "date", "m.date BETWEEN $from::DATE AND $to::DATE") : unitSource(halfTerm, "mark_store", "m", "date", "m.date BETWEEN $from::DATE AND $to::DATE")}
      JOIN code_catalogue cc
        ON cc.code = m.code
       AND cc.regime = CASE WHEN m.date >= $regime_from::DATE THEN '2024' ELSE '2006' END
      LEFT JOIN school_days sd ON sd.date = m.date
    ),
    k AS (SELECT * FROM k_all k ${sliceCondition})`;
  return { sql, params };
}

/**
 * A table of units of marks (a mark, a day, a week: `table` as `alias`) joined to `scope`: by
 * pupil, and with half-term membership also by the half term the unit's date (`dateColumn`)
 * is in — the last half term starting on or before it (half_list; a unit never spans two:
 * half_weeks) — worked out on the unit before the join, so both are equal keys (joined on
 * the pupil alone with the half term checked after, or through a table of dates, the planner
 * paired every unit or every pupil with every half term or date first: ten times slower).
 * `where` (a condition on the unit, written against `alias`) chooses the units before the
 * half term is worked out and the join is made: as the query's WHERE it was applied after
 * (an OR with a subquery is not pushed below a join), so the join took every day of the period
 * where the few days at the edges and in split weeks were wanted (at 4,500 pupils over a term,
 * 697,000 day rows joined for 117,000 kept).
 */
/**
 * With scopedMarksSql's spans, a table of day or mark units (`table` as `alias`, each on one
 * date, `dateColumn`) joined to `scope` (as `scope`, the alias) by pupil and by the span the unit's date is in (the
 * last span starting on or before it, worked out on the unit before the join as unitSource
 * does for half terms), units between spans left out. `where`: a condition on the unit.
 */
function spanUnitSource(table: string, alias: string, dateColumn: string, where: string, scope = "scope"): string {
  return `(SELECT ${alias}.*, len(list_filter(sl.starts, x -> x <= ${alias}.${dateColumn})) - 1 AS span
           FROM ${table} ${alias} CROSS JOIN span_list sl WHERE ${where}) ${alias}
          JOIN scope${scope === "scope" ? "" : ` ${scope}`} ON ${scope}.pupil_id = ${alias}.pupil_id AND ${scope}.span = ${alias}.span AND ${alias}.${dateColumn} <= ${scope}.s_to`;
}

function unitSource(halfTerm: boolean, table: string, alias: string, dateColumn: string, where: string): string {
  if (!halfTerm) return `(SELECT * FROM ${table} ${alias} WHERE ${where}) ${alias} JOIN scope USING (pupil_id)`;
  return `(SELECT ${alias}.*, hl.members[len(list_filter(hl.starts, x -> x <= ${alias}.${dateColumn}))] AS member
           FROM ${table} ${alias} CROSS JOIN half_list hl WHERE ${where}) ${alias}
          JOIN scope USING (pupil_id, member)`;
}

const PER_PUPIL_COUNTS = `
      count(*) FILTER (WHERE k.category <> 'not_counted')::INTEGER AS possible,
      count(*) FILTER (WHERE k.category = 'present')::INTEGER AS present,
      count(*) FILTER (WHERE k.category = 'aea')::INTEGER AS aea,
      count(*) FILTER (WHERE k.category = 'authorised')::INTEGER AS authorised,
      count(*) FILTER (WHERE k.category = 'unauthorised')::INTEGER AS unauthorised`;

/** GROUP_TOTALS' sums of sessions (sessionsBySessions: a group's sessions without its pupils). */
export const SESSION_TOTALS = `
      coalesce(sum(possible), 0)::INTEGER AS possible_sessions,
      coalesce(sum(present), 0)::INTEGER AS present_sessions,
      coalesce(sum(aea), 0)::INTEGER AS aea_sessions,
      coalesce(sum(authorised), 0)::INTEGER AS authorised_sessions,
      coalesce(sum(unauthorised), 0)::INTEGER AS unauthorised_sessions`;

const GROUP_TOTALS = `
      count(*) FILTER (WHERE possible > 0)::INTEGER AS pupils,${SESSION_TOTALS},
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

/** Throws when a period's dates are not YYYY-MM-DD or it starts after it ends: every measure's first check. */
export function assertPeriod(query: Pick<MeasureQuery, "from" | "to">): void {
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
       FROM k JOIN scope s USING (upn, member)
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
     -- The latest regulations' words (sessionsByCode's docstring): any_value gave either across 19 August 2024.
     SELECT k.code, arg_max(k.category, cc.regime) AS category, arg_max(cc.meaning, cc.regime) AS meaning, count(*)::INTEGER AS sessions
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
     -- The code last: two codes of a group as many sessions and first met on the same day came
     -- out in either order from run to run (the Codes page's bytes, a test's expectation).
     ORDER BY first_date, sessions DESC, k.code::VARCHAR`,
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
  // A slice of the calendar (a day, a week, a term): the pupils on roll on one of its school
  // days in the period, or with a counted session in it; the period's roll listed everyone on
  // roll at any time of the period, 0 sessions beside those not on roll that day, and every
  // pupil for a day that is no school day (trial 29: "no pupil is listed" above 242 rows).
  const sliceDays = query.slice ? sliceDaysCondition(query.slice.by, "slice_value") : null;
  const onRollInSlice = sliceDays
    ? `WHERE coalesce(pp.possible, 0) > 0
          OR EXISTS (SELECT 1 FROM school_days sd
                     WHERE ${sliceDays} AND sd.date BETWEEN greatest($from::DATE, s.admission_date) AND least($to::DATE, coalesce(s.leaving_date, $to::DATE)))`
    : "";
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
       LEFT JOIN spells sp USING (upn)
       ${onRollInSlice})`,
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
  const isPa = persistentlyAbsent(possible, absent);
  const isSa = severelyAbsent(possible, absent);
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
 * With half-term membership, the weeks a half term starts in (half_weeks) are read day by
 * day: a day unit is read when its week is one (`halfWeeksEdge`, an OR with the other edge
 * conditions), a week unit only when it is not (`halfWeeksInner`). Without it there are none,
 * and the conditions are left out: a subquery in the OR kept the date filter from reaching the
 * files, so every day of the period was read for the few at its edges (a trust's school's year:
 * 190,000 day rows read for 5,000).
 */
const halfWeeksEdge = (halfTerm: boolean, date: string) => (halfTerm ? ` OR date_trunc('week', ${date}) IN (SELECT week FROM half_weeks)` : "");
const halfWeeksInner = (halfTerm: boolean, week: string) => (halfTerm ? ` AND ${week} NOT IN (SELECT week FROM half_weeks)` : "");

/**
 * Whether a query's scope is one pupil (a UPN filter: `scope` holds at most that pupil), so
 * its units are read day by day (unitsSql `days`, codeUnitsSql `marks`). One pupil's days are at
 * most ≈ 190 rows a year, and the weeks' reading costs more than it saves there: working out
 * which weeks a breakdown splits groups every pupil's weeks of the span (week_groups), and
 * the plan of weeks, edge days and split weeks is several pipelines for a few rows. A pupil's
 * page asked its academic years (from admission to today) that way: 25–45 ms of CPU a pupil,
 * 7–9 ms read by day (issue 11, item 4: a pupil's page built cold). Reading days where a week
 * would do gives the same sums, so the figures are the same either way (test/measures.test.ts
 * and test/store.test.ts compare them with the mark-level definition).
 */
const onePupil = (query: MeasureQuery): boolean => Boolean(query.filter?.upn);

/**
 * The UPN of a query (as asRead reads it) that asks one pupil's plain figures — a UPN its only
 * filter, no slice, no code chosen, the whole roll, membership at the period's end — else
 * null. Such a query is answered from the pupil's own rows, read once for every figure
 * (analytics/one-pupil.ts: a pupil's page asked the same days in five grouped queries, 5–20 ms
 * of CPU each, issue 11); the figures are the same (test/one-pupil-measures.test.ts).
 */
function onePupilOnly(query: MeasureQuery): string | null {
  const filter = query.filter ?? {};
  if (!filter.upn || query.slice || query.withCode !== undefined || (query.population !== undefined && query.population !== "whole-roll") || isHalfTerm(query)) return null;
  for (const [key, value] of Object.entries(filter)) if (key !== "upn" && value !== undefined && value !== "") return null;
  return filter.upn;
}

/** The breakdowns one pupil's figures are answered in from their own rows (onePupilOnly). */
const ONE_PUPIL_GRAINS: ReadonlySet<GroupDimension> = new Set<OnePupilGrain>(["month", "week", "academic_year"]);

/**
 * Which units a period reads (written against `w` for mark_weeks, `d` for mark_days): the
 * weeks lying wholly inside it (`inner`), and the days in it (`inPeriod`) at its edges
 * (`edges`: its first and last weeks, and with half-term membership the weeks a half term
 * starts in). Every day of the period is in exactly one of them.
 */
function unitConditions(halfTerm: boolean): { edges: string; inner: string; inPeriod: string } {
  return {
    edges: `d.date < date_trunc('week', $from::DATE) + INTERVAL 7 DAY OR d.date >= date_trunc('week', $to::DATE)${halfWeeksEdge(halfTerm, "d.date")}`,
    inner: `w.week > date_trunc('week', $from::DATE) AND w.week < date_trunc('week', $to::DATE)${halfWeeksInner(halfTerm, "w.week")}`,
    inPeriod: "d.date BETWEEN $from::DATE AND $to::DATE",
  };
}

/**
 * The CTE `u`: per-pupil units (a whole week or one day) of counts in the period for the
 * pupils in `scope`, each with a `date` (its first day) and, for a session-level breakdown,
 * its group `grp`. A week is read whole only when it lies inside the period and all its
 * days fall in one group; otherwise its days are read one by one. `days` (a scope of one
 * pupil: onePupil): every unit is a day.
 */
export function unitsSql(by?: SessionDimension, halfTerm = false, days = false): string {
  const { edges, inner, inPeriod } = unitConditions(halfTerm);
  const dayUnits = (where: string) => unitSource(halfTerm, "mark_days", "d", "date", where);
  const weeks = unitSource(halfTerm, "mark_weeks", "w", "first_date", inner);
  if (by === "weekday" || by === "date" || days) {
    return `u AS (
      SELECT d.pupil_id, scope.member, d.date, ${by ? `${groupValueAt(by, "d.date", "sd")} AS grp, ` : ""}${COUNT_COLUMNS.split(", ").map((c) => `d.${c}`).join(", ")}
      FROM ${dayUnits(inPeriod)}${by ? " LEFT JOIN school_days sd ON sd.date = d.date" : ""})`;
  }
  const weekCols = COUNT_COLUMNS.split(", ").map((c) => `w.${c}`).join(", ");
  const dayCols = COUNT_COLUMNS.split(", ").map((c) => `d.${c}`).join(", ");
  if (!by) {
    return `u AS (
      SELECT w.pupil_id, scope.member, w.first_date AS date, ${weekCols}
      FROM ${weeks}
      UNION ALL
      SELECT d.pupil_id, scope.member, d.date, ${dayCols}
      FROM ${dayUnits(`${inPeriod} AND (${edges})`)})`;
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
      SELECT w.pupil_id, scope.member, w.first_date AS date, g.g1 AS grp, ${weekCols}
      FROM ${weeks} JOIN week_groups g ON g.week = w.week AND g.g1 IS NOT DISTINCT FROM g.g2
      UNION ALL
      SELECT d.pupil_id, scope.member, d.date, ${groupValueAt(by, "d.date", "sd")} AS grp, ${dayCols}
      FROM ${dayUnits(`${inPeriod} AND (${edges} OR date_trunc('week', d.date) IN (SELECT week FROM split_weeks))`)} LEFT JOIN school_days sd ON sd.date = d.date)`;
}

export const UNIT_PER_PUPIL_COUNTS = `
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
async function summariseSessions(connection: Connection, query: MeasureQuery): Promise<Measures> {
  if (!fromAggregates(query)) return markSummarise(connection, query);
  assertPeriod(query);
  const { sql, params } = totalsSql(query, false);
  const rows = await cachedRows<Counts & Row>(connection, sql, params);
  return withRates(rows[0]);
}

/**
 * The query of summarise's counts from the aggregates: each pupil's units summed, then the
 * totals over the pupils — over all of them, or (`eachRegister`) per register of several read
 * as one (summariseEachRegister), as `register`, and per whether the pupils are in the DfE's
 * population (`in_dfe`: each pupil is in or out, so the whole roll's totals are the sum of
 * the two rows, every count being a count or sum over pupils; taken once per pupil, however
 * many scope rows the pupil has, so each pupil's sums are summarise's; the units summed per
 * pupil before they meet scope: eachRegisterPerPupilSql).
 */
function totalsSql(query: MeasureQuery, eachRegister: boolean): { sql: string; params: SqlParams } {
  const { sql, params } = scopedMarksSql(query, { inDfe: eachRegister });
  if (eachRegister) {
    // Each register's last day marked beside its totals, from the same units (every pupil's,
    // in scope or not): a register with marks in the period but no pupil in scope is a row of
    // its last day alone (in_dfe and the counts NULL).
    return {
      sql: `WITH ${sql}, ${eachRegisterPerPupilSql()}
     SELECT * FROM (SELECT (pupil_id // ${REGISTER_PUPIL_IDS})::BIGINT AS register, in_dfe, ${GROUP_TOTALS} FROM per_pupil GROUP BY register, in_dfe) totals
     FULL JOIN (SELECT (pupil_id // ${REGISTER_PUPIL_IDS})::BIGINT AS register, max(last_date)::VARCHAR AS last_marked FROM unit_totals GROUP BY register) last_days USING (register)`,
      params,
    };
  }
  return {
    sql: `WITH ${sql}, ${unitsSql(undefined, isHalfTerm(query), onePupil(query))},
     per_pupil AS (SELECT u.pupil_id, ${UNIT_PER_PUPIL_COUNTS} FROM u GROUP BY u.pupil_id)
     SELECT ${GROUP_TOTALS} FROM per_pupil`,
    params,
  };
}

/**
 * totalsSql's `per_pupil` for several registers read as one (no half-term membership): each
 * pupil's sums of the period's units (unitConditions) and whether the pupil is in the DfE's
 * population (`in_dfe`), one row per pupil and value of in_dfe, as summarise's per_pupil
 * gives them. The units are summed per pupil before they meet `scope`, then each pupil's sums
 * are multiplied by the pupil's rows in scope, which is what summing the units joined to scope
 * gives: the same figures, but a join of one row per pupil (a trust's 40 schools: 40,000)
 * where joining every unit (1.6 million weeks) had cost about half the roll-up's CPU
 * (522 → 231 ms a count of the 40 schools, the query alone).
 *
 * `scope` is read once, grouped by pupil: the pupil's rows in scope (`n`) and whether some are
 * in the DfE's population and some not (a pupil is both only if two of its rows disagree, and
 * is then a row of each, as a DISTINCT over (pupil, in_dfe) gave); reading it twice (its rows
 * counted, then its distinct values of in_dfe) had it kept as a table and scanned twice.
 * `unit_totals` also keeps each pupil's last day marked in the period (`last_date`): a whole
 * week's last_date (mark_weeks: the latest of that pupil's mark_days that week, and the week
 * lies inside the period) or an edge day's date — so the last day of the register's marks in
 * the period is had from the units already read, not from every day of the period (mark_days,
 * 7.6 million rows a trust's year) in a statement of its own.
 */
function eachRegisterPerPupilSql(): string {
  const { edges, inner, inPeriod } = unitConditions(false);
  const sums = ["possible", "present", "aea", "authorised", "unauthorised"];
  return `unit_totals AS (
      SELECT pupil_id, ${sums.map((c) => `sum(${c}) AS ${c}`).join(", ")}, max(last_date) AS last_date
      FROM (SELECT w.pupil_id, ${sums.map((c) => `w.${c}`).join(", ")}, w.last_date FROM mark_weeks w WHERE ${inner}
            UNION ALL
            SELECT d.pupil_id, ${sums.map((c) => `d.${c}`).join(", ")}, d.date FROM mark_days d WHERE ${inPeriod} AND (${edges}))
      GROUP BY pupil_id),
    scope_rows AS (
      SELECT pupil_id, count(*) AS n, bool_or(in_dfe IS TRUE) AS some_in, bool_or(in_dfe IS NOT TRUE) AS some_out
      FROM scope GROUP BY pupil_id),
    per_pupil AS (
      SELECT t.pupil_id, ${sums.map((c) => `(t.${c} * r.n)::INTEGER AS ${c}`).join(", ")}, v.in_dfe
      FROM unit_totals t JOIN scope_rows r USING (pupil_id)
      JOIN (VALUES (true), (false)) v(in_dfe) ON CASE WHEN v.in_dfe THEN r.some_in ELSE r.some_out END)`;
}

/**
 * Several registers read as one (a trust's schools: analytics/lake.ts openLakeSchools, `together`) tell
 * their pupils apart by pupil id: register R's pupil with id i in its own register has the id
 * R × REGISTER_PUPIL_IDS + i (ids are positive INTEGERs, below 2^31), and UPNs are made
 * distinct too, so that joins on the pupil never pair two registers' rows.
 */
export const REGISTER_PUPIL_IDS = 2 ** 32;

/**
 * `summarise` of each register of several read as one (REGISTER_PUPIL_IDS), over the whole
 * roll and over the DfE's population (`population: "dfe"`), all in one grouped query: the
 * same pupils in scope, per-pupil sums (of the same units, summed before they meet scope:
 * eachRegisterPerPupilSql) and totals, with the totals per register
 * and per whether a pupil is in the DfE's population. Returns register number (a URN, as
 * openLakeSchools numbers them together) → both measures and `lastMarked`, for every register
 * in `registers`: one with no pupil in scope has summarise's figures of none (0 pupils, null
 * rates). `lastMarked`: the last day in the period with any mark of the register (ISO; any
 * pupil's, in scope or not: mark_days' latest date in the period, read from the same weeks and
 * edge days as the sums), null without marks in the period. A population is
 * refused (both are given), and so are a slice and half-term membership: they read each
 * register's calendar by date, which registers read as one would mix. Throws as summarise
 * does on a bad period or an unknown filter.
 */
export async function summariseEachRegister(
  connection: Connection,
  query: MeasureQuery,
  registers: readonly number[],
): Promise<Map<number, { whole: Measures; dfe: Measures; lastMarked: string | null }>> {
  if (query.slice || isHalfTerm(query) || query.population !== undefined) {
    throw new Error("summariseEachRegister counts registers read as one, the whole roll and the DfE's population at once: no population, slice or half-term membership (they read each register's calendar)");
  }
  assertPeriod(query);
  const { sql, params } = totalsSql(query, true);
  // in_dfe and the counts are NULL on a register's row of its last day alone (totalsSql).
  const rows = await cachedRows<Counts & Row & { register: number; in_dfe: boolean | null; last_marked: string | null }>(connection, sql, params);
  const counted = new Map(registers.map((register) => [register, { whole: { ...NO_SESSIONS }, dfe: { ...NO_SESSIONS }, lastMarked: null as string | null }]));
  for (const { register, in_dfe, last_marked, ...counts } of rows) {
    const into = counted.get(Number(register));
    if (!into) continue;
    into.lastMarked = last_marked;
    if (in_dfe === null) continue;
    for (const key of Object.keys(into.whole) as Array<keyof Counts>) {
      into.whole[key] += Number(counts[key]);
      if (in_dfe) into.dfe[key] += Number(counts[key]);
    }
  }
  return new Map([...counted].map(([register, { whole, dfe, lastMarked }]) => [register, { whole: withRates(whole), dfe: withRates(dfe), lastMarked }]));
}

/**
 * Measures for each group of a breakdown, in the dimension's natural order. Pupil-level
 * groups use the characteristics at the end of the period; session-level groups apply PA
 * inside each group. Throws on an unknown breakdown.
 */
async function summariseBySessions(connection: Connection, query: MeasureQuery, by: GroupDimension): Promise<GroupMeasures[]> {
  if (!fromAggregates(query, by)) return markSummariseBy(connection, query, by);
  assertPeriod(query);
  if (!isGroupDimension(by)) throw new Error(`unknown breakdown "${by}"`);
  const { sql, params } = scopedMarksSql(query);
  const dimension = dimensionSql(by);
  const pupilLevel = (PUPIL_DIMENSIONS as readonly string[]).includes(by);
  const perPupil = pupilLevel
    ? `per_pupil AS (
         SELECT ${dimension.value} AS grp, u.pupil_id, min(u.date) AS first_date, min(isodow(u.date)) AS first_dow, ${UNIT_PER_PUPIL_COUNTS}
         FROM u JOIN scope s USING (pupil_id, member)
         GROUP BY grp, u.pupil_id)`
    : `per_pupil AS (
         SELECT u.grp, u.pupil_id, min(u.date) AS first_date, min(isodow(u.date)) AS first_dow, ${UNIT_PER_PUPIL_COUNTS}
         FROM u GROUP BY u.grp, u.pupil_id)`;
  const rows = await cachedRows<Counts & Row & { grp: string }>(
    connection,
    `WITH ${sql}, ${unitsSql(pupilLevel ? undefined : (by as SessionDimension), isHalfTerm(query), onePupil(query))},
     ${perPupil}
     SELECT grp, ${GROUP_TOTALS}
     FROM per_pupil
     GROUP BY grp
     ORDER BY ${dimension.order}`,
    params,
  );
  return rows.map((row) => ({ group: String(row.grp), ...withRates(row) }));
}

/**
 * summariseBySessions' groups of a session-level breakdown with their sessions and rates only
 * (summariseSessionsBy): each group's sessions summed straight from its units, not first per
 * pupil. Why: a group's session counts are the sums of its units whichever way they are added
 * (whole numbers), and the per-pupil step only counts pupils, which these figures print none
 * of: the SLT pack's year to date by week at 4,500 pupils grouped 170,886 units into 166,389
 * pupil-weeks (0.26 s of a 0.37 s statement) to give 37 weeks. The groups are the same (a
 * group has a pupil-row exactly when it has a unit) and so is their order: `order` reads
 * min(first_date) and min(first_dow), the least of the group's units' either way. A slice or
 * AM/PM (read from the marks) is summariseBySessions' own. Throws as summariseBy.
 */
async function sessionsBySessions(connection: Connection, query: MeasureQuery, by: SessionDimension): Promise<SessionGroupMeasures[]> {
  if (!fromAggregates(query, by)) return (await summariseBySessions(connection, query, by)).map(sessionsOf);
  assertPeriod(query);
  if (!isGroupDimension(by)) throw new Error(`unknown breakdown "${by}"`);
  const { sql, params } = scopedMarksSql(query);
  const rows = await cachedRows<Counts & Row & { grp: string }>(
    connection,
    `WITH ${sql}, ${unitsSql(by, isHalfTerm(query), onePupil(query))},
     per_group AS (
       SELECT u.grp, min(u.date) AS first_date, min(isodow(u.date)) AS first_dow, ${UNIT_PER_PUPIL_COUNTS}
       FROM u GROUP BY u.grp)
     SELECT grp, 0 AS pupils, ${SESSION_TOTALS}, 0 AS pa_pupils, 0 AS sa_pupils
     FROM per_group
     GROUP BY grp
     ORDER BY ${dimensionSql(by).order}`,
    params,
  );
  return rows.map((row) => sessionsOf({ group: String(row.grp), ...withRates(row) }));
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
async function summariseByEachSessions(connection: Connection, query: MeasureQuery): Promise<Map<PupilDimension, GroupMeasures[]>> {
  if (!fromAggregates(query)) throw new Error("summariseByEach reads the aggregates: no slice");
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  const branches = PUPIL_DIMENSIONS.map(
    (d) => `SELECT '${d}' AS dim, grp, ${TOTAL_COLUMNS}, row_number() OVER (ORDER BY ${PUPIL_DIMENSION_SQL[d].order}) AS ord
       FROM (SELECT ${d} AS grp, ${GROUP_TOTALS} FROM per_pupil GROUP BY ${d})`,
  );
  const rows = await cachedRows<Counts & Row & { dim: PupilDimension; grp: string }>(
    connection,
    `WITH ${sql}, ${unitsSql(undefined, isHalfTerm(query), onePupil(query))},
     -- Each pupil's counts, then their characteristics (one scope row per pupil).
     per_pupil AS MATERIALIZED (
       SELECT pp.*, ${PUPIL_DIMENSIONS.map((d) => `${PUPIL_DIMENSION_SQL[d].value} AS ${d}`).join(", ")}
       FROM (SELECT u.pupil_id, u.member, ${UNIT_PER_PUPIL_COUNTS} FROM u GROUP BY u.pupil_id, u.member) pp
       JOIN scope s USING (pupil_id, member))
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
 * The CTE `c` (`pupil_id`, `date`, `code`, `sessions`): sessions per pupil per code in the
 * period ($from to $to), whole weeks from `mark_week_codes` (dated by their first such mark) and
 * the marks themselves for the weeks at either end or split by `by`'s groups. Needs the CTE
 * `scope` (the pupils, by `pupil_id`, with `member`) before it, and `half_weeks` with `halfTerm`.
 * `marks` (a scope of one pupil: onePupil): the marks alone, no week read. `member` (with
 * `halfTerm`): each row's half term too, as `member` (analytics/half-term-spans.ts).
 */
export function codeUnitsSql(by?: SessionDimension, halfTerm = false, marks = false, member = false): string {
  if (marks) {
    return `c AS (
      SELECT m.pupil_id, m.date, m.code, 1 AS sessions ${by ? `, ${groupValueAt(by, "m.date", "sd")} AS grp` : ""}
      FROM ${unitSource(halfTerm, "mark_store", "m", "date", "m.date BETWEEN $from::DATE AND $to::DATE")} ${by ? "LEFT JOIN school_days sd ON sd.date = m.date" : ""})`;
  }
  const edges = `m.date < date_trunc('week', $from::DATE) + INTERVAL 7 DAY OR m.date >= date_trunc('week', $to::DATE)${halfWeeksEdge(halfTerm, "m.date")}`;
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
      SELECT w.pupil_id, w.first_date AS date, w.code, w.sessions ${by ? `, ${groupValueAt(by, "w.first_date", "sd")} AS grp` : ""}${member ? ", w.member" : ""}
      FROM ${unitSource(
        halfTerm,
        "mark_week_codes",
        "w",
        "first_date",
        `w.week > date_trunc('week', $from::DATE) AND w.week < date_trunc('week', $to::DATE)${halfWeeksInner(halfTerm, "w.week")}
        ${by ? "AND w.week NOT IN (SELECT week FROM split_weeks)" : ""}`,
      )} ${by ? "LEFT JOIN school_days sd ON sd.date = w.first_date" : ""}
      UNION ALL
      SELECT m.pupil_id, m.date, m.code, 1 ${by ? `, ${groupValueAt(by, "m.date", "sd")} AS grp` : ""}${member ? ", m.member" : ""}
      FROM ${unitSource(
        halfTerm,
        "mark_store",
        "m",
        "date",
        `m.date BETWEEN $from::DATE AND $to::DATE
        AND (${edges} ${by ? "OR date_trunc('week', m.date) IN (SELECT week FROM split_weeks)" : ""})`,
      )} ${by ? "LEFT JOIN school_days sd ON sd.date = m.date" : ""})`;
}

/**
 * Sessions by code (every code, counted or not), most used first: `{code, category,
 * meaning, sessions}` with the code's meaning under the regulations of its dates; where the
 * period's marks of a code fall under both (across 19 August 2024), the 2024 regulations' words.
 */
export async function sessionsByCode(connection: Connection, query: MeasureQuery): Promise<CodeSessions[]> {
  query = await asRead(connection, query);
  const upn = onePupilOnly(query);
  if (upn !== null) {
    assertPeriod(query);
    const codes = await onePupilCodes(connection, upn, query);
    if (codes !== null) return codes;
  }
  if (!fromAggregates(query)) return markSessionsByCode(connection, query);
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  return cachedRows<CodeSessions & Row>(
    connection,
    `WITH ${sql}, ${codeUnitsSql(undefined, isHalfTerm(query), onePupil(query))}
     -- The latest regulations' words, as markSessionsByCode: any_value gave either across 19 August 2024.
     SELECT c.code::VARCHAR AS code, arg_max(cc.category, cc.regime) AS category, arg_max(cc.meaning, cc.regime) AS meaning,
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
  query = await asRead(connection, query);
  if (!fromAggregates(query) || by === "session" || by === "weekday" || by === "date") {
    return markSessionsByCodeOver(connection, query, by);
  }
  assertPeriod(query);
  if (!SESSION_DIMENSION_SQL[by]) throw new Error(`unknown breakdown "${by}"`);
  const { sql, params } = scopedMarksSql(query);
  return cachedRows<PeriodCodeSessions & Row>(
    connection,
    `WITH ${sql}, ${codeUnitsSql(by, isHalfTerm(query), onePupil(query))}
     SELECT c.grp AS "group", c.code::VARCHAR AS code, any_value(cc.category) AS category, sum(c.sessions)::INTEGER AS sessions,
            min(c.date) AS first_date
     FROM c
     JOIN code_catalogue cc
       ON cc.code = c.code
      AND cc.regime = CASE WHEN c.date >= $regime_from::DATE THEN '2024' ELSE '2006' END
     GROUP BY "group", c.code
     -- The code last, as markSessionsByCodeOver: a total order, the same bytes every run.
     ORDER BY first_date, sessions DESC, c.code::VARCHAR`,
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
  // A pupil's own row has no group to change: one pupil, the period's end.
  if (isHalfTerm(query)) throw new Error("pupils' own rows are read with the period's membership, not by half term");
  if (!fromAggregates(query)) return markPupilRowsSql(query);
  const { sql, params } = scopedMarksSql(query);
  return {
    params,
    sql: `${sql}, ${unitsSql(undefined, isHalfTerm(query), onePupil(query))},
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
  if (isHalfTerm(query)) throw new Error("lateness is not read by half-term membership (no governor's figure)");
  if (!fromAggregates(query)) return markLateness(connection, query);
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  const rows = await cachedRows<Lateness & Row>(
    connection,
    `WITH ${sql}, ${unitsSql(undefined, isHalfTerm(query), onePupil(query))},
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
  query = await asRead(connection, query);
  const atoms = isHalfTerm(query) ? atomsFor(connection, query) : null;
  if (atoms) {
    const sum = [...sumAtoms(chosenAtoms(await atoms, query.filter), () => "").values()][0];
    return { absent: sum?.absent_pupils ?? 0, pupils: sum?.pupils ?? 0 };
  }
  if (isHalfTerm(query)) {
    const counts = totalPupilCounts(await halfTermPupilCounts(connection, query), () => "").get("");
    return { absent: counts?.absent_pupils ?? 0, pupils: counts?.pupils ?? 0 };
  }
  if (!fromAggregates(query)) {
    const pupils = (await markPupilMeasures(connection, query)).filter((p) => p.possible_sessions > 0);
    return { absent: pupils.filter((p) => p.authorised_sessions + p.unauthorised_sessions > 0).length, pupils: pupils.length };
  }
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  const rows = await cachedRows<{ absent: number; pupils: number }>(
    connection,
    `WITH ${sql}, ${unitsSql(undefined, isHalfTerm(query), onePupil(query))},
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
async function summariseWithinEachSessions(
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
    `WITH ${sql}, ${unitsSql(by, isHalfTerm(query), onePupil(query))},
     per_pupil AS MATERIALIZED (
       SELECT ${dims.map((d, i) => `${PUPIL_DIMENSION_SQL[d].value} AS pg_${i}`).join(", ")}, ${by ? "u.grp" : "NULL::VARCHAR"} AS grp, u.pupil_id,
              min(u.date) AS first_date, min(isodow(u.date)) AS first_dow, ${UNIT_PER_PUPIL_COUNTS}
       FROM u JOIN scope s USING (pupil_id, member)
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

/**
 * Coefficients that bound a group's counts of persistently (PA: 10 % or more of a pupil's own
 * possible sessions missed) and severely (SA: 50 % or more) absent pupils by its absent
 * sessions (DfE definitions; docs/DEFINITIONS.md "Session counts beside a withheld count of
 * pupils"), each valid for the TRUE figures by construction (made from the pupils' own
 * sessions: summariseAtoms), so a rule made from them always holds:
 * - `pa_least`: every PA pupil counted in the group missed at least this many of the group's
 *   sessions (PA × pa_least ≤ absent); Infinity when the group counts no pupil;
 * - `pa_most`: none missed more than this many of them; `pa_other_most`: no other pupil
 *   counted in it more; `uncounted_absent`: the group's absent sessions missed by pupils not
 *   counted in it (a pupil's sessions are in each half term's group, the pupil in the last's:
 *   analytics/leavers.ts), so absent ≤ pa_most × PA + pa_other_most × (pupils − PA) + uncounted;
 * - the same for SA.
 * A group made of others takes the least of their leasts, the most of their mosts, and the
 * sum of their uncounted sessions (combineAbsence): each part's rule holds, so the sum's does.
 */
export interface AbsenceBounds extends LeastsAndMosts {
  uncounted_absent: number;
  /**
   * The same bounds from each counted pupil's sessions over the whole span wherever they fell
   * (not only the group's own), with `counted_absent` all they missed: true of a group that
   * holds every session of every pupil it counts (the whole school, the DfE population and the
   * pupils outside it: wholeSpanAbsence), where they are tighter than the group's own — a
   * pupil who changed class, or left, missed their sessions in the school all the same (found
   * by session 12's adversary: one mover or leaver made the school's least 0, and a reader's
   * ceiling on the school's count was tighter than the plan's). Absent where not read.
   */
  whole?: WholeSpanBounds;
}

/** The least missed by a PA (SA) pupil, the most, and the most by any other (AbsenceBounds). */
export interface LeastsAndMosts {
  pa_least: number;
  pa_most: number;
  pa_other_most: number;
  sa_least: number;
  sa_most: number;
  sa_other_most: number;
}

/** AbsenceBounds from the counted pupils' whole-span sessions (AbsenceBounds.whole). */
export interface WholeSpanBounds extends LeastsAndMosts {
  /** The sessions the counted pupils missed over the span, wherever they fell. */
  counted_absent: number;
}

/**
 * A closed group's AbsenceBounds (one holding every session of every pupil it counts: the
 * whole school, a population), from its `whole` bounds and its absent sessions: the sessions
 * missed by pupils it does not count are its absent sessions less all its counted pupils
 * missed. Returns `absence` itself where it has no whole bounds or they disagree with the
 * sessions (never looser than the truth either way).
 */
export function wholeSpanAbsence(absence: AbsenceBounds, absentSessions: number): AbsenceBounds {
  const whole = absence.whole;
  if (!whole) return absence;
  const uncounted = absentSessions - whole.counted_absent;
  if (uncounted < 0) return absence;
  const { counted_absent: _counted, ...leastsAndMosts } = whole;
  return { ...leastsAndMosts, uncounted_absent: uncounted, whole };
}

/**
 * The AbsenceBounds of a group made of groups with these (see AbsenceBounds): the least of
 * leasts, the most of mosts, the sum of the sessions. Written out field by field, one object
 * each, not spread from a helper's leasts and mosts: the governors'
 * planner calls it for every atom of every cell of every table it makes (some 10⁵ times a
 * table at 4,500 pupils), and the spreads' copies were most of an FGB pack's time.
 */
export function combineAbsence(a: AbsenceBounds, b: AbsenceBounds): AbsenceBounds {
  const aw = a.whole;
  const bw = b.whole;
  return {
    pa_least: Math.min(a.pa_least, b.pa_least),
    pa_most: Math.max(a.pa_most, b.pa_most),
    pa_other_most: Math.max(a.pa_other_most, b.pa_other_most),
    sa_least: Math.min(a.sa_least, b.sa_least),
    sa_most: Math.max(a.sa_most, b.sa_most),
    sa_other_most: Math.max(a.sa_other_most, b.sa_other_most),
    uncounted_absent: a.uncounted_absent + b.uncounted_absent,
    whole:
      aw && bw
        ? {
            pa_least: Math.min(aw.pa_least, bw.pa_least),
            pa_most: Math.max(aw.pa_most, bw.pa_most),
            pa_other_most: Math.max(aw.pa_other_most, bw.pa_other_most),
            sa_least: Math.min(aw.sa_least, bw.sa_least),
            sa_most: Math.max(aw.sa_most, bw.sa_most),
            sa_other_most: Math.max(aw.sa_other_most, bw.sa_other_most),
            counted_absent: aw.counted_absent + bw.counted_absent,
          }
        : undefined,
  };
}

/**
 * combineAbsence(into, b) written into `into` (and its `whole`), which must be the caller's
 * own, made by combineAbsence: the same fields, values and order, without a new object. The
 * governors' planner folds every atom of a cell into one (analytics/governor-lattice.ts
 * makeTable): at 4,500 pupils some 50,000 pairs of objects a table made and dropped.
 */
export function combineAbsenceInto(into: AbsenceBounds, b: AbsenceBounds): void {
  foldLeastsAndMosts(into, b);
  into.uncounted_absent += b.uncounted_absent;
  const iw = into.whole;
  const bw = b.whole;
  if (!iw) return;
  if (!bw) {
    into.whole = undefined;
    return;
  }
  foldLeastsAndMosts(iw, bw);
  iw.counted_absent += bw.counted_absent;
}

/** `b`'s leasts and mosts folded into `into`'s (the smaller least, the larger most), in place. */
function foldLeastsAndMosts(into: LeastsAndMosts, b: LeastsAndMosts): void {
  into.pa_least = Math.min(into.pa_least, b.pa_least);
  into.pa_most = Math.max(into.pa_most, b.pa_most);
  into.pa_other_most = Math.max(into.pa_other_most, b.pa_other_most);
  into.sa_least = Math.min(into.sa_least, b.sa_least);
  into.sa_most = Math.max(into.sa_most, b.sa_most);
  into.sa_other_most = Math.max(into.sa_other_most, b.sa_other_most);
}

/** The counts of the pupils who share every pupil-level characteristic, in one period. */
/** The counts of an AtomCounts, each a sum over its pupils or sessions (a group of atoms adds them up). */
export const ATOM_COUNT_FIELDS = ["pupils", "possible_sessions", "present_sessions", "aea_sessions", "authorised_sessions", "unauthorised_sessions", "pa_pupils", "sa_pupils", "absent_pupils"] as const;

/** Adds `atom`'s counts into `into` (a group of atoms). */
function addAtomCounts(into: AtomCounts, atom: AtomCounts): void {
  for (const f of ATOM_COUNT_FIELDS) into[f] += atom[f];
}

export interface AtomCounts extends Counts, Record<PupilDimension, string> {
  /** The session-level group (a week, a date …), or "" for the whole span. */
  period: string;
  /** Pupils absent at least once in the period (as pupilsAbsent counts them). */
  absent_pupils: number;
  /**
   * What the group's absent sessions say of its persistently and severely absent pupils
   * (analytics/suppression.ts AbsenceBounds), from its pupils' own sessions (ATOM_BOUNDS_SQL).
   */
  absence: AbsenceBounds;
}

/**
 * The columns of a finest group's AbsenceBounds, over its counted pupils (`possible` > 0: the
 * pupils it counts), from each pupil's `possible` and `absent` sessions over the span (which
 * decide PA and SA, as PUPIL_COUNT_SQL) and `p_in` and `a_in`, their possible and absent
 * sessions among the group's own (under half-term membership a pupil's earlier half terms may
 * be in other groups' sessions; a leaver's row has none): the fewest such possible sessions,
 * the fewest and most missed by a PA (SA) pupil, the most by any other, and all they missed.
 */
const atomBoundsSql = (from: string) => `${boundsColumns(from, "p_in", "a_in", "")},
              ${boundsColumns(from, "possible", "absent", "_whole")}`;

/**
 * One set of atomBoundsSql's columns, from the sessions `possibleIn` and `absentIn` (the
 * group's own, or the whole span's), names ending in `suffix`; PA and SA always by the span.
 */
const boundsColumns = (from: string, possibleIn: string, absentIn: string, suffix: string) => {
  const pa = `10 * ${from}absent >= ${from}possible`;
  const sa = `2 * ${from}absent >= ${from}possible`;
  const [p, a] = [`${from}${possibleIn}`, `${from}${absentIn}`];
  return `min(${p})::INTEGER AS least_possible${suffix},
              min(${a}) FILTER (WHERE ${pa})::INTEGER AS pa_least_absent${suffix},
              max(${a}) FILTER (WHERE ${pa})::INTEGER AS pa_most${suffix},
              max(${a}) FILTER (WHERE NOT (${pa}))::INTEGER AS pa_other_most${suffix},
              min(${a}) FILTER (WHERE ${sa})::INTEGER AS sa_least_absent${suffix},
              max(${a}) FILTER (WHERE ${sa})::INTEGER AS sa_most${suffix},
              max(${a}) FILTER (WHERE NOT (${sa}))::INTEGER AS sa_other_most${suffix},
              sum(${a})::INTEGER AS counted_absent${suffix}`;
};

/** The names of one set of boundsColumns, before their suffix. */
const BOUNDS_NAMES = ["least_possible", "pa_least_absent", "pa_most", "pa_other_most", "sa_least_absent", "sa_most", "sa_other_most", "counted_absent"] as const;
/** The suffixes of atomBoundsSql's two sets: the group's own sessions, the whole span's. */
const BOUNDS_SUFFIXES = ["", "_whole"] as const;

/** atomBoundsSql's column names, for a SELECT list. */
const ATOM_BOUNDS_COLUMNS = BOUNDS_SUFFIXES.flatMap((suffix) => BOUNDS_NAMES.map((name) => `${name}${suffix}`)).join(", ");

/**
 * Under half-term membership, the CTEs `pk` (each pupil's sessions per group of the breakdown
 * and finest group of their half terms, from `ph`) and `inside` (each counted pupil of `pl`,
 * in the finest group they are counted in, `counted`'s rows, with their possible and absent
 * sessions among that group's own: p_in, a_in; a leaver's none), for atomBoundsSql.
 * `counted`: a CTE of pl's counted pupils with grp, pupil_id, possible, absent and the keys.
 */
const insideSql = (extra = "") => `pk AS (
       SELECT ph.grp, ph.pupil_id, ${PUPIL_KEYS}, sum(ph.possible) AS possible, sum(ph.authorised + ph.unauthorised) AS absent
       FROM ph JOIN scope s USING (pupil_id, member) WHERE s.chosen
       GROUP BY ALL),
     inside AS (
       SELECT ${extra}c.grp, ${PUPIL_DIMENSIONS.map((d) => `c.${d}`).join(", ")}, c.possible, c.absent,
              coalesce(pk.possible, 0) AS p_in, coalesce(pk.absent, 0) AS a_in
       FROM counted c LEFT JOIN pk ON pk.grp IS NOT DISTINCT FROM c.grp AND pk.pupil_id = c.pupil_id
            AND ${PUPIL_DIMENSIONS.map((d) => `pk.${d} = c.${d}`).join(" AND ")})`;

/** A row's atomBoundsSql columns (null where the group counts no such pupil). */
export type AtomBoundsRow = Record<`${(typeof BOUNDS_NAMES)[number]}${(typeof BOUNDS_SUFFIXES)[number]}`, number | null>;

/**
 * A finest group's AbsenceBounds from its atomBoundsSql columns and its absent sessions
 * (authorised + unauthorised). The least missed by a PA pupil is taken as at most a tenth of
 * the fewest possible sessions any counted pupil had in the group, rounded up (what a reader
 * can say of a group without PA pupils, still true of the pupils it has: a least is only ever
 * lowered); SA likewise with a half. Throws if the counted pupils missed more sessions than the
 * group has (not the same read).
 */
function absenceOf(row: AtomBoundsRow, absentSessions: number): AbsenceBounds {
  const uncounted = absentSessions - orNone(row.counted_absent, 0);
  if (uncounted < 0) throw new Error("a finest group's pupils missed more sessions than it has: not the same read");
  // The columns read by name, each object made at once (no spread, no names built): a
  // governors' pack reads tens of thousands of such rows, and making their bounds took over a
  // tenth of its JavaScript time at 4,500 pupils (profiled). Properties in the order they had.
  const own = leastsAndMosts(row.least_possible, row.pa_least_absent, row.pa_most, row.pa_other_most, row.sa_least_absent, row.sa_most, row.sa_other_most) as AbsenceBounds;
  own.uncounted_absent = uncounted;
  // Over each counted pupil's whole span (AbsenceBounds.whole): the same leasts and mosts.
  const whole = leastsAndMosts(row.least_possible_whole, row.pa_least_absent_whole, row.pa_most_whole, row.pa_other_most_whole, row.sa_least_absent_whole, row.sa_most_whole, row.sa_other_most_whole) as WholeSpanBounds;
  whole.counted_absent = orNone(row.counted_absent_whole, 0);
  own.whole = whole;
  return own;
}

/** A column's value, or `none` where the group counts no such pupil (null). */
const orNone = (v: number | null | undefined, none: number) => (v === null || v === undefined ? none : Number(v));

/** A boundsColumns value: null where the group counts no such pupil. */
type Bound = number | null;

/** One set of boundsColumns' values as absenceOf reads them. */
function leastsAndMosts(leastPossible: Bound, paLeast: Bound, paMost: Bound, paOther: Bound, saLeast: Bound, saMost: Bound, saOther: Bound): LeastsAndMosts {
  const least = orNone(leastPossible, Number.POSITIVE_INFINITY);
  return {
    pa_least: Math.min(Math.ceil(least / 10), orNone(paLeast, Number.POSITIVE_INFINITY)),
    pa_most: orNone(paMost, 0),
    pa_other_most: orNone(paOther, 0),
    sa_least: Math.min(Math.ceil(least / 2), orNone(saLeast, Number.POSITIVE_INFINITY)),
    sa_most: orNone(saMost, 0),
    sa_other_most: orNone(saOther, 0),
  };
}

/** One row of an atoms query (a characteristic per column, the counts, atomBoundsSql's columns) as AtomCounts in `period`. */
export function atomOf(row: Counts & AtomBoundsRow & { absent_pupils: number } & Record<PupilDimension, string>, period: string): AtomCounts {
  return {
    period,
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
    absence: absenceOf(row, Number(row.authorised_sessions) + Number(row.unauthorised_sessions)),
  };
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
async function summariseAtomsSessions(connection: Connection, query: MeasureQuery, by?: SessionDimension): Promise<AtomCounts[]> {
  if (!fromAggregates(query, by)) throw new Error("summariseAtoms reads the aggregates: no slice, no AM/PM breakdown");
  assertPeriod(query);
  if (by !== undefined && !SESSION_DIMENSION_SQL[by]) throw new Error(`unknown breakdown "${by}"`);
  const population = query.population ?? "whole-roll";
  if (population !== "whole-roll" && population !== "dfe") throw new Error(`unknown population "${String(population)}"`);
  // The whole roll's groups and the DfE population's in one read, each group split by whether
  // its pupils are in the DfE's population (`in_dfe`: each pupil is in or out, so the whole
  // roll's group is the sum of its two parts, every count being a count or sum over pupils):
  // a governor's plan reads both for every span (analytics/governor-lattice.ts byPopulation),
  // and this read answers either (shared: the same SQL and parameters).
  const { sql, params } = scopedMarksSql({ ...query, population: undefined });
  const range = dfePopulation(query.to);
  params.born_from = range.bornFrom;
  params.born_to = range.bornTo;
  const names = PUPIL_DIMENSIONS.join(", ");
  // Read at the period's end, each pupil's sessions are all in their one group (p_in, a_in:
  // atomBoundsSql).
  // Read, never changed (atomOf makes each atom afresh): the kept rows themselves.
  const rows = await cachedRowsToRead<Counts & AtomBoundsRow & Row & { grp: string | null; absent_pupils: number; in_dfe: boolean } & Record<PupilDimension, string>>(
    connection,
    `WITH ${sql}, ${unitsSql(by, isHalfTerm(query), onePupil(query))},
     per_pupil AS (
       SELECT ${by ? "u.grp" : "''"} AS grp, ${PUPIL_KEYS}, u.pupil_id,
              (pd.dob BETWEEN $born_from::DATE AND $born_to::DATE) IS TRUE AS in_dfe, ${UNIT_PER_PUPIL_COUNTS}
       FROM u JOIN scope s USING (pupil_id, member) JOIN pupils pd ON pd.upn = s.upn
       GROUP BY ALL),
     counted AS (SELECT *, possible AS p_in, authorised + unauthorised AS a_in, authorised + unauthorised AS absent FROM per_pupil WHERE possible > 0),
     bounds AS (SELECT grp, ${names}, in_dfe, ${atomBoundsSql("")} FROM counted GROUP BY grp, ${names}, in_dfe)
     SELECT * FROM (
     SELECT grp, ${names}, in_dfe, ${GROUP_TOTALS},
            count(*) FILTER (WHERE possible > 0 AND authorised + unauthorised > 0)::INTEGER AS absent_pupils
     FROM per_pupil
     GROUP BY grp, ${names}, in_dfe) LEFT JOIN bounds USING (grp, ${names}, in_dfe)
     ORDER BY grp, ${names}, in_dfe`,
    params,
  );
  const atoms = (population === "dfe" ? rows.filter((row) => row.in_dfe === true) : rows).map((row) => atomOf(row, row.grp === null ? "" : String(row.grp)));
  if (population === "dfe") return atoms;
  // The whole roll: a group's parts are next to each other (ordered by group, then in_dfe).
  const whole: AtomCounts[] = [];
  const sameGroup = (a: AtomCounts, b: AtomCounts) => a.period === b.period && PUPIL_DIMENSIONS.every((d) => a[d] === b[d]);
  for (const atom of atoms) {
    const last = whole.at(-1);
    if (!last || !sameGroup(last, atom)) {
      whole.push(atom);
      continue;
    }
    addAtomCounts(last, atom);
    last.absence = combineAbsence(last.absence, atom.absence);
  }
  return whole;
}

/** One set of pupils of fewestPupilsOnADay: the pupils sharing values of some characteristics. */
export interface FewestOnADay {
  /** Which of the query's sets (its index). */
  set: number;
  /** The set's characteristics' values, in the set's order (a missing one reads ""). */
  values: string[];
  /** The fewest pupils with possible sessions on a date on which the set has any. */
  fewest: number;
  /**
   * The fewest pupils absent on a date on which some are: the least non-zero count, over the
   * dates, of its pupils with an absent session (authorised or unauthorised) that day (each
   * pupil absent has 1 or 2 absent sessions a day, so a day's absence in sessions bounds this
   * count); 0 when none of its pupils was ever absent. Absence by kind is not counted: a
   * governor is never given a day's, week's or month's split (analytics/governor-view.ts
   * governorSliceFigures), only its total absence.
   */
  fewestAbsent: number;
}

/**
 * For each group of each set of characteristics (`sets`: e.g. [] for the whole school,
 * ["year_group"], ["year_group", "reg_group"]), the fewest pupils it has with possible
 * sessions on any date of the span on which it has some (and the fewest absent: FewestOnADay), what summing summariseAtoms(query,
 * "date") into those groups day by day and taking each group's least non-zero day gives (the
 * same per-pupil counts, groups read as a filter reads them), in one grouped read of a few
 * rows per group instead of every finest group's every date (at 4,500 pupils some 56,000 rows
 * a half term). Groups with no such date are left out. Within one half term only (a
 * governor's slices are planned half term by half term: analytics/governor-lattice.ts):
 * throws for half-term membership over several, a slice, or a bad period.
 */
export async function fewestPupilsOnADay(connection: Connection, query: MeasureQuery, sets: ReadonlyArray<readonly PupilDimension[]>): Promise<FewestOnADay[]> {
  return (await fewestPupilsOnADays(connection, [query], sets))[0];
}

/**
 * fewestPupilsOnADay for each of several spans (`spans`: in order and apart, each within one
 * half term, all with the same pupils chosen: filter and population), in one grouped read
 * (scopedMarksSql's spans: each span's pupils and groups as its own read takes them), a list
 * per span in the spans' order. Why: a governors' pack plans the slices of every half term of
 * the year to date (analytics/governor-lattice.ts governorSlicePlans), and each half term's
 * own statement built the pupils' scope and grouping sets afresh. Throws as fewestPupilsOnADay,
 * and for spans out of order, overlapping or choosing pupils differently.
 */
export async function fewestPupilsOnADays(connection: Connection, spans: readonly MeasureQuery[], sets: ReadonlyArray<readonly PupilDimension[]>): Promise<FewestOnADay[][]> {
  const read: MeasureQuery[] = [];
  for (const span of spans) {
    const query = await asRead(connection, span);
    if (isHalfTerm(query)) throw new Error("fewestPupilsOnADay reads one half term: its pupils' groups at its end");
    if (!fromAggregates(query, "date")) throw new Error("fewestPupilsOnADay reads the aggregates: no slice");
    assertPeriod(query);
    read.push(query);
  }
  if (read.length === 0 || sets.length === 0) return read.map(() => []);
  // The pupils chosen (all but the dates) are the same for every span: one scope reads them all.
  const chosen = (q: MeasureQuery) => JSON.stringify([q.filter ?? {}, q.population ?? null, q.withCode ?? null, q.membership ?? null]);
  if (read.some((q) => chosen(q) !== chosen(read[0]))) throw new Error("fewestPupilsOnADays: the spans choose their pupils differently");
  if (read.some((q, i) => i > 0 && q.from <= read[i - 1].to)) throw new Error("fewestPupilsOnADays: spans must be in order and apart");
  for (const set of sets) for (const d of set) if (!(PUPIL_DIMENSIONS as readonly string[]).includes(d)) throw new Error(`unknown pupil breakdown "${d}"`);
  const whole: MeasureQuery = { ...read[0], from: read[0].from, to: read[read.length - 1].to };
  const { sql, params } = read.length === 1 ? scopedMarksSql(whole) : scopedMarksSql(whole, { spans: read });
  // The characteristics the sets group by; GROUPING of them: a bit each, the first the
  // highest, set where a row is not grouped by it.
  const used = PUPIL_DIMENSIONS.filter((d) => sets.some((set) => set.includes(d)));
  const names = used.map((d) => `, ${d}`).join("");
  const bitsOf = (set: readonly PupilDimension[]) => used.reduce((bits, d, i) => (set.includes(d) ? bits : bits | (1 << (used.length - 1 - i))), 0);
  // Each pupil's day straight from mark_days (one row per pupil and date), joined to the pupil's
  // scope row once: the day units (unitsSql "date") joined scope twice and were grouped again by
  // date, pupil and every characteristic, a grouping of rows already one per pupil and day that
  // cost four fifths of the read (fgb34: at 4,500 pupils 490 -> 97 ms of DuckDB CPU a half term,
  // median of 5, result the same). Only whether a pupil's day has possible and absent sessions
  // is counted, so a pupil with two scope rows counts as before, once in each row's groups.
  // Several spans: each day joined to its span's scope row (spanUnitSource), the span a
  // column of every group (a date is in one span, so the days' groups are as each alone).
  const span = read.length === 1 ? "0" : "s.span";
  const days =
    read.length === 1
      ? "mark_days d JOIN scope s USING (pupil_id) WHERE d.date BETWEEN $from::DATE AND $to::DATE"
      : spanUnitSource("mark_days", "d", "date", "d.date BETWEEN $from::DATE AND $to::DATE", "s");
  const rows = await cachedRows<Row & Record<PupilDimension, string | null> & { span: number; bits: number; fewest: number | null; fewest_absent: number }>(
    connection,
    `WITH ${sql},
     per_pupil AS (
       SELECT ${span}::INTEGER AS span, ${groupValueAt("date", "d.date", "sd")} AS grp, ${PUPIL_KEYS}, d.pupil_id, d.possible::INTEGER AS possible,
              (d.authorised + d.unauthorised)::INTEGER AS absent
       FROM ${days}),
     daily AS (
       SELECT span, grp${names}, ${used.length > 0 ? `GROUPING(${used.join(", ")})` : "0"}::INTEGER AS bits, count(*) FILTER (WHERE possible > 0)::INTEGER AS pupils,
              count(*) FILTER (WHERE absent > 0)::INTEGER AS absent
       FROM per_pupil
       GROUP BY GROUPING SETS (${sets.map((set) => `(${["span", "grp", ...set].join(", ")})`).join(", ")}))
     SELECT span, bits${names}, min(pupils) FILTER (WHERE pupils > 0)::INTEGER AS fewest,
            coalesce(min(absent) FILTER (WHERE absent > 0), 0)::INTEGER AS fewest_absent
     FROM daily GROUP BY ALL
     ORDER BY ALL`,
    params,
  );
  const result: FewestOnADay[][] = read.map(() => []);
  for (const row of rows) {
    if (row.fewest === null) continue;
    sets.forEach((set, i) => {
      if (bitsOf(set) === Number(row.bits)) result[Number(row.span)].push({ set: i, values: set.map((d) => String(row[d])), fewest: Number(row.fewest), fewestAbsent: Number(row.fewest_absent) });
    });
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// Half-term membership (MeasureQuery.membership "half-term": every figure a governor reads)

/**
 * The query as its SQL reads it: half-term membership only over a span of school days in
 * more than one half term. Within one half term (a half term's own page, its weeks and days,
 * the suppression plans of each half term) the membership at the half term's end is the
 * membership at the span's end, so the figures are the same and the period-end reading, one
 * row per pupil, is the cheaper. One cached read of school_days.
 */
async function asRead(connection: Connection, query: MeasureQuery): Promise<MeasureQuery> {
  if (!isHalfTerm(query)) return query;
  const row = await cachedOne<Row & { halves: number }>(
    connection,
    `SELECT count(DISTINCT half_term)::INTEGER AS halves FROM school_days WHERE date BETWEEN $from::DATE AND $to::DATE`,
    { from: query.from, to: query.to },
  );
  return Number(row?.halves ?? 0) > 1 ? query : { ...query, membership: "period-end" };
}


/**
 * Each pupil once per group of the breakdown (`pl`, from `ph`: a pupil's counts per group and
 * half term): every session, and the last half term in which they have marks there; and each
 * group's last half term with marks (`pl_last`: the span's, or the breakdown group's). The
 * leavers (analytics/leavers.ts) are the pupils whose last half term is earlier than their
 * group's: over a span of several half terms, those with no marks in its last. `absent`: the
 * SQL of a row of `ph`'s absent sessions.
 */
const lastHalfSql = (absent = "ph.absent") => `pl AS (
       SELECT ph.grp, ph.pupil_id, sum(ph.possible) AS possible, sum(${absent}) AS absent,
              arg_max(ph.member, h.r_from) AS member, max(h.r_from) AS last_from
       FROM ph JOIN halves h USING (member)
       GROUP BY ph.grp, ph.pupil_id),
     pl_last AS (SELECT grp, arg_max(member, last_from) AS span_last, max(last_from) AS span_from FROM pl GROUP BY grp)`;

/** Each pupil-level characteristic of a `scope` row as its finest groups' key ('' when missing), named as the dimension. */
export const PUPIL_KEYS = PUPIL_DIMENSIONS.map((d) => `coalesce(${PUPIL_DIMENSION_SQL[d].value}::VARCHAR, '') AS ${d}`).join(", ");

/**
 * A group's counts of pupils from `pl`'s rows (a pupil's `possible` and `absent` sessions over
 * the span): pupils with a possible session; persistently absent (10 % or more of their own
 * possible sessions missed) and severely absent (50 % or more), as the DfE defines them, in
 * whole sessions; absent at least once.
 */
const PUPIL_COUNT_SQL = `count(*) FILTER (WHERE possible > 0)::INTEGER AS pupils,
              count(*) FILTER (WHERE possible > 0 AND 10 * absent >= possible)::INTEGER AS pa_pupils,
              count(*) FILTER (WHERE possible > 0 AND 2 * absent >= possible)::INTEGER AS sa_pupils,
              count(*) FILTER (WHERE possible > 0 AND absent > 0)::INTEGER AS absent_pupils`;

/**
 * Whose last half term makes a pupil of `pl` a leaver: the group's (`span`: `pl_last.span_from`,
 * `span_last`) or, for the DfE's population read beside the whole roll, the latest of a pupil
 * in that population (`dfe`: `dfe_from`, `dfe_last`: summariseAtoms).
 */
type LastHalf = "span" | "dfe";

/** `pl` with its group's last half term and the pupil's scope row, the filter's choice applied (a leaver's by `leaver_chosen`). */
const lastHalfFrom = (last: LastHalf = "span") => `FROM pl JOIN pl_last ON pl_last.grp IS NOT DISTINCT FROM pl.grp
       JOIN scope s USING (pupil_id, member)
       WHERE CASE WHEN pl.last_from < pl_last.${last}_from THEN s.leaver_chosen ELSE s.chosen END`;
const LAST_HALF_FROM = lastHalfFrom();

/**
 * The finest groups' keys of a pupil in `pl`: their last half term's characteristics, or the
 * leavers' group in every column (analytics/leavers.ts; `$leavers_prefix` bound).
 */
const leaverKeys = (last: LastHalf = "span") =>
  PUPIL_DIMENSIONS.map(
    (d) => `CASE WHEN pl.last_from < pl_last.${last}_from THEN $leavers_prefix || pl_last.${last}_last ELSE coalesce(${PUPIL_DIMENSION_SQL[d].value}::VARCHAR, '') END AS ${d}`,
  ).join(", ");
const LEAVER_KEYS = leaverKeys();

/** What a group's pupils are counted as, per breakdown group and finest pupil group. */
interface PupilCountRow extends Record<PupilDimension, string> {
  /** The session-level breakdown's group, or "" for the whole span. */
  grp: string;
  pupils: number;
  pa_pupils: number;
  sa_pupils: number;
  absent_pupils: number;
}

type PupilCounts = Pick<PupilCountRow, "pupils" | "pa_pupils" | "sa_pupils" | "absent_pupils">;

/**
 * The counts of pupils under half-term membership: each pupil once per group of `by` (or
 * the whole span), over ALL their sessions in it whatever group they were in, counted in
 * the group they were in at the end of its last half term (the period's end), by year
 * group, class and characteristics (the finest pupil groups, as summariseAtoms gives them);
 * a pupil with no marks in that half term (left, or off roll, before it) in the leavers'
 * group instead, in every column (analytics/leavers.ts: "Left before Spring 2"), chosen by
 * no filter but their UPN. The last half term is, per group of `by`, the latest in which any
 * pupil in scope has marks there (the span's own for the whole span). So:
 * - a pupil is counted once, in one group, as the DfE counts persistent absence (10 % or
 *   more of the pupil's own sessions in the period), and the groups of pupils still add up
 *   to the school (what the governors' suppression plan assumes of its sums);
 * - within one half term (a half term's page, a week or a day of it) the group is the one
 *   the half term's own figures use, so a week's count is the same on every page it is on;
 * - over several half terms every real group's count is its count over the last half term
 *   (a leaver no longer adds to their old class: test/governor-break.test.ts).
 * Persistent absence is a threshold over a pupil's whole period, not a sum over its half
 * terms, so no published count of pupils over a period is a combination of other periods'
 * counts, and a pupil's sessions in a group they left are not given by their count (only
 * the sessions figures are summed half term by half term). The filter chooses the pupils by
 * that last group (every pupil's half terms are read first: scopedMarksSql `chosen`). Read
 * from the aggregates, or from the marks for a slice or the AM/PM breakdown.
 */
async function halfTermPupilCounts(connection: Connection, query: MeasureQuery, by?: SessionDimension): Promise<PupilCountRow[]> {
  const rows = await cachedRows<Row & PupilCountRow>(connection, ...halfTermPupilCountsSql(query, by, `${LEAVER_KEYS}, `, "GROUP BY ALL"));
  return rows.map((r) => ({ ...r, pupils: Number(r.pupils), pa_pupils: Number(r.pa_pupils), sa_pupils: Number(r.sa_pupils), absent_pupils: Number(r.absent_pupils) }));
}

/**
 * halfTermPupilCounts summed by the group of `by` alone (the same pupils, each counted once
 * in the same group of `by`; the finest groups' keys are not read): what a session-level
 * breakdown of the whole school or of a filter's pupils prints (summariseBy). One row per
 * group of `by` instead of one per group and set of characteristics (the FGB pack's year to
 * date by week at 4,500 pupils: 43 rows, not some 60,000). Throws as halfTermPupilCounts.
 */
async function halfTermPupilTotals(connection: Connection, query: MeasureQuery, by: SessionDimension): Promise<Map<string, PupilCounts>> {
  const rows = await cachedRowsToRead<Row & PupilCounts & { grp: string }>(connection, ...halfTermPupilCountsSql(query, by, "", "GROUP BY 1"));
  return new Map(rows.map((r) => [r.grp, { pupils: Number(r.pupils), pa_pupils: Number(r.pa_pupils), sa_pupils: Number(r.sa_pupils), absent_pupils: Number(r.absent_pupils) }]));
}

/** halfTermPupilCounts' statement: `keys` the columns read beside the group of `by` (with a trailing comma), `groupBy` its grouping. */
function halfTermPupilCountsSql(query: MeasureQuery, by: SessionDimension | undefined, keys: string, groupBy: string): [string, SqlParams] {
  assertPeriod(query);
  if (by !== undefined && !SESSION_DIMENSION_SQL[by]) throw new Error(`unknown breakdown "${by}"`);
  const { sql, params } = scopedMarksSql(query, { chosen: true });
  const perHalf = !fromAggregates(query, by)
    ? `ph AS (
         SELECT ${by ? SESSION_DIMENSION_SQL[by].value : "''"} AS grp, k.pupil_id, k.member,
                count(*) FILTER (WHERE k.category <> 'not_counted') AS possible,
                count(*) FILTER (WHERE k.category IN ('authorised', 'unauthorised')) AS absent
         FROM k GROUP BY ALL)`
    : `${unitsSql(by, true)},
       ph AS (
         SELECT ${by ? "u.grp" : "''"} AS grp, u.pupil_id, u.member, sum(u.possible) AS possible, sum(u.authorised + u.unauthorised) AS absent
         FROM u GROUP BY ALL)`;
  return [
    `WITH ${sql}, ${perHalf},
     ${lastHalfSql()}
     SELECT coalesce(pl.grp::VARCHAR, '') AS grp, ${keys}
            ${PUPIL_COUNT_SQL}
     ${LAST_HALF_FROM}
     ${groupBy}`,
    // The leavers' group is named only in the finest groups' keys.
    keys === "" ? params : { ...params, leavers_prefix: LEAVERS_PREFIX },
  ];
}

/** Pupil-count rows summed by a key. */
function totalPupilCounts(rows: readonly PupilCountRow[], keyOf: (row: PupilCountRow) => string): Map<string, PupilCounts> {
  const totals = new Map<string, PupilCounts>();
  for (const row of rows) {
    const key = keyOf(row);
    const total = totals.get(key) ?? { pupils: 0, pa_pupils: 0, sa_pupils: 0, absent_pupils: 0 };
    total.pupils += row.pupils;
    total.pa_pupils += row.pa_pupils;
    total.sa_pupils += row.sa_pupils;
    total.absent_pupils += row.absent_pupils;
    totals.set(key, total);
  }
  return totals;
}

const NO_SESSIONS: Counts = { pupils: 0, possible_sessions: 0, present_sessions: 0, aea_sessions: 0, authorised_sessions: 0, unauthorised_sessions: 0, pa_pupils: 0, sa_pupils: 0 };

/** Session counts with the pupil counts put in their place (none: 0), and the rates again. */
function withPupilCounts(counts: Counts, pupils: PupilCounts | undefined): Measures {
  return withRates({ ...counts, pupils: pupils?.pupils ?? 0, pa_pupils: pupils?.pa_pupils ?? 0, sa_pupils: pupils?.sa_pupils ?? 0 });
}

/**
 * Groups' session rows with their pupil counts: each row's from `pupils` by its group, and a
 * group with pupils counted but no sessions (a pupil whose last group has none of their
 * marks) added after the others with its sessions 0.
 */
function mergeGroups(rows: readonly GroupMeasures[], pupils: Map<string, PupilCounts>): GroupMeasures[] {
  const merged = rows.map((r) => ({ group: r.group, ...withPupilCounts(r, pupils.get(r.group)) }));
  const seen = new Set(rows.map((r) => r.group));
  for (const [group, counts] of pupils) if (!seen.has(group) && counts.pupils > 0) merged.push({ group, ...withPupilCounts(NO_SESSIONS, counts) });
  return merged;
}

/**
 * Under half-term membership, figures are read from the span's finest pupil groups
 * (summariseAtoms, unfiltered: the same read every governor's suppression plan makes, kept
 * per connection and register generation), the filter applied to the groups here: every
 * count of them adds up over the groups (sessions by each half term's group, pupils by their
 * last), so a filtered figure is the sum of the groups the filter chooses. One read serves
 * the page's figures and its plan instead of two reads per figure. Null where the groups
 * cannot answer: one pupil (upn), a slice, or an AM/PM breakdown (read from the marks).
 */
const atomReads = new WeakMap<Connection, Map<string, Promise<AtomCounts[]>>>();

function atomsFor(connection: Connection, query: MeasureQuery, by?: SessionDimension): Promise<AtomCounts[]> | null {
  if (query.slice || query.filter?.upn || by === "session") return null;
  const base = atomsBase(query);
  let reads = atomReads.get(connection);
  if (!reads) {
    reads = new Map();
    atomReads.set(connection, reads);
  }
  // Without the result cache: once per piece of work (withSharedReads: a pack's sections).
  return keptWork(
    connection,
    reads,
    64,
    atomsKey(base, by),
    async () => (await weeksFromYear(connection, reads, base, by)) ?? (await spanFromYear(connection, base, by)) ?? summariseAtoms(connection, base, by),
  );
}

/**
 * A whole span's groups (no breakdown, no code filter) from its academic year's pupils' half
 * terms where they give them exactly (analytics/span-atoms.ts: the governors' plans of the same
 * piece of work read them anyway); null otherwise.
 */
async function spanFromYear(connection: Connection, base: MeasureQuery, by?: SessionDimension): Promise<AtomCounts[] | null> {
  if (by !== undefined || base.withCode !== undefined) return null;
  const derived = await spanAtomsFromYear(connection, base);
  return derived && (base.population === "dfe" ? derived.dfe : derived.whole);
}

/**
 * Whether atomsFor(query, by) would answer from a read already made or being made in this piece
 * of work (keptAlready: the span's own groups by `by`, or for weeks its academic year's, which
 * weeksFromYear slices), so that summing them costs no read. Never starts a read.
 */
function atomsAtHand(connection: Connection, query: MeasureQuery, by: SessionDimension): boolean {
  const base = atomsBase(query);
  const key = atomsKey(base, by);
  const byRead = atomsByReads.get(connection);
  if (byRead && keptAlready(connection, byRead, `read\u0000${key}`) !== undefined) return true;
  const reads = atomReads.get(connection);
  if (!reads) return false;
  if (keptAlready(connection, reads, key) !== undefined) return true;
  return by === "week" && keptAlready(connection, reads, atomsKey({ ...base, from: academicYearBounds(academicYearOf(base.from)).from }, by)) !== undefined;
}

/**
 * The unfiltered spans whose groups by a breakdown were read (or are being read) in this piece
 * of work by any caller of summariseAtoms — a governor's plan of the span by week reads them
 * (analytics/governor-lattice.ts) — by atomsKey, so that atomsAtHand sees the read shared
 * (db.ts withSharedReads, the result cache) and summariseBy sums it rather than reading anew.
 * Only that a read was asked is kept (keptWork's lifetime: the piece of work, or the register's
 * generation), never the rows: the key "read", then atomsKey.
 */
const atomsByReads = new WeakMap<Connection, Map<string, Promise<true>>>();

/** Whether a filter chooses any pupils out (a value given for some characteristic; "" is none). */
function isFiltered(filter: PupilFilter | undefined): boolean {
  return Object.values(filter ?? {}).some((v) => v !== undefined && v !== "");
}

function noteAtomsByRead(connection: Connection, query: MeasureQuery, by: SessionDimension): void {
  if (query.slice || isFiltered(query.filter)) return;
  let reads = atomsByReads.get(connection);
  if (!reads) {
    reads = new Map();
    atomsByReads.set(connection, reads);
  }
  // Its own key: without the result cache keptWork keeps by key alone, beside atomsFor's atoms.
  void keptWork(connection, reads, 64, `read\u0000${atomsKey(atomsBase(query), by)}`, async () => true as const);
}

/** The query whose groups atomsFor reads: its span, population and code, unfiltered, under half-term membership. */
const atomsBase = (query: MeasureQuery): MeasureQuery => ({ from: query.from, to: query.to, population: query.population, withCode: query.withCode, membership: "half-term" });

const atomsKey = (base: MeasureQuery, by?: SessionDimension) => `atoms\u0000${JSON.stringify([base, by ?? null])}`;

/**
 * A span's groups by week (atomsFor, half-term membership) sliced from its academic year's to
 * the same end, where that read is already at hand (keptAlready: the FGB workbook's to-date
 * tabs of the year to date, then of the term — at 4,500 pupils the term's own read cost a
 * second of DuckDB time; the pack's weekly chart and table read narrower: summariseBy). Null where it is not, or where the slice could differ from the
 * span's own read: a code filter (its pupils chosen by marks over the span), or marks in the
 * span's first week before it starts (that week's row in the year holds them; the span's own
 * read counts only its days). Otherwise each week's row is the same: a week lies in one half
 * term, read with the same pupils' groups at that half term's end (the same end date for the
 * last), and its pupils' counts are by the week's own last half term
 * (test/pack-weeks-from-year.test.ts compares both reads).
 */
async function weeksFromYear(connection: Connection, kept: Map<string, Promise<AtomCounts[]>>, base: MeasureQuery, by?: SessionDimension): Promise<AtomCounts[] | null> {
  if (by !== "week" || base.withCode !== undefined) return null;
  const yearFrom = academicYearBounds(academicYearOf(base.from)).from;
  if (yearFrom >= base.from) return null;
  const year = keptAlready(connection, kept, atomsKey({ ...base, from: yearFrom }, by));
  if (!year) return null;
  const first = await cachedOne<Row & { week: string; earlier: boolean }>(
    connection,
    `SELECT strftime(date_trunc('week', $from::DATE), '%Y-%m-%d') AS week,
            EXISTS (SELECT 1 FROM mark_days WHERE date >= greatest(date_trunc('week', $from::DATE), $year_from::DATE) AND date < $from::DATE) AS earlier`,
    { from: base.from, year_from: yearFrom },
  );
  if (!first || first.earlier) return null;
  return (await year).filter((atom) => atom.period >= first.week);
}

/** The groups a filter chooses. */
function chosenAtoms(atoms: readonly AtomCounts[], filter: PupilFilter = {}): AtomCounts[] {
  const set = Object.entries(filter).filter(([, v]) => v !== undefined && v !== "") as Array<[PupilDimension, string]>;
  for (const [key] of set) if (!(PUPIL_DIMENSIONS as readonly string[]).includes(key)) throw new Error(`unknown filter "${key}"`);
  return atoms.filter((a) => set.every(([k, v]) => a[k] === v));
}

/** Groups' atoms summed by a key, in first-seen order. */
function sumAtoms(atoms: readonly AtomCounts[], keyOf: (a: AtomCounts) => string): Map<string, AtomCounts> {
  const sums = new Map<string, AtomCounts>();
  for (const a of atoms) {
    const key = keyOf(a);
    const sum = sums.get(key);
    if (!sum) {
      sums.set(key, { ...a });
      continue;
    }
    addAtomCounts(sum, a);
  }
  return sums;
}

/** A pupil-level dimension's groups in the order summariseBy gives them (PUPIL_DIMENSION_SQL). */
function pupilGroupOrder(by: PupilDimension): (a: string, b: string) => number {
  const order = pupilValueOrder(by);
  // The leavers' group (analytics/leavers.ts) after every real group.
  return (a, b) => Number(isLeaversGroup(a)) - Number(isLeaversGroup(b)) || order(a, b);
}

function pupilValueOrder(by: PupilDimension): (a: string, b: string) => number {
  const asc = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  if (by === "sen") {
    const rank = (v: string) => (v === "E" ? 1 : v === "K" ? 2 : 3);
    return (a, b) => rank(a) - rank(b) || asc(a, b);
  }
  if (by === "fsm" || by === "eal" || by === "lac") return (a, b) => asc(b, a);
  if (by === "year_group") {
    const num = (v: string) => (/^[+-]?\d+$/.test(v.trim()) ? Number(v) : null);
    return (a, b) => {
      const x = num(a);
      const y = num(b);
      if (x === null && y !== null) return -1;
      if (x !== null && y === null) return 1;
      return (x !== null && y !== null ? x - y : 0) || asc(a, b);
    };
  }
  return asc;
}

/**
 * The dates with possible sessions for the query's pupils in its span (ISO, in order): the
 * groups of summariseBy(query, "date") with possible_sessions above 0, read as one grouped
 * scan of the day aggregate (a date has possible sessions when the sum of its pupils' does)
 * instead of every pupil's counts per date. Null where that reading is not the same: under
 * half-term membership over several half terms, or a slice (summariseBy then answers).
 */
export async function datesWithPossibleSessions(connection: Connection, query: MeasureQuery): Promise<string[] | null> {
  query = await asRead(connection, query);
  if (isHalfTerm(query) || query.slice) return null;
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  const rows = await cachedRows<Row & { day: string }>(
    connection,
    `WITH ${sql}
     SELECT strftime(d.date, '%Y-%m-%d') AS day FROM mark_days d JOIN scope USING (pupil_id)
     WHERE d.date BETWEEN $from::DATE AND $to::DATE
     GROUP BY d.date HAVING sum(d.possible) > 0
     ORDER BY d.date`,
    params,
  );
  return rows.map((r) => String(r.day));
}

/**
 * Session-level breakdowns answered from the groups where a read of them is at hand
 * (summariseBy, atomsAtHand; sessionGroupOrder gives their order).
 * Not weekdays: their groups are read day by day over the whole span (a weekday's weeks are
 * never whole), each pupil's every day by every characteristic, dearer than the two grouped
 * reads (at 4,500 pupils 1.6 s against 0.4 s for the year to date).
 */
const ATOM_ORDERED: ReadonlySet<SessionDimension> = new Set(["week", "month", "date", "term"]);

/**
 * The order summariseBy's SQL gives a session-level breakdown's groups (SESSION_DIMENSION_SQL
 * order), for groups summed from the finest groups, which carry no dates: weeks, months and
 * dates as written; terms by their first school day in the calendar (terms are runs
 * of dates, so the earliest date of any pupils' marks in them orders them the same). Null
 * when it cannot (a term not in the calendar, another breakdown): the SQL then answers.
 */
async function sessionGroupOrder(connection: Connection, by: SessionDimension, groups: readonly string[]): Promise<((a: string, b: string) => number) | null> {
  const asc = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  if (by === "week" || by === "month" || by === "date") return asc;
  if (by !== "term") return null;
  const rows = await cachedRows<Row & { term: string; first: string }>(
    connection,
    `SELECT term, strftime(min(date), '%Y-%m-%d') AS first FROM school_days WHERE term IS NOT NULL GROUP BY term`,
  );
  const first = new Map(rows.map((r) => [String(r.term), String(r.first)]));
  if (!groups.every((g) => first.has(g))) return null;
  return (a, b) => asc(first.get(a)!, first.get(b)!);
}

/**
 * summariseWithinEach under half-term membership from the span's finest groups (atomsFor, the
 * read the span's plan and summariseBy make): each dimension's value and breakdown group the
 * sum of the groups in it, sessions by each half term's group and pupils by their last, as
 * summariseWithinEachSessions with halfTermPupilCounts count them (test/within-atoms.test.ts).
 * Values in text order, each one's groups in the breakdown's order. Null where the groups
 * cannot answer (atomsFor, sessionGroupOrder).
 */
async function withinEachFromAtoms(
  connection: Connection,
  query: MeasureQuery,
  withins: readonly PupilDimension[],
  by?: SessionDimension,
): Promise<Map<PupilDimension, Map<string, GroupMeasures[]>> | null> {
  for (const within of withins) if (!(PUPIL_DIMENSIONS as readonly string[]).includes(within)) throw new Error(`unknown pupil breakdown "${within}"`);
  const read = atomsFor(connection, query, by);
  if (!read) return null;
  const chosen = chosenAtoms(await read, query.filter);
  const order = by ? await sessionGroupOrder(connection, by, [...new Set(chosen.map((a) => a.period))]) : null;
  if (by && !order) return null;
  const asc = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const result = new Map<PupilDimension, Map<string, GroupMeasures[]>>();
  for (const within of new Set(withins)) {
    const values = new Map<string, AtomCounts[]>();
    for (const atom of chosen) {
      const list = values.get(atom[within]);
      if (list) list.push(atom);
      else values.set(atom[within], [atom]);
    }
    const out = new Map<string, GroupMeasures[]>();
    for (const value of [...values.keys()].sort(asc)) {
      const sums = sumAtoms(values.get(value)!, (a) => a.period);
      out.set(value, [...sums].sort(([a], [b]) => (order ? order(a, b) : 0)).map(([group, counts]) => ({ group: by ? group : value, ...withRates(counts) })));
    }
    result.set(within, out);
  }
  return result;
}

/**
 * Whole-school (or filtered) measures for a period: counts of sessions (possible, present,
 * AEA, authorised, unauthorised), pupils with a possible session, PA and SA pupils, and the
 * rates from them (percent 0–100, null without possible sessions). Under half-term
 * membership (MeasureQuery.membership) the sessions are counted half term by half term and
 * the pupils as halfTermPupilCounts says. Throws on a bad period, an unknown filter or code.
 */
export async function summarise(connection: Connection, query: MeasureQuery): Promise<Measures> {
  query = await asRead(connection, query);
  const upn = onePupilOnly(query);
  if (upn !== null) {
    assertPeriod(query);
    return withRates((await onePupilCounts(connection, upn, query))[0].counts);
  }
  const atoms = isHalfTerm(query) ? atomsFor(connection, query) : null;
  if (atoms) return withRates([...sumAtoms(chosenAtoms(await atoms, query.filter), () => "").values()][0] ?? NO_SESSIONS);
  const sessions = await summariseSessions(connection, query);
  if (!isHalfTerm(query)) return sessions;
  return withPupilCounts(sessions, totalPupilCounts(await halfTermPupilCounts(connection, query), () => "").get(""));
}

/**
 * Measures for each group of a breakdown, in the dimension's natural order. Pupil-level
 * groups use the characteristics at the end of the period (under half-term membership: each
 * half term's sessions in its group, pupils as halfTermPupilCounts); session-level groups
 * apply PA inside each group. Under half-term membership the figures are sums of the span's
 * finest groups (summariseAtoms; for a session-level breakdown only where their read is at
 * hand, else the same figures from the sessions and halfTermPupilTotals:
 * test/session-breakdown-reads.test.ts). Throws on an unknown breakdown.
 */
export async function summariseBy(connection: Connection, query: MeasureQuery, by: GroupDimension): Promise<GroupMeasures[]> {
  query = await asRead(connection, query);
  const upn = ONE_PUPIL_GRAINS.has(by) ? onePupilOnly(query) : null;
  if (upn !== null) {
    assertPeriod(query);
    return (await onePupilCounts(connection, upn, query, by as OnePupilGrain)).map(({ group, counts }) => ({ group, ...withRates(counts) }));
  }
  const pupilLevel = (PUPIL_DIMENSIONS as readonly string[]).includes(by);
  // From the groups: a pupil-level breakdown, or a session-level one whose order the groups
  // can give (sessionGroupOrder: weeks, months, dates, weekdays, terms).
  // A session-level breakdown from the groups only where their read is at hand (a plan of the
  // same piece of work read them: atomsAtHand); otherwise the two grouped reads below give the
  // same rows for far less (the FGB pack again at 4,500 pupils: the year to date by week was
  // 63,696 groups of 25 columns read and made into objects to give 43 weeks).
  const fromAtoms = isHalfTerm(query) && (pupilLevel || (ATOM_ORDERED.has(by as SessionDimension) && atomsAtHand(connection, query, by as SessionDimension)));
  const atoms = fromAtoms ? atomsFor(connection, query, pupilLevel ? undefined : (by as SessionDimension)) : null;
  if (atoms) {
    const sums = sumAtoms(chosenAtoms(await atoms, query.filter), (a) => (pupilLevel ? a[by as PupilDimension] : a.period));
    const order = pupilLevel ? pupilGroupOrder(by as PupilDimension) : await sessionGroupOrder(connection, by as SessionDimension, [...sums.keys()]);
    if (order) return [...sums].sort(([a], [b]) => order(a, b)).map(([group, counts]) => ({ group, ...withRates(counts) }));
  }
  const rows = await summariseBySessions(connection, query, by);
  if (!isHalfTerm(query)) return rows;
  if (!pupilLevel) return mergeGroups(rows, await halfTermPupilTotals(connection, query, by as SessionDimension));
  const counts = await halfTermPupilCounts(connection, query);
  return mergeGroups(rows, totalPupilCounts(counts, (r) => r[by as PupilDimension]));
}

/** Measures' sessions and their rates, without the counts of pupils (whom a session-level figure need not name). */
export type SessionMeasures = Omit<Measures, "pupils" | "pa_pupils" | "pa_pct" | "sa_pupils" | "sa_pct">;

/** A breakdown's group with its sessions and their rates, without its counts of pupils (summariseSessionsBy). */
export type SessionGroupMeasures = SessionMeasures & { group: string };

/**
 * summariseBy's groups of a session-level breakdown (the same groups, in the same order, with
 * the same sessions and rates) without their counts of pupils, for a chart or table that
 * prints none (the packs' weeks and days of the week). Under half-term membership summariseBy
 * reads a breakdown's pupils in a statement of its own (halfTermPupilTotals) beside its
 * sessions (summariseBySessions, whose rows give every group and its sessions: the pupils'
 * read only sets their counts, and over the unfiltered school chooses no pupil the sessions'
 * read does not); here, for the whole school, that read is not made. At 4,500 pupils, the FGB
 * pack built again (summer 2026): the year to date's and the term's weeks and days of the
 * week, four reads of 0.1–0.4 s each. A filtered query, one whose groups are at hand
 * (atomsAtHand: summed, not read) and one pupil's are summariseBy's own; the others' sessions
 * are summed per group without a count of pupils (sessionsBySessions). Throws as summariseBy.
 */
export async function summariseSessionsBy(connection: Connection, query: MeasureQuery, by: SessionDimension): Promise<SessionGroupMeasures[]> {
  const read = await asRead(connection, query);
  const filtered = isFiltered(read.filter);
  const atHand = isHalfTerm(read) && ATOM_ORDERED.has(by) && atomsAtHand(connection, read, by);
  if (filtered || atHand) return (await summariseBy(connection, query, by)).map(sessionsOf);
  return sessionsBySessions(connection, read, by);
}

/** A group's sessions and their rates (SessionGroupMeasures). */
export function sessionsOf(row: GroupMeasures): SessionGroupMeasures {
  const { pupils: _pupils, pa_pupils: _pa, pa_pct: _paPct, sa_pupils: _sa, sa_pct: _saPct, ...sessions } = row;
  return sessions;
}

/**
 * Every pupil-level breakdown of a query (SEN, FSM, EAL, LAC, sex, ethnicity, year group,
 * class) in one grouped query: each pupil's counts once, then each dimension's groups from
 * them, with the same totals and order as summariseBy by that dimension alone. For work that
 * shows several breakdowns of one period (a report pack: its groups, year groups and classes):
 * one read instead of one each (a single breakdown is cheaper from summariseBy). Returns each
 * dimension's groups in its natural order (a dimension without pupils has none); a slice is
 * refused (summariseBy reads it from the marks). Half-term membership as summariseBy. Throws
 * on a bad period or an unknown filter.
 */
export async function summariseByEach(connection: Connection, query: MeasureQuery): Promise<Map<PupilDimension, GroupMeasures[]>> {
  query = await asRead(connection, query);
  const atoms = isHalfTerm(query) ? atomsFor(connection, query) : null;
  if (atoms) {
    const chosen = chosenAtoms(await atoms, query.filter);
    const result = new Map<PupilDimension, GroupMeasures[]>();
    if (chosen.length === 0) return result;
    for (const d of PUPIL_DIMENSIONS) {
      result.set(d, [...sumAtoms(chosen, (a) => a[d])].sort(([a], [b]) => pupilGroupOrder(d)(a, b)).map(([group, counts]) => ({ group, ...withRates(counts) })));
    }
    return result;
  }
  const result = await summariseByEachSessions(connection, query);
  if (!isHalfTerm(query)) return result;
  const counts = await halfTermPupilCounts(connection, query);
  return new Map(PUPIL_DIMENSIONS.filter((d) => result.has(d) || counts.length > 0).map((d) => [d, mergeGroups(result.get(d) ?? [], totalPupilCounts(counts, (r) => r[d]))]));
}

/**
 * summariseWithin for several pupil-level dimensions at once (the packs' tabs: year groups
 * and classes), from one read of the period: each pupil's counts in each group of `by` once,
 * then each dimension's groups from them. Returns, for each dimension asked, what
 * summariseWithin returns for it. Half-term membership as summariseBy. Throws as
 * summariseWithin does.
 */
export async function summariseWithinEach(
  connection: Connection,
  query: MeasureQuery,
  withins: readonly PupilDimension[],
  by?: SessionDimension,
): Promise<Map<PupilDimension, Map<string, GroupMeasures[]>>> {
  query = await asRead(connection, query);
  if (isHalfTerm(query) && (by === undefined || ATOM_ORDERED.has(by))) {
    const fromAtoms = await withinEachFromAtoms(connection, query, withins, by);
    if (fromAtoms) return fromAtoms;
  }
  const result = await summariseWithinEachSessions(connection, query, withins, by);
  if (!isHalfTerm(query)) return result;
  const counts = await halfTermPupilCounts(connection, query, by);
  const merged = new Map<PupilDimension, Map<string, GroupMeasures[]>>();
  for (const [within, groups] of result) {
    const totals = totalPupilCounts(counts, (r) => r[within]);
    const byGroup = totalPupilCounts(counts, (r) => `${r[within]}\u0000${r.grp}`);
    const out = new Map<string, GroupMeasures[]>();
    for (const value of new Set([...groups.keys(), ...[...totals].filter(([, c]) => c.pupils > 0).map(([v]) => v)])) {
      const rows = groups.get(value) ?? [];
      const pupils = new Map([...byGroup].filter(([k]) => k.startsWith(`${value}\u0000`)).map(([k, c]) => [by ? k.slice(value.length + 1) : value, c]));
      out.set(value, mergeGroups(rows, pupils));
    }
    merged.set(within, out);
  }
  return merged;
}

/**
 * summariseAtoms under half-term membership in each group of a session-level breakdown `by`
 * (weeks, half terms …): one population per read (the DfE's asked for by breakdown only by a
 * one-half-term span, read at its end: summariseAtomsSessions).
 */
async function halfTermAtomsBy(connection: Connection, query: MeasureQuery, by: SessionDimension): Promise<AtomCounts[]> {
  // Half-term membership in one read of the units (the suppression plans' every cell): each
  // pupil's counts per group of `by` and half term once (ph), then the sessions by each half
  // term's group and the pupils by their last half term's (halfTermPupilCounts), side by side.
  // The finest groups are numbered (`fk`: each distinct set of the eight characteristics in
  // scope, `cid`; 0 the leavers' group, whose keys are the leavers' in every column) and the
  // pupil-level rows grouped and joined by that number, the keys' strings put back once per
  // row given: grouped and joined by the eight strings, this one statement (a year by week at
  // 4,500 pupils, some 180,000 pupil-weeks and 64,000 rows) took 2 s (session 39, profiled).
  // The same rows as grouping by the strings: a number stands for one set of strings.
  noteAtomsByRead(connection, query, by);
  const { sql, params } = scopedMarksSql(query, { chosen: true });
  const names = PUPIL_DIMENSIONS.join(", ");
  const leaverOr = (then: string, otherwise: string) => `CASE WHEN pl.last_from < pl_last.span_from THEN ${then} ELSE ${otherwise} END`;
  // Read, never changed (atomOf makes each atom afresh): the kept rows themselves, not a copy of
  // each (cachedRows; some 64,000 rows of 34 columns for a year by week at 4,500 pupils).
  const rows = await cachedRowsToRead<Counts & AtomBoundsRow & Row & { grp: string; absent_pupils: number } & Record<PupilDimension, string>>(
    connection,
    `WITH ${sql}, ${unitsSql(by, true)},
     ph AS MATERIALIZED (
       SELECT ${by ? "u.grp" : "''"} AS grp, u.pupil_id, u.member, ${UNIT_PER_PUPIL_COUNTS}
       FROM u GROUP BY ALL),
     ${lastHalfSql("ph.authorised + ph.unauthorised")},
     fk AS MATERIALIZED (SELECT *, row_number() OVER ()::INTEGER AS cid FROM (SELECT DISTINCT ${PUPIL_KEYS} FROM scope s)),
     sk AS MATERIALIZED (
       SELECT s.pupil_id, s.member, s.chosen, s.leaver_chosen, fk.cid
       FROM scope s JOIN fk ON ${PUPIL_DIMENSIONS.map((d) => `fk.${d} = coalesce(${PUPIL_DIMENSION_SQL[d].value}::VARCHAR, '')`).join(" AND ")}),
     pl_sk AS (
       SELECT pl.grp, pl.pupil_id, pl.possible, pl.absent, ${leaverOr("0", "s.cid")} AS cid, pl_last.span_last
       FROM pl JOIN pl_last ON pl_last.grp IS NOT DISTINCT FROM pl.grp
       JOIN sk s USING (pupil_id, member)
       WHERE ${leaverOr("s.leaver_chosen", "s.chosen")}),
     pk AS (
       SELECT ph.grp, ph.pupil_id, s.cid, sum(ph.possible) AS possible, sum(ph.authorised + ph.unauthorised) AS absent
       FROM ph JOIN sk s USING (pupil_id, member) WHERE s.chosen
       GROUP BY ALL),
     inside AS (
       SELECT c.grp, c.cid, c.possible, c.absent, coalesce(pk.possible, 0) AS p_in, coalesce(pk.absent, 0) AS a_in
       FROM pl_sk c LEFT JOIN pk ON pk.grp IS NOT DISTINCT FROM c.grp AND pk.pupil_id = c.pupil_id AND pk.cid = c.cid
       WHERE c.possible > 0),
     bounds AS (SELECT coalesce(grp::VARCHAR, '') AS grp, cid, ${atomBoundsSql("")} FROM inside GROUP BY ALL),
     by_sessions AS (
       SELECT coalesce(ph.grp::VARCHAR, '') AS grp, s.cid,
              sum(ph.possible)::INTEGER AS possible_sessions, sum(ph.present)::INTEGER AS present_sessions, sum(ph.aea)::INTEGER AS aea_sessions,
              sum(ph.authorised)::INTEGER AS authorised_sessions, sum(ph.unauthorised)::INTEGER AS unauthorised_sessions
       FROM ph JOIN sk s USING (pupil_id, member) WHERE s.chosen
       GROUP BY ALL),
     by_pupils AS (
       SELECT coalesce(grp::VARCHAR, '') AS grp, cid, any_value(span_last) AS span_last,
              ${PUPIL_COUNT_SQL}
       FROM pl_sk
       GROUP BY 1, 2),
     atoms AS (
       SELECT *
       FROM by_sessions FULL OUTER JOIN by_pupils USING (grp, cid) LEFT JOIN bounds USING (grp, cid))
     SELECT grp, ${PUPIL_DIMENSIONS.map((d) => `CASE WHEN cid = 0 THEN $leavers_prefix || span_last ELSE fk.${d} END AS ${d}`).join(", ")},
            coalesce(pupils, 0) AS pupils, coalesce(possible_sessions, 0) AS possible_sessions, coalesce(present_sessions, 0) AS present_sessions,
            coalesce(aea_sessions, 0) AS aea_sessions, coalesce(authorised_sessions, 0) AS authorised_sessions,
            coalesce(unauthorised_sessions, 0) AS unauthorised_sessions, coalesce(pa_pupils, 0) AS pa_pupils, coalesce(sa_pupils, 0) AS sa_pupils,
            coalesce(absent_pupils, 0) AS absent_pupils, ${ATOM_BOUNDS_COLUMNS}
     FROM atoms LEFT JOIN fk USING (cid)
     ORDER BY grp, ${names}`,
    { ...params, leavers_prefix: LEAVERS_PREFIX },
  );
  return rows.map((row) => atomOf(row, String(row.grp)));
}

/**
 * The finest pupil groups of a period, in one grouped query: the counts of the pupils who
 * share year group, class, SEN, FSM, EAL, LAC, sex and ethnicity (the characteristics at the
 * end of the period, as a filter reads them), for the whole span (`by` omitted, period "") or
 * in each group of the session-level breakdown `by`. Every pupil-level breakdown and filter
 * of the same query is a sum of these rows (each pupil is in exactly one of them per period;
 * under half-term membership each pupil's half term's sessions are, and each pupil's count),
 * so one query serves a plan over every filter a page can apply
 * (analytics/governor-lattice.ts). Under half-term membership over several half terms the
 * pupils who left before the last are counted in rows of their own, with no sessions, every
 * characteristic the leavers' group (halfTermPupilCounts; analytics/leavers.ts). Counts only
 * (no rates); a missing characteristic reads "". Throws like summariseWithin.
 */
export async function summariseAtoms(connection: Connection, query: MeasureQuery, by?: SessionDimension): Promise<AtomCounts[]> {
  query = await asRead(connection, query);
  if (!isHalfTerm(query)) return summariseAtomsSessions(connection, query, by);
  if (!fromAggregates(query, by)) throw new Error("summariseAtoms reads the aggregates: no slice, no AM/PM breakdown");
  assertPeriod(query);
  if (by !== undefined && !SESSION_DIMENSION_SQL[by]) throw new Error(`unknown breakdown "${by}"`);
  // By a breakdown (each period's plan: analytics/governor-lattice.ts "cross") only the whole
  // roll is asked for; splitting every pupil's every week by population costs more than it saves.
  if (by !== undefined) return halfTermAtomsBy(connection, query, by);
  const population = query.population ?? "whole-roll";
  if (population !== "whole-roll" && population !== "dfe") throw new Error(`unknown population "${String(population)}"`);
  // Half-term membership in one read of the units (the suppression plans' every cell): each
  // pupil's counts per group of `by` and half term once (ph), then the sessions by each half
  // term's group and the pupils by their last half term's (halfTermPupilCounts), side by side.
  // The whole roll's groups and the DfE population's come from the same read (`dfe` false and
  // true; a governor's plan of a span asks for both: analytics/governor-lattice.ts), each as
  // its own read would give them: a DfE group's sessions are its pupils in the DfE's
  // population (`in_dfe`, by date of birth: dfePopulation), and its pupils' last half term
  // (who counts as a leaver, analytics/leavers.ts) is the latest in which a pupil of that
  // population has marks (`dfe_from`), as a read of that population alone finds it.
  const { sql, params } = scopedMarksSql({ ...query, population: undefined }, { chosen: true });
  const range = dfePopulation(query.to);
  params.born_from = range.bornFrom;
  params.born_to = range.bornTo;
  const names = PUPIL_DIMENSIONS.join(", ");
  const sessionSums = `sum(possible_sessions)::INTEGER AS possible_sessions, sum(present_sessions)::INTEGER AS present_sessions, sum(aea_sessions)::INTEGER AS aea_sessions,
              sum(authorised_sessions)::INTEGER AS authorised_sessions, sum(unauthorised_sessions)::INTEGER AS unauthorised_sessions`;
  // Read, never changed (atomOf makes each atom afresh): the kept rows themselves.
  const rows = await cachedRowsToRead<Counts & AtomBoundsRow & Row & { grp: string; absent_pupils: number; dfe: boolean } & Record<PupilDimension, string>>(
    connection,
    `WITH ${sql}, ${unitsSql(by, true)},
     ph AS MATERIALIZED (
       SELECT ${by ? "u.grp" : "''"} AS grp, u.pupil_id, u.member, ${UNIT_PER_PUPIL_COUNTS}
       FROM u GROUP BY ALL),
     dfe_ids AS (
       SELECT ids.pupil_id, (p.dob BETWEEN $born_from::DATE AND $born_to::DATE) IS TRUE AS in_dfe
       FROM pupils p JOIN pupil_ids ids ON ids.upn = p.upn),
     pl AS (
       SELECT ph.grp, ph.pupil_id, d.in_dfe, sum(ph.possible) AS possible, sum(ph.authorised + ph.unauthorised) AS absent,
              arg_max(ph.member, h.r_from) AS member, max(h.r_from) AS last_from
       FROM ph JOIN halves h USING (member) JOIN dfe_ids d USING (pupil_id)
       GROUP BY ph.grp, ph.pupil_id, d.in_dfe),
     pl_last AS (
       SELECT grp, arg_max(member, last_from) AS span_last, max(last_from) AS span_from,
              arg_max(member, last_from) FILTER (WHERE in_dfe) AS dfe_last, max(last_from) FILTER (WHERE in_dfe) AS dfe_from
       FROM pl GROUP BY grp),
     split_sessions AS (
       SELECT coalesce(ph.grp::VARCHAR, '') AS grp, ${PUPIL_KEYS}, d.in_dfe,
              sum(ph.possible)::INTEGER AS possible_sessions, sum(ph.present)::INTEGER AS present_sessions, sum(ph.aea)::INTEGER AS aea_sessions,
              sum(ph.authorised)::INTEGER AS authorised_sessions, sum(ph.unauthorised)::INTEGER AS unauthorised_sessions
       FROM ph JOIN scope s USING (pupil_id, member) JOIN dfe_ids d USING (pupil_id) WHERE s.chosen
       GROUP BY ALL),
     by_sessions AS (
       SELECT false AS dfe, grp, ${names}, ${sessionSums} FROM split_sessions GROUP BY ALL
       UNION ALL
       SELECT true AS dfe, grp, ${names}, ${sessionSums} FROM split_sessions WHERE in_dfe GROUP BY ALL),
     by_pupils AS (
       SELECT false AS dfe, coalesce(pl.grp::VARCHAR, '') AS grp, ${LEAVER_KEYS}, ${PUPIL_COUNT_SQL}
       ${LAST_HALF_FROM}
       GROUP BY ALL
       UNION ALL
       SELECT true AS dfe, coalesce(pl.grp::VARCHAR, '') AS grp, ${leaverKeys("dfe")}, ${PUPIL_COUNT_SQL}
       ${lastHalfFrom("dfe")} AND pl.in_dfe
       GROUP BY ALL),
     counted AS (
       SELECT false AS dfe, pl.grp, pl.pupil_id, pl.possible, pl.absent, ${LEAVER_KEYS}
       ${LAST_HALF_FROM} AND pl.possible > 0
       UNION ALL
       SELECT true AS dfe, pl.grp, pl.pupil_id, pl.possible, pl.absent, ${leaverKeys("dfe")}
       ${lastHalfFrom("dfe")} AND pl.in_dfe AND pl.possible > 0),
     ${insideSql("c.dfe, ")},
     bounds AS (SELECT dfe, coalesce(grp::VARCHAR, '') AS grp, ${names}, ${atomBoundsSql("")} FROM inside GROUP BY ALL)
     SELECT dfe, grp, ${names},
            coalesce(pupils, 0) AS pupils, coalesce(possible_sessions, 0) AS possible_sessions, coalesce(present_sessions, 0) AS present_sessions,
            coalesce(aea_sessions, 0) AS aea_sessions, coalesce(authorised_sessions, 0) AS authorised_sessions,
            coalesce(unauthorised_sessions, 0) AS unauthorised_sessions, coalesce(pa_pupils, 0) AS pa_pupils, coalesce(sa_pupils, 0) AS sa_pupils,
            coalesce(absent_pupils, 0) AS absent_pupils, ${ATOM_BOUNDS_COLUMNS}
     FROM by_sessions FULL OUTER JOIN by_pupils USING (dfe, grp, ${names}) LEFT JOIN bounds USING (dfe, grp, ${names})
     ORDER BY dfe, grp, ${names}`,
    { ...params, leavers_prefix: LEAVERS_PREFIX },
  );
  const wanted = population === "dfe";
  return rows.filter((row) => row.dfe === wanted).map((row) => atomOf(row, String(row.grp)));
}

/**
 * The query as a governor reads it: half-term membership (MeasureQuery.membership), so that
 * no pupil who changes group inside a period can be worked out from the period's figures and
 * its half terms' (issue 13; docs/DEFINITIONS.md "A pupil who changes group"). Every
 * governor's page, pack and report reads its figures through it (app/lib/view.server.ts
 * resolveView, analytics/governor-lattice.ts). Pure.
 */
export function governorQuery<Q extends MeasureQuery>(query: Q): Q {
  return { ...query, membership: "half-term" };
}
